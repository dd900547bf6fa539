import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { nodeBgpEndpoint, nodeDualStackEndpoint, parseAsNumber, hasCalicoAnnotations, KubeNode } from "../../../provider/component/nodeAddresses";
import { isKubeconfigContents, loadKubeconfig } from "../../../provider/component/kubeconfig";
import { ClusterDiscoveryError } from "../../../provider/component/errors";

/** A node as `GET /api/v1/nodes` returns it on a Calico (KDD) cluster. */
function node(name: string, annotations: Record<string, string>, addresses: { type: string; address: string }[] = []): KubeNode {
    return { metadata: { name, annotations }, status: { addresses } };
}

describe("node BGP endpoints", () => {
    it("takes Calico's IPv4Address annotation without the mask", () => {
        const n = node("k8s-worker-1", { "projectcalico.org/IPv4Address": "10.102.33.202/24", "projectcalico.org/IPv4IPIPTunnelAddr": "192.168.235.192" }, [{ type: "InternalIP", address: "172.16.0.5" }]);
        assert.deepEqual(nodeBgpEndpoint(n, "ipv4"), { name: "k8s-worker-1", address: "10.102.33.202", addressSource: "projectcalico.org/IPv4Address" });
    });
    it("falls back to the InternalIP of the peering's family", () => {
        const n = node("new-node", {}, [
            { type: "Hostname", address: "new-node" },
            { type: "InternalIP", address: "fd00::7" },
            { type: "InternalIP", address: "10.102.33.207" },
        ]);
        assert.deepEqual(nodeBgpEndpoint(n, "ipv4"), { name: "new-node", address: "10.102.33.207", addressSource: "InternalIP" });
        assert.deepEqual(nodeBgpEndpoint(n, "ipv6"), { name: "new-node", address: "fd00::7", addressSource: "InternalIP" });
    });
    it("uses the IPv6 annotation for IPv6 peerings", () => {
        const n = node("n", { "projectcalico.org/IPv4Address": "10.0.0.1/24", "projectcalico.org/IPv6Address": "fd00::1/64" });
        assert.deepEqual(nodeBgpEndpoint(n, "ipv6"), { name: "n", address: "fd00::1", addressSource: "projectcalico.org/IPv6Address" });
    });
    it("for a dual-stack peering, takes both annotations, and refuses a node with no IPv6 address naming the annotation", () => {
        const n = node("n", { "projectcalico.org/IPv4Address": "10.0.0.1/24", "projectcalico.org/IPv6Address": "fd00::1/64", "projectcalico.org/ASNumber": "64513" });
        assert.deepEqual(nodeDualStackEndpoint(n), { name: "n", address: "10.0.0.1", asn: 64513, addressSource: "projectcalico.org/IPv4Address", ipv6: { address: "fd00::1", addressSource: "projectcalico.org/IPv6Address" } });
        assert.deepEqual(nodeDualStackEndpoint(node("v4only", { "projectcalico.org/IPv4Address": "10.0.0.2/24" })), { name: "v4only", problem: "has no projectcalico.org/IPv6Address annotation and no IPv6 InternalIP" });
        assert.deepEqual(nodeDualStackEndpoint(node("bad-as", { "projectcalico.org/IPv4Address": "10.0.0.2/24", "projectcalico.org/ASNumber": "x" })), {
            name: "bad-as",
            problem: 'has projectcalico.org/ASNumber "x", which is not an AS number (1..4294967295 or asdot X.Y)',
        });
    });
    it("takes a per-node AS from projectcalico.org/ASNumber", () => {
        const n = node("n", { "projectcalico.org/IPv4Address": "10.0.0.1/32", "projectcalico.org/ASNumber": "64513" });
        assert.deepEqual(nodeBgpEndpoint(n, "ipv4"), { name: "n", address: "10.0.0.1", asn: 64513, addressSource: "projectcalico.org/IPv4Address" });
    });
    it("says why a node has no endpoint", () => {
        assert.deepEqual(nodeBgpEndpoint(node("bare", {}), "ipv4"), { name: "bare", problem: "has no projectcalico.org/IPv4Address annotation and no IPv4 InternalIP" });
        assert.match((nodeBgpEndpoint(node("x", { "projectcalico.org/IPv4Address": "garbage" }), "ipv4") as { problem: string }).problem, /"garbage", which is not an IPv4 address/);
        assert.match((nodeBgpEndpoint(node("x", { "projectcalico.org/IPv4Address": "10.0.0.1/24", "projectcalico.org/ASNumber": "AS65000" }), "ipv4") as { problem: string }).problem, /not an AS number/);
    });
    it("parses AS numbers as plain or asdot", () => {
        assert.equal(parseAsNumber("64512"), 64512);
        assert.equal(parseAsNumber("1.10"), 65546);
        assert.equal(parseAsNumber("4294967295"), 4294967295);
        for (const bad of ["0", "4294967296", "65536.1", "-1", "", "1e5", "AS1"]) assert.equal(parseAsNumber(bad), undefined, bad);
    });
    it("recognises calico-node's annotations", () => {
        assert.equal(hasCalicoAnnotations(node("a", { "projectcalico.org/IPv4VXLANTunnelAddr": "10.1.0.1" })), true);
        assert.equal(hasCalicoAnnotations(node("a", { "node.alpha.kubernetes.io/ttl": "0" })), false);
        assert.equal(hasCalicoAnnotations({ metadata: { name: "a", annotations: null } }), false);
    });
});

