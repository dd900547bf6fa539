/**
 * Parsers for the device's show commands other than the running config. Keyed on headers and
 * words rather than columns, since column widths are not documented for NetScaler.
 */
import type { BgpSessionState } from "../adc/args";
import { parseIpAddress } from "./values";

/**
 * `show ns feature` → acronym (upper case) → enabled. Rows look like
 * ` 27)    BGP Routing                    BGP                  ON`.
 */
export function parseFeatures(text: string): ReadonlyMap<string, boolean> {
    const features = new Map<string, boolean>();
    for (const line of text.split(/\r?\n/)) {
        const m = /^\s*\d+\)\s+.*?\s(\S+)\s+(ON|OFF)\s*$/i.exec(line);
        if (m) features.set(m[1]!.toUpperCase(), m[2]!.toUpperCase() === "ON");
    }
    return features;
}

/** The lines of an answer (the screen has made every line end `\n`; a `\r` before it is taken off too). */
function lines(text: string): string[] {
    return text.includes("\r") ? text.split(/\r?\n/) : text.split("\n");
}

/** The session states by their lower-case spelling, each in its proper case. */
const STATES: ReadonlyMap<string, string> = new Map([
    ["idle", "Idle"],
    ["active", "Active"],
    ["connect", "Connect"],
    ["opensent", "OpenSent"],
    ["openconfirm", "OpenConfirm"],
    ["established", "Established"],
]);

/**
 * `show ip bgp summary` (and `show bgp ipv6 summary`) → one entry per neighbor, a long address
 * wrapped onto a line of its own included. Columns are found from the header, since
 * builds differ (FRR adds `PfxSnt Desc` after `State/PfxRcd`). The State/PfxRcd column holds the
 * prefix count when the session is Established, otherwise the state name (`Idle (Admin)` spans
 * two words).
 */
export function parseBgpSummary(text: string): BgpSessionState[] {
    const sessions: BgpSessionState[] = [];
    let columns: { as: number; upDown: number; state: number } | null = null;
    // Quagga (bgp_show_summary) and the vtysh shells like it print an address of 16 characters or
    // more, common for IPv6, on a line of its own and the row's other columns on the next.
    let wrapped: string | undefined;
    for (const line of lines(text)) {
        const trimmed = line.trim();
        // Thousands of rows: each split only as far as the columns read (the state and the word after it).
        const last: number = columns && columns.state >= 0 && columns.upDown >= 0 && !trimmed.startsWith("Neighbor") ? Math.max(columns.as, columns.upDown, columns.state + 1) : -1;
        let words: string[] = last >= 0 ? trimmed.split(/\s+/, last + 1) : trimmed.split(/\s+/);
        if (columns && words.length === 1 && parseIpAddress(words[0]).ok) {
            wrapped = words[0];
            continue;
        }
        if (wrapped !== undefined && !parseIpAddress(words[0]).ok) words = [wrapped, ...words];
        wrapped = undefined;
        if (words[0] === "Neighbor" && words.includes("AS")) {
            const state = words.findIndex((w) => /^State/i.test(w));
            columns = { as: words.indexOf("AS"), upDown: words.findIndex((w) => /^Up\/Down$/i.test(w)), state };
            continue;
        }
        if (!columns || columns.state < 0 || columns.upDown < 0 || words.length <= columns.state) continue;
        const address = parseIpAddress(words[0]);
        const asn = Number(words[columns.as]);
        if (!address.ok || !Number.isInteger(asn)) continue;
        const first = words[columns.state]!;
        const established = /^\d+$/.test(first);
        const state = first === "Idle" && words[columns.state + 1] === "(Admin)" ? "Idle (Admin)" : first;
        sessions.push({
            address: address.value,
            remoteAsn: asn,
            state: established ? "Established" : normaliseState(state),
            prefixesReceived: established ? Number(first) : null,
            upDown: words[columns.upDown]!,
        });
    }
    return sessions;
}

function normaliseState(raw: string): string {
    const blank = raw.search(/\s/);
    const word = blank < 0 ? raw : raw.slice(0, blank);
    const proper = STATES.get(word.toLowerCase());
    if (proper === undefined) return raw;
    // Thousands of rows say `Active` already: nothing to rewrite.
    return word === proper ? raw : raw.replace(/^\S+/, proper);
}
