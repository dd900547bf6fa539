import type { Duplex } from "stream";
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, Client, ClientChannel, ConnectConfig, ParsedKey, Prompt } from "ssh2";
import { AdcAuthenticationError, AdcConnectionError, AdcHostKeyError } from "./errors";
import { hostKeyFingerprint, hostKeyMatches, parseHostKeyFingerprint } from "./hostKey";
import type { AdcConnection } from "./types";

// ssh2 is required inside the functions below, never at module level: this module is loaded in
// Pulumi's dynamic-provider process, where captured live handles cannot be serialized and a
// package-internal path would break when ssh2 is upgraded.

/** An interactive shell on the ADC: the byte stream and how to end it. */
export interface ShellConnection {
    /** The shell's stream (a PTY: the device echoes input and prints prompts). */
    readonly stream: Duplex;
    /** Ends the shell and the SSH connection. Safe to call twice. */
    close(): void;
    /** Resolves once the SSH connection has closed (after `close`, or when the peer ends it); absent: nothing to wait for. */
    readonly ended?: Promise<void>;
}

/** Opens an interactive shell; replaceable in tests by an in-memory stream. */
export type OpenShell = (connection: AdcConnection) => Promise<ShellConnection>;

/** A wide terminal, so that long lines (commands and output) are never wrapped by the device. */
const TERMINAL = { term: "vt100", cols: 1000, rows: 200 } as const;
/** SSH-level keepalives detect a dead peer while waiting for a slow command. */
const KEEPALIVE = { keepaliveInterval: 15_000, keepaliveCountMax: 3 } as const;
/** Keyboard-interactive rounds answered before giving up (a wrong password is asked again). */
const MAX_KEYBOARD_ROUNDS = 3;
/** Prompts of a forced password change (firmware 14.1+ on first login); never answered. */
const PASSWORD_CHANGE = /\b(?:new|old|current)\s+password|re-?(?:type|enter)|confirm/i;

/**
 * Connects, verifies the host key, logs in and starts a shell. The password is sent only after
 * the host key has been verified (the SSH handshake completes before user authentication).
 */
export const openShell: OpenShell = async (connection) => {
    const { Client, utils } = require("ssh2") as typeof import("ssh2");
    const { host, port, username } = connection;
    const expected = expectedHostKey(connection);
    const key = readPrivateKey(connection, utils);

    return new Promise<ShellConnection>((resolve, reject) => {
        const client: Client = new Client();
        const tried: string[] = [];
        /** The methods the server named, when it named none the connection can use. */
        const unusable: string[] = [];
        let presented: string | undefined;
        let hostKeyRejected = false;
        let settled = false;
        let markEnded: () => void = () => undefined;
        const ended = new Promise<void>((resolve) => (markEnded = resolve));

        const fail = (error: Error): void => {
            if (settled) return;
            settled = true;
            client.end();
            reject(error);
        };

        // A CLI dialogue is many small writes: without this, Nagle's algorithm and delayed ACKs
        // add ~40 ms to every command.
        client.on("connect", () => client.setNoDelay(true));
        client.on("ready", () => {
            // readyTimeout ends at login; a server that never answers the shell request is caught here.
            const shellTimer = setTimeout(() => {
                fail(new AdcConnectionError(host, `the ADC did not start a shell within ${connection.connectTimeoutMs} ms of login`, "check the ADC's SSH session limits; raise connection.connectTimeoutMs on a slow link", true));
            }, connection.connectTimeoutMs);
            client.shell(TERMINAL, (err: Error | undefined, stream: ClientChannel) => {
                clearTimeout(shellTimer);
                if (settled) {
                    stream?.end();
                    return;
                }
                if (err) {
                    fail(new AdcConnectionError(host, `the ADC refused to start a shell: ${err.message}`, `check that "${username}" may log in to the CLI over SSH`, false));
                    return;
                }
                settled = true;
                let closed = false;
                resolve({
                    stream,
                    close: () => {
                        if (closed) return;
                        closed = true;
                        stream.end();
                        client.end();
                    },
                    ended,
                });
            });
        });
        client.on("error", (err: Error & { level?: string; code?: string }) => {
            if (hostKeyRejected && presented !== undefined && expected !== "ignore") {
                fail(hostKeyError(connection, expected, presented));
                return;
            }
            fail(connectionError(connection, err, tried, unusable));
        });
        // After the shell is open, a dropped connection shows as the stream closing (the channel reports it).
        client.on("close", () => {
            markEnded();
            fail(new AdcConnectionError(host, "the connection closed during the SSH handshake or login", "check that the ADC accepts SSH logins on this address and port (see its SSH server log)", true));
        });

        const config: ConnectConfig = {
            host,
            port,
            username,
            readyTimeout: connection.connectTimeoutMs,
            ...KEEPALIVE,
            hostVerifier: (keyBlob: Buffer): boolean => {
                presented = hostKeyFingerprint(keyBlob);
                if (expected === "ignore") return true;
                const ok = expected !== "missing" && expected.digests.some((d) => hostKeyMatches(keyBlob, d));
                hostKeyRejected = !ok;
                return ok;
            },
            authHandler: authHandler(connection, key, tried, unusable),
        };
        client.connect(config);
    });
};

