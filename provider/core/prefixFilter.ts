/**
 * The ADC's inbound route filter on the nodes' neighbors: one `ip prefix-list` owned by the
 * resource, `neighbor X prefix-list NAME in` and `neighbor X maximum-prefix N` on each owned
 * neighbor. Parse (from `show running-config`), plan (the minimal line delta, touching only what
 * is owned), render (vtysh lines) and predict (the effect of the changes), all pure.
 *
 * The syntax is Quagga's, which ZebOS shares: `ip prefix-list NAME seq N permit|deny A.B.C.D/M
 * [ge G] [le L]`. Quagga stores `ge G le 32` as `ge G` (the same set of routes), so entries are
 * compared in that normal form whichever form the device shows.
 *
 * IPv6 entries of the wanted list go to `ipv6 prefix-list NAME` (a list of its own to the device,
 * with the same name), attached to IPv6 neighbors inside `address-family ipv6` (where an IPv6
 * neighbor's IPv6 unicast policy lives in Quagga and FRR). Each family's list is owned apart.
 */
import type { ConfigLine } from "../device/types";
import { parseConfigTree, type ConfigNode, type ConfigTree, type UncertainRegion } from "./configTree";
import type { Change } from "./changes";
import type { RunningConfig, RunningNeighbor } from "./model";
import { renderChanges } from "./render";
import { bgpRouter, parseRunningConfig } from "./parseRunningConfig";
import { doubts } from "./plan";
import { parseIpAddress, parseNeighborRef, type Asn, type IpAddress } from "./values";
import type { BgpRouter } from "./model";

/** The family of a prefix list: `ip prefix-list` or `ipv6 prefix-list`. */
export type ListFamily = "ipv4" | "ipv6";
const FAMILIES: readonly ListFamily[] = ["ipv4", "ipv6"];
/** The command head of each family's lists. */
export const LIST_HEAD: Readonly<Record<ListFamily, string>> = { ipv4: "ip prefix-list", ipv6: "ipv6 prefix-list" };
/** The family of a prefix or an address. */
export const familyOf = (prefixOrAddress: string): ListFamily => (prefixOrAddress.includes(":") ? "ipv6" : "ipv4");
/** The IPv6 unicast section heads (as parseRunningConfig reads them). */
const IPV6_UNICAST = /^address-family\s+ipv6(?:\s+unicast)?$/i;

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
    /** `ip prefix-list` names. */
    readonly lists: ReadonlySet<string>;
    /** `ipv6 prefix-list` names (none when absent: state written before IPv6 lists were filtered). */
    readonly ipv6Lists?: ReadonlySet<string>;
    readonly limits: ReadonlySet<IpAddress>;
}

export const NO_FILTER_OWNED: PrefixFilterOwnership = { lists: new Set(), ipv6Lists: new Set(), limits: new Set() };

/** The owned list names of one family. */
export function ownedLists(owned: PrefixFilterOwnership, family: ListFamily): ReadonlySet<string> {
    return family === "ipv4" ? owned.lists : owned.ipv6Lists ?? new Set();
}

/** What the filter plan reads from the device: the router, the prefix lists, and the doubts over where list lines stand. */
export interface FilterView {
    readonly running: RunningConfig;
    /** `ip prefix-list`s by name. */
    readonly lists: ReadonlyMap<string, readonly PrefixListEntry[]>;
    /** `ipv6 prefix-list`s by name. */
    readonly ipv6Lists: ReadonlyMap<string, readonly PrefixListEntry[]>;
    /** Regions around `ip prefix-list` lines whose layout does not prove what they are. */
    readonly listDoubts: readonly UncertainRegion[];
    /**
     * Top-level `ip prefix-list NAME ...` lines this package cannot read as an entry (FRR's and
     * Quagga's `permit any`, a form of another build), by list name: an entry it cannot see.
     */
    readonly unreadListLines: ReadonlyMap<string, readonly { readonly lineNo: number; readonly text: string }[]>;
    /** The same for `ipv6 prefix-list` lines. */
    readonly unreadIpv6ListLines: ReadonlyMap<string, readonly { readonly lineNo: number; readonly text: string }[]>;
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
        lists: prefixListsOf(tree, "ipv4"),
        ipv6Lists: prefixListsOf(tree, "ipv6"),
        listDoubts: prefixListDoubts(tree),
        unreadListLines: unreadPrefixListLines(tree, "ipv4"),
        unreadIpv6ListLines: unreadPrefixListLines(tree, "ipv6"),
        listReferences: prefixListReferences(tree),
    };
}

