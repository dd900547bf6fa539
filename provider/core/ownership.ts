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
import { readMark, marked, type MarkToken } from "./marks";
import type { BgpRouter, Neighbor, RemoteAs, RunningConfig, RunningNeighbor } from "./model";
import { bgpRouter } from "./parseRunningConfig";
import { IPV6_ROUTE_INSTALL, NEIGHBOR_ATTRIBUTES, planNeighbors, planNeighborsRemoval, planRouter, planRouterRemoval, type Conflict, type RouterIntent, type RouterOwnership } from "./plan";
import {
    filterOwnershipAfter,
    inboundList,
    neighborFilter,
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
import { typesAsIs, type Asn, type IpAddress } from "./values";

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
            routeInstallIpv6: keep(owned.routeInstallIpv6, claimed.routeInstallIpv6, after.running.routeInstall.has(IPV6_ROUTE_INSTALL)),
            routerId: keep(owned.routerId, claimed.routerId, mine?.routerId != null),
            maxPathsEbgp: keep(owned.maxPathsEbgp, claimed.maxPathsEbgp, mine?.maxPaths.ebgp != null),
            maxPathsIbgp: keep(owned.maxPathsIbgp, claimed.maxPathsIbgp, mine?.maxPaths.ibgp != null),
            redistributeKernel: keep(owned.redistributeKernel, claimed.redistributeKernel, mine?.redistribute.has("kernel") ?? false),
            ...(keep(owned.gracefulRestart === true, claimed.gracefulRestart === true, (mine?.gracefulRestart ?? null) !== null) ? { gracefulRestart: true } : {}),
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
    /** Take over a listed neighbor that exists without being this resource's (never one that carries another resource's mark). */
    readonly adopt: boolean;
    /** Whether the device's form of a password stands for the wanted one (some builds show an encrypted form). */
    readonly samePassword?: (address: IpAddress, shown: string, wanted: string) => boolean;
    /**
     * This resource's mark token (see marks.ts): every neighbor it writes carries it, and a
     * neighbor carrying another token is never this resource's. `null`: no marks (nothing is
     * known of other writers beyond this resource's state).
     */
    readonly token?: MarkToken | null;
}

/** What the neighbors resource's state says, as far as ownership goes. */
export interface NeighborsState {
    readonly owned: ReadonlySet<IpAddress>;
    /**
     * The descriptions it wrote before marks existed (from its stored inputs): an unmarked
     * description equal to one of these is still its own line.
     */
    readonly written?: ReadonlyMap<IpAddress, string | null>;
    /**
     * Other `neighbor X ...` lines (the text after the address) that are this resource's too (its
     * filter's), and lines of its sections as quoted with their head (`address-family ipv6: neighbor X ...`).
     */
    readonly ownsLine?: (address: IpAddress, line: string) => boolean;
    /**
     * Owned neighbors this resource claimed without seeing them after its lines (a batch cut off,
     * the device unreadable after it), with what that batch wrote of each: each is its own only
     * while the device shows it as such a batch leaves it (see {@link asLeftByCutBatch}), or not at all.
     */
    readonly unconfirmed?: Unconfirmed;
}

/**
 * What the batches that claimed a neighbor without confirming it wrote of it (each one's
 * remote-as, and its description with the mark): the lines a cut can have left come from these.
 * Empty lists (a record that does not say) leave only the mark as proof.
 */
export interface UnconfirmedNeighbor {
    readonly remoteAsns: readonly RemoteAs[];
    readonly descriptions: readonly (string | null)[];
}

/** {@link UnconfirmedNeighbor}s by address. */
export type Unconfirmed = ReadonlyMap<IpAddress, UnconfirmedNeighbor>;

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
    /** The part of {@link claimed} the device has not shown as this resource's: recorded as {@link NeighborsState.unconfirmed}. */
    readonly unconfirmed: Unconfirmed;
    /** The addresses this plan adds: the device showed no such neighbor when it was read. */
    readonly adds: ReadonlySet<IpAddress>;
    /** The wanted neighbors as this plan writes them (with the mark, when there is a token): what the device must show after. */
    readonly written: readonly Neighbor[];
}

function asState(state: ReadonlySet<IpAddress> | NeighborsState): NeighborsState {
    return state instanceof Set ? { owned: state as ReadonlySet<IpAddress> } : (state as NeighborsState);
}

