/**
 * Kubernetes/Calico object names. Calico's `validateObjectMeta` (libcalico-go validator) applies
 * the DNS-1123 subdomain rule, whatever its docs say about `_` and upper case.
 */

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** The longest name Calico and Kubernetes accept. */
export const MAX_NAME_LENGTH = 253;

/** Why `name` is not a valid Calico/Kubernetes object name, or undefined if it is one. */
export function nameProblem(name: string): string | undefined {
    if (name.length === 0) return "is empty";
    if (name.length > MAX_NAME_LENGTH) return `is ${name.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`;
    if (!DNS1123_SUBDOMAIN.test(name)) {
        return "must consist of lower-case letters, digits, '-' and '.', and start and end with a letter or digit (DNS-1123 subdomain)";
    }
    return undefined;
}

/** Whether `name` is a valid Calico/Kubernetes object name. */
export function isValidName(name: string): boolean {
    return nameProblem(name) === undefined;
}

/**
 * The closest valid name to `name`: lower-cased, other characters replaced by `-`, trimmed to
 * start and end with a letter or digit. Used to suggest a fix, never applied silently.
 */
export function suggestName(name: string): string {
    const s = name
        .toLowerCase()
        .replace(/[^a-z0-9.-]+/g, "-")
        .replace(/\.{2,}/g, ".")
        .replace(/(^[-.]+)|([-.]+$)/g, "")
        .replace(/-+\./g, ".")
        .replace(/\.-+/g, ".")
        .slice(0, MAX_NAME_LENGTH)
        .replace(/[-.]+$/, "");
    return s.length > 0 ? s : "bgppeer";
}

/** Why `key` is not a valid Secret data key, or undefined if it is one. */
export function secretKeyProblem(key: string): string | undefined {
    if (key.length === 0) return "is empty";
    if (key.length > MAX_NAME_LENGTH) return `is ${key.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`;
    if (!SECRET_KEY.test(key)) return "may contain only letters, digits, '-', '_' and '.'";
    return undefined;
}

/** Suffix of the dual-stack peering's IPv6 BGPPeer name, after the IPv4 BGPPeer's name or auto-name prefix. */
export const IPV6_PEER_SUFFIX = "-ipv6";

/**
 * The name of the IPv6 BGPPeer of a dual-stack peering whose IPv4 BGPPeer is `ipv4Name`: its own
 * object (Calico keys BGPPeers by name), recognisably the same peering's.
 */
export function ipv6PeerName(ipv4Name: string): string {
    return `${ipv4Name}${IPV6_PEER_SUFFIX}`;
}
