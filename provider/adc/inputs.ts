/**
 * The resources' raw inputs (as the engine hands them to `check`) → typed specs, or failures
 * that name the field, the bad value (never a secret) and the fix. Everything downstream takes
 * the typed specs and never re-validates.
 *
 * Inputs reach the provider in two shapes: the public one (`connection.password`,
 * `neighbors[i].password`), used by advanced users who call the providers directly, and the
 * one the resource classes send, where credentials travel in separate secret inputs
 * (`credentials`, `neighborPasswords`) so that the rest stays readable in `pulumi preview`.
 */
import type { AdcConnection, AdcNodeAddress } from "../device/types";
import { parseHostKeyFingerprint, hostKeyFingerprintText } from "../device/hostKey";
import type { Neighbor } from "../core/model";
import type { MaximumPrefix, PrefixList, PrefixListEntry } from "../core/prefixFilter";
import { canonicalCidr } from "../calico/ipPool";
import { DESCRIPTION_LIMIT, MARK_LENGTH, USER_DESCRIPTION_LIMIT } from "../core/marks";
import type { RouterIntent } from "../core/plan";
import {
    parseAsn,
    parseCliText,
    parseCredential,
    parseHost,
    parseIntegerInRange,
    parsePeerAddress,
    parseRouterId,
    parseUpdateSource,
    show,
    unknownKeyReason,
    type Asn,
    type IpAddress,
    type Parsed,
} from "../core/values";

/** What the engine sends for a value that is not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Failure {
    readonly property: string;
    readonly reason: string;
}

export type Resolved<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failures: readonly Failure[]; readonly unknown: boolean };

/**
 * Where raw inputs come from: `inputs` (what `check`, `create` and `update` get) must hold
 * nothing but the resource's inputs; `state` (what `read` and `delete` get) also holds the
 * outputs, which are not read here.
 */
export type InputSource = "inputs" | "state";

/** Collects failures while reading a raw object; a field that is unknown is noted, not failed. */
class Reader {
    readonly failures: Failure[] = [];
    unknown = false;

    take<T>(property: string, raw: unknown, parse: (raw: unknown) => Parsed<T>): T | undefined {
        return this.field(property, null, raw, parse);
    }

    optional<T>(property: string, raw: unknown, parse: (raw: unknown) => Parsed<T>): T | null | undefined {
        return raw === undefined || raw === null ? null : this.field(property, null, raw, parse);
    }

    /**
     * {@link take} of `at.name`, whose path is written only for a failure: a list's thousands of
     * entries would each build a path per field for nothing.
     */
    field<T>(at: string, name: string | null, raw: unknown, parse: (raw: unknown) => Parsed<T>): T | undefined {
        if (raw === UNKNOWN) {
            this.unknown = true;
            return undefined;
        }
        const parsed = parse(raw);
        if (parsed.ok) return parsed.value;
        this.failures.push({ property: name === null ? at : `${at}.${name}`, reason: parsed.reason });
        return undefined;
    }

    /** {@link optional} of `at.name`, as {@link field}. */
    optionalField<T>(at: string, name: string, raw: unknown, parse: (raw: unknown) => Parsed<T>): T | null | undefined {
        return raw === undefined || raw === null ? null : this.field(at, name, raw, parse);
    }

    fail(property: string, reason: string): void {
        this.failures.push({ property, reason });
    }