const NONE: Unconfirmed = new Map();

/**
 * The owned set as the device corrects it: a neighbor carrying this resource's token is its
 * own (the token is drawn for this resource alone), one carrying another token is not.
 */
function ownedOnDevice(router: BgpRouter | null, state: NeighborsState, token: MarkToken | null): Set<IpAddress> {
    const effective = new Set(state.owned);
    if (router === null) return effective;
    if (token !== null) {
        for (const [address, n] of router.neighbors) {
            const mark = readMark(n.description).token;
            if (mark === token) effective.add(address);
            else if (mark !== null) effective.delete(address);
        }
    }
    for (const [address, wrote] of state.unconfirmed ?? NONE) {
        const n = router.neighbors.get(address);
        if (n !== undefined && effective.has(address) && !asLeftByCutBatch(router, n, wrote, token, state)) effective.delete(address);
    }
    return effective;
}

/**
 * Whether the device shows a neighbor as a batch of this resource can have left it, cut after
 * any line: with its mark; or its `remote-as`, one a batch wrote, alone (with the filter
 * lines that follow it before the mark) or, before marks, with the description the batch wrote.
 * The description line comes right after the filter's and is always written: a neighbor with
 * another remote-as, another description, or lines the resource does not write, was configured
 * by someone else after the batch.
 */
function asLeftByCutBatch(router: BgpRouter, n: RunningNeighbor, wrote: UnconfirmedNeighbor, token: MarkToken | null, state: NeighborsState): boolean {
    if (token !== null && readMark(n.description).token === token) return true;
    if (n.remoteAsn === null || !wrote.remoteAsns.includes(n.remoteAsn)) return false;
    const described = n.description === null || (token === null && wrote.descriptions.includes(n.description));
    // Lines after the description: a cut before it left none of them.
    const later = n.description === null && (n.password !== null || n.updateSource !== null || n.ebgpMultihop !== null);
    return described && !later && foreignLines(router, n, null, state.written ?? new Map(), state.ownsLine).length === 0;
}

/** Lines of a neighbor this resource did not write, which `no neighbor X` would remove with it (in its sections too). */
function foreignLines(router: BgpRouter, n: RunningNeighbor, token: MarkToken | null, written: ReadonlyMap<IpAddress, string | null>, ownsLine: NeighborsState["ownsLine"]): string[] {
    const lines = [...n.otherLines.filter((l) => !ownsLine?.(n.address, l)).map((l) => `neighbor ${n.address} ${l}`), ...(router.takenWith.get(n.address) ?? []).filter((l) => !ownsLine?.(n.address, l))];
    if (token !== null && n.description !== null) {
        const mark = readMark(n.description);
        const ours = mark.token === token || (mark.token === null && written.get(n.address) === n.description);
        if (!ours) lines.push(`neighbor ${n.address} description ${n.description}`);
    }
    return lines;
}

function removalRefusals(router: BgpRouter, leaving: Iterable<IpAddress>, token: MarkToken | null, written: ReadonlyMap<IpAddress, string | null>, ownsLine: NeighborsState["ownsLine"]): Conflict[] {
    const conflicts: Conflict[] = [];
    for (const address of leaving) {
        const n = router.neighbors.get(address);
        const lines = n ? foreignLines(router, n, token, written, ownsLine) : [];
        if (lines.length > 0) conflicts.push({ kind: "foreign-lines", address, lines });
    }
    return conflicts;
}

/**
 * The neighbors' plan. On top of {@link planNeighbors}: with a token, the wanted neighbors are
 * written with the mark; a listed neighbor carrying another resource's mark is refused (even
 * with `adopt`: two resources adopting from each other would fight); and a neighbor leaving the
 * list is refused while it holds lines this resource did not write (`no neighbor X` would take
 * them too).
 */
