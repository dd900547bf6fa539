import { createHash, timingSafeEqual } from "node:crypto";
import { AddressInfo, createServer, Server as NetServer, Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import { AuthContext, Connection, ParsedKey, Server as SshServer, ServerChannel, Session, utils } from "ssh2";
import { DeviceControl } from "./control";
import { loadHostKey } from "./hostKey";
import { createDevice } from "./model/createDevice";
import { Device, HaLink, SavedConfig } from "./model/device";
import { failover, NodeOptions, NodeState, updateNode } from "./model/node";
import { AuthMethod, LineMatch, SimulatorFaults, SimulatorOptions } from "./options";
import { DelayLine } from "./network/delayLine";
import { RoutingEngine } from "./routing/engine";
import { InMemoryRoutingEngine, SessionOverride } from "./routing/inMemoryEngine";
import { ModeName, Shell, ShellReply } from "./session/shell";
import { EchoMode, executeSafely, LineVerdict, Terminal, TerminalHooks } from "./session/terminal";

/** Counters a test reads with {@link Simulator.counters}. */
export interface SimulatorCounters {
    /** SSH connections accepted (including ones whose authentication then failed). */
    readonly connectionsAccepted: number;
    /** Lines received by shells and exec requests, in every mode. */
    readonly linesReceived: number;
    /**
     * Configuration commands received in vtysh configuration modes (`ns(config)#`,
     * `ns(config-router)#`), refused ones included; `exit`, `end`, show, `write` and blank lines
     * are not counted.
     */
    readonly configLinesReceived: number;
    /**
     * Times a shell got input while it had answered everything before: each is a round trip the
     * client waited for (its first command after the login prompt included).
     */
    readonly roundTrips: number;
    /** Input bytes dropped because a shell's input buffer (`inputBufferBytes`) was full. */
    readonly inputBytesDropped: number;
    /** Connections turned away at the session cap (`maxSessions`). */
    readonly sessionsRefused: number;
    /** The most TCP connections open at once. */
    readonly peakSessions: number;
    /** BGP sessions reset by configuration changes (a neighbor removed or its remote AS changed, the router removed or BGP switched off). */
    readonly bgpSessionsReset: number;
}

/** One received line, in order of arrival (see {@link Simulator.transcript}). */
export interface ReceivedLine {
    /** 1 for the first connection, 2 for the next... */
    readonly connection: number;
    readonly channel: "shell" | "exec";
    /** Mode the line was received in. */
    readonly mode: ModeName;
    readonly line: string;
}

const DEFAULT_AUTH_METHODS: readonly AuthMethod[] = ["keyboard-interactive", "password", "publickey"];

/**
 * A running NetScaler CLI simulator: an SSH server whose sessions behave like the appliance's
 * nscli and vtysh over one shared, simulated device.
 */
export class Simulator {
    /** Counters since start or the last {@link resetCounters}. */
    private stats = Simulator.zero();
    private received: ReceivedLine[] = [];
    private faults: SimulatorFaults;
    private latencyMs: number;
    private networkDelayMs: number;
    /** Connections past the session cap that may log in only to be told so. */
    private readonly overCap = new Set<string>();
    private readonly sockets = new Map<string, Socket>();
    private readonly connections = new Set<Connection>();
    private connectionSeq = 0;
    private closed = false;
    /** The device's session-reset count at the last {@link resetCounters}. */
    private resetsBase = 0;

    /** @internal use {@link startSimulator} */
    constructor(
        /** Address the server listens on. */
        readonly host: string,
        /** Port the server listens on. */
        readonly port: number,
        /** The host key's fingerprint, `SHA256:<base64 without padding>` (as `ssh-keygen -l` prints it). */
        readonly hostKeyFingerprint: string,
        /** The host key's type, e.g. `ssh-ed25519`. */
        readonly hostKeyAlgorithm: string,
        /** Run commands on the device directly, read its configuration (drift, assertions). */
        readonly device: DeviceControl,
        /** The routing engine the BGP configuration is applied to. */
        readonly routing: RoutingEngine,
        private readonly internals: {
            readonly device: Device;
            readonly net: NetServer;
            readonly ssh: SshServer;
        },
        options: SimulatorOptions,
    ) {
        this.faults = options.faults ?? {};
        this.latencyMs = options.replyLatencyMs ?? 0;
        this.networkDelayMs = options.networkDelayMs ?? 0;
    }

    private static zero(): { -readonly [K in Exclude<keyof SimulatorCounters, "bgpSessionsReset">]: number } {
        return { connectionsAccepted: 0, linesReceived: 0, configLinesReceived: 0, roundTrips: 0, inputBytesDropped: 0, sessionsRefused: 0, peakSessions: 0 };
    }

    /** Counters since start or the last {@link resetCounters}. */
    counters(): SimulatorCounters {
        return { ...this.stats, bgpSessionsReset: this.internals.device.sessionsReset - this.resetsBase };
    }

    /** Sets the counters to zero and empties the transcript. */
    resetCounters(): void {
        this.stats = { ...Simulator.zero(), peakSessions: this.sockets.size };
        this.resetsBase = this.internals.device.sessionsReset;
        this.received = [];
    }

    /** Every line received since start or the last {@link resetCounters}, passwords included (it is a test tool). */
    transcript(): readonly ReceivedLine[] {
        return [...this.received];
    }

    /** Replaces the active faults (`{}` switches all off). Applies to lines and logins from now on. */
    setFaults(faults: SimulatorFaults): void {
        this.faults = faults;
        this.internals.device.faults.bgpNotLicensed = faults.bgpNotLicensed === true;
    }

    /**
     * Reboots the appliance: every connection is cut, and the running configuration becomes the
     * saved one (features as of the last `save ns config`, ZebOS.conf as of the last `write`), so
     * whatever was not saved is gone.
     */
    async reboot(): Promise<void> {
        for (const socket of this.sockets.values()) socket.destroy();
        await this.internals.device.reboot();
    }

    /** Sets the network's one-way delay, in milliseconds, for bytes sent from now on (see `networkDelayMs`). */
    setNetworkDelay(ms: number): void {
        this.networkDelayMs = ms;
    }

    /**
     * Changes which node this is (only the fields given): HA role and peer, cluster membership,
     * partitions and the partition new sessions land in. Applies to answers from now on.
     */
    setNode(node: NodeOptions): void {
        updateNode(this.internals.device.node, node);
    }

    /** Swaps this node's HA role (primary becomes secondary and back), as `force ha failover` does to both nodes of a pair. */
    failover(): void {
        failover(this.internals.device.node);
    }

    /** @internal Makes this simulator one node of an HA pair with `peer` (see `startHaPair`). */
    linkHaPeer(peer: Simulator, settings: HaLink["settings"]): void {
        this.internals.device.haLink = { peer: peer.internals.device, settings };
    }

    /** The node as it is now: HA role, peer, cluster, partitions. */
    node(): Readonly<NodeState> {
        const n = this.internals.device.node;
        return { ...n, partitions: [...n.partitions] };
    }

    /** Sets the delay before each answer, in milliseconds. */
    setReplyLatency(ms: number): void {
        this.latencyMs = ms;
    }

    /** The saved configuration (`save ns config` / vtysh `write`), to compare with {@link DeviceControl.running}. */
    saved(): SavedConfig {
        return this.device.saved();
    }

    /**
     * Sets a neighbor's BGP session as the in-memory routing engine reports it, e.g.
     * `setSession("10.0.0.1", { state: "Established", prefixes: 1 })`. Throws when another engine
     * is in use (its state comes from a real daemon).
     */
    setSession(address: string, session: SessionOverride): void {
        this.inMemoryEngine().setSession(address, session);
    }

    /** Returns a neighbor's session to the engine's default state. */
    clearSession(address: string): void {
        this.inMemoryEngine().clearSession(address);
    }

    /**
     * The error of the routing engine's last `apply`, or undefined when it succeeded. The CLI keeps
     * answering when the engine fails (as an appliance's CLI does when bgpd has trouble), so a
     * test of a real-daemon engine should check this.
     */
    routingError(): unknown {
        return this.internals.device.lastRoutingError;
    }

    /** Number of SSH connections open now. */
    openConnections(): number {
        return this.connections.size;
    }

    /** Closes every connection and the listener, then the routing engine. Safe to call twice. */
    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        const { net } = this.internals;
        const listenerClosed = new Promise<void>((resolve) => net.close(() => resolve()));
        // Say goodbye over SSH first so clients see a clean disconnect, then cut what lingers.
        for (const conn of this.connections) conn.end();
        const deadline = Date.now() + 200;
        while (this.sockets.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        for (const socket of this.sockets.values()) socket.destroy();
        await listenerClosed;
        await this.routing.close();
    }

    private inMemoryEngine(): InMemoryRoutingEngine {
        if (!(this.routing instanceof InMemoryRoutingEngine)) throw new Error("setSession/clearSession need the in-memory routing engine; this simulator uses another one");
        return this.routing;
    }

    /** @internal */
    attach(options: SimulatorOptions): void {
        const { net, ssh } = this.internals;
        net.on("connection", (socket) => {
            if (this.closed) {
                socket.destroy();
                return;
            }
            const key = `${socket.remoteAddress}:${socket.remotePort}`;
            socket.on("error", () => undefined);
            const cap = options.maxSessions;
            const full = cap !== undefined && this.sockets.size >= cap;
            if (full) {
                this.stats.sessionsRefused++;
                if ((options.sessionLimitAnswer ?? "refuse") === "refuse") {
                    socket.destroy();
                    return;
                }
                this.overCap.add(key);
            }
            this.sockets.set(key, socket);
            this.stats.peakSessions = Math.max(this.stats.peakSessions, this.sockets.size);
            socket.once("close", () => {
                this.sockets.delete(key);
                this.overCap.delete(key);
            });
            // A CLI exchanges many small writes: without this, Nagle's algorithm and delayed
            // ACKs add ~40 ms to every reply.
            socket.setNoDelay(true);
            ssh.injectSocket(new DelayLine(socket, () => this.networkDelayMs) as unknown as Socket);
        });
        ssh.on("connection", (conn, info) => this.onConnection(conn, info.ip, info.port, options));
        ssh.on("error", () => undefined);
    }

    private onConnection(conn: Connection, ip: string, port: number, options: SimulatorOptions): void {
        const id = ++this.connectionSeq;
        this.stats.connectionsAccepted++;
        this.connections.add(conn);
        conn.on("close", () => this.connections.delete(conn));
        conn.on("error", () => undefined);
        const socket = this.sockets.get(`${ip}:${port}`);
        let lines = 0;
        let dropMatches = 0;
        const channels = new Set<() => void>();
        const dropConnection = () => {
            for (const stop of channels) stop();
            if (socket) socket.destroy();
            else conn.end();
        };
        const hooksBase = {
            latencyMs: () => this.latencyMs,
            lineReceived: (line: string, shell: Shell, channel: "shell" | "exec") => {
                lines++;
                const faults = this.faults;
                const limit = faults.dropAfterLines;
                if (limit !== undefined && lines >= limit) return { drop: true as const };
                if (faults.dropOnLine && matches(faults.dropOnLine, line) && ++dropMatches >= (faults.dropOnLine.occurrence ?? 1)) return { drop: true as const };
                this.stats.linesReceived++;
                this.received.push({ connection: id, channel, mode: shell.mode, line });
                if (faults.hangOnLine && matches(faults.hangOnLine, line)) return { drop: false as const, hang: true };
                const rule = faults.errorReplies?.find((r) => matches(r, line));
                return rule ? { drop: false as const, errorReply: rule.reply } : { drop: false as const };
            },
            lineAnswered: (_line: string, reply: ShellReply) => {
                if (reply.configCommand) this.stats.configLinesReceived++;
            },
        };

        conn.on("authentication", (ctx) => this.authenticate(ctx, options));
        conn.on("ready", () => {
            conn.on("session", (acceptSession) => {
                const session: Session = acceptSession();
                session.on("pty", (accept) => accept?.());
                session.on("window-change", (accept) => accept?.());
                session.on("env", (accept) => accept?.());
                session.on("subsystem", (_accept, reject) => reject?.());
                session.on("shell", (accept) => {
                    const stream = accept();
                    if (this.overCap.has(`${ip}:${port}`)) {
                        writeSafely(stream, `${options.sessionLimitError ?? "ERROR: Too many sessions"}\r\n`);
                        endChannel(stream);
                        return;
                    }
                    const shell = new Shell(this.internals.device);
                    const hooks: TerminalHooks = {
                        echo: options.echo ?? "line",
                        latencyMs: hooksBase.latencyMs,
                        lineReceived: (line, sh) => hooksBase.lineReceived(line, sh, "shell"),
                        lineAnswered: hooksBase.lineAnswered,
                        write: (data) => writeSafely(stream, data),
                        waited: () => this.stats.roundTrips++,
                        dropped: (count) => (this.stats.inputBytesDropped += count),
                        end: () => endChannel(stream),
                        drop: dropConnection,
                    };
                    const terminal = new Terminal(shell, hooks, options.inputBufferBytes);
                    const stop = () => terminal.stop();
                    channels.add(stop);
                    stream.on("close", () => {
                        channels.delete(stop);
                        terminal.stop();
                    });
                    stream.on("error", () => terminal.stop());
                    // One decoder per stream: a character split between two packets is one character, not two halves.
                    const decoder = new StringDecoder("utf8");
                    stream.on("data", (data: Buffer) => terminal.feed(decoder.write(data)));
                    terminal.start(options.banner ?? [`Last login: ${lastLoginDate(new Date())} from ${ip}`]);
                });
                session.on("exec", (accept, _reject, info) => {
                    const stream = accept();
                    void this.runExec(stream, info.command, hooksBase, dropConnection);
                });
            });
        });
    }

    private async runExec(
        stream: ServerChannel,
        command: string,
        hooks: {
            latencyMs(): number;
            lineReceived(line: string, shell: Shell, channel: "exec"): LineVerdict;
            lineAnswered(line: string, reply: ShellReply): void;
        },
        drop: () => void,
    ): Promise<void> {
        const shell = new Shell(this.internals.device);
        const verdict = hooks.lineReceived(command, shell, "exec");
        if (verdict.drop) return drop();
        if (verdict.hang) return;
        const latency = hooks.latencyMs();
        if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
        const reply: ShellReply =
            verdict.errorReply !== undefined ? { lines: [verdict.errorReply], close: false, failed: true, configCommand: false } : await executeSafely(shell, command);
        hooks.lineAnswered(command, reply);
        // A question (`force ha failover` without -force) is printed and left unanswered: the command does nothing.
        const question = shell.mode === "confirm" ? shell.prompt() : "";
        writeSafely(stream, reply.lines.map((l) => `${l}\r\n`).join("") + question);
        // The appliance's exit status on ERROR is unconfirmed; 0 always, so clients parse the text.
        endChannel(stream);
    }

    private authenticate(ctx: AuthContext, options: SimulatorOptions): void {
        const methods = [...(options.authMethods ?? DEFAULT_AUTH_METHODS)];
        const users = options.users ?? [{ username: "nsroot", password: "nsroot" }];
        const user = users.find((u) => u.username === ctx.username);
        const refuse = () => ctx.reject(methods);
        if (this.faults.refuseAuth || !methods.includes(ctx.method as AuthMethod)) return refuse();
        switch (ctx.method) {
            case "password":
                return user?.password !== undefined && sameSecret(ctx.password, user.password) ? ctx.accept() : refuse();
            case "keyboard-interactive":
                return ctx.prompt([{ prompt: "Password: ", echo: false }], "", "", (answers) => {
                    const answer = Array.isArray(answers) ? answers[0] : undefined;
                    if (user?.password !== undefined && answer !== undefined && sameSecret(answer, user.password)) ctx.accept();
                    else refuse();
                });
            case "publickey": {
                const key = (user?.authorizedKeys ?? []).map(parsePublicKey).find((k) => k.getPublicSSH().equals(ctx.key.data));
                if (!key) return refuse();
                if (!ctx.signature) return ctx.accept(); // the client asks whether this key would do
                return key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : refuse();
            }
            default:
                return refuse();
        }
    }
}

/**
 * Starts a simulator. Defaults are those of a fresh appliance: login `nsroot`/`nsroot`, BGP
 * feature off, empty ZebOS configuration, interface `vlan0` at 10.102.33.208/24, listening on a
 * free port of 127.0.0.1.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
    const hostKey = loadHostKey(options.hostKey, options.hostKeyPath);
    for (const u of options.users ?? []) for (const k of u.authorizedKeys ?? []) parsePublicKey(k);
    const device = await createDevice(options);
    const routing = device.engine;

    const ssh = new SshServer({ hostKeys: [hostKey.privateKey], ident: "OpenSSH_8.8" });
    const net = createServer();
    await new Promise<void>((resolve, reject) => {
        net.once("error", reject);
        net.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
            net.off("error", reject);
            resolve();
        });
    });
    const address = net.address() as AddressInfo;
    const sim = new Simulator(address.address, address.port, hostKey.fingerprint, hostKey.algorithm, new DeviceControl(device), routing, { device, net, ssh }, options);
    sim.attach(options);
    return sim;
}

function parsePublicKey(text: string): ParsedKey {
    const parsed = utils.parseKey(text);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || key instanceof Error) throw new Error(`users[].authorizedKeys: cannot read key "${text.slice(0, 40)}...": ${key instanceof Error ? key.message : "empty"}`);
    return key;
}

/** Compares secrets in constant time (over digests, so lengths do not leak either). */
function sameSecret(given: string, expected: string): boolean {
    const digest = (s: string) => createHash("sha256").update(s).digest();
    return timingSafeEqual(digest(given), digest(expected));
}

function matches(rule: LineMatch, line: string): boolean {
    return typeof rule.match === "string" ? line.includes(rule.match) : rule.match.test(line);
}

function writeSafely(stream: ServerChannel, data: string): void {
    if (data && stream.writable) stream.write(data);
}

function endChannel(stream: ServerChannel): void {
    if (!stream.writable) return;
    stream.exit(0);
    stream.end();
}

/** `Tue Nov 25 16:13:02 2025`, the form sshd prints after `Last login:`. */
function lastLoginDate(d: Date): string {
    const [wd, mon, day, year, time] = d.toString().split(" ");
    return `${wd} ${mon} ${String(Number(day)).padStart(2, " ")} ${time} ${year}`;
}

export type { EchoMode };