    /**
     * `raw` as an object with only the `known` keys, or undefined (failed, or unknown during
     * preview). `shape` describes the expected value for the message; `of` names the object.
     */
    object(property: string, raw: unknown, known: readonly string[], shape: string, of = property): Record<string, unknown> | undefined {
        if (raw === UNKNOWN) {
            this.unknown = true;
            return undefined;
        }
        if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
            this.fail(property, `${show(raw)} is ${Array.isArray(raw) ? "a list" : kindOf(raw)}, not an object; give ${shape}`);
            return undefined;
        }
        const o = raw as Record<string, unknown>;
        for (const key of Object.keys(o)) {
            if (!known.includes(key) && o[key] !== undefined) this.fail(`${property}.${key}`, unknownKeyReason(key, known, of));
        }
        return o;
    }

    /** Refuses keys of the resource's top-level inputs that it does not take. */
    topLevel(raw: Record<string, unknown>, known: readonly string[], of: string): void {
        for (const key of Object.keys(raw)) {
            if (key !== "__provider" && !known.includes(key) && raw[key] !== undefined) this.fail(key, unknownKeyReason(key, known, of));
        }
    }

    result<T>(build: () => T): Resolved<T> {
        if (this.failures.length > 0 || this.unknown) return { ok: false, failures: this.failures, unknown: this.unknown };
        return { ok: true, value: build() };
    }
}

function kindOf(raw: unknown): string {
    if (typeof raw === "string") return "text";
    if (typeof raw === "number") return "a number";
    if (typeof raw === "boolean") return "a boolean";
    if (raw === null) return "null";
    return typeof raw === "object" ? "an object" : typeof raw;
}

const bool = (what: string) => (raw: unknown): Parsed<boolean> =>
    typeof raw === "boolean" ? { ok: true, value: raw } : { ok: false, reason: `${show(raw)} is not true or false; set ${what} to true or false` };

/**
 * The configured fingerprint, read by the same parser `connect` uses, so that `check` accepts
 * exactly what the connection will: stored as `SHA256:<base64 without padding>`.
 */
function parseFingerprint(raw: unknown): Parsed<string> {
    const digest = typeof raw === "string" ? parseHostKeyFingerprint(raw) : undefined;
    if (!digest) {
        return {
            ok: false,
            reason: `${show(raw)} is not a SHA256 host key fingerprint; it looks like "SHA256:" followed by 43 base64 characters: run \`ssh-keyscan <host> | ssh-keygen -lf -\` and check it against the ADC console (\`shell ssh-keygen -lf /etc/ssh/ssh_host_rsa_key.pub\`)`,
        };
    }
    return { ok: true, value: hostKeyFingerprintText(digest) };
}

/** The keys of `connection` (the public ones and the credentials). */
export const CONNECTION_KEYS = [
    "host",
    "port",
    "username",
    "password",
    "privateKey",
    "privateKeyPassphrase",
    "hostKeyFingerprint",
    "insecureIgnoreHostKey",
    "connectTimeoutMs",
    "commandTimeoutMs",
    "connectRetries",
    "nodes",
    "failOnSecondaryDifference",
] as const;
const CREDENTIAL_KEYS = ["password", "privateKey", "privateKeyPassphrase"] as const;
const NODE_KEYS = ["host", "port", "hostKeyFingerprint"] as const;
const CONNECTION_SHAPE =
    "{ host, password or privateKey, hostKeyFingerprint } or, for an HA pair, { nodes: [{ host, hostKeyFingerprint }, { host, hostKeyFingerprint }], password or privateKey } (and optionally port, username, privateKeyPassphrase, insecureIgnoreHostKey, connectTimeoutMs, commandTimeoutMs, connectRetries)";
const NODE_SHAPE = "{ host, hostKeyFingerprint } (and optionally port)";
const FINGERPRINT_HOWTO = "run `ssh-keyscan <host> | ssh-keygen -lf -`, check the SHA256 value on the ADC console, and set it";

/** Where the ADC is reached: one node, or both nodes of an HA pair. */
type Endpoints = { readonly host: string; readonly port: number; readonly hostKeyFingerprint: string | null; readonly pair?: readonly [AdcNodeAddress, AdcNodeAddress] };

