/**
 * Route safety on the Calico side against a real kube-apiserver with Calico's CRDs: the pools and
 * the release read from the cluster, the next-hop field chosen from that release, the BGPFilter
 * the component renders accepted by Calico's own schema and CEL rules, and the service-field
 * conflict check agreeing with what server-side apply itself refuses.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { adcImportFilterSpec } from "../../../provider/calico/bgpFilter";
import { serviceFieldConflicts } from "../../../provider/calico/serviceAdvertisement";
import { CalicoAdcPeering } from "../../../provider/component/calicoAdcPeering";
import { discoverCluster } from "../../../provider/component/discovery";
import { ClusterDiscoveryError, PeeringInputError } from "../../../provider/component/errors";
import { createCalicoNode, createCalicoStartupObjects, KubeApiServer, startKubeApiServer } from "../../../sandbox/kubeApiServer";
import { expectProgramFailure, find, installMocks, kubernetesAutoName, Registration, unwrapSecrets, valueOf } from "../../unit/calico/pulumiMocks";
import { apiRefusal, createCalicoObject, deleteCalicoObject, getCalicoObject, putCalicoObject, serverSideApply } from "./kubeHelpers";

const V1 = "crd.projectcalico.org/v1";
const connection = { host: "192.0.2.10", password: pulumi.secret("nsroot-password"), hostKeyFingerprint: "SHA256:abc" };
const adc = { connection, asn: 500, peerAddress: "10.102.33.208" };

describe("route safety, Calico side, against a real kube-apiserver", function () {
    this.timeout(120_000);
    let kube: KubeApiServer;
    let regs: Registration[];
    before(async () => {
        kube = await startKubeApiServer();
        await createCalicoNode(kube.kubeconfig, { name: "k8s-master", ipv4Address: "10.102.33.201/24" });
        await createCalicoNode(kube.kubeconfig, { name: "k8s-worker-1", ipv4Address: "10.102.33.202/24" });
    });
    after(async () => {
        await kube?.stop();
    });
    beforeEach(async () => {
        regs = installMocks({ outputs: kubernetesAutoName });
        for (const name of ["default-ipv4-ippool", "extra", "off", "no-export", "lb"]) await deleteCalicoObject(kube.kubeconfig, V1, "ippools", name);
        await deleteCalicoObject(kube.kubeconfig, V1, "clusterinformations", "default");
        await deleteCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", "default");
    });

    const pool = (name: string, spec: Record<string, unknown>) => putCalicoObject(kube.kubeconfig, V1, "ippools", { kind: "IPPool", metadata: { name }, spec });

    it("discovers the pools that export to BGP (with their block sizes) and the release calico-node recorded", async () => {
        await createCalicoStartupObjects(kube, { calicoVersion: "v3.31.7" });
        await pool("extra", { cidr: "10.244.0.0/16", blockSize: 24 });
        await pool("off", { cidr: "10.245.0.0/16", disabled: true });
        await pool("no-export", { cidr: "10.246.0.0/16", disableBGPExport: true });
        await pool("lb", { cidr: "10.247.0.0/24", allowedUses: ["LoadBalancer"] });
        const found = await discoverCluster({ kubeconfig: kube.kubeconfig, calicoApi: V1, nodes: false, asn: false, ipPools: true, calicoRelease: true, bgpFilters: true });
        assert.deepEqual(found.ipPools?.pools, [
            { name: "default-ipv4-ippool", cidr: "192.168.0.0/16", family: "ipv4", blockSize: 26 },
            { name: "extra", cidr: "10.244.0.0/16", family: "ipv4", blockSize: 24 },
        ]);
        assert.deepEqual(found.ipPools?.skipped.map((s) => s.name).sort(), ["lb", "no-export", "off"]);
        assert.deepEqual(found.calicoRelease, { value: "v3.31.7", source: 'ClusterInformation "default"' });
        assert.equal(found.servesBgpFilters, true);
    });

    it("refuses a cluster without a usable pool, naming both ways out", async () => {
        await pool("off", { cidr: "10.245.0.0/16", disabled: true });
        const e = await discoverCluster({ kubeconfig: kube.kubeconfig, calicoApi: V1, nodes: false, asn: false, ipPools: true }).then(
            () => assert.fail("discovery succeeded"),
            (x: unknown) => x,
        );
        assert.ok(e instanceof ClusterDiscoveryError, String(e));
        assert.match(e.message, /no Calico IP pool exports to BGP \(off: disabled\)/);
        assert.match(e.message, /list cluster\.ipPools, or set adc\.prefixFilter: false/);
    });

    it("plans from the cluster: nextHopMode Keep on 3.31, a filter accepting nothing from the ADC, the pools on the ADC side", async () => {
        await createCalicoStartupObjects(kube, { calicoVersion: "v3.31.7" });
        const p = new CalicoAdcPeering("adc", { adc, cluster: { kubeconfig: kube.kubeconfig }, calicoApi: V1 });
        const safety = await valueOf(p.routeSafety);
        assert.deepEqual(safety.calicoRelease, { value: "v3.31.7", source: 'ClusterInformation "default"' });
        assert.deepEqual(safety.adcPrefixFilter?.prefixes, [{ cidr: "192.168.0.0/16", family: "ipv4", ge: 26, le: 32, source: "IPPool default-ipv4-ippool" }]);
        assert.match(safety.adcPrefixFilter!.prefixList.name, /^pca-.+-adc-in$/, "the name says whose list it is");
        assert.deepEqual(safety.maximumPrefix, { limit: 1024, warningOnly: false, source: "default (pool blocks + service routes)" });
        await valueOf(p.sessions);
        const peer = find(regs, `kubernetes:${V1}:BGPPeer`, "adc-bgppeer").inputs.spec as Record<string, unknown>;
        const filter = find(regs, `kubernetes:${V1}:BGPFilter`, "adc-import-filter").inputs;
        assert.deepEqual(unwrapSecrets(peer), { peerIP: "10.102.33.208", asNumber: 500, nextHopMode: "Keep", filters: ["adc-import-filter-4f2a9c1e"] });
        assert.deepEqual(filter.spec, { importV4: [{ action: "Reject" }], importV6: [{ action: "Reject" }] });
    });

    it("on Calico 3.28 keeps the next hop with keepOriginalNextHop; before 3.26 asks to opt out of the filter", async () => {
        await createCalicoStartupObjects(kube, { calicoVersion: "v3.28.5" });
        const p = new CalicoAdcPeering("adc", { adc, cluster: { kubeconfig: kube.kubeconfig }, calicoApi: V1 });
        await valueOf(p.sessions);
        assert.equal((find(regs, `kubernetes:${V1}:BGPPeer`, "adc-bgppeer").inputs.spec as Record<string, unknown>).keepOriginalNextHop, true);

        await deleteCalicoObject(kube.kubeconfig, V1, "clusterinformations", "default");
        await createCalicoStartupObjects(kube, { calicoVersion: "v3.25.2" });
        regs = installMocks({ outputs: kubernetesAutoName });
        const failure = expectProgramFailure();
        new CalicoAdcPeering("adc", { adc, cluster: { kubeconfig: kube.kubeconfig }, calicoApi: V1 });
        const e = await failure;
        assert.ok(e instanceof PeeringInputError, String(e));
        assert.match(e.message, /acceptFromAdc = \(unset\): .*Calico 3\.25\.2 \(ClusterInformation "default"\) does not have; set acceptFromAdc: false/);
    });

    it("the BGPFilter it renders is one Calico's CRD accepts (schema and CEL rules)", async () => {
        const spec = adcImportFilterSpec([
            { cidr: "10.0.0.0/8", family: "ipv4" },
            { cidr: "fd00::/8", family: "ipv6" },
        ]);
        const stored = await createCalicoObject(kube.kubeconfig, { apiVersion: V1, kind: "BGPFilter", metadata: { name: "from-adc-check" }, spec }, "bgpfilters").catch((e) =>
            assert.fail(`the apiserver refused the filter: ${apiRefusal(e)}`),
        );
        assert.deepEqual(stored.spec, spec, "nothing pruned");
        await deleteCalicoObject(kube.kubeconfig, V1, "bgpfilters", "from-adc-check");
    });

    describe("service advertisement: the conflict check agrees with server-side apply", () => {
        const bgpConfiguration = (spec: Record<string, unknown>) => ({ apiVersion: V1, kind: "BGPConfiguration", metadata: { name: "default" }, spec });
        const OURS = "pulumi-calico-adc-test-adc";

        it("another manager's different value is a conflict both for the check and for the apiserver; an equal value is not", async () => {
            // Another tool applied the cluster AS and a service CIDR.
            const other = await serverSideApply(kube.kubeconfig, bgpConfiguration({ asNumber: 64512, serviceClusterIPs: [{ cidr: "10.96.0.0/12" }] }), "bgpconfigurations", "helm");
            assert.equal(other.status, 201, JSON.stringify(other.body));
            const obj = await getCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", "default");

            const different = { serviceClusterIPs: [{ cidr: "10.100.0.0/16" }] };
            assert.deepEqual(serviceFieldConflicts(obj, different, OURS).map((c) => [c.field, c.manager, c.operation]), [["serviceClusterIPs", "helm", "Apply"]]);
            const refused = await serverSideApply(kube.kubeconfig, bgpConfiguration(different), "bgpconfigurations", OURS);
            assert.equal(refused.status, 409, "the apiserver reports the same conflict");
            assert.match(JSON.stringify(refused.body), /conflict.*helm/i);

            const same = { serviceClusterIPs: [{ cidr: "10.96.0.0/12" }], serviceExternalIPs: [{ cidr: "198.51.100.0/24" }] };
            assert.deepEqual(serviceFieldConflicts(obj, same, OURS), []);
            const shared = await serverSideApply(kube.kubeconfig, bgpConfiguration(same), "bgpconfigurations", OURS);
            assert.equal(shared.status, 200, JSON.stringify(shared.body));
            const after = await getCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", "default");
            assert.equal(after.spec.asNumber, 64512, "the other tool's field is untouched");
            // Once we own a field alone, our own later change is not a conflict.
            const ours = { serviceClusterIPs: [{ cidr: "10.96.0.0/12" }], serviceExternalIPs: [{ cidr: "203.0.113.0/24" }] };
            assert.deepEqual(serviceFieldConflicts(after, ours, OURS), []);
            assert.equal((await serverSideApply(kube.kubeconfig, bgpConfiguration(ours), "bgpconfigurations", OURS)).status, 200);
        });

        it("the component refuses before anything is applied, naming the field, the manager and the fixes", async () => {
            await putCalicoObject(kube.kubeconfig, V1, "bgpconfigurations", { kind: "BGPConfiguration", metadata: { name: "default" }, spec: { serviceClusterIPs: [{ cidr: "10.96.0.0/12" }] } });
            await createCalicoStartupObjects(kube, { calicoVersion: "v3.31.7" });
            const failure = expectProgramFailure();
            new CalicoAdcPeering("adc", { adc, cluster: { kubeconfig: kube.kubeconfig }, calicoApi: V1, advertiseServices: { clusterIPs: ["10.100.0.0/16"] } });
            const e = await failure;
            assert.ok(e instanceof PeeringInputError, String(e));
            assert.match(e.message, /serviceClusterIPs is owned by field manager "[^"]+" \(Update\) with another value/);
            assert.match(e.message, /kubectl patch bgpconfiguration default --type=json/);
            assert.deepEqual(regs.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.name), []);
        });

        it("with no other owner, the component patches exactly the service fields under its own field manager and admits them on the ADC up to /32", async () => {
            await createCalicoStartupObjects(kube, { calicoVersion: "v3.31.7" });
            const p = new CalicoAdcPeering("adc", { adc, cluster: { kubeconfig: kube.kubeconfig }, calicoApi: V1, advertiseServices: { clusterIPs: ["10.96.0.0/12"], loadBalancerIPs: ["198.51.100.0/24"] } });
            const safety = await valueOf(p.routeSafety);
            await valueOf(p.sessions);
            const patch = find(regs, `kubernetes:${V1}:BGPConfigurationPatch`, "adc-service-advertisement").inputs as Record<string, any>;
            assert.deepEqual(patch.spec, { serviceClusterIPs: [{ cidr: "10.96.0.0/12" }], serviceLoadBalancerIPs: [{ cidr: "198.51.100.0/24" }] });
            assert.equal(patch.metadata.name, "default");
            assert.match(patch.metadata.annotations["pulumi.com/patchFieldManager"], /^pulumi-calico-adc-.+-adc$/);
            assert.equal(patch.metadata.annotations["pulumi.com/patchForce"], undefined, "never forced");
            assert.deepEqual(
                safety.adcPrefixFilter?.prefixes.map((x) => [x.cidr, x.ge, x.le, x.source]),
                [
                    ["192.168.0.0/16", 26, 32, "IPPool default-ipv4-ippool"],
                    ["10.96.0.0/12", undefined, 32, "serviceClusterIPs"],
                    ["198.51.100.0/24", undefined, 32, "serviceLoadBalancerIPs"],
                ],
            );
            assert.equal(safety.maximumPrefix?.limit, 1024 + 1025 + 257);
        });
    });
});
