/**
 * The resources' inputs as stored in Pulumi state, in one canonical form, and the pure diff over
 * it. `check` returns this form, outputs repeat it (with what was read from the device), and
 * `read` rewrites it with what the device really holds, so a plain key-by-key comparison is
 * the diff for `preview`, `up` and `refresh` alike.
 *
 * Secrets travel in their own keys (`credentials`, `neighborPasswords`) so the resource classes
 * can mark exactly those secret while the rest stays readable in `pulumi preview`.
 */
import { isDeepStrictEqual } from "util";
import type { AdcConnection, AdcNodeAddress } from "../device/types";
import type { Neighbor } from "../core/model";
import type { NeighborsSpec, RouterSpec } from "./inputs";
import { UNKNOWN } from "./inputs";

/**
 * Bumped when the stored shape changes; every version ever written must stay readable. 2:
 * `savePending`, and `passwordForms` entries carry a digest of the password they stand for.
 */
export const SCHEMA_VERSION = 2;

/** Where one node is reached and the key it presents. */
export interface PublicNode {
    host: string;
    port: number;
    hostKeyFingerprint: string | null;
}

/**
 * The connection without its secrets: one node (`host`, `port`, `hostKeyFingerprint`) or an HA
 * pair (`nodes`, and no top-level address), as the inputs give it.
 */
export interface PublicConnection {
    host?: string;
    port?: number;
    hostKeyFingerprint?: string | null;
    nodes?: [PublicNode, PublicNode];
    failOnSecondaryDifference?: boolean;
    username: string;
    insecureIgnoreHostKey: boolean;
    connectTimeoutMs: number;
    commandTimeoutMs: number;
    connectRetries: number;
}

export interface Credentials {
    password: string | null;
    privateKey: string | null;
    privateKeyPassphrase: string | null;
}

export interface StoredNeighbor {
    address: string;
    remoteAsn: number;
    description: string | null;
    updateSource: string | null;
    ebgpMultihop: number | null;
    /**
     * Only in what `read` saw: an IPv6 neighbor whose `neighbor X activate` is missing from
     * `address-family ipv6` (it carries no IPv6 route). Drift, which the next `up` repairs.
     */
    notActivated?: true;
}

export interface RouterInputsState {
    connection: PublicConnection;
    credentials: Credentials;
    localAsn: number;
    routerId: string | null;
    maxPaths: { ebgp: number | null; ibgp: number | null };
    routeInstall: boolean;
    /**
     * True when asked for, null when not (states written before the setting existed have no key,
     * which reads the same); false only as read from a device that lost the line (drift).
     */
    routeInstallIpv6: boolean | null;
    redistributeKernel: boolean;
    /** Stored only when asked for, so that state written before the setting existed shows no change. */
    gracefulRestart?: boolean;
    saveConfig: boolean;
    adoptExisting: boolean;
}

/** The inbound filter as stored: entries in order, without their sequence numbers (5, 10, ... by position). */
export interface StoredPrefixFilter {
    name: string;
    entries: { prefix: string; ge: number | null; le: number | null }[];
}

export interface NeighborsInputsState {
    connection: PublicConnection;
    credentials: Credentials;
    localAsn: number;
    /** Sorted by address, without passwords. */
    neighbors: StoredNeighbor[];
    /** address → password, only for neighbors that have one. */
    neighborPasswords: Record<string, string>;
    saveConfig: boolean;
    adoptExisting: boolean;
    waitForEstablishedSeconds: number;
    prefixFilter: StoredPrefixFilter | null;
    maximumPrefix: { limit: number; warningOnly: boolean } | null;
}

export function publicConnection(c: AdcConnection): PublicConnection {
    // A single node keeps exactly the shape stored before pairs existed, so that its diff stays empty.
    const where: Pick<PublicConnection, "host" | "port" | "hostKeyFingerprint" | "nodes" | "failOnSecondaryDifference"> =
        c.pair === undefined
            ? { host: c.host, port: c.port, hostKeyFingerprint: c.hostKeyFingerprint ?? null }
            : {
                  nodes: [publicNode(c.pair[0]), publicNode(c.pair[1])],
                  failOnSecondaryDifference: c.failOnSecondaryDifference === true,
              };
    return {
        ...where,
        username: c.username,
        insecureIgnoreHostKey: c.insecureIgnoreHostKey,
        connectTimeoutMs: c.connectTimeoutMs,
        commandTimeoutMs: c.commandTimeoutMs,
        connectRetries: c.connectRetries,
    };
}

function publicNode(n: AdcNodeAddress): PublicNode {
    return { host: n.host, port: n.port, hostKeyFingerprint: n.hostKeyFingerprint ?? null };
}

export function credentials(c: AdcConnection): Credentials {
    return { password: c.password ?? null, privateKey: c.privateKey ?? null, privateKeyPassphrase: c.privateKeyPassphrase ?? null };
}