/** `connection.host`, `port` and `hostKeyFingerprint` of a single node. */
function readSingleNode(r: Reader, c: Record<string, unknown>, insecure: boolean): Endpoints | undefined {
    const host = r.take("connection.host", c.host, parseHost);
    const port = c.port === undefined || c.port === null ? 22 : r.take("connection.port", c.port, (v) => parseIntegerInRange(v, 1, 65535, "TCP port"));
    const fingerprint = r.optional("connection.hostKeyFingerprint", c.hostKeyFingerprint, parseFingerprint);
    if (fingerprint === null && insecure === false && c.hostKeyFingerprint !== UNKNOWN) {
        r.fail(
            "connection.hostKeyFingerprint",
            `is required so that the password is only ever sent to the real ADC: ${FINGERPRINT_HOWTO}; for a lab only, set connection.insecureIgnoreHostKey: true instead`,
        );
    }
    if (host === undefined || port === undefined || fingerprint === undefined) return undefined;
    return { host, port, hostKeyFingerprint: fingerprint };
}

/**
 * `connection.nodes`: both nodes of an HA pair, each with its own address and host key. The
 * pair is one device whose identity is both keys, so a failover (another node answering, or a
 * shared address presenting the other key) is neither an attack nor another device.
 */
function readPair(r: Reader, c: Record<string, unknown>, insecure: boolean): Endpoints | undefined {
    for (const key of ["host", "port", "hostKeyFingerprint"] as const) {
        if (c[key] !== undefined && c[key] !== null) r.fail(`connection.${key}`, `is given together with connection.nodes; give each node's ${key} inside connection.nodes, and no connection.${key}`);
    }
    if (c.nodes === UNKNOWN) {
        r.unknown = true;
        return undefined;
    }
    if (!Array.isArray(c.nodes) || c.nodes.length !== 2) {
        r.fail("connection.nodes", `${show(c.nodes)} is not a list of the HA pair's two nodes; give [${NODE_SHAPE}, ${NODE_SHAPE}] (for a standalone ADC, give connection.host instead)`);
        return undefined;
    }
    const nodes: AdcNodeAddress[] = [];
    c.nodes.forEach((raw: unknown, i: number) => {
        const at = `connection.nodes[${i}]`;
        const n = r.object(at, raw, NODE_KEYS, NODE_SHAPE, "a node");
        if (!n) return;
        const host = r.take(`${at}.host`, n.host, parseHost);
        const port = n.port === undefined || n.port === null ? 22 : r.take(`${at}.port`, n.port, (v) => parseIntegerInRange(v, 1, 65535, "TCP port"));
        const fingerprint = r.optional(`${at}.hostKeyFingerprint`, n.hostKeyFingerprint, parseFingerprint);
        if (fingerprint === null && insecure === false && n.hostKeyFingerprint !== UNKNOWN) {
            r.fail(`${at}.hostKeyFingerprint`, `is required for each node, so that the password is only ever sent to the pair's own nodes: ${FINGERPRINT_HOWTO}`);
        }
        if (host === undefined || port === undefined || fingerprint === undefined) return;
        nodes.push({ host, port, ...(fingerprint !== null ? { hostKeyFingerprint: fingerprint } : {}) });
    });
    if (nodes.length !== 2) return undefined;
    const [a, b] = nodes as [AdcNodeAddress, AdcNodeAddress];
    if (a.host === b.host && a.port === b.port) {
        r.fail("connection.nodes[1]", `reaches the same address as connection.nodes[0] (${a.host}:${a.port}); give each node's own management address (NSIP)`);
        return undefined;
    }
    return { host: a.host, port: a.port, hostKeyFingerprint: a.hostKeyFingerprint ?? null, pair: [a, b] };
}

