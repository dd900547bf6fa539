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
import type { AdcConnection } from "../device/types";
import type { Neighbor } from "../core/model";
import type { RouterIntent } from "../core/plan";
import {
    parseAsn,
    parseCliText,
    parseIntegerInRange,
    parseIpAddress,
    parseIpv4Address,
    parseUpdateSource,
    show,
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

/** Collects failures while reading a raw object; a field that is unknown is noted, not failed. */
class Reader {
    readonly failures: Failure[] = [];
    unknown = false;

    take<T>(property: string, raw: unknown, parse: (raw: unknown) => Parsed<T>): T | undefined {
        if (raw === UNKNOWN) {
            this.unknown = true;
            return undefined;
        }
        const parsed = parse(raw);
        if (parsed.ok) return parsed.value;
        this.failures.push({ property, reason: parsed.reason });
        return undefined;
    }

    optional<T>(property: string, raw: unknown, parse: (raw: unknown) => Parsed<T>): T | null | undefined {
        return raw === undefined || raw === null ? null : this.take(property, raw, parse);
    }

    fail(property: string, reason: string): void {
        this.failures.push({ property, reason });
    }

    result<T>(build: () => T): Resolved<T> {
        if (this.failures.length > 0 || this.unknown) return { ok: false, failures: this.failures, unknown: this.unknown };
        return { ok: true, value: build() };
    }
}

const bool = (what: string) => (raw: unknown): Parsed<boolean> =>
    typeof raw === "boolean" ? { ok: true, value: raw } : { ok: false, reason: `${show(raw)} is not true or false (${what})` };

const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const FINGERPRINT = /^(?:SHA256:)?([A-Za-z0-9+/]{43})=?$/;

function parseHost(raw: unknown): Parsed<string> {
    const ip = parseIpAddress(raw);
    if (ip.ok) return ip;
    if (typeof raw === "string" && HOST.test(raw)) return { ok: true, value: raw };
    return { ok: false, reason: `${show(raw)} is neither an IP address nor a host name (the ADC's management address, NSIP)` };
}

function parseFingerprint(raw: unknown): Parsed<string> {
    const m = typeof raw === "string" ? FINGERPRINT.exec(raw.trim()) : null;
    if (!m) {
        return {
            ok: false,
            reason: `${show(raw)} is not a SHA256 host key fingerprint; it looks like "SHA256:" followed by 43 base64 characters: run \`ssh-keyscan <host> | ssh-keygen -lf -\` and check it against the ADC console (\`shell ssh-keygen -lf /etc/ssh/ssh_host_rsa_key.pub\`)`,
        };
    }
    return { ok: true, value: `SHA256:${m[1]}` };
}

function parseSecretText(what: string) {
    return (raw: unknown): Parsed<string> => {
        if (typeof raw !== "string" || raw.length === 0) return { ok: false, reason: `the ${what} must be non-empty text` };
        return { ok: true, value: raw };
    };
}

function record(raw: unknown): Record<string, unknown> {
    return raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}

/** Reads `connection` (and `credentials`, which overrides its secret fields). */
function readConnection(r: Reader, rawConnection: unknown, rawCredentials: unknown): AdcConnection | undefined {
    if (rawConnection === UNKNOWN) {
        r.unknown = true;
        return undefined;
    }
    if (rawConnection === undefined || rawConnection === null || typeof rawConnection !== "object") {
        r.fail("connection", "is required: give at least { host, password or privateKey, hostKeyFingerprint }");
        return undefined;
    }
    const c = { ...record(rawConnection), ...stripUndefined(record(rawCredentials)) };
    const host = r.take("connection.host", c.host, parseHost);
    const port = c.port === undefined || c.port === null ? 22 : r.take("connection.port", c.port, (v) => parseIntegerInRange(v, 1, 65535, "TCP port"));
    const username = c.username === undefined || c.username === null ? "nsroot" : r.take("connection.username", c.username, (v) => parseCliText(v, "user name", 64, { spaces: false }));
    const password = r.optional("connection.password", c.password, parseSecretText("password"));
    const privateKey = r.optional("connection.privateKey", c.privateKey, parseSecretText("private key"));
    const privateKeyPassphrase = r.optional("connection.privateKeyPassphrase", c.privateKeyPassphrase, parseSecretText("key passphrase"));
    const insecure = r.optional("connection.insecureIgnoreHostKey", c.insecureIgnoreHostKey, bool("insecureIgnoreHostKey")) ?? false;
    const fingerprint = r.optional("connection.hostKeyFingerprint", c.hostKeyFingerprint, parseFingerprint);
    const connectTimeoutMs = r.optional("connection.connectTimeoutMs", c.connectTimeoutMs, (v) => parseIntegerInRange(v, 100, 600_000, "timeout in milliseconds")) ?? 15_000;
    const commandTimeoutMs = r.optional("connection.commandTimeoutMs", c.commandTimeoutMs, (v) => parseIntegerInRange(v, 100, 600_000, "timeout in milliseconds")) ?? 30_000;
    const connectRetries = r.optional("connection.connectRetries", c.connectRetries, (v) => parseIntegerInRange(v, 0, 10, "retry count")) ?? 2;
    if (password === null && privateKey === null && c.password !== UNKNOWN && c.privateKey !== UNKNOWN) {
        r.fail("connection.password", "neither a password nor a privateKey is given: set connection.password (as a secret: `pulumi config set --secret adcPassword ...`) or connection.privateKey");
    }
    if (fingerprint === null && insecure === false && c.hostKeyFingerprint !== UNKNOWN) {
        r.fail(
            "connection.hostKeyFingerprint",
            "is required so that the password is only ever sent to the real ADC: run `ssh-keyscan <host> | ssh-keygen -lf -`, check the SHA256 value on the ADC console, and set it; for a lab only, set connection.insecureIgnoreHostKey: true instead",
        );
    }
    if (host === undefined || port === undefined || username === undefined || password === undefined || privateKey === undefined || fingerprint === undefined || privateKeyPassphrase === undefined) {
        return undefined;
    }
    return {
        host,
        port,
        username,
        ...(password !== null ? { password } : {}),
        ...(privateKey !== null ? { privateKey } : {}),
        ...(privateKeyPassphrase !== null ? { privateKeyPassphrase } : {}),
        ...(fingerprint !== null ? { hostKeyFingerprint: fingerprint } : {}),
        insecureIgnoreHostKey: insecure,
        connectTimeoutMs,
        commandTimeoutMs,
        connectRetries,
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

export function resolveRouterInputs(raw: Record<string, unknown>): Resolved<RouterSpec> {
    const r = new Reader();
    const connection = readConnection(r, raw.connection, raw.credentials);
    const asn = r.take("localAsn", raw.localAsn, parseAsn);
    const routerId = r.optional("routerId", raw.routerId, parseIpv4Address);
    const maxPathsRaw = raw.maxPaths === UNKNOWN ? UNKNOWN : record(raw.maxPaths);
    const maxPath = (kind: "ebgp" | "ibgp") =>
        maxPathsRaw === UNKNOWN ? undefined : r.optional(`maxPaths.${kind}`, maxPathsRaw[kind], (v) => parseIntegerInRange(v, 1, 64, "number of paths"));
    if (maxPathsRaw === UNKNOWN) r.unknown = true;
    const ebgp = maxPath("ebgp");
    const ibgp = maxPath("ibgp");
    const routeInstall = r.optional("routeInstall", raw.routeInstall, bool("routeInstall")) ?? true;
    const redistributeKernel = r.optional("redistributeKernel", raw.redistributeKernel, bool("redistributeKernel")) ?? false;
    const saveConfig = r.optional("saveConfig", raw.saveConfig, bool("saveConfig")) ?? true;
    const adoptExisting = r.optional("adoptExisting", raw.adoptExisting, bool("adoptExisting")) ?? false;
    return r.result(() => ({
        connection: connection!,
        intent: { asn: asn!, routerId: routerId!, maxPaths: { ebgp: ebgp!, ibgp: ibgp! }, routeInstall, redistributeKernel },
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
}

function readNeighbor(r: Reader, i: number, raw: unknown, passwords: Record<string, unknown>): Neighbor | undefined {
    const at = `neighbors[${i}]`;
    if (raw === UNKNOWN) {
        r.unknown = true;
        return undefined;
    }
    const n = record(raw);
    const address = r.take(`${at}.address`, n.address, parseIpAddress);
    const remoteAsn = r.take(`${at}.remoteAsn`, n.remoteAsn, parseAsn);
    const description = r.optional(`${at}.description`, n.description, (v) => parseCliText(v, "description", 80, { spaces: true }));
    const rawPassword = n.password ?? (typeof n.address === "string" ? passwords[n.address] ?? (address ? passwords[address] : undefined) : undefined);
    const password = r.optional(`${at}.password`, rawPassword, (v) => parseCliText(v, "password", 80, { spaces: false, secret: true }));
    const updateSource = r.optional(`${at}.updateSource`, n.updateSource, parseUpdateSource);
    const ebgpMultihop = r.optional(`${at}.ebgpMultihop`, n.ebgpMultihop, (v) => parseIntegerInRange(v, 1, 255, "TTL"));
    if (address === undefined || remoteAsn === undefined || description === undefined || password === undefined || updateSource === undefined || ebgpMultihop === undefined) {
        return undefined;
    }
    return { address, remoteAsn, description, password, updateSource, ebgpMultihop };
}

export function resolveNeighborsInputs(raw: Record<string, unknown>): Resolved<NeighborsSpec> {
    const r = new Reader();
    const connection = readConnection(r, raw.connection, raw.credentials);
    const asn = r.take("localAsn", raw.localAsn, parseAsn);
    const neighbors: Neighbor[] = [];
    const passwords = record(raw.neighborPasswords);
    if (raw.neighbors === UNKNOWN || raw.neighborPasswords === UNKNOWN) {
        r.unknown = true;
    } else if (!Array.isArray(raw.neighbors)) {
        r.fail("neighbors", `${show(raw.neighbors)} is not a list; give a list of { address, remoteAsn }, possibly empty`);
    } else {
        const seen = new Map<IpAddress, number>();
        raw.neighbors.forEach((item, i) => {
            const n = readNeighbor(r, i, item, passwords);
            if (!n) return;
            const earlier = seen.get(n.address);
            if (earlier !== undefined) {
                r.fail(`neighbors[${i}].address`, `"${n.address}" is listed twice (also as neighbors[${earlier}]); a device holds one neighbor per address`);
                return;
            }
            seen.set(n.address, i);
            neighbors.push(n);
        });
    }
    const saveConfig = r.optional("saveConfig", raw.saveConfig, bool("saveConfig")) ?? true;
    const adoptExisting = r.optional("adoptExisting", raw.adoptExisting, bool("adoptExisting")) ?? false;
    const waitForEstablishedSeconds = r.optional("waitForEstablishedSeconds", raw.waitForEstablishedSeconds, (v) => parseIntegerInRange(v, 0, 3600, "number of seconds")) ?? 0;
    return r.result(() => ({ connection: connection!, asn: asn!, neighbors, saveConfig, adoptExisting, waitForEstablishedSeconds }));
}
