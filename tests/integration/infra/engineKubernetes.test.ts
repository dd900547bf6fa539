import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import { createEngineStack, EngineStack } from "../../../sandbox/pulumiEngine";
import { kubeClientModule, kubeConfig, KubeApiServer, startKubeApiServer } from "../../../sandbox/kubeApiServer";

describe("Pulumi engine harness: the Kubernetes plugin against the test API server", function () {
    this.timeout(240_000);
    let kube: KubeApiServer;
    let engine: EngineStack;

    before(async () => {
        kube = await startKubeApiServer();
        engine = await createEngineStack({
            program: async () => {
                const provider = new k8s.Provider("test-cluster", { kubeconfig: kube.kubeconfig });
                const cm = new k8s.core.v1.ConfigMap(
                    "settings",
                    { metadata: { name: "settings", namespace: "default" }, data: { asNumber: "500" } },
                    { provider },
                );
                const peer = new k8s.apiextensions.CustomResource(
                    "adc",
                    {
                        apiVersion: "crd.projectcalico.org/v1",
                        kind: "BGPPeer",
                        metadata: { name: "adc" },
                        spec: { peerIP: "192.0.2.10", asNumber: 500 },
                    },
                    { provider },
                );
                return { configMap: cm.metadata.name, peer: peer.metadata.name };
            },
        });
    });
    after(async () => {
        await engine?.cleanup();
        await kube?.stop();
    });

    it("creates a ConfigMap and a Calico BGPPeer through pulumi-resource-kubernetes, then deletes them", async () => {
        const client = await kubeClientModule();
        const kc = await kubeConfig(kube.kubeconfig);
        const core = kc.makeApiClient(client.CoreV1Api);
        const custom = kc.makeApiClient(client.CustomObjectsApi);
        const peerRef = { group: "crd.projectcalico.org", version: "v1", plural: "bgppeers", name: "adc" };

        const up = await engine.stack.up();
        assert.equal(up.summary.resourceChanges?.["create"], 4); // stack, provider, ConfigMap, BGPPeer
        assert.equal((await core.readNamespacedConfigMap({ name: "settings", namespace: "default" })).data?.["asNumber"], "500");
        const peer = (await custom.getClusterCustomObject(peerRef)) as { spec: unknown };
        assert.deepEqual(peer.spec, { peerIP: "192.0.2.10", asNumber: 500 });

        await engine.stack.preview({ expectNoChanges: true });

        const destroy = await engine.stack.destroy();
        assert.equal(destroy.summary.resourceChanges?.["delete"], 4);
        await assert.rejects(custom.getClusterCustomObject(peerRef), (e: { code?: number }) => e.code === 404);
        await assert.rejects(
            core.readNamespacedConfigMap({ name: "settings", namespace: "default" }),
            (e: { code?: number }) => e.code === 404,
        );
    });
});
