/**
 * Real BGP sessions: FRRouting as the ADC's routing engine (driven through the simulator's CLI
 * over SSH, as an operator or the package would) and BIRD configured as calico-node configures
 * itself for a global BGPPeer, on three Calico nodes, all inside network namespaces.
 */
import { strict as assert } from "node:assert";
import type { BgpSessionState } from "../../provider/adc/args";
import { parseBgpSummary } from "../../provider/core/parseShowOutputs";
import { SessionsNotEstablishedError, waitForEstablished } from "../../provider/health/established";
import { bgpRoutes, parseShowRoute, routeCidr } from "../../provider/health/showRoute";
import { waitFor } from "./support/exec";
import { Lab, LAB_ADC_ADDRESS } from "./support/lab";
import { startLabSimulator, type LabSimulator } from "./support/labSimulator";
import { assertLabPrerequisites } from "./support/prerequisites";
import type { SshCli } from "./support/sshCli";
import { kernelRoute, startPodServer, tcpRequest } from "./support/traffic";
import { recordFigure } from "./support/figures";

const ADC_ASN = 500;
const CLUSTER_ASN = 64512;
/**
 * Every wait is bounded; sessions form in about a second. The ceiling leaves room for BIRD's
 * `error wait time 5,30` (Calico's), which grows after repeated failures.
 */
const CONVERGE_MS = 40_000;

