/**
 * The unconfirmed claim's record across state it did not write in this shape (addresses alone,
 * malformed entries) and across two batches cut in a row, each with the device unreadable after
 * it: a hand-made neighbor stays guarded, and the resource's own neighbor converges and goes on
 * destroy. Real SSH to the simulator.
 */
import { strict as assert } from "assert";
import { startSimulator, type Simulator } from "../../../simulator";
import { neighbors } from "../adc/providerCalls";
import { cutUp, linesOf, twoNeighbors } from "./cutBatch";
import { EngineLike } from "./engineLike";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

describe("faults: the unconfirmed claim's record", function () {
    this.timeout(60_000);
    let sim: Simulator | undefined;
    afterEach(async () => {
        await sim?.close();
        sim = undefined;
    });
    const inputsOf = twoNeighbors;

    it("a record of addresses alone still guards a hand-made neighbor", async () => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } });
        const engine = new EngineLike();
        const inputs = inputsOf(sim);
        await cutUp(sim, engine, inputs, "neighbor 10.100.0.1 remote-as");
        // The record without what the batch wrote.
        const stored = engine.state.get("neighbors")!;
        engine.state.set("neighbors", { ...stored, outs: { ...stored.outs, unconfirmed: (stored.outs.unconfirmed as any[]).map((n) => n.address) } });
        await sim.device.configure(["router bgp 500", "neighbor 10.100.0.1 remote-as 65001", "neighbor 10.100.0.1 description admin-lab-router"]);
        const handMade = linesOf(sim, "10.100.0.1");
        const next = await engine.up("neighbors", neighbors, inputs);
        assert.deepEqual(linesOf(sim, "10.100.0.1"), handMade, `up left the hand-made neighbor (error: ${String(next.error)})`);
        await engine.destroy("neighbors", neighbors);
        assert.deepEqual(linesOf(sim, "10.100.0.1"), handMade, "destroy left it");
    });

    it("a record of one batch's write as single values (remoteAsn, description) is read as that write: up converges, destroy removes", async () => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } });
        const engine = new EngineLike();
        await cutUp(sim, engine, inputsOf(sim), "neighbor 10.100.0.1 description");
        assert.deepEqual(linesOf(sim, "10.100.0.1").map((l) => l.trim()), ["neighbor 10.100.0.1 remote-as 64512"]);
        const stored = engine.state.get("neighbors")!;
        const lists = stored.outs.unconfirmed as { address: string; remoteAsns: number[]; descriptions: (string | null)[] }[];
        const single = lists.map((n) => ({ address: n.address, remoteAsn: n.remoteAsns[0], description: n.descriptions[0] }));
        engine.state.set("neighbors", { ...stored, outs: { ...stored.outs, unconfirmed: single } });
        assert.equal((await engine.up("neighbors", neighbors, inputsOf(sim))).error, undefined);
        assert.equal((await engine.destroy("neighbors", neighbors)).error, undefined);
        assert.deepEqual(linesOf(sim, "10.100.0.1"), []);
    });

    it("a malformed entry (null) is passed over: up and destroy run", async () => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } });
        const engine = new EngineLike();
        const inputs = inputsOf(sim);
        await cutUp(sim, engine, inputs, "neighbor 10.100.0.1 remote-as");
        const stored = engine.state.get("neighbors")!;
        engine.state.set("neighbors", { ...stored, outs: { ...stored.outs, unconfirmed: [null, ...(stored.outs.unconfirmed as any[])] } });
        const next = await engine.up("neighbors", neighbors, inputs);
        assert.doesNotMatch(String(next.error), /TypeError|Cannot read propert/, String(next.error?.stack ?? next.error));
        const d = await engine.destroy("neighbors", neighbors);
        assert.doesNotMatch(String(d.error), /TypeError|Cannot read propert/, String(d.error?.stack ?? d.error));
    });

    it("two cut ups in a row, the second changing the remote-as: the neighbor the first left stays the resource's", async () => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } });
        const engine = new EngineLike();
        // First up: cut after 10.100.0.1's remote-as line (before its description).
        await cutUp(sim, engine, inputsOf(sim), "neighbor 10.100.0.1 description");
        assert.deepEqual(linesOf(sim, "10.100.0.1").map((l) => l.trim()), ["neighbor 10.100.0.1 remote-as 64512"]);
        // Second up, with another remote-as: cut at its first line for 10.100.0.1.
        const changed = inputsOf(sim, 64513);
        await cutUp(sim, engine, changed, "neighbor 10.100.0.1 remote-as");
        assert.deepEqual(linesOf(sim, "10.100.0.1").map((l) => l.trim()), ["neighbor 10.100.0.1 remote-as 64512"], "nothing else reached the device");
        // Nobody else touched the device: the resource's own neighbor must converge.
        const next = await engine.up("neighbors", neighbors, changed);
        assert.equal(next.error, undefined, String(next.error));
        assert.match(sim.device.runningConfig(), /neighbor 10\.100\.0\.1 remote-as 64513/);
    });

    it("two cut ups in a row, the second changing the remote-as: destroy removes the resource's own neighbor", async () => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } });
        const engine = new EngineLike();
        await cutUp(sim, engine, inputsOf(sim), "neighbor 10.100.0.1 description");
        await cutUp(sim, engine, inputsOf(sim, 64513), "neighbor 10.100.0.1 remote-as");
        const d = await engine.destroy("neighbors", neighbors);
        assert.equal(d.error, undefined, String(d.error));
        assert.deepEqual(linesOf(sim, "10.100.0.1"), [], "the resource's own neighbor is gone after destroy");
    });
});
