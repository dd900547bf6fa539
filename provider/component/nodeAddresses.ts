/**
 * Which address and AS number an ADC neighbor needs for a Kubernetes node, from the node object
 * alone (pure). calico-node writes its BGP address into `projectcalico.org/IPv4Address` (CIDR
 * form) and a per-node AS into `projectcalico.org/ASNumber`; confd uses that address, mask
 * stripped, as the session's source address, so that is the address the ADC must list.
 */
import { ipFamily } from "../calico/validate";

/** The parts of a Kubernetes Node that matter here (the shape of `GET /api/v1/nodes` items). */
export interface KubeNode {
    metadata?: { name?: string; annotations?: Record<string, string> | null };
    status?: { addresses?: { type?: string; address?: string }[] | null };
}

/** Where a node's address came from. */
export type NodeAddressSource = "projectcalico.org/IPv4Address" | "projectcalico.org/IPv6Address" | "InternalIP";

/** A node as an ADC neighbor. */
export interface NodeBgpEndpoint {
    /** The Kubernetes node name. */
    name: string;
    /** The address the node's BGP session comes from. */
    address: string;
    /** The node's own AS number (`projectcalico.org/ASNumber`), when it overrides the cluster's. */
    asn?: number;
    /** Where the address came from. */
    addressSource: NodeAddressSource;
    /** The node's IPv6 endpoint, in a dual-stack peering. */
    ipv6?: { address: string; addressSource: NodeAddressSource };
}

/** Calico's annotation keys on Kubernetes nodes (KDD mode). */
export const CALICO_ANNOTATIONS = {
    ipv4: "projectcalico.org/IPv4Address",
    ipv6: "projectcalico.org/IPv6Address",
    asNumber: "projectcalico.org/ASNumber",
} as const;

/** Largest 4-byte AS number. */
export const MAX_ASN = 4294967295;

/**
 * Parses an AS number as Calico writes or accepts it: plain (`64512`) or asdot (`1.10` =
 * 65546). Undefined when it is neither or out of range 1..4294967295.
 */
export function parseAsNumber(text: string): number | undefined {
    const t = text.trim();
    let n: number;
    const dot = /^(\d+)\.(\d+)$/.exec(t);
    if (dot) {
        const hi = Number(dot[1]);
        const lo = Number(dot[2]);
        if (hi > 65535 || lo > 65535) return undefined;
        n = hi * 65536 + lo;
    } else if (/^\d+$/.test(t)) {
        n = Number(t);
    } else {
        return undefined;
    }
    return n >= 1 && n <= MAX_ASN ? n : undefined;
}

/** Strips the prefix length of Calico's CIDR-form address annotation; undefined if not an IP of that family. */
export function addressFromCidr(cidr: string, family: "ipv4" | "ipv6"): string | undefined {
    const addr = cidr.trim().split("/")[0]!;
    return ipFamily(addr) === family ? addr : undefined;
}

/**
 * The node's BGP endpoint for peers of `family`, or a problem string saying why there is none.
 * Address: Calico's annotation (mask stripped), else the node's InternalIP of that family.
 */
export function nodeBgpEndpoint(node: KubeNode, family: "ipv4" | "ipv6"): NodeBgpEndpoint | { name: string; problem: string } {
    const name = node.metadata?.name ?? "";
    const annotations = node.metadata?.annotations ?? {};
    const key = family === "ipv4" ? CALICO_ANNOTATIONS.ipv4 : CALICO_ANNOTATIONS.ipv6;
    let asn: number | undefined;
    const asText = annotations[CALICO_ANNOTATIONS.asNumber];
    if (asText !== undefined && asText !== "") {
        asn = parseAsNumber(asText);
        if (asn === undefined) return { name, problem: `has ${CALICO_ANNOTATIONS.asNumber} "${asText}", which is not an AS number (1..4294967295 or asdot X.Y)` };
    }
    const withAsn = (e: NodeBgpEndpoint): NodeBgpEndpoint => (asn === undefined ? e : { ...e, asn });

    const annotated = annotations[key];
    if (annotated !== undefined && annotated !== "") {
        const address = addressFromCidr(annotated, family);
        if (!address) return { name, problem: `has ${key} "${annotated}", which is not an ${family === "ipv4" ? "IPv4" : "IPv6"} address` };
        return withAsn({ name, address, addressSource: key });
    }
    const internal = (node.status?.addresses ?? []).find((a) => a.type === "InternalIP" && typeof a.address === "string" && ipFamily(a.address) === family);
    if (internal) return withAsn({ name, address: internal.address!, addressSource: "InternalIP" });
    return {
        name,
        problem: `has no ${key} annotation and no ${family === "ipv4" ? "IPv4" : "IPv6"} InternalIP`,
    };
}

/**
 * The node's endpoints for a dual-stack peering: its IPv4 endpoint with the IPv6 one in `ipv6`,
 * or the problems of both families (a node without an IPv6 address is refused, as one without an
 * IPv4 address is: its IPv6 neighbor would never come up, and skipping it would hide that).
 */
export function nodeDualStackEndpoint(node: KubeNode): NodeBgpEndpoint | { name: string; problem: string } {
    const v4 = nodeBgpEndpoint(node, "ipv4");
    const v6 = nodeBgpEndpoint(node, "ipv6");
    if ("problem" in v4 || "problem" in v6) {
        // The AS number problem is the same for both families: say it once.
        const problems = [...new Set([v4, v6].flatMap((e) => ("problem" in e ? [e.problem] : [])))];
        return { name: v4.name, problem: problems.join(", and ") };
    }
    return { ...v4, ipv6: { address: v6.address, addressSource: v6.addressSource } };
}

/** Whether the node carries any annotation calico-node writes. */
export function hasCalicoAnnotations(node: KubeNode): boolean {
    return Object.keys(node.metadata?.annotations ?? {}).some((k) => k.startsWith("projectcalico.org/"));
}