/** Reads `connection` (and `credentials`, which overrides its secret fields). */
function readConnection(r: Reader, rawConnection: unknown, rawCredentials: unknown): AdcConnection | undefined {
    if (rawConnection === undefined || rawConnection === null) {
        r.fail("connection", `is required: give ${CONNECTION_SHAPE}`);
        return undefined;
    }
    const connection = r.object("connection", rawConnection, CONNECTION_KEYS, CONNECTION_SHAPE);
    const credentials = rawCredentials === undefined || rawCredentials === null ? {} : r.object("credentials", rawCredentials, CREDENTIAL_KEYS, "{ password, privateKey, privateKeyPassphrase }");
    if (!connection || !credentials) return undefined;
    const c = { ...connection, ...stripUndefined(credentials) };
    const username = c.username === undefined || c.username === null ? "nsroot" : r.take("connection.username", c.username, (v) => parseCliText(v, "user name", 64, { spaces: false }));
    const password = r.optional("connection.password", c.password, (v) => parseCredential(v, "password"));
    const privateKey = r.optional("connection.privateKey", c.privateKey, (v) => parseCredential(v, "private key", { lines: true }));
    const privateKeyPassphrase = r.optional("connection.privateKeyPassphrase", c.privateKeyPassphrase, (v) => parseCredential(v, "key passphrase"));
    const insecure = r.optional("connection.insecureIgnoreHostKey", c.insecureIgnoreHostKey, bool("connection.insecureIgnoreHostKey")) ?? false;
    const isPair = c.nodes !== undefined && c.nodes !== null;
    const endpoints = isPair ? readPair(r, c, insecure) : readSingleNode(r, c, insecure);
    const failOnSecondaryDifference = r.optional("connection.failOnSecondaryDifference", c.failOnSecondaryDifference, bool("connection.failOnSecondaryDifference")) ?? false;
    if (!isPair && failOnSecondaryDifference) r.fail("connection.failOnSecondaryDifference", "applies to an HA pair only; give both nodes in connection.nodes, or remove it");
    const connectTimeoutMs = r.optional("connection.connectTimeoutMs", c.connectTimeoutMs, (v) => parseIntegerInRange(v, 100, 600_000, "timeout in milliseconds")) ?? 15_000;
    const commandTimeoutMs = r.optional("connection.commandTimeoutMs", c.commandTimeoutMs, (v) => parseIntegerInRange(v, 100, 600_000, "timeout in milliseconds")) ?? 30_000;
    const connectRetries = r.optional("connection.connectRetries", c.connectRetries, (v) => parseIntegerInRange(v, 0, 10, "retry count")) ?? 2;
    if (password === null && privateKey === null && c.password !== UNKNOWN && c.privateKey !== UNKNOWN) {
        r.fail("connection.password", "neither a password nor a privateKey is given: set connection.password (as a secret: `pulumi config set --secret adcPassword ...`) or connection.privateKey");
    }
    if (endpoints === undefined || username === undefined || password === undefined || privateKey === undefined || privateKeyPassphrase === undefined) {
        return undefined;
    }
    return {
        host: endpoints.host,
        port: endpoints.port,
        username,
        ...(password !== null ? { password } : {}),
        ...(privateKey !== null ? { privateKey } : {}),
        ...(privateKeyPassphrase !== null ? { privateKeyPassphrase } : {}),
        ...(endpoints.hostKeyFingerprint !== null ? { hostKeyFingerprint: endpoints.hostKeyFingerprint } : {}),
        insecureIgnoreHostKey: insecure,
        connectTimeoutMs,
        commandTimeoutMs,
        connectRetries,
        ...(endpoints.pair !== undefined ? { pair: endpoints.pair, failOnSecondaryDifference } : {}),
    };
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}

/** The router resource's typed inputs. */
export interface RouterSpec {
    readonly connection: AdcConnection;
    readonly intent: RouterIntent;
    readonly saveConfig: boolean;
    readonly adoptExisting: boolean;
}

/** The router resource's inputs, as {@link AdcBgpRouter} sends them and the state stores them. */
export const ROUTER_INPUTS = ["connection", "credentials", "localAsn", "routerId", "maxPaths", "routeInstall", "routeInstallIpv6", "redistributeKernel", "gracefulRestart", "saveConfig", "adoptExisting"] as const;

