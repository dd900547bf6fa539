/**
 * Node discovery against a real kube-apiserver (etcd + kube-apiserver on loopback, Calico's CRDs
 * applied), with nodes written the way calico-node leaves them.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { startKubeApiServer, createCalicoNode, KubeApiServer } from "../../../sandbox/kubeApiServer";
import { discoverCluster, DiscoverClusterArgs } from "../../../provider/component/discovery";
import { ClusterDiscoveryError } from "../../../provider/component/errors";
import {
    createCalicoNodeDaemonSet,
    createPlainNode,
    deleteAllNodes,
    deleteCalicoObject,
    deleteCrdGroup,
    deleteNode,
    installNativeV3Crds,
    putCalicoObject,
} from "./kubeHelpers";

const V1 = "crd.projectcalico.org/v1";

/** The runbook's cluster: a master and two workers on 10.102.33.0/24, the second worker in its own AS. */
async function runbookNodes(kube: KubeApiServer): Promise<void> {
    await createCalicoNode(kube.kubeconfig, { name: "k8s-master", ipv4Address: "10.102.33.201/24" });
    await createCalicoNode(kube.kubeconfig, { name: "k8s-worker-1", ipv4Address: "10.102.33.202/24" });
    await createCalicoNode(kube.kubeconfig, { name: "k8s-worker-2", ipv4Address: "10.102.33.203/24", asNumber: 64513 });
}

async function discoveryError(args: DiscoverClusterArgs): Promise<ClusterDiscoveryError> {
    try {
        await discoverCluster(args);
    } catch (e) {
        assert.ok(e instanceof ClusterDiscoveryError, `expected a ClusterDiscoveryError, got ${String(e)}`);
        return e;
    }
    assert.fail("discovery succeeded");
}

