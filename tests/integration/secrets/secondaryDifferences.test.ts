/**
 * An HA pair's `secondary` output is not a secret: the differences it lists quote the
 * secondary's lines (a doubtful one, a neighbor in an address form stacks read differently),
 * and those may hold another writer's BGP password. Real SSH to a simulated pair.
 */
import { strict as assert } from "assert";
import { checked, neighbors, router } from "../adc/providerCalls";
import { startHaPair, type HaPair } from "../../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

describe("secrets: an HA secondary's differences in the outputs", function () {
    this.timeout(30000);
    let pair: HaPair | undefined;
    afterEach(async () => pair?.close());

    it("quote a doubtful line of the secondary with another writer's neighbor password redacted", async () => {
        pair = await startHaPair({ common: { banner: [], initialConfig: { enabledFeatures: ["BGP"] } }, propagation: "not-synced" });
        const [primary, secondary] = pair.nodes;
        const connection = {
            nodes: [primary, secondary].map((s) => ({ host: s.host, port: s.port, hostKeyFingerprint: s.hostKeyFingerprint })),
            password: "nsroot",
            connectRetries: 0,
        };
        // Someone's peer on the secondary, by an IPv4-mapped address (which the planner doubts), with its MD5 password.
        await secondary.device.configure(["router bgp 500", "neighbor ::ffff:10.0.0.9 remote-as 65001", "neighbor ::ffff:10.0.0.9 password hunter2-foreign"]);
        assert.match(secondary.device.runningConfig(), /password hunter2-foreign/);

        await router.create(await checked(router, { connection, localAsn: 500 }));
        const n = await neighbors.create(await checked(neighbors, { connection, localAsn: 500, neighbors: [{ address: "10.102.33.198", remoteAsn: 64512 }] }));
        const outs = n.outs as Record<string, any>;
        assert.equal(outs.secondaryInSync, false, JSON.stringify(outs.secondary));
        const shown = JSON.stringify(outs.secondary);
        assert.doesNotMatch(shown, /hunter2/, `a non-secret output quotes the secondary's password: ${shown}`);
        assert.match(shown, /neighbor ::ffff:a00:9 password <redacted>/, "the line is quoted, its password redacted");
    });
});