export function resolveRouterInputs(raw: Record<string, unknown>, source: InputSource = "inputs"): Resolved<RouterSpec> {
    const r = new Reader();
    if (source === "inputs") r.topLevel(raw, ROUTER_INPUTS, "AdcBgpRouter");
    const connection = readConnection(r, raw.connection, raw.credentials);
    const asn = r.take("localAsn", raw.localAsn, parseAsn);
    const routerId = r.optional("routerId", raw.routerId, parseRouterId);
    const maxPaths = raw.maxPaths === undefined || raw.maxPaths === null ? {} : r.object("maxPaths", raw.maxPaths, ["ebgp", "ibgp"], "{ ebgp?: 1..64, ibgp?: 1..64 }, e.g. { ebgp: 8 }");
    const maxPath = (kind: "ebgp" | "ibgp") =>
        maxPaths === undefined ? undefined : r.optional(`maxPaths.${kind}`, maxPaths[kind], (v) => parseIntegerInRange(v, 1, 64, "number of paths"));
    const ebgp = maxPath("ebgp");
    const ibgp = maxPath("ibgp");
    const routeInstall = r.optional("routeInstall", raw.routeInstall, bool("routeInstall")) ?? true;
    const routeInstallIpv6 = r.optional("routeInstallIpv6", raw.routeInstallIpv6, bool("routeInstallIpv6")) ?? false;
    const redistributeKernel = r.optional("redistributeKernel", raw.redistributeKernel, bool("redistributeKernel")) ?? false;
    const saveConfig = r.optional("saveConfig", raw.saveConfig, bool("saveConfig")) ?? true;
    const adoptExisting = r.optional("adoptExisting", raw.adoptExisting, bool("adoptExisting")) ?? false;
    const gracefulRestart = r.optional("gracefulRestart", raw.gracefulRestart, bool("gracefulRestart")) ?? false;
    return r.result(() => ({
        connection: connection!,
        intent: { asn: asn!, routerId: routerId!, maxPaths: { ebgp: ebgp!, ibgp: ibgp! }, routeInstall, routeInstallIpv6, redistributeKernel, gracefulRestart },
        saveConfig,
        adoptExisting,
    }));
}

/** The neighbors resource's typed inputs. */
export interface NeighborsSpec {
    readonly connection: AdcConnection;
    readonly asn: Asn;
    readonly neighbors: readonly Neighbor[];
    readonly saveConfig: boolean;
    readonly adoptExisting: boolean;
    readonly waitForEstablishedSeconds: number;
    /** The inbound filter on every neighbor; null: none (and a list this resource made goes). */
    readonly prefixFilter: PrefixList | null;
    /** The limit on every neighbor; null: none managed (and limits this resource set go). */
    readonly maximumPrefix: MaximumPrefix | null;
}

/** The keys of one neighbor. */
export const NEIGHBOR_KEYS = ["address", "remoteAsn", "description", "password", "updateSource", "ebgpMultihop"] as const;
const NEIGHBOR_SHAPE = "{ address, remoteAsn } (and optionally description, password, updateSource, ebgpMultihop)";

/**
 * A neighbor's description. The device gets it after the resource's mark (`pca:<token> `), so
 * the user's part is shorter than the device's limit by the mark; a stored state written before
 * marks may hold up to the device's limit.
 */
function readDescription(raw: unknown, source: InputSource): Parsed<string> {
    const limit = source === "inputs" ? USER_DESCRIPTION_LIMIT : DESCRIPTION_LIMIT;
    if (typeof raw === "string" && raw.length > limit) {
        return { ok: false, reason: `the description is ${raw.length} characters long; the device takes at most ${DESCRIPTION_LIMIT}, of which the ownership mark ("pca:<token> ", see README) takes ${MARK_LENGTH}, so give at most ${limit}: shorten it` };
    }
    return parseCliText(raw, "description", limit, { spaces: true });
}

