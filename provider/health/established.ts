/**
 * Session health: are the ADC's BGP sessions to the Calico nodes Established, and if not, what
 * should the user check. The decision and the hints are pure; reading the sessions is injected,
 * so the same wait serves the resources (over their SSH session), the status CLI and tests.
 */
import type { BgpSessionState } from "../adc/args";
import { AdcError } from "../device/errors";

/** A neighbor the ADC should have an Established session with. */
export interface ExpectedNeighbor {
    readonly address: string;
    /** The AS the neighbor (the Calico node) runs; checked against the ADC's `remote-as` when given. */
    readonly remoteAsn?: number;
}

/** Why one expected neighbor is not Established. */
export interface NeighborProblem {
    readonly address: string;
    /** The BGP state the ADC reports, or `not configured` when the ADC has no such neighbor. */
    readonly state: string;
    /** The Up/Down column (time in the current state), when the ADC reports the neighbor. */
    readonly upDown: string | null;
    /** What to check, in the user's terms. */
    readonly hint: string;
}

/** What the hints may name, to be concrete ("the BGPPeer's asNumber must be 500"). */
export interface HintContext {
    /** The ADC's own AS (`router bgp <asn>`). */
    readonly localAsn?: number;
}

export const NOT_CONFIGURED = "not configured";

/**
 * What a non-Established state usually means, and what to check. The BGP state machine stops in
 * a state that points at the layer that failed: TCP (Connect/Active), the OPEN exchange
 * (OpenSent/OpenConfirm), or the configuration (Idle).
 */
export function hintForState(state: string, address: string, remoteAsn: number | undefined, context: HintContext = {}): string {
    const adcAs = context.localAsn !== undefined ? ` (${context.localAsn})` : "";
    const nodeAs = remoteAsn !== undefined ? ` (${remoteAsn})` : "";
    const word = state.split(/\s+/)[0]!.toLowerCase();
    if (state === NOT_CONFIGURED) {
        return `the ADC has no neighbor ${address}: add it (AdcBgpNeighbors, or \`neighbor ${address} remote-as <node AS>\` under \`router bgp\`), or check that this node belongs in the list`;
    }
    if (/\(admin\)/i.test(state)) {
        return `the session is administratively shut down on the ADC: \`no neighbor ${address} shutdown\` under \`router bgp\``;
    }
    const peerAs = `the Calico BGPPeer's asNumber must be the ADC's \`router bgp\` AS${adcAs}`;
    const remoteAs = `the ADC's \`neighbor ${address} remote-as\`${nodeAs} must be the node's AS (Calico BGPConfiguration asNumber, default 64512, or the node's own)`;
    const bothEnds = `check both ends' AS numbers: ${remoteAs}, and ${peerAs}`;
    switch (word) {
        case "active":
        case "connect":
            // A node that refuses the ADC's OPEN (wrong BGPPeer asNumber) also leaves the ADC in
            // Active: the ADC only sees its connection closed. The node's side names the cause.
            return (
                `no BGP session over TCP port 179 with ${address}: check that the node runs calico-node with BGP (BIRD) networking, ` +
                `that a Calico BGPPeer with peerIP = the ADC's address exists (so the node is configured to peer), ` +
                `that the ADC reaches ${address} (SNIP with dynamic routing in that subnet, \`update-source\`, \`ebgp-multihop\` if not directly connected), ` +
                `that no firewall drops TCP 179, and that MD5 passwords match on both ends if set. ` +
                `If \`calicoctl node status\` on that node says "BGP Error: Bad peer AS", the node refused the ADC's AS: ${peerAs}; ` +
                `"Received: Bad peer AS" means the ADC refused the node's AS: ${remoteAs}`
            );
        case "idle":
            return `the session is not even trying or was refused after an OPEN: usually an AS number mismatch (the peer sent a NOTIFICATION "Bad Peer AS"); ${bothEnds}; or the neighbor is shut down`;
        case "opensent":
        case "openconfirm":
            return `TCP is up but the BGP OPEN was not accepted: an AS number or capability mismatch; ${bothEnds}`;
        default:
            return `unexpected BGP state "${state}": run \`show ip bgp neighbors ${address}\` in vtysh on the ADC`;
    }
}

/**
 * The decision: which expected neighbors are not Established (empty = healthy). A neighbor the
 * ADC reports with another remote AS than expected is a problem even if its session is up.
 */
