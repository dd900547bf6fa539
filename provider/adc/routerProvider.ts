/**
 * The provider behind {@link AdcBgpRouter}: the device-level BGP settings. A thin shell around
 * the pure core: read the device, plan, apply the planned lines in one session, verify.
 */
import type * as pulumi from "@pulumi/pulumi";
import { randomBytes } from "crypto";
import type { AdcBgpNeighborState, BgpSessionState } from "./args";
import { withAdcSession } from "../device";
import { AdcCommandError, AdcError } from "../device/errors";
import type { AdcSession } from "../device/types";
import { EMPTY_CONFIG } from "../core/model";
import { bgpRouter } from "../core/parseRunningConfig";
import { NOTHING_OWNED, planRouter, planRouterRemoval, type RouterOwnership } from "../core/plan";
import { renderChanges } from "../core/render";
import { mustSave, savePendingAfter } from "../core/save";
import { conflictError } from "./conflicts";
import { withLockedSession } from "./deviceLock";
import { resolveRouterInputs, type RouterSpec } from "./inputs";
import { bgpFeatureEnabled, neighborState, observation, observe, observeAfterFailure, observeWithFeature, OBSERVE_SHOWS, type Observation } from "./observe";
import { asProviderError, deleteFailure, partialFailure } from "./partialFailure";
import { diffState, routerInputsState, ROUTER_INPUT_KEYS, SCHEMA_VERSION, type RouterInputsState } from "./state";
import { checkResult, log, requireSpec } from "./providerSupport";

/** Everything the router resource stores. */
export interface RouterOutputs extends RouterInputsState {
    schemaVersion: number;
    host: string;
    port: number;
    /** What this resource put on the device, so delete removes exactly that. */
    owned: RouterOwnership;
    /** Observed: the BGP feature is enabled. */
    bgpFeatureEnabled: boolean;
    /** Observed: `router bgp <localAsn>` exists. */
    routerPresent: boolean;
    /** Every neighbor in the router block, as read from the device. */
    configuredNeighbors: AdcBgpNeighborState[];
    /** Every BGP session, from `show ip bgp summary`. */
    sessions: BgpSessionState[];
    /**
     * True when the device may hold changes of this resource that were not saved (a save that
     * failed or was cut off): the next `pulumi up` saves, and until then `pulumi refresh` shows it.
     */
    savePending: boolean;
}

function outputs(spec: RouterSpec, owned: RouterOwnership, featureOn: boolean, seen: Observation, savePending: boolean): RouterOutputs {
    const router = bgpRouter(seen.running);
    const present = router?.asn === spec.intent.asn;
    return {
        ...routerInputsState(spec),
        schemaVersion: SCHEMA_VERSION,
        host: spec.connection.host,
        port: spec.connection.port,
        owned,
        bgpFeatureEnabled: featureOn,
        routerPresent: present,
        configuredNeighbors: present ? [...router!.neighbors.values()].map(neighborState) : [],
        sessions: present ? [...seen.sessions] : [],
        savePending,
    };
}

/**
 * What the device holds, in the shape of the inputs: managed settings as the device has them,
 * unmanaged ones as stored (so they never show as drift).
 */
function observedInputs(stored: RouterOutputs, seen: Observation): RouterInputsState {
    const router = bgpRouter(seen.running);
    const mine = router?.asn === stored.localAsn ? router : undefined;
    return {
        connection: stored.connection,
        credentials: stored.credentials,
        localAsn: stored.localAsn,
        routerId: stored.routerId === null ? null : mine?.routerId ?? null,
        maxPaths: {
            ebgp: stored.maxPaths.ebgp === null ? null : mine?.maxPaths.ebgp ?? null,
            ibgp: stored.maxPaths.ibgp === null ? null : mine?.maxPaths.ibgp ?? null,
        },
        routeInstall: stored.routeInstall && seen.running.routeInstall.has("bgp"),
        redistributeKernel: stored.redistributeKernel && (mine?.redistribute.has("kernel") ?? false),
        saveConfig: stored.saveConfig,
        adoptExisting: stored.adoptExisting,
    };
}

