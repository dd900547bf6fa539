/**
 * FRR's JSON show output (`show bgp summary json`, `show ip route json`,
 * `show bgp ipv4 unicast json`) as the engine's session and route records. Pure.
 */
import { BGP_SESSION_STATES, type BgpNeighborConfig, type BgpRoute, type BgpSessionState, type BgpSessionStatus, type RoutingFamily } from "./engine";

interface FrrSummaryPeer {
    remoteAs?: number;
    state?: string;
    msgRcvd?: number;
    msgSent?: number;
    pfxRcd?: number;
    peerUptime?: string;
    peerUptimeMsec?: number;
}

/** `show bgp summary json` (FRR 8.x): `{ ipv4Unicast: { peers: { "<ip>": {...} } } }`; `{}` without BGP. */
export interface FrrSummaryJson {
    ipv4Unicast?: { peers?: Record<string, FrrSummaryPeer> };
    ipv6Unicast?: { peers?: Record<string, FrrSummaryPeer> };
}

/**
 * One session per configured neighbor, in configuration order. A neighbor FRR does not list (not
 * yet created, or removed behind the simulator's back) is `Idle`; FRR's transient `Clearing` and
 * `Deleted` are reported as `Idle`, the state ZebOS shows while a session is torn down.
 */
export function sessionsFromFrr(neighbors: readonly BgpNeighborConfig[], summary: FrrSummaryJson, family: RoutingFamily = "ipv4"): BgpSessionStatus[] {
    const peers = (family === "ipv4" ? summary.ipv4Unicast : summary.ipv6Unicast)?.peers ?? {};
    return neighbors.map((n) => {
        const p = peers[n.address];
        if (!p) return { address: n.address, remoteAs: n.remoteAs, state: "Idle", prefixesReceived: 0, messagesReceived: 0, messagesSent: 0 };
        const state = sessionState(p.state);
        const never = p.peerUptime === undefined || p.peerUptime === "never";
        return {
            address: n.address,
            remoteAs: p.remoteAs ?? n.remoteAs,
            state,
            prefixesReceived: state === "Established" ? (p.pfxRcd ?? 0) : 0,
            messagesReceived: p.msgRcvd ?? 0,
            messagesSent: p.msgSent ?? 0,
            ...(never ? {} : { upDownSeconds: Math.floor((p.peerUptimeMsec ?? 0) / 1000) }),
        };
    });
}

function sessionState(raw: string | undefined): BgpSessionState {
    const word = (raw ?? "Idle").split(/[\s(]/)[0]!;
    return (BGP_SESSION_STATES as readonly string[]).includes(word) ? (word as BgpSessionState) : "Idle";
}

interface FrrRouteEntry {
    protocol?: string;
    distance?: number;
    uptime?: string;
    nexthops?: { ip?: string; afi?: string }[];
}

/** `show ip route json`: prefix → entries. */
export type FrrRouteJson = Record<string, FrrRouteEntry[]>;

interface FrrBgpPath {
    bestpath?: boolean;
    multipath?: boolean;
    pathFrom?: string;
    peerId?: string;
    nexthops?: { ip?: string }[];
}

/** `show bgp ipv4 unicast json`: `{ routes: { prefix: paths[] } }`. */
export interface FrrBgpTableJson {
    routes?: Record<string, FrrBgpPath[]>;
}

/**
 * BGP routes of zebra's RIB, one per next hop (an ECMP route has several), with the neighbor
 * each came from taken from bgpd's table (the next hop can be a third party on a shared LAN).
 */
export function routesFromFrr(rib: FrrRouteJson, table: FrrBgpTableJson): BgpRoute[] {
    const out: BgpRoute[] = [];
    for (const [prefix, entries] of Object.entries(rib)) {
        for (const e of entries) {
            if (e.protocol !== "bgp") continue;
            const paths = (table.routes?.[prefix] ?? []).filter((p) => p.bestpath || p.multipath);
            for (const nh of e.nexthops ?? []) {
                if (!nh.ip) continue;
                const path = paths.find((p) => (p.nexthops ?? []).some((x) => x.ip === nh.ip)) ?? paths[0];
                out.push({
                    prefix,
                    nextHop: nh.ip,
                    peer: path?.peerId ?? nh.ip,
                    internal: path ? path.pathFrom === "internal" : e.distance === 200,
                    ageSeconds: parseFrrUptime(e.uptime ?? ""),
                });
            }
        }
    }
    return out;
}

/** FRR's uptime: `00:01:02`, `1d02h03m`, `01w2d03h`. Unknown forms count as 0. */
export function parseFrrUptime(text: string): number {
    let m = /^(\d+):(\d+):(\d+)$/.exec(text);
    if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    m = /^(\d+)d(\d+)h(\d+)m$/.exec(text);
    if (m) return Number(m[1]) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60;
    m = /^(\d+)w(\d+)d(\d+)h$/.exec(text);
    if (m) return Number(m[1]) * 604800 + Number(m[2]) * 86400 + Number(m[3]) * 3600;
    return 0;
}