export function sessionProblems(expected: readonly ExpectedNeighbor[], sessions: readonly BgpSessionState[], context: HintContext = {}): NeighborProblem[] {
    const byAddress = new Map(sessions.map((s) => [canonical(s.address), s]));
    const problems: NeighborProblem[] = [];
    for (const e of expected) {
        const s = byAddress.get(canonical(e.address));
        if (!s) {
            problems.push({ address: e.address, state: NOT_CONFIGURED, upDown: null, hint: hintForState(NOT_CONFIGURED, e.address, e.remoteAsn, context) });
            continue;
        }
        if (e.remoteAsn !== undefined && s.remoteAsn !== e.remoteAsn) {
            problems.push({
                address: e.address,
                state: s.state,
                upDown: s.upDown,
                hint: `the ADC has \`neighbor ${e.address} remote-as ${s.remoteAsn}\` but the node runs AS ${e.remoteAsn}: set remote-as ${e.remoteAsn}`,
            });
            continue;
        }
        if (s.state !== "Established") {
            problems.push({ address: e.address, state: s.state, upDown: s.upDown, hint: hintForState(s.state, e.address, e.remoteAsn ?? s.remoteAsn, context) });
        }
    }
    return problems;
}

function canonical(address: string): string {
    return address.trim().toLowerCase();
}

/** Some expected sessions did not reach Established in time. */
export class SessionsNotEstablishedError extends AdcError {
    readonly problems: readonly NeighborProblem[];
    readonly waitedMs: number;

    constructor(host: string, problems: readonly NeighborProblem[], expectedCount: number, waitedMs: number) {
        const lines = problems.map((p) => `  ${p.address}: ${p.state}${p.upDown && p.upDown !== "never" ? ` for ${p.upDown}` : ""}\n    ${p.hint}`);
        super(
            host,
            `${problems.length} of ${expectedCount} BGP session(s) not Established after ${Math.round(waitedMs / 1000)} s:\n${lines.join("\n")}`,
            `fix the cause named for each neighbor (the configuration itself was applied; \`pulumi up\` checks again); ` +
                `\`npx pulumi-calico-adc-status --host ${host}\` shows the sessions as they change`,
        );
        this.problems = problems;
        this.waitedMs = waitedMs;
    }
}

export interface WaitForEstablishedOptions {
    /** The ADC, for messages. */
    readonly host: string;
    readonly expected: readonly ExpectedNeighbor[];
    /** Reads the sessions once (e.g. `show ip bgp summary`, parsed). */
    readonly readSessions: () => Promise<readonly BgpSessionState[]>;
    /** Give up after this long. */
    readonly timeoutMs: number;
    /** The ADC's own AS, named in hints. */
    readonly localAsn?: number;
    /** Between reads, at most. Default 1000. */
    readonly intervalMs?: number;
    /**
     * The first wait between reads, doubled after each read that still waits, up to `intervalMs`:
     * sessions that come up just after the lines are seen within a short wait of it rather than
     * a whole interval later. Default: `intervalMs` (a fixed interval).
     */
    readonly firstIntervalMs?: number;
    /** Injected for tests. */
    readonly now?: () => number;
    readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Reads the sessions until every expected neighbor is Established, then returns the last read.
 * Throws {@link SessionsNotEstablishedError} after `timeoutMs`, listing each neighbor that is
 * not Established with its state and a hint. A read that fails ends the wait with its error
 * (a reader that should ride out a dropped connection retries itself).
 */
export async function waitForEstablished(o: WaitForEstablishedOptions): Promise<BgpSessionState[]> {
    const now = o.now ?? Date.now;
    const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const context: HintContext = o.localAsn !== undefined ? { localAsn: o.localAsn } : {};
    const start = now();
    const longest = o.intervalMs ?? 1000;
    let interval = Math.min(o.firstIntervalMs ?? longest, longest);
    for (;;) {
        const sessions = [...(await o.readSessions())];
        const problems = sessionProblems(o.expected, sessions, context);
        if (problems.length === 0) return sessions;
        const elapsed = now() - start;
        if (elapsed >= o.timeoutMs) throw new SessionsNotEstablishedError(o.host, problems, o.expected.length, elapsed);
        await sleep(Math.min(interval, o.timeoutMs - elapsed));
        interval = Math.min(interval * 2, longest);
    }
}
