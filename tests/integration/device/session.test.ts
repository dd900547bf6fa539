import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { Server as SshServer } from "ssh2";
import {
    AdcAuthenticationError,
    AdcError,
    AdcCommandError,
    AdcConnection,
    AdcConnectionError,
    AdcDisconnectedError,
    AdcHostKeyError,
    AdcTimeoutError,
    ConfigLine,
    fetchHostKeyFingerprint,
    NETSCALER,
    NetScalerSession,
    openShell,
    OpenShell,
    withAdcSession,
} from "../../../provider/device";
import { startSimulator, Simulator, SimulatorOptions } from "../../../simulator";

/** Keys made by ssh-keygen for this run: the simulator's host key and a client key. */
interface Keys {
    readonly dir: string;
    readonly hostKey: string;
    /** What `ssh-keygen -lf` prints for the host key. */
    readonly hostFingerprint: string;
    readonly clientKey: string;
    readonly clientPublic: string;
}

function makeKeys(): Keys {
    const dir = mkdtempSync(join(tmpdir(), "adc-device-it-"));
    const keygen = (name: string) => execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", join(dir, name)]);
    keygen("host");
    keygen("client");
    return {
        dir,
        hostKey: readFileSync(join(dir, "host"), "utf8"),
        hostFingerprint: execFileSync("ssh-keygen", ["-lf", join(dir, "host.pub")], { encoding: "utf8" }).split(" ")[1],
        clientKey: readFileSync(join(dir, "client"), "utf8"),
        clientPublic: readFileSync(join(dir, "client.pub"), "utf8").trim(),
    };
}

const quiet = { log: (): void => undefined };

