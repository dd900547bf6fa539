import { BatchItem, BatchReply, Channel, Reply } from "./channel";
import { decideWrite, parseClusterInstance, parseClusterIps, parseHaNode, parsePartitions, type NodeAnswer, type NodeFacts, type WriteDecision } from "../core/node";
import { AdcCommandError, AdcConnectionError, AdcDisconnectedError, AdcError, AdcModeError, AdcNodeRoleError } from "./errors";
import { compilePlatform, CompiledPlatform, Dialect, ModeName, NETSCALER, PlatformDefinition } from "./platform";
import { Redactor } from "./redact";
import { openShell as sshOpenShell, OpenShell, ShellConnection } from "./transport";
import type { AdcConnection, AdcSession, AddressFamily, ConfigLine, ShowAnswer } from "./types";

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
    /**
     * The most bytes written and not yet answered in a pipelined exchange. Default: the
     * platform's `inputBufferBytes`.
     */
    readonly windowBytes?: number;
}

/** The default progress logger. */
export function defaultLog(line: string): void {
    if (process.env.PULUMI_CALICO_ADC_QUIET !== "1") console.log(line);
}

function defaultTrace(host: string): ((direction: "sent" | "received", text: string) => void) | undefined {
    if (process.env.PULUMI_CALICO_ADC_TRACE !== "1") return undefined;
    return (direction, text) => console.error(`adc ${host} ${direction === "sent" ? ">>" : "<<"} ${text}`);
}

/** What an item of a pipelined exchange is, and how its answer is judged. */
type ItemRole =
    /** A move along an edge of the mode graph: must land exactly in `to`. */
    | { readonly kind: "move"; readonly from: ModeName; readonly to: ModeName }
    /** A platform command run once per session before the first command in its mode. */
    | { readonly kind: "prelude"; readonly mode: ModeName; readonly required: boolean }
    /** A command whose answer says which node the session reached (kept, never thrown). */
    | { readonly kind: "fact"; readonly fact: FactKey }
    /** A command whose answer the caller gets; it must leave the prompt in `mode`. */
    | { readonly kind: "command"; readonly mode: ModeName; readonly step: number }
    /** A configuration line or the context change around it. */
    | {
          readonly kind: "config";
          /** What the device's prompt must show after this item. */
          readonly expect: { readonly exactly: ModeName } | { readonly within: ModeName };
          /** The label of the ConfigLine this item applies, if any. */
          readonly lineLabel?: string;
      };

/** The node facts read with the first exchange. */
type FactKey = "ha" | "cluster" | "partitions";
const FACT_KEYS: readonly FactKey[] = ["ha", "cluster", "partitions"];
/** The longest `close(true)` waits for the connection to end: a peer that never answers the disconnect is not waited on. */
const END_WAIT_MS = 5000;

interface PlannedItem extends BatchItem {
    readonly role: ItemRole;
}

type ConfigItem = PlannedItem & { readonly role: Extract<ItemRole, { kind: "config" }> };

/** One step of an exchange: a command typed in a mode, or configuration lines. */
type Step = { readonly kind: "command"; readonly mode: ModeName; readonly command: string } | { readonly kind: "config"; readonly lines: readonly ConfigLine[] };

/** The answer to a command step. */
interface CommandAnswer extends ShowAnswer {
    readonly mode: ModeName;
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
    private exchangeCount = 0;
    private closed = false;
    /** Modes whose on-open commands have gone out. */
    private readonly preludeSent = new Set<ModeName>();
    /** Whether the node-fact commands have gone out (with the first exchange in their mode). */
    private factsRequested = false;
    private readonly factAnswers = new Map<FactKey, NodeAnswer>();
    /** The decision, once every fact is read (and the cluster IPs, on a cluster node). */
    private decision: WriteDecision | undefined;
    private nodeLogged = false;
    /** The nscli prompt at login, which shows the admin partition. */
    private readonly loginPrompt: string | undefined;

