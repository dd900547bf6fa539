/**
 * Which BGP password a form shown by the device stands for. Some builds show a neighbor's
 * password encrypted, so the shown form cannot be compared with the wanted password: the
 * resource remembers the form the device showed right after it set a password, together with a
 * keyed digest of that password (HMAC-SHA256 under a random key kept beside it). A later form
 * then matches the wanted password only if it is the remembered form *and* the remembered
 * password is the wanted one, so a changed password is sent, and a form changed on the device
 * shows as drift. The record is stored as a secret, and never holds the password itself.
 */
import { createHmac, randomBytes, timingSafeEqual } from "crypto";
import type { Change } from "./changes";
import type { Neighbor, RunningNeighbor } from "./model";
import type { IpAddress } from "./values";

/** How the device showed a password this resource set, and which password that was. */
export interface RememberedPassword {
    /** The form `show running-config` printed (the password itself on builds that show it in clear). */
    readonly shown: string;
    /** `hmac-sha256:<key hex>:<digest hex>` of the password the form stands for. */
    readonly digest: string;
}

/** By neighbor address. */
export type RememberedPasswords = Readonly<Record<string, RememberedPassword>>;

const SCHEME = "hmac-sha256";

/** A keyed digest of `password` under a fresh random key (or the given one). */
export function passwordDigest(password: string, key: Buffer = randomBytes(16)): string {
    return `${SCHEME}:${key.toString("hex")}:${createHmac("sha256", key).update(password, "utf8").digest("hex")}`;
}

/** Whether `digest` (from {@link passwordDigest}) is that of `password`. A digest of another shape matches nothing. */
export function digestMatches(digest: string, password: string): boolean {
    const m = /^hmac-sha256:([0-9a-f]{32}):([0-9a-f]{64})$/.exec(digest);
    if (!m) return false;
    const expected = Buffer.from(m[2], "hex");
    const actual = createHmac("sha256", Buffer.from(m[1], "hex")).update(password, "utf8").digest();
    return timingSafeEqual(expected, actual);
}

/**
 * Reads the stored record. State written before digests existed holds the bare shown form: it
 * stands for the password stored beside it (`storedPasswords`), the one set when it was recorded.
 * Anything else is dropped, which makes the next apply send the password again.
 */
export function readRememberedPasswords(stored: unknown, storedPasswords: Readonly<Record<string, string>> = {}): RememberedPasswords {
    const out: Record<string, RememberedPassword> = {};
    if (stored === null || typeof stored !== "object") return out;
    for (const [address, value] of Object.entries(stored as Record<string, unknown>)) {
        if (typeof value === "string") {
            const was = storedPasswords[address];
            if (typeof was === "string") out[address] = { shown: value, digest: passwordDigest(was) };
        } else if (value !== null && typeof value === "object" && typeof (value as RememberedPassword).shown === "string" && typeof (value as RememberedPassword).digest === "string") {
            out[address] = { shown: (value as RememberedPassword).shown, digest: (value as RememberedPassword).digest };
        }
    }
    return out;
}

/**
 * The planner's password comparison: the device holds the wanted password if it shows it in
 * clear, or shows the form remembered for exactly that password.
 */
export function samePassword(remembered: RememberedPasswords) {
    return (address: IpAddress, shown: string, wanted: string): boolean => {
        if (shown === wanted) return true;
        const r = remembered[address];
        return r !== undefined && r.shown === shown && digestMatches(r.digest, wanted);
    };
}

/** The neighbors whose password the changes set. */
export function passwordsSent(changes: readonly Change[]): Set<IpAddress> {
    const sent = new Set<IpAddress>();
    for (const c of changes) {
        if (c.op === "add-neighbor" && c.neighbor.password !== null) sent.add(c.neighbor.address);
        if (c.op === "set-neighbor-attribute" && c.attribute === "password" && c.value !== null) sent.add(c.address);
    }
    return sent;
}

/**
 * After an apply: what to remember for each wanted password the device now shows, and which
 * sent passwords the device did not take. A password counts as not taken when the device still
 * shows the form it showed before the new one was sent (in clear: the old password; encrypted:
 * the old form; a build that encrypts with a fresh salt each time shows a new form, so there
 * the check is only that the form changed).
 */
export function rememberAfterApply(
    wanted: readonly Neighbor[],
    before: ReadonlyMap<IpAddress, RunningNeighbor>,
    after: ReadonlyMap<IpAddress, RunningNeighbor>,
    sent: ReadonlySet<IpAddress>,
    previous: RememberedPasswords,
): { remembered: Record<string, RememberedPassword>; notTaken: IpAddress[] } {
    const remembered: Record<string, RememberedPassword> = {};
    const notTaken: IpAddress[] = [];
    for (const n of wanted) {
        const shown = after.get(n.address)?.password ?? null;
        if (n.password === null || shown === null) continue;
        const prev = previous[n.address];
        if (sent.has(n.address)) {
            const shownBefore = before.get(n.address)?.password ?? null;
            if (shown !== n.password && shownBefore !== null && shown === shownBefore) {
                notTaken.push(n.address);
                if (prev) remembered[n.address] = prev;
                continue;
            }
        } else if (prev && prev.shown === shown && digestMatches(prev.digest, n.password)) {
            remembered[n.address] = prev;
            continue;
        }
        remembered[n.address] = { shown, digest: passwordDigest(n.password) };
    }
    return { remembered, notTaken };
}
