/**
 * The ADC's inbound route filter on the nodes' neighbors: one `ip prefix-list` owned by the
 * resource, `neighbor X prefix-list NAME in` and `neighbor X maximum-prefix N` on each owned
 * neighbor. Parse (from `show running-config`), plan (the minimal line delta, touching only what
 * is owned), render (vtysh lines) and predict (the effect of the changes), all pure.
 *
 * The syntax is Quagga's, which ZebOS shares: `ip prefix-list NAME seq N permit|deny A.B.C.D/M
 * [ge G] [le L]`. Quagga stores `ge G le 32` as `ge G` (the same set of routes), so entries are
 * compared in that normal form whichever form the device shows.
 */
import type { ConfigLine } from "../device/types";
import { parseConfigTree, type ConfigNode, type ConfigTree, type UncertainRegion } from "./configTree";
import type { Change } from "./changes";
import type { RunningConfig, RunningNeighbor } from "./model";
import { renderChanges } from "./render";
import { bgpRouter, parseRunningConfig } from "./parseRunningConfig";
import { doubts } from "./plan";
import type { Asn, IpAddress } from "./values";

/** One entry of an `ip prefix-list`, in normal form (no `le` equal to the host length when `ge` is set). */
export interface PrefixListEntry {
    readonly seq: number;
    readonly action: "permit" | "deny";
    /** `network/len`, host bits clear. */
    readonly prefix: string;
    readonly ge: number | null;
    readonly le: number | null;
}

/** A prefix list by name, entries in sequence order. */
export interface PrefixList {
    readonly name: string;
    readonly entries: readonly PrefixListEntry[];
}

/** A neighbor's prefix limit: at most `limit` prefixes, else the session is torn down (or, with `warningOnly`, a warning is logged). */
export interface MaximumPrefix {
    readonly limit: number;
    readonly warningOnly: boolean;
}

/**
 * What the resource wants on its neighbors: its list applied inbound (null: no filter, and any
 * owned list goes) and a limit (null: none managed, and limits the resource set go).
 */
export interface PrefixFilterIntent {
    readonly list: PrefixList | null;
    readonly maximumPrefix: MaximumPrefix | null;
    /** The resource's wanted neighbors, which the neighbor plan of the same batch creates or keeps. */
    readonly neighbors: readonly IpAddress[];
}

/** What the resource has put on the device: list names it created, neighbors whose limit it set. */
export interface PrefixFilterOwnership {
    readonly lists: ReadonlySet<string>;
    readonly limits: ReadonlySet<IpAddress>;
}

export const NO_FILTER_OWNED: PrefixFilterOwnership = { lists: new Set(), limits: new Set() };

/** What the filter plan reads from the device: the router, the prefix lists, and the doubts over where list lines stand. */
export interface FilterView {
    readonly running: RunningConfig;
    readonly lists: ReadonlyMap<string, readonly PrefixListEntry[]>;
    /** Regions around `ip prefix-list` lines whose layout does not prove what they are. */
    readonly listDoubts: readonly UncertainRegion[];
    /**
     * Top-level `ip prefix-list NAME ...` lines this package cannot read as an entry (FRR's and
     * Quagga's `permit any`, a form of another build), by list name: an entry it cannot see.
     */
    readonly unreadListLines: ReadonlyMap<string, readonly { readonly lineNo: number; readonly text: string }[]>;
    /** Every line, at any depth, that names a prefix list (other than the list's own `ip prefix-list` lines), by list name. */
    readonly listReferences: ReadonlyMap<string, readonly ListReference[]>;
}

/** A line that uses a prefix list: a neighbor's filter, a route-map's `match ip address prefix-list`, ... */
export interface ListReference {
    readonly lineNo: number;
    readonly text: string;
    readonly parents: readonly string[];
}

