/**
 * The ADC's side of the peering as a report: its BGP sessions as tables in the spirit of
 * `calicoctl node status` (IPv4, then IPv6), the BGP routes it installed, and what to check for
 * each session that is not Established. Pure: built from the answers to the IPv4 and IPv6
 * summaries and `show route`, read in one exchange ({@link STATUS_SHOWS}).
 */
import type { BgpSessionState } from "../adc/args";
import { IPV6_SUMMARY, IPV6_SUMMARY_REFUSED, SUMMARIES, sessionsOf } from "../adc/observe";
import { addressFamilyOf } from "../core/values";
import { AdcCommandError } from "../device/errors";
import type { ShowAnswer } from "../device/types";
import { sessionProblems, type ExpectedNeighbor, type NeighborProblem } from "./established";
import { bgpRoutes, parseShowRoute, type AdcRoute } from "./showRoute";
import { renderTable } from "./table";

/** What the report reads, in one exchange: `cli` (nscli) before the vtysh summaries. */
export const STATUS_SHOWS = { cli: ["show route"], vtysh: SUMMARIES } as const;

/** The answers to {@link STATUS_SHOWS}, in the order the session returns them. */
export interface StatusAnswers {
    readonly showRoute: ShowAnswer;
    /** IPv4 unicast summary, then IPv6 unicast summary. */
    readonly summaries: readonly ShowAnswer[];
}

/** The device refused the IPv6 summary: IPv6 sessions are unknown, not absent. */
export interface Ipv6SummaryRefusal {
    readonly command: string;
    /** The device's answer. */
    readonly answer: string;
}

/** The state shown for an expected IPv6 neighbor when the IPv6 summary was refused. */
export const UNKNOWN = "unknown";

export interface AdcStatus {
    readonly host: string;
    /** From the summary's first line; undefined when BGP does not run. */
    readonly localAsn: number | undefined;
    readonly routerId: string | undefined;
    /** IPv4 neighbors' sessions from the IPv4 summary, IPv6 neighbors' from the IPv6 one. */
    readonly sessions: readonly BgpSessionState[];
    /** Set when the device refused the IPv6 summary (then `sessions` holds IPv4 neighbors only). */
    readonly ipv6Refused?: Ipv6SummaryRefusal;
    /** BGP routes in the packet engine's table (`show route`). */
    readonly routes: readonly AdcRoute[];
    /** Sessions not Established, expected neighbors the ADC lacks, and expected IPv6 neighbors whose state is unknown. */
    readonly problems: readonly NeighborProblem[];
}

/** `BGP router identifier 192.0.2.1, local AS number 500` (ZebOS, Quagga and FRR all start so). */
export function parseSummaryHeader(text: string): { routerId: string | undefined; localAsn: number | undefined } {
    const m = /router identifier (\S+?),\s*local AS number (\d+)/i.exec(text);
    return { routerId: m?.[1], localAsn: m ? Number(m[2]) : undefined };
}

/** The answers in {@link STATUS_SHOWS}' order (`cli` first) as {@link StatusAnswers}. */
export function statusAnswers([showRoute, ...summaries]: readonly ShowAnswer[]): StatusAnswers {
    return { showRoute: showRoute!, summaries };
}

/**
 * Builds the report. Without `expected`, every neighbor the ADC lists is expected to be up; with
 * it, neighbors the ADC lacks are problems too. A refused IPv4 summary or `show route` throws
 * {@link AdcCommandError} (nothing to report); a refused IPv6 summary leaves the IPv4 report
 * whole and names the command.
 */
