import { strict as assert } from "assert";
import { checked, connection, neighbors, router, type Props } from "./providerCalls";
import { NetScalerSession } from "../../../provider/device/session";
import type { AdcConnection } from "../../../provider/device/types";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";


const PEER = "10.102.33.209";
const NODES = [{ address: "10.102.33.198", remoteAsn: 64512 }];


/** Lines that would change the device: configuration modes, and nscli or vtysh writes. */
function writes(sim: Simulator): string[] {
    return sim
        .transcript()
        .filter((l) => l.mode === "config" || l.mode === "router" || /^(?:enable|disable|save|write|configure|conf)\b/i.test(l.line))
        .map((l) => l.line);
}

async function refused(run: () => Promise<unknown>, ...patterns: RegExp[]): Promise<string> {
    let message = "";
    await assert.rejects(run, (e: Error) => {
        message = e.message;
        return true;
    });
    assert.match(message, /configuration refused/);
    assert.match(message, /nothing was sent/);
    for (const p of patterns) assert.match(message, p);
    return message;
}

describe("Nodes that must not be configured: HA secondary, cluster node, admin partition (over SSH)", function () {
    this.timeout(20000);
    let sim: Simulator;
    const start = async (options: SimulatorOptions = {}) => {
        sim = await startSimulator({ banner: [], ...options });
        sim.resetCounters();
    };
    afterEach(async () => sim?.close());

    const routerInputs = () => checked(router, { connection: connection(sim), localAsn: 500 });
    const neighborInputs = () => checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: NODES });

    it("the secondary of an HA pair: create is refused naming the primary, and nothing is written", async () => {
        await start({ node: { role: "secondary", peerAddress: PEER } });
        const inputs = await routerInputs();
        sim.resetCounters();
        const message = await refused(() => router.create(inputs), /secondary node of an HA pair/, new RegExp(`the primary is ${PEER.replace(/\./g, "\\.")}`), /connection\.host/);
        assert.match(message, new RegExp(`fix: .*${PEER.replace(/\./g, "\\.")}`));
        assert.equal(sim.counters().configLinesReceived, 0);
        assert.deepEqual(writes(sim), []);
        assert.equal(sim.device.state().enabledFeatures.includes("BGP"), false);
        assert.equal(sim.device.state().bgp, null);
    });

    it("a primary (and a standalone node) is configured as before", async () => {
        await start({ node: { role: "primary", peerAddress: PEER } });
        await router.create(await routerInputs());
        await neighbors.create(await neighborInputs());
        assert.deepEqual(sim.device.state().bgp?.neighbors.map((n) => n.address), ["10.102.33.198"]);
    });

    it("a failover between two ups: update, delete and refresh on the node that became secondary", async () => {
        await start({ node: { role: "primary", peerAddress: PEER } });
        const r = await router.create(await routerInputs());
        const n = await neighbors.create(await neighborInputs());
        const before = sim.device.runningConfig();

        sim.failover();
        sim.resetCounters();
        const grown = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: [...NODES, { address: "10.102.33.203", remoteAsn: 64512 }] });
        await refused(() => neighbors.update!(n.id, n.outs, grown), /secondary/, new RegExp(PEER.replace(/\./g, "\\.")));
        await refused(() => neighbors.delete!(n.id, n.outs), /secondary/);
        await refused(() => router.delete!(r.id, r.outs), /secondary/);
        assert.equal(sim.counters().configLinesReceived, 0);
        assert.deepEqual(writes(sim), []);
        assert.equal(sim.device.runningConfig(), before);

        // Reading still works on the secondary.
        const read = await neighbors.read!(n.id, n.outs);
        assert.deepEqual(read.props!.configuredNeighbors.map((x: Props) => x.address), ["10.102.33.198"]);
        assert.deepEqual(writes(sim), []);

        sim.failover();
        await neighbors.update!(n.id, n.outs, grown);
        assert.deepEqual(sim.device.state().bgp?.neighbors.map((x) => x.address), ["10.102.33.198", "10.102.33.203"]);
    });

    it("a read on the secondary says in the log which node it read", async () => {
        await start({ node: { role: "secondary", peerAddress: PEER } });
        const logs: string[] = [];
        const c = connection(sim);
        const conn: AdcConnection = { ...c, username: "nsroot", insecureIgnoreHostKey: false, connectTimeoutMs: 5000, commandTimeoutMs: 5000 };
        const session = await NetScalerSession.open(conn, { log: (l) => logs.push(l) });
        try {
            await session.vtyshShow("show running-config");
            assert.equal(session.stats.exchanges, 1, "the HA state travels with the first read");
            assert.ok(logs.some((l) => /reading the secondary node of an HA pair \(the primary is 10\.102\.33\.209\)/.test(l)), logs.join("\n"));
            await assert.rejects(() => session.configure([{ context: { routerBgp: 500 }, text: "neighbor 10.0.0.1 remote-as 1" }]), /configuration refused/);
            await assert.rejects(() => session.save(), /configuration refused/);
            await assert.rejects(() => session.cli("enable ns feature BGP"), /configuration refused/);
        } finally {
            await session.close();
        }
        assert.equal(sim.counters().configLinesReceived, 0);
        assert.deepEqual(writes(sim), []);
    });

    it("an HA state that cannot be read is refused, not guessed", async () => {
        await start({ node: { haNodeReply: "ERROR: Not authorized to execute this command" } });
        const inputs = await routerInputs();
        sim.resetCounters();
        await refused(() => router.create(inputs), /HA state of this node cannot be read with certainty/, /Not authorized/);
        assert.deepEqual(writes(sim), []);
    });

    it("a cluster node reached on its own address is refused naming the cluster IP; the cluster IP is configured", async () => {
        await start({ node: { cluster: { id: 1, clusterIp: "10.102.33.250" } } });
        const inputs = await routerInputs();
        sim.resetCounters();
        await refused(() => router.create(inputs), /node of cluster 1 reached on its own address/, /fix: set `connection\.host` to the cluster IP: 10\.102\.33\.250/);
        assert.deepEqual(writes(sim), []);

        // The session reached through the cluster IP (here the simulator's own listening address).
        sim.setNode({ cluster: { id: 1, clusterIp: sim.host } });
        await router.create(inputs);
        assert.equal(sim.device.state().bgp?.asn, 500);
    });

    it("a session in a non-default admin partition is refused; the default partition is configured", async () => {
        await start({ node: { partitions: ["p1"], partition: "p1" } });
        const inputs = await routerInputs();
        sim.resetCounters();
        await refused(() => router.create(inputs), /admin partition p1/, /default partition/);
        assert.deepEqual(writes(sim), []);

        sim.setNode({ partition: "default" });
        await router.create(inputs);
        assert.equal(sim.device.state().bgp?.asn, 500);
    });

    it("with partitions configured, a customised prompt that does not show the partition is refused", async () => {
        await start({ cliPrompt: "adc1>", node: { partitions: ["p1"] } });
        const inputs = await routerInputs();
        sim.resetCounters();
        await refused(() => router.create(inputs), /admin partitions \(p1\)/, /clear cli prompt/);
        assert.deepEqual(writes(sim), []);
    });
});
