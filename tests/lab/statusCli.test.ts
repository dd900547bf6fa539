/**
 * `pulumi-calico-adc-status` as a user runs it (the compiled bin, a child process, password in
 * the environment) against the simulator whose routing is the lab's FRR, with real sessions.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { run, waitFor } from "./support/exec";
import { recordFigure } from "./support/figures";
import { Lab } from "./support/lab";
import { LAB_PASSWORD, startLabSimulator, type LabSimulator } from "./support/labSimulator";
import { assertLabPrerequisites } from "./support/prerequisites";

const STATUS_JS = path.resolve(__dirname, "../../provider/health/statusCli.js");

describe("lab: pulumi-calico-adc-status against real sessions", function () {
    this.timeout(60_000);
    let lab: Lab;
    let adc: LabSimulator;

    const status = (...args: string[]) =>
        run(process.execPath, [STATUS_JS, "--host", adc.sim.host, "--port", String(adc.sim.port), "--fingerprint", adc.sim.hostKeyFingerprint, ...args], {
            allowFailure: true,
            timeoutMs: 45_000,
        });

    before(async function () {
        this.timeout(60_000);
        assertLabPrerequisites();
        lab = await Lab.start({ nodes: 3 });
        adc = await startLabSimulator(lab);
        process.env["ADC_PASSWORD"] = LAB_PASSWORD;
    });

    after(async function () {
        this.timeout(60_000);
        delete process.env["ADC_PASSWORD"];
        await adc?.close();
        await lab?.stop();
    });

    it("waits for the sessions with --wait, then prints them and the installed routes, exit status 0", async () => {
        await adc.sim.device.cli("enable ns feature BGP");
        await adc.sim.device.configure(["ns route-install bgp", "router bgp 500", ...lab.nodes.map((n) => `neighbor ${n.address} remote-as 64512`)]);
        const started = Date.now();
        const r = await status("--wait", "30", "--expect", lab.nodes.map((n) => n.address).join(","), "--node-asn", "64512");
        recordFigure("status CLI: --wait from configuration to a healthy report (ms)", Date.now() - started);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /^ADC 127\.0\.0\.1: router bgp 500, router id 203\.0\.113\.1\n\nIPv4 BGP status\n/);
        for (const n of lab.nodes) {
            assert.match(r.stdout, new RegExp(`\\| ${n.address.replace(/\./g, "\\.")} +\\| 64512 +\\| eBGP +\\| up +\\| \\d\\d:\\d\\d:\\d\\d \\| Established \\| ${n.blocks.length} +\\|`));
            for (const b of n.blocks) assert.match(r.stdout, new RegExp(`\\| ${b.split("/")[0]!.replace(/\./g, "\\.")} +\\| 255\\.255\\.255\\.192 \\| ${n.address.replace(/\./g, "\\.")} \\| UP +\\|`));
        }
        assert.doesNotMatch(r.stdout, /not Established/);
    });

    it("exits 1 and says what to check when a node's session is down or its neighbor is missing", async () => {
        const [n1, n2] = lab.nodes;
        await adc.sim.device.configure(["router bgp 500", `neighbor ${n2!.address} remote-as 64999`]);
        await waitFor("the node to refuse the ADC", async () => (/Bad peer AS/.test((await n2!.status())[0]?.info ?? "") ? true : undefined), { timeoutMs: 20_000 });
        await adc.sim.device.configure(["router bgp 500", `no neighbor ${n1!.address}`]);
        const r = await status("--expect", lab.nodes.map((n) => n.address).join(","), "--node-asn", "64512");
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /2 session\(s\) not Established:/);
        assert.match(r.stdout, new RegExp(`${n1!.address.replace(/\./g, "\\.")}: not configured\\n +the ADC has no neighbor`));
        assert.match(r.stdout, new RegExp(`${n2!.address.replace(/\./g, "\\.")}: \\w+\\n +the ADC has \`neighbor ${n2!.address.replace(/\./g, "\\.")} remote-as 64999\` but the node runs AS 64512: set remote-as 64512`));
    });

    it("exits 2 with the fix when it cannot ask the ADC, and never takes a password flag", async () => {
        const wrongKey = await run(process.execPath, [STATUS_JS, "--host", adc.sim.host, "--port", String(adc.sim.port), "--fingerprint", `SHA256:${"A".repeat(43)}`], {
            allowFailure: true,
        });
        assert.equal(wrongKey.code, 2);
        assert.match(wrongKey.stderr, /host key mismatch/);
        assert.ok(!wrongKey.stderr.includes(LAB_PASSWORD));
        const flag = await run(process.execPath, [STATUS_JS, "--host", adc.sim.host, "--password", "x"], { allowFailure: true });
        assert.equal(flag.code, 2);
        assert.match(flag.stderr, /no --password flag/);
    });
});
