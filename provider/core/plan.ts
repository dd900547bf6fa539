/**
 * The planner: what must change on the device to get from what it holds to what the user asked
 * for, touching only what the resource owns. Removes as well as adds.
 *
 * Ownership is recorded in the resource's state (not on the device): a setting the device held
 * before the resource existed is never removed by it, even when the user stops asking for it.
 */
import type { Change, NeighborAttribute } from "./changes";
import type { UncertainRegion } from "./configTree";
import type { BgpRouter, Neighbor, RemoteAs, RunningConfig } from "./model";
import { bgpRouter } from "./parseRunningConfig";
import { addressFamilyOf, prefixCovers, type Asn, type IpAddress } from "./values";

/** What the user asked of the router. `null` means "not managed": leave whatever is there. */
export interface RouterIntent {
    readonly asn: Asn;
    readonly routerId: string | null;
    readonly maxPaths: { readonly ebgp: number | null; readonly ibgp: number | null };
    readonly routeInstall: boolean;
    /**
     * `ns route-install ipv6 bgp`: IPv6 BGP routes into the packet engine's table. A command of
     * its own on NetScaler (the IPv6 variants of `ns route-install`); its exact text is unconfirmed.
     * Default false.
     */
    readonly routeInstallIpv6?: boolean;
    readonly redistributeKernel: boolean;
    /** `bgp graceful-restart`: peers keep the routes learned from the ADC while its BGP restarts (an HA failover). Default false. */
    readonly gracefulRestart?: boolean;
}

/** What a router resource has put on the device (and so may remove). */
export interface RouterOwnership {
    /** The resource created the `router bgp` block. */
    readonly router: boolean;
    /** The resource enabled the BGP feature. */
    readonly feature: boolean;
    readonly routeInstall: boolean;
    readonly routeInstallIpv6: boolean;
    readonly routerId: boolean;
    readonly maxPathsEbgp: boolean;
    readonly maxPathsIbgp: boolean;
    readonly redistributeKernel: boolean;
    /** Absent in state written before the setting existed: not owned. */
    readonly gracefulRestart?: boolean;
    /**
     * Settings a router created by this resource showed right after creation without being
     * asked (some builds display `max-paths ebgp 8` / `ibgp 8` as defaults): part of the block,
     * not someone else's configuration.
     */
    readonly createdWith?: { readonly maxPathsEbgp: number | null; readonly maxPathsIbgp: number | null };
}

export const NOTHING_OWNED: RouterOwnership = {
    router: false,
    feature: false,
    routeInstall: false,
    routeInstallIpv6: false,
    routerId: false,
    maxPathsEbgp: false,
    maxPathsIbgp: false,
    redistributeKernel: false,
};

/** Why a plan cannot be made without touching what the resource does not own. */
export type Conflict =
    | { readonly kind: "other-router"; readonly existing: Asn; readonly wanted: Asn }
    | { readonly kind: "router-exists"; readonly asn: Asn }
    | { readonly kind: "no-router"; readonly asn: Asn }
    /** `description`: as the device shows it, the one hint of whose the neighbor is (another stack writes its node names there). */
    | { readonly kind: "foreign-neighbor"; readonly address: IpAddress; readonly remoteAsn: RemoteAs | null; readonly description: string | null }
    /** A member of a peer group: its settings come partly from the group, so the package will not manage it. */
    | { readonly kind: "peer-group-member"; readonly address: IpAddress; readonly group: string }
    /** The address is configured below the router level or in another instance, not as a neighbor of the main one. */
    | { readonly kind: "neighbor-elsewhere"; readonly address: IpAddress; readonly lines: readonly string[] }
    /** The neighbor's description carries another resource's mark (see marks.ts): it is that resource's, whatever this one's state says. */
    | { readonly kind: "marked-neighbor"; readonly address: IpAddress; readonly token: string; readonly description: string | null }
    /** Removing the neighbor (`no neighbor X`) would also remove these lines, which this resource did not write. */
    | { readonly kind: "foreign-lines"; readonly address: IpAddress; readonly lines: readonly string[] }
    /** Another writer configured the neighbor between this operation's read and its lines: the lines it overwrote were restored where possible. */
    | { readonly kind: "lost-race"; readonly address: IpAddress; readonly token: string | null; readonly description: string | null; readonly notRestored: readonly string[] }
    /** The device's layout does not prove what these lines belong to, so nothing is planned in the block. */
    | { readonly kind: "uncertain"; readonly regions: readonly UncertainRegion[] };

export type Plan<T> = { readonly ok: true; readonly changes: readonly Change[]; readonly owned: T } | { readonly ok: false; readonly conflicts: readonly Conflict[] };

/**
 * One scalar setting: set it when asked and different; when no longer asked, remove it only if
 * the resource set it. Returns the change (if any) and whether the resource owns it afterwards.
 */