/** Ownership after an interrupted apply: planned items count only if the device now has them. */
function confirmOwnership(planned: RouterOwnership, before: RouterOwnership, seen: Observation, asn: number): RouterOwnership {
    const router = bgpRouter(seen.running);
    const mine = router?.asn === asn ? router : undefined;
    const keep = (was: boolean, now: boolean, present: boolean) => was || (now && present);
    return {
        router: keep(before.router, planned.router, mine !== undefined),
        feature: planned.feature,
        routeInstall: keep(before.routeInstall, planned.routeInstall, seen.running.routeInstall.has("bgp")),
        routerId: keep(before.routerId, planned.routerId, mine?.routerId != null),
        maxPathsEbgp: keep(before.maxPathsEbgp, planned.maxPathsEbgp, mine?.maxPaths.ebgp != null),
        maxPathsIbgp: keep(before.maxPathsIbgp, planned.maxPathsIbgp, mine?.maxPaths.ibgp != null),
        redistributeKernel: keep(before.redistributeKernel, planned.redistributeKernel, mine?.redistribute.has("kernel") ?? false),
    };
}

async function apply(id: string, spec: RouterSpec, before: RouterOwnership, pendingBefore: boolean, inputs: Record<string, unknown>): Promise<RouterOutputs> {
    const host = spec.connection.host;
    return withLockedSession(spec.connection, async (session: AdcSession) => {
        const seen = await observeWithFeature(session);
        // Before planning: a node that must not be configured is refused with nothing sent.
        await session.ensureWritable();
        let featureOn = seen.featureOn;
        const plan = planRouter(seen.running, spec.intent, before, spec.adoptExisting);
        if (!plan.ok) throw conflictError(host, plan.conflicts);
        // The feature counts as this resource's only once the device confirmed enabling it.
        let planned: RouterOwnership = { ...plan.owned, feature: before.feature };
        const lines = renderChanges(plan.changes);
        const changing = lines.length > 0 || !featureOn;
        let saved = false;
        // Whether a change may have reached the device: not when the device refused enabling the feature.
        let touched = false;
        const pending = () => savePendingAfter(spec.saveConfig, touched, pendingBefore, saved);
        // Nothing to send: what was just read is what the device holds.
        let after: Observation = seen;
        // From the first line sent on, any failure leaves the device changed: it is recorded.
        try {
            if (!featureOn) {
                log(host, "enabling the BGP feature");
                touched = true;
                await session.cli("enable ns feature BGP").catch((e: unknown) => {
                    if (e instanceof AdcCommandError) touched = false;
                    throw e;
                });
                featureOn = true;
                planned = { ...planned, feature: true };
            }
            touched ||= lines.length > 0;
            // The verify read travels with the lines: no round trip of its own.
            if (lines.length > 0) after = observation(host, await session.configure(lines, OBSERVE_SHOWS));
            else if (planned.feature !== before.feature) after = await observe(session);
            if (mustSave(spec.saveConfig, changing, pendingBefore)) {
                if (!changing) log(host, "saving the configuration (the last save did not complete)");
                await session.save();
                saved = true;
            }
        } catch (e) {
            throw await recordPartial(e, id, spec, planned, before, pending(), inputs, session);
        }
        const rest = planRouter(after.running, spec.intent, planned, true);
        if (!rest.ok || rest.changes.length > 0) {
            const missing = rest.ok ? renderChanges(rest.changes).map((l) => l.redacted ?? l.text) : ["router bgp missing"];
            throw partialFailure(
                new AdcError(host, `the device accepted the configuration but does not show it: still missing ${missing.join("; ")}`, "check the ADC's `show running-config` in vtysh; report the device's build if it silently ignores these lines"),
                id,
                { ...outputs(spec, confirmOwnership(planned, before, after, spec.intent.asn), featureOn, after, pending()) },
                inputs,
            );
        }
        if (lines.length === 0) log(host, `router bgp ${spec.intent.asn}: up to date`);
        return outputs(spec, withCreationDefaults(planned, before, after), featureOn, after, pending());
    });
}

/** Remembers what a router this resource just created showed without being asked (device defaults). */
function withCreationDefaults(owned: RouterOwnership, before: RouterOwnership, seen: Observation): RouterOwnership {
    if (before.router || !owned.router || owned.createdWith) return owned;
    const r = bgpRouter(seen.running);
    return {
        ...owned,
        createdWith: { maxPathsEbgp: owned.maxPathsEbgp ? null : r?.maxPaths.ebgp ?? null, maxPathsIbgp: owned.maxPathsIbgp ? null : r?.maxPaths.ibgp ?? null },
    };
}

