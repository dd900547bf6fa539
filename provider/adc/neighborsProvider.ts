/**
 * The provider behind {@link AdcBgpNeighbors}: a set of neighbors this resource owns under one
 * `router bgp`. Neighbors it does not own are never touched.
 */
import type * as pulumi from "@pulumi/pulumi";
import { randomBytes } from "crypto";
import type { AdcBgpNeighborState, BgpSessionState } from "./args";
import { AdcError } from "../device/errors";
import type { AdcConnection, AdcSession, ShowAnswer } from "../device/types";
import type { Neighbor, RunningConfig, RunningNeighbor } from "../core/model";
import { passwordsSent, readRememberedPasswords, rememberAfterApply, samePassword, type RememberedPassword, type RememberedPasswords } from "../core/passwords";
import { mustSave, savePendingAfter } from "../core/save";
import { bgpRouter, parseRunningConfig } from "../core/parseRunningConfig";
import { confirmFilteredNeighbors, confirmFilteredNeighborsRemoval, decideFilteredNeighbors, decideFilteredNeighborsRemoval, type FilteredNeighborsWant, type NeighborsOwnership, type Unconfirmed, type UnconfirmedNeighbor } from "../core/ownership";
import { filterDrift, filterView, NO_FILTER_OWNED, renderNeighborsWithFilter, type FilterView, type PrefixFilterIntent, type PrefixFilterOwnership } from "../core/prefixFilter";
import { readMark, tokenOfId, type MarkToken } from "../core/marks";
import { addressFamilyOf, type IpAddress } from "../core/values";
import { conflictError, describeConflict } from "./conflicts";
import { applyOnPrimary, onPrimary, readOnPrimary, type SecondaryReport } from "./haPair";
import { resolveNeighborsInputs, type NeighborsSpec } from "./inputs";
import { CONFIG_SHOWS, neighborState, observation, observe, observeAfterFailure, observeConfig, OBSERVE_SHOWS, readSessions, sessionsOf, SUMMARIES, type FullObservation as Observation } from "./observe";
import { asProviderError, deleteFailure, partialFailure } from "./partialFailure";
import { checkResult, log, requireSpec } from "./providerSupport";
import { diffState, neighborsInputsState, NEIGHBORS_INPUT_KEYS, SCHEMA_VERSION, type NeighborsInputsState } from "./state";
import { waitForEstablished } from "../health/established";

/** Everything the neighbors resource stores. */
export interface NeighborsOutputs extends NeighborsInputsState {
    schemaVersion: number;
    host: string;
    port: number;
    /** The neighbor addresses this resource put on (or adopted from) the device. */
    owned: string[];
    /**
     * Those of `owned` it claimed in batches cut off before the device could be read again, with
     * the remote-as and the description each batch wrote: the next plan takes each as its own
     * only if the device shows it as such a batch can have left it (its mark, or its first lines
     * alone). Kept apart from `neighbors`, which a refresh rewrites from the device. Stored only
     * when there are any.
     */
    unconfirmed?: StoredUnconfirmed[];
    /**
     * How the device showed each owned neighbor's password right after it was set (some builds
     * show an encrypted form), with a keyed digest of the password it stands for, so a later
     * read tells "unchanged" from "changed by hand" and a changed password is sent. A secret.
     */
    passwordForms: Record<string, RememberedPassword>;
    /** The owned neighbors as read from the device (passwords only as `hasPassword`). */
    configuredNeighbors: AdcBgpNeighborState[];
    /** The owned neighbors' BGP sessions, from `show ip bgp summary`. */
    sessions: BgpSessionState[];
    /** The prefix lists this resource created (or adopted), and the neighbors whose `maximum-prefix` it set. */
    /** `ip prefix-list` and `ipv6 prefix-list` names the resource created, and neighbors whose limit it set. */
    filterOwned: { lists: string[]; ipv6Lists: string[]; limits: string[] };
    /** How the device's inbound filter differs from the inputs (written by `pulumi refresh`; empty when it holds what was asked). */
    filterDrift: string[];
    /**
     * True when the device may hold changes of this resource that were not saved (a save that
     * failed or was cut off): the next `pulumi up` saves, and until then `pulumi refresh` shows it.
     */
    savePending: boolean;
    /** For an HA pair: whether the secondary showed the owned neighbors as the primary does, at the last `up` or `refresh`. */
    secondaryInSync?: boolean;
    /** For an HA pair: the node read as the secondary, and what it differed by. */
    secondary?: SecondaryReport;
}

