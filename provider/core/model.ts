/**
 * The part of the ADC's ZebOS configuration this package reasons about, as plain immutable data.
 * Parsed from `show running-config`, compared with what the user asked for, rendered back.
 */
import type { UncertainRegion } from "./configTree";
import type { Asn, DevicePrefix, IpAddress } from "./values";

/** A remote AS as the device shows it: a number, or FRR's `external` / `internal` / `auto` (FRR 10: whatever AS the peer opens with). */
export type RemoteAs = Asn | "external" | "internal" | "auto";

/** Neighbor attributes beyond `remote-as` that the package manages. */
export interface NeighborAttributes {
    readonly description: string | null;
    /** As the device shows it (clear text on ZebOS; possibly an encrypted form on some builds). */
    readonly password: string | null;
    readonly updateSource: string | null;
    /** The TTL of `ebgp-multihop`; null when not set. */
    readonly ebgpMultihop: number | null;
}

export interface Neighbor extends NeighborAttributes {
    readonly address: IpAddress;
    readonly remoteAsn: Asn;
}

/** A neighbor as the device holds it: the managed fields plus any lines the package does not manage. */
export interface RunningNeighbor extends NeighborAttributes {
    readonly address: IpAddress;
    /**
     * Its own `remote-as`, else its peer group's; null when neither shows one (a member of a
     * group without remote-as, or a neighbor that only has other settings).
     */
    readonly remoteAsn: RemoteAs | null;
    /** The peer group it is a member of (`neighbor <address> peer-group <name>`), or null. */
    readonly peerGroup: string | null;
    /** Other `neighbor <address> ...` lines (route-maps, timers, ...), verbatim without the prefix. */
    readonly otherLines: readonly string[];
}

/** `neighbor <name> peer-group`: settings shared by its members. */
export interface PeerGroup {
    readonly name: string;
    readonly remoteAsn: RemoteAs | null;
}

/**
 * One address family's section of a `router bgp` block: the neighbors activated in it, and
 * every other line of it verbatim (someone else's: the package only writes `activate`).
 */
export interface AddressFamilySection {
    /** `neighbor <address> activate`, in the order the device lists them. */
    readonly active: ReadonlySet<IpAddress>;
    readonly otherLines: readonly string[];
}

export const EMPTY_SECTION: AddressFamilySection = { active: new Set(), otherLines: [] };

/** A `bgp listen range` line: the prefix it covers, and the line as the device printed it. */
export interface ListenRange {
    readonly prefix: DevicePrefix;
    readonly line: string;
}

export interface BgpRouter {
    readonly asn: Asn;
    /** `router bgp <asn> vrf <name>` (or ZebOS's `view <name>`); null for the main instance. */
    readonly vrf: string | null;
    readonly routerId: string | null;
    readonly maxPaths: { readonly ebgp: number | null; readonly ibgp: number | null };
    /** `redistribute <source>` lines, by source (`kernel`, `static`, ...), verbatim remainder (e.g. `route-map X`) as value. */
    readonly redistribute: ReadonlyMap<string, string>;
    /** `bgp graceful-restart [...]`: null when absent, else what follows the two words (`""`, or e.g. `restart-time 120`). */
    readonly gracefulRestart: string | null;
    /** In the order the device lists them. */
    readonly neighbors: ReadonlyMap<IpAddress, RunningNeighbor>;
    readonly peerGroups: ReadonlyMap<string, PeerGroup>;
    /** The IPv6 unicast address family (`address-family ipv6` or `address-family ipv6 unicast` sections). */
    readonly ipv6: AddressFamilySection;
    /** Lines inside the block the package does not manage (other address-family sections, peer groups, timers, ...), verbatim. */
    readonly otherLines: readonly string[];
    /**
     * Addresses named by lines below the router level (inside `address-family` sections, or
     * `no neighbor <address> ...`), with those lines: not router-level neighbors, but not free.
     */
    readonly mentions: ReadonlyMap<IpAddress, readonly string[]>;
    /**
     * Lines besides a neighbor's own router-level ones that `no neighbor X` removes with it, by
     * address: its peer-group membership, its lines in every address-family section (quoted as
     * `<section>: <line>`) but its IPv6 unicast activation as an IPv6 neighbor (the package's own
     * line), and router-level `no neighbor X ...` lines. The package writes none of them.
     */
    readonly takenWith: ReadonlyMap<IpAddress, readonly string[]>;
    /**
     * Dynamic-neighbor ranges (`bgp listen range <prefix> peer-group <group>`): a peer inside one
     * may be a neighbor of the block that the running configuration does not list.
     */
    readonly listenRanges: readonly ListenRange[];
    /** Regions of the block whose place the layout does not prove: nothing may be planned here. */
    readonly uncertain: readonly UncertainRegion[];
}

export interface RunningConfig {
    /** Global `ns route-install <kind>` lines, kind in lower case (`bgp`, `default`, `ipv6 bgp`, ...). */
    readonly routeInstall: ReadonlySet<string>;
    /** `router bgp` blocks; ZebOS runs one BGP instance, but the parser keeps what it sees. */
    readonly routers: readonly BgpRouter[];
    /** Doubt over which block is the main BGP instance (an unknown form of `router bgp`, several without vrf): nothing BGP may be planned. */
    readonly uncertain: readonly UncertainRegion[];
}

export const NO_ATTRIBUTES: NeighborAttributes = { description: null, password: null, updateSource: null, ebgpMultihop: null };

/** A `router bgp` block with nothing in it, as `router bgp <asn>` creates it. */
export function emptyRouter(asn: Asn): BgpRouter {
    return {
        asn,
        vrf: null,
        routerId: null,
        maxPaths: { ebgp: null, ibgp: null },
        redistribute: new Map(),
        gracefulRestart: null,
        neighbors: new Map(),
        peerGroups: new Map(),
        ipv6: EMPTY_SECTION,
        otherLines: [],
        mentions: new Map(),
        takenWith: new Map(),
        listenRanges: [],
        uncertain: [],
    };
}

/** A neighbor as the device holds it right after the package configured it. */
export function runningNeighbor(n: Neighbor): RunningNeighbor {
    return { ...n, peerGroup: null, otherLines: [] };
}

/** What a device without BGP configuration shows (also: what is known when the device could not be read). */
export const EMPTY_CONFIG: RunningConfig = { routeInstall: new Set(), routers: [], uncertain: [] };
