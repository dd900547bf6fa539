/**
 * `pulumi import` and the `import` resource option, through the real engine. Pulumi's dynamic
 * providers cannot import: the program-side option is refused with a message pointing to
 * adoptExisting before anything connects; the CLI command fails inside Pulumi's own provider host
 * (where no code of this package runs) and changes neither the state nor the device.
 */
import { strict as assert } from "assert";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { AdcBgpNeighbors } from "../../provider";
import { createEngineStack, engineInstallation, type EngineStack } from "../../sandbox/pulumiEngine";
import { startSimulator, type Simulator } from "../../simulator";

const execFileAsync = promisify(execFile);
const PASSWORD = "import-Adc-pw-3c";

describe("importing existing ADC configuration", function () {
    this.timeout(240_000);
    let sim: Simulator;
    let engine: EngineStack | undefined;

    before(async () => {
        sim = await startSimulator({
            banner: [],
            users: [{ username: "nsroot", password: PASSWORD }],
            initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500", " neighbor 10.102.33.198 remote-as 64512"] },
        });
    });
    afterEach(async () => {
        await engine?.cleanup();
        engine = undefined;
    });
    after(async () => sim?.close());

    function neighbors(opts: { import?: string }) {
        return () => {
            const n = new AdcBgpNeighbors(
                "nodes",
                {
                    connection: { host: sim.host, port: sim.port, password: PASSWORD, hostKeyFingerprint: sim.hostKeyFingerprint },
                    localAsn: 500,
                    neighbors: [{ address: "10.102.33.198", remoteAsn: 64512 }],
                },
                opts,
            );
            return Promise.resolve({ owned: n.owned });
        };
    }

    it("the import resource option is refused, pointing to adoptExisting, before anything connects", async () => {
        engine = await createEngineStack({ program: neighbors({ import: "10.102.33.198" }), env: { PULUMI_CALICO_ADC_QUIET: "1" } });
        const connections = sim.counters().connectionsAccepted;
        await assert.rejects(engine.stack.preview(), (e: Error) => {
            assert.match(e.message, /AdcBgpNeighbors "nodes": the "import" resource option \(and `pulumi import`\) cannot work for this resource/);
            assert.match(e.message, /set adoptExisting: true/);
            assert.ok(!e.message.includes(PASSWORD));
            return true;
        });
        assert.equal(sim.counters().connectionsAccepted, connections);
    });

    it("pulumi import fails in Pulumi's provider host and changes neither the state nor the device", async () => {
        engine = await createEngineStack({ program: neighbors({}), env: { PULUMI_CALICO_ADC_QUIET: "1" } });
        const before = sim.device.runningConfig();
        const pulumi = path.join((await engineInstallation()).root, "bin", "pulumi");
        const args = ["import", "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpNeighbors", "nodes", "10.102.33.198", "--yes", "--non-interactive", "--stack", "dev"];
        const failure = await execFileAsync(pulumi, args, { cwd: engine.stack.workspace.workDir, env: { ...process.env, ...engine.env }, timeout: 120_000 }).then(
            () => assert.fail("pulumi import succeeded"),
            (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ""}${e.stderr ?? ""}`,
        );
        // What the README tells users they will see: Pulumi's own error, from its dynamic-provider host.
        assert.match(failure, /Cannot read properties of undefined \(reading 'toJavaScript'\)/);
        const resources = ((await engine.stack.exportStack()).deployment?.resources ?? []) as { type: string }[];
        assert.deepEqual(resources.filter((r) => r.type.includes("AdcBgpNeighbors")), []);
        assert.equal(sim.device.runningConfig(), before);
    });
});