    private constructor(
        private readonly shell: ShellConnection,
        private readonly channel: Channel,
        private readonly platform: CompiledPlatform,
        private readonly redactor: Redactor,
        private readonly log: (line: string) => void,
        private readonly windowBytes: number,
        host: string,
        first: Reply,
    ) {
        this.host = host;
        this.mode = first.mode;
        this.prompt = first.prompt;
        this.loginPrompt = first.mode === "cli" ? first.prompt : undefined;
    }

    /**
     * Connects, waits for the first prompt (skipping any banner) and moves to nscli. The
     * platform's on-open commands for a mode go out with the first command typed in it. A connection that closes before the first prompt is a
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
            const windowBytes = options.windowBytes ?? platform.platform.inputBufferBytes;
            const session = new NetScalerSession(shell, channel, platform, redactor, log, windowBytes, connection.host, first);
            // The on-open commands go out with the first exchange (pipelined, no round trip of
            // their own); a session that logs in elsewhere than nscli walks there first.
            if (session.mode !== "cli") await session.exchange([], "cli");
            log(`adc ${connection.host}: connected as ${connection.username}`);
            return session;
        } catch (e) {
            shell.close();
            throw e;
        }
    }

    /** Lines written in this session (every mode, including mode changes), and configuration lines among them. */
    get stats(): { readonly linesSent: number; readonly configLinesSent: number; readonly exchanges: number } {
        return { linesSent: this.channel.linesSent, configLinesSent: this.configLines, exchanges: this.exchangeCount };
    }

    /** The mode the last prompt showed. */
    get currentMode(): ModeName {
        return this.mode;
    }

    /** The last prompt read, as the device printed it. */
    get currentPrompt(): string {
        return this.prompt;
    }

    /**
     * Reads which node this is (HA state, cluster membership, admin partition; nothing more to
     * send when an earlier exchange carried the questions) and throws AdcNodeRoleError unless
     * the package may configure it. Returns what the node is.
     */
    async ensureWritable(): Promise<string> {
        const decision = await this.writeDecision();
        if (!decision.ok) throw new AdcNodeRoleError(this.host, decision.node, decision.reason, decision.fix, decision.notPrimary === true);
        return decision.node;
    }

    /** The decision for this node, reading what is still missing. */
    private async writeDecision(): Promise<WriteDecision> {
        if (this.decision !== undefined) return this.decision;
        const { mode, commands } = this.platform.platform.nodeFacts;
        const missing = FACT_KEYS.filter((k) => !this.factAnswers.has(k));
        if (missing.length > 0) {
            this.factsRequested = true;
            const answers = await this.exchange(missing.map((k): Step => ({ kind: "command", mode, command: commands[k] })));
            missing.forEach((k, i) => this.factAnswers.set(k, answers[i]!));
        }
        let decision = decideWrite(this.facts(), this.host);
        if (!decision.ok && decision.needsClusterIps) {
            const [addresses] = await this.exchange([{ kind: "command", mode, command: commands.addresses }]);
            decision = decideWrite(this.facts(), this.host, parseClusterIps(addresses!));
        }
        this.decision = decision;
        this.logNode(decision);
        return decision;
    }

    /** Once per session: a node that may not be configured says so in the log, also when only read. */
    private logNode(decision: WriteDecision): void {
        if (decision.ok || this.nodeLogged) return;
        this.nodeLogged = true;
        this.log(`adc ${this.host}: reading ${decision.node}; configuration is refused here`);
    }

    /** After the exchange that brought the facts: what the node is, logged before anything else is done with it. */
    private noteFacts(): void {
        if (this.decision !== undefined || this.nodeLogged || !FACT_KEYS.every((k) => this.factAnswers.has(k))) return;
        const decision = decideWrite(this.facts(), this.host);
        // A cluster node is known only once its cluster IPs are read, which only a write asks for.
        if (!decision.ok && decision.needsClusterIps) return;
        this.decision = decision;
        this.logNode(decision);
    }

