import * as pulumi from "@pulumi/pulumi";

/**
 * How to reach the ADC's management CLI over SSH.
 *
 * Pass `password` and `privateKey` as Pulumi secrets (`config.requireSecret(...)`); the resources
 * store the whole connection as a secret output either way, so credentials never land in the
 * state in plain text.
 */
export interface AdcConnectionArgs {
    /** Management address (NSIP) or host name of the ADC. Required unless `nodes` is given. */
    host?: pulumi.Input<string>;
    /** SSH port. Default: 22. */
    port?: pulumi.Input<number>;
    /**
     * For an HA pair: both nodes, each with its own management address and host key, instead of
     * `host`, `port` and `hostKeyFingerprint`. Changes go to whichever node is primary now (read
     * from `show ha node` on both nodes before anything is written); afterwards the secondary is
     * read and must show the same BGP lines. A node that cannot be reached leaves the work to the
     * other if it is primary (and is reported as unread); both nodes primary is refused.
     * Either key is accepted at either address, so a failover (or a shared management address
     * moving to the other node) is neither a new device nor an attack. The credentials are the
     * same for both nodes.
     */
    nodes?: pulumi.Input<[pulumi.Input<AdcNodeArgs>, pulumi.Input<AdcNodeArgs>]>;
    /**
     * For an HA pair: fail `pulumi up` when the secondary does not show the BGP lines applied on
     * the primary (what was applied is recorded either way). Default: false, a warning naming the
     * lines and what to run on the ADC.
     */
    failOnSecondaryDifference?: pulumi.Input<boolean>;
    /** Login user. Default: `nsroot`. */
    username?: pulumi.Input<string>;
    /** Password, for password or keyboard-interactive login. */
    password?: pulumi.Input<string>;
    /** Private key in OpenSSH or PEM format, for key login. */
    privateKey?: pulumi.Input<string>;
    /** Passphrase of `privateKey`, if it is encrypted. */
    privateKeyPassphrase?: pulumi.Input<string>;
    /**
     * The ADC's SSH host key fingerprint, `SHA256:<base64>` as printed by
     * `ssh-keygen -lf` or shown by `ssh` on first connection. Required unless
     * `insecureIgnoreHostKey` is set.
     */
    hostKeyFingerprint?: pulumi.Input<string>;
    /**
     * Skip host key verification. Anyone who can intercept the connection can then read the
     * password. Meant for labs and the bundled simulator only.
     */
    insecureIgnoreHostKey?: pulumi.Input<boolean>;
    /** How long to wait for the SSH handshake and login, in milliseconds. Default: 15000. */
    connectTimeoutMs?: pulumi.Input<number>;
    /** How long to wait for the device to answer one command, in milliseconds. Default: 30000. */
    commandTimeoutMs?: pulumi.Input<number>;
    /** How many times to retry a connection that fails before login (refused, reset, timed out). Default: 2. */
    connectRetries?: pulumi.Input<number>;
}

/** One node of an HA pair in {@link AdcConnectionArgs.nodes}. */
export interface AdcNodeArgs {
    /** The node's own management address (NSIP) or host name. */
    host: pulumi.Input<string>;
    /** SSH port. Default: 22. */
    port?: pulumi.Input<number>;
    /** The node's SSH host key fingerprint, `SHA256:<base64>` (see {@link AdcConnectionArgs.hostKeyFingerprint}). */
    hostKeyFingerprint?: pulumi.Input<string>;
}

/** One BGP neighbor on the ADC, as the user asks for it. */
export interface AdcBgpNeighborArgs {
    /** The neighbor's IPv4 or IPv6 address, usually a Kubernetes node's Calico BGP address. */
    address: pulumi.Input<string>;
    /** The neighbor's AS number (1..4294967295), e.g. the cluster's AS 64512. */
    remoteAsn: pulumi.Input<number>;
    /**
     * Free text shown in the ADC's running config after the resource's ownership mark
     * (`neighbor <ip> description pca:<token> <text>`); at most 67 characters, the device's 80 less the mark.
     */
    description?: pulumi.Input<string>;
    /** TCP MD5 password for the session (`neighbor <ip> password <pw>`). Pass as a secret. */
    password?: pulumi.Input<string>;
    /** Source interface name or address for the session (`neighbor <ip> update-source <src>`). */
    updateSource?: pulumi.Input<string>;
    /** Allow an eBGP neighbor that is not directly connected; the TTL (1..255). */
    ebgpMultihop?: pulumi.Input<number>;
}

