/**
 * A timeout in the middle of a window: the lines already written (up to a window's worth,
 * NETSCALER.inputBufferBytes) are still in the device's input, and it goes on applying them
 * while the timed-out session stays open. The failure path closes that session, waits until its
 * connection has ended, and only then reads the device again (observeAfterFailure), so the read
 * it records shows all the batch did. Otherwise a neighbor's remote-as lands after the read,
 * without its mark: the next up refuses the stack's own neighbor as foreign and destroy leaves
 * it on the device; and on an ADC at its session cap the read's login is refused.
 */
import { strict as assert } from "assert";
import { connection, neighbors, router } from "../adc/providerCalls";
import { EngineLike } from "./engineLike";
import { startHaPair, startSimulator, type HaPair, type Simulator } from "../../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const FEW = [{ address: "10.102.33.198", remoteAsn: 64512 }];
const MANY = Array.from({ length: 20 }, (_, i) => ({ address: `10.102.34.${i + 1}`, remoteAsn: 64512 }));

/**
 * With a router and one neighbor up, an update adding 20 that times out at `router bgp 500` of its
 * batch: the device takes 200 ms a line and 1.5 s for that one, the client waits 700 ms, and the
 * rest of the batch is already written. `connection` must carry `commandTimeoutMs: 700`.
 */
async function timedOutUpdate(device: Simulator, conn: Record<string, unknown>): Promise<EngineLike> {
    const engine = new EngineLike();
    assert.equal((await engine.up("router", router, { connection: conn, localAsn: 500 })).error, undefined);
    const first = await engine.up("neighbors", neighbors, { connection: conn, localAsn: 500, neighbors: FEW });
    assert.equal(first.error, undefined, String(first.error));
    device.resetCounters();
    device.setReplyLatency(200);
    let slowed = false;
    const poll = setInterval(() => {
        if (!slowed && device.transcript().some((l) => l.line === "configure terminal")) {
            slowed = true;
            device.setReplyLatency(1500);
            setTimeout(() => device.setReplyLatency(200), 300);
        }
    }, 2);
    const failed = await engine.up("neighbors", neighbors, { connection: conn, localAsn: 500, neighbors: [...FEW, ...MANY] });
    clearInterval(poll);
    device.setReplyLatency(0);
    assert.ok(slowed, "the batch reached the device");
    assert.ok(failed.partial, `the update times out, a partial failure: ${String(failed.error)}`);
    assert.match(String(failed.error), /no prompt within 700 ms/);
    return engine;
}

const shown = (device: Simulator): string[] => (device.device.state().bgp?.neighbors ?? []).map((n) => n.address).sort();
const recorded = (engine: EngineLike): string[] => [...(engine.state.get("neighbors")!.outs.owned as string[])].sort();

describe("a timeout in the middle of a batch: what the state records", function () {
    this.timeout(60_000);
    const closing: (Simulator | HaPair)[] = [];
    afterEach(async () => {
        await Promise.all(closing.splice(0).map((s) => s.close()));
    });
    const single = async (options: { maxSessions?: number } = {}): Promise<Simulator> => {
        const s = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] }, ...options });
        closing.push(s);
        return s;
    };

    it("the state records every neighbor the batch put on the device, and the next up takes them back", async () => {
        const s = await single();
        const engine = await timedOutUpdate(s, connection(s, { commandTimeoutMs: 700 }));
        assert.deepEqual(recorded(engine), shown(s));
        const next = await engine.up("neighbors", neighbors, { connection: connection(s), localAsn: 500, neighbors: [...FEW, ...MANY] });
        assert.equal(next.error, undefined, String(next.error));
    });

    it("destroy after the timeout removes every neighbor the stack put on the device", async () => {
        const s = await single();
        const engine = await timedOutUpdate(s, connection(s, { commandTimeoutMs: 700 }));
        const gone = await engine.destroy("neighbors", neighbors);
        assert.equal(gone.error, undefined, String(gone.error));
        assert.deepEqual(shown(s), []);
    });

    it("on an ADC with one SSH session, the read after the timeout gets in and the state records what it shows", async () => {
        const s = await single({ maxSessions: 1 });
        const engine = await timedOutUpdate(s, connection(s, { commandTimeoutMs: 700 }));
        assert.equal(s.counters().sessionsRefused, 0, "the read's login is not refused at the cap");
        assert.deepEqual(recorded(engine), shown(s));
        const next = await engine.up("neighbors", neighbors, { connection: connection(s), localAsn: 500, neighbors: [...FEW, ...MANY] });
        assert.equal(next.error, undefined, String(next.error));
        assert.equal((await engine.destroy("neighbors", neighbors)).error, undefined);
        assert.deepEqual(shown(s), []);
    });

    it("on an HA pair given by both nodes, the state records every neighbor the batch put on the primary; destroy removes them", async () => {
        const pair = await startHaPair({ common: { banner: [], initialConfig: { enabledFeatures: ["BGP"] } }, propagation: "synced" });
        closing.push(pair);
        const [primary] = pair.nodes;
        const conn = { nodes: pair.nodes.map((n) => ({ host: n.host, port: n.port, hostKeyFingerprint: n.hostKeyFingerprint })), password: "nsroot", connectRetries: 0, commandTimeoutMs: 700 };
        const engine = await timedOutUpdate(primary, conn);
        assert.deepEqual(recorded(engine), shown(primary));
        assert.equal((await engine.destroy("neighbors", neighbors)).error, undefined);
        assert.deepEqual(shown(primary), []);
    });
});
