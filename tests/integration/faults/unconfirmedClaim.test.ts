/**
 * A batch cut off at its first neighbor line, with the device unreadable right after (the
 * reconnect refused): the state records every wanted neighbor as claimed, unconfirmed. Someone
 * then configures one of those addresses by hand. The next `up` must not take that neighbor for
 * the resource's (the batch writes its mark as every neighbor's description, so a neighbor with
 * another description is not what it left), and a `destroy` must leave it; a neighbor the cut
 * batch did leave (its remote-as alone) is still the resource's. Real SSH to the simulator.
 */
import { strict as assert } from "assert";
import { startSimulator, type Simulator } from "../../../simulator";
import { neighbors } from "../adc/providerCalls";
import { cutUp, linesOf, twoNeighbors } from "./cutBatch";
import { EngineLike } from "./engineLike";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

describe("faults: a claim the device could not confirm", function () {
    this.timeout(30_000);
    let sim: Simulator | undefined;
    afterEach(async () => {
        await sim?.close();
        sim = undefined;
    });

    /** An up of two neighbors cut at `line`, the device unreadable after it: its inputs. */
    async function cut(s: Simulator, engine: EngineLike, line: string) {
        const inputs = twoNeighbors(s);
        await cutUp(s, engine, inputs, line);
        const recorded = engine.state.get("neighbors")!.outs.unconfirmed as { address: string; remoteAsns: number[]; descriptions: string[] }[];
        assert.deepEqual(
            recorded.map((n) => [n.address, n.remoteAsns, n.descriptions.map((d) => d.replace(/^pca:[0-9a-f]{8} /, "pca:<token> "))]),
            [["10.100.0.1", [64512], ["pca:<token> worker-1"]], ["10.100.0.2", [64512], ["pca:<token> worker-2"]]],
            "the state records the claim as unconfirmed, with what the batch wrote",
        );
        return inputs;
    }

    it("a neighbor configured by hand at a claimed address since is refused, never rewritten, and left by destroy", async () => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } });
        const engine = new EngineLike();
        const inputs = await cut(sim, engine, "neighbor 10.100.0.1 remote-as");
        assert.doesNotMatch(sim.device.runningConfig(), /10\.100\.0\.1/, "nothing of 10.100.0.1 reached the device");

        await sim.device.configure(["router bgp 500", "neighbor 10.100.0.1 remote-as 65001", "neighbor 10.100.0.1 description admin-lab-router"]);
        const handMade = linesOf(sim, "10.100.0.1");

        const next = await engine.up("neighbors", neighbors, inputs);
        assert.match(String(next.error), /10\.100\.0\.1/, "the up names the neighbor it does not own");
        assert.deepEqual(linesOf(sim, "10.100.0.1"), handMade, "the hand-made neighbor, line for line");

        assert.equal((await engine.destroy("neighbors", neighbors)).error, undefined);
        assert.deepEqual(linesOf(sim, "10.100.0.1"), handMade, "left by destroy");
        assert.doesNotMatch(sim.device.runningConfig(), /10\.100\.0\.2/);
    });

    it("one configured by hand with its remote-as alone, another than the batch wrote, is neither rewritten nor removed", async () => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } });
        const engine = new EngineLike();
        const inputs = await cut(sim, engine, "neighbor 10.100.0.1 remote-as");
        await sim.device.configure(["router bgp 500", "neighbor 10.100.0.1 remote-as 65001"]);
        const handMade = linesOf(sim, "10.100.0.1");
        assert.match(String((await engine.up("neighbors", neighbors, inputs)).error), /10\.100\.0\.1/);
        assert.deepEqual(linesOf(sim, "10.100.0.1"), handMade, "up left it");
        assert.equal((await engine.destroy("neighbors", neighbors)).error, undefined);
        assert.deepEqual(linesOf(sim, "10.100.0.1"), handMade, "destroy left it");
    });

    it("without marks (an id from before tokens), a refresh in between does not make the hand-made neighbor the resource's", async () => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } });
        const engine = new EngineLike();
        const inputs = await cut(sim, engine, "neighbor 10.100.0.1 remote-as");
        const stored = engine.state.get("neighbors")!;
        engine.state.set("neighbors", { ...stored, id: stored.id.replace(/\/[0-9a-f]{8}$/, "") });
        await sim.device.configure(["router bgp 500", "neighbor 10.100.0.1 remote-as 65001", "neighbor 10.100.0.1 description admin-lab-router"]);
        const handMade = linesOf(sim, "10.100.0.1");
        // A refresh writes what the device shows into the stored inputs; the claim keeps what the batch wrote.
        await engine.refresh("neighbors", neighbors);
        const next = await engine.up("neighbors", neighbors, inputs);
        assert.deepEqual(linesOf(sim, "10.100.0.1"), handMade, `up left it (${String(next.error)})`);
        await engine.destroy("neighbors", neighbors);
        assert.deepEqual(linesOf(sim, "10.100.0.1"), handMade, "destroy left it");
    });

    it("a neighbor the cut batch left (its remote-as, not its mark) is the resource's: the next up completes it", async () => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } });
        const engine = new EngineLike();
        const inputs = await cut(sim, engine, "neighbor 10.100.0.1 description");
        assert.match(sim.device.runningConfig(), /neighbor 10\.100\.0\.1 remote-as 64512/, "the cut left the first line");

        assert.equal((await engine.up("neighbors", neighbors, inputs)).error, undefined);
        const outs = engine.state.get("neighbors")!.outs;
        assert.deepEqual([outs.owned, outs.unconfirmed], [["10.100.0.1", "10.100.0.2"], undefined]);
        assert.match(sim.device.runningConfig(), /neighbor 10\.100\.0\.1 description pca:[0-9a-f]{8} worker-1/);
    });
});
