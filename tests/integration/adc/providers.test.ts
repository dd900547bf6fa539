import { strict as assert } from "assert";
import { checked, configLines, connection, mark, neighbors, router, type Props } from "./providerCalls";
import { AdcAuthenticationError, AdcHostKeyError } from "../../../provider/device/errors";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const RUNBOOK = [
    { address: "10.102.33.198", remoteAsn: 64512 },
    { address: "10.102.33.202", remoteAsn: 64512 },
];

describe("ADC providers over SSH against the simulator", function () {
    this.timeout(20000);
    let sim: Simulator;
    const start = async (options: SimulatorOptions = {}) => {
        sim = await startSimulator({ banner: [], ...options });
    };
    afterEach(async () => sim?.close());

    it("runs the runbook: feature, route install, router bgp 500 and one neighbor per node, saved", async () => {
        await start();
        const r = await router.create(await checked(router, { connection: connection(sim), localAsn: 500 }));
        const n = await neighbors.create(await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: RUNBOOK }));

        const state = sim.device.state();
        assert.ok(state.enabledFeatures.includes("BGP"));
        assert.deepEqual(state.routeInstall, ["bgp"]);
        assert.equal(state.bgp?.asn, 500);
        assert.deepEqual(
            state.bgp?.neighbors.map((x) => [x.address, x.remoteAs]),
            RUNBOOK.map((x) => [x.address, x.remoteAsn]),
        );
        const running = sim.device.runningConfig();
        assert.match(running, /^ns route-install bgp$/m);
        const m = mark(n.id).replace(/\./g, "\\.");
        assert.match(
            running,
            new RegExp(`^router bgp 500\n(?: .*\n)*? neighbor 10\\.102\\.33\\.198 remote-as 64512\n neighbor 10\\.102\\.33\\.198 description ${m}\n neighbor 10\\.102\\.33\\.202 remote-as 64512\n neighbor 10\\.102\\.33\\.202 description ${m}$`, "m"),
        );
        assert.match(sim.saved().zebos, /neighbor 10\.102\.33\.202 remote-as 64512/, "saved with write");

        assert.equal(r.outs.routerPresent, true);
        assert.deepEqual(r.outs.owned, {
            router: true,
            feature: true,
            routeInstall: true,
            routeInstallIpv6: false,
            routerId: false,
            maxPathsEbgp: false,
            maxPathsIbgp: false,
            redistributeKernel: false,
            createdWith: { maxPathsEbgp: 8, maxPathsIbgp: 8 },
        });
        assert.deepEqual(n.outs.owned, ["10.102.33.198", "10.102.33.202"]);
        assert.deepEqual(
            n.outs.sessions.map((s: Props) => [s.address, s.state]),
            [
                ["10.102.33.198", "Active"],
                ["10.102.33.202", "Active"],
            ],
        );
        assert.equal(n.outs.configuredNeighbors.length, 2);
    });

    it("re-applying with no change sends no configuration line; adding or removing one neighbor sends only that", async () => {
        await start();
        await router.create(await checked(router, { connection: connection(sim), localAsn: 500 }));
        const inputs = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: RUNBOOK });
        const created = await neighbors.create(inputs);

        sim.resetCounters();
        const again = await neighbors.update!(created.id, created.outs, inputs);
        assert.equal(sim.counters().configLinesReceived, 0);
        assert.deepEqual(configLines(sim), []);
        // One exchange: which node this is, the config and the sessions read once, no verify read, no save.
        assert.deepEqual(
            sim.transcript().map((r) => r.line),
            ["set cli mode -page OFF", "show ha node", "show cluster instance", "show ns partition", "vtysh", "terminal length 0", "show running-config", "show ip bgp summary", "show bgp ipv6 summary"],
        );
        assert.equal(sim.counters().roundTrips, 1);
        assert.equal((await neighbors.diff!(created.id, again.outs!, inputs)).changes, false);

        sim.resetCounters();
        const grown = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: [...RUNBOOK, { address: "10.102.33.203", remoteAsn: 64512 }] });
        const d = await neighbors.diff!(created.id, again.outs!, grown);
        assert.deepEqual(d, { changes: true, replaces: [], deleteBeforeReplace: true });
        const added = await neighbors.update!(created.id, again.outs!, grown);
        assert.deepEqual(configLines(sim), ["neighbor 10.102.33.203 remote-as 64512", `neighbor 10.102.33.203 description ${mark(created.id)}`]);
        // Read; the lines with the sessions read behind them; the save, and with it (a neighbor was
        // added) the read that settles whose it is should another machine have added it at once,
        // which is also the verify read of the lines: three exchanges, the configuration read twice.
        const shown = (command: string) => sim.transcript().filter((r) => r.line === command).length;
        assert.deepEqual([shown("show running-config"), shown("show ip bgp summary")], [2, 2]);
        assert.equal(sim.counters().roundTrips, 3);

        sim.resetCounters();
        const shrunk = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: [RUNBOOK[0], { address: "10.102.33.203", remoteAsn: 64512 }] });
        await neighbors.update!(created.id, added.outs!, shrunk);
        assert.deepEqual(configLines(sim), ["no neighbor 10.102.33.202"]);
        assert.deepEqual(
            sim.device.state().bgp?.neighbors.map((x) => x.address),
            ["10.102.33.198", "10.102.33.203"],
        );
    });

    it("sees drift made on the device, and the next update repairs exactly it", async () => {
        await start();
        await router.create(await checked(router, { connection: connection(sim), localAsn: 500 }));
        const inputs = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: RUNBOOK });
        const created = await neighbors.create(inputs);

        await sim.device.configure(["router bgp 500", "no neighbor 10.102.33.202", "neighbor 10.102.33.198 description changed by hand"]);
        const read = await neighbors.read!(created.id, created.outs);
        assert.deepEqual(
            read.inputs!.neighbors.map((x: Props) => [x.address, x.description]),
            [["10.102.33.198", "changed by hand"]],
        );
        // The engine's refresh asks diff(refreshed outputs, stored inputs).
        assert.equal((await neighbors.diff!(created.id, read.props!, inputs)).changes, true);

        sim.resetCounters();
        await neighbors.update!(created.id, read.props!, inputs);
        // The hand-made description goes back to the mark alone (RUNBOOK gives none).
        assert.deepEqual(configLines(sim), [
            `neighbor 10.102.33.198 description ${mark(created.id)}`,
            "neighbor 10.102.33.202 remote-as 64512",
            `neighbor 10.102.33.202 description ${mark(created.id)}`,
        ]);
        const after = await neighbors.read!(created.id, read.props!);
        assert.equal((await neighbors.diff!(created.id, after.props!, inputs)).changes, false);
    });

    it("delete removes only what the stack added: foreign neighbors, an adopted router and its settings stay", async () => {
        await start({
            initialConfig: {
                enabledFeatures: ["BGP"],
                zebos: ["ns route-install bgp", "router bgp 500", " max-paths ebgp 4", " neighbor 10.200.0.1 remote-as 65001"],
            },
            defaultMaxPaths: null,
        });
        const rIn = await checked(router, { connection: connection(sim), localAsn: 500, adoptExisting: true, redistributeKernel: true });
        const r = await router.create(rIn);
        const nIn = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: RUNBOOK });
        const n = await neighbors.create(nIn);
        assert.deepEqual(r.outs.owned.redistributeKernel, true);
        assert.deepEqual(r.outs.owned.router, false);

        sim.resetCounters();
        await neighbors.delete!(n.id, n.outs);
        // A delete reports no sessions: it reads the configuration alone, before its lines and with them.
        const shown = (command: string) => sim.transcript().filter((x) => x.line === command).length;
        assert.deepEqual([shown("show running-config"), shown("show ip bgp summary"), shown("show bgp ipv6 summary")], [2, 0, 0]);
        await router.delete!(r.id, r.outs);
        const state = sim.device.state();
        assert.equal(state.bgp?.asn, 500);
        assert.deepEqual(state.bgp?.neighbors.map((x) => x.address), ["10.200.0.1"]);
        assert.deepEqual(state.bgp?.maxPaths, { ebgp: 4 });
        assert.deepEqual(state.bgp?.redistribute, []);
        assert.deepEqual(state.routeInstall, ["bgp"]);
        assert.ok(state.enabledFeatures.includes("BGP"), "the feature was on before: it stays on");
    });

    it("delete of a router it created removes the router, route install and the feature it enabled", async () => {
        await start();
        const r = await router.create(await checked(router, { connection: connection(sim), localAsn: 500 }));
        await router.delete!(r.id, r.outs);
        const state = sim.device.state();
        assert.equal(state.bgp, null);
        assert.deepEqual(state.routeInstall, []);
        assert.ok(!state.enabledFeatures.includes("BGP"));
    });

    it("refuses a device that runs another AS, changing nothing", async () => {
        await start({ initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 65000"] } });
        sim.resetCounters();
        await assert.rejects(
            router.create(await checked(router, { connection: connection(sim), localAsn: 500 })),
            (e: Error) => /already runs "router bgp 65000"/.test(e.message) && /use localAsn 65000/.test(e.message) && e.message.includes(sim.host),
        );
        assert.equal(sim.counters().configLinesReceived, 0);
        assert.equal(sim.device.state().bgp?.asn, 65000);
    });

    it("refuses to take over a neighbor another stack owns, unless adopting", async () => {
        await start({ initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500", " neighbor 10.102.33.198 remote-as 64512"] } });
        await assert.rejects(
            neighbors.create(await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: RUNBOOK })),
            /neighbor 10\.102\.33\.198 \(remote-as 64512\) already exists on the device and is not owned/,
        );
        assert.deepEqual(sim.device.state().bgp?.neighbors.map((x) => x.address), ["10.102.33.198"]);
        const adopted = await neighbors.create(await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: RUNBOOK, adoptExisting: true }));
        assert.deepEqual(adopted.outs.owned, ["10.102.33.198", "10.102.33.202"]);
    });

    it("wrong host key and bad password fail with errors that say what to fix, and carry no secret", async () => {
        await start();
        const wrongKey = await checked(router, { connection: connection(sim, { hostKeyFingerprint: "SHA256:" + "A".repeat(43), password: "s3cr3t-pw" }), localAsn: 500 });
        await assert.rejects(router.create(wrongKey), (e: Error) => e instanceof AdcHostKeyError && e.message.includes(sim.hostKeyFingerprint) && !e.message.includes("s3cr3t-pw"));
        const badPw = await checked(router, { connection: connection(sim, { password: "s3cr3t-pw" }), localAsn: 500 });
        await assert.rejects(router.create(badPw), (e: Error) => e instanceof AdcAuthenticationError && /nsroot/.test(e.message) && !e.message.includes("s3cr3t-pw"));
    });

    it("a connection dropped half way records what was applied, and the next update converges", async () => {
        await start();
        await router.create(await checked(router, { connection: connection(sim), localAsn: 500 }));
        const four = [...RUNBOOK, { address: "10.102.33.203", remoteAsn: 64512 }, { address: "10.102.33.204", remoteAsn: 64512 }];
        const inputs = await checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: four });
        // The session's lines: set cli mode, show ns feature?, vtysh, show running-config, ... Cut
        // inside the configuration batch: after `conf t`, `router bgp 500` and the first neighbor's
        // two lines (remote-as, the mark), at the second's remote-as.
        sim.resetCounters();
        const linesBeforeBatch = await countLinesBeforeConfigure(sim, inputs);
        sim.setFaults({ dropAfterLines: linesBeforeBatch + 5 });
        let failure: any;
        await neighbors.create(inputs).catch((e) => (failure = e));
        assert.ok(failure, "create must fail");
        assert.ok(typeof failure.id === "string" && failure.id.length > 0, "a partial failure carries the id");
        assert.match(failure.message, /run `pulumi up` again/);
        const applied = sim.device.state().bgp!.neighbors.map((x) => x.address);
        assert.ok(applied.length > 0 && applied.length < 4, `some neighbors applied: ${applied}`);
        assert.deepEqual(failure.properties.owned, applied, "ownership is what the device really has");

        sim.setFaults({});
        sim.resetCounters();
        const done = await neighbors.update!(failure.id, failure.properties, inputs);
        assert.deepEqual(done.outs!.owned, four.map((x) => x.address));
        assert.deepEqual(configLines(sim), four.filter((x) => !applied.includes(x.address)).flatMap((x) => [`neighbor ${x.address} remote-as 64512`, `neighbor ${x.address} description ${mark(failure.id)}`]));
    });

    it("check names the field, the value and the fix, and never shows a secret", async () => {
        const r = await neighbors.check!({}, {
            connection: { host: "adc 1", password: "pw-123;", hostKeyFingerprint: "md5:aa" },
            localAsn: 0,
            neighbors: [
                { address: "10.0.0.300", remoteAsn: 64512 },
                { address: "10.0.0.2", remoteAsn: 64512, description: "a\nrouter bgp 1", password: "sec ret" },
                { address: "10.0.0.1", remoteAsn: 64512 },
                { address: "10.0.0.01", remoteAsn: 64512 },
                { address: "10.0.0.1", remoteAsn: 64512 },
            ],
        });
        const byField = Object.fromEntries((r.failures ?? []).map((f) => [f.property, f.reason]));
        assert.deepEqual(Object.keys(byField).sort(), [
            "connection.host",
            "connection.hostKeyFingerprint",
            "localAsn",
            "neighbors[0].address",
            "neighbors[1].description",
            "neighbors[1].password",
            "neighbors[3].address",
            "neighbors[4].address",
        ]);
        assert.match(byField["connection.hostKeyFingerprint"]!, /ssh-keygen/);
        assert.match(byField["neighbors[3].address"]!, /dotted-quad/);
        assert.match(byField["neighbors[4].address"]!, /listed twice \(also as neighbors\[2\]\)/);
        assert.ok(!JSON.stringify(r.failures).includes("sec ret"));
    });

    it("check lets unknown values through during preview, and diff treats them as changes", async () => {
        const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const news = { connection: { host: "10.0.0.1", password: "x", hostKeyFingerprint: "SHA256:" + "A".repeat(43) }, localAsn: 500, neighbors: UNKNOWN };
        const r = await neighbors.check!({}, news);
        assert.deepEqual(r.failures ?? [], []);
        const d = await neighbors.diff!("id", { localAsn: 500, neighbors: [] }, { ...news, neighbors: UNKNOWN });
        assert.equal(d.changes, true);
        const asn = await router.diff!("id", { localAsn: 500 }, { localAsn: UNKNOWN });
        assert.deepEqual(asn.replaces, ["localAsn"]);
    });
});

/** Runs a no-op read to learn how many lines a session sends before its configuration batch. */
async function countLinesBeforeConfigure(sim: Simulator, inputs: Props): Promise<number> {
    sim.resetCounters();
    await neighbors.read!("probe", { ...inputs, owned: [] });
    const lines = sim.counters().linesReceived;
    sim.resetCounters();
    // read sends: preamble + show running-config (+ summary when a router exists); the apply
    // path sends the same before `conf t`.
    return lines;
}
