/**
 * Waiting for BGP sessions to come up, and explaining the ones that do not. The decision and
 * the explanation are pure; reading the sessions is injected.
 */
import type { BgpSessionState } from "../adc/args";
import { AdcError } from "../device/errors";

export interface ExpectedNeighbor {
    readonly address: string;
    readonly remoteAsn: number;
}

/** What a user should check for a session stuck in `state`. */
export function hintFor(state: string, neighbor: ExpectedNeighbor, localAsn: number): string {
    const s = state.toLowerCase();
    if (s === "missing") return "the ADC does not list this neighbor; check the running config (`show running-config` in vtysh)";
    if (s.startsWith("idle (admin)")) return "the session is shut down on the ADC (`neighbor ... shutdown`); remove the shutdown";
    if (s === "idle") return `the ADC is not trying to connect: check that the BGP feature is on and that both ends agree on AS numbers (ADC ${localAsn}, node ${neighbor.remoteAsn})`;
    if (s === "active" || s === "connect") {
        return `no TCP session on port 179: check that the node ${neighbor.address} is reachable from the ADC's SNIP (with -dynamicRouting ENABLED), that Calico has a BGPPeer for the ADC, and that no firewall drops port 179`;
    }
    if (s === "opensent" || s === "openconfirm") {
        return `the BGP OPEN exchange fails: the node's AS must be ${neighbor.remoteAsn} and the BGPPeer's asNumber must be ${localAsn}; MD5 passwords must match on both ends`;
    }
    return "check both ends' BGP configuration";
}

export interface SessionReport {
    readonly established: readonly BgpSessionState[];
    readonly notEstablished: readonly { readonly neighbor: ExpectedNeighbor; readonly state: string; readonly hint: string }[];
}

/** Which expected neighbors are Established in `sessions`, and why the others are not. */
export function assess(expected: readonly ExpectedNeighbor[], sessions: readonly BgpSessionState[], localAsn: number): SessionReport {
    const byAddress = new Map(sessions.map((s) => [s.address, s]));
    const established: BgpSessionState[] = [];
    const notEstablished: { neighbor: ExpectedNeighbor; state: string; hint: string }[] = [];
    for (const n of expected) {
        const s = byAddress.get(n.address);
        if (s?.state === "Established") {
            established.push(s);
            continue;
        }
        const state = s?.state ?? "missing";
        notEstablished.push({ neighbor: n, state, hint: hintFor(state, n, localAsn) });
    }
    return { established, notEstablished };
}

export interface WaitOptions {
    readonly host: string;
    readonly localAsn: number;
    readonly expected: readonly ExpectedNeighbor[];
    readonly timeoutMs: number;
    readonly readSessions: () => Promise<readonly BgpSessionState[]>;
    /** How often to read. Default 1000 ms. */
    readonly intervalMs?: number;
}

/** Thrown when sessions are not Established in time; lists each one with its state and a hint. */
export class SessionsNotEstablishedError extends AdcError {
    readonly report: SessionReport;
    constructor(host: string, timeoutMs: number, report: SessionReport) {
        const lines = report.notEstablished.map((n) => `  - ${n.neighbor.address} (AS ${n.neighbor.remoteAsn}): ${n.state}: ${n.hint}`);
        super(
            host,
            `${report.notEstablished.length} of ${report.notEstablished.length + report.established.length} BGP session(s) not Established after ${Math.round(timeoutMs / 1000)}s:\n${lines.join("\n")}`,
            "fix the cause above and run `pulumi up` again; the configuration itself was applied",
        );
        this.report = report;
    }
}

/** Polls until every expected neighbor is Established; returns the last sessions read. */
export async function waitForEstablished(options: WaitOptions): Promise<BgpSessionState[]> {
    const deadline = Date.now() + options.timeoutMs;
    const interval = options.intervalMs ?? 1000;
    for (;;) {
        const sessions = [...(await options.readSessions())];
        const report = assess(options.expected, sessions, options.localAsn);
        if (report.notEstablished.length === 0) return sessions;
        if (Date.now() + interval > deadline) throw new SessionsNotEstablishedError(options.host, options.timeoutMs, report);
        await new Promise((resolve) => setTimeout(resolve, interval));
    }
}