    private facts(): NodeFacts {
        const answer = (k: FactKey): NodeAnswer => this.factAnswers.get(k) ?? { output: "", failure: "(not read)" };
        return {
            ha: parseHaNode(answer("ha")),
            cluster: parseClusterInstance(answer("cluster")),
            partitions: parsePartitions(answer("partitions")),
            prompt: (this.loginPrompt ?? this.prompt).trimEnd(),
        };
    }

    /**
     * Refuses a write on a node that must not be written (the resources ask first; this is the
     * backstop). Once the node is known writable there is nothing to wait for (undefined): a
     * caller that then does not await writes its lines in the same turn, before its own caller
     * goes on (an await, even of nothing, would let that run first).
     */
    private guardWrite(): Promise<void> | undefined {
        if (this.decision?.ok === true) return undefined;
        return this.ensureWritable().then(() => undefined);
    }

    /** Runs one nscli command; returns its output without echo, ` Done` or prompt. Throws AdcCommandError on `ERROR:`. */
    async cli(command: string): Promise<string> {
        this.checkCommand(command);
        if (!/^\s*(?:sh|sho|show)\s/i.test(command)) await this.guardWrite();
        const [answer] = await this.exchange([{ kind: "command", mode: "cli", command }]);
        if (answer.failure !== undefined) throw this.commandError(command, answer.failure, "cli");
        return answer.output;
    }

    /** Runs one vtysh show command (`show ...` or `sh ...`); returns its output without echo or prompt. */
    async vtyshShow(command: string): Promise<string> {
        const [answer] = await this.vtyshShows([command]);
        if (answer.failure !== undefined) throw this.commandError(command, answer.failure, "vtysh");
        return answer.output;
    }

    /**
     * Runs vtysh show commands in one pipelined exchange, and nscli commands before them if
     * given (`cli`), returning each answer: its output, or the failure lines the device printed.
     */
    async vtyshShows(commands: readonly string[], cli: readonly string[] = []): Promise<ShowAnswer[]> {
        for (const c of cli) this.checkCommand(c);
        for (const c of commands) this.checkShow(c);
        return this.exchange([...cli.map((command): Step => ({ kind: "command", mode: "cli", command })), ...commands.map((command): Step => ({ kind: "command", mode: "vtysh", command }))]);
    }

    /**
     * Applies configuration lines, pipelined: enters `configure terminal`, sends every line with
     * the `router bgp <asn>` / `exit` context changes their contexts call for, leaves with `end`,
     * then runs the `then` show commands in the same stream (so that reading the result costs no
     * round trip of its own), and returns their answers. Reads one answer per line by counting
     * prompts. The first line the device rejects (a failure indicator in its answer, or a prompt
     * of the wrong mode) becomes an AdcCommandError naming it, with the lines accepted before and
     * after it. Sends nothing when `lines` is empty (the shows still run if given).
     */
    async configure(lines: readonly ConfigLine[], then: readonly string[] = [], first: readonly string[] = []): Promise<ShowAnswer[]> {
        for (const c of [...first, ...then]) this.checkShow(c);
        const show = (command: string): Step => ({ kind: "command", mode: "vtysh", command });
        const shows = [...first.map(show), ...then.map(show)];
        if (lines.length === 0) return shows.length > 0 ? this.exchange(shows) : [];
        for (const line of lines) this.checkLine(line);
        await this.guardWrite();
        const count = lines.length;
        this.log(`adc ${this.host}: applying ${count} configuration line${count === 1 ? "" : "s"}`);
        return this.exchange([...first.map(show), { kind: "config", lines }, ...then.map(show)]);
    }

