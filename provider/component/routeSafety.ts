/**
 * The route-safety part of the plan: next hop, the Calico BGPFilter towards the ADC, Calico's
 * service advertisement, and the ADC's inbound prefix filter and `maximum-prefix`. Pure: resolved
 * inputs in, the settings (or problems added through `fail`) out.
 */
import { BgpFilterImportSpec, adcImportFilterSpec } from "../calico/bgpFilter";
import { PodPool, canonicalCidr } from "../calico/ipPool";
import { NextHopPolicy, nextHopFields } from "../calico/nextHop";
import { BEFORE_FIRST_APPLY, ServiceAdvertisementSpec, serviceFieldConflicts } from "../calico/serviceAdvertisement";
import { BGP_PEER_FIELD_SINCE, CalicoRelease, compareCalicoReleases, formatCalicoRelease, parseCalicoRelease } from "../calico/spec";
import type { PrefixList } from "../core/prefixFilter";
import { AdmittedPrefix, GivenCidr, adcPrefixList, admittedPrefixes, defaultMaximumPrefix, parseCidrList } from "./prefixFilter";

type Fail = (field: string, value: unknown, reason: string) => void;

/** The route-safety inputs, resolved. */
export interface ResolvedRouteSafety {
    /** The Calico release and where it came from (`calicoVersion`, ClusterInformation `default`); value undefined when unknown. */
    calicoRelease: { value?: string; source: string };
    nextHop?: unknown;
    /** The pools as listed (`cluster.ipPools`, unchecked) or discovered (parsed), with where they came from. */
    ipPools?: { listed: unknown[]; source: "cluster.ipPools" } | { discovered: PodPool[]; source: string };
    prefixFilter?: unknown;
    maximumPrefix?: unknown;
    advertiseServices?: { clusterIPs?: unknown; externalIPs?: unknown; loadBalancerIPs?: unknown };
    /** BGPConfiguration `default` as read (null when absent), when services are advertised. */
    bgpConfiguration?: unknown;
    /** The field manager the component applies BGPConfiguration `default` with. */
    fieldManager: string;
    /** The name of the ADC prefix list, which says whose it is (`pca-<stack>-<component>-in`). */
    prefixListName?: string;
    acceptFromAdc?: unknown;
    /** Whether the cluster serves BGPFilters, when discovery checked. */
    servesBgpFilters?: boolean;
    /** The BGPPeer fields the user set (`nextHopMode`, `keepOriginalNextHop`, `filters`). */
    peerOptions: Record<string, unknown>;
}

/** What the route-safety settings add to the plan. */
export interface RouteSafetyPlan {
    calicoRelease: { value?: string; source: string };
    /** The BGPPeer fields for the next hop, and why. */
    nextHop: { fields: Record<string, unknown>; reason: string };
    /** The BGPFilter the component creates and appends to the BGPPeer's `filters`, unless opted out. */
    bgpFilter?: { spec: BgpFilterImportSpec; accept: string[] };
    /** BGPConfiguration `default` fields the component applies, when services are advertised. */
    serviceAdvertisement?: { spec: ServiceAdvertisementSpec; fieldManager: string };
    /** The pools the filter and the default limit are computed from. */
    ipPools: PodPool[];
    /** The ADC's inbound filter on every node neighbor, and the prefix list it becomes; absent when opted out. */
    adcPrefixFilter?: { prefixes: AdmittedPrefix[]; prefixList: PrefixList };
    /** `maximum-prefix` on every node neighbor; absent when opted out. */
    maximumPrefix?: { limit: number; warningOnly: boolean; source: "adc.maximumPrefix" | "default (pool blocks + service routes)" };
}

const SERVICE_FIELDS = { clusterIPs: "serviceClusterIPs", externalIPs: "serviceExternalIPs", loadBalancerIPs: "serviceLoadBalancerIPs" } as const;

