/**
 * Ownership, decided in one pure place. Each operation of a resource is
 *
 *     observe the device → decide → execute the plan → confirm against the device's answer
 *
 * and the two pure steps live here. `decide*` takes what the device shows, what the resource's
 * state says it owns, and what the user wants; it returns the plan (every change, nscli feature
 * switches included, as data), the conflicts, or what the resource claims before anything is
 * sent (recorded as is when the device cannot be read afterwards). `confirm*` takes the device
 * as it reads after the plan was sent — completely, or cut off half way — and returns what the
 * resource owns now and what the device still lacks. The providers only execute.
 */
import { applyChanges, type Change, type DeviceView } from "./changes";
import type { Neighbor, RunningConfig } from "./model";
import { bgpRouter } from "./parseRunningConfig";
import { planNeighbors, planNeighborsRemoval, planRouter, planRouterRemoval, type Conflict, type RouterIntent, type RouterOwnership } from "./plan";
import {
    filterOwnershipAfter,
    planPrefixFilter,
    planPrefixFilterRemoval,
    unfilteredNeighbors,
    type FilterChange,
    type FilterConflict,
    type FilterView,
    type MaximumPrefix,
    type PrefixFilterIntent,
    type PrefixFilterOwnership,
    type PrefixList,
} from "./prefixFilter";
import type { Asn, IpAddress } from "./values";

export type { DeviceView } from "./changes";

/** A refusal: nothing may be sent. */
export interface Refused {
    readonly ok: false;
    readonly conflicts: readonly (Conflict | FilterConflict)[];
}

/** What the device shows after a plan was (perhaps partly) sent. `null`: it could not be read. */
export interface DeviceAfter {
    readonly running: RunningConfig | null;
    /**
     * Whether the BGP feature is on, as far as the device's answers prove it (a ` Done` to
     * `enable ns feature BGP` proves it on); `null` when not known.
     */
    readonly bgpFeature: boolean | null;
}

/** What a resource owns after an operation, and what the device does not show of the plan (`null`: the device could not be read). */
export interface Confirmation<T> {
    readonly owned: T;
    readonly missing: readonly Change[] | null;
}

// ---------------------------------------------------------------------------------------------
// The router

/** What the user asks of an {@link RouterOwnership router resource}. */
export interface RouterWant {
    readonly intent: RouterIntent;
    /** Manage a `router bgp` that exists already (its own settings stay on delete). */
    readonly adopt: boolean;
}

export interface RouterDecision {
    readonly ok: true;
    /** Every change, `set-feature` included: render with `renderPlan`. */
    readonly changes: readonly Change[];
    /** What the resource owns if every change takes. */
    readonly claimed: RouterOwnership;
}

/**
 * The router's plan: the BGP feature first when it is off (vtysh needs it; the resource then
 * owns it and turns it off again on delete), then the router's lines.
 */
export function decideRouter(device: DeviceView, owned: RouterOwnership, want: RouterWant): RouterDecision | Refused {
    const plan = planRouter(device.running, want.intent, owned, want.adopt);
    if (!plan.ok) return plan;
    const feature: Change[] = device.bgpFeature ? [] : [{ op: "set-feature", feature: "BGP", enabled: true }];
    const createdWith = owned.createdWith ? { createdWith: owned.createdWith } : {};
    return { ok: true, changes: [...feature, ...plan.changes], claimed: { ...plan.owned, ...createdWith, feature: owned.feature || feature.length > 0 } };
}

/**
 * What the router resource owns after its plan was sent. An item it claimed counts only once
 * the device shows it; the feature only once the device answered its `enable`. When the
 * device could not be read, the claim stands (the next plan re-checks each item). A router this
 * plan created remembers what it showed without being asked (some builds display
 * `max-paths ebgp 8` as a default): part of the block, not someone else's setting.
 */