export function decideNeighbors(running: RunningConfig, state: ReadonlySet<IpAddress> | NeighborsState, want: NeighborsWant): NeighborsDecision | Refused {
    const current = asState(state);
    const { owned, written = new Map(), ownsLine } = current;
    const token = want.token ?? null;
    const found = bgpRouter(running);
    const router = found?.asn === want.asn ? found : null;
    // The mark reclaims a listed neighbor (a lost state); one neither listed nor in the state may be
    // a copy of the resource's lines someone made (its mark with it), so it is never removed for the mark alone.
    const listed = new Set(want.neighbors.map((n) => n.address));
    const effective = new Set<IpAddress>();
    for (const a of ownedOnDevice(router, current, token)) if (owned.has(a) || listed.has(a)) effective.add(a);
    const marks: Conflict[] = [];
    const free: Neighbor[] = [];
    for (const n of want.neighbors) {
        const mark = readMark(router?.neighbors.get(n.address)?.description ?? null);
        if (token !== null && mark.token !== null && mark.token !== token) marks.push({ kind: "marked-neighbor", address: n.address, token: mark.token, description: mark.description });
        else free.push(token === null ? n : marked(token, n));
    }
    const plan = planNeighbors(running, want.asn, free, effective, want.adopt, want.samePassword);
    if (!plan.ok && plan.conflicts.some((c) => c.kind === "uncertain" || c.kind === "no-router" || c.kind === "other-router")) return plan;
    const refusals = router ? removalRefusals(router, [...effective].filter((a) => !listed.has(a)), token, written, ownsLine) : [];
    const conflicts = [...marks, ...(plan.ok ? [] : plan.conflicts), ...refusals];
    if (conflicts.length > 0 || !plan.ok) return { ok: false, conflicts };
    const adds = new Set(plan.changes.flatMap((c) => (c.op === "add-neighbor" ? [c.neighbor.address] : [])));
    const claimed = new Set(effective);
    for (const a of listed) claimed.add(a);
    // Shown as this resource's: owned and confirmed before, or carrying its mark now.
    const shown = (a: IpAddress) => (owned.has(a) && !current.unconfirmed?.has(a)) || (token !== null && readMark(router?.neighbors.get(a)?.description ?? null).token === token);
    // What this batch writes of each, with what the batches before it that could not confirm it wrote:
    // a cut before this batch's first line for a neighbor leaves the earlier batch's lines.
    const writing = new Map(free.map((n) => [n.address, n]));
    const unconfirmed = new Map<IpAddress, UnconfirmedNeighbor>();
    for (const a of claimed) {
        if (shown(a)) continue;
        const earlier = current.unconfirmed?.get(a);
        const now = writing.get(a);
        const remoteAsns = [...(earlier?.remoteAsns ?? []), ...(now ? [now.remoteAsn] : [])];
        const descriptions = [...(earlier?.descriptions ?? []), ...(now ? [now.description] : [])];
        if (earlier !== undefined || now !== undefined) unconfirmed.set(a, { remoteAsns: [...new Set(remoteAsns)], descriptions: [...new Set(descriptions)] });
    }
    return { ok: true, changes: plan.changes, owns: plan.owned, claimed, unconfirmed, adds, written: free };
}

export interface NeighborsConfirmation extends Confirmation<ReadonlySet<IpAddress>> {
    /** See {@link NeighborsDecision.unconfirmed}: empty once the device was read after the lines. */
    readonly unconfirmed: Unconfirmed;
    /** Neighbors another writer configured at the same time: not this resource's. */
    readonly lost: readonly Conflict[];
    /** Changes that restore what this resource overwrote of a neighbor another writer configured first. */
    readonly undo: readonly Change[];
}

/** The changes that take a neighbor from `now` back to `before` (managed fields only), and what cannot be restored. */
function restore(asn: Asn, before: RunningNeighbor, now: RunningNeighbor): { changes: Change[]; notRestored: string[] } {
    const changes: Change[] = [];
    const notRestored: string[] = [];
    if (before.remoteAsn !== now.remoteAsn) {
        if (typeof before.remoteAsn === "number") changes.push({ op: "set-neighbor-remote-as", asn, address: before.address, remoteAsn: before.remoteAsn });
        else notRestored.push(`remote-as ${before.remoteAsn ?? "(none)"}`);
    }
    for (const attribute of NEIGHBOR_ATTRIBUTES) {
        if (before[attribute] === now[attribute]) continue;
        // The device may show a password in another form than it was given: sending that form back would set another password.
        const value = before[attribute];
        if (attribute === "password") notRestored.push("password");
        // A value the CLI would not take as typed (`?` asks vtysh for help mid-line): sent, it would set another.
        else if (typeof value === "string" && !typesAsIs(value)) notRestored.push(attribute);
        else changes.push({ op: "set-neighbor-attribute", asn, address: before.address, attribute, value });
    }
    return { changes, notRestored };
}

