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

const STATES = new Set(["idle", "active", "connect", "opensent", "openconfirm", "established"]);

/**
 * `show ip bgp summary` → one entry per neighbor. The last column is the prefix count when the
 * session is Established, otherwise the state name (`Idle (Admin)` spans two words).
 */
export function parseBgpSummary(text: string): BgpSessionState[] {
    const sessions: BgpSessionState[] = [];
    let inTable = false;
    for (const line of text.split(/\r?\n/)) {
        const words = line.trim().split(/\s+/);
        if (words[0] === "Neighbor" && words.includes("AS")) {
            inTable = true;
            continue;
        }
        if (!inTable || words.length < 10) continue;
        const address = parseIpAddress(words[0]);
        const asn = Number(words[2]);
        if (!address.ok || !Number.isInteger(asn)) continue;
        const upDown = words[8]!;
        const last = words.slice(9).join(" ");
        const established = /^\d+$/.test(last);
        sessions.push({
            address: address.value,
            remoteAsn: asn,
            state: established ? "Established" : normaliseState(last),
            prefixesReceived: established ? Number(last) : null,
            upDown,
        });
    }
    return sessions;
}

function normaliseState(raw: string): string {
    const word = raw.split(/\s+/)[0]!.toLowerCase();
    if (!STATES.has(word)) return raw;
    const proper = { idle: "Idle", active: "Active", connect: "Connect", opensent: "OpenSent", openconfirm: "OpenConfirm", established: "Established" }[word]!;
    return raw.replace(/^\S+/, proper);
}
