import { createHash, createPrivateKey } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { utils } from "ssh2";

/** A host key ready for ssh2's `Server` and its fingerprint. */
export interface HostKey {
    /** Private key in a format ssh2 parses (OpenSSH, or PEM PKCS#1 / SEC1). */
    readonly privateKey: string;
    /** `SHA256:<base64 without padding>`, as `ssh-keygen -l` prints it. */
    readonly fingerprint: string;
    /** Key type, e.g. `ssh-ed25519`. */
    readonly algorithm: string;
}

/**
 * Where the simulator's command line keeps its host key unless `--host-key-path` says otherwise:
 * a stable fingerprint is the point of a simulator a person connects to again and again.
 */
export function defaultHostKeyPath(): string {
    const cache = process.env["XDG_CACHE_HOME"] || join(homedir(), ".cache");
    return join(cache, "pulumi-calico-adc", "simulator", "ssh_host_ed25519_key");
}

/**
 * The host key: `hostKey` if given; else, with a `path`, the key stored there, or a new ed25519
 * key written there (mode 0600) so the fingerprint stays the same across restarts; else a new
 * ed25519 key that lives only as long as the process (nothing is written).
 */
export function loadHostKey(hostKey: string | Buffer | undefined, path?: string): HostKey {
    if (hostKey !== undefined) return describe(toSsh2Format(hostKey.toString()));
    if (path === undefined) return describe(generateHostKey());
    let text: string | undefined;
    try {
        text = readFileSync(path, "utf8");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot read the simulator host key ${path}: ${(err as Error).message}`);
    }
    if (text !== undefined) return describe(toSsh2Format(text));
    const generated = generateHostKey();
    try {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        // Write then rename, so two simulators starting at once never read a half-written key.
        const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
        writeFileSync(tmp, generated, { mode: 0o600 });
        renameSync(tmp, path);
    } catch (err) {
        throw new Error(`cannot store the simulator host key at ${path} (${(err as Error).message}); pass hostKeyPath (a writable file) or hostKey`);
    }
    return describe(readFileSync(path, "utf8"));
}

/**
 * A new ed25519 key pair in OpenSSH format, optionally encrypted. About 3 pairs in 1,000 that
 * ssh2's generator makes (14 in 5,000 with ssh2 1.17) hold a public key a byte short, and ssh2's
 * own parser refuses both halves ("Malformed OpenSSH public key" / "... private key"): such a
 * pair is drawn again, so that no simulator or test gets one at random.
 */
export function generateEd25519KeyPair(encryption?: { readonly passphrase: string; readonly rounds: number }): { readonly private: string; readonly public: string } {
    const options = encryption ? { passphrase: encryption.passphrase, cipher: "aes256-ctr", rounds: encryption.rounds } : undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
        const pair = options ? utils.generateKeyPairSync("ed25519", options) : utils.generateKeyPairSync("ed25519");
        if (!(utils.parseKey(pair.public) instanceof Error) && !(utils.parseKey(pair.private, encryption?.passphrase) instanceof Error)) return pair;
    }
    throw new Error("could not generate an ed25519 key pair that ssh2 parses");
}

const generateHostKey = (): string => generateEd25519KeyPair().private;

/**
 * ssh2 parses OpenSSH keys and traditional PEM (`BEGIN RSA|EC PRIVATE KEY`) but not PKCS#8
 * (`BEGIN PRIVATE KEY`); RSA and EC PKCS#8 keys are converted with node:crypto.
 */
function toSsh2Format(text: string): string {
    if (!text.includes("BEGIN PRIVATE KEY")) return text;
    const key = createPrivateKey(text);
    switch (key.asymmetricKeyType) {
        case "rsa":
            return key.export({ type: "pkcs1", format: "pem" }).toString();
        case "ec":
            return key.export({ type: "sec1", format: "pem" }).toString();
        default:
            throw new Error(`host key: PKCS#8 ${key.asymmetricKeyType} keys are not supported by ssh2; use the OpenSSH format (ssh-keygen -t ${key.asymmetricKeyType})`);
    }
}

function describe(privateKey: string): HostKey {
    const parsed = utils.parseKey(privateKey);
    if (parsed instanceof Error) throw new Error(`host key: ${parsed.message}`);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || !key.isPrivateKey()) throw new Error("host key: not a private key");
    return { privateKey, fingerprint: fingerprintOf(key.getPublicSSH()), algorithm: key.type };
}

/** `SHA256:<base64 without padding>` of an SSH public key blob. */
export function fingerprintOf(publicKeyBlob: Buffer): string {
    return `SHA256:${createHash("sha256").update(publicKeyBlob).digest("base64").replace(/=+$/, "")}`;
}