/** The filter's view of `show running-config` (`running` is its parse, passed when the caller has it). */
export function filterView(runningConfig: string, running?: RunningConfig): FilterView {
    // One parse of the tree serves the router and every list reading: a read of thousands of neighbors is on the hot path.
    const tree = parseConfigTree(runningConfig);
    return {
        running: running ?? parseRunningConfig(runningConfig, tree),
        lists: prefixListsOf(tree),
        listDoubts: prefixListDoubts(tree),
        unreadListLines: unreadPrefixListLines(tree),
        listReferences: prefixListReferences(tree),
    };
}

/** Adds `value` to the list under `key`, in place: every owned neighbor names the list, thousands of lines under one key. */
function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else list.push(value);
}

/** Top-level lines of a list that are not an entry this package reads (its `description` line aside). */
function unreadPrefixListLines(tree: ConfigTree): ReadonlyMap<string, readonly { lineNo: number; text: string }[]> {
    const unread = new Map<string, { lineNo: number; text: string }[]>();
    for (const block of tree.blocks) {
        const m = /^ip prefix-list (\S+) (\S+)/.exec(block.text);
        if (block.indent > 0 || !m || m[2] === "description" || parsePrefixListLine(block.text)) continue;
        appendTo(unread, m[1]!, { lineNo: block.lineNo, text: block.text });
    }
    return unread;
}

/**
 * The lines that name a prefix list, wherever they stand: removing a list changes what each of
 * them does (a route-map's match, a neighbor's filter in an address family or another router).
 */
function prefixListReferences(tree: ConfigTree): ReadonlyMap<string, readonly ListReference[]> {
    const refs = new Map<string, ListReference[]>();
    const visit = (n: ConfigNode) => {
        const m = /(?:^|\s)prefix-list\s+(\S+)/i.exec(n.text);
        if (m && !/^(?:no\s+)?ipv?6?\s+prefix-list\s/i.test(n.text)) appendTo(refs, m[1]!, { lineNo: n.lineNo, text: n.text, parents: n.parents });
        n.children.forEach(visit);
    };
    tree.blocks.forEach(visit);
    return refs;
}

/**
 * Doubtful regions that quote a prefix-list line (a wrapped `ip prefix-list` line, one printed
 * where a block's body should be), anywhere in the configuration: any of them may hide an
 * entry or a list name.
 */
function prefixListDoubts(tree: ConfigTree): UncertainRegion[] {
    return [...tree.uncertain, ...tree.blocks.flatMap((b) => b.uncertain)].filter((r) => r.lines.some((l) => /prefix-list/i.test(l.text)));
}

export type FilterChange =
    | { readonly op: "add-prefix-list-entry"; readonly name: string; readonly entry: PrefixListEntry }
    | { readonly op: "remove-prefix-list-entry"; readonly name: string; readonly entry: PrefixListEntry }
    | { readonly op: "remove-prefix-list"; readonly name: string }
    | { readonly op: "set-neighbor-prefix-list-in"; readonly asn: Asn; readonly address: IpAddress; readonly name: string; readonly previous: string | null }
    | { readonly op: "remove-neighbor-prefix-list-in"; readonly asn: Asn; readonly address: IpAddress; readonly name: string }
    | { readonly op: "set-neighbor-maximum-prefix"; readonly asn: Asn; readonly address: IpAddress; readonly value: MaximumPrefix | null };

export type FilterConflict =
    /** A list of that name exists and the resource did not create it. */
    | { readonly kind: "foreign-prefix-list"; readonly name: string; readonly entries: readonly PrefixListEntry[] }
    /** The neighbor is neither on the device nor created by the neighbor plan of the batch. */
    | { readonly kind: "no-neighbor"; readonly address: IpAddress }
    /** A neighbor the resource does not own names a list the resource would remove. */
    | { readonly kind: "list-used-by-foreign-neighbor"; readonly name: string; readonly address: IpAddress; readonly description: string | null }
    /** Lines other than the main router's neighbor lines (a route-map, an address family, another router) name a list the resource would remove. */
    | { readonly kind: "list-referenced-elsewhere"; readonly name: string; readonly lines: readonly { readonly lineNo: number; readonly text: string }[] }
    /** `ip prefix-list` holds IPv4 prefixes only: an IPv6 neighbor would run unfiltered. */
    | { readonly kind: "ipv6-neighbor-unfiltered"; readonly address: IpAddress; readonly name: string }
    /** The layout does not prove what the lines belong to, so nothing is planned. */
    | { readonly kind: "uncertain"; readonly regions: readonly UncertainRegion[] };

