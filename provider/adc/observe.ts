/**
 * Reading the device: one place that turns show commands into the model, used by every
 * operation so that create, read and verify see the device the same way.
 */
import type { AdcBgpNeighborState, BgpSessionState } from "./args";
import { withAdcSession } from "../device";
import type { AdcConnection, AdcSession, ShowAnswer } from "../device/types";
import { AdcCommandError, AdcTimeoutError } from "../device/errors";
import type { RunningConfig, RunningNeighbor } from "../core/model";
import { bgpRouter } from "../core/parseRunningConfig";
import { parseBgpSummary, parseFeatures } from "../core/parseShowOutputs";
import { filterView, type FilterView } from "../core/prefixFilter";
import { addressFamilyOf } from "../core/values";

export interface Observation {
    readonly running: RunningConfig;
    /** IPv4 neighbors' sessions from the IPv4 summary, IPv6 neighbors' from the IPv6 one. */
    readonly sessions: readonly BgpSessionState[];
    /** The device's answer when it refused the IPv6 summary: IPv6 sessions are then unknown, not absent. */
    readonly ipv6SummaryFailure?: string;
}

/** An observation read from the device's answers, with the prefix lists the filter plan reads. */
export interface FullObservation extends Observation {
    readonly filter: FilterView;
}

export async function bgpFeatureEnabled(session: AdcSession): Promise<boolean> {
    return parseFeatures(await session.cli("show ns feature")).get("BGP") === true;
}

/**
 * The IPv6 unicast summary: Quagga's and ZebOS's `show bgp ipv6 summary`. Unconfirmed on
 * NetScaler; a device that does not know it leaves IPv6 sessions unknown, and a wait for them
 * fails naming the command and the answer.
 */
export const IPV6_SUMMARY = "show bgp ipv6 summary";
/** What a refusal of {@link IPV6_SUMMARY} means, for the fixes that follow it. */
export const IPV6_SUMMARY_REFUSED = "the ADC's vtysh does not list IPv6 sessions with this command, so their state cannot be read";
/**
 * The summaries, IPv4 unicast first: with `bgp default ipv4-unicast` it lists IPv6 neighbors
 * too, but only the IPv6 one counts their IPv6 routes. {@link sessionsOf} reads their answers.
 */
export const SUMMARIES: readonly string[] = ["show ip bgp summary", IPV6_SUMMARY];

/** The show commands an observation reads, in one exchange. */
export const OBSERVE_SHOWS: readonly string[] = ["show running-config", ...SUMMARIES];

/** The configuration alone: what a removal is decided and confirmed from, and what settles an add. */
export const CONFIG_SHOWS: readonly string[] = OBSERVE_SHOWS.slice(0, 1);

/** Reads the configuration alone (its observation shows no sessions). */
export async function observeConfig(session: AdcSession): Promise<FullObservation> {
    return observation(session.host, await session.vtyshShows(CONFIG_SHOWS));
}

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
 * answers the summary with a `%` line: that means no sessions. The summaries are parsed when
 * the sessions are first read: an apply that changes the device reports the sessions read after
 * its lines, and thousands of rows parsed before them would only delay the lines.
 */
export function observation(host: string, [config, ...summaries]: readonly ShowAnswer[]): FullObservation {
    if (config.failure !== undefined) throw new AdcCommandError(host, "show running-config", config.failure, "check that the account may run vtysh's `show running-config`");
    const filter = filterView(config.output);
    const running = filter.running;
    if (!bgpRouter(running)) return { running, filter, sessions: [] };
    let read: ReturnType<typeof sessionsOf> | undefined;
    const sessions = () => (read ??= sessionsOf(summaries));
    return {
        running,
        filter,
        get sessions() {
            return sessions().sessions;
        },
        get ipv6SummaryFailure() {
            return sessions().ipv6SummaryFailure;
        },
    };
}

/**
 * The two summaries' answers as sessions: each neighbor from its own family's summary. A device
 * without a BGP instance answers a summary with a `%` line: no sessions.
 */
export function sessionsOf([ipv4, ipv6]: readonly ShowAnswer[]): { sessions: BgpSessionState[]; ipv6SummaryFailure?: string } {
    const read = (a: ShowAnswer | undefined) => (a === undefined || a.failure !== undefined ? [] : parseBgpSummary(a.output));
    const sessions = [...read(ipv4).filter((s) => addressFamilyOf(s.address) === "ipv4"), ...read(ipv6).filter((s) => addressFamilyOf(s.address) === "ipv6")];
    return ipv6?.failure !== undefined ? { sessions, ipv6SummaryFailure: ipv6.failure } : { sessions };
}

/**
 * Reads the sessions (both summaries, one exchange). With `ipv6Needed`, a device that refuses
 * the IPv6 summary is an error naming the command and its answer, never an empty list.
 */
export async function readSessions(session: AdcSession, ipv6Needed = false): Promise<BgpSessionState[]> {
    const { sessions, ipv6SummaryFailure } = sessionsOf(await session.vtyshShows(SUMMARIES));
    if (ipv6Needed && ipv6SummaryFailure !== undefined) {
        throw new AdcCommandError(
            session.host,
            IPV6_SUMMARY,
            ipv6SummaryFailure,
            `${IPV6_SUMMARY_REFUSED}: set waitForEstablishedSeconds to 0 for the IPv6 neighbors and check them on the ADC by hand`,
        );
    }
    return sessions;
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
 * After a failed apply (`failure`): read the device on the same session if it still works, else
 * on a new one (the failure may have been the connection itself). After a timeout the session is
 * closed first: lines of the batch written and not answered are still in the device's input, and
 * it would go on applying them while the session stays open, after the read, which would then
 * not show all the batch did. Throws if the device cannot be read.
 */
export async function observeAfterFailure(session: AdcSession, connection: AdcConnection, failure: unknown): Promise<FullObservation> {
    if (failure instanceof AdcTimeoutError) {
        // Until the connection has ended: on a device at its session cap the read's login would be refused.
        await session.close(true);
    } else {
        try {
            return await observe(session);
        } catch {
            // Read on a new session below.
        }
    }
    return withAdcSession({ ...connection, connectRetries: 0 }, observe);
}
