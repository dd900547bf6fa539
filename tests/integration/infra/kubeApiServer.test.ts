import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import * as path from "node:path";
import { createCalicoNode, kubeClientModule, kubeConfig, KubeApiServer, startKubeApiServer } from "../../../sandbox/kubeApiServer";

describe("kube-apiserver harness", function () {
    this.timeout(120_000);
    let kube: KubeApiServer;

    before(async () => {
        kube = await startKubeApiServer();
    });
    after(async () => {
        await kube?.stop();
    });

    async function customObjects() {
        const client = await kubeClientModule();
        return (await kubeConfig(kube.kubeconfig)).makeApiClient(client.CustomObjectsApi);
    }

    it("serves every crd.projectcalico.org/v1 kind in the applied CRD folder, and not projectcalico.org/v3", async () => {
        const client = await kubeClientModule();
        const kc = await kubeConfig(kube.kubeconfig);
        const expected = readdirSync(kube.calicoCrds)
            .filter((f) => f.startsWith("crd.projectcalico.org_"))
            .map((f) => f.replace(/^crd\.projectcalico\.org_(.*)\.yaml$/, "$1"))
            .sort();
        assert.ok(expected.includes("bgppeers"), `no BGPPeer CRD in ${kube.calicoCrds}`);
        const groups = await kc.makeApiClient(client.ApisApi).getAPIVersions();
        const calico = groups.groups.find((g) => g.name === "crd.projectcalico.org");
        assert.deepEqual(calico?.versions.map((v) => v.version), ["v1"]);
        assert.equal(groups.groups.find((g) => g.name === "projectcalico.org"), undefined);
        const list = await kc.makeApiClient(client.CustomObjectsApi).listClusterCustomObject({
            group: "crd.projectcalico.org",
            version: "v1",
            plural: "bgppeers",
        });
        assert.deepEqual((list as { items: unknown[] }).items, []);
    });

    it("stores a BGPPeer and enforces the CRD schema", async () => {
        const api = await customObjects();
        const peer = {
            apiVersion: "crd.projectcalico.org/v1",
            kind: "BGPPeer",
            metadata: { name: "adc" },
            spec: { peerIP: "192.0.2.10", asNumber: 500, unknownField: "pruned" },
        };
        await api.createClusterCustomObject({ group: "crd.projectcalico.org", version: "v1", plural: "bgppeers", body: peer });
        const stored = (await api.getClusterCustomObject({
            group: "crd.projectcalico.org",
            version: "v1",
            plural: "bgppeers",
            name: "adc",
        })) as { spec: Record<string, unknown> };
        assert.deepEqual(stored.spec, { peerIP: "192.0.2.10", asNumber: 500 });

        await assert.rejects(
            api.createClusterCustomObject({
                group: "crd.projectcalico.org",
                version: "v1",
                plural: "bgppeers",
                body: { ...peer, metadata: { name: "bad" }, spec: { peerIP: "192.0.2.11", asNumber: "five hundred" } },
            }),
            (e: { code?: number; body?: string }) => e.code === 422 && /asNumber/.test(String(e.body)),
        );
    });

    it("creates Nodes the way calico-node annotates them", async () => {
        await createCalicoNode(kube.kubeconfig, { name: "worker-1", ipv4Address: "10.0.0.11/24", asNumber: 64512 });
        const client = await kubeClientModule();
        const core = (await kubeConfig(kube.kubeconfig)).makeApiClient(client.CoreV1Api);
        const node = await core.readNode({ name: "worker-1" });
        assert.equal(node.metadata?.annotations?.["projectcalico.org/IPv4Address"], "10.0.0.11/24");
        assert.equal(node.metadata?.annotations?.["projectcalico.org/ASNumber"], "64512");
        assert.deepEqual(node.status?.addresses?.find((a) => a.type === "InternalIP")?.address, "10.0.0.11");
    });
});

describe("kube-apiserver harness lifecycle", function () {
    this.timeout(120_000);

    it("stops etcd, the API server and the controller manager, and removes their directory", async () => {
        const kube = await startKubeApiServer();
        let pids: number[] = [];
        try {
            pids = ["etcd", "kube-apiserver", "kube-controller-manager"].map((n) => Number(readFileSync(path.join(kube.dir, `${n}.pid`), "utf8")));
            for (const pid of pids) assert.ok(alive(pid), `process ${pid} is not running after start`);
        } finally {
            await kube.stop();
        }
        for (const pid of pids) assert.equal(alive(pid), false, `process ${pid} still runs after stop()`);
        assert.equal(existsSync(kube.dir), false);
        const port = Number(new URL(kube.server).port);
        await assert.rejects(
            new Promise((resolve, reject) => connect(port, "127.0.0.1").on("connect", resolve).on("error", reject)),
            /ECONNREFUSED/,
        );
    });
});

/** Running, not merely a zombie waiting for init (which adopted the servers) to reap it. */
function alive(pid: number): boolean {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch {
        return false;
    }
}