    /**
     * Persists the configuration: `write` (or `write memory`) in vtysh, then `save ns config`,
     * in one exchange (a second only if `write` is refused).
     */
    async save(then: readonly string[] = []): Promise<ShowAnswer[]> {
        for (const c of then) this.checkShow(c);
        // After the lines the node is known writable: the save is written before this call
        // returns, so a caller that goes on to parse a read-back does so while the device saves.
        const guarding = this.guardWrite();
        if (guarding) await guarding;
        const { vtysh, cli } = this.platform.platform.save;
        let failure: string | undefined;
        for (const command of vtysh) {
            const [written, saved, ...shows] = await this.exchange([
                { kind: "command", mode: "vtysh", command },
                { kind: "command", mode: "cli", command: cli },
                ...then.map((show): Step => ({ kind: "command", mode: "vtysh", command: show })),
            ]);
            failure = written.failure;
            if (saved.failure !== undefined && failure === undefined) throw this.commandError(cli, saved.failure, "cli");
            if (failure === undefined) return shows;
        }
        throw this.commandError(vtysh.join(" / "), failure as string, "vtysh");
    }

    /**
     * Ends the session. Never throws. With `untilEnded`, resolves once the connection has closed
     * (waiting {@link END_WAIT_MS} at most): a device that caps its sessions has let this one go.
     */
    async close(untilEnded = false): Promise<void> {
        if (!this.closed) {
            this.closed = true;
            this.channel.close();
            this.shell.close();
        }
        if (!untilEnded || this.shell.ended === undefined) return;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([this.shell.ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, END_WAIT_MS)))]);
        clearTimeout(timer);
    }

    /** Moves to `target` (the on-open commands of the modes passed go out on the way). */
    async enterMode(target: ModeName): Promise<void> {
        if (this.mode !== target) await this.exchange([], target);
    }

    /**
     * Runs the steps as one pipelined exchange: the moves along the mode graph each step needs
     * (from the mode the previous one leaves the device in), the on-open commands of modes
     * entered for the first time, the steps' lines; then judges every answer in order. A
     * move that lands elsewhere, or a rejected configuration line, throws; a command's failure
     * is returned in its answer. `finalMode`: where to be afterwards (default: where the last
     * step leaves the device).
     */
    private async exchange(steps: readonly Step[], finalMode?: ModeName): Promise<CommandAnswer[]> {
        const items = this.planExchange(steps, finalMode);
        if (items.length === 0) return [];
        if (this.channel.closed) throw new AdcDisconnectedError(this.host, items[0].label);
        this.exchangeCount++;
        const configItems = items.filter((i) => i.role.kind === "config" && i.role.lineLabel !== undefined).length;
        this.configLines += configItems;
        let first: BatchReply[] = [];
        let rest = items;
        if (this.channel.nudged) {
            // The empty line sent to provoke the first prompt may have a prompt of its own still
            // coming: the first line goes alone, read by the reader that skips stray prompts.
            this.channel.nudged = false;
            const reply = await this.channel.send(items[0].text, items[0].label, this.mode, items[0].accept);
            first = [{ output: reply.output, mode: reply.mode }];
            this.notePrompt(reply.mode, reply.prompt);
            rest = items.slice(1);
        }
        const replies = [
            ...first,
            ...(await this.channel.sendBatch(
                rest,
                (complete, pending) => {
                    const all = [...first, ...complete];
                    this.trackMode(all);
                    return new AdcDisconnectedError(this.host, rest[pending].label, this.acceptedLabels(items.slice(0, all.length), all));
                },
                { windowBytes: this.windowBytes },
            )),
        ];
        this.trackMode(replies);
        try {
            return this.judge(items, replies);
        } finally {
            this.noteFacts();
        }
    }

    /** The items of an exchange: moves, on-open commands, and the steps' own lines. */
    private planExchange(steps: readonly Step[], finalMode?: ModeName): PlannedItem[] {
        const items: PlannedItem[] = [];
        let at = this.mode;
        const prelude = (mode: ModeName): void => {
            if (this.preludeSent.has(mode)) return;
            this.preludeSent.add(mode);
            for (const c of this.platform.platform.onOpen.filter((o) => o.mode === mode)) {
                items.push({ text: c.command, label: c.command, accept: [mode], role: { kind: "prelude", mode, required: c.required } });
            }
            const facts = this.platform.platform.nodeFacts;
            if (mode === facts.mode && !this.factsRequested) {
                // Asked with the first exchange, so that knowing the node costs no round trip.
                this.factsRequested = true;
                for (const fact of FACT_KEYS) {
                    items.push({ text: facts.commands[fact], label: facts.commands[fact], accept: [mode], role: { kind: "fact", fact } });
                }
            }
        };
        const walkTo = (target: ModeName, withPrelude = true): void => {
            if (at !== target) {
                const walk = this.platform.path(at, target);
                if (!walk || walk.length === 0) throw new AdcModeError(this.host, at, target, this.prompt);
                for (const edge of walk) items.push({ text: edge.command, label: edge.command, role: { kind: "move", from: edge.from, to: edge.to } });
                at = target;
            }
            if (withPrelude) prelude(target);
        };
        if (steps.length > 0 || (finalMode !== undefined && finalMode !== at)) prelude(at);
        steps.forEach((step, index) => {
            if (step.kind === "command") {
                walkTo(step.mode);
                items.push({ text: step.command, label: step.command, accept: [step.mode], role: { kind: "command", mode: step.mode, step: index } });
                return;
            }
            walkTo(this.platform.platform.configuration.mode, false);
            const batch = this.planBatch(step.lines);
            items.push(...batch);
            at = this.platform.platform.configuration.mode;
            // Leaving the last `router bgp` block: `end` goes straight to vtysh exec mode.
            const last = batch[batch.length - 1];
            if (last !== undefined && last.text === this.platform.platform.configuration.routerBgpLeave && "exactly" in last.role.expect) {
                items.pop();
                at = this.platform.platform.configuration.routerBgpMode;
            }
            walkTo("vtysh", false);
        });
        if (finalMode !== undefined) walkTo(finalMode);
        return items;
    }

    /** Judges every answer in order: the first failed move or configuration line throws. */
    private judge(items: readonly PlannedItem[], replies: readonly BatchReply[]): CommandAnswer[] {
        const answers: CommandAnswer[] = [];
        const configItems: ConfigItem[] = [];
        const configReplies: BatchReply[] = [];
        const flushConfig = (): void => {
            if (configItems.length > 0) this.judgeConfig(configItems, configReplies);
            configItems.length = 0;
            configReplies.length = 0;
        };
        items.forEach((item, i) => {
            const reply = replies[i];
            const role = item.role;
            if (role.kind === "config") {
                configItems.push(item as ConfigItem);
                configReplies.push(reply);
                return;
            }
            flushConfig();
            switch (role.kind) {
                case "move": {
                    const failure = this.failureAnswer(reply, role.from);
                    if (failure !== undefined) throw this.commandError(item.text, failure, role.from);
                    if (reply.mode !== role.to) throw new AdcModeError(this.host, reply.mode, role.to, this.prompt);
                    return;
                }
                case "prelude": {
                    const failure = this.failureAnswer(reply, role.mode);
                    if (failure !== undefined && role.required) throw this.commandError(item.text, failure, role.mode);
                    return;
                }
                case "fact": {
                    const mode = this.platform.platform.nodeFacts.mode;
                    const failure = this.failureAnswer(reply, mode);
                    const output = stripSuccessMarker(reply.output, this.platform.platform.successMarker);
                    this.factAnswers.set(role.fact, failure === undefined ? { output } : { output, failure });
                    return;
                }
                case "command": {
                    if (reply.mode !== role.mode) throw new AdcModeError(this.host, reply.mode, role.mode, this.prompt);
                    const failure = this.failureAnswer(reply, role.mode);
                    const output = role.mode === "cli" ? stripSuccessMarker(reply.output, this.platform.platform.successMarker) : reply.output;
                    answers.push(failure === undefined ? { output, mode: reply.mode } : { output, failure, mode: reply.mode });
                }
            }
        });
        flushConfig();
        return answers;
    }

    /** The first configuration line the device rejected, as an AdcCommandError with what it accepted around it. */
    private judgeConfig(items: readonly ConfigItem[], replies: readonly BatchReply[]): void {
        const failed = replies.findIndex((r, i) => this.itemFailed(items[i], r));
        if (failed < 0) return;
        const reply = replies[failed];
        const item = items[failed];
        const answer = this.itemAnswer(item, reply);
        const before = this.acceptedLabels(items.slice(0, failed), replies.slice(0, failed));
        const after = this.acceptedLabels(items.slice(failed + 1), replies.slice(failed + 1));
        const sentAfter = items.slice(failed + 1).filter((i) => i.role.lineLabel !== undefined).length;
        let fix = this.platform.fixFor(answer, "vtysh", item.text);
        if (sentAfter > 0) {
            fix += `. The ${sentAfter} line${sentAfter === 1 ? "" : "s"} after it went out in the same batch and the device accepted ${after.length}: run \`pulumi refresh\` to read what it now holds`;
        }
        throw new AdcCommandError(this.host, this.redactor.redact(item.label), this.redactor.redact(answer), fix, before, after);
    }

    private notePrompt(mode: ModeName, prompt: string): void {
        this.mode = mode;
        this.prompt = prompt;
    }

    private trackMode(replies: readonly BatchReply[]): void {
        if (replies.length > 0) this.mode = replies[replies.length - 1].mode;
        if (this.channel.lastPrompt !== undefined) this.prompt = this.channel.lastPrompt;
    }

    /** The failure lines of an answer given in `mode`, or undefined if it succeeded. */
    private failureAnswer(reply: { output: string }, mode: ModeName): string | undefined {
        const dialect = this.platform.mode(mode).dialect;
        // A show's answer of thousands of lines is searched once, not split and tested line by line.
        if (!this.platform.mayHoldFailureLine(reply.output, dialect)) return undefined;
        const lines = reply.output.split("\n");
        const first = lines.findIndex((l) => this.platform.isFailureLine(l, dialect));
        if (first < 0) return undefined;
        return lines.slice(first).join("\n").trim();
    }

    private commandError(command: string, answer: string, mode: ModeName): AdcCommandError {
        const dialect: Dialect = this.platform.mode(mode).dialect;
        return new AdcCommandError(this.host, this.redactor.redact(command), this.redactor.redact(answer), this.platform.fixFor(answer, dialect));
    }

    private itemFailed(item: ConfigItem, reply: BatchReply): boolean {
        if (this.failureAnswer(reply, "config") !== undefined) return true;
        const { expect } = item.role;
        return "exactly" in expect ? reply.mode !== expect.exactly : !this.platform.isWithin(reply.mode, expect.within);
    }

    private itemAnswer(item: ConfigItem, reply: BatchReply): string {
        const failure = this.failureAnswer(reply, "config");
        if (failure !== undefined) return failure;
        const { expect } = item.role;
        const wanted = "exactly" in expect ? expect.exactly : expect.within;
        const text = reply.output === "" ? "" : `${reply.output}\n`;
        return `${text}(the device went to ${reply.mode} mode instead of ${wanted} mode)`;
    }

    /** Labels of the configuration lines among `items` whose answers were accepted. */
    private acceptedLabels(items: readonly PlannedItem[], replies: readonly BatchReply[]): string[] {
        const out: string[] = [];
        items.forEach((item, i) => {
            if (item.role.kind === "config" && item.role.lineLabel !== undefined && replies[i] !== undefined && !this.itemFailed(item as ConfigItem, replies[i])) {
                out.push(this.redactor.redact(item.role.lineLabel));
            }
        });
        return out;
    }

    /** Turns configuration lines into the batch: context changes plus the lines, each with the mode it must leave the device in. */
    private planBatch(lines: readonly ConfigLine[]): ConfigItem[] {
        const { configuration } = this.platform.platform;
        const items: ConfigItem[] = [];
        const config = (text: string, label: string, expect: ConfigItem["role"]["expect"], lineLabel?: string): ConfigItem => ({
            text,
            label,
            accept: VTYSH_CONFIG_MODES,
            role: { kind: "config", expect, lineLabel },
        });
        let block: number | undefined;
        let section: AddressFamily | undefined;
        const leaveSection = (): void => {
            if (section === undefined) return;
            const leaveAf = configuration.addressFamilyLeave;
            items.push(config(leaveAf, leaveAf, { exactly: configuration.routerBgpMode }));
            section = undefined;
        };
        const leave = (): void => {
            leaveSection();
            items.push(config(configuration.routerBgpLeave, configuration.routerBgpLeave, { exactly: configuration.mode }));
        };
        for (const line of lines) {
            this.redactor.addLine(line.text, line.redacted);
            const label = line.redacted ?? line.text;
            const asn = line.context === "global" ? undefined : line.context.routerBgp;
            const family = line.context === "global" ? undefined : line.context.addressFamily;
            let carriedByEnter = false;
            if (asn !== block) {
                if (block !== undefined) leave();
                if (asn !== undefined) {
                    const enter = configuration.routerBgpEnter.replace("{asn}", String(asn));
                    carriedByEnter = line.text === "";
                    items.push(config(enter, enter, { exactly: configuration.routerBgpMode }, carriedByEnter ? enter : undefined));
                }
                block = asn;
            } else if (line.text === "" && asn !== undefined) {
                // A bare `router bgp` line inside a block that is already open: nothing to send.
                continue;
            }
            if (carriedByEnter) continue;
            if (family !== section) {
                leaveSection();
                if (family !== undefined) {
                    const enter = configuration.addressFamilyEnter[family];
                    // The section's prompt is unconfirmed: any mode inside the block is taken, and
                    // the read that follows the batch shows whether the line landed in the section.
                    items.push(config(enter, enter, { within: configuration.routerBgpMode }));
                    section = family;
                }
            }
            items.push(config(line.text, label, { within: asn === undefined ? configuration.mode : configuration.routerBgpMode }, label));
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
            const family = line.context.addressFamily;
            if (family !== undefined && this.platform.platform.configuration.addressFamilyEnter[family] === undefined) bad(`the platform has no address family ${family}`);
            if (family !== undefined && line.text.trim() === "") bad("a line in an address family needs text");
            if (!Number.isInteger(asn) || asn < 1 || asn > 4294967295) bad(`router bgp ${asn} is not an AS number (1..4294967295)`);
        } else if (line.text.trim() === "") {
            bad("a global line needs text");
        }
        if (/^\s*(?:exit|end|quit)\s*$|^\s*conf(?:igure)?\b|^\s*router\s+bgp\b|^\s*(?:exit-)?address-family\b/i.test(line.text)) {
            bad("mode changes are generated from the lines' context, not sent as lines");
        }
    }

    private checkShow(command: string): void {
        this.checkCommand(command);
        if (!/^\s*(?:sh|sho|show)\s+\S/i.test(command)) {
            throw new AdcError(this.host, `vtyshShow only runs show commands, not ${JSON.stringify(this.redactor.redact(command))}`, "send configuration through configure()");
        }
    }

    private checkCommand(command: string): void {
        if (/[\x00-\x1f\x7f]/.test(command) || command.trim() === "") {
            throw new AdcError(this.host, `command ${JSON.stringify(this.redactor.redact(command))} cannot be sent: it is empty or contains a line break or control character`, "this is a bug in the caller; please report it");
        }
    }
}

/** Every vtysh mode a configuration line may leave the prompt in (a failed mode change included: judged afterwards). */
const VTYSH_CONFIG_MODES: readonly ModeName[] = ["vtysh", "config", "configRouter", "configRouterAf", "configOther"];

/** Removes nscli's ` Done` line when it is the last line of the output (and any blank lines after it). */
function stripSuccessMarker(output: string, marker: RegExp): string {
    const lines = output.split("\n");
    let last = lines.length - 1;
    while (last >= 0 && lines[last].trim() === "") last--;
    if (last >= 0 && marker.test(lines[last])) return lines.slice(0, last).join("\n");
    return output;
}