describe("kubeconfig loading rules", () => {
    const cfg = (server: string) => `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: main\n  context: {cluster: c, user: u}\n- name: other\n  context: {cluster: c, user: u}\ncurrent-context: main\n`;
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-test-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("tells contents from a path as the Kubernetes provider does", () => {
        assert.equal(isKubeconfigContents(cfg("https://a")), true);
        assert.equal(isKubeconfigContents('{"apiVersion":"v1"}'), true);
        assert.equal(isKubeconfigContents("~/.kube/config"), false);
        assert.equal(isKubeconfigContents("/etc/kubernetes/admin.conf"), false);
    });

    it("loads contents, a path (with ~), and a named context", async () => {
        const file = path.join(dir, "config");
        fs.writeFileSync(file, cfg("https://10.0.0.1:6443"));
        assert.equal((await loadKubeconfig({ kubeconfig: cfg("https://10.0.0.2:6443") })).server, "https://10.0.0.2:6443");
        const fromFile = await loadKubeconfig({ kubeconfig: file });
        assert.equal(fromFile.source, file);
        assert.equal((await loadKubeconfig({ kubeconfig: "~/config", homeDir: dir })).server, "https://10.0.0.1:6443");
        assert.equal((await loadKubeconfig({ kubeconfig: file, context: "other" })).kc.getCurrentContext(), "other");
    });

    it("follows $KUBECONFIG, then ~/.kube/config", async () => {
        const a = path.join(dir, "a");
        fs.writeFileSync(a, cfg("https://env:6443"));
        assert.equal((await loadKubeconfig({ env: { KUBECONFIG: `${path.join(dir, "missing")}${path.delimiter}${a}` }, homeDir: dir })).server, "https://env:6443");
        fs.mkdirSync(path.join(dir, ".kube"));
        fs.writeFileSync(path.join(dir, ".kube", "config"), cfg("https://home:6443"));
        const home = await loadKubeconfig({ env: {}, homeDir: dir });
        assert.equal(home.server, "https://home:6443");
        assert.equal(home.source, path.join(dir, ".kube", "config"));
    });

    it("fails with the fix when there is no kubeconfig anywhere", async () => {
        await assert.rejects(loadKubeconfig({ env: {}, homeDir: dir }), (e: unknown) => {
            assert.ok(e instanceof ClusterDiscoveryError);
            assert.match(e.message, /no kubeconfig found/);
            assert.match(e.message, /fix: set cluster\.kubeconfig .* or list cluster\.nodes and set cluster\.asn/);
            return true;
        });
        await assert.rejects(loadKubeconfig({ env: { KUBECONFIG: path.join(dir, "nope") }, homeDir: dir }), /\$KUBECONFIG: none of its files exist/);
        await assert.rejects(loadKubeconfig({ kubeconfig: path.join(dir, "nope") }), /does not exist \(a one-line value is read as a path\)/);
        await assert.rejects(loadKubeconfig({ kubeconfig: cfg("https://a"), context: "prod" }), /has no context "prod" \(contexts: main, other\)/);
        await assert.rejects(loadKubeconfig({ kubeconfig: "apiVersion: v1\nkind: Config\nclusters: []\n" }), /has no current context/);
    });
});
