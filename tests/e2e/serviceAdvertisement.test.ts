/**
 * BGPConfiguration `default` through the real engine and the real Kubernetes provider, against a
 * real kube-apiserver with Calico's CRDs: what CalicoAdcPeering's service advertisement does to
 * the cluster singleton when it is absent, when other tools hold fields of it (with other values
 * or the same), and on destroy.
 */
import { strict as assert } from "assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CalicoAdcPeering } from "../../provider";
import { createEngineStack, type EngineStack } from "../../sandbox/pulumiEngine";
import { createCalicoNode, createCalicoStartupObjects, startKubeApiServer, type KubeApiServer } from "../../sandbox/kubeApiServer";
import { startSimulator, type Simulator } from "../../simulator";
import { deleteCalicoObject, getCalicoObject, mergePatch, serverSideApply } from "../integration/discovery/kubeHelpers";

const V1 = "crd.projectcalico.org/v1";
const PASSWORD = "svc-e2e-Adc-pw-7d";
const CLUSTER_IPS = [{ cidr: "10.96.0.0/12" }];
const EXTERNAL_IPS = [{ cidr: "198.51.100.0/24" }];
/** The component's field manager: `pulumi-calico-adc-<stack>-<name>`. */
const OURS = "pulumi-calico-adc-dev-adc";

interface ManagedFields {
    manager: string;
    operation: string;
    fieldsV1?: { "f:spec"?: Record<string, unknown> };
}

/** The spec fields Calico's CRD defaults (`logSeverityScreen: Info`, ...), read from the CRD the apiserver serves. */
function crdDefaults(crdDir: string): Record<string, unknown> {
    const crd = parse(readFileSync(path.join(crdDir, "crd.projectcalico.org_bgpconfigurations.yaml"), "utf8")) as any;
    const props = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties as Record<string, { default?: unknown }>;
    return Object.fromEntries(Object.entries(props).filter(([, v]) => v.default !== undefined).map(([k, v]) => [k, v.default]));
}

/** Each field manager holding spec fields of `default`, with the fields (`serviceClusterIPs`, ...). */
function specOwners(obj: Record<string, any>): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const m of (obj.metadata?.managedFields ?? []) as ManagedFields[]) {
        const fields = Object.keys(m.fieldsV1?.["f:spec"] ?? {})
            .filter((f) => f.startsWith("f:"))
            .map((f) => f.slice(2))
            .sort();
        if (fields.length > 0) out[`${m.manager} (${m.operation})`] = fields;
    }
    return out;
}

