/**
 * Reading the device: one place that turns show commands into the model, used by every
 * operation so that create, read and verify see the device the same way.
 */
import type { AdcBgpNeighborState, BgpSessionState } from "./args";
import { withAdcSession } from "../device";
import type { AdcConnection, AdcSession, ShowAnswer } from "../device/types";
import { AdcCommandError } from "../device/errors";
import type { RunningConfig, RunningNeighbor } from "../core/model";
import { bgpRouter, parseRunningConfig } from "../core/parseRunningConfig";
import { parseBgpSummary, parseFeatures } from "../core/parseShowOutputs";
import { filterView, type FilterView } from "../core/prefixFilter";

export interface Observation {
    readonly running: RunningConfig;
    readonly sessions: readonly BgpSessionState[];
}

/** An observation read from the device's answers, with the prefix lists the filter plan reads. */
export interface FullObservation extends Observation {
    readonly filter: FilterView;
}

export async function bgpFeatureEnabled(session: AdcSession): Promise<boolean> {
    return parseFeatures(await session.cli("show ns feature")).get("BGP") === true;
}

/** The show commands an observation reads, in one exchange. */
export const OBSERVE_SHOWS: readonly string[] = ["show running-config", "show ip bgp summary"];

/** Reads the configuration and the sessions in one round trip. */
export async function observe(session: AdcSession): Promise<FullObservation> {
    return observation(session.host, await session.vtyshShows(OBSERVE_SHOWS));
}

/** Reads the BGP feature, the configuration and the sessions in one round trip. */
export async function observeWithFeature(session: AdcSession): Promise<Observation & { readonly featureOn: boolean }> {
    const [feature, ...shows] = await session.vtyshShows(OBSERVE_SHOWS, ["show ns feature"]);
    if (feature.failure !== undefined) throw new AdcCommandError(session.host, "show ns feature", feature.failure, "check that the account may run `show ns feature`");
    return { ...observation(session.host, shows), featureOn: parseFeatures(feature.output).get("BGP") === true };
}

/**
 * The answers to {@link OBSERVE_SHOWS} as an observation. A device without a BGP instance
 * answers the summary with a `%` line: that means no sessions.
 */
export function observation(host: string, [config, summary]: readonly ShowAnswer[]): FullObservation {
    if (config.failure !== undefined) throw new AdcCommandError(host, "show running-config", config.failure, "check that the account may run vtysh's `show running-config`");
    const running = parseRunningConfig(config.output);
    return { running, filter: filterView(config.output, running), sessions: bgpRouter(running) && summary.failure === undefined ? parseBgpSummary(summary.output) : [] };
}

/** A device without a BGP instance answers the summary with a `%` line; that means no sessions. */
export async function readSessions(session: AdcSession): Promise<BgpSessionState[]> {
    try {
        return parseBgpSummary(await session.vtyshShow("show ip bgp summary"));
    } catch (e) {
        if (e instanceof AdcCommandError) return [];
        throw e;
    }
}

/** A neighbor as users see it in outputs: never the password itself. */
export function neighborState(n: RunningNeighbor): AdcBgpNeighborState {
    return {
        address: n.address,
        remoteAsn: n.remoteAsn,
        ...(n.peerGroup !== null ? { peerGroup: n.peerGroup } : {}),
        description: n.description,
        hasPassword: n.password !== null,
        updateSource: n.updateSource,
        ebgpMultihop: n.ebgpMultihop,
    };
}

/**
 * After a failed apply: read the device on the same session if it still works, else on a new
 * one (the failure may have been the connection itself). Throws if the device cannot be read.
 */
export async function observeAfterFailure(session: AdcSession, connection: AdcConnection): Promise<FullObservation> {
    try {
        return await observe(session);
    } catch {
        return withAdcSession({ ...connection, connectRetries: 0 }, observe);
    }
}
