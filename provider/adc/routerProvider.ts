/**
 * The provider behind {@link AdcBgpRouter}: the device-level BGP settings. A thin shell around
 * the pure core: read the device, plan, apply the planned lines in one session, verify.
 */
import type * as pulumi from "@pulumi/pulumi";
import { randomBytes } from "crypto";
import type { AdcBgpNeighborState, BgpSessionState } from "./args";
import { AdcCommandError, AdcError } from "../device/errors";
import type { AdcConnection, AdcSession } from "../device/types";
import { EMPTY_CONFIG } from "../core/model";
import { bgpRouter } from "../core/parseRunningConfig";
import { confirmRouter, confirmRouterRemoval, decideRouter, decideRouterRemoval, type RouterDecision, type RouterWant } from "../core/ownership";
import { IPV6_ROUTE_INSTALL, NOTHING_OWNED, type RouterOwnership } from "../core/plan";
import { renderChanges, renderPlan } from "../core/render";
import { mustSave, savePendingAfter } from "../core/save";
import { conflictError, describeConflict } from "./conflicts";
import { applyOnPrimary, onPrimary, readOnPrimary, type SecondaryReport } from "./haPair";
import { resolveRouterInputs, type RouterSpec } from "./inputs";
import { neighborState, observation, observe, observeAfterFailure, observeWithFeature, OBSERVE_SHOWS, type Observation } from "./observe";
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
    /** For an HA pair: whether the secondary showed what the primary holds at the last `up` or `refresh`. */
    secondaryInSync?: boolean;
    /** For an HA pair: the node read as the secondary, and what it differed by. */
    secondary?: SecondaryReport;
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
        // Off stays off (null): a line someone else set is not this resource's drift.
        routeInstallIpv6: stored.routeInstallIpv6 === true ? seen.running.routeInstall.has(IPV6_ROUTE_INSTALL) : null,
        redistributeKernel: stored.redistributeKernel && (mine?.redistribute.has("kernel") ?? false),
        ...(stored.gracefulRestart === true ? { gracefulRestart: (mine?.gracefulRestart ?? null) !== null } : {}),
        saveConfig: stored.saveConfig,
        adoptExisting: stored.adoptExisting,
    };
}

async function apply(id: string, spec: RouterSpec, before: RouterOwnership, pendingBefore: boolean, inputs: Record<string, unknown>): Promise<RouterOutputs> {
    return applyOnPrimary(
        spec.connection,
        id,
        inputs,
        (session, node) => applyOn(session, node, id, spec, before, pendingBefore, inputs),
        (secondary, outs) => secondaryDifferences(secondary, spec, outs.owned),
    );
}

/** For an HA pair: what would make the secondary show what this resource owns on the primary (nscli commands, then vtysh lines). */
async function secondaryDifferences(secondary: AdcSession, spec: RouterSpec, owned: RouterOwnership): Promise<string[]> {
    const seen = await observeWithFeature(secondary);
    const decision = decideRouter({ running: seen.running, bgpFeature: seen.featureOn }, owned, { intent: spec.intent, adopt: true });
    if (!decision.ok) return decision.conflicts.map((c) => describeConflict(c).message);
    const plan = renderPlan(decision.changes);
    return [...plan.before, ...plan.lines.map((l) => (l.redacted ?? l.text) || `router bgp ${spec.intent.asn}`), ...plan.after];
}

async function applyOn(session: AdcSession, node: AdcConnection, id: string, spec: RouterSpec, before: RouterOwnership, pendingBefore: boolean, inputs: Record<string, unknown>): Promise<RouterOutputs> {
    const host = node.host;
    const want: RouterWant = { intent: spec.intent, adopt: spec.adoptExisting };
    const seen = await observeWithFeature(session);
    // Before planning: a node that must not be configured is refused with nothing sent.
    await session.ensureWritable();
    const decision = decideRouter({ running: seen.running, bgpFeature: seen.featureOn }, before, want);
    if (!decision.ok) throw conflictError(host, decision.conflicts);
    const plan = renderPlan(decision.changes);
    const changing = decision.changes.length > 0;
    let bgpFeature: boolean | null = seen.featureOn;
    let saved = false;
    // Whether a change may have reached the device: not when the device refused the first command.
    let touched = false;
    const pending = () => savePendingAfter(spec.saveConfig, touched, pendingBefore, saved);
    // Nothing to send: what was just read is what the device holds.
    let after: Observation = seen;
    // From the first line sent on, any failure leaves the device changed: it is recorded.
    try {
        for (const command of plan.before) {
            log(host, `running "${command}"`);
            const wasTouched = touched;
            touched = true;
            await session.cli(command).catch((e: unknown) => {
                if (e instanceof AdcCommandError) touched = wasTouched;
                throw e;
            });
        }
        // Every command before the lines enables the feature: a ` Done` proves it on.
        if (plan.before.length > 0) bgpFeature = true;
        touched ||= plan.lines.length > 0;
        // The verify read travels with the lines: no round trip of its own.
        if (plan.lines.length > 0) after = observation(host, await session.configure(plan.lines, OBSERVE_SHOWS));
        else if (plan.before.length > 0) after = await observe(session);
        if (mustSave(spec.saveConfig, changing, pendingBefore)) {
            if (!changing) log(host, "saving the configuration (the last save did not complete)");
            await session.save();
            saved = true;
        }
    } catch (e) {
        throw await recordPartial(e, id, spec, decision, before, bgpFeature, pending(), inputs, session, node);
    }
    const confirmed = confirmRouter(decision, before, want, { running: after.running, bgpFeature });
    if (confirmed.missing !== null && confirmed.missing.length > 0) {
        const missing = renderPlan(confirmed.missing);
        const texts = [...missing.before, ...missing.lines.map((l) => (l.redacted ?? l.text) || `router bgp ${spec.intent.asn}`)];
        throw partialFailure(
            new AdcError(host, `the device accepted the configuration but does not show it: still missing ${texts.join("; ")}`, "check the ADC's `show running-config` in vtysh; report the device's build if it silently ignores these lines"),
            id,
            { ...outputs(spec, confirmed.owned, bgpFeature ?? seen.featureOn, after, pending()) },
            inputs,
        );
    }
    if (!changing) log(host, `router bgp ${spec.intent.asn}: up to date`);
    return outputs(spec, confirmed.owned, bgpFeature ?? seen.featureOn, after, pending());
}