/** Plans the route-safety settings. Problems go to `fail`; the result is only used when there are none. */
export function planRouteSafety(r: ResolvedRouteSafety, family: "ipv4" | "ipv6" | "dual" | undefined, fail: Fail): RouteSafetyPlan {
    const release = releaseOf(r.calicoRelease.value);

    // Next hop: the user's own BGPPeer fields win.
    let nextHop: RouteSafetyPlan["nextHop"];
    const policy = r.nextHop ?? "keep";
    if (policy !== "keep" && policy !== "runbook") {
        fail("nextHop", policy, 'must be "keep" (each block via its own node) or "runbook" (Calico\'s default next hop)');
        nextHop = { fields: {}, reason: "" };
    } else if (r.peerOptions.nextHopMode !== undefined || r.peerOptions.keepOriginalNextHop !== undefined) {
        nextHop = { fields: {}, reason: "bgpPeerOptions" };
    } else {
        nextHop = nextHopFields(policy as NextHopPolicy, release);
    }

    // Pools.
    const pools: PodPool[] = [];
    if (r.ipPools && "listed" in r.ipPools) {
        if (!Array.isArray(r.ipPools.listed)) fail("cluster.ipPools", r.ipPools.listed, "must be a list of { cidr, blockSize }");
        else r.ipPools.listed.forEach((p, i) => {
            const pool = listedPool(p, i, fail);
            if (pool) pools.push(pool);
        });
    } else if (r.ipPools) {
        pools.push(...r.ipPools.discovered);
    }

    // Services.
    const services: GivenCidr[] = [];
    let serviceAdvertisement: RouteSafetyPlan["serviceAdvertisement"];
    if (r.advertiseServices !== undefined) {
        const spec: ServiceAdvertisementSpec = {};
        for (const [arg, field] of Object.entries(SERVICE_FIELDS) as [keyof typeof SERVICE_FIELDS, (typeof SERVICE_FIELDS)[keyof typeof SERVICE_FIELDS]][]) {
            const given = r.advertiseServices[arg];
            if (given === undefined) continue;
            const list = parseCidrList(`advertiseServices.${arg}`, given, fail);
            services.push(...list.map((c) => ({ ...c, source: field })));
            spec[field] = list.map((c) => ({ cidr: c.cidr }));
        }
        if (Object.keys(spec).length === 0) fail("advertiseServices", r.advertiseServices, "lists no CIDRs; set clusterIPs, externalIPs or loadBalancerIPs, or leave advertiseServices unset");
        if (spec.serviceLoadBalancerIPs && release && compareCalicoReleases(release, [3, 18, 0]) < 0) {
            fail("advertiseServices.loadBalancerIPs", r.advertiseServices.loadBalancerIPs, `needs Calico 3.18 or later; the cluster runs ${formatCalicoRelease(release)} (${r.calicoRelease.source})`);
        }
        for (const c of serviceFieldConflicts(r.bgpConfiguration ?? null, spec, r.fieldManager)) {
            fail(
                `advertiseServices`,
                c.current,
                `BGPConfiguration "default" ${c.field} is owned by field manager "${c.manager}" (${c.operation}) with another value` +
                    (c.manager === BEFORE_FIRST_APPLY ? " (written while default had no managedFields, so no tool is recorded; server-side apply gives it this name)" : "") +
                    "; " +
                    `this component changes only fields no other tool holds. Make ${c.field} there equal to what you ask here, remove it from "${c.manager}" ` +
                    `(e.g. \`kubectl patch bgpconfiguration default --type=json -p '[{"op":"remove","path":"/spec/${c.field}"}]'\`), or leave it out of advertiseServices`,
            );
        }
        serviceAdvertisement = { spec, fieldManager: r.fieldManager };
    }

    // The BGPFilter towards the ADC: on unless opted out, so a cluster without BGPFilters must opt out.
    let bgpFilter: RouteSafetyPlan["bgpFilter"];
    const filtersServed = release ? compareCalicoReleases(release, BGP_PEER_FIELD_SINCE.filters) >= 0 : r.servesBgpFilters;
    if (r.acceptFromAdc === false) {
        // opted out
    } else if (filtersServed === false) {
        fail(
            "acceptFromAdc",
            r.acceptFromAdc,
            `limits what the nodes accept from the ADC with a Calico BGPFilter (Calico 3.26+), which ${release ? `Calico ${formatCalicoRelease(release)} (${r.calicoRelease.source})` : "this cluster"} does not have; set acceptFromAdc: false to peer without it`,
        );
    } else {
        const accept = parseCidrList("acceptFromAdc", r.acceptFromAdc ?? [], fail);
        bgpFilter = { spec: adcImportFilterSpec(accept), accept: accept.map((a) => a.cidr) };
    }

    // The ADC's inbound filter.
    let adcPrefixFilter: RouteSafetyPlan["adcPrefixFilter"];
    const pf = r.prefixFilter ?? true;
    if (pf === false) {
        // opted out
    } else if (pf === true || (typeof pf === "object" && pf !== null && !Array.isArray(pf))) {
        const extra = pf === true ? [] : parseCidrList("adc.prefixFilter.extraPrefixes", (pf as { extraPrefixes?: unknown }).extraPrefixes, fail);
        if (pools.length === 0 && r.ipPools !== undefined) fail("cluster.ipPools", [], `is empty (${r.ipPools.source}): the ADC's prefix filter needs the pod pools; list them, or set adc.prefixFilter: false`);
        const prefixes = admittedPrefixes(pools, [...services, ...extra]).filter((p) => family === undefined || family === "dual" || p.family === family);
        // IPv4 prefixes go to `ip prefix-list`, IPv6 ones to `ipv6 prefix-list` of the same name; a
        // family with neighbors but no prefix would leave them unfiltered.
        const missing = (family === "dual" ? (["ipv4", "ipv6"] as const) : []).filter((f) => pools.length > 0 && !prefixes.some((p) => p.family === f));
        if (missing.length > 0) {
            fail("adc.prefixFilter", pf, `admits no ${missing[0] === "ipv4" ? "IPv4" : "IPv6"} prefix (no ${missing[0] === "ipv4" ? "IPv4" : "IPv6"} IP pool or service CIDR), so the dual-stack peering's ${missing[0] === "ipv4" ? "IPv4" : "IPv6"} sessions would accept nothing; list the pool in cluster.ipPools or adc.prefixFilter.extraPrefixes, or set adc.prefixFilter: false`);
        } else if (prefixes.length === 0 && pools.length > 0) {
            fail("adc.prefixFilter", pf, `admits nothing of the ${family === undefined ? "" : `${family} `}pools and services, so every route would be refused; check cluster.ipPools and adc.peerAddress, or set adc.prefixFilter: false`);
        }
        adcPrefixFilter = { prefixes, prefixList: adcPrefixList(r.prefixListName ?? "pca-in", prefixes) };
    } else {
        fail("adc.prefixFilter", pf, "must be true, false or { extraPrefixes: [...] }");
    }

    // maximum-prefix.
    let maximumPrefix: RouteSafetyPlan["maximumPrefix"];
    const mp = r.maximumPrefix;
    if (mp === false) {
        // opted out
    } else if (mp === undefined) {
        if (pools.length > 0) maximumPrefix = { limit: defaultMaximumPrefix(pools, services), warningOnly: false, source: "default (pool blocks + service routes)" };
    } else {
        const limit = typeof mp === "number" ? mp : (mp as { limit?: unknown })?.limit;
        const warningOnly = typeof mp === "object" && mp !== null ? (mp as { warningOnly?: unknown }).warningOnly ?? false : false;
        if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 4294967295) fail("adc.maximumPrefix", mp, "must be false, a limit 1..4294967295, or { limit, warningOnly }");
        else if (typeof warningOnly !== "boolean") fail("adc.maximumPrefix.warningOnly", warningOnly, "must be true or false");
        else maximumPrefix = { limit, warningOnly, source: "adc.maximumPrefix" };
    }

    return {
        calicoRelease: r.calicoRelease,
        nextHop,
        ...(bgpFilter ? { bgpFilter } : {}),
        ...(serviceAdvertisement ? { serviceAdvertisement } : {}),
        ipPools: pools,
        ...(adcPrefixFilter ? { adcPrefixFilter } : {}),
        ...(maximumPrefix ? { maximumPrefix } : {}),
    };
}