/**
 * Connects only as far as the host key and returns its fingerprint (`SHA256:...`), without
 * logging in. For a status tool that shows the user what to verify and configure.
 */
export async function fetchHostKeyFingerprint(host: string, port = 22, timeoutMs = 15_000): Promise<string> {
    const { Client } = require("ssh2") as typeof import("ssh2");
    return new Promise<string>((resolve, reject) => {
        const client = new Client();
        let presented: string | undefined;
        client.on("error", (err: Error & { level?: string; code?: string }) => {
            if (presented !== undefined) resolve(presented);
            else reject(connectionError({ host, port, connectTimeoutMs: timeoutMs }, err, []));
        });
        client.on("close", () => {
            if (presented !== undefined) resolve(presented);
            else reject(new AdcConnectionError(host, "the connection closed before the host key was presented", "check the address and port", true));
        });
        client.on("ready", () => client.end());
        client.connect({
            host,
            port,
            username: "host-key-probe",
            readyTimeout: timeoutMs,
            hostVerifier: (keyBlob: Buffer): boolean => {
                presented = hostKeyFingerprint(keyBlob);
                return false;
            },
        });
    });
}

type ExpectedHostKey = "ignore" | "missing" | { readonly digests: readonly Buffer[]; readonly text: string };

/**
 * The keys the address may present: its own, or, for a node of an HA pair, either node's
 * (a shared management address moves with the primary, and both keys are the pair's).
 */
function expectedHostKey(connection: AdcConnection): ExpectedHostKey {
    if (connection.insecureIgnoreHostKey) return "ignore";
    const pinned = [connection.hostKeyFingerprint, ...(connection.pair ?? []).map((n) => n.hostKeyFingerprint)].filter((f): f is string => f !== undefined && f !== "");
    const texts = [...new Set(pinned)];
    if (texts.length === 0) return "missing";
    const digests = texts.map((text) => {
        const digest = parseHostKeyFingerprint(text);
        if (!digest) {
            throw new AdcConnectionError(
                connection.host,
                `connection.hostKeyFingerprint ${JSON.stringify(text)} is not a SHA-256 fingerprint`,
                `use the form printed by \`ssh-keygen -lf <key>.pub\` or shown by \`ssh\` on first connection: "SHA256:" followed by 43 base64 characters`,
                false,
            );
        }
        return digest;
    });
    return { digests, text: texts.length === 1 ? texts[0]! : `one of the HA pair's keys ${texts.join(", ")}` };
}

function hostKeyError(connection: AdcConnection, expected: ExpectedHostKey, presented: string): AdcHostKeyError {
    const host = connection.host;
    if (expected === "missing" || expected === "ignore") {
        return new AdcHostKeyError(
            host,
            "a configured fingerprint (connection.hostKeyFingerprint is not set)",
            presented,
            `check the key on the ADC's console (\`shell ssh-keygen -lf /nsconfig/ssh/ssh_host_ed25519_key.pub\` or the key type the device uses), then set connection.hostKeyFingerprint to "${presented}"; for a lab only, set insecureIgnoreHostKey`,
        );
    }
    if (connection.pair !== undefined) {
        return new AdcHostKeyError(
            host,
            expected.text,
            presented,
            `this key is neither node's: if a node of the pair was really replaced or re-keyed, check "${presented}" on its console and set that node's connection.nodes[i].hostKeyFingerprint to it; otherwise someone may be intercepting the connection`,
        );
    }
    return new AdcHostKeyError(host, expected.text, presented);
}

type SshUtils = (typeof import("ssh2"))["utils"];

function readPrivateKey(connection: AdcConnection, utils: SshUtils): ParsedKey | undefined {
    if (!connection.privateKey) return undefined;
    const parsed = utils.parseKey(connection.privateKey, connection.privateKeyPassphrase);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key instanceof Error || key === undefined || !key.isPrivateKey()) {
        const reason = key instanceof Error ? key.message : "it holds no private key";
        throw new AdcConnectionError(
            connection.host,
            `connection.privateKey cannot be used: ${reason}`,
            "pass the private key in OpenSSH or PEM format, and connection.privateKeyPassphrase if it is encrypted",
            false,
        );
    }
    return key;
}

/**
 * Offers, among the methods the server accepts, the private key first, then the password by
 * keyboard-interactive (what the VPX uses for passwords), then plain password. Each method once.
 */