/** The device's lists of one family. */
export function listsOf(view: FilterView, family: ListFamily): ReadonlyMap<string, readonly PrefixListEntry[]> {
    return family === "ipv4" ? view.lists : view.ipv6Lists;
}

function unreadOf(view: FilterView, family: ListFamily): ReadonlyMap<string, readonly { readonly lineNo: number; readonly text: string }[]> {
    return family === "ipv4" ? view.unreadListLines : view.unreadIpv6ListLines;
}

/** Adds `value` to the list under `key`, in place: every owned neighbor names the list, thousands of lines under one key. */
function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else list.push(value);
}

/** Top-level lines of a list that are not an entry this package reads (its `description` line aside). */
function unreadPrefixListLines(tree: ConfigTree, family: ListFamily): ReadonlyMap<string, readonly { lineNo: number; text: string }[]> {
    const unread = new Map<string, { lineNo: number; text: string }[]>();
    const head = new RegExp(`^${LIST_HEAD[family]} (\\S+) (\\S+)`);
    for (const block of tree.blocks) {
        const m = head.exec(block.text);
        if (block.indent > 0 || !m || m[2] === "description" || parsePrefixListLine(block.text)?.family === family) continue;
        appendTo(unread, m[1]!, { lineNo: block.lineNo, text: block.text });
    }
    return unread;
}

/**
 * The lines that name a prefix list, wherever they stand: removing a list changes what each of
 * them does (a route-map's match, a neighbor's filter in an address family or another router,
 * another protocol's filter). A line read as naming one that does not (`ipv6 nd prefix P`)
 * matters only when its word is the name of a list being removed, and then refuses.
 */
