/**
 * The same promise through the real Pulumi engine: with `PULUMI_CALICO_ADC_TRACE=1` in the
 * providers' environment, `pulumi up`, `refresh`, an update that changes the BGP password, and
 * `destroy` print no secret, and neither the stack's outputs nor `pulumi stack export` (the CLI
 * as a user runs it) hold one in plain text: not the SSH password, not this stack's BGP
 * passwords, not the password of another stack's neighbor on the same router.
 */
import { strict as assert } from "assert";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { AdcBgpNeighbors, AdcBgpRouter } from "../../../provider";
import { startSimulator, type Simulator } from "../../../simulator";
import { createEngineStack, engineInstallation, type EngineStack } from "../../../sandbox/pulumiEngine";

const execFileAsync = promisify(execFile);
const SSH_PASSWORD = "Engine-Ssh-Pw-4d7R";
const STACK_BGP = "Engine-Bgp-Pw-1s8E";
const STACK_BGP_NEW = "Engine-Bgp-New-3v6T";
const FOREIGN_BGP = "Engine-Foreign-Pw-9k2W";
const SECRETS = [SSH_PASSWORD, STACK_BGP, STACK_BGP_NEW, FOREIGN_BGP];

function assertNoSecret(where: string, text: string): void {
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${where} shows ${JSON.stringify(secret)}`);
}

describe("secrets through the Pulumi engine, with the trace on", function () {
    this.timeout(300_000);
    let sim: Simulator;
    let engine: EngineStack;
    let bgpPassword = STACK_BGP;
    const printed: string[] = [];
    const events: EngineEvent[] = [];
    const onOutput = (t: string) => printed.push(t);
    const onEvent = (e: EngineEvent) => events.push(e);

    before(async () => {
        await engineInstallation();
        sim = await startSimulator({
            banner: [],
            users: [{ username: "nsroot", password: SSH_PASSWORD }],
            initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500", " neighbor 10.9.9.9 remote-as 65000", ` neighbor 10.9.9.9 password ${FOREIGN_BGP}`] },
        });
        const host = sim.host;
        const port = sim.port;
        const fingerprint = sim.hostKeyFingerprint;
        engine = await createEngineStack({
            projectName: "secrets",
            env: { PULUMI_CALICO_ADC_TRACE: "1" },
            program: async () => {
                const connection = { host, port, password: pulumi.secret(SSH_PASSWORD), hostKeyFingerprint: fingerprint, connectRetries: 0 };
                const router = new AdcBgpRouter("router", { connection, localAsn: 500, adoptExisting: true });
                const neighbors = new AdcBgpNeighbors(
                    "neighbors",
                    { connection, localAsn: 500, neighbors: [{ address: "10.102.33.198", remoteAsn: 64512, password: pulumi.secret(bgpPassword) }, { address: "10.102.33.202", remoteAsn: 64512 }] },
                    { dependsOn: [router] },
                );
                return { routerNeighbors: router.configuredNeighbors, neighbors: neighbors.configuredNeighbors, sessions: neighbors.sessions };
            },
        });
    });
    after(async () => {
        await engine?.cleanup();
        await sim?.close();
    });

    it("up, refresh, a password change and the outputs print and hold no secret", async () => {
        const up = await engine.stack.up({ onOutput, onEvent });
        assert.match(sim.device.runningConfig(), /neighbor 10\.102\.33\.198 password/);
        await engine.stack.refresh({ onOutput, onEvent });
        bgpPassword = STACK_BGP_NEW;
        const changed = await engine.stack.up({ onOutput, onEvent });
        assert.match(sim.device.runningConfig(), new RegExp(`neighbor 10\\.102\\.33\\.198 password ${STACK_BGP_NEW}`), "the new password reached the device");
        const text = printed.join("");
        assert.match(text, /show running-config/, "the trace is on");
        assert.match(text, /neighbor 10\.9\.9\.9 password <redacted>/, "the trace shows the running config, redacted");
        assertNoSecret("pulumi up / refresh output", text);
        // Debug diagnostics are left out: the Node.js SDK itself logs each RegisterResource
        // response there, secret values included (inside their secret envelope); a user sees them
        // only with `--debug` or `-v`, and they do not come from this package.
        const shown = events.filter((e) => (e.diagnosticEvent?.severity as string | undefined) !== "debug");
        assertNoSecret("engine events", JSON.stringify(shown));
        for (const result of [up, changed]) assertNoSecret("stack outputs", JSON.stringify(result.outputs));
    });

    it("pulumi stack export holds no secret in plain text", async () => {
        const { root } = await engineInstallation();
        const { stdout } = await execFileAsync(path.join(root, "bin", "pulumi"), ["stack", "export", "--stack", "dev"], {
            cwd: engine.stack.workspace.workDir,
            env: { ...process.env, ...engine.env },
            maxBuffer: 64 * 1024 * 1024,
        });
        assert.match(stdout, /AdcBgpNeighbors/);
        assertNoSecret("pulumi stack export", stdout);
    });

    it("destroy prints no secret and leaves the other stack's neighbor", async () => {
        printed.length = 0;
        await engine.stack.destroy({ onOutput });
        assertNoSecret("pulumi destroy output", printed.join(""));
        assert.match(sim.device.runningConfig(), /neighbor 10\.9\.9\.9 remote-as 65000/);
        assert.doesNotMatch(sim.device.runningConfig(), /10\.102\.33\.198/);
    });
});
