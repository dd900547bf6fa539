/**
 * The simulated appliance's ZebOS (vtysh) configuration as data. Commands change this model;
 * `show running-config` is rendered from it, never stored as text.
 */

export type RedistributeSource = "kernel" | "static" | "connected";
export const REDISTRIBUTE_SOURCES: readonly RedistributeSource[] = ["kernel", "static", "connected"];

/**
 * `ns route-install <kind>` targets, in the order the running config lists them.
 * IPv6 variants are written `ipv6 <kind>`.
 */
export const ROUTE_INSTALL_KINDS = [
    "default",
    "bgp",
    "ospf",
    "rip",
    "isis",
    "ipv6 default",
    "ipv6 bgp",
    "ipv6 ospf",
    "ipv6 rip",
    "ipv6 isis",
] as const;
export type RouteInstallKind = (typeof ROUTE_INSTALL_KINDS)[number];

export interface NeighborConfig {
    /** Canonical address (IPv6 compressed, lower case). */
    readonly address: string;
    remoteAs: number;
    description?: string;
    password?: string;
    /** Interface name or address. */
    updateSource?: string;
    /** TTL; `neighbor X ebgp-multihop` without a number means 255, as in Quagga/ZebOS. */
    ebgpMultihop?: number;
    /** `neighbor X prefix-list NAME in|out`: the list's name, which need not exist (yet). */
    prefixListIn?: string;
    prefixListOut?: string;
    /** `neighbor X prefix-list NAME in|out` under `address-family ipv6`: an `ipv6 prefix-list` on its IPv6 unicast routes. */
    ipv6PrefixListIn?: string;
    ipv6PrefixListOut?: string;
    /** `neighbor X route-map NAME in|out`. */
    routeMapIn?: string;
    routeMapOut?: string;
    /** `neighbor X maximum-prefix N [threshold] [warning-only]`. */
    maximumPrefix?: MaximumPrefix;
    /** `neighbor X peer-group G`: a member takes its remote AS from the group. */
    peerGroup?: string;
    /**
     * `neighbor X activate` under `address-family ipv6`: the session carries IPv6 unicast. As in
     * Quagga, a new neighbor is active in IPv4 unicast alone (`bgp default ipv4-unicast`).
     */
    ipv6Active?: boolean;
}

/** `neighbor G peer-group`, with the group's `remote-as` once set. */
export interface PeerGroupConfig {
    remoteAs?: number;
}

/** A neighbor's prefix limit. */
export interface MaximumPrefix {
    limit: number;
    /** Percentage of the limit at which a warning is logged; undefined = the default (75). */
    threshold?: number;
    /** Only log when exceeded, instead of tearing the session down. */
    warningOnly: boolean;
}

/** One line of an `ip prefix-list`. */
export interface PrefixListEntry {
    seq: number;
    action: "permit" | "deny";
    /** Canonical `network/len` (host bits cleared, as Quagga stores it). */
    prefix: string;
    ge?: number;
    le?: number;
}

export interface BgpRouterConfig {
    readonly asn: number;
    routerId?: string;
    /** `bgp graceful-restart [restart-time N]` (NetScaler shows the plain form; the restart-time form is ZebOS's on F5). */
    gracefulRestart?: { restartTime?: number };
    /** Configured values only; see {@link effectiveMaxPaths}. */
    maxPaths: { ebgp?: number; ibgp?: number };
    readonly redistribute: Set<RedistributeSource>;
    /** Keyed by canonical address. */
    readonly neighbors: Map<string, NeighborConfig>;
    /** By name, in the order they were declared. */
    readonly peerGroups: Map<string, PeerGroupConfig>;
}

export interface ZebosConfig {
    readonly routeInstall: Set<RouteInstallKind>;
    /** `ip prefix-list` by name, entries kept sorted by sequence number. Global, outside `router bgp`. */
    readonly prefixLists: Map<string, PrefixListEntry[]>;
    /** `ipv6 prefix-list` by name: a namespace of its own (a name may be both an ip and an ipv6 list). */
    readonly ipv6PrefixLists: Map<string, PrefixListEntry[]>;
    bgp: BgpRouterConfig | null;
}

export function emptyZebosConfig(): ZebosConfig {
    return { routeInstall: new Set(), prefixLists: new Map(), ipv6PrefixLists: new Map(), bgp: null };
}

export function newBgpRouter(asn: number): BgpRouterConfig {
    return { asn, maxPaths: {}, redistribute: new Set(), neighbors: new Map(), peerGroups: new Map() };
}

/**
 * max-paths in effect: the configured value, else the appliance default (when it has one).
 * `no max-paths ebgp` therefore returns to the default, which is displayed like a setting.
 */
export function effectiveMaxPaths(bgp: BgpRouterConfig, defaultMaxPaths: number | null): { ebgp?: number; ibgp?: number } {
    const ebgp = bgp.maxPaths.ebgp ?? defaultMaxPaths ?? undefined;
    const ibgp = bgp.maxPaths.ibgp ?? defaultMaxPaths ?? undefined;
    return { ...(ebgp !== undefined ? { ebgp } : {}), ...(ibgp !== undefined ? { ibgp } : {}) };
}

export function cloneZebos(config: ZebosConfig): ZebosConfig {
    return {
        routeInstall: new Set(config.routeInstall),
        prefixLists: new Map([...config.prefixLists].map(([k, entries]) => [k, entries.map((e) => ({ ...e }))])),
        ipv6PrefixLists: new Map([...config.ipv6PrefixLists].map(([k, entries]) => [k, entries.map((e) => ({ ...e }))])),
        bgp: config.bgp && {
            asn: config.bgp.asn,
            ...(config.bgp.routerId !== undefined ? { routerId: config.bgp.routerId } : {}),
            ...(config.bgp.gracefulRestart !== undefined ? { gracefulRestart: { ...config.bgp.gracefulRestart } } : {}),
            maxPaths: { ...config.bgp.maxPaths },
            redistribute: new Set(config.bgp.redistribute),
            neighbors: new Map([...config.bgp.neighbors].map(([k, n]) => [k, { ...n, ...(n.maximumPrefix ? { maximumPrefix: { ...n.maximumPrefix } } : {}) }])),
            peerGroups: new Map([...config.bgp.peerGroups].map(([k, g]) => [k, { ...g }])),
        },
    };
}