/** The read right before an apply's lines: see {@link applyOn}. */
const PRECHECK_SHOW = "show running-config";

function filterIntent(spec: NeighborsSpec): PrefixFilterIntent {
    return { list: spec.prefixFilter, maximumPrefix: spec.maximumPrefix, neighbors: spec.neighbors.map((n) => n.address) };
}

/** The outputs: `inputsState` is the inputs as stored (an apply's own, or what a read saw on the device). */
function outputs(
    inputsState: NeighborsInputsState,
    spec: NeighborsSpec,
    owned: readonly string[],
    seen: Observation,
    passwordForms: RememberedPasswords,
    savePending: boolean,
    filter: PrefixFilterOwnership,
    unconfirmed: Unconfirmed = new Map(),
): NeighborsOutputs {
    const router = bgpRouter(seen.running);
    const mine = router?.asn === spec.asn ? router : undefined;
    const ownedSet = new Set(owned);
    return {
        ...inputsState,
        schemaVersion: SCHEMA_VERSION,
        host: spec.connection.host,
        port: spec.connection.port,
        owned: [...owned],
        ...(unconfirmed.size > 0 ? { unconfirmed: [...unconfirmed].sort(([a], [b]) => (a < b ? -1 : 1)).map(([address, n]): StoredUnconfirmed => ({ address, remoteAsns: [...n.remoteAsns], descriptions: [...n.descriptions] })) } : {}),
        passwordForms: { ...passwordForms },
        configuredNeighbors: mine ? [...mine.neighbors.values()].filter((n) => ownedSet.has(n.address)).map(neighborState) : [],
        sessions: seen.sessions.filter((s) => ownedSet.has(s.address)),
        savePending,
        filterOwned: { lists: [...filter.lists].sort(), ipv6Lists: [...(filter.ipv6Lists ?? [])].sort(), limits: [...filter.limits].sort() },
        filterDrift: [],
    };
}

function neighborsOf(running: RunningConfig, asn: number): ReadonlyMap<IpAddress, RunningNeighbor> {
    const router = bgpRouter(running);
    return router?.asn === asn ? router.neighbors : new Map();
}

/** A stored {@link UnconfirmedNeighbor}. */
interface StoredUnconfirmed {
    address: string;
    remoteAsns: UnconfirmedNeighbor["remoteAsns"][number][];
    descriptions: (string | null)[];
}

/**
 * The stored claims, read so that none is lost: an entry that names an address but not what was
 * written (a bare address) still guards it, by the mark alone; one that names no address guards
 * nothing there is to guard.
 */
function readUnconfirmed(raw: unknown): Unconfirmed {
    const out = new Map<IpAddress, UnconfirmedNeighbor>();
    if (!Array.isArray(raw)) return out;
    for (const entry of raw as unknown[]) {
        const address = typeof entry === "string" ? entry : entry !== null && typeof entry === "object" ? (entry as { address?: unknown }).address : undefined;
        if (typeof address !== "string") continue;
        // One batch's write may also be stored as single values (`remoteAsn`, `description`).
        const record = typeof entry === "object" && entry !== null ? (entry as Partial<StoredUnconfirmed> & { remoteAsn?: unknown; description?: unknown }) : {};
        const listed = (many: unknown, one: unknown, key: string): unknown[] => (Array.isArray(many) ? many : key in record ? [one] : []);
        const remoteAsns = listed(record.remoteAsns, record.remoteAsn, "remoteAsn").filter((a): a is UnconfirmedNeighbor["remoteAsns"][number] => typeof a === "number" || a === "external" || a === "internal" || a === "auto");
        const descriptions = listed(record.descriptions, record.description, "description").filter((d): d is string | null => d === null || typeof d === "string");
        out.set(address as IpAddress, { remoteAsns, descriptions });
    }
    return out;
}

