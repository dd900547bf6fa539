import { strict as assert } from "assert";
import { createServer, type Server, type Socket } from "net";
import { checked, mark, neighbors, router, type Props } from "./providerCalls";
import { startHaPair, type HaPair, type HaPairOptions, type Simulator } from "../../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const NODES = [
    { address: "10.102.33.198", remoteAsn: 64512 },
    { address: "10.102.33.199", remoteAsn: 64512, password: "s3cret-md5" },
];
/** A well-formed fingerprint that neither node presents (the SHA-256 of nothing). */
const STRANGER = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

/** The pair's connection inputs, the nodes in the order given. */
function pairConnection(pair: HaPair, extra: Record<string, unknown> = {}, order: readonly [0 | 1, 0 | 1] = [0, 1]) {
    return {
        nodes: order.map((i) => ({ host: pair.nodes[i].host, port: pair.nodes[i].port, hostKeyFingerprint: pair.nodes[i].hostKeyFingerprint })),
        password: "nsroot",
        connectRetries: 0,
        ...extra,
    };
}

/** Lines that would change a node: configuration modes, and nscli or vtysh writes. */
function writes(sim: Simulator): string[] {
    return sim
        .transcript()
        .filter((l) => l.mode === "config" || l.mode === "router" || /^(?:enable|disable|save|write|configure|conf)\b/i.test(l.line))
        .map((l) => l.line);
}

/** The `router bgp` block of a node's vtysh running config. */
function routerBlock(sim: Simulator): string {
    const text = sim.device.runningConfig();
    return text.slice(text.indexOf("router bgp"), text.indexOf("!", text.indexOf("router bgp")));
}

/** The `neighbor` lines of a node's vtysh running config. */
function neighborLines(sim: Simulator): string[] {
    return sim.device
        .runningConfig()
        .split("\n")
        .filter((l) => /^\s*neighbor /.test(l))
        .map((l) => l.trim());
}

/** What `log` printed while `run` ran (the package's progress lines go to console.log). */
async function printed<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
    const lines: string[] = [];
    const quiet = process.env.PULUMI_CALICO_ADC_QUIET;
    const original = console.log;
    delete process.env.PULUMI_CALICO_ADC_QUIET;
    console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    try {
        return { result: await run(), lines };
    } finally {
        console.log = original;
        process.env.PULUMI_CALICO_ADC_QUIET = quiet;
    }
}