function releaseOf(text: string | undefined): CalicoRelease | undefined {
    return text === undefined ? undefined : parseCalicoRelease(text);
}

function listedPool(p: unknown, i: number, fail: Fail): PodPool | undefined {
    const at = `cluster.ipPools[${i}]`;
    const given = (p ?? {}) as { cidr?: unknown; blockSize?: unknown };
    const c = typeof given.cidr === "string" ? canonicalCidr(given.cidr) : undefined;
    if (!c) {
        fail(`${at}.cidr`, given.cidr, "must be the pool's CIDR, e.g. 192.168.0.0/16");
        return undefined;
    }
    if (c.cidr !== given.cidr) {
        fail(`${at}.cidr`, given.cidr, `has host bits set or is not in canonical form; did you mean ${c.cidr}?`);
        return undefined;
    }
    const host = c.family === "ipv4" ? 32 : 128;
    const blockSize = given.blockSize ?? (c.family === "ipv4" ? 26 : 122);
    if (typeof blockSize !== "number" || !Number.isInteger(blockSize) || blockSize < c.length || blockSize > host) {
        fail(`${at}.blockSize`, given.blockSize, `must be a prefix length from the pool's /${c.length} to /${host} (Calico's default is ${c.family === "ipv4" ? 26 : 122})`);
        return undefined;
    }
    return { name: at, cidr: c.cidr, family: c.family, blockSize };
}
