import { EchoMode } from "./session/terminal";
import { RoutingEngine } from "./routing/engine";
import type { NodeOptions } from "./model/node";

export type { HaRole, NodeOptions } from "./model/node";

/** SSH authentication methods the simulator can offer. */
export type AuthMethod = "password" | "keyboard-interactive" | "publickey";

/** A login account of the simulated appliance. */
export interface SimulatorUser {
    readonly username: string;
    /** Accepted over `password` and `keyboard-interactive`. Omit for key-only users. */
    readonly password?: string;
    /** Public keys accepted over `publickey`, as `authorized_keys` lines (`ssh-ed25519 AAAA... comment`) or PEM/OpenSSH public keys. */
    readonly authorizedKeys?: readonly string[];
}

/** Which received lines a fault applies to. */
export interface LineMatch {
    /** A substring (case-sensitive) or a regular expression tested against the received line. */
    readonly match: string | RegExp;
}

/** An answer a test forces for lines matching `match` (instead of running them). */
export interface ErrorReply extends LineMatch {
    /** Printed verbatim as the device's answer, e.g. `ERROR: Connection limit reached` or `% Not ready`. */
    readonly reply: string;
}

/** Failures a test can switch on (at start, or later with `setFaults`). */
export interface SimulatorFaults {
    /** Every authentication attempt fails. */
    readonly refuseAuth?: boolean;
    /**
     * Each connection is cut (socket destroyed, no SSH goodbye) when its N-th line arrives; that
     * line is neither run nor answered. Lines of exec requests count too.
     */
    readonly dropAfterLines?: number;
    /**
     * Each connection is cut (as with `dropAfterLines`) when the `occurrence`-th line matching
     * `match` arrives (default: the first), e.g. `{ match: /^write/ }` for a save cut off, or the
     * second `show running-config` for a read-back after an apply.
     */
    readonly dropOnLine?: LineMatch & { readonly occurrence?: number };
    /**
     * The device stops answering, with the connection left open, when a line matching `match`
     * arrives: that line and every later one of the connection get no answer (a hung CLI).
     */
    readonly hangOnLine?: LineMatch;
    /** Lines answered with a given error text instead of being run. The first matching rule wins. */
    readonly errorReplies?: readonly ErrorReply[];
    /** `enable ns feature BGP` fails with `ERROR: Feature(s) not licensed` (wording assumed). */
    readonly bgpNotLicensed?: boolean;
}

/** The configuration the appliance starts with (and that counts as saved). */
export interface InitialConfig {
    /**
     * Features that are on, by acronym (`BGP`, `LB`, ...). Default: the fresh-appliance set, which
     * has BGP off.
     */
    readonly enabledFeatures?: readonly string[];
    /** nscli lines run once at start, e.g. `enable ns feature BGP`. Each must succeed. */
    readonly nscli?: readonly string[];
    /**
     * ZebOS configuration replayed through the simulator's own vtysh as a configuration file
     * (for example the text of `show running-config`): `!`, `end`, `log ...` and interface blocks
     * are skipped, an unindented `router bgp N` opens the block its indented lines belong to.
     * Loading does not need the BGP feature (ZebOS.conf exists whether or not bgpd runs).
     */
    readonly zebos?: string | readonly string[];
}

/**
 * The unconfirmed parts of nscli's HA commands (`force ha failover`, `force ha sync`,
 * `sync ha files`): no public transcript shows their prompts or errors.
 */
export interface HaCliOptions {
    /**
     * The question `force ha failover` asks before it acts (the command takes `-force` to skip
     * it); the answer `y` or `yes` goes ahead, anything else cancels. `null` asks nothing.
     * Default `Please confirm whether you want force-failover (Y/N)? [N]: `.
     */
    readonly failoverPrompt?: string | null;
    /** Whether the secondary takes `force ha failover` too (the sync commands it never takes). Default false. */
    readonly failoverOnSecondary?: boolean;
    /** Error (after `ERROR: `) of an HA command the secondary does not take. Default `Operation not permitted on secondary`. */
    readonly secondaryError?: string;
    /** Error (after `ERROR: `) of an HA command on a node that is not one of a pair. Default `HA is not configured`. */
    readonly standaloneError?: string;
}

