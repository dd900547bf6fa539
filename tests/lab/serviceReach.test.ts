/**
 * Services reached from the ADC with real FRR and BIRD: the BGPConfiguration `default` service
 * fields CalicoAdcPeering's plan patches are rendered into every node's BIRD as calico-node's
 * confd renders them, the ADC's prefix filter is the plan's, and a TCP connection from the ADC's
 * namespace goes over the route FRR installed to a node, where kube-proxy (modelled, see
 * `support/traffic.ts`) forwards it to the pod.
 */
import { strict as assert } from "node:assert";
import type { PeeringPlan } from "../../provider/component/plan";
import type { IpAddress } from "../../provider/core/values";
import { applyPrefixFilter } from "./support/adcFilter";
import type { BgpPeerSpec } from "./support/calicoBird";
import type { KubeService } from "./support/calicoServiceRoutes";
import { runIn, waitFor } from "./support/exec";
import { Lab } from "./support/lab";
import { planLabPeering } from "./support/labPlan";
import { startLabSimulator, type LabSimulator } from "./support/labSimulator";
import { assertLabPrerequisites } from "./support/prerequisites";
import { startPodServer, startServiceProxy, tcpRequest, type PodServer } from "./support/traffic";

const SERVICE_CIDR = "10.96.0.0/12";
const EXTERNAL_CIDR = "198.51.100.0/24";
/** A ClusterIP Service with its pod on node 2. */
const WEB = { clusterIP: "10.96.0.10", pod: "192.168.20.10" };
/** An `externalTrafficPolicy: Local` Service with an external IP, its pod on node 3. */
const LOCAL = { clusterIP: "10.96.0.20", externalIP: "198.51.100.20", pod: "192.168.30.10" };
const PORT = 80;
const POD_PORT = 8080;

