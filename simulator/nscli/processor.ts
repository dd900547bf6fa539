import { Args, CommandTable } from "../grammar/commandTable";
import { splitChained } from "../grammar/tokenize";
import { featureAcronym } from "../model/features";
import { reply, Shell, ShellReply } from "../session/shell";
import { enterFreebsd, runFreebsdCommand } from "./freebsd";
import { renderClusterInstance, renderHaNode, renderPartitions } from "../model/node";
import { renderFeatureTable, renderNsConfig, renderNsIp, renderNsVersion, renderRouteTable, ROUTE_TYPE_FILTERS } from "./show";

import { NscliError } from "./errors";
import { ok, type NscliOutcome } from "./outcome";
import { forceHaFailover, forceHaSync, syncHaFiles } from "./ha";

export { NscliError };

type Handler = (shell: Shell, args: Args) => NscliOutcome | Promise<NscliOutcome>;

function setFeatures(shell: Shell, names: string, on: boolean): NscliOutcome {
    const device = shell.device;
    const acronyms: string[] = [];
    for (const word of names.split(/\s+/)) {
        const acronym = featureAcronym(word);
        // Assumption: the exact text for an unknown feature name is not documented.
        if (!acronym) throw new NscliError(`Invalid argument [${word}]`);
        acronyms.push(acronym);
    }
    // Assumption: the text of the licensing error; a real appliance refuses the whole command.
    if (on && device.faults.bgpNotLicensed && acronyms.includes("BGP")) throw new NscliError("Feature(s) not licensed");
    let changed = false;
    for (const a of acronyms) {
        if (device.features.get(a) !== on) changed = true;
        device.features.set(a, on);
    }
    if (changed) {
        device.nsConfigChanged = true;
        device.changed();
    }
    return ok();
}

// `sh` is documented shorthand for `show` (it is also a prefix of `shell`).
const table = new CommandTable<Handler>({}, { sh: "show" })
    .add("show [ns] feature", (shell) => ok(renderFeatureTable(shell.device)))
    .add("enable [ns] feature <names:words>", (shell, a) => setFeatures(shell, a.req("names"), true))
    .add("disable [ns] feature <names:words>", (shell, a) => setFeatures(shell, a.req("names"), false))
    .add("show route [<type:word>]", async (shell, a) => {
        const type = a.get("type");
        if (type !== undefined && !ROUTE_TYPE_FILTERS.includes(type.toUpperCase())) throw new NscliError(`Invalid value [routeType, ${type}]`);
        return ok(await renderRouteTable(shell.device, type?.toUpperCase()));
    })
    .add("set cli mode -page {page:on|off}", (shell, a) => {
        shell.device.cliPaging = a.req("page") === "on";
        return ok();
    })
    .add("save [ns] config", (shell) => {
        shell.device.saveNsConfig();
        return ok();
    })
    .add("show ns config", (shell) => ok(renderNsConfig(shell.device)))
    .add("show ns version", () => ok(renderNsVersion()))
    .add("show ns ip", (shell) => ok(renderNsIp(shell.device)))
    .add("show ha node", (shell) => {
        const d = shell.device;
        const forced = d.node.haNodeReply;
        if (forced !== null) {
            if (forced.startsWith("ERROR: ")) throw new NscliError(forced.slice("ERROR: ".length));
            return ok(forced.split("\n"));
        }
        return ok(renderHaNode(d.node, d.settings.interfaceAddress.address, d.settings.hostname));
    })
    .add("force ha failover [{force:-force}]", (shell, a) => forceHaFailover(shell, a.has("force")))
    .add("force ha sync [{force:-force} [-save {save:yes|no}]]", (shell, a) => forceHaSync(shell, a.get("save") === "yes"))
    .add("sync ha files [{mode:all|bookmarks|ssl|htmlinjection|imports|misc|all_plus_misc}]", (shell, a) => syncHaFiles(shell, a.get("mode") ?? "all"))
    .add("show cluster instance", (shell) => ok(renderClusterInstance(shell.device.node, shell.device.settings.interfaceAddress.address)))
    .add("show ns partition", (shell) => ok(renderPartitions(shell.device.node)))
    .add("vtysh", (shell) => {
        shell.mode = "vtysh";
        return { lines: [], done: false };
    })
    .add("shell [<command:line>]", (shell, a) => {
        const command = a.get("command");
        if (command === undefined) return { lines: enterFreebsd(shell), done: false };
        return ok(runFreebsdCommand(shell, command));
    })
    .add("exit", () => ({ lines: [], done: false, close: true }))
    .add("quit", () => ({ lines: [], done: false, close: true }));

/**
 * Runs one nscli line: `;`-separated commands in order, each followed by ` Done`, stopping at the
 * first `ERROR:` (assumption: the appliance does not run the rest of a chain after a failure).
 */
export async function runNscliLine(shell: Shell, line: string): Promise<ShellReply> {
    const out: string[] = [];
    for (const command of splitChained(line)) {
        const result = await runOne(shell, command);
        out.push(...result.lines);
        if (result.failed || result.close || shell.mode !== "nscli") return reply(out, { failed: result.failed, close: result.close });
    }
    return reply(out);
}

async function runOne(shell: Shell, command: string): Promise<{ lines: readonly string[]; failed: boolean; close: boolean }> {
    const settings = shell.device.settings;
    const m = table.match(command, true);
    try {
        switch (m.kind) {
            case "empty":
                return { lines: [], failed: false, close: false };
            case "invalid":
                throw new NscliError(settings.unknownCommandError);
            case "incomplete":
                // Assumption: wording of nscli's error for a command missing arguments.
                throw new NscliError("Incomplete command");
            case "ambiguous":
                throw new NscliError("Ambiguous command");
            case "matched": {
                const outcome = await m.handler(shell, m.args);
                const lines = outcome.done === false ? [...outcome.lines] : [...outcome.lines, " Done"];
                return { lines, failed: false, close: outcome.close === true };
            }
        }
    } catch (err) {
        if (err instanceof NscliError) return { lines: [`ERROR: ${err.message}`], failed: true, close: false };
        throw err;
    }
}