/** Reads what is on the device after a failure (if the session still works) and packs a partial failure. */
async function recordPartial(
    e: unknown,
    id: string,
    spec: RouterSpec,
    planned: RouterOwnership,
    before: RouterOwnership,
    savePending: boolean,
    inputs: Record<string, unknown>,
    session: AdcSession,
): Promise<Error> {
    try {
        const seen = await observeAfterFailure(session, spec.connection);
        return partialFailure(e, id, { ...outputs(spec, confirmOwnership(planned, before, seen, spec.intent.asn), true, seen, savePending) }, inputs);
    } catch {
        // The session is gone, so what took effect is unknown: claim what was planned (the next
        // plan re-checks each item against the device) and record the router as not seen, which
        // makes the next `pulumi up` update it.
        const unseen: Observation = { running: EMPTY_CONFIG, sessions: [] };
        return partialFailure(e, id, { ...outputs(spec, planned, true, unseen, savePending) }, inputs);
    }
}

function storedOwnership(props: Record<string, unknown>): RouterOwnership {
    return { ...NOTHING_OWNED, ...((props.owned as Partial<RouterOwnership> | undefined) ?? {}) };
}

export const adcBgpRouterProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds, news) {
        return checkResult(news, resolveRouterInputs(news), routerInputsState);
    },

    async diff(_id, olds, news) {
        return diffState(olds, news, ROUTER_INPUT_KEYS);
    },

    async create(inputs) {
        const spec = requireSpec(resolveRouterInputs(inputs));
        const id = `${spec.connection.host}:${spec.connection.port}/router-bgp-${spec.intent.asn}/${randomBytes(4).toString("hex")}`;
        try {
            return { id, outs: await apply(id, spec, NOTHING_OWNED, false, inputs) };
        } catch (e) {
            throw asProviderError(e);
        }
    },

    async update(id, olds, news) {
        const spec = requireSpec(resolveRouterInputs(news));
        try {
            return { outs: await apply(id, spec, storedOwnership(olds), olds.savePending === true, news) };
        } catch (e) {
            throw asProviderError(e);
        }
    },

    async read(id, props) {
        const stored = props as unknown as RouterOutputs;
        const spec = requireSpec(resolveRouterInputs(props as Record<string, unknown>, "state"));
        return withAdcSession(spec.connection, async (session) => {
            const seen = await observeWithFeature(session);
            const featureOn = seen.featureOn;
            const inputs = observedInputs(stored, seen);
            // Whether the device saved is not observable, so a pending save stays as recorded.
            const outs = { ...outputs(spec, storedOwnership(props as Record<string, unknown>), featureOn, seen, props.savePending === true), ...inputs };
            return { id, props: outs, inputs: inputs as unknown as Record<string, unknown> };
        });
    },

    async delete(_id, props) {
        const spec = requireSpec(resolveRouterInputs(props, "state"));
        const owned = storedOwnership(props);
        const host = spec.connection.host;
        try {
            await withLockedSession(spec.connection, async (session) => {
                const seen = await observe(session);
                // Before planning: a node that must not be configured is refused with nothing sent.
                await session.ensureWritable();
                const removal = planRouterRemoval(seen.running, spec.intent.asn, owned);
                if (!removal.ok) throw conflictError(host, removal.conflicts);
                if (removal.keptRouterBecause) {
                    log(host, `keeping "router bgp ${spec.intent.asn}" because it still holds ${removal.keptRouterBecause}, which this stack does not own; removed only this resource's settings`);
                }
                const lines = renderChanges(removal.changes);
                if (lines.length > 0) log(host, `removing ${lines.length} line(s) this stack added`);
                // Read back with the lines: what the device shows, not what the plan predicts,
                // decides whether the removal took and whether the feature may go.
                const after = lines.length > 0 ? observation(host, await session.configure(lines, OBSERVE_SHOWS)) : { running: seen.running, sessions: [] };
                const left = planRouterRemoval(after.running, spec.intent.asn, owned);
                // Only what no device default can stand in for (a device may show max-paths defaults after `no max-paths`).
                const still = left.ok ? renderChanges(left.changes.filter((c) => c.op === "remove-router" || c.op === "set-route-install")).map((l) => l.text) : [];
                if (lines.length > 0 && still.length > 0) {
                    throw new AdcError(host, `the device accepted the removal but still shows what it removes: ${still.join("; ")} not applied`, "check `show running-config` in vtysh on the ADC, then run `pulumi destroy` again");
                }
                const routerGone = !bgpRouter(after.running);
                const disableFeature = owned.feature && routerGone && (await bgpFeatureEnabled(session));
                if (disableFeature) {
                    log(host, "disabling the BGP feature this stack enabled");
                    await session.cli("disable ns feature BGP");
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
