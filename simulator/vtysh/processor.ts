import { Args, CommandTable, MatchResult } from "../grammar/commandTable";
import { reply, Shell, ShellReply } from "../session/shell";
import { addressFamilyCommands, addressFamilyEnterCommands, configCommands, ipv6RouteInstallCommands, routerCommands } from "./config";
import { commonCommands, execCommands, ipv6SummaryCommands } from "./exec";
import { ipv6PrefixListConfigCommands, maximumPrefixCommands, neighborIpv6PrefixListCommands, neighborPrefixListCommands, neighborRouteMapCommands, prefixListConfigCommands } from "./filters";

/**
 * A vtysh command: its handler prints lines (an error is a line starting with `%`), and
 * `config` says whether it counts as a configuration command (navigation, show and write do not).
 */
export interface VtyshCommand {
    readonly run: (shell: Shell, args: Args) => readonly string[] | Promise<readonly string[]>;
    readonly config: boolean;
}

export const INVALID_INPUT = "% Invalid input detected at '^' marker.";
export const INCOMPLETE = "% Incomplete command.";
export const AMBIGUOUS = "% Ambiguous command.";

type Table = CommandTable<VtyshCommand>;

function build(...groups: ((t: Table) => Table)[]): Table {
    return groups.reduce((t, g) => g(t), new CommandTable<VtyshCommand>());
}

type Mode = "vtysh" | "config" | "router" | "router-af";

/** What the appliance's ZebOS takes beyond the runbook's commands (settings; unconfirmed on NetScaler). */
interface Support {
    readonly prefixLists: boolean;
    readonly ipv6PrefixLists: boolean;
    readonly maximumPrefix: boolean;
    readonly ipv6RouteInstall: boolean;
    /** The command that lists IPv6 unicast sessions. */
    readonly ipv6Summary: string;
}

const tableCache = new Map<string, Record<Mode, Table>>();

/** One explicit command table per vtysh mode, for what the appliance supports. */
function tables(support: Support): Record<Mode, Table> {
    const key = JSON.stringify(support);
    let t = tableCache.get(key);
    if (!t) {
        const none = (x: Table) => x;
        const common = (x: Table) => ipv6SummaryCommands(commonCommands(x), support.ipv6Summary);
        t = {
            vtysh: build(execCommands, common),
            config: build(configCommands, support.ipv6RouteInstall ? ipv6RouteInstallCommands : none, support.prefixLists ? prefixListConfigCommands : none, support.ipv6PrefixLists ? ipv6PrefixListConfigCommands : none, common),
            router: build(routerCommands, addressFamilyEnterCommands, support.prefixLists ? neighborPrefixListCommands : none, support.maximumPrefix ? maximumPrefixCommands : none, neighborRouteMapCommands, common),
            "router-af": build(addressFamilyCommands, support.ipv6PrefixLists ? neighborIpv6PrefixListCommands : none, common),
        };
        tableCache.set(key, t);
    }
    return t;
}

/**
 * Runs one line in a vtysh mode. With the `parentModeFallback` setting, a line the current
 * configuration mode does not know is tried in the parent mode and, if it matches there, the
 * session moves to that mode (Quagga vtysh does this; whether ZebOS does is unconfirmed).
 */
export async function runVtyshLine(shell: Shell, line: string, promptLength: number): Promise<ShellReply> {
    const mode = shell.mode as Mode;
    const inConfig = shell.inConfigMode;
    const settings = shell.device.settings;
    const TABLES = tables({
        prefixLists: settings.prefixListSupport,
        ipv6PrefixLists: settings.ipv6PrefixListSupport,
        maximumPrefix: settings.maximumPrefixSupport,
        ipv6RouteInstall: settings.ipv6RouteInstallSupport,
        ipv6Summary: settings.ipv6SummaryCommand,
    });
    let m: MatchResult<VtyshCommand> = TABLES[mode].match(line);
    if (m.kind !== "matched" && m.kind !== "empty" && mode === "router" && shell.parentModeFallback) {
        const parent = TABLES.config.match(line);
        if (parent.kind === "matched") {
            shell.mode = "config";
            m = parent;
        }
    }
    switch (m.kind) {
        case "empty":
            return reply([]);
        case "invalid":
            return reply([`${" ".repeat(promptLength + m.offset)}^`, INVALID_INPUT], { failed: true, configCommand: inConfig });
        case "incomplete":
            return reply([INCOMPLETE], { failed: true, configCommand: inConfig });
        case "ambiguous":
            return reply([AMBIGUOUS], { failed: true, configCommand: inConfig });
        case "matched": {
            const lines = await m.handler.run(shell, m.args);
            return reply(lines, { failed: lines.some((l) => l.startsWith("%")), configCommand: inConfig && m.handler.config });
        }
    }
}