function scalar<V>(running: V | null, wanted: V | null, owned: boolean, change: (v: V | null) => Change): { change?: Change; owned: boolean } {
    if (wanted !== null) {
        if (running === wanted) return { owned };
        return { change: change(wanted), owned: true };
    }
    if (owned && running !== null) return { change: change(null), owned: false };
    return { owned: false };
}

/** A boolean presence setting (a line that is there or not). */
function presence(running: boolean, wanted: boolean, owned: boolean, change: (present: boolean) => Change): { change?: Change; owned: boolean } {
    if (wanted) return running ? { owned } : { change: change(true), owned: true };
    if (owned && running) return { change: change(false), owned: false };
    return { owned: false };
}

/**
 * The regions that forbid planning in the main instance: doubt over which block it is, or over
 * what its own block holds. Empty when the layout proves every line's place.
 */
export function doubts(config: RunningConfig): readonly UncertainRegion[] {
    return [...config.uncertain, ...(bgpRouter(config)?.uncertain ?? [])];
}

function refusal(config: RunningConfig): { ok: false; conflicts: Conflict[] } | null {
    const regions = doubts(config);
    return regions.length > 0 ? { ok: false, conflicts: [{ kind: "uncertain", regions }] } : null;
}

export function planRouter(config: RunningConfig, intent: RouterIntent, owned: RouterOwnership, adopt: boolean): Plan<RouterOwnership> {
    const refused = refusal(config);
    if (refused) return refused;
    const existing = bgpRouter(config);
    if (existing && existing.asn !== intent.asn) {
        return { ok: false, conflicts: [{ kind: "other-router", existing: existing.asn, wanted: intent.asn }] };
    }
    if (existing && !owned.router && !adopt) {
        return { ok: false, conflicts: [{ kind: "router-exists", asn: existing.asn }] };
    }
    const asn = intent.asn;
    const changes: Change[] = [];
    const take = (r: { change?: Change; owned: boolean }): boolean => {
        if (r.change) changes.push(r.change);
        return r.owned;
    };
    const routeInstall = take(presence(config.routeInstall.has("bgp"), intent.routeInstall, owned.routeInstall, (present) => ({ op: "set-route-install", kind: "bgp", present })));
    const routeInstallIpv6 = take(
        presence(config.routeInstall.has(IPV6_ROUTE_INSTALL), intent.routeInstallIpv6 === true, owned.routeInstallIpv6, (present) => ({ op: "set-route-install", kind: IPV6_ROUTE_INSTALL, present })),
    );
    if (!existing) changes.push({ op: "create-router", asn });
    const routerId = take(scalar(existing?.routerId ?? null, intent.routerId, owned.routerId, (value) => ({ op: "set-router-id", asn, value })));
    const maxPathsEbgp = take(scalar(existing?.maxPaths.ebgp ?? null, intent.maxPaths.ebgp, owned.maxPathsEbgp, (value) => ({ op: "set-max-paths", asn, kind: "ebgp", value })));
    const maxPathsIbgp = take(scalar(existing?.maxPaths.ibgp ?? null, intent.maxPaths.ibgp, owned.maxPathsIbgp, (value) => ({ op: "set-max-paths", asn, kind: "ibgp", value })));
    const redistributeKernel = take(
        presence(existing?.redistribute.has("kernel") ?? false, intent.redistributeKernel, owned.redistributeKernel, (present) => ({ op: "set-redistribute", asn, source: "kernel", present })),
    );
    // Any form the device shows (with a restart-time, say) counts as on; only the plain line is ever sent or removed.
    const gracefulRestart = take(
        presence((existing?.gracefulRestart ?? null) !== null, intent.gracefulRestart === true, owned.gracefulRestart === true, (present) => ({ op: "set-graceful-restart", asn, present })),
    );
    return {
        ok: true,
        changes,
        owned: { router: owned.router || !existing, feature: owned.feature, routeInstall, routeInstallIpv6, routerId, maxPathsEbgp, maxPathsIbgp, redistributeKernel, ...(gracefulRestart ? { gracefulRestart } : {}) },
    };
}

/**
 * Removes what the router resource added. The `router bgp` block itself goes only if the
 * resource created it and nothing else lives in it any more (neighbors of another cluster,
 * hand-made settings); otherwise only the resource's own settings are removed from it.
 */