/**
 * What the neighbors resource owns after its plan was sent: all it wanted when the device
 * shows the whole plan; otherwise (cut off, or a line not taken) each neighbor it owned or
 * wanted that the device shows. `precheck` is the device read in the same exchange right
 * before the lines: a neighbor this plan adds that it shows was configured by another writer
 * first, who keeps it (what this plan overwrote is restored); one that shows another mark
 * after the lines was written over by another writer since, who keeps it too.
 */
export function confirmNeighbors(decision: NeighborsDecision, want: NeighborsWant, after: RunningConfig | null, precheck: RunningConfig | null = null): NeighborsConfirmation {
    if (after === null) return { owned: decision.claimed, unconfirmed: decision.unconfirmed, missing: null, lost: [], undo: [] };
    const token = want.token ?? null;
    const routerOf = (c: RunningConfig | null) => {
        const r = c && bgpRouter(c);
        return r?.asn === want.asn ? r : null;
    };
    const now = routerOf(after);
    const first = routerOf(precheck);
    const lost: Conflict[] = [];
    const undo: Change[] = [];
    for (const address of decision.adds) {
        const before = first?.neighbors.get(address);
        const shown = now?.neighbors.get(address);
        if (!before) continue;
        const mark = readMark(before.description);
        const restored = shown ? restore(want.asn, before, shown) : { changes: [], notRestored: [] };
        undo.push(...restored.changes);
        lost.push({ kind: "lost-race", address, token: mark.token, description: mark.description, notRestored: restored.notRestored });
    }
    if (token !== null && now) {
        for (const address of decision.claimed) {
            const mark = readMark(now.neighbors.get(address)?.description ?? null);
            if (mark.token !== null && mark.token !== token && !lost.some((c) => "address" in c && c.address === address)) {
                lost.push({ kind: "lost-race", address, token: mark.token, description: mark.description, notRestored: [] });
            }
        }
    }
    const gone = new Set(lost.map((c) => (c as { address: IpAddress }).address));
    // Nothing lost (the common case): the decision's sets and list as they are, not copies of thousands.
    const without = <T>(items: Iterable<T>, key: (item: T) => IpAddress) => [...items].filter((item) => !gone.has(key(item)));
    const kept = gone.size === 0 ? decision.written : without(decision.written, (n) => n.address);
    const owns = gone.size === 0 ? decision.owns : new Set(without(decision.owns, (a) => a));
    const claimed = gone.size === 0 ? decision.claimed : new Set(without(decision.claimed, (a) => a));
    // Against the claim, not only the wanted set: a removal the device did not take is missing too.
    const rest = planNeighbors(after, want.asn, kept, claimed, true, want.samePassword);
    const missing = rest.ok ? rest.changes : [{ op: "create-router", asn: want.asn } as const];
    if (missing.length === 0) return { owned: owns, unconfirmed: NONE, missing, lost, undo };
    const present = now?.neighbors ?? new Map<IpAddress, unknown>();
    return { owned: new Set([...claimed].filter((a) => present.has(a))), unconfirmed: NONE, missing, lost, undo };
}

export type NeighborsRemovalDecision = { readonly ok: true; readonly changes: readonly Change[] };

/**
 * Removes the owned neighbors the device still shows, except those carrying another
 * resource's mark (theirs now); refused while one holds lines this resource did not write.
 */
export function decideNeighborsRemoval(running: RunningConfig, state: ReadonlySet<IpAddress> | NeighborsState, asn: Asn, token: MarkToken | null = null): NeighborsRemovalDecision | Refused {
    const current = asState(state);
    const { owned, written = new Map(), ownsLine } = current;
    const found = bgpRouter(running);
    const router = found?.asn === asn ? found : null;
    const effective = ownedOnDevice(router, current, token);
    // Only what the state claims: a neighbor carrying this token but not in the state is left (never recorded, never removed).
    const mine = new Set([...owned].filter((a) => effective.has(a)));
    const plan = planNeighborsRemoval(running, asn, mine);
    if (!plan.ok) return plan;
    const refusals = router ? removalRefusals(router, mine, token, written, ownsLine) : [];
    return refusals.length > 0 ? { ok: false, conflicts: refusals } : { ok: true, changes: plan.changes };
}