/** `key`, when it is text that keys a password in `passwords`. */
function givenKey(passwords: Record<string, unknown>, key: unknown): string | undefined {
    return typeof key === "string" && passwords[key] !== undefined && passwords[key] !== null ? key : undefined;
}

function readNeighbor(r: Reader, i: number, raw: unknown, passwords: Record<string, unknown>, used: Set<string>, source: InputSource): Neighbor | undefined {
    const at = `neighbors[${i}]`;
    const n = r.object(at, raw, NEIGHBOR_KEYS, NEIGHBOR_SHAPE, "a neighbor");
    if (!n) return undefined;
    const address = r.field(at, "address", n.address, parsePeerAddress);
    const remoteAsn = r.field(at, "remoteAsn", n.remoteAsn, parseAsn);
    const description = r.optionalField(at, "description", n.description, (v) => readDescription(v, source));
    // The password comes with the neighbor (the public shape) or apart, keyed by its address
    // as given or in canonical form (the shape the resource class sends).
    const key = givenKey(passwords, n.address) ?? givenKey(passwords, address);
    if (key !== undefined) used.add(key);
    const apart = key !== undefined ? passwords[key] : undefined;
    if (n.password !== undefined && n.password !== null && apart !== undefined && apart !== n.password) {
        r.fail(`${at}.password`, `differs from neighborPasswords[${JSON.stringify(key)}]; give the password in one place`);
    }
    const password = r.optionalField(at, "password", n.password ?? apart, (v) => parseCliText(v, "password", 80, { spaces: false, secret: true }));
    const updateSource = r.optionalField(at, "updateSource", n.updateSource, parseUpdateSource);
    const ebgpMultihop = r.optionalField(at, "ebgpMultihop", n.ebgpMultihop, (v) => parseIntegerInRange(v, 1, 255, "TTL"));
    if (address === undefined || remoteAsn === undefined || description === undefined || password === undefined || updateSource === undefined || ebgpMultihop === undefined) {
        return undefined;
    }
    return { address, remoteAsn, description, password, updateSource, ebgpMultihop };
}

/** The neighbors resource's inputs, as {@link AdcBgpNeighbors} sends them and the state stores them. */
export const NEIGHBORS_INPUTS = ["connection", "credentials", "localAsn", "neighbors", "neighborPasswords", "saveConfig", "adoptExisting", "waitForEstablishedSeconds", "prefixFilter", "maximumPrefix"] as const;

const PREFIX_FILTER_SHAPE = '{ name, entries: [{ prefix: "192.168.0.0/16", ge?: 26, le?: 32 }, ...] }';
const ENTRY_SHAPE = '{ prefix: "192.168.0.0/16", ge?: 26, le?: 32 }';
/** A ZebOS/Quagga WORD for a list name: no blanks, and nothing the CLI reads as another command. */
const LIST_NAME = /^[A-Za-z0-9_.:-]{1,63}$/;

/**
 * One permit entry: a CIDR in canonical form with the prefix lengths it admits. IPv4 entries go
 * to `ip prefix-list`, IPv6 ones to `ipv6 prefix-list` of the same name. Quagga's rule: the
 * CIDR's length < ge <= le <= the host length (32, 128).
 */