export function planRouterRemoval(
    config: RunningConfig,
    asn: Asn,
    owned: RouterOwnership,
): { ok: true; changes: Change[]; keptRouterBecause: string | null } | { ok: false; conflicts: readonly Conflict[] } {
    const refused = refusal(config);
    if (refused) return refused;
    const changes: Change[] = [];
    const existing = bgpRouter(config);
    if (owned.routeInstall && config.routeInstall.has("bgp")) changes.push({ op: "set-route-install", kind: "bgp", present: false });
    if (owned.routeInstallIpv6 && config.routeInstall.has(IPV6_ROUTE_INSTALL)) changes.push({ op: "set-route-install", kind: IPV6_ROUTE_INSTALL, present: false });
    if (!existing || existing.asn !== asn) return { ok: true, changes, keptRouterBecause: null };
    const foreign = foreignContent(existing, owned);
    if (owned.router && foreign === null) {
        changes.push({ op: "remove-router", asn });
        return { ok: true, changes, keptRouterBecause: null };
    }
    if (owned.routerId && existing.routerId !== null) changes.push({ op: "set-router-id", asn, value: null });
    if (owned.maxPathsEbgp && existing.maxPaths.ebgp !== null) changes.push({ op: "set-max-paths", asn, kind: "ebgp", value: null });
    if (owned.maxPathsIbgp && existing.maxPaths.ibgp !== null) changes.push({ op: "set-max-paths", asn, kind: "ibgp", value: null });
    if (owned.redistributeKernel && existing.redistribute.has("kernel")) changes.push({ op: "set-redistribute", asn, source: "kernel", present: false });
    if (owned.gracefulRestart === true && existing.gracefulRestart !== null) changes.push({ op: "set-graceful-restart", asn, present: false });
    return { ok: true, changes, keptRouterBecause: owned.router ? foreign : null };
}

/** Describes what in the block the router resource does not own, or null when there is nothing. */
function foreignContent(r: BgpRouter, owned: RouterOwnership): string | null {
    const parts: string[] = [];
    if (r.neighbors.size > 0) parts.push(`${r.neighbors.size} neighbor(s) (${[...r.neighbors.keys()].join(", ")})`);
    if (r.peerGroups.size > 0) parts.push(`peer group(s) ${[...r.peerGroups.keys()].join(", ")}`);
    if (r.otherLines.length > 0) parts.push(`other settings (${r.otherLines.join("; ")})`);
    const ipv6 = [...[...r.ipv6.active].map((a) => `neighbor ${a} activate`), ...r.ipv6.otherLines];
    if (ipv6.length > 0) parts.push(`address-family ipv6 (${ipv6.join("; ")})`);
    if (r.routerId !== null && !owned.routerId) parts.push(`bgp router-id ${r.routerId}`);
    const defaults = owned.createdWith ?? { maxPathsEbgp: null, maxPathsIbgp: null };
    if (r.maxPaths.ebgp !== null && !owned.maxPathsEbgp && r.maxPaths.ebgp !== defaults.maxPathsEbgp) parts.push(`max-paths ebgp ${r.maxPaths.ebgp}`);
    if (r.maxPaths.ibgp !== null && !owned.maxPathsIbgp && r.maxPaths.ibgp !== defaults.maxPathsIbgp) parts.push(`max-paths ibgp ${r.maxPaths.ibgp}`);
    for (const source of r.redistribute.keys()) if (source !== "kernel" || !owned.redistributeKernel) parts.push(`redistribute ${source}`);
    if (r.gracefulRestart !== null && owned.gracefulRestart !== true) parts.push(`bgp graceful-restart${r.gracefulRestart ? ` ${r.gracefulRestart}` : ""}`);
    return parts.length > 0 ? parts.join(", ") : null;
}

/** The `ns route-install` kind for IPv6 BGP routes. */
export const IPV6_ROUTE_INSTALL = "ipv6 bgp";

/** The neighbor attributes the planner manages besides `remote-as`. */
export const NEIGHBOR_ATTRIBUTES: readonly NeighborAttribute[] = ["description", "password", "updateSource", "ebgpMultihop"];

/**
 * Neighbors: add the missing, reconcile the owned, remove the owned ones no longer wanted. A
 * wanted neighbor that exists but is not owned is a conflict unless `adopt` is set; one that is a
 * peer-group member, or whose address the main instance uses elsewhere (a section, another
 * instance), is always a conflict. Nothing is planned while the block holds doubtful regions.
 * `samePassword` decides whether the device's form of a password matches the wanted one (the
 * device may show an encrypted form).
 */