/** After a removal: the removals the device did not take. */
export function confirmNeighborsRemoval(state: ReadonlySet<IpAddress> | NeighborsState, asn: Asn, after: RunningConfig, token: MarkToken | null = null): readonly Change[] {
    const current = asState(state);
    const owned = current.owned;
    const found = bgpRouter(after);
    const effective = ownedOnDevice(found?.asn === asn ? found : null, current, token);
    const left = planNeighborsRemoval(after, asn, new Set([...owned].filter((a) => effective.has(a))));
    return left.ok ? left.changes : [];
}

// ---------------------------------------------------------------------------------------------
// Neighbors with their inbound filter (prefix list and maximum-prefix)

/** What a neighbors resource owns: its neighbors, and the filter lines it put on the device. */
export interface NeighborsOwnership {
    readonly neighbors: ReadonlySet<IpAddress>;
    /** See {@link NeighborsState.written}. */
    readonly written?: ReadonlyMap<IpAddress, string | null>;
    /** See {@link NeighborsState.unconfirmed}. */
    readonly unconfirmed?: Unconfirmed;
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

/** A limit as the filter writes it (`render`: `maximum-prefix N [warning-only]`), after `neighbor X`. */
const MAXIMUM_PREFIX_LINE = /^maximum-prefix \d+(?: warning-only)?$/;

/** The filter lines a neighbor carries that the resource's filter put there. */
function filterLines(owned: NeighborsOwnership): NeighborsState {
    const ownsLine = (address: IpAddress, line: string): boolean => {
        // A section line, quoted with its head: the IPv6 neighbor's attachment of an owned ipv6 list.
        const section = /^address-family ipv6(?: unicast)?: neighbor \S+ prefix-list (\S+) in$/i.exec(line);
        if (section) return owned.filter.ipv6Lists?.has(section[1]!) ?? false;
        // Only the lines the filter writes, as it writes them: `prefix-list NAME out`, or a limit
        // with a threshold or a restart, was added by someone else and goes nowhere unasked.
        const list = /^prefix-list (\S+) in$/.exec(line);
        if (list) return owned.filter.lists.has(list[1]!);
        return MAXIMUM_PREFIX_LINE.test(line) && owned.filter.limits.has(address);
    };
    return { owned: owned.neighbors, written: owned.written, ownsLine, unconfirmed: owned.unconfirmed };
}

function filterIntentOf(want: FilteredNeighborsWant): PrefixFilterIntent {
    return { ...want.filter, neighbors: want.neighbors.map((n) => n.address) };
}

/**
 * The neighbors' plan and, for the same batch, the filter's: a neighbor the batch creates gets
 * its filter in it. Refused when either would touch what the resource does not own.
 */
export function decideFilteredNeighbors(view: FilterView, owned: NeighborsOwnership, want: FilteredNeighborsWant): FilteredNeighborsDecision | Refused {
    const neighbors = decideNeighbors(view.running, filterLines(owned), want);
    if (!neighbors.ok) return neighbors;
    const intent = filterIntentOf(want);
    const created = new Set(neighbors.changes.flatMap((c) => (c.op === "add-neighbor" ? [c.neighbor.address] : [])));
    // The neighbors the neighbor plan takes for the resource's (not one its state claims that the device shows as another's).
    const filter = planPrefixFilter(view, want.asn, intent, owned.filter, { owned: neighbors.claimed, created }, want.adopt);
    if (!filter.ok) return filter;
    const claimedFilter: PrefixFilterOwnership = {
        lists: new Set([...owned.filter.lists, ...(want.filter.list?.entries.some((e) => !e.prefix.includes(":")) ? [want.filter.list.name] : [])]),
        ipv6Lists: new Set([...(owned.filter.ipv6Lists ?? []), ...(want.filter.list?.entries.some((e) => e.prefix.includes(":")) ? [want.filter.list.name] : [])]),
        limits: new Set([...owned.filter.limits, ...(want.filter.maximumPrefix ? intent.neighbors : [])]),
    };
    return { ok: true, neighbors, filterChanges: filter.changes, claimed: { neighbors: neighbors.claimed, unconfirmed: neighbors.unconfirmed, filter: claimedFilter } };
}

export interface FilteredConfirmation {
    readonly owned: NeighborsOwnership;
    /** What the device does not show of the plan; null when it could not be read. */
    readonly missing: { readonly neighbors: readonly Change[]; readonly filter: readonly FilterChange[] } | null;
    /** Wanted neighbors the device holds without the wanted inbound list (a batch cut between a neighbor and its filter). */
    readonly unfiltered: readonly IpAddress[];
    /** See {@link NeighborsConfirmation}. */
    readonly lost: readonly Conflict[];
    readonly undo: readonly Change[];
    /** The filter lines this batch put on a neighbor another writer configured first, set back as that writer had them. */
    readonly filterUndo: readonly FilterChange[];
}

/**
 * The inbound list and limit of a neighbor taken from `now` back to `before`, and what cannot be
 * put back: a limit in a form the filter does not write (a threshold, a restart interval) is
 * named, never sent in the form the filter reads it as (that would drop its threshold, or read
 * `restart` as no limit and remove it).
 */
function restoreFilter(asn: Asn, before: { router: BgpRouter; n: RunningNeighbor }, now: { router: BgpRouter; n: RunningNeighbor }): { changes: FilterChange[]; notRestored: string[] } {
    const was = neighborFilter(before.n);
    const is = neighborFilter(now.n);
    const address = before.n.address;
    const changes: FilterChange[] = [];
    const notRestored: string[] = [];
    // Where the neighbor's family keeps it: the router's level for IPv4, the IPv6 section for IPv6.
    const wasIn = inboundList(before.router, before.n);
    const isIn = inboundList(now.router, now.n);
    if (wasIn !== isIn) {
        changes.push(wasIn !== null ? { op: "set-neighbor-prefix-list-in", asn, address, name: wasIn, previous: isIn } : { op: "remove-neighbor-prefix-list-in", asn, address, name: isIn! });
    }
    const limits = (n: RunningNeighbor) => n.otherLines.filter((l) => /^maximum-prefix\s/.test(l));
    const unwritable = limits(before.n).filter((l) => !MAXIMUM_PREFIX_LINE.test(l));
    if (unwritable.length > 0) {
        if (limits(now.n).join("\n") !== limits(before.n).join("\n")) notRestored.push(...unwritable);
    } else if (JSON.stringify(was.maximumPrefix) !== JSON.stringify(is.maximumPrefix)) {
        changes.push({ op: "set-neighbor-maximum-prefix", asn, address, value: was.maximumPrefix });
    }
    return { changes, notRestored };
}

/**
 * What this batch wrote of the filter on a neighbor another writer configured after it, when
 * what was there before is not known (with marks there is no read right before the lines): the
 * resource's own list, which no other writer names, is taken off again, and named (the list
 * that writer had there before it, if any, is not known); a limit the device still shows at this
 * batch's value may be this batch's or the same one that writer set, so it is named, not removed.
 */
function batchFilterLeft(asn: Asn, changes: readonly FilterChange[], router: BgpRouter | null, now: RunningNeighbor): { changes: FilterChange[]; notRestored: string[] } {
    const shown = neighborFilter(now);
    const inbound = inboundList(router, now);
    const undo: FilterChange[] = [];
    const notRestored: string[] = [];
    for (const c of changes) {
        if (!("address" in c) || c.address !== now.address) continue;
        if (c.op === "set-neighbor-prefix-list-in" && inbound === c.name) {
            undo.push({ op: "remove-neighbor-prefix-list-in", asn, address: c.address, name: c.name });
            notRestored.push(`an inbound list that writer may have set before this operation's prefix-list ${c.name} in (taken off)`);
        }
        if (c.op === "set-neighbor-maximum-prefix" && c.value !== null && shown.maximumPrefix !== null && shown.maximumPrefix.limit === c.value.limit && shown.maximumPrefix.warningOnly === c.value.warningOnly) {
            notRestored.push(`maximum-prefix ${c.value.limit}${c.value.warningOnly ? " warning-only" : ""} (written by this operation, or the same limit set by that writer)`);
        }
    }
    return { changes: undo, notRestored };
}

/** What the resource owns after the batch (complete or cut off), what is missing, and which neighbors are up unfiltered. */
export function confirmFilteredNeighbors(
    decision: FilteredNeighborsDecision,
    owned: NeighborsOwnership,
    want: FilteredNeighborsWant,
    after: FilterView | null,
    precheck: RunningConfig | null = null,
): FilteredConfirmation {
    const neighbors = confirmNeighbors(decision.neighbors, want, after?.running ?? null, precheck);
    if (after === null) return { owned: decision.claimed, missing: null, unfiltered: [], lost: [], undo: [], filterUndo: [] };
    const gone = new Set(neighbors.lost.map((c) => (c as { address: IpAddress }).address));
    const firstRouter = precheck && bgpRouter(precheck);
    const nowRouter = bgpRouter(after.running);
    const filterUndo: FilterChange[] = [];
    const notRestored = new Map<IpAddress, string[]>();
    const mineNow = nowRouter?.asn === want.asn ? nowRouter : null;
    for (const address of gone) {
        const before = firstRouter?.asn === want.asn ? firstRouter.neighbors.get(address) : undefined;
        const now = mineNow?.neighbors.get(address);
        if (now === undefined) continue;
        if (before) {
            const restored = restoreFilter(want.asn, { router: firstRouter!, n: before }, { router: mineNow!, n: now });
            filterUndo.push(...restored.changes);
            notRestored.set(address, restored.notRestored);
        } else if (precheck === null) {
            const left = batchFilterLeft(want.asn, decision.filterChanges, mineNow, now);
            filterUndo.push(...left.changes);
            notRestored.set(address, left.notRestored);
        }
    }
    const lost = neighbors.lost.map((c) => (c.kind === "lost-race" && (notRestored.get(c.address)?.length ?? 0) > 0 ? { ...c, notRestored: [...c.notRestored, ...notRestored.get(c.address)!] } : c));
    // A lost neighbor is the other writer's, its filter lines with it.
    const intent = { ...filterIntentOf(want), neighbors: want.neighbors.map((n) => n.address).filter((a) => !gone.has(a)) };
    const afterFilter = filterOwnershipAfter(owned.filter, intent, after, want.asn);
    const filter = { ...afterFilter, limits: new Set([...afterFilter.limits].filter((a) => !gone.has(a))) };
    const rest = planPrefixFilter(after, want.asn, intent, filter, { owned: neighbors.owned, created: new Set() }, true);
    return {
        owned: { neighbors: neighbors.owned, filter },
        missing: { neighbors: neighbors.missing ?? [], filter: rest.ok ? rest.changes : [] },
        unfiltered: unfilteredNeighbors(intent, after, want.asn),
        lost,
        undo: neighbors.undo,
        filterUndo,
    };
}

export type FilteredNeighborsRemovalDecision = { readonly ok: true; readonly neighbors: readonly Change[]; readonly filter: readonly FilterChange[] };

/** Removes the owned neighbors and then the owned lists, unless a neighbor the resource does not own still names one. */
export function decideFilteredNeighborsRemoval(view: FilterView, owned: NeighborsOwnership, asn: Asn, token: MarkToken | null = null): FilteredNeighborsRemovalDecision | Refused {
    const neighbors = decideNeighborsRemoval(view.running, filterLines(owned), asn, token);
    if (!neighbors.ok) return neighbors;
    // The neighbors this removal takes, their filter lines with them: not one the state claims that the device shows as another's.
    const removed = new Set(neighbors.changes.flatMap((c) => (c.op === "remove-neighbor" ? [c.address] : [])));
    const filter = planPrefixFilterRemoval(view, asn, owned.filter, removed);
    return filter.ok ? { ok: true, neighbors: neighbors.changes, filter: filter.changes } : filter;
}

/** After a removal: what the device did not take. */
export function confirmFilteredNeighborsRemoval(
    owned: NeighborsOwnership,
    asn: Asn,
    after: FilterView,
    token: MarkToken | null = null,
): { readonly neighbors: readonly Change[]; readonly filter: readonly FilterChange[] } {
    const filter = planPrefixFilterRemoval(after, asn, owned.filter, owned.neighbors);
    return { neighbors: confirmNeighborsRemoval(filterLines(owned), asn, after.running, token), filter: filter.ok ? filter.changes : [] };
}
