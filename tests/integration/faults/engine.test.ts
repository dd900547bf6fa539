/**
 * F1 and F2 through the real Pulumi engine (Automation API, file backend) against the simulator:
 * the engine really stores a partial failure's state, refresh reports a pending save, the next
 * `up` saves, and after sessions time out the next `up` checks them again.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import type { OpMap } from "@pulumi/pulumi/automation";
import { AdcBgpNeighbors, AdcBgpRouter } from "../../../provider";
import { startSimulator, type Simulator } from "../../../simulator";
import { createEngineStack, type EngineStack } from "../../../sandbox/pulumiEngine";

const ADC_PASSWORD = "adc-engine-Fault-Pw-3";
const FOREIGN = " neighbor 10.9.9.9 remote-as 65000";

function changes(summary: OpMap | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(summary ?? {}).filter(([op, n]) => op !== "same" && (n ?? 0) > 0)) as Record<string, number>;
}

describe("faults through the Pulumi engine: partial state stored, pending save, sessions checked again", function () {
    this.timeout(240_000);
    let sim: Simulator;
    let engine: EngineStack;
    /** What the program declares; each step changes it as a user edits the program. */
    let program: { neighbors: string[] | null; wait: number } = { neighbors: null, wait: 0 };

    const neighborsOutputs = async () => {
        const state = await engine.stack.exportStack();
        const r = (state.deployment.resources as Record<string, any>[]).find((x) => String(x.type).endsWith("AdcBgpNeighbors"));
        return r && { outputs: r.outputs as Record<string, any>, initErrors: (r.initErrors ?? []) as string[] };
    };
    const ours = () => (sim.device.state().bgp?.neighbors ?? []).filter((n) => n.address.startsWith("10.102.")).map((n) => n.address);

    before(async () => {
        sim = await startSimulator({
            banner: [],
            users: [{ username: "nsroot", password: ADC_PASSWORD }],
            initialConfig: { zebos: ["router bgp 500", FOREIGN] },
        });
        engine = await createEngineStack({
            projectName: "faults",
            program: async () => {
                const connection = { host: sim.host, port: sim.port, password: pulumi.secret(ADC_PASSWORD), hostKeyFingerprint: sim.hostKeyFingerprint, connectRetries: 0 };
                const router = new AdcBgpRouter("router", { connection, localAsn: 500, adoptExisting: true });
                if (program.neighbors) {
                    new AdcBgpNeighbors(
                        "nodes",
                        { connection, localAsn: 500, neighbors: program.neighbors.map((address) => ({ address, remoteAsn: 64512 })), waitForEstablishedSeconds: program.wait },
                        { dependsOn: router },
                    );
                }
                return {};
            },
            env: { PULUMI_CALICO_ADC_QUIET: "1" },
        });
        program = { neighbors: null, wait: 0 };
        await engine.stack.up();
    });
    after(async () => {
        await engine?.cleanup();
        await sim?.close();
    });

    it("F1: a save cut off at `write` is stored as savePending, refresh reports it, and the next up saves", async () => {
        program = { neighbors: ["10.102.33.198", "10.102.33.202"], wait: 0 };
        sim.setFaults({ dropOnLine: { match: /^write/ } });
        await assert.rejects(engine.stack.up(), /savePending/);
        sim.setFaults({});
        assert.deepEqual(ours(), ["10.102.33.198", "10.102.33.202"], "applied");
        assert.doesNotMatch(sim.saved().zebos, /10\.102\.33\.198/, "not saved");

        const stored = await neighborsOutputs();
        assert.ok(stored, "the engine stored the resource the failed create left on the device");
        assert.equal(stored.outputs.savePending, true);
        assert.deepEqual(stored.outputs.owned, ["10.102.33.198", "10.102.33.202"]);
        assert.equal(stored.initErrors.length, 1);

        const refresh = await engine.stack.previewRefresh();
        assert.equal(changes(refresh.changeSummary).update, 1, `refresh reports the pending save: ${JSON.stringify(refresh.changeSummary)}`);

        sim.resetCounters();
        const up = await engine.stack.up();
        assert.deepEqual(changes(up.summary.resourceChanges), { update: 1 });
        assert.equal(sim.counters().configLinesReceived, 0, "nothing to send, only the save");
        assert.match(sim.saved().zebos, /neighbor 10\.102\.33\.202 remote-as 64512/);
        assert.equal((await neighborsOutputs())!.outputs.savePending, false);
        assert.deepEqual(changes((await engine.stack.preview()).changeSummary), {}, "converged");
    });

    it("F2: sessions not Established in time store the neighbor that was added, and the next up checks again", async () => {
        program = { neighbors: ["10.102.33.198", "10.102.33.202", "10.102.33.203"], wait: 1 };
        await assert.rejects(engine.stack.up(), /not Established/);
        assert.deepEqual(ours(), ["10.102.33.198", "10.102.33.202", "10.102.33.203"]);
        const stored = await neighborsOutputs();
        assert.deepEqual(stored!.outputs.owned, ["10.102.33.198", "10.102.33.202", "10.102.33.203"], "the added neighbor is recorded");
        assert.equal(stored!.outputs.savePending, false, "saved before the wait");

        for (const a of program.neighbors!) sim.setSession(a, { state: "Established" });
        sim.resetCounters();
        const up = await engine.stack.up();
        assert.deepEqual(changes(up.summary.resourceChanges), { update: 1 }, "the engine runs the resource again");
        assert.equal(sim.counters().configLinesReceived, 0);
        assert.deepEqual(
            (await neighborsOutputs())!.outputs.sessions.map((s: { state: string }) => s.state),
            ["Established", "Established", "Established"],
        );
    });

    it("destroy removes what the stack added and saves, beside the foreign neighbor", async () => {
        await engine.stack.destroy();
        assert.deepEqual(ours(), []);
        assert.match(sim.device.runningConfig(), /neighbor 10\.9\.9\.9 remote-as 65000/);
        assert.deepEqual(sim.device.running(), sim.saved());
    });
});
