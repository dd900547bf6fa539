/**
 * What the ADC should accept from the nodes: each pod pool's blocks (from the block size down to
 * single addresses, which Calico advertises for IPs borrowed from another node's block), the
 * advertised service CIDRs down to /32 (`externalTrafficPolicy: Local`), and any extra CIDRs the
 * user admits. Pure; the ADC resource turns these into its prefix list.
 */
import { PodPool, blockCount, canonicalCidr } from "../calico/ipPool";
import type { PrefixList } from "../core/prefixFilter";

/** One prefix range the ADC accepts: routes inside `cidr` with a length from `ge` (or the CIDR's own) to `le` (or the CIDR's own). */
export interface AdmittedPrefix {
    cidr: string;
    family: "ipv4" | "ipv6";
    ge?: number;
    le?: number;
    /** Where it comes from (`IPPool default-ipv4-ippool`, `serviceClusterIPs`, `prefixFilter.extraPrefixes`). */
    source: string;
}

/** A CIDR given by the user, parsed. */
export interface GivenCidr {
    cidr: string;
    family: "ipv4" | "ipv6";
    source: string;
}

const hostLength = (family: "ipv4" | "ipv6") => (family === "ipv4" ? 32 : 128);

/**
 * The ranges, in this order: pools, then services and extras. `ge`/`le` are left out where they
 * equal the CIDR's own length (ZebOS and older FRR refuse `le` equal to the length).
 */
export function admittedPrefixes(pools: readonly PodPool[], others: readonly GivenCidr[]): AdmittedPrefix[] {
    const out: AdmittedPrefix[] = [];
    for (const p of pools) {
        const len = Number(p.cidr.split("/")[1]);
        const host = hostLength(p.family);
        out.push({
            cidr: p.cidr,
            family: p.family,
            ...(p.blockSize > len ? { ge: p.blockSize } : {}),
            ...(host > len ? { le: host } : {}),
            source: `IPPool ${p.name}`,
        });
    }
    for (const o of others) {
        const len = Number(o.cidr.split("/")[1]);
        const host = hostLength(o.family);
        out.push({ cidr: o.cidr, family: o.family, ...(host > len ? { le: host } : {}), source: o.source });
    }
    return out;
}

/** /32s allowed per service CIDR in the default `maximum-prefix` (Local Services, one route each). */
export const LOCAL_SERVICE_ROUTES_PER_CIDR = 1024;

/**
 * The default `maximum-prefix`: every block the pools hold (with the mesh and Calico's default
 * next hop, one node re-advertises every other node's blocks), plus, per service CIDR, its own
 * route and up to {@link LOCAL_SERVICE_ROUTES_PER_CIDR} /32s of Local Services.
 */
export function defaultMaximumPrefix(pools: readonly PodPool[], services: readonly GivenCidr[]): number {
    let n = blockCount(pools);
    for (const s of services) {
        const len = Number(s.cidr.split("/")[1]);
        n += 1 + Math.min(2 ** Math.min(hostLength(s.family) - len, 32), LOCAL_SERVICE_ROUTES_PER_CIDR);
    }
    return Math.min(n, 4294967295);
}

/**
 * Parses a list of CIDRs given by the user. Each must be canonical: `10.96.0.1/12` is refused
 * with the network it probably means rather than silently widened.
 */
export function parseCidrList(field: string, value: unknown, fail: (field: string, value: unknown, reason: string) => void): GivenCidr[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
        fail(field, value, 'must be a list of CIDRs, e.g. ["10.96.0.0/12"]');
        return [];
    }
    const out: GivenCidr[] = [];
    value.forEach((v, i) => {
        const c = typeof v === "string" ? canonicalCidr(v) : undefined;
        if (!c) fail(`${field}[${i}]`, v, "must be a CIDR such as 10.96.0.0/12");
        else if (c.cidr !== v) fail(`${field}[${i}]`, v, `has host bits set or is not in canonical form; did you mean ${c.cidr}?`);
        else out.push({ cidr: c.cidr, family: c.family, source: field });
    });
    return out;
}

/**
 * The ADC prefix list for `admitted`: one permit entry per range, numbered 5, 10, ... in order
 * (anything not permitted is denied by the list's implicit end).
 */
export function adcPrefixList(name: string, admitted: readonly AdmittedPrefix[]): PrefixList {
    return { name, entries: admitted.map((a, i) => ({ seq: 5 * (i + 1), action: "permit", prefix: a.cidr, ge: a.ge ?? null, le: a.le ?? null })) };
}
