/**
 * Calico IPPools as the prefixes a node may legitimately advertise: each pool's CIDR with the
 * block size its IPAM blocks are cut to. Pure: the objects as read from the API in, typed pools
 * or the reason a pool cannot be used out.
 */
import * as ipaddr from "ipaddr.js";

/** Calico's block sizes when a pool does not set `blockSize` (what the Calico API server defaults). */
export const DEFAULT_BLOCK_SIZE = { ipv4: 26, ipv6: 122 } as const;

/** A pool whose blocks nodes advertise over BGP. */
export interface PodPool {
    /** The IPPool's name. */
    name: string;
    /** The pool's CIDR in canonical form (`192.168.0.0/16`). */
    cidr: string;
    family: "ipv4" | "ipv6";
    /** The prefix length of the pool's IPAM blocks: what each node advertises for its blocks. */
    blockSize: number;
}

/** What {@link readIpPool} makes of one IPPool object. */
export type IpPoolReading =
    | { kind: "pool"; pool: PodPool }
    /** Calico exports nothing from it over BGP (disabled, `disableBGPExport`, load-balancer only). */
    | { kind: "skipped"; name: string; reason: string }
    | { kind: "invalid"; name: string; problem: string };

interface IpPoolObject {
    metadata?: { name?: unknown };
    spec?: { cidr?: unknown; blockSize?: unknown; disabled?: unknown; disableBGPExport?: unknown; allowedUses?: unknown };
}

/**
 * Canonical `network/len` of a CIDR, or undefined when `text` is not one. Only dotted-quad IPv4
 * (ipaddr.js alone would read `010.0.0.0` as octal and `10.0.0` as a short form).
 */
export function canonicalCidr(text: string): { cidr: string; family: "ipv4" | "ipv6"; length: number } | undefined {
    const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
    if (!m) return undefined;
    const [, address, lengthText] = m as unknown as [string, string, string];
    const length = Number(lengthText);
    if (ipaddr.IPv4.isValidFourPartDecimal(address)) {
        if (length > 32) return undefined;
        return { cidr: `${ipaddr.IPv4.networkAddressFromCIDR(`${address}/${length}`).toString()}/${length}`, family: "ipv4", length };
    }
    if (!address.includes("%") && ipaddr.IPv6.isValid(address) && length <= 128) {
        return { cidr: `${ipaddr.IPv6.networkAddressFromCIDR(`${address}/${length}`).toString()}/${length}`, family: "ipv6", length };
    }
    return undefined;
}

/** Reads one IPPool (either API group: the spec is the same). */
export function readIpPool(obj: unknown): IpPoolReading {
    const o = (obj ?? {}) as IpPoolObject;
    const name = typeof o.metadata?.name === "string" ? o.metadata.name : "(unnamed)";
    const spec = o.spec ?? {};
    if (typeof spec.cidr !== "string") return { kind: "invalid", name, problem: "has no spec.cidr" };
    const c = canonicalCidr(spec.cidr);
    if (!c) return { kind: "invalid", name, problem: `has spec.cidr ${JSON.stringify(spec.cidr)}, which is not a CIDR` };
    if (spec.disabled === true) return { kind: "skipped", name, reason: "disabled" };
    if (spec.disableBGPExport === true) return { kind: "skipped", name, reason: "disableBGPExport" };
    const uses = Array.isArray(spec.allowedUses) ? spec.allowedUses : undefined;
    if (uses && !uses.includes("Workload") && !uses.includes("Tunnel")) {
        // LoadBalancer pools hold Service IPs, advertised only through the service settings.
        return { kind: "skipped", name, reason: `allowedUses ${JSON.stringify(uses)} (no pod blocks)` };
    }
    const hostLength = c.family === "ipv4" ? 32 : 128;
    const blockSize = spec.blockSize === undefined || spec.blockSize === null || spec.blockSize === 0 ? DEFAULT_BLOCK_SIZE[c.family] : spec.blockSize;
    if (typeof blockSize !== "number" || !Number.isInteger(blockSize) || blockSize < c.length || blockSize > hostLength) {
        return { kind: "invalid", name, problem: `has blockSize ${JSON.stringify(spec.blockSize)}, which is not a prefix length between the pool's /${c.length} and /${hostLength}` };
    }
    return { kind: "pool", pool: { name, cidr: c.cidr, family: c.family, blockSize } };
}

/**
 * How many blocks the pools hold: the most block routes the cluster can advertise, the basis
 * of the ADC's default `maximum-prefix`. Capped at 2^32-1 (ZebOS' largest limit).
 */
export function blockCount(pools: readonly PodPool[]): number {
    let total = 0;
    for (const p of pools) {
        const len = Number(p.cidr.split("/")[1]);
        total += 2 ** Math.min(p.blockSize - len, 32);
    }
    return Math.min(total, 4294967295);
}
