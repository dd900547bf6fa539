/**
 * Route safety with real daemons: FRR as the ADC's routing engine (behind the simulator), three
 * Calico nodes on BIRD with the node-to-node mesh. What CalicoAdcPeering plans for this cluster
 * (the BGPPeer with its default next hop, the ADC's prefix list and maximum-prefix) is applied by
 * the package's own providers over SSH, as the component hands it to them, and the ADC's route
 * table is read over SSH.
 */
import { strict as assert } from "node:assert";
import type { PeeringPlan } from "../../provider/component/plan";
import { providers } from "../../provider";
import type { BgpPeerSpec } from "./support/calicoBird";
import { globalProtocolName } from "./support/calicoBird";
import { waitFor } from "./support/exec";
import { Lab, LAB_ADC_ADDRESS, LAB_POOL } from "./support/lab";
import { planLabPeering } from "./support/labPlan";
import { LAB_PASSWORD, LAB_USER, startLabSimulator, type LabSimulator } from "./support/labSimulator";
import { assertLabPrerequisites } from "./support/prerequisites";

const ROGUE = ["0.0.0.0/0", "198.51.100.0/24"];
const LIST = "pca-lab-adc-in";

process.env["PULUMI_CALICO_ADC_QUIET"] = "1";

type Props = Record<string, any>;
const neighbors = providers.adcBgpNeighbors;
const router = providers.adcBgpRouter;

async function checked(p: typeof neighbors, news: Props): Promise<Props> {
    const r = await p.check!({}, news);
    assert.deepEqual(r.failures ?? [], [], JSON.stringify(r.failures));
    return r.inputs as Props;
}

describe("lab: route safety (the ADC's prefix filter and limit, the default next hop) with real FRR and BIRD", function () {
    this.timeout(90_000);
    let lab: Lab;
    let adc: LabSimulator;
    let plan: PeeringPlan;
    let connection: Props;
    let state: { id: string; outs: Props };

    /** The neighbors resource updated as `pulumi up` would, with the plan's neighbors and `over`. */
    async function up(over: Props): Promise<string[]> {
        const before = adc.sim.transcript().length;
        const inputs = await checked(neighbors, { connection, ...plan.neighbors, ...over });
        const r = await neighbors.update!(state.id, state.outs, inputs);
        state = { id: state.id, outs: r.outs as Props };
        return adc.sim.transcript().slice(before).filter((l) => (l.mode === "router" || l.mode === "config") && !/^(router bgp \d+|exit|end)$/.test(l.line)).map((l) => l.line);
    }

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
        connection = { host: adc.sim.host, port: adc.sim.port, username: LAB_USER, password: LAB_PASSWORD, hostKeyFingerprint: adc.sim.hostKeyFingerprint, connectRetries: 0 };
        await router.create(await checked(router, { connection, ...plan.router, maxPaths: { ebgp: 8 } }));
        // The control first: the runbook's ADC, which accepts whatever the nodes send.
        const created = await neighbors.create(await checked(neighbors, { connection, ...plan.neighbors, prefixFilter: null, maximumPrefix: null }));
        state = { id: created.id, outs: created.outs as Props };
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
        assert.deepEqual(plan.neighbors.prefixFilter, { name: LIST, entries: [{ prefix: LAB_POOL, ge: 26, le: 32 }] });
        // The component's default: what it hands the neighbors resource, applied by its provider.
        const sent = await up({});
        assert.equal(sent[0], `ip prefix-list ${LIST} seq 5 permit ${LAB_POOL} ge 26`, "the list first, before anything names it");
        assert.ok(sent.includes(`neighbor ${rogue.address} prefix-list ${LIST} in`), sent.join("\n"));
        assert.deepEqual(state.outs.filterOwned, { lists: [LIST], ipv6Lists: [], limits: lab.nodes.map((n) => n.address).sort() });
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

    it("a neighbor the package creates while its node advertises the rogue routes never has them installed", async () => {
        const rogue = lab.nodes[0]!;
        const rest = plan.neighbors.neighbors.filter((n) => n.address !== rogue.address);
        await up({ neighbors: rest });
        await waitFor(`${rogue.name}'s session gone`, async () => ((await sessionOf(rogue.address)) === undefined ? true : undefined), { timeoutMs: 20_000 });
        // FRR's BGP routes are read over and over while the session comes up, from before the batch is sent.
        let watching = true;
        const seen = new Set<string>();
        const watch = (async () => {
            while (watching) {
                const bgp = await lab.adc.router.vtysh(["show ip route bgp"]);
                for (const r of ROGUE) if (bgp.includes(r)) seen.add(r);
            }
        })();
        const sent = await up({});
        const at = sent.indexOf(`neighbor ${rogue.address} remote-as 64512`);
        assert.deepEqual(sent.slice(at, at + 3), [`neighbor ${rogue.address} remote-as 64512`, `neighbor ${rogue.address} prefix-list ${LIST} in`, `neighbor ${rogue.address} maximum-prefix ${plan.neighbors.maximumPrefix!.limit}`]);
        await waitFor(`${rogue.name}'s session Established again`, async () => ((await sessionOf(rogue.address))?.state === "Established" ? true : undefined), { timeoutMs: 30_000 });
        await waitFor("its blocks installed again", async () => (JSON.stringify(prefixesOf(await installed())) === JSON.stringify(allBlocks()) ? true : undefined), { timeoutMs: 30_000, describe: () => lastSeen });
        watching = false;
        await watch;
        assert.deepEqual([...seen], [], "no rogue route was ever in FRR's table");
    });

    it("a node above maximum-prefix: with warning-only it stays up; by default its session is torn down, the others' not", async () => {
        const node = lab.nodes[0]!;
        // With the mesh every node sends every block (4); this one also two more inside the pool,
        // which the prefix list admits: 6, above a limit of 5.
        await node.bird.advertiseRogue(["192.168.200.0/26", "192.168.200.64/26"]);
        await waitFor("the extra blocks installed", async () => ((await installed()).some(([p]) => p === "192.168.200.64/26") ? true : undefined), { timeoutMs: 30_000, describe: () => lastSeen });
        assert.deepEqual(await up({ maximumPrefix: { limit: 5, warningOnly: true } }), lab.nodes.map((n) => `neighbor ${n.address} maximum-prefix 5 warning-only`));
        assert.match(adc.sim.device.runningConfig(), new RegExp(`^ neighbor ${node.address.replace(/\./g, "\\.")} maximum-prefix 5 warning-only$`, "m"));
        await new Promise((r) => setTimeout(r, 3000));
        for (const n of lab.nodes) assert.equal((await sessionOf(n.address))?.state, "Established", `warning-only keeps ${n.name}'s session`);
        await up({ maximumPrefix: { limit: 5 } });
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
