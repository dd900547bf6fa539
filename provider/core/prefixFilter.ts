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
import { parseConfigTree } from "./configTree";
import type { RunningConfig, RunningNeighbor } from "./model";
import { bgpRouter } from "./parseRunningConfig";
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

/** What the resource wants: its list, applied inbound with a limit on each of `neighbors`. */
export interface PrefixFilterIntent {
    readonly list: PrefixList;
    /** Null: no limit is managed. */
    readonly maximumPrefix: MaximumPrefix | null;
    readonly neighbors: readonly IpAddress[];
}

/** What the resource has put on the device: list names it created. */
export interface PrefixFilterOwnership {
    readonly lists: ReadonlySet<string>;
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
    /** The neighbor is not on the device (the neighbor plan runs first). */
    | { readonly kind: "no-neighbor"; readonly address: IpAddress };

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
    const lists = new Map<string, PrefixListEntry[]>();
    for (const block of parseConfigTree(runningConfig).blocks) {
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
 * neighbor. Entries of the owned list that are not wanted go; a list of that name that the
 * resource did not create is a conflict unless `adopt`. Owned lists no longer wanted are removed
 * after the neighbors stop naming them.
 */
export function planPrefixFilter(config: RunningConfig, lists: ReadonlyMap<string, readonly PrefixListEntry[]>, asn: Asn, intent: PrefixFilterIntent, owned: PrefixFilterOwnership, adopt: boolean): FilterPlan {
    const conflicts: FilterConflict[] = [];
    const changes: FilterChange[] = [];
    const name = intent.list.name;
    // A rule repeated under another number is one rule to the device (Quagga ignores the repeat).
    const wantedEntries = intent.list.entries.map(normalEntry).filter((e, i, all) => all.findIndex((o) => sameRule(o, e)) === i);
    const existing = lists.get(name);
    if (existing && !owned.lists.has(name) && !adopt) conflicts.push({ kind: "foreign-prefix-list", name, entries: existing });
    const have = existing ?? [];
    // Removals first: a sequence number reused for another rule is then added cleanly.
    for (const e of have) if (!wantedEntries.some((w) => sameEntry(w, e))) changes.push({ op: "remove-prefix-list-entry", name, entry: e });
    for (const w of wantedEntries) if (!have.some((e) => sameEntry(w, e))) changes.push({ op: "add-prefix-list-entry", name, entry: w });

    const router = bgpRouter(config);
    for (const address of intent.neighbors) {
        const n = router?.asn === asn ? router.neighbors.get(address) : undefined;
        if (!n) {
            conflicts.push({ kind: "no-neighbor", address });
            continue;
        }
        const f = neighborFilter(n);
        if (f.prefixListIn !== name) changes.push({ op: "set-neighbor-prefix-list-in", asn, address, name, previous: f.prefixListIn });
        if (intent.maximumPrefix !== null && !sameLimit(f.maximumPrefix, intent.maximumPrefix)) changes.push({ op: "set-neighbor-maximum-prefix", asn, address, value: intent.maximumPrefix });
    }
    for (const old of owned.lists) {
        if (old !== name && lists.has(old)) changes.push(...unreference(config, asn, old), { op: "remove-prefix-list", name: old });
    }
    if (conflicts.length > 0) return { ok: false, conflicts };
    return { ok: true, changes, owned: { lists: new Set([name]) } };
}

/** `no neighbor X prefix-list NAME in` for every neighbor that still names `name`. */
function unreference(config: RunningConfig, asn: Asn, name: string): FilterChange[] {
    const router = bgpRouter(config);
    if (!router || router.asn !== asn) return [];
    return [...router.neighbors.values()].filter((n) => neighborFilter(n).prefixListIn === name).map((n) => ({ op: "remove-neighbor-prefix-list-in", asn, address: n.address, name }));
}

/**
 * Removing the filter: the owned lists go, after the named neighbors stop naming them (the
 * neighbors themselves, when owned, are removed by the neighbor plan). The limits go with
 * their neighbors; on neighbors that stay (not owned), `keepLimitsOn` names those whose limit
 * the resource set and must remove.
 */
export function planPrefixFilterRemoval(config: RunningConfig, lists: ReadonlyMap<string, readonly PrefixListEntry[]>, asn: Asn, owned: PrefixFilterOwnership, limitsOn: readonly IpAddress[] = []): FilterChange[] {
    const changes: FilterChange[] = [];
    const router = bgpRouter(config);
    for (const address of limitsOn) {
        const n = router?.asn === asn ? router.neighbors.get(address) : undefined;
        if (n && neighborFilter(n).maximumPrefix !== null) changes.push({ op: "set-neighbor-maximum-prefix", asn, address, value: null });
    }
    for (const name of owned.lists) {
        if (!lists.has(name)) continue;
        changes.push(...unreference(config, asn, name), { op: "remove-prefix-list", name });
    }
    return changes;
}

/**
 * Lines for the changes: list entries first (global), so a neighbor never names a list that is
 * not there yet, then the neighbors' lines, then whole lists removed (global), once nothing names them.
 */
export function renderFilterChanges(changes: readonly FilterChange[]): ConfigLine[] {
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
    return [...first, ...router, ...last];
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