export function confirmRouter(decision: RouterDecision, owned: RouterOwnership, want: RouterWant, after: DeviceAfter): Confirmation<RouterOwnership> {
    const claimed = decision.claimed;
    const feature = owned.feature || (claimed.feature && after.bgpFeature === true);
    if (after.running === null) return { owned: { ...claimed, feature }, missing: null };
    const router = bgpRouter(after.running);
    const mine = router?.asn === want.intent.asn ? router : undefined;
    const missing: Change[] = [];
    if (claimed.feature && !owned.feature && after.bgpFeature === false) missing.push({ op: "set-feature", feature: "BGP", enabled: true });
    const rest = planRouter(after.running, want.intent, claimed, true);
    missing.push(...(rest.ok ? rest.changes : [{ op: "create-router", asn: want.intent.asn } as const]));
    const created = decision.changes.some((c) => c.op === "create-router");
    const createdWith =
        created && mine
            ? { createdWith: { maxPathsEbgp: claimed.maxPathsEbgp ? null : mine.maxPaths.ebgp, maxPathsIbgp: claimed.maxPathsIbgp ? null : mine.maxPaths.ibgp } }
            : claimed.createdWith
              ? { createdWith: claimed.createdWith }
              : {};
    if (missing.length === 0) return { owned: { ...claimed, ...createdWith, feature }, missing };
    // Cut off or not taken: what was owned before stays owned; a new claim counts where the device shows it.
    const keep = (was: boolean, now: boolean, present: boolean) => was || (now && present);
    return {
        owned: {
            router: keep(owned.router, claimed.router, mine !== undefined),
            feature,
            routeInstall: keep(owned.routeInstall, claimed.routeInstall, after.running.routeInstall.has("bgp")),
            routerId: keep(owned.routerId, claimed.routerId, mine?.routerId != null),
            maxPathsEbgp: keep(owned.maxPathsEbgp, claimed.maxPathsEbgp, mine?.maxPaths.ebgp != null),
            maxPathsIbgp: keep(owned.maxPathsIbgp, claimed.maxPathsIbgp, mine?.maxPaths.ibgp != null),
            redistributeKernel: keep(owned.redistributeKernel, claimed.redistributeKernel, mine?.redistribute.has("kernel") ?? false),
            ...createdWith,
        },
        missing,
    };
}

export interface RouterRemovalDecision {
    readonly ok: true;
    /** The vtysh removals, then `set-feature` off when the resource enabled it and no `router bgp` is left. */
    readonly changes: readonly Change[];
    /** Why the `router bgp` block stays (what in it the resource does not own), or null. */
    readonly keptRouterBecause: string | null;
}

/** Whether the feature may go: the resource enabled it and no BGP instance (main or vrf) remains. */
function featureMayGo(running: RunningConfig, owned: RouterOwnership): boolean {
    return owned.feature && running.routers.length === 0;
}

/** Removes what the router resource added, the BGP feature last (only when nothing uses it any more). */
export function decideRouterRemoval(device: DeviceView, owned: RouterOwnership, asn: Asn): RouterRemovalDecision | Refused {
    const removal = planRouterRemoval(device.running, asn, owned);
    if (!removal.ok) return removal;
    const predicted = applyChanges(device.running, removal.changes);
    const feature: Change[] = device.bgpFeature && featureMayGo(predicted, owned) ? [{ op: "set-feature", feature: "BGP", enabled: false }] : [];
    return { ok: true, changes: [...removal.changes, ...feature], keptRouterBecause: removal.keptRouterBecause };
}

/**
 * After the removal's vtysh lines: what the device still shows of them (only what no device
 * default can stand in for: a device may show max-paths defaults after `no max-paths`), and the
 * changes that may follow (the feature goes only when the device shows no `router bgp` left).
 */
export function confirmRouterRemoval(decision: RouterRemovalDecision, owned: RouterOwnership, asn: Asn, after: RunningConfig): { readonly notTaken: readonly Change[]; readonly then: readonly Change[] } {
    const left = planRouterRemoval(after, asn, owned);
    const notTaken = left.ok ? left.changes.filter((c) => c.op === "remove-router" || c.op === "set-route-install") : [];
    const then = notTaken.length === 0 && featureMayGo(after, owned) ? decision.changes.filter((c) => c.op === "set-feature") : [];
    return { notTaken, then };
}

