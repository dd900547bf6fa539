import { BatchItem, BatchReply, Channel, Reply } from "./channel";
import { AdcCommandError, AdcConnectionError, AdcDisconnectedError, AdcError, AdcModeError } from "./errors";
import { compilePlatform, CompiledPlatform, Dialect, ModeName, NETSCALER, PlatformDefinition } from "./platform";
import { Redactor } from "./redact";
import { openShell as sshOpenShell, OpenShell, ShellConnection } from "./transport";
import type { AdcConnection, AdcSession, ConfigLine } from "./types";

/** How a session is opened; everything has a default that talks SSH to a NetScaler. */
export interface SessionOptions {
    /** Opens the shell stream. Default: SSH ({@link sshOpenShell}). */
    readonly openShell?: OpenShell;
    /** The device definition. Default: {@link NETSCALER}. */
    readonly platform?: PlatformDefinition;
    /**
     * Progress lines (one per connection and per configuration batch; never a secret).
     * Default: `console.log`, silent when `PULUMI_CALICO_ADC_QUIET=1`.
     */
    readonly log?: (line: string) => void;
    /**
     * The whole dialogue, secrets redacted, for debugging an appliance that behaves unlike the
     * documentation. Default: `console.error` when `PULUMI_CALICO_ADC_TRACE=1`, else off.
     */
    readonly trace?: (direction: "sent" | "received", text: string) => void;
    /** After how long without a first prompt an empty line is sent to provoke one. Default: 3000 ms (at most a third of the command timeout). */
    readonly nudgeAfterMs?: number;
}

/** The default progress logger. */
export function defaultLog(line: string): void {
    if (process.env.PULUMI_CALICO_ADC_QUIET !== "1") console.log(line);
}

function defaultTrace(host: string): ((direction: "sent" | "received", text: string) => void) | undefined {
    if (process.env.PULUMI_CALICO_ADC_TRACE !== "1") return undefined;
    return (direction, text) => console.error(`adc ${host} ${direction === "sent" ? ">>" : "<<"} ${text}`);
}

/** One batch item and the configuration line it carries (context changes carry none, except a bare `router bgp`). */
interface PlannedItem extends BatchItem {
    /** What the device's prompt must show after this item. */
    readonly expect: { readonly exactly: ModeName } | { readonly within: ModeName };
    /** The label of the ConfigLine this item applies, if any. */
    readonly lineLabel?: string;
}

/**
 * The driver: a logged-in CLI session that knows its mode only from the last prompt it read,
 * walks the platform's mode graph to where each operation runs, and judges answers with the
 * platform's failure indicators. Implements the {@link AdcSession} contract.
 */
export class NetScalerSession implements AdcSession {
    readonly host: string;
    private mode: ModeName;
    private prompt: string;
    private configLines = 0;
    private closed = false;

    private constructor(
        private readonly shell: ShellConnection,
        private readonly channel: Channel,
        private readonly platform: CompiledPlatform,
        private readonly redactor: Redactor,
        private readonly log: (line: string) => void,
        host: string,
        first: Reply,
    ) {
        this.host = host;
        this.mode = first.mode;
        this.prompt = first.prompt;
    }

    /**
     * Connects, waits for the first prompt (skipping any banner), moves to nscli and runs the
     * platform's on-open commands. A connection that closes before the first prompt is a
     * transient AdcConnectionError, so that the caller may retry it.
     */
    static async open(connection: AdcConnection, options: SessionOptions = {}): Promise<NetScalerSession> {
        const platform = compilePlatform(options.platform ?? NETSCALER);
        const redactor = new Redactor();
        redactor.addSecret(connection.password);
        redactor.addSecret(connection.privateKeyPassphrase);
        redactor.addSecret(connection.privateKey);
        const log = options.log ?? defaultLog;
        const shell = await (options.openShell ?? sshOpenShell)(connection);
        try {
            const channel = new Channel(shell.stream, {
                host: connection.host,
                commandTimeoutMs: connection.commandTimeoutMs,
                platform,
                redactor,
                trace: options.trace ?? defaultTrace(connection.host),
            });
            let first: Reply;
            try {
                first = await channel.waitForPrompt("(waiting for the first prompt after login)", options.nudgeAfterMs ?? Math.min(3000, connection.commandTimeoutMs / 3));
            } catch (e) {
                if (e instanceof AdcDisconnectedError) {
                    throw new AdcConnectionError(
                        connection.host,
                        "the connection closed after login, before the CLI prompt appeared",
                        "check the ADC's SSH session limits and that the account's shell is the NetScaler CLI",
                        true,
                    );
                }
                throw e;
            }
            const session = new NetScalerSession(shell, channel, platform, redactor, log, connection.host, first);
            for (const step of platform.platform.onOpen) {
                await session.enterMode(step.mode);
                const reply = await session.run(step.command, step.command, [step.mode]);
                const failure = session.failureAnswer(reply, step.mode);
                if (failure !== undefined && step.required) throw session.commandError(step.command, failure, step.mode);
            }
            log(`adc ${connection.host}: connected as ${connection.username}`);
            return session;
        } catch (e) {
            shell.close();
            throw e;
        }
    }