export function planNeighbors(
    config: RunningConfig,
    asn: Asn,
    wanted: readonly Neighbor[],
    owned: ReadonlySet<IpAddress>,
    adopt: boolean,
    samePassword: (address: IpAddress, shown: string, wanted: string) => boolean = (_a, shown, w) => shown === w,
): Plan<ReadonlySet<IpAddress>> {
    const refused = refusal(config);
    if (refused) return refused;
    const router = bgpRouter(config);
    if (!router || router.asn !== asn) {
        return { ok: false, conflicts: [router ? { kind: "other-router", existing: router.asn, wanted: asn } : { kind: "no-router", asn }] };
    }
    const conflicts: Conflict[] = [];
    const changes: Change[] = [];
    const wantedAddresses = new Set(wanted.map((n) => n.address));
    for (const address of owned) {
        if (!wantedAddresses.has(address) && router.neighbors.has(address)) changes.push(...removal(router, asn, address));
    }
    for (const n of wanted) {
        const current = router.neighbors.get(n.address);
        if (current?.peerGroup) {
            conflicts.push({ kind: "peer-group-member", address: n.address, group: current.peerGroup });
            continue;
        }
        const elsewhere = current ? [] : usesElsewhere(config, n.address);
        if (elsewhere.length > 0) {
            conflicts.push({ kind: "neighbor-elsewhere", address: n.address, lines: elsewhere });
            continue;
        }
        if (!current) {
            changes.push({ op: "add-neighbor", asn, neighbor: n }, ...activation(router, asn, n.address));
            continue;
        }
        if (!owned.has(n.address) && !adopt) {
            conflicts.push({ kind: "foreign-neighbor", address: n.address, remoteAsn: current.remoteAsn, description: current.description });
            continue;
        }
        if (current.remoteAsn !== n.remoteAsn) changes.push({ op: "set-neighbor-remote-as", asn, address: n.address, remoteAsn: n.remoteAsn });
        for (const attribute of NEIGHBOR_ATTRIBUTES) {
            const have = current[attribute];
            const want = n[attribute];
            const same = attribute === "password" && have !== null && want !== null ? samePassword(n.address, String(have), String(want)) : have === want;
            if (!same) changes.push({ op: "set-neighbor-attribute", asn, address: n.address, attribute, value: want });
        }
        changes.push(...activation(router, asn, n.address));
    }
    if (conflicts.length > 0) return { ok: false, conflicts };
    const nowOwned = new Set<IpAddress>(wanted.map((n) => n.address));
    return { ok: true, changes, owned: nowOwned };
}

/**
 * An IPv6 neighbor carries IPv6 routes only once activated in the IPv6 unicast address family
 * (ZebOS, like Quagga, activates new neighbors in IPv4 unicast alone). IPv4 neighbors are left
 * out of it, and their IPv4 activation is the device's default (`bgp default ipv4-unicast`),
 * never planned: turning it off is router-wide and would stop every other IPv4 neighbor too.
 */
function activation(router: BgpRouter, asn: Asn, address: IpAddress): Change[] {
    if (addressFamilyOf(address) !== "ipv6" || router.ipv6.active.has(address)) return [];
    return [{ op: "set-neighbor-activate", asn, address, family: "ipv6", active: true }];
}

/**
 * Deactivate first, then `no neighbor`: the section's own lines are only ever touched one
 * `activate` at a time, and the section itself (with whatever else it holds) is never removed.
 */
function removal(router: BgpRouter, asn: Asn, address: IpAddress): Change[] {
    const deactivate: Change[] = router.ipv6.active.has(address) ? [{ op: "set-neighbor-activate", asn, address, family: "ipv6", active: false }] : [];
    return [...deactivate, { op: "remove-neighbor", asn, address }];
}

/**
 * Lines outside the main instance's router level that use the address (sections, other
 * instances), and the main instance's dynamic-neighbor ranges that cover it (the peer may be
 * connected through one as another writer's neighbor, which a static neighbor would replace).
 */
function usesElsewhere(config: RunningConfig, address: IpAddress): string[] {
    const lines: string[] = [];
    for (const r of config.routers) {
        const head = `router bgp ${r.asn}${r.vrf === null ? "" : ` ${r.vrf.startsWith("view ") ? r.vrf : `vrf ${r.vrf}`}`}`;
        if (r.vrf !== null && r.neighbors.has(address)) lines.push(`${head}: neighbor ${address} ...`);
        for (const l of r.mentions.get(address) ?? []) lines.push(`${head}: ${l}`);
        if (r.vrf === null) for (const range of r.listenRanges) if (prefixCovers(range.prefix, address)) lines.push(`${head}: ${range.line}`);
    }
    return lines;
}

/** Removes the owned neighbors that are still on the device; nothing while the block holds doubtful regions. */
export function planNeighborsRemoval(config: RunningConfig, asn: Asn, owned: ReadonlySet<IpAddress>): Plan<ReadonlySet<IpAddress>> {
    const refused = refusal(config);
    if (refused) return refused;
    const router = bgpRouter(config);
    if (!router || router.asn !== asn) return { ok: true, changes: [], owned: new Set() };
    const changes = [...owned].filter((a) => router.neighbors.has(a)).flatMap((address) => removal(router, asn, address));
    return { ok: true, changes, owned: new Set() };
}
