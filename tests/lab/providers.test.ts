/**
 * The package itself against real BGP speakers: CalicoAdcPeering's plan decides the Calico
 * BGPPeer (rendered by the lab's calico-node renderer into BIRD on every node) and the ADC's
 * router and neighbors, which the package's provider objects create, read, update and delete
 * over SSH against the simulator, whose routing runs on FRR.
 */
import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { providers } from "../../provider";
import { planPeering, type PeeringPlan } from "../../provider/component/plan";
import { parseFrrRunningConfig } from "../../simulator/routing/frrConfig";
import type { BgpPeerSpec } from "./support/calicoBird";
import { waitFor } from "./support/exec";
import { recordFigure } from "./support/figures";
import { Lab, LAB_ADC_ADDRESS, LAB_POOL } from "./support/lab";
import { LAB_PASSWORD, LAB_USER, startLabSimulator, type LabSimulator } from "./support/labSimulator";
import { assertLabPrerequisites } from "./support/prerequisites";

process.env["PULUMI_CALICO_ADC_QUIET"] = "1";

type Props = Record<string, any>;
const router = providers.adcBgpRouter;
const neighbors = providers.adcBgpNeighbors;

async function checked(p: pulumi.dynamic.ResourceProvider, news: Props): Promise<Props> {
    const r = await p.check!({}, news);
    assert.deepEqual(r.failures ?? [], [], JSON.stringify(r.failures));
    return r.inputs as Props;
}