    /** Lines written in this session (every mode, including mode changes), and configuration lines among them. */
    get stats(): { readonly linesSent: number; readonly configLinesSent: number } {
        return { linesSent: this.channel.linesSent, configLinesSent: this.configLines };
    }

    /** The mode the last prompt showed. */
    get currentMode(): ModeName {
        return this.mode;
    }

    /** The last prompt read, as the device printed it. */
    get currentPrompt(): string {
        return this.prompt;
    }

    /** Runs one nscli command; returns its output without echo, ` Done` or prompt. Throws AdcCommandError on `ERROR:`. */
    async cli(command: string): Promise<string> {
        this.checkCommand(command);
        await this.enterMode("cli");
        // The nscli prompt pattern is loose (any line ending in `>`), so an answer ends at it only
        // when nscli said it finished (` Done` or `ERROR:`), or at exactly the prompt seen before.
        const prompt = this.prompt;
        const { successMarker } = this.platform.platform;
        const finished = (output: readonly string[], tail: string): boolean =>
            tail === prompt || output.some((l) => successMarker.test(l) || this.platform.isFailureLine(l, "nscli"));
        const reply = await this.run(command, command, ["cli"], finished);
        const failure = this.failureAnswer(reply, "cli");
        if (failure !== undefined) throw this.commandError(command, failure, "cli");
        return stripSuccessMarker(reply.output, this.platform.platform.successMarker);
    }

    /** Runs one vtysh show command (`show ...` or `sh ...`); returns its output without echo or prompt. */
    async vtyshShow(command: string): Promise<string> {
        this.checkCommand(command);
        if (!/^\s*(?:sh|sho|show)\s+\S/i.test(command)) {
            throw new AdcError(this.host, `vtyshShow only runs show commands, not ${JSON.stringify(this.redactor.redact(command))}`, "send configuration through configure()");
        }
        await this.enterMode("vtysh");
        const reply = await this.run(command, command, ["vtysh"]);
        const failure = this.failureAnswer(reply, "vtysh");
        if (failure !== undefined) throw this.commandError(command, failure, "vtysh");
        return reply.output;
    }

    /**
     * Applies configuration lines in one write: enters `configure terminal`, sends every line
     * with the `router bgp <asn>` / `exit` context changes their contexts call for, reads one
     * answer per line by counting prompts, and returns to `>`. The first line the device
     * rejects (a failure indicator in its answer, or a prompt of the wrong mode) becomes an
     * AdcCommandError naming it, with the lines accepted before and after it.
     */
    async configure(lines: readonly ConfigLine[]): Promise<void> {
        if (lines.length === 0) return;
        const items = this.planBatch(lines);
        await this.enterMode(this.platform.platform.configuration.mode);
        const count = lines.length;
        this.log(`adc ${this.host}: applying ${count} configuration line${count === 1 ? "" : "s"}`);
        if (!this.channel.closed) this.configLines += count;
        const replies = await this.channel.sendBatch(items, (complete, pending) => {
            this.trackMode(complete);
            return new AdcDisconnectedError(this.host, items[pending].label, this.acceptedLabels(items.slice(0, complete.length), complete));
        });
        this.trackMode(replies);
        const failed = replies.findIndex((r, i) => this.itemFailed(items[i], r));
        let restoreError: unknown;
        try {
            await this.enterMode("cli");
        } catch (e) {
            restoreError = e;
        }
        if (failed >= 0) {
            const reply = replies[failed];
            const item = items[failed];
            const answer = this.itemAnswer(item, reply);
            const before = this.acceptedLabels(items.slice(0, failed), replies.slice(0, failed));
            const after = this.acceptedLabels(items.slice(failed + 1), replies.slice(failed + 1));
            const sentAfter = items.slice(failed + 1).filter((i) => i.lineLabel !== undefined).length;
            let fix = this.platform.fixFor(answer, "vtysh");
            if (sentAfter > 0) {
                fix += `. The ${sentAfter} line${sentAfter === 1 ? "" : "s"} after it went out in the same batch and the device accepted ${after.length}: run \`pulumi refresh\` to read what it now holds`;
            }
            throw new AdcCommandError(this.host, this.redactor.redact(item.label), this.redactor.redact(answer), fix, before, after);
        }
        if (restoreError !== undefined) throw restoreError;
    }

