/**
 * `pulumi-calico-adc-status` in-process over SSH against the simulator, with IPv4 and IPv6
 * neighbors: each family's sessions from its own summary, in the exchange that reads the routes;
 * a device that refuses the IPv6 summary gets the IPv4 report and one line naming the command.
 */
import { strict as assert } from "node:assert";
import { withAdcSession } from "../../../provider/device";
import { runStatus } from "../../../provider/health/statusCli";
import { startSimulator, type Simulator } from "../../../simulator";
import type { SimulatorOptions } from "../../../simulator/options";

const ZEBOS = [
    "ns route-install bgp",
    "router bgp 500",
    " neighbor 10.33.6.1 remote-as 64512",
    " neighbor fd00:6::1 remote-as 64512",
    " neighbor fd00:10:96:6::22 remote-as 64512",
    " !",
    " address-family ipv6",
    " neighbor fd00:6::1 activate",
    " neighbor fd00:10:96:6::22 activate",
    " exit-address-family",
];

describe("status command over SSH: IPv4 and IPv6 sessions", function () {
    this.timeout(60_000);
    let sim: Simulator;
    afterEach(async () => sim?.close());

    const start = async (extra: Partial<SimulatorOptions> = {}) => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: ZEBOS }, ...extra });
        sim.setSession("10.33.6.1", { state: "Established", routes: ["10.244.1.0/26"] });
        sim.setSession("fd00:6::1", { state: "Established", routes: ["fd00:10:244:1::/122", "fd00:10:244:2::/122"] });
        sim.setSession("fd00:10:96:6::22", { state: "Active" });
    };
    const status = async (...args: string[]) => {
        let stdout = "";
        let stderr = "";
        const code = await runStatus(["--host", sim.host, "--port", String(sim.port), "--fingerprint", sim.hostKeyFingerprint, ...args], {
            env: { ADC_PASSWORD: "nsroot" },
            stdout: (t) => (stdout += t),
            stderr: (t) => (stderr += t),
            promptPassword: async () => undefined,
            readFile: () => "",
            withSession: withAdcSession,
        });
        return { code, stdout, stderr };
    };
    /** Round trips of a session that runs one show: the least a report can cost. */
    const oneShowRoundTrips = async () => {
        sim.resetCounters();
        await withAdcSession({ host: sim.host, port: sim.port, username: "nsroot", password: "nsroot", hostKeyFingerprint: sim.hostKeyFingerprint, insecureIgnoreHostKey: false, connectTimeoutMs: 15_000, commandTimeoutMs: 30_000, connectRetries: 0 }, (s) => s.vtyshShows(["show ip bgp summary"]), { log: () => undefined });
        return sim.counters().roundTrips;
    };

    it("shows each family's peers in its own table with its own prefix counts, in the round trips of a single show", async () => {
        await start();
        const least = await oneShowRoundTrips();
        sim.resetCounters();
        const r = await status();
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.equal(sim.counters().roundTrips, least, "routes and both summaries travel in one exchange");
        const shows = sim.transcript().map((l) => l.line).filter((l) => /^show (?:route|.*summary)$/.test(l));
        assert.deepEqual(shows.sort(), ["show bgp ipv6 summary", "show ip bgp summary", "show route"], "each read once");
        const [v4, v6] = r.stdout.split("\nIPv6 BGP status\n") as [string, string];
        assert.match(v4, /\nIPv4 BGP status\n\+-+/);
        assert.match(v4, /\| 10\.33\.6\.1 +\| 64512 +\| eBGP +\| up +\| \S+ +\| Established \| 1 +\|/);
        assert.doesNotMatch(v4, /fd00/, "IPv6 neighbors stay out of the IPv4 table");
        assert.match(v6, /^\+-+/);
        assert.match(v6, /\| fd00:6::1 +\| 64512 +\| eBGP +\| up +\| \S+ +\| Established \| 2 +\|/);
        assert.match(v6, /\| fd00:10:96:6::22 \| 64512 +\| eBGP +\| start +\| \S+ +\| Active +\| +\|/);
        assert.match(r.stdout, /1 session\(s\) not Established:\n {2}fd00:10:96:6::22: Active\n {4}no BGP session over TCP port 179 with fd00:10:96:6::22/);
    });

    it("waits for an IPv6 session with --wait and exits 0 once both families are up", async () => {
        await start();
        sim.setSession("fd00:10:96:6::22", { state: "Established" });
        const r = await status("--wait", "10", "--expect", "10.33.6.1,fd00:6::1,fd00:10:96:6::22", "--node-asn", "64512");
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.doesNotMatch(r.stdout, /not Established/);
    });

    it("on a device that refuses the IPv6 summary, reports IPv4 whole and says once which command failed and what to do", async () => {
        await start({ ipv6SummaryCommand: "show ip bgp ipv6 unicast summary" });
        const healthy = await status("--wait", "5", "--expect", "10.33.6.1");
        assert.equal(healthy.code, 0, "IPv4 neighbors alone expected: healthy; " + healthy.stdout + healthy.stderr);
        assert.match(healthy.stdout, /\| 10\.33\.6\.1 +\| 64512 +\| eBGP +\| up +\|/);
        assert.match(healthy.stdout, /\nIPv6 BGP status\nIPv6 sessions unknown: the ADC answered `show bgp ipv6 summary` with "%[^"]+": the ADC's vtysh does not list IPv6 sessions with this command, so their state cannot be read here; check the IPv6 neighbors on the ADC by hand\.\n/);
        assert.equal(healthy.stdout.match(/IPv6 sessions unknown/g)?.length, 1);

        sim.resetCounters();
        const withV6 = await status("--wait", "20", "--expect", "10.33.6.1,fd00:6::1");
        const reads = sim.transcript().filter((l) => l.line === "show ip bgp summary").length;
        assert.equal(reads, 3, "the first read, one wait read that finds the IPv4 neighbor up (no wait on a session it cannot read), and the report's read of the routes that follow it");
        assert.equal(withV6.code, 1, "an IPv6 neighbor it cannot read is not reported healthy");
        assert.equal(withV6.stderr, "");
        assert.match(withV6.stdout, /1 session\(s\) not Established:\n {2}fd00:6::1: unknown\n {4}the ADC refused `show bgp ipv6 summary`/);
        assert.doesNotMatch(withV6.stdout, /not configured/);
    });
});