/** Reads what is on the device after a failure (if the session still works) and packs a partial failure. */
async function recordPartial(
    e: unknown,
    id: string,
    spec: RouterSpec,
    decision: RouterDecision,
    before: RouterOwnership,
    bgpFeature: boolean | null,
    savePending: boolean,
    inputs: Record<string, unknown>,
    session: AdcSession,
    node: AdcConnection,
): Promise<Error> {
    const want: RouterWant = { intent: spec.intent, adopt: spec.adoptExisting };
    try {
        const seen = await observeAfterFailure(session, node, e);
        const confirmed = confirmRouter(decision, before, want, { running: seen.running, bgpFeature });
        return partialFailure(e, id, { ...outputs(spec, confirmed.owned, true, seen, savePending) }, inputs);
    } catch {
        // The session is gone, so what took effect is unknown: record the claim (the next plan
        // re-checks each item against the device) and the router as not seen, which makes the
        // next `pulumi up` update it.
        const unseen: Observation = { running: EMPTY_CONFIG, sessions: [] };
        const confirmed = confirmRouter(decision, before, want, { running: null, bgpFeature });
        return partialFailure(e, id, { ...outputs(spec, confirmed.owned, true, unseen, savePending) }, inputs);
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
        const owned = storedOwnership(props as Record<string, unknown>);
        const done = await readOnPrimary(
            spec.connection,
            async (session) => {
                const seen = await observeWithFeature(session);
                const inputs = observedInputs(stored, seen);
                // Whether the device saved is not observable, so a pending save stays as recorded.
                return { outs: { ...outputs(spec, owned, seen.featureOn, seen, props.savePending === true), ...inputs }, inputs };
            },
            (secondary) => secondaryDifferences(secondary, spec, owned),
        );
        // A secondary that diverged shows as `secondaryInSync: false`: drift that `pulumi refresh` shows and `up` checks again.
        return { id, props: done.outs, inputs: done.inputs as unknown as Record<string, unknown> };
    },

    async delete(_id, props) {
        const spec = requireSpec(resolveRouterInputs(props, "state"));
        const owned = storedOwnership(props);
        try {
            await onPrimary(spec.connection, true, async (session, node) => {
                const host = node.host;
                const seen = await observeWithFeature(session);
                // Before planning: a node that must not be configured is refused with nothing sent.
                await session.ensureWritable();
                const removal = decideRouterRemoval({ running: seen.running, bgpFeature: seen.featureOn }, owned, spec.intent.asn);
                if (!removal.ok) throw conflictError(host, removal.conflicts);
                if (removal.keptRouterBecause) {
                    log(host, `keeping "router bgp ${spec.intent.asn}" because it still holds ${removal.keptRouterBecause}, which this stack does not own; removed only this resource's settings`);
                }
                const { lines } = renderPlan(removal.changes);
                if (lines.length > 0) log(host, `removing ${lines.length} line(s) this stack added`);
                // Read back with the lines: what the device shows, not what the plan predicts,
                // decides whether the removal took and whether the feature may go.
                const after = lines.length > 0 ? observation(host, await session.configure(lines, OBSERVE_SHOWS)) : seen;
                const confirmed = confirmRouterRemoval(removal, owned, spec.intent.asn, after.running);
                if (confirmed.notTaken.length > 0) {
                    const still = renderChanges(confirmed.notTaken).map((l) => l.text);
                    throw new AdcError(host, `the device accepted the removal but still shows what it removes: ${still.join("; ")} not applied`, "check `show running-config` in vtysh on the ADC, then run `pulumi destroy` again");
                }
                for (const command of renderPlan(confirmed.then).after) {
                    log(host, `running "${command}" (this stack enabled the feature)`);
                    await session.cli(command);
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