    /** Persists the configuration: `write` (or `write memory`) in vtysh, then `save ns config`. */
    async save(): Promise<void> {
        await this.enterMode("vtysh");
        const { vtysh, cli } = this.platform.platform.save;
        let failure: string | undefined;
        for (const command of vtysh) {
            const reply = await this.run(command, command, ["vtysh"]);
            failure = this.failureAnswer(reply, "vtysh");
            if (failure === undefined) break;
        }
        if (failure !== undefined) throw this.commandError(vtysh.join(" / "), failure, "vtysh");
        await this.cli(cli);
    }

    /** Ends the session. Never throws. */
    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        this.channel.close();
        this.shell.close();
    }

    /**
     * Moves to `target` by a bounded walk over the mode graph, re-reading the prompt after
     * every step (a step may land elsewhere than planned; the next one starts from there).
     */
    async enterMode(target: ModeName): Promise<void> {
        const maxSteps = 2 * this.platform.platform.modes.length;
        for (let step = 0; step < maxSteps && this.mode !== target; step++) {
            const walk = this.platform.path(this.mode, target);
            if (!walk || walk.length === 0) break;
            const from = this.mode;
            const { command } = walk[0];
            const reply = await this.run(command, command);
            const failure = this.failureAnswer(reply, from);
            if (failure !== undefined) throw this.commandError(command, failure, from);
        }
        if (this.mode !== target) throw new AdcModeError(this.host, this.mode, target, this.prompt);
    }

    /**
     * Sends one command in the current mode. `accept`: the modes whose prompt may end its answer
     * (commands that do not change mode name theirs; mode changes accept any prompt, so that a
     * step that lands elsewhere is seen, and their answers are short).
     */
    private async run(command: string, label: string, accept?: readonly ModeName[], complete?: (output: readonly string[], prompt: string) => boolean): Promise<Reply> {
        const reply = await this.channel.send(command, label, this.mode, accept, complete);
        this.mode = reply.mode;
        this.prompt = reply.prompt;
        return reply;
    }

    private trackMode(replies: readonly BatchReply[]): void {
        if (replies.length > 0) this.mode = replies[replies.length - 1].mode;
    }

    /** The failure lines of an answer given in `mode`, or undefined if it succeeded. */
    private failureAnswer(reply: { output: string }, mode: ModeName): string | undefined {
        const dialect = this.platform.mode(mode).dialect;
        const lines = reply.output.split("\n");
        const first = lines.findIndex((l) => this.platform.isFailureLine(l, dialect));
        if (first < 0) return undefined;
        return lines.slice(first).join("\n").trim();
    }

    private commandError(command: string, answer: string, mode: ModeName): AdcCommandError {
        const dialect: Dialect = this.platform.mode(mode).dialect;
        return new AdcCommandError(this.host, this.redactor.redact(command), this.redactor.redact(answer), this.platform.fixFor(answer, dialect));
    }

    private itemFailed(item: PlannedItem, reply: BatchReply): boolean {
        if (this.failureAnswer(reply, "config") !== undefined) return true;
        return "exactly" in item.expect ? reply.mode !== item.expect.exactly : !this.platform.isWithin(reply.mode, item.expect.within);
    }

    private itemAnswer(item: PlannedItem, reply: BatchReply): string {
        const failure = this.failureAnswer(reply, "config");
        if (failure !== undefined) return failure;
        const wanted = "exactly" in item.expect ? item.expect.exactly : item.expect.within;
        const text = reply.output === "" ? "" : `${reply.output}\n`;
        return `${text}(the device went to ${reply.mode} mode instead of ${wanted} mode)`;
    }

    /** Labels of the configuration lines among `items` whose answers were accepted. */
    private acceptedLabels(items: readonly PlannedItem[], replies: readonly BatchReply[]): string[] {
        const out: string[] = [];
        items.forEach((item, i) => {
            if (item.lineLabel !== undefined && replies[i] !== undefined && !this.itemFailed(item, replies[i])) {
                out.push(this.redactor.redact(item.lineLabel));
            }
        });
        return out;
    }

    /** Turns configuration lines into the batch: context changes plus the lines, each with the mode it must leave the device in. */
    private planBatch(lines: readonly ConfigLine[]): PlannedItem[] {
        const { configuration } = this.platform.platform;
        const items: PlannedItem[] = [];
        let block: number | undefined;
        const leave = (): void => {
            items.push({ text: configuration.routerBgpLeave, label: configuration.routerBgpLeave, expect: { exactly: configuration.mode } });
        };
        for (const line of lines) {
            this.checkLine(line);
            this.redactor.addLine(line.text, line.redacted);
            const label = line.redacted ?? line.text;
            const asn = line.context === "global" ? undefined : line.context.routerBgp;
            let carriedByEnter = false;
            if (asn !== block) {
                if (block !== undefined) leave();
                if (asn !== undefined) {
                    const enter = configuration.routerBgpEnter.replace("{asn}", String(asn));
                    carriedByEnter = line.text === "";
                    items.push({ text: enter, label: enter, expect: { exactly: configuration.routerBgpMode }, lineLabel: carriedByEnter ? enter : undefined });
                }
                block = asn;
            } else if (line.text === "" && asn !== undefined) {
                // A bare `router bgp` line inside a block that is already open: nothing to send.
                continue;
            }
            if (carriedByEnter) continue;
            items.push({
                text: line.text,
                label,
                expect: { within: asn === undefined ? configuration.mode : configuration.routerBgpMode },
                lineLabel: label,
            });
        }
        if (block !== undefined) leave();
        return items;
    }

    private checkLine(line: ConfigLine): void {
        const bad = (why: string): never => {
            throw new AdcError(
                this.host,
                `configuration line ${JSON.stringify(this.redactor.redact(line.redacted ?? line.text))} cannot be sent: ${why}`,
                "this is a bug in the resource that produced the line; please report it",
            );
        };
        if (/[\x00-\x1f\x7f]/.test(line.text)) bad("it contains a line break or control character");
        if (line.context !== "global") {
            const asn = line.context.routerBgp;
            if (!Number.isInteger(asn) || asn < 1 || asn > 4294967295) bad(`router bgp ${asn} is not an AS number (1..4294967295)`);
        } else if (line.text.trim() === "") {
            bad("a global line needs text");
        }
        if (/^\s*(?:exit|end|quit)\s*$|^\s*conf(?:igure)?\b|^\s*router\s+bgp\b/i.test(line.text)) {
            bad("mode changes are generated from the lines' context, not sent as lines");
        }
    }

    private checkCommand(command: string): void {
        if (/[\x00-\x1f\x7f]/.test(command) || command.trim() === "") {
            throw new AdcError(this.host, `command ${JSON.stringify(this.redactor.redact(command))} cannot be sent: it is empty or contains a line break or control character`, "this is a bug in the caller; please report it");
        }
    }
}

/** Removes nscli's ` Done` line when it is the last line of the output (and any blank lines after it). */
function stripSuccessMarker(output: string, marker: RegExp): string {
    const lines = output.split("\n");
    let last = lines.length - 1;
    while (last >= 0 && lines[last].trim() === "") last--;
    if (last >= 0 && marker.test(lines[last])) return lines.slice(0, last).join("\n");
    return output;
}