export type FilterPlan = { readonly ok: true; readonly changes: readonly FilterChange[]; readonly owned: PrefixFilterOwnership } | { readonly ok: false; readonly conflicts: readonly FilterConflict[] };

const hostLength = (prefix: string) => (prefix.includes(":") ? 128 : 32);

/** The normal form of an entry: `le` equal to the host length is dropped when `ge` is set. */
export function normalEntry(e: PrefixListEntry): PrefixListEntry {
    return e.ge !== null && e.le === hostLength(e.prefix) ? { ...e, le: null } : e;
}

/** `seq 5 permit 192.168.0.0/16 ge 26`. */
function entryWords(e: PrefixListEntry): string {
    return `seq ${e.seq} ${e.action} ${e.prefix}${e.ge !== null ? ` ge ${e.ge}` : ""}${e.le !== null ? ` le ${e.le}` : ""}`;
}

/** `ip prefix-list NAME seq N permit|deny P [ge G] [le L]` → name and entry; null for any other line. */
export function parsePrefixListLine(text: string): { name: string; entry: PrefixListEntry } | null {
    const m = /^ip prefix-list (\S+) seq (\d+) (permit|deny) (\S+?\/\d+)(?: ge (\d+))?(?: le (\d+))?$/.exec(text.trim());
    if (!m) return null;
    const entry: PrefixListEntry = { seq: Number(m[2]), action: m[3] as "permit" | "deny", prefix: m[4]!, ge: m[5] === undefined ? null : Number(m[5]), le: m[6] === undefined ? null : Number(m[6]) };
    return { name: m[1]!, entry: normalEntry(entry) };
}

/** The device's prefix lists, from `show running-config` (top-level lines only). */
export function parsePrefixLists(runningConfig: string): ReadonlyMap<string, readonly PrefixListEntry[]> {
    return prefixListsOf(parseConfigTree(runningConfig));
}

function prefixListsOf(tree: ConfigTree): ReadonlyMap<string, readonly PrefixListEntry[]> {
    const lists = new Map<string, PrefixListEntry[]>();
    for (const block of tree.blocks) {
        if (block.indent > 0) continue;
        const parsed = parsePrefixListLine(block.text);
        if (!parsed) continue;
        const entries = lists.get(parsed.name) ?? [];
        entries.push(parsed.entry);
        lists.set(parsed.name, entries);
    }
    for (const entries of lists.values()) entries.sort((a, b) => a.seq - b.seq);
    return lists;
}

/** A neighbor's inbound prefix list and limit, from its lines the neighbor model keeps verbatim. */
export function neighborFilter(n: RunningNeighbor): { prefixListIn: string | null; maximumPrefix: MaximumPrefix | null } {
    let prefixListIn: string | null = null;
    let maximumPrefix: MaximumPrefix | null = null;
    for (const line of n.otherLines) {
        const pl = /^prefix-list (\S+) in$/.exec(line);
        if (pl) prefixListIn = pl[1]!;
        const mp = /^maximum-prefix (\d+)(?: \d+)?( warning-only)?$/.exec(line);
        if (mp) maximumPrefix = { limit: Number(mp[1]), warningOnly: mp[2] !== undefined };
    }
    return { prefixListIn, maximumPrefix };
}

const sameRule = (a: PrefixListEntry, b: PrefixListEntry) => a.action === b.action && a.prefix === b.prefix && a.ge === b.ge && a.le === b.le;
const sameEntry = (a: PrefixListEntry, b: PrefixListEntry) => a.seq === b.seq && sameRule(a, b);
const sameLimit = (a: MaximumPrefix | null, b: MaximumPrefix | null) => (a === null ? b === null : b !== null && a.limit === b.limit && a.warningOnly === b.warningOnly);