/** Options of {@link startSimulator}. Every option has a default like a fresh appliance. */
export interface SimulatorOptions {
    /** Address to listen on. Default `127.0.0.1`. */
    readonly host?: string;
    /** Port; 0 picks a free one. Default 0. */
    readonly port?: number;
    /** Accounts. Default `[{ username: "nsroot", password: "nsroot" }]`. */
    readonly users?: readonly SimulatorUser[];
    /**
     * Authentication methods offered, in order. Default
     * `["keyboard-interactive", "password", "publickey"]` (a VPX asks with keyboard-interactive).
     */
    readonly authMethods?: readonly AuthMethod[];
    /** Host private key (OpenSSH, PEM PKCS#1/SEC1, or RSA/EC PKCS#8). Default: see `hostKeyPath`. */
    readonly hostKey?: string | Buffer;
    /**
     * File holding the generated host key, created on first start (ed25519, mode 0600) and reused
     * after, so the fingerprint survives restarts. Default: none, a new key per start that is never
     * written anywhere. The command line uses `defaultHostKeyPath()`
     * (`~/.cache/pulumi-calico-adc/simulator/ssh_host_ed25519_key`, honours `XDG_CACHE_HOME`).
     */
    readonly hostKeyPath?: string;
    /**
     * Lines printed after login, before the first prompt. Default one `Last login: <date> from <ip>`
     * line; `[]` prints none.
     */
    readonly banner?: readonly string[];
    /** How typed input is echoed in shell sessions. Default `line`. */
    readonly echo?: EchoMode;
    /** Delay before each answer, in milliseconds. Default 0. */
    readonly replyLatencyMs?: number;
    /**
     * The network between client and device: every byte, in each direction, arrives this many
     * milliseconds after it was sent (the round-trip time is twice this). Unlike
     * `replyLatencyMs` (the device's time per line), pipelined lines and parallel connections
     * overlap on it as on a real link. Default 0.
     */
    readonly networkDelayMs?: number;
    /**
     * Concurrent SSH sessions the appliance accepts (counted as open TCP connections, the
     * management plane's limit). Default: no limit.
     */
    readonly maxSessions?: number;
    /**
     * What a connection past `maxSessions` gets (unconfirmed on an appliance): `refuse` closes
     * it before the SSH handshake (what sshd's MaxStartups does); `error` lets it log in, prints
     * `sessionLimitError` and closes the shell. Default `refuse`.
     */
    readonly sessionLimitAnswer?: "refuse" | "error";
    /** Printed past the session cap with `sessionLimitAnswer: "error"` (wording unconfirmed). Default `ERROR: Too many sessions`. */
    readonly sessionLimitError?: string;
    /**
     * Bytes of typed input a shell holds while it works through earlier lines; what arrives
     * beyond is dropped, as by a terminal whose input buffer is full (counted in
     * `inputBytesDropped`). Whether an appliance drops or pushes back is unconfirmed. Default:
     * no limit.
     */
    readonly inputBufferBytes?: number;
    readonly faults?: SimulatorFaults;
    /** The configuration the appliance boots with. */
    readonly initialConfig?: InitialConfig;
    /** The appliance's own interface address with prefix. Default `10.102.33.208/24` (the seed transcript's). */
    readonly interfaceAddress?: string;
    /** Name of that interface in vtysh. Default `vlan0`. */
    readonly interfaceName?: string;
    /** IPv6 link-local address shown on that interface. Default `fe80::2cf6:beff:fe94:9f63`. */
    readonly linkLocalAddress?: string;
    /** Default gateway in `show route`. Default: the first host of the interface's subnet. */
    readonly defaultGateway?: string;
    /** Host part of vtysh prompts (`ns#`). Default `ns`. */
    readonly hostname?: string;
    /** nscli prompt without its trailing space. Default `>`. */
    readonly cliPrompt?: string;
    /**
     * max-paths a `router bgp` has unless configured otherwise, displayed in `show running-config`
     * as `max-paths ebgp N` / `max-paths ibgp N`; `null` for no default (lines shown only when
     * configured). Default 8: the only NetScaler sample shows both lines although its author never
     * typed them, so they are treated as displayed defaults (unconfirmed). `no max-paths ebgp`
     * returns to the default, so with a default the lines never disappear.
     */
    readonly defaultMaxPaths?: number | null;
    /** How `show running-config` prints neighbor passwords. Default `clear` (ZebOS does). */
    readonly passwordDisplay?: "clear" | "encrypted";
    /**
     * How `show running-config` prints the ` address-family ipv6` section that holds IPv6
     * unicast activation (`neighbor X activate`): after an inner ` !` (`innerSeparator`) and
     * ended by ` exit-address-family` (`exitLine`), its lines as deep as its head, as ZebOS on F5
     * prints it. Both are unconfirmed on NetScaler. Default both true.
     */
    readonly ipv6Section?: { readonly innerSeparator?: boolean; readonly exitLine?: boolean };
    /** Whether vtysh takes `ns route-install ipv6 bgp` (unconfirmed spelling of the IPv6 variant). Default true. */
    readonly ipv6RouteInstallSupport?: boolean;
    /**
     * The vtysh command that lists IPv6 unicast sessions (unconfirmed on NetScaler; Quagga's and
     * ZebOS's `show bgp ipv6 summary`). Other spellings are unknown commands. Default
     * `show bgp ipv6 summary`.
     */
    readonly ipv6SummaryCommand?: string;
    /** `Type` column of BGP routes in nscli `show route` (unconfirmed). Default `BGP`. */
    readonly bgpRouteTypeLabel?: string;
    /** nscli error text for an unknown command (after `ERROR: `). Default `No such command`. */
    readonly unknownCommandError?: string;
    /**
     * vtysh answer to `router bgp` while the BGP feature is off (unconfirmed: bgpd does not run
     * then). Default `% BGP is not enabled`.
     */
    readonly bgpNotEnabledError?: string;
    /** Whether `save ns config` also saves ZebOS.conf (unconfirmed). Default false: only vtysh `write` does. */
    readonly saveConfigIncludesZebos?: boolean;
    /**
     * Whether a line unknown in `ns(config-router)#` is tried in `ns(config)#` (moving there), as
     * Quagga's vtysh does. Default false, so a client that loses track of its mode is caught.
     */
    readonly parentModeFallback?: boolean;
    /**
     * Whether vtysh takes `ip prefix-list ...` and `neighbor X prefix-list NAME in|out` (Quagga's
     * syntax; a NetScaler user's configuration shows `ip prefix-list ... seq N permit|deny`, the
     * neighbor form is unconfirmed). Without it they are unknown commands. Default true.
     */
    readonly prefixListSupport?: boolean;
    /**
     * Whether vtysh takes `ipv6 prefix-list ...` (global) and, under `address-family ipv6`,
     * `neighbor X prefix-list NAME in|out` (Quagga's and FRR's syntax; unconfirmed on NetScaler).
     * Without it they are unknown commands. Default true.
     */
    readonly ipv6PrefixListSupport?: boolean;
    /** Whether vtysh takes `neighbor X maximum-prefix N [threshold] [warning-only]` (unconfirmed on NetScaler). Default true. */
    readonly maximumPrefixSupport?: boolean;
    /**
     * Which node this is: HA role (`standalone`, `primary`, `secondary`) and the peer's address,
     * cluster membership and cluster IP, the admin partitions and the one sessions land in.
     * Default: a standalone node, no cluster, no partitions. Change it later with `sim.setNode`.
     */
    readonly node?: NodeOptions;
    /** How nscli's HA commands answer where the appliance's behaviour is unconfirmed. */
    readonly haCli?: HaCliOptions;
    /** The routing engine BGP configuration is applied to. Default an in-memory engine (`InMemoryRoutingEngine`). */
    readonly routing?: RoutingEngine;
}