describe("device over real SSH against the simulator", function () {
    this.timeout(30_000);
    let keys: Keys;
    const started: Simulator[] = [];

    before(() => {
        keys = makeKeys();
    });
    after(() => rmSync(keys.dir, { recursive: true, force: true }));
    afterEach(async () => {
        await Promise.all(started.splice(0).map((s) => s.close()));
    });

    async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
        const sim = await startSimulator({
            hostKey: keys.hostKey,
            users: [{ username: "nsroot", password: "nsroot", authorizedKeys: [keys.clientPublic] }],
            initialConfig: { enabledFeatures: ["BGP"] },
            ...options,
        });
        started.push(sim);
        return sim;
    }

    function connection(sim: { host: string; port: number }, extra: Partial<AdcConnection> = {}): AdcConnection {
        return {
            host: sim.host,
            port: sim.port,
            username: "nsroot",
            password: "nsroot",
            hostKeyFingerprint: keys.hostFingerprint,
            insecureIgnoreHostKey: false,
            connectTimeoutMs: 5000,
            commandTimeoutMs: 5000,
            connectRetries: 0,
            ...extra,
        };
    }

    /** Real SSH transport, with the shell stream's writes and raw output recorded. */
    function tapped(): { openShell: OpenShell; writes: string[]; raw: () => string } {
        const writes: string[] = [];
        const chunks: Buffer[] = [];
        return {
            writes,
            raw: () => Buffer.concat(chunks).toString("utf8"),
            openShell: async (c) => {
                const shell = await openShell(c);
                const write = shell.stream.write.bind(shell.stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
                shell.stream.write = ((chunk: unknown, ...rest: unknown[]) => {
                    writes.push(String(chunk));
                    return write(chunk, ...rest);
                }) as typeof shell.stream.write;
                shell.stream.on("data", (d: Buffer) => chunks.push(Buffer.from(d)));
                return shell;
            },
        };
    }

    const neighbor = (i: number, asn = 64512): ConfigLine => ({ context: { routerBgp: 500 }, text: `neighbor 10.1.${Math.floor(i / 250)}.${(i % 250) + 1} remote-as ${asn}` });

    describe("login", () => {
        for (const method of ["password", "keyboard-interactive", "publickey"] as const) {
            it(`logs in with ${method} and verifies the host key as ssh-keygen prints it`, async () => {
                const sim = await simulator({ authMethods: [method] });
                assert.equal(sim.hostKeyFingerprint, keys.hostFingerprint);
                const creds = method === "publickey" ? { password: undefined, privateKey: keys.clientKey } : {};
                const out = await withAdcSession(connection(sim, creds), (s) => s.cli("show ns version"), quiet);
                assert.match(out, /NetScaler/);
                assert.doesNotMatch(out, /Done|>/);
            });
        }

        it("shows the host key fingerprint without logging in", async () => {
            const sim = await simulator({ faults: { refuseAuth: true } });
            assert.equal(await fetchHostKeyFingerprint(sim.host, sim.port, 5000), keys.hostFingerprint);
            assert.equal(sim.transcript().length, 0);
        });

        it("accepts the fingerprint without prefix and with padding", async () => {
            const sim = await simulator();
            const body = keys.hostFingerprint.slice("SHA256:".length);
            assert.equal(await withAdcSession(connection(sim, { hostKeyFingerprint: `${body}=` }), async () => "ok", quiet), "ok");
        });

        it("refuses a wrong host key before any authentication is attempted", async () => {
            // A bare SSH server that records every authentication attempt.
            const attempts: string[] = [];
            const server = new SshServer({ hostKeys: [keys.hostKey] }, (conn) => {
                conn.on("authentication", (ctx) => {
                    attempts.push(ctx.method);
                    ctx.reject();
                });
                conn.on("error", () => undefined);
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            try {
                const port = (server.address() as { port: number }).port;
                const other = "SHA256:" + "A".repeat(42) + "E";
                const err = await withAdcSession(connection({ host: "127.0.0.1", port }, { hostKeyFingerprint: other, connectRetries: 2 }), async () => 1, quiet).then(
                    () => undefined,
                    (e: unknown) => e,
                );
                assert.ok(err instanceof AdcHostKeyError, String(err));
                assert.equal(err.expected, other);
                assert.equal(err.actual, keys.hostFingerprint);
                assert.deepEqual(attempts, []);

                const missing = await withAdcSession(connection({ host: "127.0.0.1", port }, { hostKeyFingerprint: undefined }), async () => 1, quiet).then(
                    () => undefined,
                    (e: unknown) => e,
                );
                assert.ok(missing instanceof AdcHostKeyError, String(missing));
                assert.match(missing.fix, new RegExp(`set connection.hostKeyFingerprint to "${keys.hostFingerprint.replace(/[+/]/g, "\\$&")}"`));
                assert.deepEqual(attempts, []);
            } finally {
                await new Promise((resolve) => server.close(resolve));
            }
        });

        it("reports a refused password as AdcAuthenticationError without retrying", async () => {
            const sim = await simulator();
            const err = await withAdcSession(connection(sim, { password: "wrong", connectRetries: 2 }), async () => 1, quiet).then(
                () => undefined,
                (e: unknown) => e,
            );
            assert.ok(err instanceof AdcAuthenticationError, String(err));
            assert.match(err.message, /login as "nsroot" was refused \(tried: keyboard-interactive, password\)/);
            assert.ok(!err.message.includes("wrong"));
            assert.equal(sim.counters().connectionsAccepted, 1);
        });

        it("retries a refused connection, then reports it", async () => {
            const free = createServer();
            await new Promise<void>((resolve) => free.listen(0, "127.0.0.1", resolve));
            const port = (free.address() as { port: number }).port;
            await new Promise((resolve) => free.close(resolve));
            const logs: string[] = [];
            const err = await withAdcSession(connection({ host: "127.0.0.1", port }, { connectRetries: 2 }), async () => 1, { log: (l) => logs.push(l), retryDelayMs: 20 }).then(
                () => undefined,
                (e: unknown) => e,
            );
            assert.ok(err instanceof AdcConnectionError && err.transient, String(err));
            assert.match(err.message, new RegExp(`connection refused at 127\\.0\\.0\\.1 port ${port}`));
            assert.deepEqual(
                logs.map((l) => l.replace(/.*retrying in /, "")),
                ["20 ms (1 of 2)", "40 ms (2 of 2)"],
            );
        });
    });

    for (const echo of ["line", "typeahead", "none"] as const) {
        describe(`dialogue with ${echo} echo`, () => {
            it("returns show output exactly as the device prints it", async () => {
                const sim = await simulator({ echo, initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500", " neighbor 10.0.0.1 remote-as 64512"] } });
                await withAdcSession(
                    connection(sim),
                    async (s) => {
                        assert.equal(await s.vtyshShow("show running-config"), sim.device.runningConfig());
                        const feature = (await sim.device.cli("show ns feature")).replace(/\n Done$/, "");
                        assert.equal(await s.cli("show ns feature"), feature);
                        assert.equal(await s.vtyshShow("show ip bgp summary"), await sim.device.vtysh("show ip bgp summary"));
                    },
                    quiet,
                );
            });

            it("applies N lines in one write, with the moves into configuration mode, and ends at ns#", async () => {
                const sim = await simulator({ echo });
                const tap = tapped();
                const lines: ConfigLine[] = [{ context: "global", text: "ns route-install bgp" }, ...Array.from({ length: 60 }, (_, i) => neighbor(i))];
                await withAdcSession(
                    connection(sim),
                    async (s) => {
                        const session = s as NetScalerSession;
                        // Which node this is, as the resources ask after their first read: its own exchange here.
                        await s.ensureWritable();
                        sim.resetCounters();
                        const before = tap.writes.length;
                        await s.configure(lines);
                        assert.equal(session.currentMode, "vtysh");
                        const writes = tap.writes.slice(before);
                        assert.deepEqual(
                            writes,
                            [["vtysh", "configure terminal", "ns route-install bgp", "router bgp 500", ...lines.slice(1).map((l) => l.text), "end", ""].join("\n")],
                            "the moves and the whole batch in one write, leaving with end",
                        );
                        // The device saw the batch in order, in the right modes, and counted its configuration lines.
                        const transcript = sim.transcript().map((r) => `${r.mode}: ${r.line}`);
                        assert.deepEqual(transcript.slice(2, 5), ["config: ns route-install bgp", "config: router bgp 500", "router: neighbor 10.1.0.1 remote-as 64512"]);
                        assert.deepEqual(transcript.slice(-2), ["router: neighbor 10.1.0.60 remote-as 64512", "router: end"]);
                        assert.equal(sim.counters().configLinesReceived, 62);
                        assert.equal(sim.device.state().bgp?.neighbors.length, 60);
                        assert.deepEqual(s.stats, { linesSent: 1 + 3 + 2 + 62 + 1, configLinesSent: 61, exchanges: 2 });
                    },
                    { ...quiet, openShell: tap.openShell },
                );
                if (echo === "typeahead") {
                    // The terminal echoed the whole batch before the device answered its first line:
                    // the lines were on the wire together, not sent one per prompt.
                    const raw = tap.raw().replace(/\r/g, "");
                    const batchEcho = ["vtysh", "configure terminal", "ns route-install bgp", "router bgp 500", ...lines.slice(1).map((l) => l.text), "end"].join("\n") + "\n";
                    const at = raw.indexOf(batchEcho);
                    assert.ok(at >= 0, "the batch is echoed contiguously");
                    assert.ok(raw.indexOf("ns(config-router)#") > at, "before the first answer");
                }
            });

            it("names a rejected line with the device's answer and keeps the session usable", async () => {
                const sim = await simulator({ echo });
                const lines = [neighbor(0), { context: { routerBgp: 500 }, text: "neighbor 10.1.0.2 remote-as notanumber" } as ConfigLine, neighbor(2)];
                await withAdcSession(
                    connection(sim),
                    async (s) => {
                        const err = await s.configure(lines).then(
                            () => undefined,
                            (e: unknown) => e,
                        );
                        assert.ok(err instanceof AdcCommandError, String(err));
                        assert.equal(err.command, "neighbor 10.1.0.2 remote-as notanumber");
                        assert.match(err.answer, /^% Invalid input detected at '\^' marker\.$/);
                        assert.deepEqual(err.applied, ["neighbor 10.1.0.1 remote-as 64512"]);
                        assert.deepEqual(err.appliedAfter, ["neighbor 10.1.0.3 remote-as 64512"]);
                        assert.equal((s as NetScalerSession).currentMode, "vtysh");
                        assert.deepEqual(
                            sim.device.state().bgp?.neighbors.map((n) => n.address),
                            ["10.1.0.1", "10.1.0.3"],
                        );
                        assert.match(await s.vtyshShow("show running-config"), /neighbor 10\.1\.0\.3 remote-as 64512/);
                        await s.save();
                        assert.match(sim.saved().zebos, /neighbor 10\.1\.0\.3/);
                    },
                    quiet,
                );
            });
        });
    }

    it("writes the save before save() returns once the node is known writable, so work that follows the call overlaps the device's save", async () => {
        const sim = await simulator();
        await withAdcSession(
            connection(sim),
            async (s) => {
                await s.configure([neighbor(1)]);
                const before = s.stats.linesSent;
                const saving = s.save();
                // Nothing awaited yet: the lines are already on the stream.
                assert.ok(s.stats.linesSent > before, `${s.stats.linesSent - before} lines written at the call`);
                await saving;
            },
            quiet,
        );
        assert.match(sim.device.saved().zebos, new RegExp(neighbor(1).text.replace(/\./g, "\\.")), "the device saved the line");
    });

    describe("bounded pipelining against a device that drops input past its buffer", () => {
        const many = Array.from({ length: 500 }, (_, i) => neighbor(i));
        const options = { inputBufferBytes: NETSCALER.inputBufferBytes, echo: "typeahead" as const };

        it("keeps at most a buffer's worth of lines unanswered: 500 lines arrive whole, in several windows", async () => {
            const sim = await simulator(options);
            await withAdcSession(
                connection(sim),
                async (s) => {
                    await s.vtyshShow("show running-config");
                    sim.resetCounters();
                    await s.configure(many);
                },
                quiet,
            );
            assert.equal(sim.counters().inputBytesDropped, 0);
            assert.equal(sim.device.state().bgp?.neighbors.length, 500);
            const bytes = many.reduce((n, l) => n + l.text.length + 1, 0);
            assert.ok(sim.counters().roundTrips >= Math.ceil(bytes / NETSCALER.inputBufferBytes), `${sim.counters().roundTrips} round trips for ${bytes} bytes`);
        });

        it("a window larger than the buffer loses lines (the failure the bound prevents)", async () => {
            const sim = await simulator(options);
            const err = await withAdcSession(connection(sim, { commandTimeoutMs: 1000 }), (s) => s.configure(many), { ...quiet, windowBytes: 64 * 1024 }).then(
                () => undefined,
                (e: unknown) => e,
            );
            assert.ok(sim.counters().inputBytesDropped > 0);
            assert.ok(err instanceof AdcError, String(err));
            assert.ok((sim.device.state().bgp?.neighbors.length ?? 0) < 500);
        });
    });

    it("reports a connection dropped mid-batch with the line in flight", async () => {
        // Lines of the connection: set cli mode (1), the questions about the node (2-4), vtysh (5),
        // configure terminal (6), router bgp 500 (7), then the neighbors: the 10th line, the third neighbor, is cut.
        const sim = await simulator({ faults: { dropAfterLines: 10 } });
        const lines = [0, 1, 2, 3].map((i) => neighbor(i));
        const err = await withAdcSession(connection(sim), (s) => s.configure(lines), quiet).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(err instanceof AdcDisconnectedError, String(err));
        // The device cuts the socket as the third neighbor arrives; answers it had written just
        // before may or may not have left it. The error names the first line without a
        // confirmed answer and lists the confirmed ones, which the device did apply.
        const confirmed = err.applied.length;
        assert.ok(confirmed <= 2, `confirmed ${confirmed}`);
        assert.deepEqual(err.applied, lines.slice(0, confirmed).map((l) => l.text));
        assert.equal(err.command, lines[confirmed].text);
        assert.match(err.message, /the connection closed while waiting for the answer to "neighbor 10\.1\.0\.\d remote-as 64512"/);
        assert.deepEqual(
            sim.device.state().bgp?.neighbors.map((n) => n.address),
            ["10.1.0.1", "10.1.0.2"],
        );
    });

    it("times out when the device answers slower than commandTimeoutMs", async () => {
        const sim = await simulator();
        const err = await withAdcSession(
            connection(sim, { commandTimeoutMs: 300 }),
            async (s) => {
                await s.cli("show ns ip");
                sim.setReplyLatency(1000);
                return s.cli("show ns version");
            },
            quiet,
        ).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(err instanceof AdcTimeoutError, String(err));
        assert.equal(err.command, "show ns version");
        assert.match(err.message, /no prompt within 300 ms after "show ns version"/);
    });

    it("closes its connection after use, also when the function fails", async () => {
        const sim = await simulator();
        await withAdcSession(connection(sim), (s) => s.cli("show ns version"), quiet);
        await assert.rejects(withAdcSession(connection(sim), (s) => s.cli("show nonsense"), quiet), AdcCommandError);
        const deadline = Date.now() + 2000;
        while (sim.openConnections() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        assert.equal(sim.openConnections(), 0);
        assert.equal(sim.counters().connectionsAccepted, 2);
    });
});