describe("lab: the package's providers and CalicoAdcPeering's plan against real BGP speakers", function () {
    this.timeout(90_000);
    let lab: Lab;
    let adc: LabSimulator;
    let plan: PeeringPlan;
    let connection: Props;
    let routerCreated: { id: string; outs: Props };
    let neighborsCreated: { id: string; outs: Props };
    let neighborsInputs: Props;

    const nodesUp = async () => (await Promise.all(lab.nodes.map((n) => n.status()))).every((rows) => rows[0]?.info === "Established");

    before(async function () {
        this.timeout(60_000);
        assertLabPrerequisites();
        lab = await Lab.start({ nodes: 3 });
        adc = await startLabSimulator(lab);
        connection = { host: adc.sim.host, port: adc.sim.port, username: LAB_USER, password: LAB_PASSWORD, hostKeyFingerprint: adc.sim.hostKeyFingerprint, connectRetries: 0 };
        const planned = planPeering({
            name: "lab",
            adc: { asn: 500, peerAddress: LAB_ADC_ADDRESS, router: "create" },
            cluster: {
                asn: 64512,
                asnSource: "cluster.asn",
                nodes: lab.nodes.map((n) => ({ name: n.name, address: n.address })),
                nodesSource: "cluster.nodes",
            },
            calicoApi: "projectcalico.org/v3",
            waitForEstablished: 30,
            routeSafety: {
                calicoRelease: { value: "3.31.7", source: "calicoVersion" },
                ipPools: { listed: [{ cidr: LAB_POOL }], source: "cluster.ipPools" },
                fieldManager: "pulumi-calico-adc-lab",
                // The lab's BIRD rendering has no BGPFilters.
                acceptFromAdc: false,
            },
        });
        assert.ok(planned.ok, JSON.stringify(!planned.ok && planned.problems));
        plan = planned.plan;
        // What the component would apply to Kubernetes, as calico-node on every node renders it.
        const spec = plan.bgpPeer.spec as unknown as BgpPeerSpec;
        assert.equal(spec.node ?? spec.nodeSelector, undefined, "a global BGPPeer");
        await lab.setPeer({ ...spec });
    });

    after(async function () {
        this.timeout(60_000);
        await adc?.close();
        await lab?.stop();
    });

    it("create: the router and one neighbor per node, and create returns once every session is Established", async () => {
        assert.equal(await nodesUp(), false, "no BGP on the ADC yet");
        const started = Date.now();
        const r = await router.create(await checked(router, { connection, ...plan.router }));
        routerCreated = { id: r.id, outs: r.outs as Props };
        neighborsInputs = await checked(neighbors, { connection, ...plan.neighbors });
        const n = await neighbors.create(neighborsInputs);
        neighborsCreated = { id: n.id, outs: n.outs as Props };
        recordFigure("providers: router + neighbors create, including the wait for Established (ms)", Date.now() - started);

        assert.deepEqual(
            neighborsCreated.outs.sessions.map((s: Props) => [s.address, s.state]),
            lab.nodes.map((n) => [n.address, "Established"]),
            "the wait returned the Established sessions",
        );
        assert.ok(await nodesUp(), "and every node's BIRD agrees");
        assert.deepEqual(await adc.installedBgpRoutes(), lab.nodes.flatMap((n) => n.blocks.map((b) => [b, n.address])).sort(), "every pod block via its node");
    });

    it("read shows a neighbor removed by hand, and update puts it back until its session is Established again", async () => {
        const node = lab.nodes[0]!;
        await adc.sim.device.configure(["router bgp 500", `no neighbor ${node.address}`]);
        await waitFor(`${node.name} to lose its session`, async () => ((await node.status())[0]?.info !== "Established" ? true : undefined), { timeoutMs: 20_000 });

        const read = await neighbors.read!(neighborsCreated.id, neighborsCreated.outs);
        assert.deepEqual(
            read.inputs!["neighbors"].map((x: Props) => x.address),
            lab.nodes.slice(1).map((n) => n.address),
        );
        assert.equal((await neighbors.diff!(neighborsCreated.id, read.props!, neighborsInputs)).changes, true);

        const started = Date.now();
        const updated = await neighbors.update!(neighborsCreated.id, read.props!, neighborsInputs);
        recordFigure("providers: update restoring a removed neighbor, until Established (ms)", Date.now() - started);
        assert.ok(updated.outs.sessions.every((s: Props) => s.state === "Established"));
        assert.ok(await nodesUp());
        neighborsCreated = { id: neighborsCreated.id, outs: updated.outs };
    });

    it("update with a wrong remote-as fails naming the neighbor, its state and what to check; the right one recovers", async () => {
        const node = lab.nodes[2]!;
        const wrong = await checked(neighbors, {
            connection,
            ...plan.neighbors,
            waitForEstablishedSeconds: 5,
            neighbors: plan.neighbors.neighbors.map((n) => (n.address === node.address ? { ...n, remoteAsn: 64999 } : n)),
        });
        const err = await neighbors.update!(neighborsCreated.id, neighborsCreated.outs, wrong).then(
            () => assert.fail("a session with a wrong remote-as cannot come up"),
            (e: unknown) => e as Error,
        );
        assert.match(err.message, new RegExp(`1 of 3 BGP session\\(s\\) not Established after \\d+ s`));
        assert.match(err.message, new RegExp(`${node.address.replace(/\./g, "\\.")}: (Active|Connect|Idle|OpenSent)`));
        assert.match(err.message, /"Received: Bad peer AS" means the ADC refused the node's AS: the ADC's `neighbor [\d.]+ remote-as` \(64999\) must be the node's AS/);
        // BIRD names the cause once it has tried again after the reset, which its retry timer may put past the 5 s wait.
        const info = await waitFor(
            "the node's side to name the cause the hint points to",
            async () => {
                const shown = (await node.status())[0]?.info ?? "";
                return /Received: Bad peer AS/.test(shown) ? shown : undefined;
            },
            { timeoutMs: 30_000 },
        );
        assert.match(info, /Received: Bad peer AS/);

        const read = await neighbors.read!(neighborsCreated.id, neighborsCreated.outs);
        const fixed = await neighbors.update!(neighborsCreated.id, read.props!, neighborsInputs);
        assert.ok(fixed.outs.sessions.every((s: Props) => s.state === "Established"));
        neighborsCreated = { id: neighborsCreated.id, outs: fixed.outs };
    });

    it("delete: the neighbors and the router go, every node's session goes down, FRR keeps no BGP", async () => {
        await neighbors.delete!(neighborsCreated.id, neighborsCreated.outs);
        await router.delete!(routerCreated.id, routerCreated.outs);
        await waitFor(
            "every node to lose its session",
            async () => ((await Promise.all(lab.nodes.map((n) => n.status()))).every((rows) => rows[0]?.info !== "Established") ? true : undefined),
            { timeoutMs: 20_000 },
        );
        assert.equal(adc.sim.device.state().bgp, null);
        const frr = parseFrrRunningConfig(await lab.adc.router.vtysh(["show running-config"]));
        assert.equal(frr.bgp, null);
    });
});