/**
 * The changes that give the device the wanted list and put it, with the limit, on each wanted
 * neighbor, touching only what the resource owns. Entries of the owned list that are not wanted
 * go; a list of that name that the resource did not create is a conflict unless `adopt`. Owned
 * lists no longer wanted are removed once no neighbor names them: on a neighbor of the resource
 * the reference goes with it (or is replaced), and one on any other neighbor is a conflict (its
 * filter is not the resource's to change). Nothing is planned while the layout is in doubt.
 *
 * `neighbors`: the neighbors the resource owned before this plan; those it no longer wants are
 * removed by the neighbor plan of the same batch, with their lines. `created`: wanted neighbors
 * that batch adds (not on the device yet).
 */
export function planPrefixFilter(
    view: FilterView,
    asn: Asn,
    intent: PrefixFilterIntent,
    owned: PrefixFilterOwnership,
    neighbors: { readonly owned: ReadonlySet<IpAddress>; readonly created: ReadonlySet<IpAddress> },
    adopt: boolean,
): FilterPlan {
    // A list the plan edits or removes with an entry it cannot read: its plan would be a guess.
    const touched = new Set([...owned.lists, ...(intent.list ? [intent.list.name] : [])]);
    const unread = [...touched].flatMap((n) => {
        const lines = view.unreadListLines.get(n);
        return lines ? [{ reason: `a line of "ip prefix-list ${n}" that is not an entry this package reads (ip prefix-list NAME seq N permit|deny A.B.C.D/M [ge G] [le L])`, lines }] : [];
    });
    const regions = [...doubts(view.running), ...view.listDoubts, ...unread];
    if (regions.length > 0) return { ok: false, conflicts: [{ kind: "uncertain", regions }] };
    const conflicts: FilterConflict[] = [];
    const changes: FilterChange[] = [];
    const router = bgpRouter(view.running);
    const onDevice = router?.asn === asn ? router.neighbors : new Map<IpAddress, RunningNeighbor>();
    const wanted = new Set(intent.neighbors);
    const name = intent.list?.name ?? null;

    if (intent.list !== null) {
        const list = intent.list;
        // A rule repeated under another number is one rule to the device (Quagga ignores the repeat).
        const wantedEntries = list.entries.map(normalEntry).filter((e, i, all) => all.findIndex((o) => sameRule(o, e)) === i);
        const existing = view.lists.get(list.name);
        if (existing && !owned.lists.has(list.name) && !adopt) conflicts.push({ kind: "foreign-prefix-list", name: list.name, entries: existing });
        const have = existing ?? [];
        // Removals first: a sequence number reused for another rule is then added cleanly.
        for (const e of have) if (!wantedEntries.some((w) => sameEntry(w, e))) changes.push({ op: "remove-prefix-list-entry", name: list.name, entry: e });
        for (const w of wantedEntries) if (!have.some((e) => sameEntry(w, e))) changes.push({ op: "add-prefix-list-entry", name: list.name, entry: w });
    }

    const limits = new Set<IpAddress>();
    for (const address of intent.neighbors) {
        const n = onDevice.get(address);
        const created = neighbors.created.has(address);
        if (!n && !created) {
            conflicts.push({ kind: "no-neighbor", address });
            continue;
        }
        if (name !== null && address.includes(":")) {
            conflicts.push({ kind: "ipv6-neighbor-unfiltered", address, name });
            continue;
        }
        const f = n ? neighborFilter(n) : { prefixListIn: null, maximumPrefix: null };
        if (name !== null && f.prefixListIn !== name) changes.push({ op: "set-neighbor-prefix-list-in", asn, address, name, previous: f.prefixListIn });
        if (name === null && f.prefixListIn !== null && owned.lists.has(f.prefixListIn)) changes.push({ op: "remove-neighbor-prefix-list-in", asn, address, name: f.prefixListIn });
        if (intent.maximumPrefix !== null) {
            limits.add(address);
            if (!sameLimit(f.maximumPrefix, intent.maximumPrefix)) changes.push({ op: "set-neighbor-maximum-prefix", asn, address, value: intent.maximumPrefix });
        } else if (owned.limits.has(address) && f.maximumPrefix !== null) {
            changes.push({ op: "set-neighbor-maximum-prefix", asn, address, value: null });
        }
    }

    for (const old of owned.lists) {
        if (old === name || !view.lists.has(old)) continue;
        for (const n of onDevice.values()) {
            // A neighbor of the resource: its reference is replaced above, or goes with the neighbor.
            if (neighborFilter(n).prefixListIn !== old || wanted.has(n.address) || neighbors.owned.has(n.address)) continue;
            conflicts.push({ kind: "list-used-by-foreign-neighbor", name: old, address: n.address, description: n.description });
        }
        // The main router's own neighbor lines are judged above; any other line naming the list is not the resource's.
        const head = router ? `router bgp ${router.asn}` : null;
        const elsewhere = (view.listReferences.get(old) ?? []).filter((r) => !(r.parents.length === 1 && r.parents[0]!.toLowerCase() === head && /^neighbor\s/i.test(r.text)));
        if (elsewhere.length > 0) conflicts.push({ kind: "list-referenced-elsewhere", name: old, lines: elsewhere.map((r) => ({ lineNo: r.lineNo, text: r.text })) });
        changes.push({ op: "remove-prefix-list", name: old });
    }
    if (conflicts.length > 0) return { ok: false, conflicts };
    return { ok: true, changes, owned: { lists: new Set(name === null ? [] : [name]), limits } };
}