describe("HA pair given by both nodes (over SSH, two simulated nodes)", function () {
    this.timeout(30000);
    let pair: HaPair;
    const start = async (options: HaPairOptions = {}) => {
        pair = await startHaPair({ common: { banner: [] }, ...options });
        pair.resetCounters();
    };
    afterEach(async () => pair?.close());

    const routerInputs = (extra: Record<string, unknown> = {}) => checked(router, { connection: pairConnection(pair, extra), localAsn: 500 });
    const neighborInputs = (extra: Record<string, unknown> = {}) => checked(neighbors, { connection: pairConnection(pair, extra), localAsn: 500, neighbors: NODES });

    it("applies on the primary when the first node given is the secondary, writes nothing there, and verifies it mirrors the primary", async () => {
        await start({ primary: 1, propagation: "synced" });
        const [secondary, primary] = pair.nodes;
        const r = await router.create(await routerInputs());
        const n = await neighbors.create(await neighborInputs());
        assert.deepEqual(writes(secondary), [], "nothing is typed on the secondary");
        assert.ok(primary.counters().configLinesReceived > 0);
        assert.deepEqual(neighborLines(primary), neighborLines(secondary));
        assert.equal(neighborLines(primary).length, 5, "remote-as and the mark's description per neighbor, and one password");
        for (const outs of [r.outs, n.outs] as Props[]) {
            assert.equal(outs.secondaryInSync, true);
            assert.deepEqual(outs.secondary, { host: secondary.host, port: secondary.port, differences: [] });
        }
        // One SSH connection per node and operation: the secondary is read on the connection that found it.
        assert.equal(secondary.counters().connectionsAccepted, 2);
        assert.equal(primary.counters().connectionsAccepted, 2);
    });

    it("not synced: up succeeds with a warning naming the lines the secondary lacks and what to run; refresh keeps showing it as drift", async () => {
        await start({ propagation: "not-synced" });
        const [primary, secondary] = pair.nodes;
        const inputs = await neighborInputs();
        await router.create(await routerInputs());
        const { result: n, lines } = await printed(() => neighbors.create(inputs));
        assert.equal(neighborLines(primary).length, 5, "remote-as and the mark's description per neighbor, and one password");
        assert.deepEqual(neighborLines(secondary), []);
        assert.deepEqual(writes(secondary), []);
        const outs = n.outs as Props;
        assert.equal(outs.secondaryInSync, false);
        assert.deepEqual(outs.secondary.differences, [
            '"router bgp 500" is not configured on the device',
            "neighbor 10.102.33.198 remote-as 64512",
            `neighbor 10.102.33.198 description ${mark(n.id)}`,
            "neighbor 10.102.33.199 remote-as 64512",
            `neighbor 10.102.33.199 description ${mark(n.id)}`,
            "neighbor 10.102.33.199 password <redacted>",
        ]);
        const warning = lines.join("\n");
        assert.match(warning, new RegExp(`warning: the HA secondary ${secondary.host} port ${secondary.port} does not show`));
        assert.match(warning, /neighbor 10\.102\.33\.198 remote-as 64512/);
        assert.match(warning, /force ha sync/);
        assert.doesNotMatch(JSON.stringify(outs.secondary) + warning, /s3cret-md5/);

        // refresh: the diverged secondary is drift, which the next up (a diff with changes) checks again,
        // and a warning saying what differs and what to run.
        const { result: read, lines: refreshLog } = await printed(() => neighbors.read!(n.id, outs));
        assert.equal(read.props!.secondaryInSync, false);
        const refreshWarning = refreshLog.join("\n");
        assert.match(refreshWarning, new RegExp(`warning: the HA secondary ${secondary.host} port ${secondary.port} does not show the BGP configuration held by the primary ${primary.host}`));
        assert.match(refreshWarning, /neighbor 10\.102\.33\.199 remote-as 64512/);
        assert.match(refreshWarning, /run `force ha sync` \(or `sync ha files all`\), then `pulumi refresh`/);
        assert.doesNotMatch(refreshWarning, /s3cret-md5/);
        assert.equal((await neighbors.diff!(n.id, read.props!, inputs)).changes, true);

        // Once the secondary shows the lines, refresh records it in sync and nothing is left to do.
        await secondary.device.configure([
            "router bgp 500",
            "neighbor 10.102.33.198 remote-as 64512",
            `neighbor 10.102.33.198 description ${mark(n.id)}`,
            "neighbor 10.102.33.199 remote-as 64512",
            `neighbor 10.102.33.199 description ${mark(n.id)}`,
            "neighbor 10.102.33.199 password s3cret-md5",
        ]);
        const { result: synced, lines: syncedLog } = await printed(() => neighbors.read!(n.id, read.props!));
        assert.equal(synced.props!.secondaryInSync, true);
        assert.doesNotMatch(syncedLog.join("\n"), /warning/);
        assert.equal((await neighbors.diff!(n.id, synced.props!, inputs)).changes, false);
    });

    it("not synced with failOnSecondaryDifference: up fails naming the lines, and records what the primary holds", async () => {
        await start({ propagation: "not-synced" });
        const [primary, secondary] = pair.nodes;
        await router.create(await routerInputs({ failOnSecondaryDifference: true })).catch((e: Props) => e);
        let caught: Props = {};
        await assert.rejects(neighbors.create(await neighborInputs({ failOnSecondaryDifference: true })), (e: Props) => {
            caught = e;
            return true;
        });
        assert.match(caught.message, new RegExp(`HA secondary ${secondary.host} port ${secondary.port} does not show`));
        assert.match(caught.message, /neighbor 10\.102\.33\.198 remote-as 64512/);
        assert.match(caught.message, /fix: on the primary .*force ha sync/);
        assert.match(caught.message, /pulumi refresh` records it in sync/);
        assert.deepEqual(caught.properties.owned, ["10.102.33.198", "10.102.33.199"]);
        assert.equal(caught.properties.secondaryInSync, false);
        assert.equal(neighborLines(primary).length, 5, "remote-as and the mark's description per neighbor, and one password");
        assert.deepEqual(writes(secondary), []);
    });

    it("refresh shows a secondary changed by hand as drift, naming what it lacks", async () => {
        await start({ propagation: "synced" });
        const [, secondary] = pair.nodes;
        const r = await router.create(await routerInputs());
        const n = await neighbors.create(await neighborInputs());
        pair.setPropagation("not-synced");
        await secondary.device.configure(["router bgp 500", "no neighbor 10.102.33.198"]);
        const read = await neighbors.read!(n.id, n.outs);
        assert.equal(read.props!.secondaryInSync, false);
        assert.deepEqual(read.props!.secondary.differences, ["neighbor 10.102.33.198 remote-as 64512", `neighbor 10.102.33.198 description ${mark(n.id)}`]);
        assert.deepEqual(read.props!.configuredNeighbors.map((c: Props) => c.address), ["10.102.33.198", "10.102.33.199"], "the primary's view is unchanged");
        const routerRead = await router.read!(r.id, r.outs);
        assert.equal(routerRead.props!.secondaryInSync, true, "the router's own lines are still on the secondary");
    });

    it("a failover between two ups: no change in the diff, no replacement, no line sent and no BGP session reset; refresh reads the new primary", async () => {
        await start({ propagation: "synced" });
        const [first, second] = pair.nodes;
        const rIn = await routerInputs();
        const nIn = await neighborInputs();
        const r = await router.create(rIn);
        const n = await neighbors.create(nIn);
        const running = routerBlock(first);
        assert.match(running, /neighbor 10\.102\.33\.199 password/);

        pair.failover();
        assert.equal(pair.primary(), second);
        pair.resetCounters();
        for (const [p, id, outs, inputs] of [
            [router, r.id, r.outs, rIn],
            [neighbors, n.id, n.outs, nIn],
        ] as const) {
            const diff = await p.diff!(id, outs, await checked(p, inputs));
            assert.deepEqual(diff.replaces, []);
            assert.equal(diff.changes, false);
            // An update anyway (as `pulumi up` after another change would run it) goes to the new primary and sends nothing.
            const updated = await p.update!(id, outs, inputs);
            assert.equal(updated.outs!.secondaryInSync, true);
            assert.equal(updated.outs!.secondary.host, first.host);
            const read = await p.read!(id, outs);
            assert.equal(read.props!.secondaryInSync, true);
        }
        const counters = pair.counters();
        assert.equal(counters.configLinesReceived, 0);
        assert.equal(counters.bgpSessionsReset, 0);
        assert.deepEqual([...writes(first), ...writes(second)].filter((l) => !/^(?:write|save)/.test(l)), [], "only saves, no configuration");
        assert.equal(routerBlock(second), running);
        assert.equal(routerBlock(first), running);
    });

    it("a single-node connection given again as the pair (or with its nodes swapped) is the same device; other keys are another", async () => {
        await start();
        const [first, second] = pair.nodes;
        const single = { host: first.host, port: first.port, hostKeyFingerprint: first.hostKeyFingerprint, password: "nsroot", connectRetries: 0 };
        const r = await router.create(await checked(router, { connection: single, localAsn: 500 }));
        const asPair = await routerInputs();
        assert.deepEqual((await router.diff!(r.id, r.outs, asPair)).replaces, []);
        const swapped = await checked(router, { connection: pairConnection(pair, {}, [1, 0]), localAsn: 500 });
        assert.deepEqual((await router.diff!(r.id, { ...r.outs, connection: asPair.connection }, swapped)).replaces, []);
        // The shared address now presenting the other node's key, given as a single node: as today, another device.
        const otherKey = await checked(router, { connection: { ...single, hostKeyFingerprint: second.hostKeyFingerprint }, localAsn: 500 });
        assert.deepEqual((await router.diff!(r.id, r.outs, otherKey)).replaces, ["connection"]);
    });

    it("a key neither node was pinned to is refused, naming the key, and nothing is sent; either pinned key is accepted at either address", async () => {
        await start();
        const [first, second] = pair.nodes;
        const connection = pairConnection(pair);
        connection.nodes[0] = { ...connection.nodes[0]!, hostKeyFingerprint: STRANGER };
        await assert.rejects(router.create(await checked(router, { connection, localAsn: 500 })), (e: Error) => {
            assert.match(e.message, /SSH host key mismatch/);
            assert.ok(e.message.includes(first.hostKeyFingerprint), "names the key presented");
            assert.match(e.message, /connection\.nodes\[i\]\.hostKeyFingerprint/);
            return true;
        });
        assert.equal(first.counters().linesReceived + second.counters().linesReceived, 0);
        // A shared address presents whichever node answers it: the keys are the pair's, not the addresses'.
        const crossed = pairConnection(pair);
        crossed.nodes = [
            { ...crossed.nodes[0]!, hostKeyFingerprint: second.hostKeyFingerprint },
            { ...crossed.nodes[1]!, hostKeyFingerprint: first.hostKeyFingerprint },
        ];
        await router.create(await checked(router, { connection: crossed, localAsn: 500 }));
        assert.ok(first.device.runningConfig().includes("router bgp 500"));
    });

    it("neither node primary: refused naming both, nothing sent", async () => {
        await start();
        pair.nodes[0].setNode({ role: "secondary" });
        await assert.rejects(router.create(await routerInputs()), (e: Error) => {
            assert.match(e.message, /neither node of connection\.nodes shows itself as the primary/);
            assert.match(e.message, /nothing was sent/);
            return true;
        });
        assert.deepEqual([...writes(pair.nodes[0]), ...writes(pair.nodes[1])], []);
    });

    it("graceful restart on the pair: set on the primary, verified on the secondary, reported where it is missing, removed on delete", async () => {
        await start({ propagation: "synced" });
        const [primary, secondary] = pair.nodes;
        const inputs = await routerInputs();
        const r = await router.create({ ...inputs, gracefulRestart: true });
        assert.match(routerBlock(primary), /^ bgp graceful-restart$/m);
        assert.match(routerBlock(secondary), /^ bgp graceful-restart$/m);
        assert.equal((r.outs as Props).secondaryInSync, true);
        assert.equal((r.outs as Props).owned.gracefulRestart, true);

        pair.setPropagation("not-synced");
        await secondary.device.configure(["router bgp 500", "no bgp graceful-restart"]);
        const read = await router.read!(r.id, r.outs);
        assert.deepEqual(read.props!.secondary.differences, ["bgp graceful-restart"]);
        assert.equal(read.props!.gracefulRestart, true, "the primary still has it");

        pair.setPropagation("synced");
        await router.delete!(r.id, r.outs);
        assert.doesNotMatch(primary.device.runningConfig(), /graceful-restart/);
    });

    it("a secondary that cannot be reached: up applies on the primary and records what the primary holds, reporting the secondary unread", async () => {
        await start({ propagation: "synced" });
        const [primary, secondary] = pair.nodes;
        const inputs = await routerInputs();
        await secondary.close();
        const r = await router.create(inputs);
        assert.match(primary.device.runningConfig(), /router bgp 500/);
        assert.equal((r.outs as Props).secondaryInSync, false);
        assert.match((r.outs as Props).secondary.differences[0], /^\(the secondary could not be read: /);
        assert.equal((r.outs as Props).owned.router, true, "what was applied is recorded, so destroy can remove it");
    });

    it("the first node down and the second primary (the old primary died): up applies on the second, reports the first unread, and refresh still works", async () => {
        await start({ primary: 1, propagation: "synced" });
        const [down, primary] = pair.nodes;
        await down.close();
        const r = await router.create(await routerInputs());
        const n = await neighbors.create(await neighborInputs());
        assert.match(primary.device.runningConfig(), /router bgp 500/);
        assert.equal(neighborLines(primary).length, 5, "remote-as and the mark's description per neighbor, and one password");
        for (const outs of [r.outs, n.outs] as Props[]) {
            assert.equal(outs.secondaryInSync, false);
            assert.equal(outs.secondary.host, down.host);
            assert.equal(outs.secondary.port, down.port);
            assert.match(outs.secondary.differences[0], new RegExp(`^\\(the secondary could not be read: .*connection refused at ${down.host} port ${down.port}`));
        }
        assert.deepEqual((n.outs as Props).owned, ["10.102.33.198", "10.102.33.199"]);
        const read = await neighbors.read!(n.id, n.outs);
        assert.deepEqual(read.props!.configuredNeighbors.map((c: Props) => c.address), ["10.102.33.198", "10.102.33.199"]);
    });

    it("the first node answering TCP but never SSH (a hung node): its login times out and up applies on the second, the primary", async () => {
        await start({ primary: 1 });
        const [, primary] = pair.nodes;
        // Accepts and never speaks: the SSH handshake can only time out.
        const held: Socket[] = [];
        const hung: Server = createServer((socket) => void held.push(socket));
        await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
        const port = (hung.address() as { port: number }).port;
        try {
            const connection = pairConnection(pair, { connectTimeoutMs: 2000 });
            connection.nodes[0] = { ...connection.nodes[0]!, port };
            const r = await router.create(await checked(router, { connection, localAsn: 500 }));
            assert.match(primary.device.runningConfig(), /router bgp 500/);
            assert.equal((r.outs as Props).secondary.port, port);
            assert.match((r.outs as Props).secondary.differences[0], /^\(the secondary could not be read: .*no SSH login within 2000 ms/);
        } finally {
            for (const s of held) s.destroy();
            await new Promise((resolve) => hung.close(resolve));
        }
    });

    it("the first node down and the second only secondary: refused naming both nodes and why, nothing written", async () => {
        await start({ primary: 0 });
        const [down, secondary] = pair.nodes;
        await down.close();
        await assert.rejects(router.create(await routerInputs()), (e: Error) => {
            assert.ok(e.message.includes(`${down.host} port ${down.port} and ${secondary.host} port ${secondary.port}`), e.message);
            assert.match(e.message, /shows itself as the secondary node of an HA pair/);
            assert.ok(e.message.includes(`cannot be reached (connection refused at ${down.host} port ${down.port})`), e.message);
            assert.match(e.message, /nothing was sent/);
            return true;
        });
        assert.deepEqual(writes(secondary), []);
    });

    it("neither node reachable: fails naming both nodes and each one's error", async () => {
        await start();
        const [a, b] = pair.nodes;
        await pair.close();
        await assert.rejects(router.create(await routerInputs()), (e: Error) => {
            assert.match(e.message, /neither node of connection\.nodes can be reached; nothing was sent/);
            for (const n of [a, b]) assert.ok(e.message.includes(`- ${n.host} port ${n.port}: connection refused at ${n.host} port ${n.port}`), e.message);
            return true;
        });
    });

    it("split brain (both nodes primary): refused naming both before anything is written on either, in either order", async () => {
        await start();
        pair.nodes[1].setNode({ role: "primary" });
        for (const order of [[0, 1], [1, 0]] as const) {
            const connection = pairConnection(pair, {}, order);
            await assert.rejects(router.create(await checked(router, { connection, localAsn: 500 })), (e: Error) => {
                assert.match(e.message, /both nodes of connection\.nodes may be written/);
                for (const n of pair.nodes) assert.ok(e.message.includes(`${n.host} port ${n.port} shows itself as the primary node of an HA pair`) || e.message.includes(`${n.host} port ${n.port} as the primary node of an HA pair`), e.message);
                assert.match(e.message, /split brain/);
                assert.match(e.message, /nothing was sent/);
                return true;
            });
        }
        assert.deepEqual([...writes(pair.nodes[0]), ...writes(pair.nodes[1])], []);
        assert.equal(pair.counters().configLinesReceived, 0);
    });

    it("a split brain whose other node is down cannot be told from a failover: up applies on the primary it reaches, reporting the other unread", async () => {
        await start({ propagation: "synced" });
        const [primary, down] = pair.nodes;
        down.setNode({ role: "primary" });
        await down.close();
        const r = await router.create(await routerInputs());
        assert.match(primary.device.runningConfig(), /router bgp 500/);
        assert.match((r.outs as Props).secondary.differences[0], /^\(the secondary could not be read: /);
    });

    it("the second node presenting a key neither node was pinned to is refused before anything is sent, although the first is primary", async () => {
        await start();
        const [first, second] = pair.nodes;
        const connection = pairConnection(pair);
        connection.nodes[1] = { ...connection.nodes[1]!, hostKeyFingerprint: STRANGER };
        await assert.rejects(router.create(await checked(router, { connection, localAsn: 500 })), (e: Error) => {
            assert.match(e.message, /SSH host key mismatch/);
            assert.ok(e.message.includes(second.hostKeyFingerprint), "names the key presented");
            return true;
        });
        assert.equal(first.counters().linesReceived + second.counters().linesReceived, 0);
        assert.doesNotMatch(first.device.runningConfig(), /router bgp 500/);
    });
});
