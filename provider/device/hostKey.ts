import { createHash, timingSafeEqual } from "crypto";

/** The prefix OpenSSH prints before a SHA-256 fingerprint. */
const PREFIX = "SHA256:";
/** 32 bytes in standard base64: 43 characters, then one `=` if padded. */
const BODY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=?$/;

/**
 * The fingerprint of an SSH public key blob (the wire format, as in the second field of a
 * `.pub` file), exactly as `ssh-keygen -lf` prints it: `SHA256:` + base64 without padding.
 */
export function hostKeyFingerprint(keyBlob: Buffer): string {
    return hostKeyFingerprintText(createHash("sha256").update(keyBlob).digest());
}

/**
 * Reads a configured fingerprint: `SHA256:<base64>` as `ssh-keygen -lf` prints it, also
 * accepted without the `SHA256:` prefix and with the `=` padding. Returns the 32 digest bytes,
 * or undefined for anything else (an MD5 fingerprint, base64url, blanks, a truncated value).
 */
export function parseHostKeyFingerprint(fingerprint: string): Buffer | undefined {
    const body = fingerprint.startsWith(PREFIX) ? fingerprint.slice(PREFIX.length) : fingerprint;
    if (!BODY.test(body)) return undefined;
    const digest = Buffer.from(body, "base64");
    return digest.length === 32 ? digest : undefined;
}

/** A parsed fingerprint in the canonical form `ssh-keygen -lf` prints (`SHA256:` + base64 without padding). */
export function hostKeyFingerprintText(digest: Buffer): string {
    return PREFIX + digest.toString("base64").replace(/=+$/, "");
}

/** Whether a key blob has the expected digest, compared in constant time. */
export function hostKeyMatches(keyBlob: Buffer, expectedDigest: Buffer): boolean {
    const actual = createHash("sha256").update(keyBlob).digest();
    return actual.length === expectedDigest.length && timingSafeEqual(actual, expectedDigest);
}