/** Removing the filter with the resource's neighbors (which take their own references and limits with them). */
export function planPrefixFilterRemoval(view: FilterView, asn: Asn, owned: PrefixFilterOwnership, neighbors: ReadonlySet<IpAddress>): FilterPlan {
    return planPrefixFilter(view, asn, { list: null, maximumPrefix: null, neighbors: [] }, owned, { owned: neighbors, created: new Set() }, false);
}

/** The filter's lines by place in a batch: list entries (global), neighbor lines (router), whole lists removed (global). */
function filterLineParts(changes: readonly FilterChange[]): { first: ConfigLine[]; router: ConfigLine[]; last: ConfigLine[] } {
    const first: ConfigLine[] = [];
    const router: ConfigLine[] = [];
    const last: ConfigLine[] = [];
    for (const c of changes) {
        switch (c.op) {
            case "remove-prefix-list-entry":
                first.push({ context: "global", text: `no ip prefix-list ${c.name} ${entryWords(c.entry)}` });
                break;
            case "add-prefix-list-entry":
                first.push({ context: "global", text: `ip prefix-list ${c.name} ${entryWords(c.entry)}` });
                break;
            case "remove-prefix-list":
                last.push({ context: "global", text: `no ip prefix-list ${c.name}` });
                break;
            case "set-neighbor-prefix-list-in":
                // Setting a direction's list replaces the previous one (Quagga); no `no` line needed.
                router.push({ context: { routerBgp: c.asn }, text: `neighbor ${c.address} prefix-list ${c.name} in` });
                break;
            case "remove-neighbor-prefix-list-in":
                router.push({ context: { routerBgp: c.asn }, text: `no neighbor ${c.address} prefix-list ${c.name} in` });
                break;
            case "set-neighbor-maximum-prefix":
                router.push({
                    context: { routerBgp: c.asn },
                    text: c.value === null ? `no neighbor ${c.address} maximum-prefix` : `neighbor ${c.address} maximum-prefix ${c.value.limit}${c.value.warningOnly ? " warning-only" : ""}`,
                });
                break;
        }
    }
    return { first, router, last };
}

/**
 * Lines for the changes: list entries first (global), so a neighbor never names a list that is
 * not there yet, then the neighbors' lines, then whole lists removed (global), once nothing names them.
 */
export function renderFilterChanges(changes: readonly FilterChange[]): ConfigLine[] {
    const { first, router, last } = filterLineParts(changes);
    return [...first, ...router, ...last];
}

