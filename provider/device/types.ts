/**
 * The contract between the resources and the device dialogue. The resources never see SSH,
 * prompts or modes: they ask for show output and hand over configuration lines.
 */

/** Resolved connection settings (defaults applied, secrets in plain text: never log or store this). */
export interface AdcConnection {
    readonly host: string;
    readonly port: number;
    readonly username: string;
    readonly password?: string;
    readonly privateKey?: string;
    readonly privateKeyPassphrase?: string;
    /** `SHA256:<base64, no padding>`; absent only when `insecureIgnoreHostKey` is true. */
    readonly hostKeyFingerprint?: string;
    readonly insecureIgnoreHostKey: boolean;
    readonly connectTimeoutMs: number;
    readonly commandTimeoutMs: number;
    readonly connectRetries: number;
    /**
     * Set when the ADC is an HA pair given by both nodes: each node's address and host key, in
     * the order given. `host`, `port` and `hostKeyFingerprint` are then those of the first node.
     */
    readonly pair?: readonly [AdcNodeAddress, AdcNodeAddress];
    /** For an HA pair: fail `up` when the secondary does not show the owned lines (default: warn). */
    readonly failOnSecondaryDifference?: boolean;
}

/** Where one node of an HA pair is reached, and the host key it presents. */
export interface AdcNodeAddress {
    readonly host: string;
    readonly port: number;
    /** `SHA256:<base64, no padding>`; absent only when `insecureIgnoreHostKey` is true. */
    readonly hostKeyFingerprint?: string;
}

/** An address family section under `router bgp`; the platform says how its head is spelt. */
export type AddressFamily = "ipv6";

/**
 * One line of vtysh configuration, relative to `configure terminal`. A line whose `context` is
 * `router bgp <asn>` is sent inside that block (the session sends `router bgp <asn>` when it
 * enters the block and `exit` when it leaves it, as part of the same pipelined batch); `global`
 * lines at `ns(config)#`. A `routerBgp` line with empty `text` only enters the block, which is
 * how a router without any setting is created: the session sends no line for it beyond
 * `router bgp <asn>` (and its `exit`). A line with an `addressFamily` is sent inside that
 * section of the block, which the session enters and leaves around it.
 */
export interface ConfigLine {
    readonly context: "global" | { readonly routerBgp: number; readonly addressFamily?: AddressFamily };
    /** The command, e.g. `neighbor 10.0.0.1 remote-as 64512` or `no neighbor 10.0.0.1`. */
    readonly text: string;
    /**
     * The same command with secrets replaced by `<redacted>`, for messages and logs. Absent when
     * the line carries no secret.
     */
    readonly redacted?: string;
}

/** The answer to one show command of a pipelined exchange. */
export interface ShowAnswer {
    /** The output without echo, ` Done` or prompt. */
    readonly output: string;
    /** The failure lines (`ERROR: ...`, `% ...`) when the device refused the command. */
    readonly failure?: string;
}

/** One open SSH session to the ADC, logged in and at the `>` prompt. */
export interface AdcSession {
    readonly host: string;
    /** Runs one nscli command (e.g. `show ns feature`), returns its output without echo, ` Done` or prompt. Throws AdcCommandError on `ERROR:`. */
    cli(command: string): Promise<string>;
    /** Runs one vtysh show command (e.g. `show running-config`), returns its output without echo or prompt. */
    vtyshShow(command: string): Promise<string>;
    /**
     * Runs nscli commands (`cli`) then vtysh show commands in one pipelined exchange (one round
     * trip for all), returning the answers in order, each with its failure if the device refused it.
     */
    vtyshShows(commands: readonly string[], cli?: readonly string[]): Promise<ShowAnswer[]>;
    /**
     * Applies configuration lines in vtysh config mode, pipelined (a window of lines in flight,
     * replies matched to lines by prompt count), then runs the `then` show commands in the same
     * stream and returns their answers; it ends at vtysh's `ns#`. Throws AdcCommandError naming
     * the first line the device rejected (`% ...`), with the lines it accepted before it. Sends
     * no configuration line when `lines` is empty. `first`: show commands run in the same
     * exchange right before the lines (a read as close to the write as the dialogue allows);
     * their answers come first.
     */
    configure(lines: readonly ConfigLine[], then?: readonly string[], first?: readonly string[]): Promise<ShowAnswer[]>;
    /**
     * Throws AdcNodeRoleError unless this node may be configured: the primary of an HA pair (or a
     * standalone node), a cluster reached on its cluster IP, the default admin partition. The
     * answers it needs travel with the session's first exchange, so after a read it costs no
     * round trip (one on a cluster node, for its cluster IPs). Returns what the node is.
     * `configure`, `save` and nscli commands other than `show` call it themselves.
     */
    ensureWritable(): Promise<string>;
    /** `write` in vtysh, then `save ns config` in the CLI; the `then` show commands (vtysh) follow in the same exchange, their answers returned. */
    save(then?: readonly string[]): Promise<ShowAnswer[]>;
    /**
     * Lines written to the device so far in this session (every mode), configuration lines among
     * them, and pipelined exchanges (each waits for the device's answers at least once).
     */
    readonly stats: { readonly linesSent: number; readonly configLinesSent: number; readonly exchanges: number };
    /**
     * Ends the session now (the function that opened it closes it in any case); never throws.
     * After a timeout, lines written and not answered are still in the device's input: closing
     * ends the shell that reads them. With `untilEnded`, resolves once the connection has closed,
     * so that a device at its session cap takes the next login.
     */
    close(untilEnded?: boolean): Promise<void>;
}

/** Opens a session, runs `fn`, always closes. Retries the connection (not `fn`) on transient failures. */
export type WithAdcSession = <T>(connection: AdcConnection, fn: (session: AdcSession) => Promise<T>) => Promise<T>;
