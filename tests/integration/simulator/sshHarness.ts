import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AnyAuthMethod, Client, ClientChannel, ConnectConfig } from "ssh2";
import { Simulator, SimulatorOptions, startSimulator } from "../../../simulator";

/**
 * Starts simulators and ssh2 clients for one test file and cleans all of them up after each
 * test, failed or not. Host keys live in a temporary directory, removed at the end.
 */
export class Harness {
    readonly keyDir = mkdtempSync(join(tmpdir(), "sim-test-"));
    private sims: Simulator[] = [];
    private clients: Client[] = [];

    async start(options: SimulatorOptions = {}): Promise<Simulator> {
        const sim = await startSimulator({ hostKeyPath: join(this.keyDir, "host_key"), ...options });
        this.sims.push(sim);
        return sim;
    }

    /** Connects and authenticates; `seenFingerprint` receives the host key fingerprint the client computed. */
    connect(sim: { readonly host: string; readonly port: number }, auth: AnyAuthMethod[] = [passwordAuth()], extra: Partial<ConnectConfig> = {}): Promise<{ client: Client; seenFingerprint: string }> {
        const client = new Client();
        this.clients.push(client);
        let seenFingerprint = "";
        return new Promise((resolve, reject) => {
            client.once("ready", () => resolve({ client, seenFingerprint }));
            client.once("error", reject);
            client.connect({
                host: sim.host,
                port: sim.port,
                username: "nsroot",
                authHandler: [...auth],
                hostVerifier: (key: Buffer) => {
                    seenFingerprint = `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
                    return true;
                },
                readyTimeout: 5000,
                ...extra,
            });
        });
    }

    async shell(sim: Simulator, pty = true): Promise<ShellSession> {
        const { client } = await this.connect(sim);
        return ShellSession.open(client, pty);
    }

    async cleanup(): Promise<void> {
        for (const c of this.clients) c.end();
        await Promise.all(this.sims.map((s) => s.close()));
        this.clients = [];
        this.sims = [];
    }

    removeKeys(): void {
        rmSync(this.keyDir, { recursive: true, force: true });
    }
}

export function passwordAuth(username = "nsroot", password = "nsroot"): AnyAuthMethod {
    return { type: "password", username, password };
}

export function keyboardAuth(username = "nsroot", password = "nsroot"): AnyAuthMethod {
    return { type: "keyboard-interactive", username, prompt: (_n, _i, _l, _prompts, finish) => finish([password]) };
}

/** An interactive shell channel with a screen buffer and waits on it. */
export class ShellSession {
    private screen = "";
    private waiters: (() => void)[] = [];
    closed = false;

    private constructor(readonly channel: ClientChannel) {
        channel.on("data", (d: Buffer) => {
            this.screen += d.toString("utf8");
            this.wake();
        });
        channel.on("close", () => {
            this.closed = true;
            this.wake();
        });
    }

    static open(client: Client, pty = true): Promise<ShellSession> {
        return new Promise((resolve, reject) => {
            client.shell(pty ? { term: "vt100", cols: 200, rows: 50 } : false, (err, channel) => (err ? reject(err) : resolve(new ShellSession(channel))));
        });
    }

    /** Everything received so far. */
    text(): string {
        return this.screen;
    }

    send(data: string): void {
        this.channel.write(data);
    }

    /** Waits until the screen (from `from` on) satisfies `done`; rejects after `timeoutMs` showing the screen. */
    async waitFor(done: (screen: string) => boolean, timeoutMs = 3000, from = 0): Promise<string> {
        const deadline = Date.now() + timeoutMs;
        while (!done(this.screen.slice(from))) {
            if (this.closed) throw new Error(`channel closed; screen: ${JSON.stringify(this.screen)}`);
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`timed out; screen: ${JSON.stringify(this.screen)}`);
            await new Promise<void>((resolve) => {
                const t = setTimeout(resolve, left);
                this.waiters.push(() => {
                    clearTimeout(t);
                    resolve();
                });
            });
        }
        return this.screen.slice(from);
    }

    /** Waits for the screen to end with `suffix`. */
    waitForEnd(suffix: string, timeoutMs?: number): Promise<string> {
        return this.waitFor((s) => s.endsWith(suffix), timeoutMs);
    }

    waitForClose(timeoutMs = 3000): Promise<void> {
        return this.waitFor(() => this.closed, timeoutMs).then(
            () => undefined,
            (err: Error) => {
                if (!this.closed) throw err;
            },
        );
    }

    private wake(): void {
        const w = this.waiters;
        this.waiters = [];
        for (const f of w) f();
    }
}

/** Runs one exec request; resolves with its output and exit code. */
export function exec(client: Client, command: string): Promise<{ stdout: string; code: number | null }> {
    return new Promise((resolve, reject) => {
        client.exec(command, (err, channel) => {
            if (err) return reject(err);
            let stdout = "";
            let code: number | null = null;
            channel.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
            channel.on("exit", (c: number | null) => (code = c));
            channel.on("close", () => resolve({ stdout, code }));
        });
    });
}

export function count(haystack: string, needle: string): number {
    return haystack.split(needle).length - 1;
}
