/**
 * CalicoAdcPeering reading its nodes and AS from a real kube-apiserver at program time (the Pulumi
 * side under the mock monitor): the neighbor set follows the cluster, and a cluster the peering
 * cannot work with stops the program before any child is registered.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { startKubeApiServer, createCalicoNode, createCalicoStartupObjects, KubeApiServer } from "../../../sandbox/kubeApiServer";
import { expectProgramFailure, installMocks, kubernetesAutoName, Registration, valueOf, find, unwrapSecrets, isSecretValue } from "../../unit/calico/pulumiMocks";
import { CalicoAdcPeering } from "../../../provider/component/calicoAdcPeering";
import { ClusterDiscoveryError } from "../../../provider/component/errors";
import { createCalicoNodeDaemonSet, deleteAllNodes, deleteCalicoObject, deleteNode, putCalicoObject } from "./kubeHelpers";

const NEIGHBORS = "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpNeighbors";
const V1 = "crd.projectcalico.org/v1";
const connection = { host: "192.0.2.10", password: pulumi.secret("nsroot-password"), hostKeyFingerprint: "SHA256:abc" };
const adc = { connection, asn: 500, peerAddress: "10.102.33.208" };


describe("CalicoAdcPeering with nodes discovered from a real kube-apiserver", function () {
    this.timeout(120_000);
    let kube: KubeApiServer;
    let regs: Registration[];
    before(async () => {
        kube = await startKubeApiServer();
        await createCalicoStartupObjects(kube);
    });
    after(async () => {
        await kube?.stop();
    });
    beforeEach(async () => {
        regs = installMocks({ outputs: kubernetesAutoName });
        await deleteAllNodes(kube.kubeconfig);
        await deleteCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", "default");
        await createCalicoNode(kube.kubeconfig, { name: "k8s-master", ipv4Address: "10.102.33.201/24" });
        await createCalicoNode(kube.kubeconfig, { name: "k8s-worker-1", ipv4Address: "10.102.33.202/24" });
    });

    async function neighborsOf(name: string, p: CalicoAdcPeering): Promise<unknown> {
        await valueOf(p.sessions);
        return find(regs, NEIGHBORS, `${name}-neighbors`).inputs.neighbors;
    }

    it("peers every node at its Calico address in the cluster's AS, with the kubeconfig's own provider", async () => {
        const p = new CalicoAdcPeering("adc", { adc, cluster: { kubeconfig: pulumi.secret(kube.kubeconfig) }, calicoApi: V1 });
        assert.deepEqual(await neighborsOf("adc", p), [
            { address: "10.102.33.201", remoteAsn: 64512, description: "k8s-master" },
            { address: "10.102.33.202", remoteAsn: 64512, description: "k8s-worker-1" },
        ]);
        assert.equal(await valueOf(p.clusterAsn), 64512);
        assert.deepEqual((await valueOf(p.nodes)).map((n) => n.addressSource), ["projectcalico.org/IPv4Address", "projectcalico.org/IPv4Address"]);
        assert.ok(isSecretValue(find(regs, "pulumi:providers:kubernetes", "adc-k8s").inputs.kubeconfig));
        assert.ok(find(regs, `kubernetes:${V1}:BGPPeer`, "adc-bgppeer").provider.includes("adc-k8s"));
    });

    it("a node joining or leaving changes the neighbor set of the next program run; the cluster AS comes from BGPConfiguration", async () => {
        await putCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", { kind: "BGPConfiguration", metadata: { name: "default" }, spec: { asNumber: 63400 } });
        await createCalicoNode(kube.kubeconfig, { name: "k8s-worker-2", ipv4Address: "10.102.33.203/24", asNumber: 64513 });
        await deleteNode(kube.kubeconfig, "k8s-master");
        const p = new CalicoAdcPeering("adc", { adc, cluster: { kubeconfig: kube.kubeconfig }, calicoApi: V1 });
        assert.deepEqual(await neighborsOf("adc", p), [
            { address: "10.102.33.202", remoteAsn: 63400, description: "k8s-worker-1" },
            { address: "10.102.33.203", remoteAsn: 64513, description: "k8s-worker-2" },
        ]);
    });

    it("reads the kubeconfig from the stack's kubernetes:kubeconfig, as the default provider does", async () => {
        pulumi.runtime.setConfig("kubernetes:kubeconfig", kube.kubeconfigPath);
        try {
            const p = new CalicoAdcPeering("adc", { adc, calicoApi: V1 });
            assert.equal(((await neighborsOf("adc", p)) as unknown[]).length, 2);
            assert.equal(regs.filter((r) => r.type === "pulumi:providers:kubernetes").length, 0, "the default provider already follows that config");
        } finally {
            pulumi.runtime.setConfig("kubernetes:kubeconfig", "");
        }
    });

    it("puts the password's Secret where calico-node runs (kube-system for a manifest install)", async () => {
        await createCalicoNodeDaemonSet(kube.kubeconfig, "kube-system");
        const p = new CalicoAdcPeering("adc", { adc, cluster: { kubeconfig: kube.kubeconfig }, calicoApi: V1, bgpPassword: pulumi.secret("s3cret") });
        await valueOf(p.sessions);
        const secret = find(regs, "kubernetes:core/v1:Secret", "adc-bgp-password");
        assert.equal((unwrapSecrets(secret.inputs.metadata) as { namespace: string }).namespace, "kube-system");
        const binding = unwrapSecrets(find(regs, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "adc-bgp-password-reader").inputs) as { subjects: unknown };
        assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "calico-node", namespace: "kube-system" }]);
    });

    it("lists nodes explicitly without touching the cluster when nodes, AS, pools and release are given", async () => {
        const p = new CalicoAdcPeering("adc", {
            adc,
            cluster: { asn: 64512, nodes: [{ name: "static", address: "10.102.33.250" }], ipPools: [{ cidr: "192.168.0.0/16" }], kubeconfig: kube.kubeconfig.replace(kube.server, "https://127.0.0.1:1") },
            calicoApi: V1,
            calicoVersion: "3.31.7",
        });
        assert.deepEqual(await neighborsOf("adc", p), [{ address: "10.102.33.250", remoteAsn: 64512, description: "static" }]);
    });

    it("stops the program before any child when the cluster lacks the API group, saying what to do", async () => {
        const failure = expectProgramFailure();
        new CalicoAdcPeering("adc", { adc, cluster: { kubeconfig: kube.kubeconfig } });
        const e = await failure;
        assert.ok(e instanceof ClusterDiscoveryError, String(e));
        assert.match(e.message, /projectcalico\.org\/v3 is not served/);
        assert.match(e.message, /set calicoApi: "crd\.projectcalico\.org\/v1"/);
        assert.deepEqual(regs.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.name), []);
    });

    it("stops the program when the cluster cannot be reached", async () => {
        const failure = expectProgramFailure();
        new CalicoAdcPeering("adc", { adc, cluster: { kubeconfig: kube.kubeconfig.replace(kube.server, "https://127.0.0.1:1") }, calicoApi: V1 });
        const e = await failure;
        assert.ok(e instanceof ClusterDiscoveryError, String(e));
        assert.match(e.message, /cannot be reached \(ECONNREFUSED/);
        assert.deepEqual(regs.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.name), []);
    });
});
