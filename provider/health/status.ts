/**
 * The ADC's side of the peering as a report: its BGP sessions as a table in the spirit of
 * `calicoctl node status`, the BGP routes it installed, and what to check for each session that
 * is not Established. Pure: built from the text of `show ip bgp summary` and `show route`.
 */
import type { BgpSessionState } from "../adc/args";
import { parseBgpSummary } from "../core/parseShowOutputs";
import { sessionProblems, type ExpectedNeighbor, type NeighborProblem } from "./established";
import { bgpRoutes, parseShowRoute, type AdcRoute } from "./showRoute";
import { renderTable } from "./table";

export interface AdcStatus {
    readonly host: string;
    /** From the summary's first line; undefined when BGP does not run. */
    readonly localAsn: number | undefined;
    readonly routerId: string | undefined;
    readonly sessions: readonly BgpSessionState[];
    /** BGP routes in the packet engine's table (`show route`). */
    readonly routes: readonly AdcRoute[];
    /** Sessions not Established, and expected neighbors the ADC lacks. */
    readonly problems: readonly NeighborProblem[];
}

/** `BGP router identifier 192.0.2.1, local AS number 500` (ZebOS, Quagga and FRR all start so). */
export function parseSummaryHeader(text: string): { routerId: string | undefined; localAsn: number | undefined } {
    const m = /router identifier (\S+?),\s*local AS number (\d+)/i.exec(text);
    return { routerId: m?.[1], localAsn: m ? Number(m[2]) : undefined };
}

/**
 * Builds the report. Without `expected`, every neighbor the ADC has is expected to be up; with
 * it, neighbors the ADC lacks are problems too.
 */
export function buildStatus(host: string, summaryText: string, showRouteText: string, options: { expected?: readonly ExpectedNeighbor[]; routeTypeLabel?: string } = {}): AdcStatus {
    const { routerId, localAsn } = parseSummaryHeader(summaryText);
    const sessions = parseBgpSummary(summaryText);
    const expected = options.expected ?? sessions.map((s) => ({ address: s.address }));
    return {
        host,
        localAsn,
        routerId,
        sessions,
        routes: bgpRoutes(parseShowRoute(showRouteText), options.routeTypeLabel),
        problems: sessionProblems(expected, sessions, localAsn !== undefined ? { localAsn } : {}),
    };
}

/** BIRD's protocol states, as calicoctl shows them: `up` once Established, `start` while trying, `down` when shut down. */
function protocolState(state: string): string {
    if (state === "Established") return "up";
    return /admin/i.test(state) ? "down" : "start";
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
    if (status.sessions.length === 0) {
        out.push("No IPv4 peers found.");
    } else {
        out.push(
            renderTable(
                ["Peer address", "Peer AS", "Peer type", "State", "Since", "Info", "Prefixes"],
                status.sessions.map((s) => [
                    s.address,
                    String(s.remoteAsn),
                    status.localAsn === undefined ? "" : s.remoteAsn === status.localAsn ? "iBGP" : "eBGP",
                    protocolState(s.state),
                    s.upDown,
                    s.state,
                    s.prefixesReceived === null ? "" : String(s.prefixesReceived),
                ]),
            ),
        );
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