function readPrefixEntry(r: Reader, at: string, raw: unknown, seq: number): PrefixListEntry | undefined {
    const e = r.object(at, raw, ["prefix", "ge", "le"], ENTRY_SHAPE, "a prefix-list entry");
    if (!e) return undefined;
    const prefix = r.take(`${at}.prefix`, e.prefix, (v): Parsed<{ cidr: string; length: number; host: number }> => {
        const c = typeof v === "string" ? canonicalCidr(v) : undefined;
        if (!c) return { ok: false, reason: `${show(v)} is not a CIDR; give a network such as "192.168.0.0/16" or "fd00:10:244::/48"` };
        if (c.cidr !== v) return { ok: false, reason: `${show(v)} has host bits set or is not in canonical form; did you mean "${c.cidr}"?` };
        return { ok: true, value: { cidr: c.cidr, length: c.length, host: c.family === "ipv4" ? 32 : 128 } };
    });
    if (prefix === undefined) return undefined;
    const ge = r.optional(`${at}.ge`, e.ge, (v) => parseIntegerInRange(v, prefix.length + 1, prefix.host, `ge for ${prefix.cidr} (longer than its /${prefix.length})`));
    const le = r.optional(`${at}.le`, e.le, (v) => parseIntegerInRange(v, Math.max(prefix.length + 1, typeof ge === "number" ? ge : 0), prefix.host, `le for ${prefix.cidr} (longer than its /${prefix.length}, and at least ge)`));
    if (ge === undefined || le === undefined) return undefined;
    return { seq, action: "permit", prefix: prefix.cidr, ge, le: ge !== null && le === prefix.host ? null : le };
}

/** `prefixFilter`: a list name and its permit entries, numbered 5, 10, ... in order; null for none. */
function readPrefixFilter(r: Reader, raw: unknown): PrefixList | null | undefined {
    if (raw === undefined || raw === null) return null;
    const o = r.object("prefixFilter", raw, ["name", "entries"], PREFIX_FILTER_SHAPE);
    if (!o) return undefined;
    const name = r.take("prefixFilter.name", o.name, (v): Parsed<string> =>
        typeof v === "string" && LIST_NAME.test(v) ? { ok: true, value: v } : { ok: false, reason: `${show(v)} is not a prefix-list name: use 1 to 63 letters, digits, "_", ".", ":" or "-" (e.g. "pca-prod-adc-in"), a name no one else uses on the ADC` },
    );
    if (o.entries === UNKNOWN) {
        r.unknown = true;
        return undefined;
    }
    if (!Array.isArray(o.entries) || o.entries.length === 0) {
        r.fail("prefixFilter.entries", `${show(o.entries)} is ${Array.isArray(o.entries) ? "an empty list" : o.entries === undefined ? "missing" : "not a list"}; give at least one ${ENTRY_SHAPE}, or set prefixFilter: null to peer without an inbound filter`);
        return undefined;
    }
    const entries: PrefixListEntry[] = [];
    let failed = false;
    o.entries.forEach((item, i) => {
        const e = readPrefixEntry(r, `prefixFilter.entries[${i}]`, item, 5 * (i + 1));
        if (!e) return void (failed = true);
        const earlier = entries.findIndex((x) => x.prefix === e.prefix && x.ge === e.ge && x.le === e.le);
        if (earlier >= 0) r.fail(`prefixFilter.entries[${i}]`, `repeats prefixFilter.entries[${earlier}]; remove one`);
        entries.push(e);
    });
    if (name === undefined || failed) return undefined;
    return { name, entries };
}

/** `maximumPrefix`: `{ limit, warningOnly? }`; null for none. */
function readMaximumPrefix(r: Reader, raw: unknown): MaximumPrefix | null | undefined {
    if (raw === undefined || raw === null) return null;
    const o = r.object("maximumPrefix", raw, ["limit", "warningOnly"], "{ limit: 1..4294967295, warningOnly?: boolean }, e.g. { limit: 1024 }");
    if (!o) return undefined;
    const limit = r.take("maximumPrefix.limit", o.limit, (v) => parseIntegerInRange(v, 1, 4294967295, "prefix limit"));
    const warningOnly = r.optional("maximumPrefix.warningOnly", o.warningOnly, bool("maximumPrefix.warningOnly")) ?? false;
    if (limit === undefined || warningOnly === undefined) return undefined;
    return { limit, warningOnly };
}