/**
 * One batch for the neighbor plan and the filter plan. The list's entries come first, so a
 * neighbor never names a list that is not there; a neighbor the batch creates gets its filter
 * and limit on the lines right after its `remote-as` (a neighbor cannot take them before it
 * exists), before any other of its lines, so that nothing the device reads in between leaves it
 * up unfiltered for longer than one line; lists that go are removed last, once nothing names them.
 */
export function renderNeighborsWithFilter(neighborChanges: readonly Change[], filterChanges: readonly FilterChange[]): ConfigLine[] {
    const neighbors = renderChanges(neighborChanges);
    const { first, router, last } = filterLineParts(filterChanges);
    const added = new Set(neighborChanges.flatMap((c) => (c.op === "add-neighbor" ? [c.neighbor.address as string] : [])));
    const created = new Map<string, ConfigLine[]>();
    const rest: ConfigLine[] = [];
    for (const line of router) {
        const address = /^(?:no )?neighbor (\S+) /.exec(line.text)![1]!;
        if (added.has(address)) created.set(address, [...(created.get(address) ?? []), line]);
        else rest.push(line);
    }
    const global = neighbors.filter((l) => l.context === "global" && !/^no router bgp /.test(l.text));
    const removals = neighbors.filter((l) => l.context === "global" && /^no router bgp /.test(l.text));
    const body: ConfigLine[] = [];
    for (const l of neighbors) {
        if (l.context === "global") continue;
        body.push(l);
        const address = /^neighbor (\S+) remote-as /.exec(l.text)?.[1];
        const attached = address === undefined ? undefined : created.get(address);
        if (attached) {
            body.push(...attached);
            created.delete(address!);
        }
    }
    return [...first, ...global, ...body, ...rest, ...removals, ...last];
}

/** What the device should hold after `changes` (lists, and each neighbor's kept lines), as the planner understands the CLI. */
export function applyFilterChanges(
    config: RunningConfig,
    lists: ReadonlyMap<string, readonly PrefixListEntry[]>,
    changes: readonly FilterChange[],
): { config: RunningConfig; lists: ReadonlyMap<string, readonly PrefixListEntry[]> } {
    const nextLists = new Map([...lists].map(([k, v]) => [k, [...v]]));
    let next = config;
    const onNeighbor = (asn: Asn, address: IpAddress, fn: (lines: string[]) => string[]) => {
        next = {
            ...next,
            routers: next.routers.map((r) => {
                if (r.asn !== asn || r.vrf !== null) return r;
                const n = r.neighbors.get(address);
                if (!n) return r;
                const neighbors = new Map(r.neighbors);
                neighbors.set(address, { ...n, otherLines: fn([...n.otherLines]) });
                return { ...r, neighbors };
            }),
        };
    };
    for (const c of changes) {
        switch (c.op) {
            case "add-prefix-list-entry": {
                const entries = (nextLists.get(c.name) ?? []).filter((e) => e.seq !== c.entry.seq);
                entries.push(c.entry);
                nextLists.set(c.name, entries.sort((a, b) => a.seq - b.seq));
                break;
            }
            case "remove-prefix-list-entry": {
                const entries = (nextLists.get(c.name) ?? []).filter((e) => !sameEntry(e, c.entry));
                if (entries.length === 0) nextLists.delete(c.name);
                else nextLists.set(c.name, entries);
                break;
            }
            case "remove-prefix-list":
                nextLists.delete(c.name);
                break;
            case "set-neighbor-prefix-list-in":
                onNeighbor(c.asn, c.address, (lines) => [...lines.filter((l) => !/^prefix-list \S+ in$/.test(l)), `prefix-list ${c.name} in`]);
                break;
            case "remove-neighbor-prefix-list-in":
                onNeighbor(c.asn, c.address, (lines) => lines.filter((l) => l !== `prefix-list ${c.name} in`));
                break;
            case "set-neighbor-maximum-prefix":
                onNeighbor(c.asn, c.address, (lines) => [
                    ...lines.filter((l) => !l.startsWith("maximum-prefix ")),
                    ...(c.value ? [`maximum-prefix ${c.value.limit}${c.value.warningOnly ? " warning-only" : ""}`] : []),
                ]);
                break;
        }
    }
    return { config: next, lists: nextLists };
}