describe("lab: BGP sessions between the ADC (FRR behind the simulator) and Calico nodes (BIRD)", function () {
    this.timeout(100_000);
    let lab: Lab;
    let adc: LabSimulator;
    let cli: SshCli;

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

    const adcSessions = async (): Promise<BgpSessionState[]> => parseBgpSummary(await vtyshShow("show ip bgp summary"));
    const expected = () => lab.nodes.map((n) => ({ address: n.address, remoteAsn: n.asn }));

    /** Both ends agree: every node's BIRD shows the ADC peer up, and the ADC shows every node Established. */
    async function waitAllEstablished(what: string): Promise<void> {
        await waitFor(
            what,
            async () => {
                const nodes = await Promise.all(lab.nodes.map((n) => n.status()));
                const nodesUp = nodes.every((rows) => rows.length === 1 && rows[0]!.state === "up" && rows[0]!.info === "Established");
                const adcUp = (await adcSessions()).filter((s) => s.state === "Established").length === lab.nodes.length;
                return nodesUp && adcUp ? true : undefined;
            },
            { timeoutMs: CONVERGE_MS, intervalMs: 100 },
        );
    }

    before(async function () {
        this.timeout(60_000);
        assertLabPrerequisites();
        lab = await Lab.start({ nodes: 3, adcAsn: ADC_ASN, clusterAsn: CLUSTER_ASN });
        adc = await startLabSimulator(lab);
        cli = await adc.cli();
    });

    after(async function () {
        this.timeout(60_000);
        cli?.close();
        await adc?.close();
        await lab?.stop();
    });

    it("configured over SSH as the runbook says, every node has an Established session with the ADC, on both ends", async () => {
        // Before: BIRD on each node tries the ADC and gets nowhere (no BGP on the ADC yet).
        for (const n of lab.nodes) {
            const [row] = await n.status();
            assert.equal(row?.peerAddress, LAB_ADC_ADDRESS);
            assert.equal(row?.peerType, "global");
            assert.notEqual(row?.info, "Established");
        }
        assert.match(await cli.run("enable ns feature BGP"), /Done/);
        const started = Date.now();
        await vtyshConfigure([`router bgp ${ADC_ASN}`, ...lab.nodes.map((n) => `neighbor ${n.address} remote-as ${CLUSTER_ASN}`), "exit", "ns route-install bgp"]);
        await waitAllEstablished("all sessions Established after the runbook");
        recordFigure("time from the last runbook line to all 3 sessions Established on both ends (ms)", Date.now() - started);

        for (const n of lab.nodes) {
            const rows = await n.status();
            assert.deepEqual(
                rows.map((r) => [r.peerAddress, r.peerType, r.state, r.info]),
                [[LAB_ADC_ADDRESS, "global", "up", "Established"]],
                `${n.name}: calicoctl node status`,
            );
        }
        const sessions = await adcSessions();
        assert.deepEqual(
            sessions.map((s) => [s.address, s.remoteAsn, s.state, s.prefixesReceived]),
            lab.nodes.map((n) => [n.address, CLUSTER_ASN, "Established", n.blocks.length]),
        );
        // The health check agrees, on its first read.
        await waitForEstablished({ host: "lab-adc", expected: expected(), readSessions: adcSessions, timeoutMs: 0, localAsn: ADC_ASN });
        assert.deepEqual(await adc.engine.drift(), [], "FRR runs exactly what the simulator's running config says");
    });

    it("the ADC installs every node's pod blocks with that node as next hop, and traffic to a pod takes that route", async () => {
        const routes = bgpRoutes(parseShowRoute(await cli.run("show route")));
        const want = lab.nodes.flatMap((n) => n.blocks.map((b) => [b, n.address])).sort();
        assert.deepEqual(routes.map((r) => [routeCidr(r), r.gateway]).sort(), want);
        const ipRoute = await vtyshShow("show ip route");
        for (const n of lab.nodes) for (const b of n.blocks) assert.match(ipRoute, new RegExp(`^B\\s+${b.replace(/\./g, "\\.")} \\[20/0\\] via ${n.address.replace(/\./g, "\\.")},`, "m"));

        // The packet path: the ADC namespace's kernel table (zebra installed the routes), then a real TCP exchange.
        const node = lab.nodes[1]!;
        const pod = node.blocks[0]!.replace(/\.0\/26$/, ".5");
        assert.match(await kernelRoute(lab.adc.ns, pod), new RegExp(`via ${node.address.replace(/\./g, "\\.")} dev eth0`));
        const server = await startPodServer(node.ns, pod, 8080, `hello from a pod on ${node.name}`);
        try {
            assert.equal(await tcpRequest(lab.adc.ns, pod, 8080), `hello from a pod on ${node.name}`);
        } finally {
            await server.stop();
        }
    });

    it("without `ns route-install bgp`, learned routes stay in vtysh's table but leave `show route` and the forwarding path", async () => {
        const node = lab.nodes[2]!;
        const pod = node.blocks[0]!.replace(/\.0\/26$/, ".9");
        const server = await startPodServer(node.ns, pod, 8080, "pod reached");
        try {
            await vtyshConfigure(["no ns route-install bgp"]);
            assert.deepEqual(bgpRoutes(parseShowRoute(await cli.run("show route"))), []);
            assert.match(await vtyshShow("show ip route"), new RegExp(`^B\\s+${node.blocks[0]!.replace(/\./g, "\\.")} `, "m"));
            assert.match(await kernelRoute(lab.adc.ns, pod), /^unreachable/);
            assert.match(await tcpRequest(lab.adc.ns, pod, 8080, 1500), /^error: (ENETUNREACH|EHOSTUNREACH|ETIMEDOUT)/);
            // Sessions are untouched: route-install is about the packet engine, not BGP.
            assert.ok((await adcSessions()).every((s) => s.state === "Established"));

            await vtyshConfigure(["ns route-install bgp"]);
            await waitFor("BGP routes back in show route", async () => (bgpRoutes(parseShowRoute(await cli.run("show route"))).length === 4 ? true : undefined), {
                timeoutMs: 10_000,
            });
            assert.equal(await tcpRequest(lab.adc.ns, pod, 8080), "pod reached");
        } finally {
            await server.stop();
        }
    });

    it("removing a node's neighbor on the ADC by hand drops that session on both ends; adding it back restores it", async () => {
        const node = lab.nodes[1]!;
        await vtyshConfigure([`router bgp ${ADC_ASN}`, `no neighbor ${node.address}`]);
        await waitFor(
            `${node.name} to lose its session`,
            async () => {
                const [row] = await node.status();
                return row && row.info !== "Established" ? row : undefined;
            },
            { timeoutMs: CONVERGE_MS },
        );
        const sessions = await adcSessions();
        assert.deepEqual(sessions.map((s) => s.address).sort(), lab.nodes.filter((n) => n !== node).map((n) => n.address));
        assert.ok(!bgpRoutes(parseShowRoute(await cli.run("show route"))).some((r) => r.gateway === node.address), "its pod block is withdrawn");
        const err = await waitForEstablished({ host: "lab-adc", expected: expected(), readSessions: adcSessions, timeoutMs: 0 }).catch((e: unknown) => e);
        assert.ok(err instanceof SessionsNotEstablishedError);
        assert.match(err.message, new RegExp(`${node.address.replace(/\./g, "\\.")}: not configured\\n +the ADC has no neighbor`));

        const started = Date.now();
        await vtyshConfigure([`router bgp ${ADC_ASN}`, `neighbor ${node.address} remote-as ${CLUSTER_ASN}`]);
        await waitAllEstablished("the re-added neighbor back to Established");
        recordFigure("time from re-adding a removed neighbor to Established on both ends (ms)", Date.now() - started);
    });

    it("a wrong remote-as on the ADC keeps that session down, and the health check names the number to set", async () => {
        const node = lab.nodes[2]!;
        await vtyshConfigure([`router bgp ${ADC_ASN}`, `neighbor ${node.address} remote-as 64999`]);
        const [row] = await waitFor(
            `${node.name}'s BIRD to report the refusal`,
            async () => {
                const rows = await node.status();
                return rows[0] && /Bad peer AS/.test(rows[0].info) ? rows : undefined;
            },
            { timeoutMs: CONVERGE_MS },
        );
        assert.notEqual(row!.state, "up");
        const err = await waitForEstablished({ host: "lab-adc", expected: expected(), readSessions: adcSessions, timeoutMs: 2000, intervalMs: 500, localAsn: ADC_ASN }).catch(
            (e: unknown) => e,
        );
        assert.ok(err instanceof SessionsNotEstablishedError, String(err));
        assert.deepEqual(
            err.problems.map((p) => p.address),
            [node.address],
        );
        assert.notEqual(err.problems[0]!.state, "Established");
        assert.match(err.problems[0]!.hint, new RegExp(`remote-as 64999\` but the node runs AS ${CLUSTER_ASN}: set remote-as ${CLUSTER_ASN}`));

        await vtyshConfigure([`router bgp ${ADC_ASN}`, `neighbor ${node.address} remote-as ${CLUSTER_ASN}`]);
        const started = Date.now();
        await waitAllEstablished("the corrected remote-as back to Established");
        recordFigure("time from correcting a wrong remote-as to Established (ms)", Date.now() - started);
    });

    it("a wrong asNumber in the Calico BGPPeer keeps every session down; BIRD says Bad peer AS and the health check lists each node", async () => {
        await lab.setPeer({ ...lab.peer, asNumber: 501 });
        await waitFor(
            "every node to refuse the ADC's AS",
            async () => {
                const rows = (await Promise.all(lab.nodes.map((n) => n.status()))).flat();
                return rows.length === 3 && rows.every((r) => r.state !== "up" && /Bad peer AS/.test(r.info)) ? rows : undefined;
            },
            { timeoutMs: CONVERGE_MS },
        );
        const err = await waitForEstablished({ host: "lab-adc", expected: expected(), readSessions: adcSessions, timeoutMs: 3000, intervalMs: 500, localAsn: ADC_ASN }).catch(
            (e: unknown) => e,
        );
        assert.ok(err instanceof SessionsNotEstablishedError, String(err));
        assert.deepEqual(
            err.problems.map((p) => p.address),
            lab.nodes.map((n) => n.address),
        );
        for (const p of err.problems) {
            // The ADC only sees its connection closed after its OPEN (Active/Connect/Idle); the hint
            // still leads to the BGPPeer, which the node's "Bad peer AS" confirms.
            assert.match(p.state, /^(Idle|Active|Connect|OpenSent|OpenConfirm)$/);
            assert.match(p.hint, /BGPPeer's asNumber must be the ADC's `router bgp` AS \(500\)/);
        }
        recordFigure("ADC-side states seen with a wrong BGPPeer asNumber", err.problems.map((p) => p.state).join(","));

        await lab.setPeer({ ...lab.peer, asNumber: ADC_ASN });
        const started = Date.now();
        await waitAllEstablished("every session back after fixing the BGPPeer");
        recordFigure("time from fixing the BGPPeer asNumber to all 3 Established (ms)", Date.now() - started);
    });
});
