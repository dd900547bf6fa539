/**
 * Dual stack end to end, from CalicoAdcPeering's plan with `adc.ipv6PeerAddress`: its two global
 * BGPPeers rendered on every Calico node (bird.cfg takes the IPv4 one, bird6.cfg, as calico-node's
 * confd renders it, the IPv6 one; bird6 runs beside bird), its router and its IPv4 and IPv6
 * neighbors made by the package's providers over SSH against the simulator, whose routing runs on
 * FRR in the ADC's namespace. Sessions on both ends, the IPv6 blocks in FRR's and the kernel's
 * tables via each node's IPv6 address, the prefix filter's `ipv6 prefix-list` on FRR keeping a route
 * outside the IPv6 pool out, TCP to an IPv6 pod address, a block moving between nodes and a node
 * leaving.
 */
import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { providers } from "../../provider";
import type { BgpSessionState } from "../../provider/adc/args";
import type { PeeringPlan } from "../../provider/component/plan";
import { parseBgpSummary } from "../../provider/core/parseShowOutputs";
import type { BgpPeerSpec } from "./support/calicoBird";
import { runIn, waitFor } from "./support/exec";
import { recordFigure } from "./support/figures";
import { globalProtocolName } from "./support/calicoBird";
import { Lab, LAB_ADC_ADDRESS, LAB_ADC_ADDRESS6, LAB_POOL6, type LabNode } from "./support/lab";
import { planLabPeering } from "./support/labPlan";
import { LAB_PASSWORD, LAB_USER, startLabSimulator, type LabSimulator } from "./support/labSimulator";
import { assertLabPrerequisites } from "./support/prerequisites";
import type { SshCli } from "./support/sshCli";
import { kernelRoute, startPodServer, tcpRequest, type PodServer } from "./support/traffic";

process.env["PULUMI_CALICO_ADC_QUIET"] = "1";

type Props = Record<string, any>;
const router = providers.adcBgpRouter;
const neighbors = providers.adcBgpNeighbors;

const ADC_ASN = 500;
const CLUSTER_ASN = 64512;
/** Bounded waits; sessions form in about a second, BIRD's `error wait time 5,30` sets the ceiling. */
const CONVERGE_MS = 40_000;

async function checked(p: pulumi.dynamic.ResourceProvider, news: Props): Promise<Props> {
    const r = await p.check!({}, news);
    assert.deepEqual(r.failures ?? [], [], JSON.stringify(r.failures));
    return r.inputs as Props;
}

/** FRR's `show ipv6 route json` entry, the fields read here. */
interface FrrRoute {
    protocol: string;
    selected?: boolean;
    installed?: boolean;
    nexthops: { ip?: string; active?: boolean }[];
}