export function buildStatus(host: string, answers: StatusAnswers, options: { expected?: readonly ExpectedNeighbor[]; routeTypeLabel?: string } = {}): AdcStatus {
    const [ipv4] = answers.summaries;
    if (ipv4?.failure !== undefined) {
        throw new AdcCommandError(host, SUMMARIES[0]!, ipv4.failure, "check that BGP runs on the ADC (`router bgp` in vtysh, the BGP feature on) and that the account may run vtysh's show commands");
    }
    if (answers.showRoute.failure !== undefined) throw new AdcCommandError(host, STATUS_SHOWS.cli[0], answers.showRoute.failure, "check that the account may run `show route`");
    const { routerId, localAsn } = parseSummaryHeader(ipv4?.output ?? "");
    const { sessions, ipv6SummaryFailure } = sessionsOf(answers.summaries);
    const ipv6Refused = ipv6SummaryFailure !== undefined ? { command: IPV6_SUMMARY, answer: ipv6SummaryFailure } : undefined;
    const expected = options.expected ?? sessions.map((s) => ({ address: s.address }));
    const unknown = ipv6Refused ? expected.filter((e) => addressFamilyOf(e.address) === "ipv6") : [];
    const context = localAsn !== undefined ? { localAsn } : {};
    return {
        host,
        localAsn,
        routerId,
        sessions,
        ...(ipv6Refused ? { ipv6Refused } : {}),
        routes: bgpRoutes(parseShowRoute(answers.showRoute.output), options.routeTypeLabel),
        problems: [
            ...sessionProblems(readable(expected, ipv6Refused), sessions, context),
            ...unknown.map((e) => ({ address: e.address, state: UNKNOWN, upDown: null, hint: `the ADC refused \`${IPV6_SUMMARY}\` (see IPv6 BGP status above): check this session on the ADC by hand` })),
        ],
    };
}

/** The expected neighbors whose sessions the answers can show: all but the IPv6 ones when the IPv6 summary was refused. */
export function readable(expected: readonly ExpectedNeighbor[], ipv6Refused: Ipv6SummaryRefusal | undefined): ExpectedNeighbor[] {
    return expected.filter((e) => !ipv6Refused || addressFamilyOf(e.address) === "ipv4");
}

/** BIRD's protocol states, as calicoctl shows them: `up` once Established, `start` while trying, `down` when shut down. */
function protocolState(state: string): string {
    if (state === "Established") return "up";
    return /admin/i.test(state) ? "down" : "start";
}

/** One family's sessions as calicoctl draws them, or its "No IPv4 peers found." line. */
function sessionTable(status: AdcStatus, family: "ipv4" | "ipv6"): string[] {
    const sessions = status.sessions.filter((s) => addressFamilyOf(s.address) === family);
    const name = family === "ipv4" ? "IPv4" : "IPv6";
    if (sessions.length === 0) return [`No ${name} peers found.`];
    return [
        renderTable(
            ["Peer address", "Peer AS", "Peer type", "State", "Since", "Info", "Prefixes"],
            sessions.map((s) => [
                s.address,
                String(s.remoteAsn),
                status.localAsn === undefined ? "" : s.remoteAsn === status.localAsn ? "iBGP" : "eBGP",
                protocolState(s.state),
                s.upDown,
                s.state,
                s.prefixesReceived === null ? "" : String(s.prefixesReceived),
            ]),
        ),
    ];
}

function oneLine(text: string): string {
    return text.trim().replace(/\s*\n\s*/g, " / ");
}

export function renderStatus(status: AdcStatus): string {
    const out: string[] = [];
    out.push(
        status.localAsn === undefined
            ? `ADC ${status.host}: BGP is not running (no \`router bgp\`, or the BGP feature is off)`
            : `ADC ${status.host}: router bgp ${status.localAsn}, router id ${status.routerId}`,
        "",
        "IPv4 BGP status",
    );
    out.push(...sessionTable(status, "ipv4"), "", "IPv6 BGP status");
    if (status.ipv6Refused) {
        out.push(`IPv6 sessions unknown: the ADC answered \`${status.ipv6Refused.command}\` with "${oneLine(status.ipv6Refused.answer)}": ${IPV6_SUMMARY_REFUSED} here; check the IPv6 neighbors on the ADC by hand.`);
    } else {
        out.push(...sessionTable(status, "ipv6"));
    }
    out.push("", "BGP routes installed (show route)");
    if (status.routes.length === 0) {
        out.push("No BGP routes installed. Without `ns route-install bgp` in vtysh, learned routes stay out of the packet engine.");
    } else {
        out.push(
            renderTable(
                ["Network", "Netmask", "Gateway", "State"],
                status.routes.map((r) => [r.network, r.netmask, r.gateway, r.state]),
            ),
        );
    }
    if (status.problems.length > 0) {
        out.push("", `${status.problems.length} session(s) not Established:`);
        for (const p of status.problems) out.push(`  ${p.address}: ${p.state}`, `    ${p.hint}`);
    }
    return out.join("\n") + "\n";
}