describe("BGPConfiguration default through the engine: created when absent, only the component's fields released on destroy", function () {
    this.timeout(300_000);
    let kube: KubeApiServer;
    let sim: Simulator;
    let engine: EngineStack;
    const bgpConfiguration = () => getCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", "default");
    /** `default`'s spec as written: without the fields the CRD defaulted (which no manager owns). */
    const writtenSpec = (obj: Record<string, any>) => {
        const defaults = crdDefaults(kube.calicoCrds);
        return Object.fromEntries(Object.entries((obj.spec ?? {}) as Record<string, unknown>).filter(([k, v]) => !(k in defaults && JSON.stringify(defaults[k]) === JSON.stringify(v))));
    };
    const absent = () => bgpConfiguration().then(() => false, (e: { code?: number }) => e.code === 404);

    before(async () => {
        kube = await startKubeApiServer();
        await createCalicoNode(kube.kubeconfig, { name: "k8s-node-1", ipv4Address: "10.102.33.198/24" });
        await createCalicoStartupObjects(kube, { calicoVersion: "v3.31.7" });
        await deleteCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", "default");
        sim = await startSimulator({ banner: [], users: [{ username: "nsroot", password: PASSWORD }] });
        engine = await createEngineStack({
            program: async () => {
                const p = new CalicoAdcPeering("adc", {
                    adc: { connection: { host: sim.host, port: sim.port, password: PASSWORD, hostKeyFingerprint: sim.hostKeyFingerprint }, asn: 500, peerAddress: "10.102.33.208" },
                    cluster: { kubeconfig: kube.kubeconfig },
                    calicoApi: V1,
                    advertiseServices: { clusterIPs: CLUSTER_IPS.map((c) => c.cidr), externalIPs: EXTERNAL_IPS.map((c) => c.cidr) },
                    waitForEstablished: false,
                });
                return { prefixes: p.routeSafety.apply((s) => s.adcPrefixFilter?.prefixes.map((x) => x.cidr)) };
            },
            env: { PULUMI_CALICO_ADC_QUIET: "1" },
        });
    });

    after(async () => {
        await engine?.cleanup();
        await sim?.close();
        await kube?.stop();
    });

    it("1. with no BGPConfiguration default, up creates it holding only the service fields, owned by the component's field manager alone", async () => {
        assert.ok(await absent(), "no default before");
        const up = await engine.stack.up();
        assert.deepEqual(up.outputs["prefixes"]?.value, ["192.168.0.0/16", "10.96.0.0/12", "198.51.100.0/24"]);
        const obj = await bgpConfiguration();
        assert.deepEqual(writtenSpec(obj), { serviceClusterIPs: CLUSTER_IPS, serviceExternalIPs: EXTERNAL_IPS });
        assert.deepEqual(specOwners(obj), { [`${OURS} (Apply)`]: ["serviceClusterIPs", "serviceExternalIPs"] });
    });

    it("2. destroy releases the component's fields only: another tool's fields, and a service field it holds with the same value, stay; default stays", async () => {
        // After the stack created default, two other tools write to it: helm applies the cluster
        // AS and the same serviceClusterIPs (shared ownership), an operator edits the mesh flag.
        const helm = await serverSideApply(kube.kubeconfig, { apiVersion: V1, kind: "BGPConfiguration", metadata: { name: "default" }, spec: { asNumber: 64512, serviceClusterIPs: CLUSTER_IPS } }, "bgpconfigurations", "helm");
        assert.equal(helm.status, 200, JSON.stringify(helm.body));
        const edit = await mergePatch(kube.kubeconfig, V1, "bgpconfigurations", "default", { spec: { nodeToNodeMeshEnabled: false } }, "kubectl-edit");
        assert.equal(edit.status, 200, JSON.stringify(edit.body));
        assert.deepEqual(specOwners(await bgpConfiguration()), {
            [`${OURS} (Apply)`]: ["serviceClusterIPs", "serviceExternalIPs"],
            "helm (Apply)": ["asNumber", "serviceClusterIPs"],
            "kubectl-edit (Update)": ["nodeToNodeMeshEnabled"],
        });

        await engine.stack.destroy();
        const obj = await bgpConfiguration();
        assert.deepEqual(writtenSpec(obj), { asNumber: 64512, serviceClusterIPs: CLUSTER_IPS, nodeToNodeMeshEnabled: false }, "only serviceExternalIPs, ours alone, is gone");
        assert.deepEqual(specOwners(obj), { "helm (Apply)": ["asNumber", "serviceClusterIPs"], "kubectl-edit (Update)": ["nodeToNodeMeshEnabled"] });
    });

    it("3. a default the component alone holds is left in place, empty, on destroy (Calico reads an empty default as an absent one: its defaults)", async () => {
        await deleteCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", "default");
        await engine.stack.up();
        await engine.stack.destroy();
        const obj = await bgpConfiguration();
        assert.deepEqual(writtenSpec(obj), {});
        assert.deepEqual(specOwners(obj), {});
    });

    it("4. a service field written while default has no managedFields (as test 3 left it): up refuses, under the name server-side apply gives its writer, and changes nothing", async () => {
        const edit = await mergePatch(kube.kubeconfig, V1, "bgpconfigurations", "default", { spec: { serviceClusterIPs: [{ cidr: "10.100.0.0/16" }] } }, "kubectl-edit");
        assert.equal(edit.status, 200, JSON.stringify(edit.body));
        const before = await bgpConfiguration();
        assert.equal(before.metadata.managedFields, undefined, "an update to an object without managedFields is not tracked");
        const neighborsBefore = sim.device.runningConfig();
        await assert.rejects(engine.stack.up(), (e: Error) => {
            assert.match(e.message, /BGPConfiguration "default" serviceClusterIPs is owned by field manager "before-first-apply" \(Update\) with another value \(written while default had no managedFields/);
            assert.match(e.message, /kubectl patch bgpconfiguration default --type=json -p '\[\{"op":"remove","path":"\/spec\/serviceClusterIPs"\}\]'/);
            assert.ok(!e.message.includes(PASSWORD));
            return true;
        });
        const after = await bgpConfiguration();
        assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, "default untouched");
        assert.equal(sim.device.runningConfig(), neighborsBefore, "the ADC untouched");
    });
});