export function routerInputsState(spec: RouterSpec): RouterInputsState {
    const i = spec.intent;
    return {
        connection: publicConnection(spec.connection),
        credentials: credentials(spec.connection),
        localAsn: i.asn,
        routerId: i.routerId,
        maxPaths: { ebgp: i.maxPaths.ebgp, ibgp: i.maxPaths.ibgp },
        routeInstall: i.routeInstall,
        routeInstallIpv6: i.routeInstallIpv6 ? true : null,
        redistributeKernel: i.redistributeKernel,
        ...(i.gracefulRestart === true ? { gracefulRestart: true } : {}),
        saveConfig: spec.saveConfig,
        adoptExisting: spec.adoptExisting,
    };
}

export function storedNeighbor(n: Neighbor): StoredNeighbor {
    return { address: n.address, remoteAsn: n.remoteAsn, description: n.description, updateSource: n.updateSource, ebgpMultihop: n.ebgpMultihop };
}

export function neighborsInputsState(spec: NeighborsSpec): NeighborsInputsState {
    const sorted = [...spec.neighbors].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    return {
        connection: publicConnection(spec.connection),
        credentials: credentials(spec.connection),
        localAsn: spec.asn,
        neighbors: sorted.map(storedNeighbor),
        neighborPasswords: Object.fromEntries(sorted.filter((n) => n.password !== null).map((n) => [n.address, n.password!])),
        saveConfig: spec.saveConfig,
        adoptExisting: spec.adoptExisting,
        waitForEstablishedSeconds: spec.waitForEstablishedSeconds,
        prefixFilter: spec.prefixFilter && { name: spec.prefixFilter.name, entries: spec.prefixFilter.entries.map((e) => ({ prefix: e.prefix, ge: e.ge, le: e.le })) },
        maximumPrefix: spec.maximumPrefix && { ...spec.maximumPrefix },
    };
}

export { ROUTER_INPUTS as ROUTER_INPUT_KEYS, NEIGHBORS_INPUTS as NEIGHBORS_INPUT_KEYS } from "./inputs";

/**
 * Keys the device reports as missing (a removed router, a disabled feature, an HA secondary
 * that does not show the owned lines), and a save recorded as pending, compare against this: any other value is a change, which `up` repairs.
 */
const OBSERVED_DEFAULTS: Record<string, unknown> = { routerPresent: true, bgpFeatureEnabled: true, savePending: false, filterDrift: [], secondaryInSync: true };

function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
    return false;
}

export interface DiffOutcome {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace: boolean;
}

/**
 * Compares stored state (`olds`) with new inputs (`news`) on the given keys, plus the observed
 * keys that only `read` writes. Another AS number replaces the resource, deleting first (the
 * device runs one BGP instance and one neighbor per address). A connection change replaces it
 * only when it may lead to another device: see {@link anotherDevice}.
 */
export function diffState(olds: Record<string, unknown>, news: Record<string, unknown>, keys: readonly string[]): DiffOutcome {
    const changed = new Set<string>();
    for (const key of keys) {
        if (containsUnknown(news[key]) || !isDeepStrictEqual(olds[key] ?? null, news[key] ?? null)) changed.add(key);
    }
    for (const [key, expected] of Object.entries(OBSERVED_DEFAULTS)) {
        if (key in olds && !isDeepStrictEqual(olds[key], news[key] ?? expected)) changed.add(key);
    }
    const replaces: string[] = [];
    if (changed.has("localAsn")) replaces.push("localAsn");
    if (changed.has("connection") && anotherDevice((olds.connection ?? {}) as Record<string, unknown>, (news.connection ?? {}) as Record<string, unknown>)) {
        replaces.push("connection");
    }
    return { changes: changed.size > 0, replaces, deleteBeforeReplace: true };
}

/**
 * Whether new connection settings may reach another device than the one the state describes.
 * The device is its host keys: one node's key, or both keys of an HA pair (either node may
 * answer, and a shared address presents whichever is primary). Settings that share a pinned key
 * with the stored ones reach the same ADC (a DNS name for the IP, a NAT port, a single node
 * given as its pair, a failover), updated in place without a configuration line; the connection
 * itself proves it, since the client refuses any key not pinned. Settings with no pinned key in
 * common are another device (the preview shows the fingerprints changing). Without fingerprints
 * on both sides (`insecureIgnoreHostKey`) nothing proves the device, so any other address or
 * port is taken as another device.
 */
export function anotherDevice(o: Record<string, unknown>, n: Record<string, unknown>): boolean {
    if (containsUnknown(n.host) || containsUnknown(n.port) || containsUnknown(n.nodes) || containsUnknown(n.hostKeyFingerprint)) return true;
    const before = identity(o);
    const after = identity(n);
    if (before.keys.length > 0 && after.keys.length > 0) return !before.keys.some((k) => after.keys.includes(k));
    return before.addresses.join(" ") !== after.addresses.join(" ");
}

/** The pinned keys and the addresses of stored connection settings (either shape). */
function identity(c: Record<string, unknown>): { keys: string[]; addresses: string[] } {
    const nodes: Record<string, unknown>[] = Array.isArray(c.nodes) ? (c.nodes as Record<string, unknown>[]) : [c];
    const keys = nodes.map((x) => x.hostKeyFingerprint).filter((k): k is string => typeof k === "string");
    const addresses = nodes.map((x) => `${String(x.host)}:${String(x.port)}`);
    return { keys, addresses };
}
