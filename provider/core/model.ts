/**
 * The part of the ADC's ZebOS configuration this package reasons about, as plain immutable data.
 * Parsed from `show running-config`, compared with what the user asked for, rendered back.
 */
import type { Asn, IpAddress } from "./values";

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
export interface RunningNeighbor extends Neighbor {
    /** Other `neighbor <address> ...` lines (route-maps, timers, ...), verbatim without the prefix. */
    readonly otherLines: readonly string[];
}

export interface BgpRouter {
    readonly asn: Asn;
    readonly routerId: string | null;
    readonly maxPaths: { readonly ebgp: number | null; readonly ibgp: number | null };
    /** `redistribute <source>` lines, by source (`kernel`, `static`, ...), verbatim remainder (e.g. `route-map X`) as value. */
    readonly redistribute: ReadonlyMap<string, string>;
    /** In the order the device lists them. */
    readonly neighbors: ReadonlyMap<IpAddress, RunningNeighbor>;
    /** Lines inside the block the package does not manage (address-family sections, timers, ...), verbatim. */
    readonly otherLines: readonly string[];
}

export interface RunningConfig {
    /** Global `ns route-install <kind>` lines, kind in lower case (`bgp`, `default`, `ipv6 bgp`, ...). */
    readonly routeInstall: ReadonlySet<string>;
    /** `router bgp` blocks; ZebOS runs one BGP instance, but the parser keeps what it sees. */
    readonly routers: readonly BgpRouter[];
}

export const NO_ATTRIBUTES: NeighborAttributes = { description: null, password: null, updateSource: null, ebgpMultihop: null };
