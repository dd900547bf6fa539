/**
 * A neighbor's BGP (MD5) password, over SSH to the simulator, on a device that shows passwords in
 * clear and on one that shows an encrypted form: a changed password is sent and verified, one
 * changed by hand shows as drift and the next up restores it, and a device that does not take a
 * new password is caught.
 */
import { strict as assert } from "assert";
import { providers } from "../../../provider/adc/providers";
import { startSimulator, type Simulator } from "../../../simulator";
import { EngineLike } from "./engineLike";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const router = providers.adcBgpRouter;
const neighbors = providers.adcBgpNeighbors;
type Props = Record<string, any>;

const PEER = "10.102.33.198";
const OTHER = "10.102.33.202";

for (const display of ["clear", "encrypted"] as const) {
    describe(`BGP passwords on a device that shows them ${display === "clear" ? "in clear" : "encrypted"}`, function () {
        this.timeout(20000);
        let sim: Simulator;
        let engine: EngineLike;
        let connection: Props;
        const inputs = (password: string) => ({
            connection,
            localAsn: 500,
            neighbors: [
                { address: PEER, remoteAsn: 64512, password },
                { address: OTHER, remoteAsn: 64512, password: "unchanged-Pw-1" },
            ],
        });
        const devicePassword = (address: string) => sim.device.state().bgp?.neighbors.find((n) => n.address === address)?.password;
        const passwordLines = () => sim.transcript().filter((l) => / password /.test(l.line)).map((l) => l.line);

        beforeEach(async () => {
            sim = await startSimulator({ banner: [], passwordDisplay: display });
            connection = { host: sim.host, port: sim.port, password: "nsroot", hostKeyFingerprint: sim.hostKeyFingerprint, connectRetries: 0 };
            engine = new EngineLike();
            const r = await engine.up("router", router, { connection, localAsn: 500 });
            if (r.error) throw r.error;
            const n = await engine.up("neighbors", neighbors, inputs("first-Pw-A"));
            if (n.error) throw n.error;
        });
        afterEach(async () => sim?.close());

        it("sends a changed password, only that one, and sees no drift after", async () => {
            sim.resetCounters();
            const changed = await engine.up("neighbors", neighbors, inputs("second-Pw-B"));
            assert.equal(changed.error, undefined);
            assert.deepEqual(passwordLines(), [`neighbor ${PEER} password second-Pw-B`]);
            assert.equal(devicePassword(PEER), "second-Pw-B");
            assert.equal(devicePassword(OTHER), "unchanged-Pw-1");
            assert.equal((await engine.refresh("neighbors", neighbors)).drift, false);

            sim.resetCounters();
            await engine.up("neighbors", neighbors, inputs("second-Pw-B"));
            assert.deepEqual(passwordLines(), [], "nothing to send once applied");
        });

        it("shows a password changed by hand on the device as drift, and the next up restores it", async () => {
            await sim.device.configure(["router bgp 500", `neighbor ${PEER} password by-hand-Pw-C`]);
            assert.equal((await engine.refresh("neighbors", neighbors)).drift, true);
            sim.resetCounters();
            const repaired = await engine.up("neighbors", neighbors, inputs("first-Pw-A"));
            assert.equal(repaired.error, undefined);
            assert.deepEqual(passwordLines(), [`neighbor ${PEER} password first-Pw-A`]);
            assert.equal(devicePassword(PEER), "first-Pw-A");
            assert.equal((await engine.refresh("neighbors", neighbors)).drift, false);
        });

        it("catches a device that answers the new password without taking it, and the next up sends it again", async () => {
            sim.setFaults({ errorReplies: [{ match: `neighbor ${PEER} password`, reply: "" }] });
            const ignored = await engine.up("neighbors", neighbors, inputs("second-Pw-B"));
            assert.ok(ignored.partial, String(ignored.error));
            assert.match(ignored.error.message, /the new password of neighbor 10\.102\.33\.198 \(the device still shows the previous one\)/);
            assert.ok(!ignored.error.message.includes("second-Pw-B") && !ignored.error.message.includes("first-Pw-A"));
            assert.equal(devicePassword(PEER), "first-Pw-A");

            sim.setFaults({});
            sim.resetCounters();
            const again = await engine.up("neighbors", neighbors, inputs("second-Pw-B"));
            assert.equal(again.error, undefined);
            assert.deepEqual(passwordLines(), [`neighbor ${PEER} password second-Pw-B`]);
            assert.equal(devicePassword(PEER), "second-Pw-B");
        });

        it("keeps the password out of the stored form: only the device's form and a keyed digest", async () => {
            const stored = engine.state.get("neighbors")!.outs.passwordForms as Record<string, { shown: string; digest: string }>;
            assert.deepEqual(Object.keys(stored).sort(), [PEER, OTHER]);
            assert.match(stored[PEER]!.digest, /^hmac-sha256:[0-9a-f]{32}:[0-9a-f]{64}$/);
            assert.ok(!stored[PEER]!.digest.includes("first-Pw-A"));
            if (display === "encrypted") assert.ok(!JSON.stringify(stored).includes("first-Pw-A"), "an encrypted display keeps the password out of the record");
        });

        it("reads state written before digests existed (a bare form): unchanged stays quiet, a change is sent", async () => {
            const state = engine.state.get("neighbors")!;
            const legacy = Object.fromEntries(Object.entries(state.outs.passwordForms as Record<string, { shown: string }>).map(([a, f]) => [a, f.shown]));
            engine.state.set("neighbors", { ...state, outs: { ...state.outs, schemaVersion: 1, passwordForms: legacy } });
            sim.resetCounters();
            const same = await neighbors.update!(state.id, engine.state.get("neighbors")!.outs, (await neighbors.check!({}, inputs("first-Pw-A"))).inputs);
            assert.deepEqual(passwordLines(), []);
            assert.equal((same.outs as Props).schemaVersion, 2);

            engine.state.set("neighbors", { ...state, outs: { ...state.outs, schemaVersion: 1, passwordForms: legacy } });
            sim.resetCounters();
            await neighbors.update!(state.id, engine.state.get("neighbors")!.outs, (await neighbors.check!({}, inputs("second-Pw-B"))).inputs);
            assert.deepEqual(passwordLines(), [`neighbor ${PEER} password second-Pw-B`]);
        });
    });
}