function prefixListReferences(tree: ConfigTree): ReadonlyMap<string, readonly ListReference[]> {
    const refs = new Map<string, ListReference[]>();
    const visit = (n: ConfigNode) => {
        // `prefix-list NAME` (BGP, route-maps), and RIP's and OSPF's `distribute-list prefix NAME`, `filter-list prefix NAME`.
        const m = /(?:^|\s)prefix(?:-list)?\s+(\S+)/i.exec(n.text);
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
    | { readonly op: "add-prefix-list-entry"; readonly family: ListFamily; readonly name: string; readonly entry: PrefixListEntry }
    | { readonly op: "remove-prefix-list-entry"; readonly family: ListFamily; readonly name: string; readonly entry: PrefixListEntry }
    | { readonly op: "remove-prefix-list"; readonly family: ListFamily; readonly name: string }
    | { readonly op: "set-neighbor-prefix-list-in"; readonly asn: Asn; readonly address: IpAddress; readonly name: string; readonly previous: string | null }
    | { readonly op: "remove-neighbor-prefix-list-in"; readonly asn: Asn; readonly address: IpAddress; readonly name: string }
    | { readonly op: "set-neighbor-maximum-prefix"; readonly asn: Asn; readonly address: IpAddress; readonly value: MaximumPrefix | null };

export type FilterConflict =
    /** A list of that name exists and the resource did not create it. */
    | { readonly kind: "foreign-prefix-list"; readonly family: ListFamily; readonly name: string; readonly entries: readonly PrefixListEntry[] }
    /** The neighbor is neither on the device nor created by the neighbor plan of the batch. */
    | { readonly kind: "no-neighbor"; readonly address: IpAddress }
    /** A neighbor the resource does not own names a list the resource would remove. */
    | { readonly kind: "list-used-by-foreign-neighbor"; readonly family: ListFamily; readonly name: string; readonly address: IpAddress; readonly description: string | null }
    /**
     * Lines other than the inbound attachments on the resource's own neighbors (a route-map, a
     * peer group, another neighbor's outbound filter, an address family, another router) name a
     * list the resource would remove.
     */
    | { readonly kind: "list-referenced-elsewhere"; readonly family: ListFamily; readonly name: string; readonly lines: readonly { readonly lineNo: number; readonly text: string }[] }
    /** The wanted list has no entry of the neighbor's family: the neighbor would run unfiltered. */
    | { readonly kind: "family-unfiltered"; readonly family: ListFamily; readonly address: IpAddress; readonly name: string }
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

/**
 * `ip prefix-list NAME seq N permit|deny P [ge G] [le L]` (or `ipv6 prefix-list ...` with an IPv6
 * prefix) → family, name and entry, the IPv6 prefix in canonical form; null for any other line.
 */
export function parsePrefixListLine(text: string): { family: ListFamily; name: string; entry: PrefixListEntry } | null {
    const m = /^(ip|ipv6) prefix-list (\S+) seq (\d+) (permit|deny) (\S+?)\/(\d+)(?: ge (\d+))?(?: le (\d+))?$/.exec(text.trim());
    if (!m) return null;
    const family: ListFamily = m[1] === "ip" ? "ipv4" : "ipv6";
    const address = parseIpAddress(m[5]);
    // An address of the other family (or one stacks read differently) is not an entry of this list.
    if (!address.ok || familyOf(address.value) !== family) return null;
    const prefix = `${family === "ipv4" ? m[5]! : address.value}/${m[6]}`;
    const entry: PrefixListEntry = { seq: Number(m[3]), action: m[4] as "permit" | "deny", prefix, ge: m[7] === undefined ? null : Number(m[7]), le: m[8] === undefined ? null : Number(m[8]) };
    return { family, name: m[2]!, entry: normalEntry(entry) };
}

/** The device's prefix lists of a family (default `ip prefix-list`), from `show running-config` (top-level lines only). */
export function parsePrefixLists(runningConfig: string, family: ListFamily = "ipv4"): ReadonlyMap<string, readonly PrefixListEntry[]> {
    return prefixListsOf(parseConfigTree(runningConfig), family);
}

function prefixListsOf(tree: ConfigTree, family: ListFamily): ReadonlyMap<string, readonly PrefixListEntry[]> {
    const lists = new Map<string, PrefixListEntry[]>();
    for (const block of tree.blocks) {
        if (block.indent > 0) continue;
        const parsed = parsePrefixListLine(block.text);
        if (!parsed || parsed.family !== family) continue;
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

/** Each router's IPv6 section attachments, read once: the planners ask for them neighbor by neighbor, in loops over neighbors. */
const sectionListsIn = new WeakMap<BgpRouter, ReadonlyMap<IpAddress, string>>();

/** An IPv6 neighbor's inbound list, from its `neighbor X prefix-list NAME in` in the IPv6 unicast section (the last one wins, as on the device). */
export function sectionPrefixListIn(router: BgpRouter, address: IpAddress): string | null {
    let lists = sectionListsIn.get(router);
    if (lists === undefined) {
        const read = new Map<IpAddress, string>();
        for (const line of router.ipv6.otherLines) {
            const m = /^neighbor (\S+) prefix-list (\S+) in$/.exec(line);
            if (!m) continue;
            const a = parseIpAddress(m[1]);
            if (a.ok) read.set(a.value, m[2]!);
        }
        sectionListsIn.set(router, read);
        lists = read;
    }
    return lists.get(address) ?? null;
}

/** The inbound list that filters a neighbor's routes of its own family: router level for IPv4, the IPv6 section for IPv6. */
export function inboundList(router: BgpRouter | null, n: RunningNeighbor): string | null {
    if (familyOf(n.address) === "ipv4") return neighborFilter(n).prefixListIn;
    return router ? sectionPrefixListIn(router, n.address) : null;
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
    // A rule repeated under another number is one rule to the device (Quagga ignores the repeat).
    const wantedEntries = (intent.list?.entries ?? []).map(normalEntry).filter((e, i, all) => all.findIndex((o) => sameRule(o, e)) === i);
    const entriesOf = (family: ListFamily) => wantedEntries.filter((e) => familyOf(e.prefix) === family);
    /** The list name wanted in a family: the intent's, when it has entries of that family. */
    const wantedName = (family: ListFamily): string | null => (intent.list !== null && entriesOf(family).length > 0 ? intent.list.name : null);

    // A list the plan edits or removes with an entry it cannot read: its plan would be a guess.
    const unread = FAMILIES.flatMap((family) => {
        const touched = new Set([...ownedLists(owned, family), ...(wantedName(family) !== null ? [wantedName(family)!] : [])]);
        return [...touched].flatMap((n) => {
            const lines = unreadOf(view, family).get(n);
            const form = family === "ipv4" ? "A.B.C.D/M" : "X:X::X:X/M";
            return lines ? [{ reason: `a line of "${LIST_HEAD[family]} ${n}" that is not an entry this package reads (${LIST_HEAD[family]} NAME seq N permit|deny ${form} [ge G] [le L])`, lines }] : [];
        });
    });
    const regions = [...doubts(view.running), ...view.listDoubts, ...unread];
    if (regions.length > 0) return { ok: false, conflicts: [{ kind: "uncertain", regions }] };
    const conflicts: FilterConflict[] = [];
    const changes: FilterChange[] = [];
    const router = bgpRouter(view.running);
    const mainRouter = router?.asn === asn ? router : null;
    const onDevice = mainRouter ? mainRouter.neighbors : new Map<IpAddress, RunningNeighbor>();
    const wanted = new Set(intent.neighbors);

    for (const family of FAMILIES) {
        const name = wantedName(family);
        if (name === null) continue;
        const existing = listsOf(view, family).get(name);
        if (existing && !ownedLists(owned, family).has(name) && !adopt) conflicts.push({ kind: "foreign-prefix-list", family, name, entries: existing });
        const have = existing ?? [];
        const want = entriesOf(family);
        // Removals first: a sequence number reused for another rule is then added cleanly.
        for (const e of have) if (!want.some((w) => sameEntry(w, e))) changes.push({ op: "remove-prefix-list-entry", family, name, entry: e });
        for (const w of want) if (!have.some((e) => sameEntry(w, e))) changes.push({ op: "add-prefix-list-entry", family, name, entry: w });
    }

    const limits = new Set<IpAddress>();
    for (const address of intent.neighbors) {
        const n = onDevice.get(address);
        const created = neighbors.created.has(address);
        if (!n && !created) {
            conflicts.push({ kind: "no-neighbor", address });
            continue;
        }
        const family = familyOf(address);
        const name = wantedName(family);
        if (intent.list !== null && name === null) {
            conflicts.push({ kind: "family-unfiltered", family, address, name: intent.list.name });
            continue;
        }
        const current = n ? inboundList(mainRouter, n) : null;
        const maximumPrefix = n ? neighborFilter(n).maximumPrefix : null;
        if (name !== null && current !== name) changes.push({ op: "set-neighbor-prefix-list-in", asn, address, name, previous: current });
        if (name === null && current !== null && ownedLists(owned, family).has(current)) changes.push({ op: "remove-neighbor-prefix-list-in", asn, address, name: current });
        if (intent.maximumPrefix !== null) {
            limits.add(address);
            if (!sameLimit(maximumPrefix, intent.maximumPrefix)) changes.push({ op: "set-neighbor-maximum-prefix", asn, address, value: intent.maximumPrefix });
        } else if (owned.limits.has(address) && maximumPrefix !== null) {
            changes.push({ op: "set-neighbor-maximum-prefix", asn, address, value: null });
        }
    }

    const head = mainRouter ? `router bgp ${mainRouter.asn}` : null;
    for (const family of FAMILIES) {
        for (const old of ownedLists(owned, family)) {
            if (old === wantedName(family) || !listsOf(view, family).has(old)) continue;
            const reported = new Set<IpAddress>();
            for (const n of onDevice.values()) {
                // A neighbor of the resource: its reference is replaced above, or goes with the neighbor.
                if (familyOf(n.address) !== family || inboundList(mainRouter, n) !== old || wanted.has(n.address) || neighbors.owned.has(n.address)) continue;
                conflicts.push({ kind: "list-used-by-foreign-neighbor", family, name: old, address: n.address, description: n.description });
                reported.add(n.address);
            }
            // Every other line that names the list: a peer group's, another neighbor's outbound filter, one added by hand on a neighbor of the resource.
            const elsewhere = (view.listReferences.get(old) ?? []).filter((r) => {
                // The lists of the two families are two lists to the device, however alike their names.
                if (referenceFamily(r) === otherFamily(family)) return false;
                const address = attachedTo(r, head);
                return address === null || !(wanted.has(address) || neighbors.owned.has(address) || reported.has(address));
            });
            if (elsewhere.length > 0) conflicts.push({ kind: "list-referenced-elsewhere", family, name: old, lines: elsewhere.map((r) => ({ lineNo: r.lineNo, text: r.text })) });
            changes.push({ op: "remove-prefix-list", family, name: old });
        }
    }
    if (conflicts.length > 0) return { ok: false, conflicts };
    const ownedName = (family: ListFamily) => new Set(wantedName(family) === null ? [] : [wantedName(family)!]);
    return { ok: true, changes, owned: { lists: ownedName("ipv4"), ipv6Lists: ownedName("ipv6"), limits } };
}

const otherFamily = (family: ListFamily): ListFamily => (family === "ipv4" ? "ipv6" : "ipv4");

/**
 * Which family's list a line names, where the line says so; null where it could be either. A
 * route-map's `match ip[v6] ... prefix-list` says it in its words; a neighbor's filter by its
 * place: the router's level and an IPv4 section take the IPv4 list (Quagga's and ZebOS's
 * router-level neighbor lines are IPv4 unicast's), an IPv6 section the IPv6 one.
 */
function referenceFamily(r: ListReference): ListFamily | null {
    if (/^match\s+ipv6\s/i.test(r.text)) return "ipv6";
    if (/^match\s+ip\s/i.test(r.text)) return "ipv4";
    if (!/^neighbor\s/i.test(r.text) || !/^router\s+bgp\s/i.test(r.parents[0] ?? "")) return null;
    if (r.parents.length === 1) return "ipv4";
    const section = r.parents.length === 2 ? /^address-family\s+(ipv4|ipv6)(?:\s|$)/i.exec(r.parents[1]!) : null;
    return section ? (section[1]!.toLowerCase() as ListFamily) : null;
}

/** The line the resource writes to attach a list: `neighbor X prefix-list NAME in`. */
const ATTACHMENT = /^neighbor (\S+) prefix-list \S+ in$/;

/**
 * The neighbor a line attaches a list to inbound, in the place the resource writes it (the main
 * router's level for an IPv4 neighbor, its IPv6 unicast section for an IPv6 one); null for any
 * other line: a peer group's filter, an outbound one, one in another router or section, one
 * naming its neighbor in a form stacks read differently.
 */
function attachedTo(r: ListReference, head: string | null): IpAddress | null {
    const m = ATTACHMENT.exec(r.text);
    if (m === null || head === null || r.parents[0]?.toLowerCase() !== head) return null;
    const ref = parseNeighborRef(m[1]!);
    if (ref.kind !== "address") return null;
    const inPlace = familyOf(ref.address) === "ipv4" ? r.parents.length === 1 : r.parents.length === 2 && IPV6_UNICAST.test(r.parents[1]!);
    return inPlace ? ref.address : null;
}

/** Removing the filter with the resource's neighbors (which take their own references and limits with them). */
export function planPrefixFilterRemoval(view: FilterView, asn: Asn, owned: PrefixFilterOwnership, neighbors: ReadonlySet<IpAddress>): FilterPlan {
    return planPrefixFilter(view, asn, { list: null, maximumPrefix: null, neighbors: [] }, owned, { owned: neighbors, created: new Set() }, false);
}

/** Where a neighbor's inbound list is set: the router for IPv4, its IPv6 unicast section for IPv6. */
function attachmentContext(asn: Asn, address: IpAddress): ConfigLine["context"] {
    return familyOf(address) === "ipv6" ? { routerBgp: asn, addressFamily: "ipv6" } : { routerBgp: asn };
}

/** The filter's lines by place in a batch: list entries (global), neighbor lines (router), whole lists removed (global). */
function filterLineParts(changes: readonly FilterChange[]): { first: ConfigLine[]; router: ConfigLine[]; last: ConfigLine[] } {
    const first: ConfigLine[] = [];
    const router: ConfigLine[] = [];
    const last: ConfigLine[] = [];
    for (const c of changes) {
        switch (c.op) {
            case "remove-prefix-list-entry":
                first.push({ context: "global", text: `no ${LIST_HEAD[c.family]} ${c.name} ${entryWords(c.entry)}` });
                break;
            case "add-prefix-list-entry":
                first.push({ context: "global", text: `${LIST_HEAD[c.family]} ${c.name} ${entryWords(c.entry)}` });
                break;
            case "remove-prefix-list":
                last.push({ context: "global", text: `no ${LIST_HEAD[c.family]} ${c.name}` });
                break;
            case "set-neighbor-prefix-list-in":
                // Setting a direction's list replaces the previous one (Quagga); no `no` line needed.
                router.push({ context: attachmentContext(c.asn, c.address), text: `neighbor ${c.address} prefix-list ${c.name} in` });
                break;
            case "remove-neighbor-prefix-list-in":
                router.push({ context: attachmentContext(c.asn, c.address), text: `no neighbor ${c.address} prefix-list ${c.name} in` });
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
    // Keyed by address and place: a new IPv6 neighbor's section lines go right after its activation.
    const created = new Map<string, ConfigLine[]>();
    const key = (address: string, l: ConfigLine) => `${address} ${l.context !== "global" && l.context.addressFamily ? "af" : "router"}`;
    const rest: ConfigLine[] = [];
    for (const line of router) {
        const address = /^(?:no )?neighbor (\S+) /.exec(line.text)![1]!;
        if (added.has(address)) created.set(key(address, line), [...(created.get(key(address, line)) ?? []), line]);
        else rest.push(line);
    }
    const global = neighbors.filter((l) => l.context === "global" && !/^no router bgp /.test(l.text));
    const removals = neighbors.filter((l) => l.context === "global" && /^no router bgp /.test(l.text));
    const body: ConfigLine[] = [];
    for (const l of neighbors) {
        if (l.context === "global") continue;
        body.push(l);
        // Without filter lines for created neighbors (most batches), nothing is attached.
        if (created.size === 0) continue;
        const address = /^neighbor (\S+) (?:remote-as |activate$)/.exec(l.text)?.[1];
        const attached = address === undefined ? undefined : created.get(key(address, l));
        if (attached) {
            body.push(...attached);
            created.delete(key(address!, l));
        }
    }
    // A line whose anchor the batch does not hold (a neighbor already active) still goes.
    return [...first, ...global, ...body, ...[...created.values()].flat(), ...rest, ...removals, ...last];
}

/** What the device should hold after `changes` (lists, and each neighbor's kept lines), as the planner understands the CLI. */
export function applyFilterChanges(
    config: RunningConfig,
    lists: ReadonlyMap<string, readonly PrefixListEntry[]>,
    changes: readonly FilterChange[],
    ipv6Lists: ReadonlyMap<string, readonly PrefixListEntry[]> = new Map(),
): { config: RunningConfig; lists: ReadonlyMap<string, readonly PrefixListEntry[]>; ipv6Lists: ReadonlyMap<string, readonly PrefixListEntry[]> } {
    const byFamily = { ipv4: new Map([...lists].map(([k, v]) => [k, [...v]])), ipv6: new Map([...ipv6Lists].map(([k, v]) => [k, [...v]])) };
    const onSection = (asn: Asn, fn: (lines: string[]) => string[]) => {
        next = { ...next, routers: next.routers.map((r) => (r.asn !== asn || r.vrf !== null ? r : { ...r, ipv6: { ...r.ipv6, otherLines: fn([...r.ipv6.otherLines]) } })) };
    };
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
                const nextLists = byFamily[c.family];
                const entries = (nextLists.get(c.name) ?? []).filter((e) => e.seq !== c.entry.seq);
                entries.push(c.entry);
                nextLists.set(c.name, entries.sort((a, b) => a.seq - b.seq));
                break;
            }
            case "remove-prefix-list-entry": {
                const nextLists = byFamily[c.family];
                const entries = (nextLists.get(c.name) ?? []).filter((e) => !sameEntry(e, c.entry));
                if (entries.length === 0) nextLists.delete(c.name);
                else nextLists.set(c.name, entries);
                break;
            }
            case "remove-prefix-list":
                byFamily[c.family].delete(c.name);
                break;
            case "set-neighbor-prefix-list-in":
                if (familyOf(c.address) === "ipv6") {
                    const mine = (l: string) => { const m = /^neighbor (\S+) prefix-list \S+ in$/.exec(l); const a = m ? parseIpAddress(m[1]) : null; return a?.ok === true && a.value === c.address; };
                    onSection(c.asn, (lines) => [...lines.filter((l) => !mine(l)), `neighbor ${c.address} prefix-list ${c.name} in`]);
                    break;
                }
                onNeighbor(c.asn, c.address, (lines) => [...lines.filter((l) => !/^prefix-list \S+ in$/.test(l)), `prefix-list ${c.name} in`]);
                break;
            case "remove-neighbor-prefix-list-in":
                if (familyOf(c.address) === "ipv6") {
                    onSection(c.asn, (lines) => lines.filter((l) => l !== `neighbor ${c.address} prefix-list ${c.name} in`));
                    break;
                }
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
    return { config: next, lists: byFamily.ipv4, ipv6Lists: byFamily.ipv6 };
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
    const held = (family: ListFamily) => {
        const wanted = intent.list !== null && intent.list.entries.some((e) => familyOf(e.prefix) === family) ? [intent.list.name] : [];
        return new Set([...ownedLists(before, family), ...wanted].filter((n) => listsOf(view, family).has(n)));
    };
    const candidates = new Set([...before.limits, ...(intent.maximumPrefix ? intent.neighbors : [])]);
    const limits = new Set([...candidates].filter((a) => {
        const n = onDevice.get(a);
        return n !== undefined && neighborFilter(n).maximumPrefix !== null;
    }));
    return { lists: held("ipv4"), ipv6Lists: held("ipv6"), limits };
}

/**
 * How the device's filter differs from the intent on the resource's neighbors, one sentence a
 * difference (empty when it holds what was asked): what `pulumi refresh` shows as drift beyond
 * the list's entries.
 */
export function filterDrift(intent: PrefixFilterIntent, view: FilterView, asn: Asn): string[] {
    const drift: string[] = [];
    const router = bgpRouter(view.running);
    const mainRouter = router?.asn === asn ? router : null;
    const onDevice = mainRouter ? mainRouter.neighbors : new Map<IpAddress, RunningNeighbor>();
    const want = (intent.list?.entries ?? []).map(normalEntry);
    for (const family of FAMILIES) {
        if (!intent.list) break;
        const wantHere = want.filter((e) => familyOf(e.prefix) === family);
        if (wantHere.length === 0) continue;
        const name = intent.list.name;
        const have = listsOf(view, family).get(name) ?? [];
        for (const e of have) if (!wantHere.some((w) => sameEntry(w, e))) drift.push(`${LIST_HEAD[family]} ${name} ${entryWords(e)} is on the device and not asked for`);
        for (const w of wantHere) if (!have.some((e) => sameEntry(w, e))) drift.push(`${LIST_HEAD[family]} ${name} ${entryWords(w)} is missing`);
        for (const l of unreadOf(view, family).get(name) ?? []) drift.push(`"${l.text}" is on the device and is not an entry this package reads`);
    }
    for (const address of intent.neighbors) {
        const n = onDevice.get(address);
        if (!n) continue;
        const f = neighborFilter(n);
        const current = inboundList(mainRouter, n);
        const where = familyOf(address) === "ipv6" ? " in address-family ipv6" : "";
        if (intent.list && current !== intent.list.name) drift.push(`neighbor ${address} ${current === null ? `has no inbound prefix-list${where}` : `uses prefix-list ${current} in${where}`} (wanted ${intent.list.name})`);
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
        return n !== undefined && inboundList(router, n) !== intent.list!.name;
    });
}
