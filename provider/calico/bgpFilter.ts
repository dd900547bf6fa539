/**
 * The Calico BGPFilter (Calico 3.26+) that limits what the nodes import from the ADC: the listed
 * CIDRs (and anything inside them), nothing else. Export is left alone, so the nodes advertise
 * exactly what they did before.
 */

/** One BGPFilter rule, as Calico's CRD defines it (the fields used here). */
export interface BgpFilterRule {
    action: "Accept" | "Reject";
    matchOperator?: "Equal" | "NotEqual" | "In" | "NotIn";
    cidr?: string;
}

/** BGPFilter `spec` with import rules only. */
export interface BgpFilterImportSpec {
    importV4: BgpFilterRule[];
    importV6: BgpFilterRule[];
}

/**
 * Accept routes inside each of `accept` (canonical CIDRs), then reject everything else, per
 * address family. A rule without `cidr` matches every route, so the last rule is the default.
 */
export function adcImportFilterSpec(accept: readonly { cidr: string; family: "ipv4" | "ipv6" }[]): BgpFilterImportSpec {
    const rules = (family: "ipv4" | "ipv6"): BgpFilterRule[] => [
        ...accept.filter((a) => a.family === family).map((a): BgpFilterRule => ({ action: "Accept", matchOperator: "In", cidr: a.cidr })),
        { action: "Reject" },
    ];
    return { importV4: rules("ipv4"), importV6: rules("ipv6") };
}
