/**
 * A timeout in the middle of a batch on an ADC with one SSH session: the timed-out session is
 * closed before the device is read again, and the read waits for its connection to end, so the
 * new session gets in; the next up and destroy handle every neighbor the batch put there.
 */
import { strict as assert } from "assert";
import { connection, neighbors, router } from "../adc/providerCalls";
import { EngineLike } from "./engineLike";
import { startSimulator, type Simulator } from "../../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const FEW = [{ address: "10.102.33.198", remoteAsn: 64512 }];
const MANY = Array.from({ length: 20 }, (_, i) => ({ address: `10.102.34.${i + 1}`, remoteAsn: 64512 }));

describe("a timeout in the middle of a batch on an ADC with one SSH session", function () {
    this.timeout(60_000);
    let sim: Simulator | undefined;
    afterEach(async () => {
        await sim?.close();
        sim = undefined;
    });

    it("the re-read gets a session, the state records what the device shows", async () => {
        const s = (sim = await startSimulator({ banner: [], maxSessions: 1, initialConfig: { enabledFeatures: ["BGP"] } }));
        const engine = new EngineLike();
        const conn = connection(s, { commandTimeoutMs: 700 });
        assert.equal((await engine.up("router", router, { connection: conn, localAsn: 500 })).error, undefined);
        assert.equal((await engine.up("neighbors", neighbors, { connection: conn, localAsn: 500, neighbors: FEW })).error, undefined);
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
        assert.ok(failed.partial, String(failed.error));
        const counters = s.counters();
        const outs = engine.state.get("neighbors")!.outs;
        const shown = (s.device.state().bgp?.neighbors ?? []).map((n) => n.address).sort();
        const refusedReread = counters.sessionsRefused > 0;
        const next = await engine.up("neighbors", neighbors, { connection: connection(s), localAsn: 500, neighbors: [...FEW, ...MANY] });
        assert.equal(next.error, undefined, String(next.error));
        const gone = await engine.destroy("neighbors", neighbors);
        assert.equal(gone.error, undefined, String(gone.error));
        assert.deepEqual((s.device.state().bgp?.neighbors ?? []).map((n) => n.address), []);
        // The timed-out session is closed until its connection has ended: the re-read's login is not
        // refused at the cap, and the state records what the device shows, not the claim.
        assert.equal(refusedReread, false, `the re-read was refused at the cap (owned ${outs.owned.length}, device showed ${shown.length})`);
        assert.deepEqual([...outs.owned].sort(), shown);
    });
});
