/**
 * The runbook as a user runs it — the example program through the real Pulumi engine — against
 * real BGP speakers: the ADC simulator's routing on FRR, and three Calico nodes on BIRD whose
 * configuration follows the BGPPeer the stack writes to a real kube-apiserver, the way
 * calico-node follows it (watch BGPPeers, render BIRD).
 */
import { strict as assert } from "node:assert";
import type { BgpPeerSpec } from "./support/calicoBird";
import { waitFor } from "./support/exec";
import { recordFigure } from "./support/figures";
import { Lab, LAB_ADC_ADDRESS } from "./support/lab";
import { LAB_PASSWORD, LAB_USER, startLabSimulator, type LabSimulator } from "./support/labSimulator";
import { assertLabPrerequisites } from "./support/prerequisites";
import { createEngineStack, type EngineStack } from "../../sandbox/pulumiEngine";
import { exampleProgram } from "../support/examples";
import { createCalicoNode, createCalicoStartupObjects, kubeClientModule, kubeConfig, startKubeApiServer, type KubeApiServer } from "../../sandbox/kubeApiServer";

/** calico-node's part: render every BGPPeer into BIRD on every node, until stopped. */
function followBgpPeers(kube: KubeApiServer, lab: Lab): { stop(): Promise<void> } {
    let running = true;
    let applied = "";
    const loop = (async () => {
        const client = await kubeClientModule();
        const api = (await kubeConfig(kube.kubeconfig)).makeApiClient(client.CustomObjectsApi);
        while (running) {
            const list = (await api.listClusterCustomObject({ group: "crd.projectcalico.org", version: "v1", plural: "bgppeers" })) as { items: { spec: BgpPeerSpec }[] };
            const spec = list.items[0]?.spec;
            const key = JSON.stringify(spec ?? null);
            if (spec && key !== applied) {
                await lab.setPeer({ ...spec });
                applied = key;
            }
            await new Promise((r) => setTimeout(r, 200));
        }
    })();
    return {
        async stop() {
            running = false;
            await loop;
        },
    };
}

describe("lab: the runbook through the Pulumi engine against FRR and BIRD", function () {
    this.timeout(180_000);
    let lab: Lab;
    let adc: LabSimulator;
    let kube: KubeApiServer;
    let engine: EngineStack;
    let calicoNode: { stop(): Promise<void> };

    const nodeStates = async () => Promise.all(lab.nodes.map(async (n) => (await n.status())[0]?.info ?? "no peer"));

    before(async function () {
        this.timeout(120_000);
        assertLabPrerequisites();
        lab = await Lab.start({ nodes: 3 });
        adc = await startLabSimulator(lab);
        kube = await startKubeApiServer();
        for (const n of lab.nodes) await createCalicoNode(kube.kubeconfig, { name: n.name, ipv4Address: `${n.address}/24` });
        await createCalicoStartupObjects(kube);
        calicoNode = followBgpPeers(kube, lab);
        engine = await createEngineStack({
            projectName: "runbook",
            program: exampleProgram("runbook"),
            config: {
                "runbook:adcHost": { value: adc.sim.host },
                "runbook:adcPort": { value: String(adc.sim.port) },
                "runbook:adcUsername": { value: LAB_USER },
                "runbook:adcPassword": { value: LAB_PASSWORD, secret: true },
                "runbook:adcHostKey": { value: adc.sim.hostKeyFingerprint },
                "runbook:adcPeerAddress": { value: LAB_ADC_ADDRESS },
                "runbook:kubeconfig": { value: kube.kubeconfig, secret: true },
                "runbook:calicoApi": { value: "crd.projectcalico.org/v1" },
                "runbook:waitForEstablished": { value: "60" },
            },
            env: { PULUMI_CALICO_ADC_QUIET: "1" },
        });
    });

    after(async function () {
        this.timeout(120_000);
        await calicoNode?.stop();
        await engine?.cleanup();
        await kube?.stop();
        await adc?.close();
        await lab?.stop();
    });

    it("up returns once every session is Established on both ends, and the ADC installs every pod block via its node", async () => {
        const started = Date.now();
        const up = await engine.stack.up();
        recordFigure("engine: pulumi up of the runbook until every session is Established (ms)", Date.now() - started);
        assert.equal(up.summary.result, "succeeded");
        const sessions = up.outputs.sessions!.value as { address: string; state: string }[];
        assert.deepEqual(
            sessions.map((s) => [s.address, s.state]),
            lab.nodes.map((n) => [n.address, "Established"]),
        );
        assert.deepEqual(await nodeStates(), lab.nodes.map(() => "Established"));
        assert.deepEqual(await adc.installedBgpRoutes(), lab.nodes.flatMap((n) => n.blocks.map((b) => [b, n.address])).sort(), "every pod block via its node");
    });

    it("a neighbor removed by hand drops its session; refresh shows it and up restores it", async () => {
        const node = lab.nodes[1]!;
        await adc.sim.device.configure(["router bgp 500", `no neighbor ${node.address}`]);
        await waitFor(`${node.name} to lose its session`, async () => ((await node.status())[0]?.info !== "Established" ? true : undefined), { timeoutMs: 30_000 });

        const drift = await engine.stack.previewRefresh();
        assert.equal(drift.changeSummary.update, 1, JSON.stringify(drift.changeSummary));
        await engine.stack.refresh();
        const up = await engine.stack.up();
        assert.ok((up.outputs.sessions!.value as { state: string }[]).every((s) => s.state === "Established"));
        assert.deepEqual(await nodeStates(), lab.nodes.map(() => "Established"));
    });
});
