/**
 * A timeout in the middle of a batch on an HA pair given by both nodes (timeoutMidBatch.test.ts's
 * scenario): the primary's session is opened by haPair.ts, and the re-read goes to the primary.
 */
import { strict as assert } from "assert";
import { neighbors, router } from "../adc/providerCalls";
import { EngineLike } from "./engineLike";
import { startHaPair, type HaPair } from "../../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const FEW = [{ address: "10.102.33.198", remoteAsn: 64512 }];
const MANY = Array.from({ length: 20 }, (_, i) => ({ address: `10.102.34.${i + 1}`, remoteAsn: 64512 }));

describe("a timeout in the middle of a batch on an HA pair", function () {
    this.timeout(60_000);
    let pair: HaPair | undefined;
    afterEach(async () => {
        await pair?.close();
        pair = undefined;
    });

    it("the state records every neighbor the batch put on the primary; destroy removes them", async () => {
        pair = await startHaPair({ common: { banner: [], initialConfig: { enabledFeatures: ["BGP"] } }, propagation: "synced" });
        const [primary] = pair.nodes;
        const conn = (extra: Record<string, unknown> = {}) => ({
            nodes: pair!.nodes.map((n) => ({ host: n.host, port: n.port, hostKeyFingerprint: n.hostKeyFingerprint })),
            password: "nsroot",
            connectRetries: 0,
            ...extra,
        });
        const engine = new EngineLike();
        assert.equal((await engine.up("router", router, { connection: conn(), localAsn: 500 })).error, undefined);
        const first = await engine.up("neighbors", neighbors, { connection: conn({ commandTimeoutMs: 700 }), localAsn: 500, neighbors: FEW });
        assert.equal(first.error, undefined, String(first.error));
        primary.resetCounters();
        primary.setReplyLatency(200);
        let slowed = false;
        const poll = setInterval(() => {
            if (!slowed && primary.transcript().some((l) => l.line === "configure terminal")) {
                slowed = true;
                primary.setReplyLatency(1500);
                setTimeout(() => primary.setReplyLatency(200), 300);
            }
        }, 2);
        const failed = await engine.up("neighbors", neighbors, { connection: conn({ commandTimeoutMs: 700 }), localAsn: 500, neighbors: [...FEW, ...MANY] });
        clearInterval(poll);
        primary.setReplyLatency(0);
        assert.ok(slowed, "the batch reached the primary");
        assert.ok(failed.partial, `a partial failure: ${String(failed.error)}`);
        assert.match(String(failed.error), /no prompt within 700 ms/);
        const recorded = new Set<string>(engine.state.get("neighbors")!.outs.owned);
        const onDevice = (primary.device.state().bgp?.neighbors ?? []).map((n) => n.address);
        const unrecorded = onDevice.filter((a) => !recorded.has(a));
        assert.deepEqual(unrecorded, [], `on the primary, not in the state: ${unrecorded.join(", ")}`);
        const gone = await engine.destroy("neighbors", neighbors);
        assert.equal(gone.error, undefined, String(gone.error));
        assert.deepEqual((primary.device.state().bgp?.neighbors ?? []).map((n) => n.address), []);
    });
});