describe("lab: Services reachable from the ADC with Calico's service advertisement (real FRR and BIRD)", function () {
    this.timeout(90_000);
    let lab: Lab;
    let adc: LabSimulator;
    let plan: PeeringPlan;
    let services: KubeService[];
    const running: PodServer[] = [];

    let lastSeen = "";
    const installed = async () => {
        const r = await adc.installedBgpRoutes();
        lastSeen = JSON.stringify(r);
        return r;
    };
    const gatewaysOf = (routes: [string, string][], prefix: string) => routes.filter(([p]) => p === prefix).map(([, g]) => g).sort();
    const servicePrefixes = (routes: [string, string][]) => routes.map(([p]) => p).filter((p) => !p.startsWith("192.168."));
    const nodeAddress = (i: number) => lab.nodes[i]!.address;

    before(async function () {
        this.timeout(90_000);
        assertLabPrerequisites();
        lab = await Lab.start({ nodes: 3, meshEnabled: true, calicoVersion: "v3.32" });
        adc = await startLabSimulator(lab);
        plan = planLabPeering(lab, {
            adc: { maxPaths: { ebgp: 8 } },
            routeSafety: {
                advertiseServices: { clusterIPs: [SERVICE_CIDR], externalIPs: [EXTERNAL_CIDR] },
                // BGPConfiguration default does not exist yet: nothing to conflict with.
                bgpConfiguration: null,
                prefixListName: "pca-lab-adc-in",
            },
        });
        await lab.setPeer({ ...(plan.bgpPeer.spec as unknown as BgpPeerSpec) });

        // The ADC as the plan configures it: router, neighbors, the inbound filter and limit.
        const router = plan.router!;
        await adc.sim.device.cli("enable ns feature BGP");
        await adc.sim.device.configure([
            ...(router.routeInstall ? ["ns route-install bgp"] : []),
            `router bgp ${router.localAsn}`,
            `max-paths ebgp ${router.maxPaths!.ebgp}`,
            ...plan.neighbors.neighbors.map((n) => `neighbor ${n.address} remote-as ${n.remoteAsn}`),
        ]);
        const f = plan.routeSafety;
        await applyPrefixFilter(adc, router.localAsn, {
            list: f.adcPrefixFilter!.prefixList,
            maximumPrefix: { limit: f.maximumPrefix!.limit, warningOnly: f.maximumPrefix!.warningOnly },
            neighbors: plan.neighbors.neighbors.map((n) => n.address as IpAddress),
        });

        // The cluster: two pods, the Services confd's route generator watches, and kube-proxy
        // on every node (the Local Service's external IP only where its endpoint runs).
        const [n1, n2, n3] = lab.nodes as [Lab["nodes"][0], Lab["nodes"][0], Lab["nodes"][0]];
        running.push(await startPodServer(n2.ns, WEB.pod, POD_PORT, "web"));
        running.push(await startPodServer(n3.ns, LOCAL.pod, POD_PORT, "local"));
        services = [
            { name: "web", type: "ClusterIP", clusterIPs: [WEB.clusterIP], endpoints: [{ nodeName: n2.name }] },
            { name: "local", type: "LoadBalancer", clusterIPs: [LOCAL.clusterIP], externalTrafficPolicy: "Local", externalIPs: [LOCAL.externalIP], endpoints: [{ nodeName: n3.name }] },
        ];
        const clusterRules = [
            { address: WEB.clusterIP, port: PORT, to: { address: WEB.pod, port: POD_PORT } },
            { address: LOCAL.clusterIP, port: PORT, to: { address: LOCAL.pod, port: POD_PORT } },
        ];
        for (const n of [n1, n2]) running.push(await startServiceProxy(n.ns, clusterRules));
        running.push(await startServiceProxy(n3.ns, [...clusterRules, { address: LOCAL.externalIP, port: PORT, to: { address: LOCAL.pod, port: POD_PORT } }]));
        await waitFor("every node's blocks on the ADC", async () => ((await installed()).filter(([p]) => p.startsWith("192.168.")).length >= 4 ? true : undefined), {
            timeoutMs: 30_000,
            describe: () => lastSeen,
        });
    });

    after(async function () {
        this.timeout(60_000);
        for (const s of running) await s.stop().catch(() => undefined);
        await adc?.close();
        await lab?.stop();
    });

    it("with advertisement off (BGPConfiguration without the service fields), the ADC has no route to a cluster IP and TCP to it fails", async () => {
        await lab.setServiceAdvertisement({}, services);
        // Let the reload and a BGP update round pass before judging an absence.
        await new Promise((r) => setTimeout(r, 3000));
        assert.deepEqual(servicePrefixes(await installed()), [], lastSeen);
        assert.match(await tcpRequest(lab.adc.ns, WEB.clusterIP, PORT), /^error: /);
    });

    it("with the plan's BGPConfiguration patch, every node advertises the service CIDR and TCP from the ADC reaches the pod behind the cluster IP", async () => {
        const sa = plan.routeSafety.serviceAdvertisement!;
        assert.deepEqual(sa.spec, { serviceClusterIPs: [{ cidr: SERVICE_CIDR }], serviceExternalIPs: [{ cidr: EXTERNAL_CIDR }] });
        await lab.setServiceAdvertisement(sa.spec, services);
        const everyNode = lab.nodes.map((n) => n.address).sort();
        await waitFor(`${SERVICE_CIDR} and ${EXTERNAL_CIDR} via every node`, async () => {
            const r = await installed();
            return JSON.stringify(gatewaysOf(r, SERVICE_CIDR)) === JSON.stringify(everyNode) && JSON.stringify(gatewaysOf(r, EXTERNAL_CIDR)) === JSON.stringify(everyNode) ? true : undefined;
        }, { timeoutMs: 30_000, describe: () => lastSeen });
        const kernel = (await runIn(lab.adc.ns, "ip", ["route", "show", SERVICE_CIDR])).stdout;
        for (const a of everyNode) assert.match(kernel, new RegExp(`via ${a.replace(/\./g, "\\.")} `), `FRR installed ${SERVICE_CIDR} via ${a} in the ADC's table:\n${kernel}`);
        assert.equal(await tcpRequest(lab.adc.ns, WEB.clusterIP, PORT), "web");
    });

    it("externalTrafficPolicy Local: the /32s pass the ADC's filter (le 32) and go to the endpoint's node only", async () => {
        const owner = nodeAddress(2);
        for (const ip of [LOCAL.clusterIP, LOCAL.externalIP]) {
            await waitFor(`${ip}/32 via ${owner} only`, async () => (JSON.stringify(gatewaysOf(await installed(), `${ip}/32`)) === JSON.stringify([owner]) ? true : undefined), {
                timeoutMs: 30_000,
                describe: () => lastSeen,
            });
            const route = (await runIn(lab.adc.ns, "ip", ["route", "get", ip])).stdout;
            assert.match(route, new RegExp(`via ${owner.replace(/\./g, "\\.")} `), route);
        }
        // Only the endpoint's node serves the external IP (Local): the connection proves the path.
        assert.equal(await tcpRequest(lab.adc.ns, LOCAL.externalIP, PORT), "local");
        assert.equal(await tcpRequest(lab.adc.ns, LOCAL.clusterIP, PORT), "local");
        const entry = plan.routeSafety.adcPrefixFilter!.prefixList.entries.find((e) => e.prefix === SERVICE_CIDR);
        assert.deepEqual(entry && [entry.ge, entry.le], [null, 32], "the /32s came through the plan's list entry");
    });

    it("with the fields released again (what destroy leaves), the routes are withdrawn and TCP to the cluster IP fails", async () => {
        await lab.setServiceAdvertisement({}, services);
        await waitFor("no service routes on the ADC", async () => (servicePrefixes(await installed()).length === 0 ? true : undefined), { timeoutMs: 30_000, describe: () => lastSeen });
        assert.match(await tcpRequest(lab.adc.ns, WEB.clusterIP, PORT), /^error: /);
    });
});