// ---------------------------------------------------------------------------------------------
// Neighbors

/** What the user asks of a neighbors resource. */
export interface NeighborsWant {
    readonly asn: Asn;
    readonly neighbors: readonly Neighbor[];
    /** Take over a listed neighbor that exists without being this resource's. */
    readonly adopt: boolean;
    /** Whether the device's form of a password stands for the wanted one (some builds show an encrypted form). */
    readonly samePassword?: (address: IpAddress, shown: string, wanted: string) => boolean;
}

export interface NeighborsDecision {
    readonly ok: true;
    readonly changes: readonly Change[];
    /** What the resource owns once every change took: the wanted neighbors. */
    readonly owns: ReadonlySet<IpAddress>;
    /**
     * What it records when the device cannot be read after sending: everything it owned or
     * wanted (the next plan re-checks each against the device).
     */
    readonly claimed: ReadonlySet<IpAddress>;
}

export function decideNeighbors(running: RunningConfig, owned: ReadonlySet<IpAddress>, want: NeighborsWant): NeighborsDecision | Refused {
    const plan = planNeighbors(running, want.asn, want.neighbors, owned, want.adopt, want.samePassword);
    if (!plan.ok) return plan;
    return { ok: true, changes: plan.changes, owns: plan.owned, claimed: new Set([...owned, ...want.neighbors.map((n) => n.address)]) };
}

/**
 * What the neighbors resource owns after its plan was sent: all it wanted when the device
 * shows the whole plan; otherwise (cut off, or a line not taken) each neighbor it owned or
 * wanted that the device shows.
 */
export function confirmNeighbors(decision: NeighborsDecision, want: NeighborsWant, after: RunningConfig | null): Confirmation<ReadonlySet<IpAddress>> {
    if (after === null) return { owned: decision.claimed, missing: null };
    // Against the claim, not only the wanted set: a removal the device did not take is missing too.
    const rest = planNeighbors(after, want.asn, want.neighbors, decision.claimed, true, want.samePassword);
    const missing = rest.ok ? rest.changes : [{ op: "create-router", asn: want.asn } as const];
    if (missing.length === 0) return { owned: decision.owns, missing };
    const router = bgpRouter(after);
    const present = router?.asn === want.asn ? router.neighbors : new Map<IpAddress, unknown>();
    return { owned: new Set([...decision.claimed].filter((a) => present.has(a))), missing };
}

export type NeighborsRemovalDecision = { readonly ok: true; readonly changes: readonly Change[] };

/** Removes the owned neighbors the device still shows. */
export function decideNeighborsRemoval(running: RunningConfig, owned: ReadonlySet<IpAddress>, asn: Asn): NeighborsRemovalDecision | Refused {
    const plan = planNeighborsRemoval(running, asn, owned);
    return plan.ok ? { ok: true, changes: plan.changes } : plan;
}

/** After a removal: the removals the device did not take. */
export function confirmNeighborsRemoval(owned: ReadonlySet<IpAddress>, asn: Asn, after: RunningConfig): readonly Change[] {
    const left = planNeighborsRemoval(after, asn, owned);
    return left.ok ? left.changes : [];
}

// ---------------------------------------------------------------------------------------------
// Neighbors with their inbound filter (prefix list and maximum-prefix)

/** What a neighbors resource owns: its neighbors, and the filter lines it put on the device. */
export interface NeighborsOwnership {
    readonly neighbors: ReadonlySet<IpAddress>;
    readonly filter: PrefixFilterOwnership;
}

/** The neighbors, and the inbound filter and limit wanted on every one of them (null: none). */
export interface FilteredNeighborsWant extends NeighborsWant {
    readonly filter: { readonly list: PrefixList | null; readonly maximumPrefix: MaximumPrefix | null };
}

export interface FilteredNeighborsDecision {
    readonly ok: true;
    readonly neighbors: NeighborsDecision;
    /** Rendered with the neighbors' changes in one batch (`renderNeighborsWithFilter`). */
    readonly filterChanges: readonly FilterChange[];
    /** What the resource records when the device cannot be read after sending. */
    readonly claimed: NeighborsOwnership;
}

