/**
 * Route safety with real daemons: FRR as the ADC's routing engine (behind the simulator), three
 * Calico nodes on BIRD with the node-to-node mesh. What CalicoAdcPeering plans for this cluster
 * (the BGPPeer with its default next hop, the ADC's prefix list and maximum-prefix) is applied as
 * the core renders it, and the ADC's route table is read over SSH.
 */
import { strict as assert } from "node:assert";
import type { PeeringPlan } from "../../provider/component/plan";
import type { PrefixFilterIntent } from "../../provider/core/prefixFilter";
import type { IpAddress } from "../../provider/core/values";
import { applyPrefixFilter } from "./support/adcFilter";
import type { BgpPeerSpec } from "./support/calicoBird";
import { globalProtocolName } from "./support/calicoBird";
import { waitFor } from "./support/exec";
import { Lab, LAB_ADC_ADDRESS, LAB_POOL } from "./support/lab";
import { planLabPeering } from "./support/labPlan";
import { startLabSimulator, type LabSimulator } from "./support/labSimulator";
import { assertLabPrerequisites } from "./support/prerequisites";

const ROGUE = ["0.0.0.0/0", "198.51.100.0/24"];
const LIST = "pca-lab-adc-in";

describe("lab: route safety (the ADC's prefix filter and limit, the default next hop) with real FRR and BIRD", function () {
    this.timeout(90_000);
    let lab: Lab;
    let adc: LabSimulator;
    let plan: PeeringPlan;
    let intent: PrefixFilterIntent;

    /** Plans the filter against what the ADC holds now, and applies it. */
    const applyFilter = (want: PrefixFilterIntent) => applyPrefixFilter(adc, 500, want);

    let lastSeen = "";
    /** The ADC's installed BGP routes; the last answer is kept for failure messages. */
    const installed = async () => {
        const r = await adc.installedBgpRoutes();
        lastSeen = JSON.stringify(r);
        return r;
    };
    const prefixesOf = (routes: [string, string][]) => [...new Set(routes.map(([p]) => p))].sort();
    const allBlocks = () => lab.nodes.flatMap((n) => n.blocks).sort();
    const sessionOf = async (address: string) => (await adc.engine.sessions()).find((s) => s.address === address);

    before(async function () {
        this.timeout(90_000);
        assertLabPrerequisites();
        lab = await Lab.start({ nodes: 3, meshEnabled: true, calicoVersion: "v3.32" });
        adc = await startLabSimulator(lab);
        plan = planLabPeering(lab, { routeSafety: { prefixListName: LIST } });
        // What every calico-node renders from the component's BGPPeer.
        await lab.setPeer({ ...(plan.bgpPeer.spec as unknown as BgpPeerSpec) });
        await adc.sim.device.cli("enable ns feature BGP");
        await adc.sim.device.configure(["ns route-install bgp", "router bgp 500", "max-paths ebgp 8", ...plan.neighbors.neighbors.map((n) => `neighbor ${n.address} remote-as ${n.remoteAsn}`)]);
        const f = plan.routeSafety;
        intent = { list: f.adcPrefixFilter!.prefixList, maximumPrefix: { limit: f.maximumPrefix!.limit, warningOnly: false }, neighbors: lab.nodes.map((n) => n.address as IpAddress) };
    });

    after(async function () {
        this.timeout(60_000);
        await adc?.close();
        await lab?.stop();
    });

    it("with the component's default next hop, each /26 is installed via its own node only (mesh on)", async () => {
        assert.equal(plan.bgpPeer.spec.nextHopMode, "Keep");
        const want = lab.nodes.flatMap((n) => n.blocks.map((b): [string, string] => [b, n.address])).sort();
        await waitFor("each block via its own node", async () => (JSON.stringify(await installed()) === JSON.stringify(want) ? true : undefined), {
            timeoutMs: 30_000,
            describe: () => lastSeen,
        });
    });

    it("a node advertising 0.0.0.0/0 and a /24 outside every pool: installed without the filter, refused with it", async () => {
        const rogue = lab.nodes[0]!;
        await rogue.bird.advertiseRogue(ROGUE);
        // The control: what the runbook's ADC (no filter) does with them.
        await waitFor("the rogue routes installed on the unfiltered ADC", async () => {
            const seen = prefixesOf(await installed());
            return ROGUE.every((r) => seen.includes(r)) ? true : undefined;
        }, {
            timeoutMs: 30_000,
            describe: () => lastSeen,
        });
        assert.deepEqual(intent.list!.entries.map((e) => [e.prefix, e.ge, e.le]), [[LAB_POOL, 26, 32]]);
        await applyFilter(intent);
        assert.match(adc.sim.device.runningConfig(), new RegExp(`^ neighbor ${rogue.address.replace(/\./g, "\\.")} prefix-list ${LIST} in$`, "m"));
        await waitFor("only the pod blocks installed", async () => (JSON.stringify(prefixesOf(await installed())) === JSON.stringify(allBlocks()) ? true : undefined), {
            timeoutMs: 30_000,
            describe: () => lastSeen,
        });
        // The node still advertises them: the ADC refuses them.
        const exported = await rogue.bird.birdc(`show route export ${globalProtocolName(LAB_ADC_ADDRESS)}`);
        for (const r of ROGUE) assert.ok(exported.includes(r), `${rogue.name} still exports ${r}:\n${exported}`);
        const frrTable = await lab.adc.router.vtysh(["show ip route"]);
        for (const r of ROGUE) assert.ok(!frrTable.includes(r), `FRR's table has no ${r}:\n${frrTable}`);
        assert.equal((await sessionOf(rogue.address))?.state, "Established");
    });

    it("a node above maximum-prefix: with warning-only it stays up; by default its session is torn down, the others' not", async () => {
        const node = lab.nodes[0]!;
        // With the mesh every node sends every block (4); this one also two more inside the pool,
        // which the prefix list admits: 6, above a limit of 5.
        await node.bird.advertiseRogue(["192.168.200.0/26", "192.168.200.64/26"]);
        await waitFor("the extra blocks installed", async () => ((await installed()).some(([p]) => p === "192.168.200.64/26") ? true : undefined), { timeoutMs: 30_000, describe: () => lastSeen });
        await applyFilter({ ...intent, maximumPrefix: { limit: 5, warningOnly: true } });
        assert.match(adc.sim.device.runningConfig(), new RegExp(`^ neighbor ${node.address.replace(/\./g, "\\.")} maximum-prefix 5 warning-only$`, "m"));
        await new Promise((r) => setTimeout(r, 3000));
        for (const n of lab.nodes) assert.equal((await sessionOf(n.address))?.state, "Established", `warning-only keeps ${n.name}'s session`);
        await applyFilter({ ...intent, maximumPrefix: { limit: 5, warningOnly: false } });
        await waitFor(
            `${node.name}'s session torn down`,
            async () => {
                const s = await sessionOf(node.address);
                return s && s.state !== "Established" ? s : undefined;
            },
            { timeoutMs: 30_000 },
        );
        const neighbor = await lab.adc.router.vtysh([`show bgp neighbors ${node.address}`]);
        assert.match(neighbor, /maximum/i, neighbor);
        for (const o of lab.nodes.slice(1)) assert.equal((await sessionOf(o.address))?.state, "Established", `${o.name} sends 4, within the limit`);
    });
});
