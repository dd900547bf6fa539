import { strict as assert } from "node:assert";
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateEd25519KeyPair, startSimulator } from "../../../simulator";
import { count, exec, Harness, keyboardAuth, passwordAuth, ShellSession } from "./sshHarness";

const SEED_RUNNING_CONFIG = [
    "!",
    "log syslog",
    "log record-priority",
    "!",
    "ns route-install bgp",
    "!",
    "interface lo0",
    " ip address 127.0.0.1/8",
    " ipv6 address fe80::1/64",
    " ipv6 address ::1/128",
    "!",
    "interface vlan0",
    " ip address 10.102.33.208/24",
    " ipv6 address fe80::2cf6:beff:fe94:9f63/64",
    "!",
    "router bgp 500",
    " max-paths ebgp 8",
    " max-paths ibgp 8",
    " neighbor 10.102.33.198 remote-as 64512",
    " neighbor 10.102.33.202 remote-as 64512",
    "!",
    "end",
];

describe("simulator over SSH", () => {
    const h = new Harness();
    afterEach(() => h.cleanup());
    after(() => h.removeKeys());

    describe("login", () => {
        it("accepts password, keyboard-interactive and public-key logins", async () => {
            const keys = generateEd25519KeyPair();
            const sim = await h.start({ users: [{ username: "nsroot", password: "nsroot" }, { username: "automation", authorizedKeys: [keys.public] }] });
            await h.connect(sim, [passwordAuth()]);
            await h.connect(sim, [keyboardAuth()]);
            const { client } = await h.connect(sim, [{ type: "publickey", username: "automation", key: keys.private }]);
            assert.match((await exec(client, "show ns version")).stdout, /NetScaler NS/);
        });

        it("refuses a wrong password, an unknown user and a key that is not authorized", async () => {
            const sim = await h.start();
            const stranger = generateEd25519KeyPair();
            for (const auth of [passwordAuth("nsroot", "wrong"), keyboardAuth("nsroot", "wrong"), passwordAuth("admin", "nsroot"), { type: "publickey" as const, username: "nsroot", key: stranger.private }]) {
                await assert.rejects(h.connect(sim, [auth]), (e: Error & { level?: string }) => e.level === "client-authentication");
            }
        });

        it("offers only the configured methods (keyboard-interactive only, like a VPX)", async () => {
            const sim = await h.start({ authMethods: ["keyboard-interactive"] });
            await assert.rejects(h.connect(sim, [passwordAuth()]), /authentication methods failed/);
            await h.connect(sim, [keyboardAuth()]);
        });

        it("presents the host key whose fingerprint it advertises, the same after a restart", async () => {
            const sim = await h.start();
            const { seenFingerprint } = await h.connect(sim);
            assert.match(sim.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
            assert.equal(seenFingerprint, sim.hostKeyFingerprint);
            await h.cleanup();
            const again = await h.start();
            assert.equal(again.hostKeyFingerprint, sim.hostKeyFingerprint);
            assert.equal((await h.connect(again)).seenFingerprint, sim.hostKeyFingerprint);
            const elsewhere = await h.start({ hostKeyPath: join(h.keyDir, "other_key") });
            assert.notEqual(elsewhere.hostKeyFingerprint, sim.hostKeyFingerprint);
        });

        it("without hostKey or hostKeyPath, uses a new key per start and writes none", async () => {
            const home = mkdtempSync(join(tmpdir(), "sim-home-"));
            const saved = { HOME: process.env.HOME, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME };
            process.env.HOME = home;
            process.env.XDG_CACHE_HOME = join(home, ".cache");
            try {
                const first = await startSimulator({ banner: [] });
                const second = await startSimulator({ banner: [] });
                await Promise.all([first.close(), second.close()]);
                assert.notEqual(first.hostKeyFingerprint, second.hostKeyFingerprint);
                assert.deepEqual(readdirSync(home), []);
            } finally {
                for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
                rmSync(home, { recursive: true, force: true });
            }
        });

        it("uses a given host key, PKCS#8 RSA included", async () => {
            const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
            const sim = await h.start({ hostKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
            const jwk = publicKey.export({ format: "jwk" });
            const mpint = (b64: string) => {
                const b = Buffer.from(b64, "base64url");
                return b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
            };
            const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, (b.length >> 8) & 0xff, b.length & 0xff]), b]);
            const blob = Buffer.concat([str(Buffer.from("ssh-rsa")), str(mpint(jwk.e!)), str(mpint(jwk.n!))]);
            const expected = `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
            assert.equal(sim.hostKeyFingerprint, expected);
            assert.equal((await h.connect(sim)).seenFingerprint, expected);
        });

        it("prints the banner, then the > prompt", async () => {
            const sim = await h.start();
            const s = await h.shell(sim);
            const screen = await s.waitForEnd("> ");
            assert.match(screen, /^Last login: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} from 127\.0\.0\.1\r\n> $/);
            const quiet = await h.start({ banner: [] });
            assert.equal(await (await h.shell(quiet)).waitForEnd("> "), "> ");
        });
    });

    describe("shell sessions", () => {
        it("reproduces the seed transcript, show running-config in the seed layout", async () => {
            const sim = await h.start({ banner: [] });
            const s = await h.shell(sim);
            await s.waitForEnd("> ");
            const steps: [string, string][] = [
                ["en feature bgp", " Done\r\n> "],
                ["vtysh", "ns#"],
                ["conf t", "Enter configuration commands, one per line. End with CNTL/Z.\r\nns(config)#"],
                ["ns route-install bgp", "ns(config)#"],
                ["router bgp 500", "ns(config-router)#"],
                ["Neighbor 10.102.33.198 remote-as 64512", "ns(config-router)#"],
                ["Neighbor 10.102.33.202 remote-as 64512", "ns(config-router)#"],
                ["show running-config", `${SEED_RUNNING_CONFIG.join("\r\n")}\r\nns(config-router)#`],
                ["exit", "ns(config)#"],
                ["exit", "ns#"],
                ["exit", " Done\r\n> "],
            ];
            for (const [line, answer] of steps) {
                const from = s.text().length;
                s.send(`${line}\r`);
                const got = await s.waitFor((t) => t.endsWith(answer), 3000, from);
                assert.equal(got, `${line}\r\n${answer}`);
            }
            assert.equal(sim.device.runningConfig(), SEED_RUNNING_CONFIG.join("\n"));
        });

        it("refuses a different ASN over SSH and stays at ns(config)#", async () => {
            const sim = await h.start({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: "router bgp 500" } });
            const s = await h.shell(sim);
            s.send("vtysh\rconf t\rrouter bgp 65000\r");
            const screen = await s.waitFor((t) => count(t, "ns(config)#") === 2);
            assert.ok(screen.endsWith("router bgp 65000\r\n% BGP is already running; AS is 500\r\nns(config)#"), JSON.stringify(screen));
            assert.equal(sim.device.state().bgp?.asn, 500);
        });

        for (const echo of ["line", "typeahead", "none"] as const) {
            it(`answers a pipelined batch in order, one prompt per line (echo ${echo})`, async () => {
                const sim = await h.start({ banner: [], echo, initialConfig: { enabledFeatures: ["BGP"] } });
                const s = await h.shell(sim);
                await s.waitForEnd("> ");
                const neighbors = Array.from({ length: 40 }, (_, i) => `neighbor 10.1.0.${i + 1} remote-as 64512`);
                const batch = ["vtysh", "conf t", "router bgp 500", ...neighbors, "neighbor 10.1.0.1 remote-az 1", "end", "exit"];
                s.send(batch.map((l) => `${l}\n`).join(""));
                const screen = await s.waitFor((t) => t.endsWith(" Done\r\n> ") && count(t, "#") === batch.length - 1, 5000);
                const prompts = screen.match(/(> |ns(\([a-z-]+\))?#)/g) ?? [];
                assert.deepEqual(prompts, ["> ", "ns#", "ns(config)#", ...Array(neighbors.length + 2).fill("ns(config-router)#"), "ns#", "> "]);
                const answers = screen.replace(/^> /, "");
                if (echo === "line") assert.ok(answers.startsWith("vtysh\r\nns#conf t\r\nEnter configuration"), JSON.stringify(answers.slice(0, 80)));
                if (echo === "typeahead") assert.ok(answers.startsWith(`${batch.join("\r\n")}\r\nns#Enter configuration`), JSON.stringify(answers.slice(0, 80)));
                if (echo === "none") assert.ok(answers.startsWith("ns#Enter configuration"), JSON.stringify(answers.slice(0, 80)));
                assert.equal(count(screen, "% Invalid input detected at '^' marker."), 1);
                assert.equal(sim.device.state().bgp?.neighbors.length, neighbors.length);
            });
        }

        it("works without a PTY", async () => {
            const sim = await h.start({ banner: [] });
            const s = await h.shell(sim, false);
            await s.waitForEnd("> ");
            s.send("show ns feature\n");
            assert.match(await s.waitForEnd(" Done\r\n> "), /BGP Routing\s+BGP\s+OFF\r\n/);
        });

        it("closes the channel on exit at >", async () => {
            const sim = await h.start({ banner: [] });
            const s = await h.shell(sim);
            s.send("exit\n");
            await s.waitForClose();
            assert.equal(s.text(), "> exit\r\n");
        });

        it("serves concurrent clients, each in its own mode, over one device", async () => {
            const sim = await h.start({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } });
            const sessions = await Promise.all(Array.from({ length: 6 }, () => h.shell(sim)));
            await Promise.all(sessions.map((s) => s.waitForEnd("> ")));
            sessions.forEach((s, i) => s.send(`vtysh\nconf t\nrouter bgp 500\nneighbor 10.2.0.${i + 1} remote-as ${65000 + i}\n`));
            await Promise.all(sessions.map((s) => s.waitFor((t) => count(t, "ns(config-router)#") === 2)));
            const watcher = sessions[0]!;
            const from = watcher.text().length;
            watcher.send("show running-config\n");
            const cfg = await watcher.waitFor((t) => t.endsWith("end\r\nns(config-router)#"), 3000, from);
            for (let i = 0; i < sessions.length; i++) assert.match(cfg, new RegExp(`neighbor 10\\.2\\.0\\.${i + 1} remote-as ${65000 + i}\\r\\n`));
            const other = sessions[1]!;
            other.send("end\n");
            await other.waitForEnd("ns#");
            assert.ok(watcher.text().endsWith("ns(config-router)#"), "one session's mode does not move another's");
            assert.equal(sim.openConnections(), sessions.length);
        });

        it("shows drift made behind the client's back", async () => {
            const sim = await h.start({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: "router bgp 500\n neighbor 10.0.0.1 remote-as 1" } });
            const s = await h.shell(sim);
            s.send("vtysh\n");
            await s.waitForEnd("ns#");
            await sim.device.configure(["router bgp 500", "neighbor 10.9.9.9 remote-as 99", "no neighbor 10.0.0.1"]);
            const from = s.text().length;
            s.send("show running-config\n");
            const cfg = await s.waitFor((t) => t.endsWith("end\r\nns#"), 3000, from);
            assert.match(cfg, / neighbor 10\.9\.9\.9 remote-as 99\r\n/);
            assert.doesNotMatch(cfg, /10\.0\.0\.1/);
            assert.equal(sim.routingError(), undefined);
        });

        it("reports sessions and learned routes set by the test", async () => {
            const sim = await h.start({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: "ns route-install bgp\nrouter bgp 500\n neighbor 10.102.33.198 remote-as 64512\n neighbor 10.102.33.202 remote-as 64512" } });
            sim.setSession("10.102.33.198", { state: "Established", routes: ["10.244.1.0/26"] });
            const { client } = await h.connect(sim);
            const routes = await exec(client, "sh route");
            assert.match(routes.stdout, /10\.244\.1\.0\s+255\.255\.255\.192\s+10\.102\.33\.198\s+UP\s+0\s+BGP\r\n/);
            const s = await ShellSession.open(client);
            s.send("vtysh\nshow ip bgp summary\n");
            const summary = await s.waitFor((t) => /Total number of neighbors 2\r\nns#$/.test(t));
            assert.match(summary, /\r\n10\.102\.33\.198 +4 +64512 +\d+ +\d+ +1 +0 +0 +\d\d:\d\d:\d\d +1\r\n/);
            assert.match(summary, /\r\n10\.102\.33\.202 +4 +64512 +0 +0 +0 +0 +0 never +Active\r\n/);
        });
    });

    describe("exec channel", () => {
        it("runs one nscli line, prints its output and Done or ERROR:, exits 0", async () => {
            const sim = await h.start({ initialConfig: { enabledFeatures: ["BGP"] } });
            const { client } = await h.connect(sim);
            const feature = await exec(client, "show ns feature");
            assert.equal(feature.code, 0);
            assert.match(feature.stdout, /^\r\n {8}Feature/);
            assert.ok(feature.stdout.endsWith(" Done\r\n"));
            assert.deepEqual(await exec(client, "bogus"), { stdout: "ERROR: No such command\r\n", code: 0 });
            assert.deepEqual(await exec(client, "disable feature bgp; save config"), { stdout: " Done\r\n Done\r\n", code: 0 });
            assert.deepEqual(sim.saved().enabledFeatures.includes("BGP"), false);
        });
    });

    describe("faults", () => {
        it("refuses every login while refuseAuth is set", async () => {
            const sim = await h.start({ faults: { refuseAuth: true } });
            await assert.rejects(h.connect(sim, [passwordAuth()]), (e: Error & { level?: string }) => e.level === "client-authentication");
            sim.setFaults({});
            await h.connect(sim, [passwordAuth()]);
        });

        it("drops the connection when the N-th line arrives, without running it", async () => {
            const sim = await h.start({ banner: [], faults: { dropAfterLines: 4 }, initialConfig: { enabledFeatures: ["BGP"] } });
            const { client } = await h.connect(sim);
            const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
            client.on("error", () => undefined);
            const s = await ShellSession.open(client);
            s.send("vtysh\nconf t\nrouter bgp 500\nneighbor 10.0.0.1 remote-as 1\n");
            await closed;
            assert.ok(s.text().endsWith("router bgp 500\r\nns(config-router)#"), JSON.stringify(s.text()));
            assert.equal(sim.device.state().bgp?.neighbors.length, 0);
            assert.equal(sim.counters().linesReceived, 3);
        });

        it("drops the connection at the N-th line matching a rule, counting per connection", async () => {
            const sim = await h.start({ banner: [], faults: { dropOnLine: { match: "show running-config", occurrence: 2 } }, initialConfig: { enabledFeatures: ["BGP"] } });
            const { client } = await h.connect(sim);
            const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
            client.on("error", () => undefined);
            const s = await ShellSession.open(client);
            s.send("vtysh\nshow running-config\nconf t\nrouter bgp 500\nend\nshow running-config\n");
            await closed;
            assert.equal(sim.device.state().bgp?.asn, 500, "the lines before the cut ran");
            assert.ok(s.text().endsWith("end\r\nns#"), `the second show was not answered: ${JSON.stringify(s.text())}`);
            const again = await h.shell(sim);
            again.send("vtysh\nshow running-config\n");
            await again.waitFor((t) => /router bgp 500\r\n/.test(t));
        });

        it("hangs at a matching line: neither it nor any later line is answered, and the connection stays open", async () => {
            const sim = await h.start({ banner: [], faults: { hangOnLine: { match: /^neighbor 10\.0\.0\.2 / } }, initialConfig: { enabledFeatures: ["BGP"] } });
            const s = await h.shell(sim);
            s.send("vtysh\nconf t\nrouter bgp 1\nneighbor 10.0.0.1 remote-as 2\nneighbor 10.0.0.2 remote-as 2\nneighbor 10.0.0.3 remote-as 2\n");
            await s.waitFor((t) => t.includes("neighbor 10.0.0.1 remote-as 2\r\nns(config-router)#"));
            await new Promise((resolve) => setTimeout(resolve, 200));
            assert.ok(!s.text().includes("10.0.0.3"), JSON.stringify(s.text()));
            assert.deepEqual(sim.device.state().bgp?.neighbors.map((n) => n.address), ["10.0.0.1"]);
            assert.equal(sim.openConnections(), 1);
        });

        it("reboots: connections are cut and what was not saved is gone", async () => {
            const sim = await h.start({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500", " neighbor 10.0.0.1 remote-as 2"] } });
            await sim.device.configure(["router bgp 500", "neighbor 10.0.0.2 remote-as 2", "ns route-install bgp"]);
            await sim.device.cli("enable ns feature OSPF");
            const { client } = await h.connect(sim);
            const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
            client.on("error", () => undefined);
            await sim.reboot();
            await closed;
            assert.deepEqual(sim.device.state().bgp?.neighbors.map((n) => n.address), ["10.0.0.1"]);
            assert.deepEqual(sim.device.state().routeInstall, []);
            assert.ok(!sim.device.state().enabledFeatures.includes("OSPF"));
            assert.deepEqual(sim.device.running(), sim.saved());
        });

        it("answers matching lines with the given error instead of running them", async () => {
            const sim = await h.start({ banner: [], initialConfig: { enabledFeatures: ["BGP"] }, faults: { errorReplies: [{ match: /^neighbor 10\.0\.0\.2 /, reply: "% Peer limit reached" }, { match: "save", reply: "ERROR: Disk full" }] } });
            const s = await h.shell(sim);
            s.send("vtysh\nconf t\nrouter bgp 1\nneighbor 10.0.0.1 remote-as 2\nneighbor 10.0.0.2 remote-as 2\nend\nexit\nsave config\n");
            const screen = await s.waitFor((t) => t.endsWith("save config\r\nERROR: Disk full\r\n> "));
            assert.match(screen, /neighbor 10\.0\.0\.2 remote-as 2\r\n% Peer limit reached\r\nns\(config-router\)#/);
            assert.deepEqual(sim.device.state().bgp?.neighbors.map((n) => n.address), ["10.0.0.1"]);
        });

        it("refuses to enable BGP when not licensed", async () => {
            const sim = await h.start({ faults: { bgpNotLicensed: true } });
            const { client } = await h.connect(sim);
            assert.deepEqual(await exec(client, "enable ns feature BGP"), { stdout: "ERROR: Feature(s) not licensed\r\n", code: 0 });
            sim.setFaults({});
            assert.deepEqual(await exec(client, "enable ns feature BGP"), { stdout: " Done\r\n", code: 0 });
        });

        it("delays each answer by the configured latency", async () => {
            const sim = await h.start({ banner: [], replyLatencyMs: 60 });
            const s = await h.shell(sim);
            await s.waitForEnd("> ");
            const started = Date.now();
            s.send("vtysh\nexit\n");
            await s.waitForEnd(" Done\r\n> ");
            assert.ok(Date.now() - started >= 120, `two answers took ${Date.now() - started} ms`);
            sim.setReplyLatency(0);
        });
    });

    describe("network delay, session cap and input buffer", () => {
        it("delays bytes in each direction: pipelined lines share one round trip", async () => {
            const sim = await h.start({ banner: [], networkDelayMs: 40 });
            const s = await h.shell(sim);
            await s.waitForEnd("> ");
            sim.resetCounters();
            const started = Date.now();
            s.send("vtysh\nshow ip route\nexit\n");
            await s.waitForEnd(" Done\r\n> ");
            assert.ok(Date.now() - started >= 80, `a round trip took ${Date.now() - started} ms`);
            // The three lines arrived together: the shell waited for the client once.
            assert.equal(sim.counters().roundTrips, 1);
            assert.equal(sim.counters().linesReceived, 3);
        });

        it("refuses connections past the session cap before the SSH handshake, and counts them", async () => {
            const sim = await h.start({ banner: [], maxSessions: 1 });
            await h.shell(sim);
            await assert.rejects(h.connect(sim));
            assert.equal(sim.counters().sessionsRefused, 1);
            assert.equal(sim.counters().peakSessions, 1);
        });

        it("or lets them log in and says so, when configured to", async () => {
            const sim = await h.start({ banner: [], maxSessions: 1, sessionLimitAnswer: "error", sessionLimitError: "ERROR: Connection limit reached" });
            await h.shell(sim);
            const second = await h.shell(sim);
            assert.match(await second.waitForEnd("reached\r\n"), /^ERROR: Connection limit reached\r\n$/);
            assert.equal(sim.counters().sessionsRefused, 1);
        });

        it("drops typed input past its buffer until the shell has read the lines before it", async () => {
            const sim = await h.start({ banner: [], inputBufferBytes: 64, initialConfig: { enabledFeatures: ["BGP"] } });
            const s = await h.shell(sim);
            await s.waitForEnd("> ");
            const lines = ["vtysh", "configure terminal", "router bgp 500", ...Array.from({ length: 10 }, (_, i) => `neighbor 10.0.0.${i + 1} remote-as 1`)];
            s.send(lines.map((l) => `${l}\n`).join(""));
            await new Promise((r) => setTimeout(r, 300));
            assert.ok(sim.counters().inputBytesDropped > 0);
            assert.ok((sim.device.state().bgp?.neighbors.length ?? 0) < 10, "lines past the buffer were lost");
            // Within the buffer, every line is read (the first ends the line cut short).
            sim.resetCounters();
            s.send("\nend\n");
            await s.waitForEnd("ns#");
            assert.equal(sim.counters().inputBytesDropped, 0);
        });
    });

    describe("counters and transcript", () => {
        it("counts connections, lines and configuration lines, and can reset", async () => {
            const sim = await h.start({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } });
            const s = await h.shell(sim);
            s.send("vtysh\nconf t\nrouter bgp 500\nneighbor 10.0.0.1 remote-as 1\nnei 10.0.0.1 bogus\n\nshow running-config\nexit\nns route-install bgp\nend\nexit\n");
            await s.waitForEnd(" Done\r\n> ");
            const { client } = await h.connect(sim);
            await exec(client, "show route");
            assert.deepEqual(sim.counters(), {
                connectionsAccepted: 2,
                linesReceived: 12,
                configLinesReceived: 4,
                roundTrips: 1,
                inputBytesDropped: 0,
                sessionsRefused: 0,
                peakSessions: 2,
                bgpSessionsReset: 0,
            });
            const t = sim.transcript();
            assert.deepEqual(
                t.slice(0, 4).map((r) => [r.connection, r.channel, r.mode, r.line]),
                [
                    [1, "shell", "nscli", "vtysh"],
                    [1, "shell", "vtysh", "conf t"],
                    [1, "shell", "config", "router bgp 500"],
                    [1, "shell", "router", "neighbor 10.0.0.1 remote-as 1"],
                ],
            );
            assert.deepEqual(t.at(-1), { connection: 2, channel: "exec", mode: "nscli", line: "show route" });
            sim.resetCounters();
            // The peak starts again from the connections still open.
            assert.deepEqual(sim.counters(), { connectionsAccepted: 0, linesReceived: 0, configLinesReceived: 0, roundTrips: 0, inputBytesDropped: 0, sessionsRefused: 0, peakSessions: 2, bgpSessionsReset: 0 });
            assert.deepEqual(sim.transcript(), []);
        });
    });

    it("close() ends open sessions and can be called twice", async () => {
        const sim = await h.start({ banner: [] });
        const s = await h.shell(sim);
        await s.waitForEnd("> ");
        await sim.close();
        await s.waitForClose();
        await sim.close();
    });
});