/** What an earlier operation of this resource left in its state. */
interface Recorded {
    readonly owned: ReadonlySet<IpAddress>;
    readonly unconfirmed: Unconfirmed;
    /** The descriptions its inputs gave the neighbors (written unmarked before marks existed). */
    readonly written: ReadonlyMap<IpAddress, string | null>;
    readonly passwords: RememberedPasswords;
    readonly savePending: boolean;
    readonly filter: PrefixFilterOwnership;
}

function recorded(props: Record<string, unknown>): Recorded {
    const stored = props as Partial<NeighborsOutputs>;
    return {
        owned: new Set((stored.owned ?? []) as IpAddress[]),
        unconfirmed: readUnconfirmed(stored.unconfirmed),
        written: new Map((stored.neighbors ?? []).map((n) => [n.address as IpAddress, n.description ?? null])),
        passwords: readRememberedPasswords(stored.passwordForms, stored.neighborPasswords),
        savePending: stored.savePending === true,
        // State written before the filter existed owns none.
        filter: { lists: new Set(stored.filterOwned?.lists ?? []), ipv6Lists: new Set(stored.filterOwned?.ipv6Lists ?? []), limits: new Set((stored.filterOwned?.limits ?? []) as IpAddress[]) },
    };
}

async function apply(id: string, spec: NeighborsSpec, was: Recorded, inputs: Record<string, unknown>): Promise<NeighborsOutputs> {
    return applyOnPrimary(
        spec.connection,
        id,
        inputs,
        (session, node) => applyOn(session, node, id, spec, was, inputs),
        (secondary, outs) => secondaryDifferences(secondary, spec, recorded(outs as unknown as Record<string, unknown>), tokenOfId(id)),
    );
}

/**
 * For an HA pair: the lines that would make the secondary show the owned neighbors and their
 * filter as wanted (a password counts as the same in any form the primary showed it in).
 */
async function secondaryDifferences(secondary: AdcSession, spec: NeighborsSpec, was: Recorded, token: MarkToken | null): Promise<string[]> {
    const seen = await observe(secondary);
    const want: FilteredNeighborsWant = {
        asn: spec.asn,
        neighbors: spec.neighbors,
        adopt: true,
        samePassword: samePassword(was.passwords),
        filter: { list: spec.prefixFilter, maximumPrefix: spec.maximumPrefix },
        token,
    };
    const decide = (view: FilterView) => decideFilteredNeighbors(view, { neighbors: was.owned, written: was.written, unconfirmed: was.unconfirmed, filter: was.filter }, want);
    const lines = (d: ReturnType<typeof decide>) => (d.ok ? renderNeighborsWithFilter(d.neighbors.changes, d.filterChanges).map((l) => l.redacted ?? l.text) : []);
    const there = decide(seen.filter);
    if (there.ok) return lines(there);
    // Without the router block, every neighbor line is missing too: listed as into an empty block.
    const empty = `router bgp ${spec.asn}\n!\nend`;
    const rest = there.conflicts.some((c) => c.kind === "no-router") ? lines(decide(filterView(empty, parseRunningConfig(empty)))) : [];
    return [...there.conflicts.map((c) => describeConflict(c).message), ...rest];
}

/** The sessions of the read behind the lines, parsed while the settle read is on its way. */
type ReadBackSessions = ReturnType<typeof sessionsOf>;

function settledObservation(host: string, settled: readonly ShowAnswer[], sessions: ReadBackSessions): Observation {
    const seen = observation(host, settled);
    // As `observation` reads them: without a BGP instance there are no sessions.
    return bgpRouter(seen.running) ? { ...seen, ...sessions } : seen;
}

