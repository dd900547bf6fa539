/**
 * Ownership over SSH against the simulator: two stacks applying at once, and the same device
 * reached another way.
 */
import { strict as assert } from "assert";
import { createServer, connect, type Server } from "net";
import type { AddressInfo } from "net";
import { checked, connection, mark, neighbors, router, type Props } from "./providerCalls";
import { tokenOfId } from "../../../provider/core/marks";
import { startSimulator, type Simulator } from "../../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";


/** Neighbor lines the device received (configuration lines naming a neighbor). */
function neighborLines(sim: Simulator): string[] {
    return sim
        .transcript()
        .filter((l) => (l.mode === "config" || l.mode === "router") && /^(no )?neighbor /.test(l.line))
        .map((l) => l.line);
}

/** A TCP port that leads to the simulator: the same device at another address:port, as behind NAT. */
async function forward(sim: Simulator): Promise<{ port: number; close(): Promise<void> }> {
    const server: Server = createServer((client) => {
        const upstream = connect(sim.port, sim.host);
        client.pipe(upstream).pipe(client);
        const end = () => {
            client.destroy();
            upstream.destroy();
        };
        client.on("error", end).on("close", end);
        upstream.on("error", end).on("close", end);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("ownership over SSH: concurrent stacks, the same device reached another way", function () {
    this.timeout(60000);
    let sim: Simulator;
    afterEach(async () => sim?.close());

    /**
     * Two stacks on this machine applying at once and listing the same neighbor, each reaching
     * the device through its own connection inputs.
     */
    async function twoStacksAtOnce(connectionOf: (cluster: string) => Props): Promise<void> {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500"] } });
        const stack = (cluster: string) =>
            checked(neighbors, {
                connection: connectionOf(cluster),
                localAsn: 500,
                neighbors: [
                    { address: "10.33.0.1", remoteAsn: 64512, description: `${cluster} node-1` },
                    { address: cluster === "cluster-a" ? "10.33.1.1" : "10.33.2.1", remoteAsn: 64512 },
                ],
            });
        const [a, b] = await Promise.all([stack("cluster-a"), stack("cluster-b")]);
        sim.resetCounters();
        const results = await Promise.allSettled([neighbors.create(a), neighbors.create(b)]);

        const won = results.filter((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ id: string; outs: Props }>[];
        const lost = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
        assert.equal(won.length, 1, "exactly one stack owns 10.33.0.1");
        assert.equal(lost.length, 1);
        const winner = won[0]!.value.outs;
        assert.ok(winner.owned.includes("10.33.0.1"));
        const owner = winner.configuredNeighbors.find((n: Props) => n.address === "10.33.0.1").description as string;
        assert.match(owner, new RegExp(`^${mark(won[0]!.value.id)} cluster-[ab] node-1$`), "the device shows the winner's mark before its description");
        const message = String(lost[0]!.reason.message ?? lost[0]!.reason);
        // The device lock serializes the two: the second reads the first's mark and sends nothing.
        assert.match(message, /neighbor 10\.33\.0\.1 belongs to another resource/);
        assert.ok(message.includes(`"${owner}"`), `the conflict names the owner as the device shows it: ${message}`);
        assert.ok(message.includes(`id ends in /${tokenOfId(won[0]!.value.id)}`), message);

        // The losing stack sent nothing: not even its own other neighbor.
        const loser = owner.endsWith("cluster-a node-1") ? "10.33.2.1" : "10.33.1.1";
        const sent = neighborLines(sim);
        assert.equal(sent.filter((l) => l.startsWith("neighbor 10.33.0.1 remote-as")).length, 1, sent.join("\n"));
        assert.ok(!sent.some((l) => l.includes(loser)), sent.join("\n"));
        assert.deepEqual(
            sim.device.state().bgp?.neighbors.map((n) => n.address).sort(),
            ["10.33.0.1", owner.endsWith("cluster-a node-1") ? "10.33.1.1" : "10.33.2.1"],
        );
    }

    it("two stacks applying at once and listing the same neighbor: exactly one owns it, the other fails naming it and changes nothing", async () => {
        await twoStacksAtOnce(() => connection(sim));
    });

    it("the same, when one stack pins the host key and the other ignores it: the device's address serializes them", async () => {
        await twoStacksAtOnce((cluster) => (cluster === "cluster-a" ? connection(sim) : connection(sim, { hostKeyFingerprint: undefined, insecureIgnoreHostKey: true })));
    });

    it("a resource whose state is lost but whose id is known reclaims its marked neighbors; another resource never takes them, even adopting", async () => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500"] } });
        const list = [{ address: "10.33.5.1", remoteAsn: 64512, description: "node-1" }, { address: "10.33.5.2", remoteAsn: 64512 }];
        const inputs = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: list });
        const created = await neighbors.create(inputs);
        const marked = sim.device.runningConfig();
        sim.resetCounters();

        // Its state is gone (only the id is left, as `pulumi stack --show-ids` showed it): the marks say which neighbors are its.
        const reclaimed = await neighbors.update!(created.id, {}, inputs);
        assert.deepEqual(reclaimed.outs!.owned, ["10.33.5.1", "10.33.5.2"]);
        assert.equal(sim.counters().configLinesReceived, 0, "nothing to send: the device holds its lines");
        assert.equal(sim.device.runningConfig(), marked);

        // Another resource listing one of them is refused, adoptExisting or not, with nothing sent.
        for (const adoptExisting of [false, true]) {
            const other = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: [list[0]!], adoptExisting });
            await assert.rejects(neighbors.create(other), (e: Error) => e.message.includes(`"${mark(created.id)} node-1"`) && e.message.includes(`id ends in /${tokenOfId(created.id)}`));
        }
        assert.equal(sim.counters().configLinesReceived, 0);
        assert.equal(sim.device.runningConfig(), marked);

        // The reclaimed state removes them on destroy.
        await neighbors.delete!(created.id, reclaimed.outs!);
        assert.deepEqual(sim.device.state().bgp?.neighbors.map((x) => x.address), []);
    });

    it("never removes lines an admin added to a neighbor it owns: destroy and dropping it from the list are refused, quoting them, with nothing sent", async () => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500"] } });
        const two = [{ address: "10.33.7.1", remoteAsn: 64512 }, { address: "10.33.7.2", remoteAsn: 64512 }];
        const created = await neighbors.create(await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: two }));
        await sim.device.configure(["router bgp 500", "neighbor 10.33.7.1 route-map ADMIN in"]);
        const before = sim.device.runningConfig();
        sim.resetCounters();

        const quoted = /neighbor 10\.33\.7\.1 is this resource's, but the device also holds lines for it that this resource did not write, which removing it \(no neighbor 10\.33\.7\.1\) would take with it: neighbor 10\.33\.7\.1 route-map ADMIN in\n  fix: remove those lines on the ADC \(no neighbor 10\.33\.7\.1 route-map ADMIN in\)/;
        await assert.rejects(neighbors.delete!(created.id, created.outs), quoted);
        const dropped = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: [two[1]!] });
        await assert.rejects(neighbors.update!(created.id, created.outs, dropped), quoted);
        assert.equal(sim.counters().configLinesReceived, 0, "nothing sent");
        assert.equal(sim.device.runningConfig(), before);

        // Once the admin's line is gone, the neighbor is this resource's alone again.
        await sim.device.configure(["router bgp 500", "no neighbor 10.33.7.1 route-map ADMIN in"]);
        await neighbors.delete!(created.id, created.outs);
        assert.deepEqual(sim.device.state().bgp?.neighbors.map((n) => n.address), []);
    });

    it("the same device at another port is an update in place that sends no neighbor line", async () => {
        sim = await startSimulator({ banner: [] });
        const r = await router.create(await checked(router, { connection: connection(sim), localAsn: 500 }));
        const inputs = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: [{ address: "10.102.33.198", remoteAsn: 64512 }] });
        const n = await neighbors.create(inputs);
        const nat = await forward(sim);
        try {
            const moved = await checked(neighbors, { connection: connection(sim, { port: nat.port }), localAsn: 500, neighbors: [{ address: "10.102.33.198", remoteAsn: 64512 }] });
            const diff = await neighbors.diff!(n.id, n.outs, moved);
            assert.equal(diff.changes, true);
            assert.deepEqual(diff.replaces, [], "no replacement: the host key is the same");
            const movedRouter = await checked(router, { connection: connection(sim, { port: nat.port }), localAsn: 500 });
            assert.deepEqual((await router.diff!(r.id, r.outs, movedRouter)).replaces, []);

            sim.resetCounters();
            const updated = await neighbors.update!(n.id, n.outs, moved);
            const routerUpdated = await router.update!(r.id, r.outs, movedRouter);
            assert.deepEqual(neighborLines(sim), [], "no neighbor line sent");
            assert.equal(sim.counters().configLinesReceived, 0, "no configuration line at all");
            assert.equal(updated.outs!.port, nat.port);
            assert.deepEqual(updated.outs!.owned, ["10.102.33.198"]);
            assert.equal(routerUpdated.outs!.owned.router, true);
        } finally {
            await nat.close();
        }
    });

    it("another device (another host key) at the same address is a replacement, and the diff shows the key changing", async () => {
        sim = await startSimulator({ banner: [] });
        const inputs = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: [{ address: "10.102.33.198", remoteAsn: 64512 }] });
        const other = await startSimulator({ banner: [] });
        try {
            assert.notEqual(other.hostKeyFingerprint, sim.hostKeyFingerprint);
            const elsewhere = await checked(neighbors, { connection: connection(sim, { hostKeyFingerprint: other.hostKeyFingerprint }), localAsn: 500, neighbors: [{ address: "10.102.33.198", remoteAsn: 64512 }] });
            const diff = await neighbors.diff!("id", { ...inputs, owned: ["10.102.33.198"] }, elsewhere);
            assert.deepEqual(diff.replaces, ["connection"]);
            assert.notEqual(inputs.connection.hostKeyFingerprint, elsewhere.connection.hostKeyFingerprint);
        } finally {
            await other.close();
        }
    });

    it("meets peer groups and an address-family section after an inner ' !' over SSH, and destroy leaves them as they were", async () => {
        sim = await startSimulator({
            banner: [],
            initialConfig: {
                enabledFeatures: ["BGP"],
                zebos: [
                    "router bgp 500",
                    " neighbor CALICO peer-group",
                    " neighbor CALICO remote-as 64512",
                    " neighbor 10.33.5.1 peer-group CALICO",
                    " neighbor 2001:db8::5 remote-as 64999",
                    " neighbor 10.33.5.9 remote-as 65010",
                    " !",
                    " address-family ipv6",
                    " neighbor 2001:db8::5 activate",
                    " exit-address-family",
                ],
            },
        });
        const before = sim.device.runningConfig();
        assert.match(before, /^ neighbor 10\.33\.5\.1 peer-group CALICO\n(?:.*\n)* !\n address-family ipv6\n neighbor 2001:db8::5 activate\n exit-address-family\n!$/m);

        const member = await checked(neighbors, { connection: connection(sim), localAsn: 500, adoptExisting: true, neighbors: [{ address: "10.33.5.1", remoteAsn: 64512 }] });
        await assert.rejects(neighbors.create(member), /member of peer group CALICO/);
        const foreign = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: [{ address: "10.33.5.9", remoteAsn: 65010 }] });
        await assert.rejects(neighbors.create(foreign), /neighbor 10\.33\.5\.9 \(remote-as 65010\) already exists/, "a neighbor after the section is seen");
        assert.equal(sim.device.runningConfig(), before, "refusals change nothing");

        const ours = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: [{ address: "10.33.6.1", remoteAsn: 64512 }, { address: "2001:db8::6", remoteAsn: 64512 }] });
        const created = await neighbors.create(ours);
        assert.deepEqual(created.outs.owned, ["10.33.6.1", "2001:db8::6"]);
        assert.match(sim.device.runningConfig(), /^ neighbor 2001:db8::6 activate$/m);
        await neighbors.delete!(created.id, created.outs);
        assert.equal(sim.device.runningConfig(), before, "every line the stack did not add is as it was");
    });
});
