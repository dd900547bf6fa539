/**
 * The provider behind {@link AdcBgpNeighbors}: a set of neighbors this resource owns under one
 * `router bgp`. Neighbors it does not own are never touched.
 */
import type * as pulumi from "@pulumi/pulumi";
import { randomBytes } from "crypto";
import type { AdcBgpNeighborState, BgpSessionState } from "./args";
import { withAdcSession } from "../device";
import { AdcError } from "../device/errors";
import type { AdcSession } from "../device/types";
import type { Neighbor, RunningConfig } from "../core/model";
import { bgpRouter } from "../core/parseRunningConfig";
import { planNeighbors, planNeighborsRemoval } from "../core/plan";
import { renderChanges } from "../core/render";
import type { IpAddress } from "../core/values";
import { conflictError } from "./conflicts";
import { resolveNeighborsInputs, type NeighborsSpec } from "./inputs";
import { neighborState, observe, observeAfterFailure, readSessions, type Observation } from "./observe";
import { asProviderError, partialFailure } from "./partialFailure";
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
     * How the device shows each owned neighbor's password right after it was set (some builds
     * show an encrypted form), so a later read can tell "unchanged" from "changed by hand".
     */
    passwordForms: Record<string, string>;
    /** The owned neighbors as read from the device (passwords only as `hasPassword`). */
    configuredNeighbors: AdcBgpNeighborState[];
    /** The owned neighbors' BGP sessions, from `show ip bgp summary`. */
    sessions: BgpSessionState[];
}

function ownedNow(wanted: readonly Neighbor[], before: ReadonlySet<string>, running: RunningConfig, asn: number): string[] {
    const router = bgpRouter(running);
    const present = router?.asn === asn ? router.neighbors : new Map();
    const candidates = new Set<string>([...before, ...wanted.map((n) => n.address)]);
    return [...candidates].filter((a) => present.has(a as IpAddress)).sort();
}

function outputs(spec: NeighborsSpec, owned: readonly string[], seen: Observation, passwordForms: Record<string, string>): NeighborsOutputs {
    const router = bgpRouter(seen.running);
    const mine = router?.asn === spec.asn ? router : undefined;
    const ownedSet = new Set(owned);
    return {
        ...neighborsInputsState(spec),
        schemaVersion: SCHEMA_VERSION,
        host: spec.connection.host,
        port: spec.connection.port,
        owned: [...owned],
        passwordForms,
        configuredNeighbors: mine ? [...mine.neighbors.values()].filter((n) => ownedSet.has(n.address)).map(neighborState) : [],
        sessions: seen.sessions.filter((s) => ownedSet.has(s.address)),
    };
}

/** How the device shows each wanted password now (after a successful apply). */
function formsOf(spec: NeighborsSpec, running: RunningConfig): Record<string, string> {
    const router = bgpRouter(running);
    const forms: Record<string, string> = {};
    for (const n of spec.neighbors) {
        const shown = router?.neighbors.get(n.address)?.password;
        if (n.password !== null && shown) forms[n.address] = shown;
    }
    return forms;
}

/** A password matches if the device shows it in clear, or shows the form it showed after we set it. */
function samePassword(forms: Record<string, string>) {
    return (address: IpAddress, shown: string, wanted: string): boolean => shown === wanted || forms[address] === shown;
}