describe("lab: dual stack — IPv6 sessions between bird6 (as calico-node) and FRR (as the ADC), routes and TCP", function () {
    this.timeout(120_000);
    let lab: Lab;
    let adc: LabSimulator;
    let cli: SshCli;
    let connection: Props;
    let plan: PeeringPlan;
    let routerCreated: { id: string; outs: Props };
    let neighborsCreated: { id: string; outs: Props };
    const servers: PodServer[] = [];
    /** The IPv6 pod on node-2, in the block that later moves to node-3. */
    let movingPod: PodServer;

    const v6 = (n: LabNode) => n.ipv6!;

    async function vtyshShow(command: string): Promise<string> {
        await cli.run("vtysh");
        try {
            return await cli.run(command);
        } finally {
            await cli.run("exit");
        }
    }

    async function vtyshConfigure(lines: readonly string[]): Promise<void> {
        await cli.run("vtysh");
        await cli.run("configure terminal");
        for (const l of lines) {
            const out = await cli.run(l);
            assert.doesNotMatch(out, /^%/m, `the ADC refused "${l}": ${out}`);
        }
        await cli.run("end");
        await cli.run("exit");
    }

    /** The ADC's IPv6 sessions as the package reads them (`show bgp ipv6 summary` over SSH). */
    const adcSessions6 = async (): Promise<BgpSessionState[]> => parseBgpSummary(await vtyshShow("show bgp ipv6 summary"));
    const adcSessions4 = async (): Promise<BgpSessionState[]> => parseBgpSummary(await vtyshShow("show ip bgp summary"));

    /** FRR's selected, installed IPv6 BGP routes as sorted `[prefix, next hop]` pairs. */
    async function frrRoutes6(): Promise<[string, string][]> {
        const table = JSON.parse(await lab.adc.router.vtysh(["show ipv6 route json"])) as Record<string, FrrRoute[]>;
        const out: [string, string][] = [];
        for (const [prefix, entries] of Object.entries(table)) {
            for (const e of entries) {
                if (e.protocol !== "bgp" || !e.selected || !e.installed) continue;
                for (const nh of e.nexthops) if (nh.active && nh.ip) out.push([prefix, nh.ip]);
            }
        }
        return out.sort();
    }

    /** The kernel's IPv6 BGP routes in the ADC's namespace (what zebra installed), as sorted `[prefix, via]` pairs. */
    async function kernelRoutes6(): Promise<[string, string][]> {
        const { stdout } = await runIn(lab.adc.ns, "ip", ["-6", "route", "show", "proto", "bgp"]);
        return stdout
            .split("\n")
            .map((l) => /^(\S+) .*\bvia (\S+) dev /.exec(l))
            .filter((m): m is RegExpExecArray => m !== null)
            .map((m): [string, string] => [m[1]!, m[2]!])
            .sort();
    }

    const expectedRoutes6 = () => lab.nodes.flatMap((n) => v6(n).blocks.map((b): [string, string] => [b, v6(n).address])).sort();
    const expectedRoutes4 = () => lab.nodes.flatMap((n) => n.blocks.map((b): [string, string] => [b, n.address])).sort();
    const allEstablished = async (n: LabNode) => (await n.status())[0]?.info === "Established" && (await v6(n).status())[0]?.info === "Established";

    async function podServer(n: LabNode, address: string): Promise<PodServer> {
        const s = await startPodServer(n.ns, address, 8080, `hello over IPv6 from a pod on ${n.name}`);
        servers.push(s);
        return s;
    }

    before(async function () {
        this.timeout(60_000);
        assertLabPrerequisites();
        lab = await Lab.start({ nodes: 3, dualStack: true, adcAsn: ADC_ASN, clusterAsn: CLUSTER_ASN });
        adc = await startLabSimulator(lab);
        cli = await adc.cli();
        connection = { host: adc.sim.host, port: adc.sim.port, username: LAB_USER, password: LAB_PASSWORD, hostKeyFingerprint: adc.sim.hostKeyFingerprint, connectRetries: 0 };
        plan = dualStackPlan();
        assert.equal(plan.bgpPeerIpv6?.spec.peerIP, LAB_ADC_ADDRESS6, "a second global BGPPeer, at the ADC's IPv6 address");
        // What the component applies to Kubernetes, as calico-node renders it on every node.
        await lab.setPeer({ ...(plan.bgpPeer.spec as unknown as BgpPeerSpec) });
        await lab.setPeer({ ...(plan.bgpPeerIpv6!.spec as unknown as BgpPeerSpec) });
        assert.equal(lab.peer6?.peerIP, LAB_ADC_ADDRESS6);
    });

    /** The component's plan for the lab's nodes as they are now, peering over both families. */
    function dualStackPlan(): PeeringPlan {
        return planLabPeering(lab, {
            adc: { ipv6PeerAddress: LAB_ADC_ADDRESS6 },
            routeSafety: { calicoRelease: { value: "v3.31.7", source: "calicoVersion" } },
        });
    }

    after(async function () {
        this.timeout(60_000);
        for (const s of servers) await s.stop().catch(() => undefined);
        cli?.close();
        await adc?.close();
        await lab?.stop();
    });

    it("IPv6 neighbors without `activate` in the IPv6 section: bird6 refuses the session (no IPv6 unicast offered), no IPv6 route is exchanged", async () => {
        assert.match(await cli.run("enable ns feature BGP"), /Done/);
        await vtyshConfigure([`router bgp ${ADC_ASN}`, ...lab.nodes.map((n) => `neighbor ${v6(n).address} remote-as ${CLUSTER_ASN}`), "exit", "ns route-install ipv6 bgp"]);
        // FRR offers IPv4 unicast only to them (`bgp default ipv4-unicast`); bird6 requires IPv6 unicast.
        await waitFor(
            "every bird6 to name the missing capability",
            async () => ((await Promise.all(lab.nodes.map((n) => v6(n).status()))).every((rows) => /Required capability missing/.test(rows[0]?.info ?? "")) ? true : undefined),
            { timeoutMs: CONVERGE_MS, intervalMs: 200 },
        );
        assert.deepEqual(await adcSessions6(), [], "not activated: not in the IPv6 summary");
        const v4view = await adcSessions4();
        assert.deepEqual(v4view.map((s) => s.address).sort(), lab.nodes.map((n) => v6(n).address).sort(), "active in IPv4 unicast only");
        assert.ok(v4view.every((s) => s.state !== "Established"));
        assert.deepEqual(await frrRoutes6(), []);
        assert.deepEqual(await kernelRoutes6(), []);
        await vtyshConfigure([`no router bgp ${ADC_ASN}`, "no ns route-install ipv6 bgp"]);
    });

    it("the plan's router and neighbors (both families) by the package's providers: create returns with every session Established, on bird, bird6 and the ADC", async () => {
        const started = Date.now();
        assert.equal(plan.router?.routeInstallIpv6, true, "the plan installs IPv6 routes for a dual-stack peering");
        const r = await router.create(await checked(router, { connection, ...plan.router }));
        routerCreated = { id: r.id, outs: r.outs as Props };
        assert.deepEqual(
            plan.neighbors.neighbors.map((x) => x.address).sort(),
            lab.nodes.flatMap((x) => [x.address, v6(x).address]).sort(),
            "one neighbor per node and family",
        );
        const n = await neighbors.create(await checked(neighbors, { connection, ...plan.neighbors, waitForEstablishedSeconds: 30 }));
        neighborsCreated = { id: n.id, outs: n.outs as Props };
        recordFigure("dual stack: router + 6 neighbors create, including the wait for Established (ms)", Date.now() - started);

        assert.deepEqual(
            neighborsCreated.outs.sessions.map((s: Props) => [s.address, s.state]).sort(),
            lab.nodes.flatMap((x) => [[x.address, "Established"], [v6(x).address, "Established"]]).sort(),
            "the wait covered the IPv6 sessions",
        );
        for (const x of lab.nodes) {
            assert.deepEqual((await x.status()).map((s) => [s.peerAddress, s.peerType, s.state, s.info]), [[LAB_ADC_ADDRESS, "global", "up", "Established"]], `${x.name}: bird`);
            assert.deepEqual((await v6(x).status()).map((s) => [s.peerAddress, s.peerType, s.state, s.info]), [[LAB_ADC_ADDRESS6, "global", "up", "Established"]], `${x.name}: bird6`);
        }
        await waitFor("every node's IPv6 prefixes counted", async () => ((await adcSessions6()).every((s) => s.prefixesReceived !== null && s.prefixesReceived > 0) ? true : undefined), {
            timeoutMs: CONVERGE_MS,
        });
        assert.deepEqual(
            (await adcSessions6()).map((s) => [s.address, s.remoteAsn, s.state, s.prefixesReceived]),
            lab.nodes.map((x) => [v6(x).address, CLUSTER_ASN, "Established", v6(x).blocks.length]),
            "show bgp ipv6 summary: each node's IPv6 address, its blocks as prefixes",
        );
        assert.match(await lab.adc.router.vtysh(["show running-config"]), new RegExp(`address-family ipv6 unicast\\n(  neighbor (\\S+) activate\\n  neighbor \\2 prefix-list ${plan.neighbors.prefixFilter!.name} in\\n){3}`));
        assert.deepEqual(await adc.engine.drift(), [], "FRR runs exactly what the simulator's running config says");
    });

    it("the ADC holds each node's IPv6 blocks via that node's IPv6 address (FRR and the kernel), the IPv4 side as before, and TCP to an IPv6 pod takes the route", async () => {
        await waitFor("FRR's IPv6 BGP routes", async () => (JSON.stringify(await frrRoutes6()) === JSON.stringify(expectedRoutes6()) ? true : undefined), { timeoutMs: CONVERGE_MS });
        assert.deepEqual(await kernelRoutes6(), expectedRoutes6(), "zebra installed them (ns route-install ipv6 bgp)");
        assert.deepEqual(await adc.installedBgpRoutes(), expectedRoutes4(), "IPv4: show route as before");

        const node = lab.nodes[1]!;
        const pod = v6(node).blocks[0]!.replace(/::\/122$/, "::5");
        assert.match(await kernelRoute(lab.adc.ns, pod), new RegExp(`via ${v6(node).address} dev eth0`));
        movingPod = await podServer(node, pod);
        assert.equal(await tcpRequest(lab.adc.ns, pod, 8080), `hello over IPv6 from a pod on ${node.name}`);
        // And IPv4 traffic still flows beside it.
        const pod4 = node.blocks[0]!.replace(/\.0\/26$/, ".5");
        const s4 = await startPodServer(node.ns, pod4, 8080, "hello over IPv4");
        servers.push(s4);
        assert.equal(await tcpRequest(lab.adc.ns, pod4, 8080), "hello over IPv4");
    });

    it("the prefix filter on FRR: a /64 outside the IPv6 pool that a node's bird6 exports is never installed, while an extra /122 inside the pool it exports with it is, and every node's blocks stay", async () => {
        const filter = plan.neighbors.prefixFilter;
        assert.ok(filter && filter.entries.some((e) => e.prefix === LAB_POOL6), `the plan filters IPv6 by default: ${JSON.stringify(filter)}`);
        const frrConfig = await lab.adc.router.vtysh(["show running-config"]);
        assert.match(frrConfig, new RegExp(`^ipv6 prefix-list ${filter.name} seq \\d+ permit ${LAB_POOL6.replace(/\//, "\\/")}`, "m"), frrConfig);
        for (const x of lab.nodes) assert.ok(frrConfig.includes(`address-family ipv6 unicast\n`) && new RegExp(`^  neighbor ${v6(x).address} prefix-list ${filter.name} in$`, "m").test(frrConfig), `${x.name}: attached under address-family ipv6 unicast:\n${frrConfig}`);

        const node = lab.nodes[0]!;
        const outside = "fd00:dead:0:1::/64";
        // Inside the pool but no node's block: admitted, and sent in the same export as the /64,
        // so once it is in FRR's table the /64 has reached FRR too.
        const inside = "fd00:10:244:ff::/122";
        await v6(node).bird.advertiseRogue([outside, inside]);
        try {
            const exported = await v6(node).bird.birdc(`show route export ${globalProtocolName(LAB_ADC_ADDRESS6)}`);
            for (const r of [outside, inside]) assert.ok(exported.includes(r), `${node.name}'s bird6 exports ${r} to the ADC:\n${exported}`);
            await waitFor(`${inside} via ${node.name}`, async () => ((await frrRoutes6()).some(([p, via]) => p === inside && via === v6(node).address) ? true : undefined), { timeoutMs: CONVERGE_MS });
            const bgp6 = await lab.adc.router.vtysh(["show bgp ipv6 unicast"]);
            assert.ok(!bgp6.includes("fd00:dead:"), `FRR's BGP table has no ${outside}:\n${bgp6}`);
            assert.ok(!(await frrRoutes6()).some(([p]) => p === outside));
            assert.ok(!(await kernelRoutes6()).some(([p]) => p === outside), "nor the ADC's kernel");
            assert.deepEqual((await kernelRoutes6()).filter(([p]) => p !== inside), expectedRoutes6(), "every node's blocks stay installed");
            assert.equal((await adcSessions6()).find((s) => s.address === v6(node).address)?.state, "Established", "the filter refuses routes, not the session");
        } finally {
            await v6(node).bird.advertiseRogue([]);
        }
        await waitFor(`${inside} withdrawn`, async () => (JSON.stringify(await frrRoutes6()) === JSON.stringify(expectedRoutes6()) ? true : undefined), { timeoutMs: CONVERGE_MS });
    });

    it("routeInstallIpv6 false: the IPv6 routes stay in BGP but leave the kernel and the forwarding path; IPv4 keeps its routes; true again restores them", async () => {
        const node = lab.nodes[1]!;
        const pod = v6(node).blocks[0]!.replace(/::\/122$/, "::5");
        const update = async (routeInstallIpv6: boolean) => {
            const news = await checked(router, { connection, ...plan.router, routeInstallIpv6 });
            const u = await router.update!(routerCreated.id, routerCreated.outs, news);
            routerCreated = { id: routerCreated.id, outs: u.outs as Props };
        };
        await update(false);
        await waitFor("the IPv6 routes to leave the kernel", async () => ((await kernelRoutes6()).length === 0 ? true : undefined), { timeoutMs: CONVERGE_MS });
        assert.match(await lab.adc.router.vtysh(["show bgp ipv6 unicast"]), new RegExp(`${v6(node).blocks[0]!.replace(/\//, "\\/")}\\s+${v6(node).address}`), "still learned");
        assert.match(await tcpRequest(lab.adc.ns, pod, 8080, 1500), /^error: (ENETUNREACH|EHOSTUNREACH|ETIMEDOUT)/);
        assert.deepEqual(await adc.installedBgpRoutes(), expectedRoutes4());

        await update(true);
        await waitFor("the IPv6 routes back in the kernel", async () => (JSON.stringify(await kernelRoutes6()) === JSON.stringify(expectedRoutes6()) ? true : undefined), { timeoutMs: CONVERGE_MS });
        assert.equal(await tcpRequest(lab.adc.ns, pod, 8080), `hello over IPv6 from a pod on ${node.name}`);
    });

    it("a block moving to another node: the route is withdrawn while no node holds it (the ADC has no route: ENETUNREACH), then follows the block to its new node (TCP reaches the pod there)", async () => {
        const [, from, to] = lab.nodes as [LabNode, LabNode, LabNode];
        const block = v6(from).blocks[0]!;
        const pod = block.replace(/::\/122$/, "::5");
        // Calico's order: the pod goes, then its node releases the empty block. The pod's address
        // must go first here for a lab reason too: on lo, BIRD's `protocol direct` sees it, and
        // once calico_aggr no longer holds the block the pool's accept would export it as a /128
        // (a real pod sits behind a cali* link, which `protocol direct` skips).
        await movingPod.stop();
        const started = Date.now();
        await lab.setBlocks(from.name, [...from.blocks]);
        await waitFor(`${block} withdrawn`, async () => (!(await frrRoutes6()).some(([p]) => p === block) ? true : undefined), { timeoutMs: CONVERGE_MS });
        recordFigure("dual stack: an IPv6 block released by its node to withdrawn on the ADC (ms)", Date.now() - started);
        await waitFor(`${block} out of the kernel`, async () => (/^unreachable/.test(await kernelRoute(lab.adc.ns, pod)) ? true : undefined), { timeoutMs: CONVERGE_MS });
        assert.deepEqual(await kernelRoutes6(), expectedRoutes6());
        assert.equal(await tcpRequest(lab.adc.ns, pod, 8080, 1500), "error: ENETUNREACH", "no route on the ADC, so no packet leaves it");

        await lab.setBlocks(to.name, [...to.blocks, ...v6(to).blocks, block]);
        await waitFor(`${block} via ${to.name}`, async () => ((await frrRoutes6()).some(([p, via]) => p === block && via === v6(to).address) ? true : undefined), { timeoutMs: CONVERGE_MS });
        assert.deepEqual(await kernelRoutes6(), expectedRoutes6());
        assert.match(await kernelRoute(lab.adc.ns, pod), new RegExp(`via ${v6(to).address} dev eth0`));
        await podServer(to, pod);
        assert.equal(await tcpRequest(lab.adc.ns, pod, 8080), `hello over IPv6 from a pod on ${to.name}`);
        assert.deepEqual(
            (await adcSessions6()).map((s) => [s.address, s.prefixesReceived]),
            lab.nodes.map((x) => [v6(x).address, v6(x).blocks.length]),
        );
    });

    it("a node leaving: its IPv6 (and IPv4) routes are withdrawn and TCP to its pod fails; the plan without it removes its IPv6 neighbor; the other nodes keep theirs", async () => {
        const leaving = lab.nodes[2]!;
        const gone6 = v6(leaving).blocks;
        const pod = gone6[gone6.length - 1]!.replace(/::\/122$/, "::5");
        await lab.removeNode(leaving.name);
        await waitFor(`${leaving.name}'s routes withdrawn`, async () => (JSON.stringify(await frrRoutes6()) === JSON.stringify(expectedRoutes6()) ? true : undefined), { timeoutMs: CONVERGE_MS });
        await waitFor("the kernel to follow", async () => (JSON.stringify(await kernelRoutes6()) === JSON.stringify(expectedRoutes6()) ? true : undefined), { timeoutMs: CONVERGE_MS });
        assert.ok(!(await kernelRoutes6()).some(([p]) => gone6.includes(p)));
        assert.equal(await tcpRequest(lab.adc.ns, pod, 8080, 1500), "error: ENETUNREACH", "the pod still runs on the node, but the ADC has no route to it");
        await waitFor("the IPv4 routes too", async () => (JSON.stringify(await adc.installedBgpRoutes()) === JSON.stringify(expectedRoutes4()) ? true : undefined), { timeoutMs: CONVERGE_MS });

        // The component's next plan, from the nodes that are left.
        plan = dualStackPlan();
        const news = await checked(neighbors, { connection, ...plan.neighbors, waitForEstablishedSeconds: 30 });
        const u = await neighbors.update!(neighborsCreated.id, neighborsCreated.outs, news);
        neighborsCreated = { id: neighborsCreated.id, outs: u.outs as Props };
        assert.deepEqual(
            (await adcSessions6()).map((s) => [s.address, s.state]),
            lab.nodes.map((x) => [v6(x).address, "Established"]),
            "show bgp ipv6 summary: the leaving node's IPv6 neighbor is gone, the others Established",
        );
        // The IPv6 neighbors are in the IPv4 summary too: active in IPv4 unicast by the device's
        // default (`bgp default ipv4-unicast`), which the package leaves alone.
        assert.deepEqual((await adcSessions4()).map((s) => s.address).sort(), lab.nodes.flatMap((x) => [x.address, v6(x).address]).sort(), "and the IPv4 one");
        const frrConfig = await lab.adc.router.vtysh(["show running-config"]);
        assert.doesNotMatch(frrConfig, new RegExp(`neighbor (${v6(leaving).address}|${leaving.address.replace(/\./g, "\\.")}) `));
        for (const x of lab.nodes) assert.ok(await allEstablished(x), `${x.name} keeps both sessions`);
        assert.deepEqual(await frrRoutes6(), expectedRoutes6());
    });

    it("delete: neighbors and router go; every bird6 loses its session and FRR holds no IPv6 route", async () => {
        await neighbors.delete!(neighborsCreated.id, neighborsCreated.outs);
        await router.delete!(routerCreated.id, routerCreated.outs);
        await waitFor("every bird6 to lose its session", async () => ((await Promise.all(lab.nodes.map((n) => v6(n).status()))).every((rows) => rows[0]?.info !== "Established") ? true : undefined), {
            timeoutMs: 20_000,
        });
        assert.deepEqual(await frrRoutes6(), []);
        assert.deepEqual(await kernelRoutes6(), []);
    });
});