/** `neighborPasswords`: address → password, every value text. Values are never shown. */
function readPasswords(r: Reader, raw: unknown): Record<string, unknown> | undefined {
    if (raw === undefined || raw === null) return {};
    if (raw === UNKNOWN) {
        r.unknown = true;
        return undefined;
    }
    if (typeof raw !== "object" || Array.isArray(raw)) {
        r.fail("neighborPasswords", `is ${Array.isArray(raw) ? "a list" : kindOf(raw)}, not an object; give { "<neighbor address>": "<password>" }, or set each neighbor's password`);
        return undefined;
    }
    return raw as Record<string, unknown>;
}

export function resolveNeighborsInputs(raw: Record<string, unknown>, source: InputSource = "inputs"): Resolved<NeighborsSpec> {
    const r = new Reader();
    if (source === "inputs") r.topLevel(raw, NEIGHBORS_INPUTS, "AdcBgpNeighbors");
    const connection = readConnection(r, raw.connection, raw.credentials);
    const asn = r.take("localAsn", raw.localAsn, parseAsn);
    const neighbors: Neighbor[] = [];
    const passwords = readPasswords(r, raw.neighborPasswords);
    if (raw.neighbors === UNKNOWN) {
        r.unknown = true;
    } else if (!Array.isArray(raw.neighbors)) {
        r.fail("neighbors", `${show(raw.neighbors)} is ${raw.neighbors === undefined ? "missing" : `${kindOf(raw.neighbors)}, not a list`}; give a list of ${NEIGHBOR_SHAPE}, possibly empty`);
    } else {
        const seen = new Map<IpAddress, number>();
        const used = new Set<string>();
        raw.neighbors.forEach((item, i) => {
            const n = readNeighbor(r, i, item, passwords ?? {}, used, source);
            if (!n) return;
            const earlier = seen.get(n.address);
            if (earlier !== undefined) {
                r.fail(`neighbors[${i}].address`, `"${n.address}" is listed twice (also as neighbors[${earlier}]); a device holds one neighbor per address: remove one`);
                return;
            }
            seen.set(n.address, i);
            neighbors.push(n);
        });
        if (passwords && !r.unknown) {
            for (const [address, value] of Object.entries(passwords)) {
                if (used.has(address) || value === undefined || value === null) continue;
                r.fail(`neighborPasswords[${JSON.stringify(address)}]`, "is a password for an address that is not in neighbors; remove it, or add the neighbor");
            }
        }
    }
    const saveConfig = r.optional("saveConfig", raw.saveConfig, bool("saveConfig")) ?? true;
    const adoptExisting = r.optional("adoptExisting", raw.adoptExisting, bool("adoptExisting")) ?? false;
    const waitForEstablishedSeconds = r.optional("waitForEstablishedSeconds", raw.waitForEstablishedSeconds, (v) => parseIntegerInRange(v, 0, 3600, "number of seconds")) ?? 0;
    const prefixFilter = readPrefixFilter(r, raw.prefixFilter);
    const maximumPrefix = readMaximumPrefix(r, raw.maximumPrefix);
    if (prefixFilter) {
        // A neighbor of a family the filter has no entry for would name a list that does not exist.
        const families = new Set(prefixFilter.entries.map((e) => (e.prefix.includes(":") ? "IPv6" : "IPv4")));
        neighbors.forEach((n, i) => {
            const family = n.address.includes(":") ? "IPv6" : "IPv4";
            if (!families.has(family)) {
                r.fail(`neighbors[${i}].address`, `"${n.address}" is ${family}, and prefixFilter has no ${family} entry, so this neighbor would have no ${family === "IPv6" ? "ipv6" : "ip"} prefix-list to filter it; add the ${family} prefixes it may advertise to prefixFilter.entries, or set prefixFilter: null to peer without an inbound filter, knowingly`);
            }
        });
    }
    return r.result(() => ({ connection: connection!, asn: asn!, neighbors, saveConfig, adoptExisting, waitForEstablishedSeconds, prefixFilter: prefixFilter!, maximumPrefix: maximumPrefix! }));
}