async function apply(id: string, spec: NeighborsSpec, before: ReadonlySet<string>, forms: Record<string, string>, inputs: Record<string, unknown>): Promise<NeighborsOutputs> {
    const host = spec.connection.host;
    return withAdcSession(spec.connection, async (session: AdcSession) => {
        const seen = await observe(session);
        const plan = planNeighbors(seen.running, spec.asn, spec.neighbors, before as ReadonlySet<IpAddress>, spec.adoptExisting, samePassword(forms));
        if (!plan.ok) throw conflictError(host, plan.conflicts);
        const lines = renderChanges(plan.changes);
        try {
            await session.configure(lines);
            if (spec.saveConfig && lines.length > 0) await session.save();
        } catch (e) {
            let after: Observation;
            try {
                after = await observeAfterFailure(session, spec.connection);
            } catch {
                // The session is gone: claim the wanted set; the next plan re-checks each against the device.
                throw partialFailure(e, id, { ...outputs(spec, [...new Set([...before, ...spec.neighbors.map((n) => n.address)])], seen, forms) }, inputs);
            }
            throw partialFailure(e, id, { ...outputs(spec, ownedNow(spec.neighbors, before, after.running, spec.asn), after, forms) }, inputs);
        }
        let after = await observe(session);
        const newForms = formsOf(spec, after.running);
        const rest = planNeighbors(after.running, spec.asn, spec.neighbors, plan.owned, true, samePassword(newForms));
        if (!rest.ok || rest.changes.length > 0) {
            const missing = rest.ok ? renderChanges(rest.changes).map((l) => l.redacted ?? l.text) : [`router bgp ${spec.asn}`];
            throw partialFailure(
                new AdcError(host, `the device accepted the neighbor configuration but does not show it: still missing ${missing.join("; ")}`, "check `show running-config` in vtysh on the ADC"),
                id,
                { ...outputs(spec, ownedNow(spec.neighbors, before, after.running, spec.asn), after, newForms) },
                inputs,
            );
        }
        if (lines.length === 0) log(host, `router bgp ${spec.asn}: ${spec.neighbors.length} neighbor(s) up to date`);
        if (spec.waitForEstablishedSeconds > 0 && spec.neighbors.length > 0) {
            log(host, `waiting up to ${spec.waitForEstablishedSeconds}s for ${spec.neighbors.length} session(s) to be Established`);
            const sessions = await waitForEstablished({
                host,
                expected: spec.neighbors.map((n) => ({ address: n.address, remoteAsn: n.remoteAsn })),
                localAsn: spec.asn,
                timeoutMs: spec.waitForEstablishedSeconds * 1000,
                readSessions: () => readSessions(session),
            });
            after = { ...after, sessions };
        }
        return outputs(spec, [...plan.owned].sort(), after, newForms);
    });
}

/** What the device holds for the owned neighbors, in the shape of the inputs. */
function observedInputs(stored: NeighborsOutputs, spec: NeighborsSpec, seen: Observation): NeighborsInputsState {
    const router = bgpRouter(seen.running);
    const mine = router?.asn === stored.localAsn ? router : undefined;
    const forms = stored.passwordForms ?? {};
    const neighbors: Neighbor[] = [];
    for (const address of stored.owned ?? []) {
        const n = mine?.neighbors.get(address as IpAddress);
        if (!n) continue;
        const wanted = spec.neighbors.find((w) => w.address === address)?.password ?? null;
        // Show the wanted password while the device still holds it (in clear or in the form it
        // had after we set it); anything else is drift and shows as the device's value.
        const password = n.password !== null && wanted !== null && (n.password === wanted || forms[address] === n.password) ? wanted : n.password;
        neighbors.push({ ...n, password });
    }
    return neighborsInputsState({ ...spec, neighbors });
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
            return { id, outs: await apply(id, spec, new Set(), {}, inputs) };
        } catch (e) {
            throw asProviderError(e);
        }
    },

    async update(id, olds, news) {
        const spec = requireSpec(resolveNeighborsInputs(news));
        const stored = olds as Partial<NeighborsOutputs>;
        try {
            return { outs: await apply(id, spec, new Set(stored.owned ?? []), stored.passwordForms ?? {}, news) };
        } catch (e) {
            throw asProviderError(e);
        }
    },

    async read(id, props) {
        const stored = props as unknown as NeighborsOutputs;
        const spec = requireSpec(resolveNeighborsInputs(props as Record<string, unknown>));
        return withAdcSession(spec.connection, async (session) => {
            const seen = await observe(session);
            const inputs = observedInputs(stored, spec, seen);
            // Ownership is kept for neighbors removed by hand: they are still this resource's to restore.
            const outs = { ...outputs(spec, stored.owned ?? [], seen, stored.passwordForms ?? {}), ...inputs };
            return { id, props: outs, inputs: inputs as unknown as Record<string, unknown> };
        });
    },

    async delete(_id, props) {
        const spec = requireSpec(resolveNeighborsInputs(props));
        const owned = new Set(((props as Partial<NeighborsOutputs>).owned ?? []) as IpAddress[]);
        const host = spec.connection.host;
        await withAdcSession(spec.connection, async (session) => {
            const seen = await observe(session);
            const lines = renderChanges(planNeighborsRemoval(seen.running, spec.asn, owned));
            if (lines.length > 0) log(host, `removing ${lines.length} neighbor(s) this stack added`);
            await session.configure(lines);
            if (spec.saveConfig && lines.length > 0) await session.save();
        });
    },
};