/**
 * The read that settles a race on an added neighbor ({@link CONFIG_SHOWS}): made after the
 * lines' exchange, it comes after the last line of any writer whose first read saw the neighbor
 * absent while this one's lines were in flight, so both writers read the same last mark. It
 * travels with the save (see `applyOn`); an operation that adds neighbors without saving pays a
 * round trip for it, here. Only the configuration shows the marks: the sessions are those the
 * read behind the lines showed (`readBack`, the answers to {@link SUMMARIES}, without the
 * configuration this read replaces), so neither is read and parsed twice.
 */
async function confirmAdds(session: AdcSession, sessions: ReadBackSessions): Promise<Observation> {
    return settledObservation(session.host, await session.vtyshShows(CONFIG_SHOWS), sessions);
}

async function applyOn(session: AdcSession, node: AdcConnection, id: string, spec: NeighborsSpec, was: Recorded, inputs: Record<string, unknown>): Promise<NeighborsOutputs> {
    const host = node.host;
    const want: FilteredNeighborsWant = {
        asn: spec.asn,
        neighbors: spec.neighbors,
        adopt: spec.adoptExisting,
        samePassword: samePassword(was.passwords),
        filter: { list: spec.prefixFilter, maximumPrefix: spec.maximumPrefix },
        token: tokenOfId(id),
    };
    const before: NeighborsOwnership = { neighbors: was.owned, written: was.written, unconfirmed: was.unconfirmed, filter: was.filter };
    const reading = observe(session);
    // While the device answers (the shows are on their way): what the outputs take from the inputs alone.
    const inputsState = neighborsInputsState(spec);
    let seen = await reading;
    // Before planning: a node that must not be configured is refused with nothing sent.
    await session.ensureWritable();
    let decision = decideFilteredNeighbors(seen.filter, before, want);
    if (!decision.ok && want.token !== null && decision.conflicts.some((c) => c.kind === "foreign-neighbor" && c.description === null)) {
        // A neighbor without any description may be another resource's caught between its
        // remote-as and its mark, a few lines later in the same batch: one more read names the owner.
        seen = await observe(session);
        decision = decideFilteredNeighbors(seen.filter, before, want);
    }
    if (!decision.ok) throw conflictError(host, decision.conflicts);
    // The filter's lines travel in the same batch as the neighbors': no neighbor is created without its filter.
    const lines = renderNeighborsWithFilter(decision.neighbors.changes, decision.filterChanges);
    const changing = lines.length > 0;
    let saved = false;
    const pending = () => savePendingAfter(spec.saveConfig, changing, was.savePending, saved);
    // Nothing to send: what was just read is what the device holds.
    let after: Observation = seen;
    // A neighbor this plan adds may be added by another writer (another machine: the device lock
    // does not reach it) after the read above. With marks, the mark the device shows last decides
    // (the later writer's), read once more after the lines: see {@link confirmAdds}. Without
    // marks, a read right before the lines, in their exchange, shows whether another writer got
    // there first.
    const adding = decision.neighbors.adds.size > 0;
    const precheckShows = adding && want.token === null ? [PRECHECK_SHOW] : [];
    let precheck: RunningConfig | null = null;
    // The read that settles an add replaces the read-back's configuration: the device neither
    // prints nor sends thousands of neighbors for it; the read-back's sessions are kept.
    const settle = adding && want.token !== null;
    const readBackShows = settle ? SUMMARIES : OBSERVE_SHOWS;
    // From the first line sent on, any failure leaves the device changed: it is recorded.
    try {
        // The verify read travels with the lines: no round trip of its own.
        const answers = changing ? await session.configure(lines, readBackShows, precheckShows) : undefined;
        const first = answers?.[0];
        if (precheckShows.length > 0 && first !== undefined && first.failure === undefined) precheck = filterView(first.output).running;
        const readBack = answers?.slice(precheckShows.length);
        const saveNow = mustSave(spec.saveConfig, changing, was.savePending);
        if (saveNow && !changing) log(host, "saving the configuration (the last save did not complete)");
        // The save goes out before the read-back is parsed (the save does not depend on it),
        // so that the parse of thousands of neighbors runs while the device saves.
        let settled: readonly ShowAnswer[] | undefined;
        const saving = saveNow
            ? session.save(settle ? CONFIG_SHOWS : []).then((answers) => {
                  saved = true;
                  settled = answers;
              })
            : Promise.resolve();
        let sessions: ReadBackSessions = { sessions: [] };
        try {
            if (readBack && !settle) after = observation(host, readBack);
            else if (readBack) sessions = sessionsOf(readBack);
        } finally {
            await saving;
        }
        if (settle) after = settled !== undefined && settled.length > 0 ? settledObservation(host, settled, sessions) : await confirmAdds(session, sessions);
    } catch (e) {
        let now: Observation | null = null;
        try {
            now = await observeAfterFailure(session, node, e);
        } catch {
            // The session is gone: the claim is recorded; the next plan re-checks each against the device.
        }
        const confirmed = confirmFilteredNeighbors(decision, before, want, now?.filter ?? null);
        // A batch cut between a new neighbor's remote-as and its filter leaves it up unfiltered: say so.
        const open = confirmed.unfiltered.map((a) => `neighbor ${a} is on the device without its inbound filter`);
        const cause = open.length === 0 ? e : new Error(`${e instanceof Error ? e.message : String(e)}\n  ${open.join("; ")}: run \`pulumi up\` now to attach it`);
        throw partialFailure(cause, id, { ...outputs(inputsState, spec, [...confirmed.owned.neighbors].sort(), now ?? seen, was.passwords, pending(), confirmed.owned.filter, confirmed.owned.unconfirmed) }, inputs);
    }
    const { remembered, notTaken } = rememberAfterApply(spec.neighbors, neighborsOf(seen.running, spec.asn), neighborsOf(after.running, spec.asn), passwordsSent(decision.neighbors.changes), was.passwords);
    const confirmed = confirmFilteredNeighbors(decision, before, { ...want, samePassword: samePassword(remembered) }, after.filter, precheck);
    const owned = [...confirmed.owned.neighbors].sort();
    const filterOwned = confirmed.owned.filter;
    /** The outputs of what was confirmed, with the device as last read (`after` moves on below). */
    const confirmedOutputs = (): NeighborsOutputs => outputs(inputsState, spec, owned, after, remembered, pending(), filterOwned);
    if (confirmed.lost.length > 0) {
        // Another writer owns these neighbors: what this batch overwrote of them goes back, then the failure names the owner.
        const undo = renderNeighborsWithFilter(confirmed.undo, confirmed.filterUndo);
        try {
            if (undo.length > 0) {
                log(host, `another writer configured ${confirmed.lost.length} neighbor(s) at the same time; restoring what this operation overwrote of them`);
                after = observation(host, await session.configure(undo, OBSERVE_SHOWS));
            }
            if (saved) await session.save();
        } catch (e) {
            throw partialFailure(new Error(`${conflictError(host, confirmed.lost).message}\n  restoring it failed: ${e instanceof Error ? e.message : String(e)}`), id, { ...confirmedOutputs() }, inputs);
        }
        const next = "the neighbors the other writer owns are not recorded as this resource's, and its `pulumi destroy` leaves them";
        throw partialFailure(conflictError(host, confirmed.lost), id, { ...confirmedOutputs() }, inputs, next);
    }
    const missingChanges = confirmed.missing ?? { neighbors: [], filter: [] };
    if (missingChanges.neighbors.length > 0 || missingChanges.filter.length > 0 || notTaken.length > 0) {
        const missing = renderNeighborsWithFilter(missingChanges.neighbors, missingChanges.filter).map((l) => (l.redacted ?? l.text) || `router bgp ${spec.asn}`);
        const stale = notTaken.map((a) => `the new password of neighbor ${a} (the device still shows the previous one)`);
        // One item a line: a redacted password runs to the end of its line.
        const items = [...missing, ...stale].map((m) => `\n    - ${m}`).join("");
        throw partialFailure(
            new AdcError(host, `the device accepted the neighbor configuration but does not show it; still missing:${items}`, "check `show running-config` in vtysh on the ADC"),
            id,
            { ...confirmedOutputs() },
            inputs,
        );
    }
    if (lines.length === 0) log(host, `router bgp ${spec.asn}: ${spec.neighbors.length} neighbor(s) up to date`);
    if (spec.waitForEstablishedSeconds > 0 && spec.neighbors.length > 0) {
        log(host, `waiting up to ${spec.waitForEstablishedSeconds}s for ${spec.neighbors.length} session(s) to be Established`);
        try {
            const sessions = await waitForEstablished({
                host,
                expected: spec.neighbors.map((n) => ({ address: n.address, remoteAsn: n.remoteAsn })),
                localAsn: spec.asn,
                timeoutMs: spec.waitForEstablishedSeconds * 1000,
                // Each read is one exchange: read soon after the lines, then every second.
                firstIntervalMs: 100,
                readSessions: () => readSessions(session, spec.neighbors.some((n) => addressFamilyOf(n.address) === "ipv6")),
            });
            after = { ...after, sessions };
        } catch (e) {
            // The neighbors are configured (and saved, when asked): record them, so the next `up` only waits again.
            throw partialFailure(e, id, { ...confirmedOutputs() }, inputs);
        }
    }
    return confirmedOutputs();
}