function filterIntentOf(want: FilteredNeighborsWant): PrefixFilterIntent {
    return { ...want.filter, neighbors: want.neighbors.map((n) => n.address) };
}

/**
 * The neighbors' plan and, for the same batch, the filter's: a neighbor the batch creates gets
 * its filter in it. Refused when either would touch what the resource does not own.
 */
export function decideFilteredNeighbors(view: FilterView, owned: NeighborsOwnership, want: FilteredNeighborsWant): FilteredNeighborsDecision | Refused {
    const neighbors = decideNeighbors(view.running, owned.neighbors, want);
    if (!neighbors.ok) return neighbors;
    const intent = filterIntentOf(want);
    const created = new Set(neighbors.changes.flatMap((c) => (c.op === "add-neighbor" ? [c.neighbor.address] : [])));
    const filter = planPrefixFilter(view, want.asn, intent, owned.filter, { owned: owned.neighbors, created }, want.adopt);
    if (!filter.ok) return filter;
    const claimedFilter: PrefixFilterOwnership = {
        lists: new Set([...owned.filter.lists, ...(want.filter.list ? [want.filter.list.name] : [])]),
        limits: new Set([...owned.filter.limits, ...(want.filter.maximumPrefix ? intent.neighbors : [])]),
    };
    return { ok: true, neighbors, filterChanges: filter.changes, claimed: { neighbors: neighbors.claimed, filter: claimedFilter } };
}

export interface FilteredConfirmation {
    readonly owned: NeighborsOwnership;
    /** What the device does not show of the plan; null when it could not be read. */
    readonly missing: { readonly neighbors: readonly Change[]; readonly filter: readonly FilterChange[] } | null;
    /** Wanted neighbors the device holds without the wanted inbound list (a batch cut between a neighbor and its filter). */
    readonly unfiltered: readonly IpAddress[];
}

/** What the resource owns after the batch (complete or cut off), what is missing, and which neighbors are up unfiltered. */
export function confirmFilteredNeighbors(decision: FilteredNeighborsDecision, owned: NeighborsOwnership, want: FilteredNeighborsWant, after: FilterView | null): FilteredConfirmation {
    const neighbors = confirmNeighbors(decision.neighbors, want, after?.running ?? null);
    if (after === null) return { owned: decision.claimed, missing: null, unfiltered: [] };
    const intent = filterIntentOf(want);
    const filter = filterOwnershipAfter(owned.filter, intent, after, want.asn);
    const rest = planPrefixFilter(after, want.asn, intent, filter, { owned: neighbors.owned, created: new Set() }, true);
    return {
        owned: { neighbors: neighbors.owned, filter },
        missing: { neighbors: neighbors.missing ?? [], filter: rest.ok ? rest.changes : [] },
        unfiltered: unfilteredNeighbors(intent, after, want.asn),
    };
}

export type FilteredNeighborsRemovalDecision = { readonly ok: true; readonly neighbors: readonly Change[]; readonly filter: readonly FilterChange[] };

/** Removes the owned neighbors and then the owned lists, unless a neighbor the resource does not own still names one. */
export function decideFilteredNeighborsRemoval(view: FilterView, owned: NeighborsOwnership, asn: Asn): FilteredNeighborsRemovalDecision | Refused {
    const neighbors = decideNeighborsRemoval(view.running, owned.neighbors, asn);
    if (!neighbors.ok) return neighbors;
    const filter = planPrefixFilterRemoval(view, asn, owned.filter, owned.neighbors);
    return filter.ok ? { ok: true, neighbors: neighbors.changes, filter: filter.changes } : filter;
}

/** After a removal: what the device did not take. */
export function confirmFilteredNeighborsRemoval(owned: NeighborsOwnership, asn: Asn, after: FilterView): { readonly neighbors: readonly Change[]; readonly filter: readonly FilterChange[] } {
    const filter = planPrefixFilterRemoval(after, asn, owned.filter, owned.neighbors);
    return { neighbors: confirmNeighborsRemoval(owned.neighbors, asn, after.running), filter: filter.ok ? filter.changes : [] };
}
