import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { shim } from "../../../provider/adc/shim";
import { startSimulator, type Simulator } from "../../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

/** The dynamic-provider host evaluates `__provider` with require-from-string and calls `handler()`. */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const requireFromString: (code: string) => { handler: () => pulumi.dynamic.ResourceProvider } = require("require-from-string");

describe("the serialized provider", function () {
    this.timeout(20000);
    let sim: Simulator;
    before(async () => {
        sim = await startSimulator({ banner: [], users: [{ username: "nsroot", password: "serialized-pw-7f3a" }] });
    });
    after(async () => sim.close());

    for (const kind of ["adcBgpRouter", "adcBgpNeighbors"] as const) {
        it(`${kind}: is a small shim that loads the package by name and captures nothing secret`, async () => {
            const provider = shim(kind);
            const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
            assert.equal(sf.containsSecrets, false);
            assert.match(sf.text, /require\("pulumi-calico-adc\/dynamic"\)/);
            assert.ok(!sf.text.includes("ssh2"), "no SSH code in the state");
            assert.ok(!sf.text.includes("serialized-pw-7f3a"));
            assert.ok(sf.text.length < 6000, `shim is ${sf.text.length} characters`);
        });
    }

    it("loaded back the way the host loads it, still creates, reads and deletes on the device", async () => {
        const sf = await pulumi.runtime.serializeFunction(() => shim("adcBgpRouter"), { allowSecrets: true });
        const provider = requireFromString(sf.text).handler();
        const news = {
            connection: { host: sim.host, port: sim.port, hostKeyFingerprint: sim.hostKeyFingerprint },
            credentials: { password: "serialized-pw-7f3a" },
            localAsn: 500,
        };
        const checked = await provider.check!({}, news);
        assert.deepEqual(checked.failures ?? [], []);
        const created = await provider.create(checked.inputs);
        assert.equal(sim.device.state().bgp?.asn, 500);
        const read = await provider.read!(created.id, created.outs);
        assert.equal(read.props!.routerPresent, true);
        // Credentials are kept only under `credentials`, which the resource marks secret.
        const visible = { ...created.outs };
        delete visible.credentials;
        assert.ok(!JSON.stringify(visible).includes("serialized-pw-7f3a"));
        await provider.delete!(created.id, created.outs);
        assert.equal(sim.device.state().bgp, null);
    });
});
