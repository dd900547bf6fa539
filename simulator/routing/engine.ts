/**
 * The routing engine behind the simulated appliance: the BGP configuration is applied to it, and
 * it answers what a running bgpd knows (session states, learned routes). The in-memory engine
 * invents these answers; an engine backed by a real BGP daemon applies the same configuration to
 * it and reports its real state.
 *
 * Contract: `apply` is called with the complete desired configuration once at start and then
 * whenever it changed, before a session's answer is printed, except while more input lines
 * of that session are already waiting (a pipelined batch is applied once, after its last line),
 * and always before `sessions()` or `routes()` is asked. Calls are never concurrent: the
 * simulator waits for one `apply` to settle before the next.
 */
export interface RoutingEngine {
    /** Converges the engine to `config` (complete, not a delta). */
    apply(config: RoutingConfig): Promise<void>;
    /**
     * While BGP runs, one entry per neighbor active in `family` (default IPv4 unicast, where
     * every neighbor is, as with `bgp default ipv4-unicast`; IPv6 unicast: those activated
     * there), its prefix count that family's; empty when BGP does not run.
     */
    sessions(family?: RoutingFamily): Promise<readonly BgpSessionStatus[]>;
    /** Routes learned over BGP (best paths, as they appear in the routing table). */
    routes(): Promise<readonly BgpRoute[]>;
    /** Releases whatever the engine started. The simulator calls it on `close()`. */
    close(): Promise<void>;
}

/** The unicast address families the simulator models. */
export type RoutingFamily = "ipv4" | "ipv6";

/** What the engine is told to run. */
export interface RoutingConfig {
    /** Null when BGP does not run: feature BGP disabled, or no `router bgp`. */
    readonly bgp: BgpRoutingConfig | null;
    /** `ns route-install` kinds, e.g. `bgp`, `ipv6 bgp`. */
    readonly routeInstall: readonly string[];
    /** The appliance's own interface address, e.g. `10.102.33.208/24`. */
    readonly interfaceAddress: string;
    /** `ip prefix-list` entries by list name, in sequence order. */
    readonly prefixLists: readonly { readonly name: string; readonly entries: readonly RoutingPrefixListEntry[] }[];
    /** `ipv6 prefix-list` entries by list name, in sequence order: a namespace apart from `prefixLists`. */
    readonly ipv6PrefixLists: readonly { readonly name: string; readonly entries: readonly RoutingPrefixListEntry[] }[];
}

/** One prefix-list entry: routes inside `prefix` with a length from `ge` (or its own) to `le` (or `ge`'s host length, or its own). */
export interface RoutingPrefixListEntry {
    readonly seq: number;
    readonly action: "permit" | "deny";
    readonly prefix: string;
    readonly ge?: number;
    readonly le?: number;
}

export interface BgpRoutingConfig {
    readonly asn: number;
    /** The router id in effect (configured, else the interface address). */
    readonly routerId: string;
    readonly maxPaths: { readonly ebgp?: number; readonly ibgp?: number };
    readonly redistribute: readonly string[];
    readonly neighbors: readonly BgpNeighborConfig[];
}

export interface BgpNeighborConfig {
    readonly address: string;
    readonly remoteAs: number;
    readonly description?: string;
    readonly password?: string;
    readonly updateSource?: string;
    readonly ebgpMultihop?: number;
    /** Names of the prefix lists applied to what is received (`in`) and sent (`out`). */
    readonly prefixListIn?: string;
    readonly prefixListOut?: string;
    readonly maximumPrefix?: { readonly limit: number; readonly threshold?: number; readonly warningOnly: boolean };
    /** Activated in IPv6 unicast (`address-family ipv6` / `neighbor X activate`). */
    readonly ipv6Active?: boolean;
    /** Names of the `ipv6 prefix-list`s applied to its IPv6 unicast routes (`neighbor X prefix-list NAME in|out` under `address-family ipv6`). */
    readonly ipv6PrefixListIn?: string;
    readonly ipv6PrefixListOut?: string;
}

/** BGP finite-state-machine states, as `show ip bgp summary` names them. */
export type BgpSessionState = "Idle" | "Connect" | "Active" | "OpenSent" | "OpenConfirm" | "Established";
export const BGP_SESSION_STATES: readonly BgpSessionState[] = ["Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established"];

export interface BgpSessionStatus {
    readonly address: string;
    readonly remoteAs: number;
    readonly state: BgpSessionState;
    /** Prefixes received; meaningful when Established. */
    readonly prefixesReceived: number;
    readonly messagesReceived: number;
    readonly messagesSent: number;
    /** Seconds since the session came up (Established) or went down; undefined = never up. */
    readonly upDownSeconds?: number;
}

export interface BgpRoute {
    /** `A.B.C.D/len` or an IPv6 prefix. */
    readonly prefix: string;
    readonly nextHop: string;
    /** The neighbor the route was learned from. */
    readonly peer: string;
    /** True for iBGP (administrative distance 200), false for eBGP (20). */
    readonly internal: boolean;
    readonly ageSeconds: number;
}
