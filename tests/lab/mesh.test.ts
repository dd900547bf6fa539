/**
 * Calico's default: the node-to-node mesh is on. Every node then also advertises the blocks it
 * learned from the other nodes to the (eBGP) ADC, and BIRD puts itself as next hop for them
 * (eBGP multihop: next hop = source address). With the ADC's max-paths 8, the ADC spreads each
 * block over every node instead of sending it to the node that owns it. `nextHopMode: Keep` on
 * the BGPPeer (`keepOriginalNextHop: true` before Calico 3.30.2) restores "each block via its
 * node". These tests pin down both behaviours with real daemons.
 */
import { strict as assert } from "node:assert";
import { bgpRoutes, parseShowRoute, routeCidr } from "../../provider/health/showRoute";
import { waitFor } from "./support/exec";
import { Lab } from "./support/lab";
import { startLabSimulator, type LabSimulator } from "./support/labSimulator";
import { assertLabPrerequisites } from "./support/prerequisites";

describe("lab: Calico's node-to-node mesh and the next hops the ADC learns", function () {
    this.timeout(60_000);
    let lab: Lab;
    let adc: LabSimulator;

    /** block → sorted gateways, from the ADC's `show route`. */
    async function gatewaysByBlock(): Promise<Map<string, string[]>> {
        const out = new Map<string, string[]>();
        for (const r of bgpRoutes(parseShowRoute(await adc.sim.device.cli("show route")))) {
            out.set(routeCidr(r), [...(out.get(routeCidr(r)) ?? []), r.gateway].sort());
        }
        return out;
    }

    const allBlocks = () => lab.nodes.flatMap((n) => n.blocks);

    before(async function () {
        this.timeout(60_000);
        assertLabPrerequisites();
        lab = await Lab.start({ nodes: 3, meshEnabled: true, calicoVersion: "v3.32" });
        adc = await startLabSimulator(lab);
        await adc.sim.device.cli("enable ns feature BGP");
        // max-paths ebgp 8 is what a fresh router shows on the NetScaler sample.
        await adc.sim.device.configure(["ns route-install bgp", "router bgp 500", "max-paths ebgp 8", ...lab.nodes.map((n) => `neighbor ${n.address} remote-as 64512`)]);
    });

    after(async function () {
        this.timeout(60_000);
        await adc?.close();
        await lab?.stop();
    });

    it("with the mesh and Calico's default next hop, the ADC reaches every block through every node", async () => {
        const everyNode = lab.nodes.map((n) => n.address).sort();
        const seen = await waitFor(
            "every block learned from every node",
            async () => {
                const g = await gatewaysByBlock();
                return allBlocks().every((b) => JSON.stringify(g.get(b)) === JSON.stringify(everyNode)) ? g : undefined;
            },
            { timeoutMs: 20_000, describe: () => "see show route" },
        );
        // node-2's block, for instance, also goes via node-1 and node-3, which forward it on.
        assert.deepEqual(seen.get(lab.nodes[1]!.blocks[0]!), everyNode);
        for (const n of lab.nodes) {
            const rows = await n.status();
            assert.deepEqual(
                rows.map((r) => r.peerType).sort(),
                ["global", "node-to-node mesh", "node-to-node mesh"],
            );
            assert.ok(rows.every((r) => r.info === "Established"));
        }
    });

    it("with nextHopMode Keep on the BGPPeer, each block goes to the node that owns it", async () => {
        await lab.setPeer({ ...lab.peer, nextHopMode: "Keep" });
        await waitFor(
            "each block via its own node only",
            async () => {
                const g = await gatewaysByBlock();
                return lab.nodes.every((n) => n.blocks.every((b) => JSON.stringify(g.get(b)) === JSON.stringify([n.address]))) ? true : undefined;
            },
            { timeoutMs: 20_000 },
        );
        // The routes can settle while the session is still coming back: during BIRD's graceful
        // restart FRR keeps the node's stale routes, so the session is waited for on its own.
        const bird = await waitFor(
            "the node's session with the ADC Established again",
            async () => {
                const shown = await lab.nodes[0]!.bird.birdc("show protocols all Global_203_0_113_1");
                return /BGP state: +Established/.test(shown) ? shown : undefined;
            },
            { timeoutMs: 30_000 },
        );
        assert.match(bird, /BGP state: +Established/);
    });
});