/** Inputs of {@link AdcBgpRouter}. */
export interface AdcBgpRouterArgs {
    /** How to reach the ADC. */
    connection: pulumi.Input<AdcConnectionArgs>;
    /** The ADC's AS number: `router bgp <localAsn>`. Changing it replaces the router (delete first). */
    localAsn: pulumi.Input<number>;
    /** `bgp router-id <routerId>`. Default: the device chooses. */
    routerId?: pulumi.Input<string>;
    /** `max-paths ebgp <n>` / `max-paths ibgp <n>` (1..64). */
    maxPaths?: pulumi.Input<{ ebgp?: pulumi.Input<number>; ibgp?: pulumi.Input<number> }>;
    /** `ns route-install bgp`: install BGP-learned routes in the ADC's packet engine. Default: true. */
    routeInstall?: pulumi.Input<boolean>;
    /**
     * `ns route-install ipv6 bgp`: install IPv6 BGP-learned routes too (a command of its own on
     * NetScaler, whose exact text is unconfirmed: a device that refuses it fails the update,
     * naming the line and its answer). Default: false.
     */
    routeInstallIpv6?: pulumi.Input<boolean>;
    /** `redistribute kernel`: advertise VIP host routes to the neighbors. Default: false. */
    redistributeKernel?: pulumi.Input<boolean>;
    /**
     * `bgp graceful-restart`: the Kubernetes nodes keep the routes learned from the ADC while its
     * BGP restarts, as in an HA failover (NetScaler recommends it for HA pairs). Pair it with
     * Calico's `maxRestartTime` on the BGPPeer. Default: false.
     */
    gracefulRestart?: pulumi.Input<boolean>;
    /** Save the configuration (`write` in vtysh and `save ns config`) after each change. Default: true. */
    saveConfig?: pulumi.Input<boolean>;
    /**
     * Take over a `router bgp <localAsn>` that already exists on the device instead of failing.
     * Settings the router had before are left in place on delete. Default: false.
     */
    adoptExisting?: pulumi.Input<boolean>;
}

/** Inputs of {@link AdcBgpNeighbors}. */
export interface AdcBgpNeighborsArgs {
    /** How to reach the ADC. */
    connection: pulumi.Input<AdcConnectionArgs>;
    /** The `router bgp <localAsn>` the neighbors belong to. */
    localAsn: pulumi.Input<number>;
    /** The neighbors this resource owns. Neighbors not listed here are never touched. */
    neighbors: pulumi.Input<pulumi.Input<AdcBgpNeighborArgs>[]>;
    /** Save the configuration after each change. Default: true. */
    saveConfig?: pulumi.Input<boolean>;
    /**
     * Take over listed neighbors that already exist on the device (made by hand, or left by a
     * failed run) instead of failing. Default: false.
     */
    adoptExisting?: pulumi.Input<boolean>;
    /**
     * After applying, wait until every neighbor's session is Established, for at most this many
     * seconds; fail with each neighbor's state otherwise. Default: 0 (do not wait).
     */
    waitForEstablishedSeconds?: pulumi.Input<number>;
    /**
     * The inbound route filter on every neighbor of this resource: `ip prefix-list <name>` with
     * one permit entry per item (numbered 5, 10, ... in order; anything else is refused by the
     * list's implicit deny) and `neighbor <address> prefix-list <name> in`. The list is this
     * resource's: one of that name made by someone else is refused unless `adoptExisting`, and
     * it is removed on delete or when this is unset. A new neighbor gets it in the same batch,
     * on the line after its `remote-as`. IPv4 only (an IPv6 neighbor is refused while it is set).
     * Default (or null): none.
     */
    prefixFilter?: pulumi.Input<AdcPrefixFilterArgs | null>;
    /**
     * `neighbor <address> maximum-prefix <limit> [warning-only]` on every neighbor: above the
     * limit the device tears the session down (or, with `warningOnly`, only logs). Limits this
     * resource set are removed when this is unset. Default (or null): none.
     */
    maximumPrefix?: pulumi.Input<{ limit: pulumi.Input<number>; warningOnly?: pulumi.Input<boolean> } | null>;
}

/** An inbound prefix filter: see {@link AdcBgpNeighborsArgs.prefixFilter}. */
export interface AdcPrefixFilterArgs {
    /** The list's name on the ADC (1 to 63 letters, digits, `_ . : -`); say whose it is, e.g. `pca-<stack>-<name>-in`. */
    name: pulumi.Input<string>;
    /** The admitted ranges: an IPv4 CIDR in canonical form, and optionally the prefix lengths admitted (its length < ge <= le <= 32). */
    entries: pulumi.Input<pulumi.Input<{ prefix: pulumi.Input<string>; ge?: pulumi.Input<number>; le?: pulumi.Input<number> }>[]>;
}

/** A BGP session as the ADC reports it in `show ip bgp summary`. */
export interface BgpSessionState {
    /** The neighbor's address. */
    address: string;
    /** The neighbor's AS number as the device reports it. */
    remoteAsn: number;
    /** `Established`, `Active`, `Idle`, `Connect`, `OpenSent`, `OpenConfirm`, or `Idle (Admin)`. */
    state: string;
    /** Prefixes received, when Established; otherwise null. */
    prefixesReceived: number | null;
    /** The Up/Down column as printed by the device (`00:05:12`, `never`, `1d02h`). */
    upDown: string;
}

/** One neighbor as read back from the device's running config (passwords are never included). */
export interface AdcBgpNeighborState {
    address: string;
    /** A number; `external` / `internal` / `auto` on devices that print those; null when the device shows none (a peer-group member whose group has none). */
    remoteAsn: number | "external" | "internal" | "auto" | null;
    /** The peer group the neighbor is a member of, when it is one. */
    peerGroup?: string;
    description: string | null;
    /** Whether a password is configured (the value itself is not exposed). */
    hasPassword: boolean;
    updateSource: string | null;
    ebgpMultihop: number | null;
}