describe("discoverCluster against a real kube-apiserver", function () {
    this.timeout(120_000);
    let kube: KubeApiServer;
    before(async () => {
        kube = await startKubeApiServer();
    });
    after(async () => {
        await kube?.stop();
    });
    beforeEach(async () => {
        await deleteAllNodes(kube.kubeconfig);
        await deleteCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", "default");
    });

    it("reads every node's Calico BGP address, per-node AS and the cluster AS (no BGPConfiguration: 64512)", async () => {
        await runbookNodes(kube);
        const found = await discoverCluster({ kubeconfig: kube.kubeconfig, calicoApi: V1 });
        assert.equal(found.server, kube.server);
        assert.equal(found.kubeconfigSource, "cluster.kubeconfig (contents)");
        assert.deepEqual(found.asn, { value: 64512, source: "Calico default (no BGPConfiguration default)" });
        assert.deepEqual(found.nodes, [
            { name: "k8s-master", address: "10.102.33.201", addressSource: "projectcalico.org/IPv4Address" },
            { name: "k8s-worker-1", address: "10.102.33.202", addressSource: "projectcalico.org/IPv4Address" },
            { name: "k8s-worker-2", address: "10.102.33.203", asn: 64513, addressSource: "projectcalico.org/IPv4Address" },
        ]);
    });

    it("prefers the Calico address over the InternalIP, and falls back to the InternalIP for a node calico-node has not annotated yet", async () => {
        await createCalicoNode(kube.kubeconfig, { name: "a", ipv4Address: "10.102.33.201/24", internalIP: "172.16.0.1" });
        await createPlainNode(kube.kubeconfig, "b-new", "10.102.33.209");
        const found = await discoverCluster({ kubeconfig: kube.kubeconfig, calicoApi: V1, asn: false });
        assert.equal(found.asn, undefined);
        assert.deepEqual(found.nodes, [
            { name: "a", address: "10.102.33.201", addressSource: "projectcalico.org/IPv4Address" },
            { name: "b-new", address: "10.102.33.209", addressSource: "InternalIP" },
        ]);
    });

    it("reads the cluster AS from BGPConfiguration default, and 64512 when it sets none", async () => {
        await runbookNodes(kube);
        await putCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", { kind: "BGPConfiguration", metadata: { name: "default" }, spec: { asNumber: 63400, nodeToNodeMeshEnabled: true } });
        assert.deepEqual((await discoverCluster({ kubeconfig: kube.kubeconfig, calicoApi: V1, nodes: false })).asn, { value: 63400, source: "BGPConfiguration default" });
        await putCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", { kind: "BGPConfiguration", metadata: { name: "default" }, spec: { logSeverityScreen: "Info" } });
        assert.deepEqual((await discoverCluster({ kubeconfig: kube.kubeconfig, calicoApi: V1, nodes: false })).asn, {
            value: 64512,
            source: "Calico default (BGPConfiguration default has no asNumber)",
        });
    });

    it("follows nodes joining and leaving (what makes the next pulumi up add and remove neighbors)", async () => {
        await runbookNodes(kube);
        const names = async () => (await discoverCluster({ kubeconfig: kube.kubeconfig, calicoApi: V1, asn: false })).nodes!.map((n) => n.name);
        assert.deepEqual(await names(), ["k8s-master", "k8s-worker-1", "k8s-worker-2"]);
        await createCalicoNode(kube.kubeconfig, { name: "k8s-worker-3", ipv4Address: "10.102.33.204/24" });
        assert.deepEqual(await names(), ["k8s-master", "k8s-worker-1", "k8s-worker-2", "k8s-worker-3"]);
        await deleteNode(kube.kubeconfig, "k8s-worker-1");
        assert.deepEqual(await names(), ["k8s-master", "k8s-worker-2", "k8s-worker-3"]);
    });

    it("dual stack: reads both of each node's annotations (masks stripped), follows nodes joining, and refuses a node without an IPv6 address naming it and the annotation", async () => {
        await createCalicoNode(kube.kubeconfig, { name: "k8s-master", ipv4Address: "10.102.33.201/24", ipv6Address: "fd00:102:33::201/64" });
        await createCalicoNode(kube.kubeconfig, { name: "k8s-worker-1", ipv4Address: "10.102.33.202/24", ipv6Address: "fd00:102:33::202/64", asNumber: 64513 });
        const read = async () => (await discoverCluster({ kubeconfig: kube.kubeconfig, calicoApi: V1, asn: false, addressFamily: "dual" })).nodes;
        assert.deepEqual(await read(), [
            { name: "k8s-master", address: "10.102.33.201", addressSource: "projectcalico.org/IPv4Address", ipv6: { address: "fd00:102:33::201", addressSource: "projectcalico.org/IPv6Address" } },
            { name: "k8s-worker-1", address: "10.102.33.202", asn: 64513, addressSource: "projectcalico.org/IPv4Address", ipv6: { address: "fd00:102:33::202", addressSource: "projectcalico.org/IPv6Address" } },
        ]);
        await createCalicoNode(kube.kubeconfig, { name: "k8s-worker-2", ipv4Address: "10.102.33.203/24", ipv6Address: "fd00:102:33::203/64" });
        assert.deepEqual((await read())!.map((n) => n.ipv6?.address), ["fd00:102:33::201", "fd00:102:33::202", "fd00:102:33::203"]);
        await deleteNode(kube.kubeconfig, "k8s-worker-1");
        assert.deepEqual((await read())!.map((n) => n.ipv6?.address), ["fd00:102:33::201", "fd00:102:33::203"]);
        // An IPv4-only node (calico-node with IP6=none) cannot peer over IPv6: refused, not skipped.
        await createCalicoNode(kube.kubeconfig, { name: "k8s-worker-9", ipv4Address: "10.102.33.209/24" });
        const e = await discoveryError({ kubeconfig: kube.kubeconfig, calicoApi: V1, asn: false, addressFamily: "dual" });
        assert.match(e.message, /node "k8s-worker-9" has no projectcalico\.org\/IPv6Address annotation and no IPv6 InternalIP/);
        assert.match(e.fix, /ipv6Address.*leave adc\.ipv6PeerAddress unset/);
        // The same cluster peers over IPv4 alone.
        assert.equal((await discoverCluster({ kubeconfig: kube.kubeconfig, calicoApi: V1, asn: false })).nodes!.length, 3);
    });

    it("reads the kubeconfig from a path, from $KUBECONFIG, and honours the context", async () => {
        await runbookNodes(kube);
        const byPath = await discoverCluster({ kubeconfig: kube.kubeconfigPath, calicoApi: V1 });
        assert.equal(byPath.kubeconfigSource, kube.kubeconfigPath);
        assert.equal(byPath.nodes!.length, 3);
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "discovery-home-"));
        try {
            const byEnv = await discoverCluster({ env: { KUBECONFIG: kube.kubeconfigPath }, homeDir: home, calicoApi: V1 });
            assert.equal(byEnv.nodes!.length, 3);
        } finally {
            fs.rmSync(home, { recursive: true, force: true });
        }
        const e = await discoveryError({ kubeconfig: kube.kubeconfig, context: "staging", calicoApi: V1 });
        assert.match(e.message, /has no context "staging"/);
    });

    it("finds calico-node's namespace from its DaemonSet: kube-system for a manifest install", async () => {
        await runbookNodes(kube);
        const e = await discoveryError({ kubeconfig: kube.kubeconfig, calicoApi: V1, calicoNodeNamespace: true });
        assert.match(e.message, /no calico-node DaemonSet in calico-system or kube-system/);
        assert.match(e.fix, /set calicoNamespace/);
        await createCalicoNodeDaemonSet(kube.kubeconfig, "kube-system");
        const after = await discoverCluster({ kubeconfig: kube.kubeconfig, calicoApi: V1, calicoNodeNamespace: true });
        assert.deepEqual(after.calicoNodeNamespace, { value: "kube-system", source: "DaemonSet kube-system/calico-node" });
    });

    describe("fails with what to fix", () => {
        it("projectcalico.org/v3 not served (no Calico API server): says to install it or use crd.projectcalico.org/v1", async () => {
            await runbookNodes(kube);
            const e = await discoveryError({ kubeconfig: kube.kubeconfig });
            assert.match(e.message, /projectcalico\.org\/v3 is not served: the cluster has Calico's crd\.projectcalico\.org\/v1 CRDs but no Calico API server/);
            assert.match(e.fix, /install the Calico API server/);
            assert.match(e.fix, /calicoApi: "crd\.projectcalico\.org\/v1"/);
            assert.equal(e.where, `Kubernetes API ${kube.server}`);
        });

        it("a cluster without nodes", async () => {
            const e = await discoveryError({ kubeconfig: kube.kubeconfig, calicoApi: V1 });
            assert.match(e.message, /the cluster has no nodes/);
        });

        it("nodes without any Calico annotation (calico-node not running)", async () => {
            await createPlainNode(kube.kubeconfig, "a", "10.0.0.1");
            await createPlainNode(kube.kubeconfig, "b", "10.0.0.2");
            const e = await discoveryError({ kubeconfig: kube.kubeconfig, calicoApi: V1 });
            assert.match(e.message, /none of the 2 nodes carries calico-node's projectcalico\.org\/\* annotations/);
            assert.match(e.fix, /kubectl get pods -A -l k8s-app=calico-node/);
        });

        it("a node without any address, naming it", async () => {
            await runbookNodes(kube);
            await createPlainNode(kube.kubeconfig, "k8s-worker-9");
            const e = await discoveryError({ kubeconfig: kube.kubeconfig, calicoApi: V1 });
            assert.match(e.message, /node "k8s-worker-9" has no projectcalico\.org\/IPv4Address annotation and no IPv4 InternalIP/);
            assert.match(e.fix, /list cluster\.nodes/);
        });

        it("two nodes claiming one address", async () => {
            await createCalicoNode(kube.kubeconfig, { name: "a", ipv4Address: "10.0.0.1/24" });
            await createCalicoNode(kube.kubeconfig, { name: "b", ipv4Address: "10.0.0.1/24" });
            assert.match((await discoveryError({ kubeconfig: kube.kubeconfig, calicoApi: V1 })).message, /nodes "a" and "b" both have BGP address 10\.0\.0\.1/);
        });

        it("an unreachable API server", async () => {
            const port = await closedPort();
            const kubeconfig = kube.kubeconfig.replace(kube.server, `https://127.0.0.1:${port}`);
            const e = await discoveryError({ kubeconfig, calicoApi: V1 });
            assert.match(e.message, new RegExp(`^Kubernetes API https://127\\.0\\.0\\.1:${port}: cannot be reached \\(ECONNREFUSED`));
            assert.match(e.fix, /kubectl get nodes/);
        });

        it("an API server that does not answer in time", async () => {
            const silent = net.createServer(() => undefined);
            await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
            try {
                const port = (silent.address() as net.AddressInfo).port;
                const kubeconfig = kube.kubeconfig.replace(kube.server, `https://127.0.0.1:${port}`);
                const e = await discoveryError({ kubeconfig, calicoApi: V1, timeoutMs: 500 });
                assert.match(e.message, /no answer to GET \/apis within 500 ms/);
            } finally {
                silent.close();
            }
        });

        it("an API server whose certificate the kubeconfig does not trust", async () => {
            const kubeconfig = kube.kubeconfig.replace(/certificate-authority-data: .*/, `certificate-authority-data: ${otherCa()}`);
            const e = await discoveryError({ kubeconfig, calicoApi: V1 });
            assert.match(e.message, /TLS failed/);
            assert.match(e.fix, /certificate-authority-data/);
        });

        it("credentials the API server rejects", async () => {
            const kubeconfig = kube.kubeconfig.replace(/token: .*/, "token: not-the-token");
            const e = await discoveryError({ kubeconfig, calicoApi: V1 });
            assert.match(e.message, /rejected the credentials \(401\)/);
        });
    });

    describe("with Calico's native projectcalico.org/v3 CRDs", () => {
        before(async () => {
            await installNativeV3Crds(kube.kubeconfig);
        });

        it("accepts the default API group and reads BGPConfiguration default through it", async () => {
            await runbookNodes(kube);
            await putCalicoObject(kube.kubeconfig, "projectcalico.org/v3", "bgpconfigurations", { kind: "BGPConfiguration", metadata: { name: "default" }, spec: { asNumber: 65100 } });
            try {
                const found = await discoverCluster({ kubeconfig: kube.kubeconfig });
                assert.deepEqual(found.asn, { value: 65100, source: "BGPConfiguration default" });
                assert.equal(found.nodes!.length, 3);
            } finally {
                await deleteCalicoObject(kube.kubeconfig, "projectcalico.org/v3", "bgpconfigurations", "default");
            }
        });

        it("says to use projectcalico.org/v3 when only the native v3 CRDs exist", async () => {
            await runbookNodes(kube);
            await deleteCrdGroup(kube.kubeconfig, "crd.projectcalico.org");
            const e = await discoveryError({ kubeconfig: kube.kubeconfig, calicoApi: V1 });
            assert.match(e.message, /crd\.projectcalico\.org\/v1 is not served: this cluster uses Calico's native projectcalico\.org\/v3 CRDs/);
        });

        it("says Calico is not installed when neither group is served", async () => {
            await runbookNodes(kube);
            await deleteCrdGroup(kube.kubeconfig, "projectcalico.org");
            const e = await discoveryError({ kubeconfig: kube.kubeconfig });
            assert.match(e.message, /Calico is not installed in this cluster/);
        });
    });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
}

/** A freshly made self-signed CA certificate unrelated to the test cluster, base64 PEM. */
function otherCa(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "other-ca-"));
    try {
        execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path.join(dir, "k"), "-out", path.join(dir, "c"), "-subj", "/CN=other-test-ca", "-days", "1"], { stdio: "ignore" });
        return fs.readFileSync(path.join(dir, "c")).toString("base64");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
