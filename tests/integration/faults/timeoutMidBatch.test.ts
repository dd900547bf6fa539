/**
 * A timeout in the middle of a window: the lines already written (up to a window's worth,
 * NETSCALER.inputBufferBytes) are still in the device's input, and it goes on applying them
 * while the timed-out session stays open. The failure path closes that session before it reads
 * the device again (observeAfterFailure), so the read it records shows all the batch did: here a
 * neighbor's remote-as would otherwise land after the read, without its mark, and the next up
 * would refuse the stack's own neighbor as foreign while destroy left it on the device.
 */
import { strict as assert } from "assert";
import { connection, neighbors, router } from "../adc/providerCalls";
import { EngineLike } from "./engineLike";
import { startSimulator, type Simulator } from "../../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const FEW = [{ address: "10.102.33.198", remoteAsn: 64512 }];
const MANY = Array.from({ length: 20 }, (_, i) => ({ address: `10.102.34.${i + 1}`, remoteAsn: 64512 }));

describe("a timeout in the middle of a batch: what the state records", function () {
    this.timeout(60_000);
    let sim: Simulator | undefined;
    afterEach(async () => {
        await sim?.close();
        sim = undefined;
    });

    /** A stack with one neighbor, then an update adding 20 that times out at `router bgp 500` of its batch. */
    async function timedOutUpdate(): Promise<{ s: Simulator; engine: EngineLike; unrecorded: string[] }> {
        const s = (sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] } }));
        const engine = new EngineLike();
        const conn = connection(s, { commandTimeoutMs: 700 });
        assert.equal((await engine.up("router", router, { connection: conn, localAsn: 500 })).error, undefined);
        const first = await engine.up("neighbors", neighbors, { connection: conn, localAsn: 500, neighbors: FEW });
        assert.equal(first.error, undefined, String(first.error));
        // The device takes 200 ms a line, and 1.5 s for `router bgp 500` of the update's batch: the
        // client times out there (700 ms), with the rest of the batch already written.
        s.resetCounters();
        s.setReplyLatency(200);
        let slowed = false;
        const poll = setInterval(() => {
            if (!slowed && s.transcript().some((l) => l.line === "configure terminal")) {
                slowed = true;
                s.setReplyLatency(1500);
                setTimeout(() => s.setReplyLatency(200), 300);
            }
        }, 2);
        const failed = await engine.up("neighbors", neighbors, { connection: conn, localAsn: 500, neighbors: [...FEW, ...MANY] });
        clearInterval(poll);
        s.setReplyLatency(0);
        assert.ok(slowed, "the batch reached the device");
        assert.ok(failed.partial, `the update times out, a partial failure: ${String(failed.error)}`);
        assert.match(String(failed.error), /no prompt within 700 ms/);
        const recorded = new Set<string>(engine.state.get("neighbors")!.outs.owned);
        const unrecorded = (s.device.state().bgp?.neighbors ?? []).map((n) => n.address).filter((a) => !recorded.has(a));
        return { s, engine, unrecorded };
    }

    it("the next up takes back every neighbor the timed-out batch put on the device", async () => {
        const { s, engine, unrecorded } = await timedOutUpdate();
        const next = await engine.up("neighbors", neighbors, { connection: connection(s), localAsn: 500, neighbors: [...FEW, ...MANY] });
        assert.equal(next.error, undefined, `the next up fails on a neighbor the stack itself put there (on the device, not in the state: ${unrecorded.join(", ")}): ${String(next.error)}`);
    });

    it("destroy after the timeout removes every neighbor the stack put on the device", async () => {
        const { s, engine, unrecorded } = await timedOutUpdate();
        const gone = await engine.destroy("neighbors", neighbors);
        assert.equal(gone.error, undefined, String(gone.error));
        const left = (s.device.state().bgp?.neighbors ?? []).map((n) => n.address);
        assert.deepEqual(left, [], `destroy left ${left.join(", ")} (not in the state after the timeout: ${unrecorded.join(", ")})`);
    });
});
