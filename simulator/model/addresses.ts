import { isIPv4, isIPv6 } from "node:net";
import ipaddr from "ipaddr.js";

/** An IPv4 or IPv6 address in the form the device prints it (IPv6 compressed, lower case). */
export function canonicalAddress(text: string): string | undefined {
    if (isIPv4(text)) return text;
    if (isIPv6(text)) return ipaddr.IPv6.parse(text).toRFC5952String();
    return undefined;
}

/**
 * A string whose order is the device's order of addresses: IPv4 before IPv6, then
 * numerically (as Quagga/ZebOS list their neighbors).
 */
function addressSortKey(address: string): string {
    const bytes = ipaddr.parse(address).toByteArray();
    return `${bytes.length === 4 ? "4" : "6"}${bytes.map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * The items in the device's order of their addresses ({@link addressSortKey}). Each address is parsed
 * once, not once per comparison: the device keeps its peer list sorted, so what a show costs
 * must not depend on the order the neighbors were configured in.
 */
export function sortedByAddress<T>(items: Iterable<T>, addressOf: (item: T) => string): T[] {
    const keyed = [...items].map((item) => ({ item, key: addressSortKey(addressOf(item)) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return keyed.map((k) => k.item);
}

/** An IPv4 interface address with its prefix, e.g. `10.102.33.208/24`. */
export interface Ipv4Cidr {
    readonly address: string;
    readonly prefixLength: number;
}

export function parseIpv4Cidr(text: string): Ipv4Cidr {
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(text);
    if (!m || !isIPv4(m[1]!) || Number(m[2]) > 32) {
        throw new Error(`"${text}" is not an IPv4 address with prefix length, e.g. 10.102.33.208/24`);
    }
    return { address: m[1]!, prefixLength: Number(m[2]) };
}

export function networkOf(cidr: Ipv4Cidr): string {
    return ipaddr.IPv4.networkAddressFromCIDR(`${cidr.address}/${cidr.prefixLength}`).toString();
}

export function netmaskOf(prefixLength: number): string {
    return ipaddr.IPv4.subnetMaskFromPrefixLength(prefixLength).toString();
}

/** The first host address of the interface's subnet: the simulated appliance's default gateway. */
export function firstHost(cidr: Ipv4Cidr): string {
    const bytes = ipaddr.IPv4.networkAddressFromCIDR(`${cidr.address}/${cidr.prefixLength}`).toByteArray();
    bytes[3] = bytes[3]! + 1;
    return bytes.join(".");
}

/** `prefix/len` → `[network, netmask]` for the nscli route table. */
export function splitPrefix(prefix: string): { network: string; netmask: string; length: number } {
    const [addr, len] = ipaddr.parseCIDR(prefix);
    return { network: addr.toString(), netmask: netmaskOf(len), length: len };
}