/** What the device holds for the owned neighbors, in the shape of the inputs. */
function observedInputs(stored: NeighborsOutputs, spec: NeighborsSpec, seen: Observation, token: MarkToken | null): NeighborsInputsState {
    const router = bgpRouter(seen.running);
    const mine = router?.asn === stored.localAsn ? router : undefined;
    const same = samePassword(readRememberedPasswords(stored.passwordForms, stored.neighborPasswords));
    const wantedPasswords = new Map(spec.neighbors.map((w) => [w.address as string, w.password]));
    const neighbors: Neighbor[] = [];
    for (const address of stored.owned ?? []) {
        const n = mine?.neighbors.get(address as IpAddress);
        if (!n) continue;
        const wanted = wantedPasswords.get(address) ?? null;
        // Show the wanted password while the device still holds it (in clear or in the form it
        // had after we set it); anything else is drift and shows as the device's value.
        const password = n.password !== null && wanted !== null && same(address as IpAddress, n.password, wanted) ? wanted : n.password;
        // `external`, `internal` or none (changed by hand) is kept as shown, so it reads as drift.
        // This resource's mark is not part of the input: the description reads as the user gave it.
        const mark = readMark(n.description);
        const description = token !== null && mark.token === token ? mark.description : n.description;
        neighbors.push({ ...n, password, description, remoteAsn: n.remoteAsn as Neighbor["remoteAsn"] });
    }
    const state = neighborsInputsState({ ...spec, neighbors });
    const inactive = (a: string) => addressFamilyOf(a as IpAddress) === "ipv6" && !mine?.ipv6.active.has(a as IpAddress);
    return { ...state, neighbors: state.neighbors.map((n) => (inactive(n.address) ? { ...n, notActivated: true as const } : n)) };
}

