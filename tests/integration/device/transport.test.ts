import { strict as assert } from "assert";
import { createServer, Server as NetServer, Socket } from "net";
import { AuthContext, Server as SshServer } from "ssh2";
import { generateEd25519KeyPair } from "../../../simulator";
import { AdcAuthenticationError, AdcConnection, AdcConnectionError, openShell, withAdcSession } from "../../../provider/device";

/**
 * The SSH transport against small real servers on loopback that misbehave in ways the simulator
 * does not: never speaking SSH, hanging up at once, keyboard-interactive rounds with several
 * prompts, and a forced password change.
 */
describe("device/transport against misbehaving servers", function () {
    this.timeout(20_000);
    const hostKey = generateEd25519KeyPair().private;
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
        for (const c of cleanups.splice(0).reverse()) await c();
    });

    function connection(port: number, extra: Partial<AdcConnection> = {}): AdcConnection {
        return {
            host: "127.0.0.1",
            port,
            username: "nsroot",
            password: "Pw-0001",
            insecureIgnoreHostKey: true,
            connectTimeoutMs: 3000,
            commandTimeoutMs: 3000,
            connectRetries: 0,
            ...extra,
        };
    }

    async function listen(server: NetServer | SshServer): Promise<number> {
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
        return (server.address() as { port: number }).port;
    }

    /** A TCP server that applies `onSocket` to every connection and destroys what remains at cleanup. */
    async function tcp(onSocket: (s: Socket) => void): Promise<{ port: number; connections: () => number }> {
        const sockets = new Set<Socket>();
        let count = 0;
        const server = createServer((s) => {
            count++;
            sockets.add(s);
            s.on("error", () => undefined);
            onSocket(s);
        });
        const port = await listen(server);
        // Runs before the listener's close (cleanups run in reverse), which waits for open sockets.
        cleanups.push(async () => sockets.forEach((s) => s.destroy()));
        return { port, connections: () => count };
    }

    /** An SSH server whose keyboard-interactive round is `prompts`, accepting when `check(answers)`; then a shell printing `> `. */
    async function kbdServer(prompts: string[], check: (answers: string[]) => boolean): Promise<{ port: number; answers: string[][] }> {
        const answers: string[][] = [];
        const server = new SshServer({ hostKeys: [hostKey] }, (conn) => {
            conn.on("error", () => undefined);
            conn.on("authentication", (ctx: AuthContext) => {
                if (ctx.method !== "keyboard-interactive") return ctx.reject(["keyboard-interactive"]);
                ctx.prompt(
                    prompts.map((prompt) => ({ prompt, echo: false })),
                    (given) => {
                        answers.push(given);
                        if (check(given)) ctx.accept();
                        else ctx.reject(["keyboard-interactive"]);
                    },
                );
            });
            conn.on("ready", () =>
                conn.on("session", (accept) => {
                    const session = accept();
                    session.on("pty", (ok) => ok?.());
                    session.on("shell", (ok) => {
                        const stream = ok();
                        stream.write("> ");
                    });
                }),
            );
        });
        return { port: await listen(server), answers };
    }

    it("maps a server that never speaks SSH to a transient timeout and retries it", async () => {
        const server = await tcp(() => undefined);
        const logs: string[] = [];
        const err = await withAdcSession(connection(server.port, { connectTimeoutMs: 300, connectRetries: 1 }), async () => 1, { log: (l) => logs.push(l), retryDelayMs: 10 }).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(err instanceof AdcConnectionError, String(err));
        assert.equal(err.transient, true);
        assert.match(err.message, /no SSH login within 300 ms/);
        assert.match(err.fix, /connectTimeoutMs/);
        assert.equal(server.connections(), 2);
        assert.equal(logs.length, 1);
    });

    it("maps a server that hangs up at once to a transient connection error", async () => {
        const server = await tcp((s) => s.destroy());
        const err = await withAdcSession(connection(server.port, { connectRetries: 2 }), async () => 1, { log: () => undefined, retryDelayMs: 10 }).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(err instanceof AdcConnectionError, String(err));
        assert.equal(err.transient, true);
        assert.match(err.message, /closed the connection before the SSH handshake/);
        assert.equal(server.connections(), 3);
    });

    /** An SSH server that accepts the password by the methods in `accepts` and records every method a client tries, in order. */
    async function methodServer(accepts: readonly ("password" | "keyboard-interactive")[]): Promise<{ port: number; tried: string[] }> {
        const tried: string[] = [];
        const server = new SshServer({ hostKeys: [hostKey] }, (conn) => {
            conn.on("error", () => undefined);
            conn.on("authentication", (ctx: AuthContext) => {
                tried.push(ctx.method);
                if (ctx.method === "password" && accepts.includes("password")) return ctx.password === "Pw-0001" ? ctx.accept() : ctx.reject([...accepts]);
                if (ctx.method !== "keyboard-interactive" || !accepts.includes("keyboard-interactive")) return ctx.reject([...accepts]);
                ctx.prompt([{ prompt: "Password: ", echo: false }], (given) => (given[0] === "Pw-0001" ? ctx.accept() : ctx.reject([...accepts])));
            });
            conn.on("ready", () =>
                conn.on("session", (accept) => {
                    const session = accept();
                    session.on("pty", (ok) => ok?.());
                    session.on("shell", (ok) => void ok().write("> "));
                }),
            );
        });
        return { port: await listen(server), tried };
    }

    it("logs in with its first method at once, without asking with `none` first (a round trip), and falls back on the methods the server names", async () => {
        const interactive = await methodServer(["keyboard-interactive"]);
        (await openShell(connection(interactive.port))).close();
        assert.deepEqual(interactive.tried, ["keyboard-interactive"]);
        const passwordOnly = await methodServer(["password"]);
        (await openShell(connection(passwordOnly.port))).close();
        assert.deepEqual(passwordOnly.tried, ["keyboard-interactive", "password"]);
    });

    it("answers every keyboard-interactive prompt with the password", async () => {
        const server = await kbdServer(["Password: ", "Password (again): "], (a) => a.length === 2 && a.every((x) => x === "Pw-0001"));
        const shell = await openShell(connection(server.port));
        shell.close();
        assert.deepEqual(server.answers, [["Pw-0001", "Pw-0001"]]);
    });

    it("does not answer a forced password change, and says so", async () => {
        const server = await kbdServer(["Old password: ", "New password: ", "Retype new password: "], (a) => a.length === 3);
        const err = await openShell(connection(server.port)).then(
            (s) => s.close(),
            (e: unknown) => e,
        );
        assert.ok(err instanceof AdcAuthenticationError, String(err));
        assert.match(err.message, /the device demands a password change/);
        assert.match(err.fix, /forces a password change at first login/);
        assert.deepEqual(server.answers, [[]]);
    });

    it("refuses an unusable private key before connecting", async () => {
        const server = await tcp(() => undefined);
        const encrypted = generateEd25519KeyPair({ passphrase: "kp", rounds: 16 }).private;
        const err = await openShell(connection(server.port, { password: undefined, privateKey: encrypted })).then(
            (s) => s.close(),
            (e: unknown) => e,
        );
        assert.ok(err instanceof AdcConnectionError && !err.transient, String(err));
        assert.match(err.message, /connection\.privateKey cannot be used/);
        assert.equal(server.connections(), 0);
    });

    it("refuses a malformed fingerprint before connecting", async () => {
        const server = await tcp(() => undefined);
        const err = await openShell(connection(server.port, { insecureIgnoreHostKey: false, hostKeyFingerprint: "MD5:16:27:ac:a5" })).then(
            (s) => s.close(),
            (e: unknown) => e,
        );
        assert.ok(err instanceof AdcConnectionError && !err.transient, String(err));
        assert.match(err.message, /is not a SHA-256 fingerprint/);
        assert.equal(server.connections(), 0);
    });
});
