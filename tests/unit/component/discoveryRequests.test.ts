/**
 * How discovery talks to the API server, against a real HTTP server on loopback that answers as
 * a kube-apiserver with Calico's v1 CRDs would: which requests, and that the independent reads
 * are in flight together (the program waits for discovery before any resource registers).
 */
import { strict as assert } from "assert";
import * as http from "http";
import type { AddressInfo } from "net";
import { discoverCluster } from "../../../provider/component/discovery";
import { ClusterDiscoveryError } from "../../../provider/component/errors";

const V1 = "crd.projectcalico.org/v1";

interface Answers {
    bgpConfiguration?: unknown;
    nodesStatus?: number;
}

/** Answers `/apis` at once; every other GET is held until `hold` of them are in flight (or a second passed). */
async function apiServer(hold: number, answers: Answers = {}) {
    const paths: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const waiting: (() => void)[] = [];
    const body = (path: string): [number, unknown] => {
        if (path === "/apis") return [200, { groups: [{ name: "crd.projectcalico.org", versions: [{ version: "v1" }] }] }];
        if (path.startsWith(`/apis/${V1}/bgpconfigurations/default`)) return answers.bgpConfiguration === undefined ? [404, {}] : [200, answers.bgpConfiguration];
        if (path.startsWith("/api/v1/nodes")) {
            if (answers.nodesStatus) return [answers.nodesStatus, { message: "nodes is forbidden" }];
            return [200, { items: [{ metadata: { name: "n1", annotations: { "projectcalico.org/IPv4Address": "10.0.0.1/24" } } }], metadata: {} }];
        }
        if (path.startsWith(`/apis/${V1}/ippools`)) return [200, { items: [{ metadata: { name: "default" }, spec: { cidr: "192.168.0.0/16" } }], metadata: {} }];
        if (path.startsWith(`/apis/${V1}/clusterinformations/default`)) return [404, {}];
        if (path.startsWith(`/apis/${V1}/bgpfilters`)) return [200, { items: [] }];
        return [404, {}];
    };
    const server = http.createServer((req, res) => {
        const path = req.url ?? "";
        paths.push(path.replace(/\?.*/, ""));
        const answer = () => {
            const [status, b] = body(path);
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(b));
        };
        if (path === "/apis") return answer();
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const release = () => {
            inFlight--;
            answer();
        };
        waiting.push(release);
        if (waiting.length >= hold) waiting.splice(0).forEach((r) => r());
        else setTimeout(() => waiting.splice(0).forEach((r) => r()), 1000);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const kubeconfig = JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "c", cluster: { server: `http://127.0.0.1:${port}`, "insecure-skip-tls-verify": true } }],
        users: [{ name: "u", user: { token: "t" } }],
        contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
        "current-context": "x",
    });
    return { kubeconfig, paths, maxInFlight: () => maxInFlight, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("discovery's requests", () => {
    const runbook = { calicoApi: V1, nodes: true, asn: true, ipPools: true, calicoRelease: true, bgpFilters: true } as const;

    it("checks the API groups first, then sends its five reads together, one request each", async () => {
        const api = await apiServer(5);
        try {
            const found = await discoverCluster({ ...runbook, kubeconfig: api.kubeconfig });
            assert.deepEqual(found.nodes?.map((n) => n.address), ["10.0.0.1"]);
            assert.equal(found.asn?.value, 64512);
            assert.equal(api.paths[0], "/apis");
            assert.deepEqual([...api.paths.slice(1)].sort(), [`/api/v1/nodes`, `/apis/${V1}/bgpconfigurations/default`, `/apis/${V1}/bgpfilters`, `/apis/${V1}/clusterinformations/default`, `/apis/${V1}/ippools`].sort());
            assert.equal(api.maxInFlight(), 5, "the reads after /apis were not in flight together");
        } finally {
            await api.close();
        }
    });

    it("reports failures in the order the reads are listed: the cluster's AS before the nodes", async () => {
        const api = await apiServer(5, { bgpConfiguration: { spec: { asNumber: "not-an-as" } }, nodesStatus: 403 });
        try {
            const error = await discoverCluster({ ...runbook, kubeconfig: api.kubeconfig }).then(
                () => assert.fail("discovery succeeded"),
                (e: unknown) => e,
            );
            assert.ok(error instanceof ClusterDiscoveryError);
            assert.match(error.message, /asNumber "not-an-as"/);
        } finally {
            await api.close();
        }
    });

    it("with a readable AS, the nodes' failure is the one reported", async () => {
        const api = await apiServer(5, { nodesStatus: 403 });
        try {
            const error = await discoverCluster({ ...runbook, kubeconfig: api.kubeconfig }).then(
                () => assert.fail("discovery succeeded"),
                (e: unknown) => e,
            );
            assert.ok(error instanceof ClusterDiscoveryError);
            assert.match(error.message, /403/);
        } finally {
            await api.close();
        }
    });
});