function authHandler(connection: AdcConnection, key: ParsedKey | undefined, tried: string[], unusable: string[]): AuthHandlerMiddleware {
    const { username, password } = connection;
    const candidates: AnyAuthMethod[] = [];
    if (key) candidates.push({ type: "publickey", username, key });
    if (password !== undefined) {
        let rounds = 0;
        candidates.push({
            type: "keyboard-interactive",
            username,
            prompt: (_name: string, _instructions: string, _lang: string, prompts: Prompt[], finish: (answers: string[]) => void) => {
                rounds++;
                if (prompts.some((p) => PASSWORD_CHANGE.test(p.prompt))) {
                    tried.push("keyboard-interactive (the device demands a password change)");
                    finish([]);
                    return;
                }
                // Some servers send an informational round without prompts, and ask again after a wrong answer.
                finish(rounds > MAX_KEYBOARD_ROUNDS ? [] : prompts.map(() => password));
            },
        });
        candidates.push({ type: "password", username, password });
    }
    const used = new Set<AuthenticationType>();
    // ssh2 passes null before the first attempt and accepts `false` for "no more methods"; its typings say neither.
    return (left, _partialSuccess, nextMethod) => {
        const methodsLeft = left as AuthenticationType[] | null;
        const next = nextMethod as (method: AnyAuthMethod | false) => void;
        if (methodsLeft === null && candidates.length === 0) {
            // Nothing to offer: `none` asks the server which methods it accepts, for the error.
            next({ type: "none", username });
            return;
        }
        // The first method goes out without asking first with `none`: a server that does not take
        // it answers with the methods it does, and asking would cost every login a round trip.
        const method = candidates.find((c) => !used.has(c.type) && (methodsLeft === null || methodsLeft.includes(c.type)));
        if (!method) {
            // The server named only methods this connection has nothing for (a key-only server
            // given a password): kept for the error, which would otherwise read as a wrong password.
            if (methodsLeft !== null && !candidates.some((c) => methodsLeft.includes(c.type))) unusable.push(...methodsLeft);
            next(false);
            return;
        }
        used.add(method.type);
        tried.push(method.type);
        next(method);
    };
}

/** Maps an ssh2 connection error to what the user can act on. */
function connectionError(
    connection: Pick<AdcConnection, "host" | "port" | "connectTimeoutMs"> & { username?: string },
    err: Error & { level?: string; code?: string },
    tried: readonly string[],
    unusable: readonly string[] = [],
): Error {
    const { host, port } = connection;
    const where = `${host} port ${port}`;
    switch (err.level) {
        case "client-authentication":
            return new AdcAuthenticationError(host, connection.username ?? "", [...new Set(tried)], unusable.length > 0 ? [...new Set(unusable)] : undefined);
        case "client-timeout":
            return new AdcConnectionError(
                host,
                `no SSH login within ${connection.connectTimeoutMs} ms (${err.message})`,
                `check that ${where} answers SSH (\`ssh -p ${port} <user>@${host}\`), or raise connection.connectTimeoutMs on a slow link`,
                true,
            );
        case "client-dns":
            return new AdcConnectionError(host, `cannot resolve "${host}" (${err.code ?? err.message})`, "check connection.host", false);
        case "client-socket":
            return socketError(host, where, err);
        default:
            if (/lost before handshake|connection lost/i.test(err.message)) {
                return new AdcConnectionError(
                    host,
                    `${where} closed the connection before the SSH handshake (${err.message})`,
                    "the ADC may be at its SSH connection limit or restarting its SSH server; if it persists, check its SSH settings and any firewall",
                    true,
                );
            }
            return new AdcConnectionError(
                host,
                `the SSH handshake failed: ${err.message}`,
                "the ADC's SSH server and this client share no key exchange, cipher or host key algorithm, or the server broke off: check the ADC's SSH settings",
                false,
            );
    }
}

function socketError(host: string, where: string, err: Error & { code?: string }): AdcConnectionError {
    switch (err.code) {
        case "ECONNREFUSED":
            return new AdcConnectionError(host, `connection refused at ${where}`, "check connection.host and connection.port, and that SSH management access is enabled on that address (the NSIP, or a SNIP with management access)", true);
        case "ECONNRESET":
        case "EPIPE":
            return new AdcConnectionError(host, `the connection was reset (${err.code}) at ${where}`, "the ADC or something in between dropped the connection; if it persists, check the ADC's SSH limits and any firewall", true);
        case "ETIMEDOUT":
        case "EHOSTUNREACH":
        case "ENETUNREACH":
        case "EHOSTDOWN":
            return new AdcConnectionError(host, `${where} is unreachable (${err.code})`, "check the route and any firewall between here and the ADC's management address", true);
        case "ENOTFOUND":
        case "EAI_AGAIN":
            return new AdcConnectionError(host, `cannot resolve "${host}" (${err.code})`, "check connection.host", err.code === "EAI_AGAIN");
        default:
            return new AdcConnectionError(host, `connection to ${where} failed: ${err.message}`, "check connection.host and connection.port", true);
    }
}