/**
 * What the resource owns once the device shows `view`, after an apply that may have stopped
 * anywhere: of the lists it owned or wanted, those the device holds; of the neighbors whose
 * limit it owned or set, those that show a limit. (A wanted list that was someone else's was
 * refused before anything was sent, unless adopted.)
 */
export function filterOwnershipAfter(before: PrefixFilterOwnership, intent: PrefixFilterIntent, view: FilterView, asn: Asn): PrefixFilterOwnership {
    const router = bgpRouter(view.running);
    const onDevice = router?.asn === asn ? router.neighbors : new Map<IpAddress, RunningNeighbor>();
    const lists = new Set([...before.lists, ...(intent.list ? [intent.list.name] : [])].filter((n) => view.lists.has(n)));
    const candidates = new Set([...before.limits, ...(intent.maximumPrefix ? intent.neighbors : [])]);
    const limits = new Set([...candidates].filter((a) => {
        const n = onDevice.get(a);
        return n !== undefined && neighborFilter(n).maximumPrefix !== null;
    }));
    return { lists, limits };
}

/**
 * How the device's filter differs from the intent on the resource's neighbors, one sentence a
 * difference (empty when it holds what was asked): what `pulumi refresh` shows as drift beyond
 * the list's entries.
 */
export function filterDrift(intent: PrefixFilterIntent, view: FilterView, asn: Asn): string[] {
    const drift: string[] = [];
    const router = bgpRouter(view.running);
    const onDevice = router?.asn === asn ? router.neighbors : new Map<IpAddress, RunningNeighbor>();
    if (intent.list) {
        const have = view.lists.get(intent.list.name) ?? [];
        const want = intent.list.entries.map(normalEntry);
        for (const e of have) if (!want.some((w) => sameEntry(w, e))) drift.push(`ip prefix-list ${intent.list.name} ${entryWords(e)} is on the device and not asked for`);
        for (const w of want) if (!have.some((e) => sameEntry(w, e))) drift.push(`ip prefix-list ${intent.list.name} ${entryWords(w)} is missing`);
        for (const l of view.unreadListLines.get(intent.list.name) ?? []) drift.push(`"${l.text}" is on the device and is not an entry this package reads`);
    }
    for (const address of intent.neighbors) {
        const n = onDevice.get(address);
        if (!n) continue;
        const f = neighborFilter(n);
        if (intent.list && f.prefixListIn !== intent.list.name) drift.push(`neighbor ${address} ${f.prefixListIn === null ? "has no inbound prefix-list" : `uses prefix-list ${f.prefixListIn} in`} (wanted ${intent.list.name})`);
        if (intent.maximumPrefix && !sameLimit(f.maximumPrefix, intent.maximumPrefix)) {
            drift.push(`neighbor ${address} ${f.maximumPrefix === null ? "has no maximum-prefix" : `has maximum-prefix ${f.maximumPrefix.limit}${f.maximumPrefix.warningOnly ? " warning-only" : ""}`} (wanted ${intent.maximumPrefix.limit}${intent.maximumPrefix.warningOnly ? " warning-only" : ""})`);
        }
    }
    return drift;
}

/** The intent's neighbors the device holds without the wanted inbound list (none when no list is wanted). */
export function unfilteredNeighbors(intent: PrefixFilterIntent, view: FilterView, asn: Asn): IpAddress[] {
    if (!intent.list) return [];
    const router = bgpRouter(view.running);
    if (!router || router.asn !== asn) return [];
    return intent.neighbors.filter((a) => {
        const n = router.neighbors.get(a);
        return n !== undefined && neighborFilter(n).prefixListIn !== intent.list!.name;
    });
}