/** The filter intent on the owned neighbors, as `read` compares it with the device. */
function ownedIntent(stored: NeighborsOutputs, spec: NeighborsSpec): PrefixFilterIntent {
    const owned = new Set(stored.owned ?? []);
    return { ...filterIntent(spec), neighbors: spec.neighbors.map((n) => n.address).filter((a) => owned.has(a)) };
}

export const adcBgpNeighborsProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds, news) {
        return checkResult(news, resolveNeighborsInputs(news), neighborsInputsState);
    },

    async diff(_id, olds, news) {
        return diffState(olds, news, NEIGHBORS_INPUT_KEYS);
    },

    async create(inputs) {
        const spec = requireSpec(resolveNeighborsInputs(inputs));
        const id = `${spec.connection.host}:${spec.connection.port}/router-bgp-${spec.asn}/neighbors/${randomBytes(4).toString("hex")}`;
        try {
            return { id, outs: await apply(id, spec, { owned: new Set(), unconfirmed: new Map(), written: new Map(), passwords: {}, savePending: false, filter: NO_FILTER_OWNED }, inputs) };
        } catch (e) {
            throw asProviderError(e);
        }
    },

    async update(id, olds, news) {
        const spec = requireSpec(resolveNeighborsInputs(news));
        try {
            return { outs: await apply(id, spec, recorded(olds), news) };
        } catch (e) {
            throw asProviderError(e);
        }
    },

    async read(id, props) {
        const stored = props as unknown as NeighborsOutputs;
        const spec = requireSpec(resolveNeighborsInputs(props as Record<string, unknown>, "state"));
        const was = recorded(props as Record<string, unknown>);
        const done = await readOnPrimary(
            spec.connection,
            async (session) => {
                const seen = await observe(session);
                const inputs = observedInputs(stored, spec, seen, tokenOfId(id));
                // Ownership is kept for neighbors removed by hand: they are still this resource's to restore.
                // Whether the device saved is not observable, so a pending save stays as recorded.
                const outs = { ...outputs(inputs, spec, stored.owned ?? [], seen, was.passwords, was.savePending, was.filter, was.unconfirmed), filterDrift: filterDrift(ownedIntent(stored, spec), seen.filter, spec.asn) };
                return { outs, inputs };
            },
            (secondary) => secondaryDifferences(secondary, spec, was, tokenOfId(id)),
        );
        // A secondary that diverged shows as `secondaryInSync: false`: drift that `pulumi refresh` shows and `up` checks again.
        return { id, props: done.outs, inputs: done.inputs as unknown as Record<string, unknown> };
    },

    async delete(_id, props) {
        const spec = requireSpec(resolveNeighborsInputs(props, "state"));
        const was = recorded(props);
        const owned: NeighborsOwnership = { neighbors: was.owned, written: was.written, unconfirmed: was.unconfirmed, filter: was.filter };
        const token = tokenOfId(_id);
        try {
            await onPrimary(spec.connection, true, async (session, node) => {
                const host = node.host;
                // A delete reports no sessions: the configuration alone, before and after.
                const seen = await observeConfig(session);
                // Before planning: a node that must not be configured is refused with nothing sent.
                await session.ensureWritable();
                const removal = decideFilteredNeighborsRemoval(seen.filter, owned, spec.asn, token);
                if (!removal.ok) throw conflictError(host, removal.conflicts);
                const lines = renderNeighborsWithFilter(removal.neighbors, removal.filter);
                if (lines.length > 0) log(host, `removing ${removal.neighbors.length} neighbor(s) and ${removal.filter.length} prefix list(s) this stack added`);
                // Read back with the lines, as apply does: a line the device answered without
                // taking would otherwise leave the neighbor on the device and out of every stack.
                if (lines.length > 0) {
                    const after = observation(host, await session.configure(lines, CONFIG_SHOWS));
                    const left = confirmFilteredNeighborsRemoval(owned, spec.asn, after.filter, token);
                    const still = renderNeighborsWithFilter(left.neighbors, left.filter).map((l) => l.text);
                    if (still.length > 0) {
                        throw new AdcError(host, `the device accepted the removal but still shows the neighbors: ${still.join("; ")} not applied`, "check `show running-config` in vtysh on the ADC, then run `pulumi destroy` again");
                    }
                }
                // Saved even when nothing is left to remove: an earlier destroy may have removed
                // the lines and been cut off before its save.
                if (mustSave(spec.saveConfig, true, false)) await session.save();
            });
        } catch (e) {
            throw deleteFailure(e);
        }
    },
};
