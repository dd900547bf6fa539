/**
 * The fault matrix: one row per fault, injected into the simulator over real SSH, driven through
 * the providers as the engine drives them (tests/integration/faults/engineLike.ts). Every row
 * asserts the error text (host, command, the device's answer, a fix, no secret), what the
 * device holds afterwards, and that doing what the fix says (`pulumi up`, or `pulumi destroy`,
 * again) converges, saved, without touching a neighbor of another cluster seeded on the device.
 */
import { strict as assert } from "assert";
import { providers } from "../../../provider/adc/providers";
import { startSimulator, type Simulator, type SimulatorFaults, type SimulatorOptions } from "../../../simulator";
import { EngineLike, type Outcome } from "./engineLike";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const router = providers.adcBgpRouter;
const neighbors = providers.adcBgpNeighbors;
type Props = Record<string, any>;

const ADC_PASSWORD = "adc-Login-Pw-7k2Q";
const md5 = (i: number) => `md5-Nbr-Pw-${i}-x9`;
/** 50 neighbors, every tenth with a BGP password. */
const FIFTY = Array.from({ length: 50 }, (_, k) => {
    const i = k + 1;
    return { address: `10.100.0.${i}`, remoteAsn: 64512, ...(i % 10 === 0 ? { password: md5(i) } : {}) };
});
const SECRETS = [ADC_PASSWORD, ...FIFTY.filter((n) => n.password).map((n) => n.password!)];
const FOREIGN = { address: "10.9.9.9", remoteAs: 65000, description: "other-cluster" };
const seed = (asn: number) => [`router bgp ${asn}`, ` neighbor ${FOREIGN.address} remote-as ${FOREIGN.remoteAs}`, ` neighbor ${FOREIGN.address} description ${FOREIGN.description}`];

/** What a row may change about the stack's inputs before converging (what its fix tells the user to do). */
interface Inputs {
    connection: Props;
    localAsn: number;
    waitForEstablishedSeconds?: number;
}

interface Ctx {
    sim: Simulator;
    engine: EngineLike;
    inputs: Inputs;
}

interface Row {
    name: string;
    /** Simulator options beyond the default seed (BGP off, `router bgp 500` holding a foreign neighbor, saved). */
    sim?: SimulatorOptions;
    /** Which operation the fault hits: the router's first up, the neighbors' first up (router already up), destroying the neighbors, or the router. */
    op: "router" | "neighbors" | "destroy" | "destroy-router";
    faults?: SimulatorFaults;
    /** Changes the inputs the failing operation runs with. */
    failWith?: (i: Inputs, ctx: Ctx) => Inputs;
    expect: {
        partial: boolean;
        /** For a partial failure: whether the state records the save as pending (then refresh reports it). */
        savePending?: boolean;
        /** The command named in the message, the device's answer, and the fix. */
        command: RegExp;
        answer: RegExp;
        fix: RegExp;
    };
    /** What the device holds right after the failure. */
    device: (ctx: Ctx) => void;
    /** Between the failure and the next run: the fix applied to the inputs, a reboot, sessions coming up... */
    beforeConverge?: (ctx: Ctx) => Promise<void> | void;
    /** What the device holds once converged, beyond what every row checks. */
    converged?: (ctx: Ctx) => void;
}

const ours = (ctx: Ctx) => (ctx.sim.device.state().bgp?.neighbors ?? []).filter((n) => n.address.startsWith("10.100.")).map((n) => n.address);
const savedHas = (ctx: Ctx, address: string) => new RegExp(`neighbor ${address.replace(/\./g, "\\.")} remote-as`).test(ctx.sim.saved().zebos);
const nothingChanged = (ctx: Ctx) => assert.deepEqual(ctx.sim.device.running(), ctx.sim.saved(), "nothing changed, nothing unsaved");
const line = (address: string) => `neighbor ${address} remote-as`;
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The order the neighbors go out in: the stack keeps them sorted by address as text (10.100.0.1, .10 to .19, .2, ...). */
const SENT = FIFTY.map((n) => n.address).sort();
/** Addresses in the order the device lists them (numeric). */
const sorted = (addresses: readonly string[]) => FIFTY.map((n) => n.address).filter((a) => addresses.includes(a));

/** Set in `before`: a host key the device does not have, a port nothing listens on. */
let OTHER_FINGERPRINT = "";
let CLOSED_PORT = 0;

const ROWS: Row[] = [
    {
        name: "F1: the connection drops at `write` after the neighbors were applied",
        op: "neighbors",
        faults: { dropOnLine: { match: /^write/ } },
        expect: { partial: true, savePending: true, command: /"write"/, answer: /connection closed/, fix: /savePending.*run `pulumi up` again to finish and save/s },
        device: (ctx) => {
            assert.equal(ours(ctx).length, 50, "applied");
            assert.equal(savedHas(ctx, "10.100.0.1"), false, "not saved");
        },
    },
    {
        name: "F1: `write` answers % Can't open configuration file",
        op: "neighbors",
        faults: { errorReplies: [{ match: /^write/, reply: "% Can't open configuration file /nsconfig/ZebOS.conf." }] },
        expect: { partial: true, savePending: true, command: /"write \/ write memory"/, answer: /% Can't open configuration file/, fix: /savePending.*run `pulumi up` again/s },
        device: (ctx) => {
            assert.equal(ours(ctx).length, 50);
            assert.equal(savedHas(ctx, "10.100.0.50"), false);
        },
    },
    {
        name: "F1: `save ns config` fails after the router was applied (the BGP feature stays unsaved too)",
        op: "router",
        // A stand-in for the appliance's error text, which no public source shows.
        faults: { errorReplies: [{ match: "save ns config", reply: "ERROR: Could not write /nsconfig/ns.conf" }] },
        expect: { partial: true, savePending: true, command: /"save ns config"/, answer: /ERROR: Could not write/, fix: /savePending.*run `pulumi up` again/s },
        device: (ctx) => {
            assert.ok(ctx.sim.device.state().enabledFeatures.includes("BGP"), "feature on");
            assert.ok(!ctx.sim.saved().enabledFeatures.includes("BGP"), "feature not saved");
        },
    },
    {
        name: "F1: the router's `write` is refused, then the ADC reboots before the next up (unsaved config gone)",
        op: "router",
        faults: { errorReplies: [{ match: /^write/, reply: "% Can't open configuration file /nsconfig/ZebOS.conf." }] },
        expect: { partial: true, savePending: true, command: /"write \/ write memory"/, answer: /% Can't open configuration file/, fix: /run `pulumi up` again/ },
        device: (ctx) => {
            assert.deepEqual(ctx.sim.device.state().routeInstall, ["bgp"]);
            assert.doesNotMatch(ctx.sim.saved().zebos, /ns route-install bgp/);
        },
        beforeConverge: async (ctx) => {
            await ctx.sim.reboot();
            assert.deepEqual(ctx.sim.device.state().routeInstall, [], "lost in the reboot");
        },
    },
    {
        name: "F2: the connection drops while reading back after the neighbors' apply",
        op: "neighbors",
        faults: { dropOnLine: { match: "show ip bgp summary", occurrence: 2 } },
        // The read-back (the sessions: the settle read in the save's exchange reads the configuration)
        // goes out in the same pipelined exchange as the lines, before the save.
        expect: { partial: true, savePending: true, command: /waiting for the answer to "(end|show ip bgp summary)"/, answer: /connection closed/, fix: /run `pulumi up` again/ },
        device: (ctx) => assert.equal(ours(ctx).length, 50),
    },
    {
        name: "F2: the connection drops at the read that settles whose the added neighbors are, in the save's exchange",
        op: "neighbors",
        faults: { dropOnLine: { match: "show running-config", occurrence: 2 } },
        // The save's answers were in flight at the cut: whether it saved is not known, so it is recorded as pending.
        expect: { partial: true, savePending: true, command: /waiting for the answer to "(write|save ns config|vtysh|show running-config)"/, answer: /connection closed/, fix: /run `pulumi up` again/ },
        device: (ctx) => assert.equal(ours(ctx).length, 50),
    },
    {
        name: "F2: the connection drops while reading back after the router's apply",
        op: "router",
        faults: { dropOnLine: { match: "show running-config", occurrence: 2 } },
        expect: { partial: true, savePending: true, command: /waiting for the answer to "(end|show running-config)"/, answer: /connection closed/, fix: /run `pulumi up` again/ },
        device: (ctx) => assert.deepEqual(ctx.sim.device.state().routeInstall, ["bgp"]),
    },
    {
        name: "F2: waitForEstablishedSeconds runs out",
        op: "neighbors",
        failWith: (i) => ({ ...i, waitForEstablishedSeconds: 1 }),
        expect: { partial: true, savePending: false, command: /not Established/, answer: /10\.100\.0\.1: Active/, fix: /`pulumi up` checks again/ },
        device: (ctx) => {
            assert.equal(ours(ctx).length, 50);
            assert.ok(savedHas(ctx, "10.100.0.1"));
        },
        beforeConverge: (ctx) => {
            for (const n of FIFTY) ctx.sim.setSession(n.address, { state: "Established" });
            ctx.inputs = { ...ctx.inputs, waitForEstablishedSeconds: 1 };
        },
    },
    {
        name: "the ADC refuses the login",
        op: "router",
        faults: { refuseAuth: true },
        expect: { partial: false, command: /login as "nsroot" was refused/, answer: /tried: /, fix: /check connection\.username and connection\.password/ },
        device: nothingChanged,
    },
    {
        name: "the ADC's host key changed",
        op: "router",
        failWith: (i) => ({ ...i, connection: { ...i.connection, hostKeyFingerprint: OTHER_FINGERPRINT } }),
        expect: { partial: false, command: /SSH host key mismatch/, answer: /the device presented SHA256:/, fix: /set connection\.hostKeyFingerprint to "SHA256:/ },
        device: nothingChanged,
    },
    ...[1, 25, 49].map(
        (k): Row => ({
            name: `the connection drops after ${k} of 50 neighbors (two lines each: remote-as and the mark's description)`,
            op: "neighbors",
            faults: { dropOnLine: { match: new RegExp(`^${esc(line(SENT[k]!))}`) } },
            // The message names the line whose answer was awaited: one the device ran, when its
            // answer was still in flight at the cut, or the one the device never ran.
            expect: { partial: true, savePending: true, command: new RegExp(`waiting for the answer to "neighbor (${SENT.slice(0, k + 1).map(esc).join("|")}) (remote-as 64512|description pca:[0-9a-f]{8})"`), answer: /connection closed/, fix: /run `pulumi up` again/ },
            device: (ctx) => assert.deepEqual(ours(ctx), sorted(SENT.slice(0, k))),
        }),
    ),
    {
        name: "a % error on neighbor 10.100.0.20 (line 25 of 100; the rest of the batch is applied)",
        op: "neighbors",
        faults: { errorReplies: [{ match: line("10.100.0.20"), reply: "% Invalid input detected at '^' marker." }] },
        expect: { partial: true, savePending: true, command: /rejected "neighbor 10\.100\.0\.20 remote-as 64512"/, answer: /% Invalid input detected/, fix: /run `pulumi up` again/ },
        device: (ctx) => assert.deepEqual(ours(ctx), FIFTY.filter((n) => n.address !== "10.100.0.20").map((n) => n.address)),
    },
    {
        name: "the device hangs at neighbor 10.100.0.10, the third line of the batch",
        op: "neighbors",
        faults: { hangOnLine: { match: line("10.100.0.10") } },
        failWith: (i) => ({ ...i, connection: { ...i.connection, commandTimeoutMs: 1500 } }),
        expect: { partial: true, savePending: true, command: /no prompt within 1500 ms after "(neighbor 10\.100\.0\.1 description pca:[0-9a-f]{8}|neighbor 10\.100\.0\.10 remote-as 64512)"/, answer: /last output/, fix: /raise connection\.commandTimeoutMs/ },
        device: (ctx) => assert.deepEqual(ours(ctx), ["10.100.0.1"]),
    },
    {
        name: "BGP is not licensed",
        op: "router",
        faults: { bgpNotLicensed: true },
        expect: { partial: true, savePending: false, command: /rejected "enable ns feature BGP"/, answer: /not licensed/, fix: /license/ },
        device: nothingChanged,
    },
    {
        name: "another `router bgp` runs on the ADC",
        op: "router",
        sim: { initialConfig: { zebos: seed(600) } },
        expect: { partial: false, command: /already runs "router bgp 600"/, answer: /single BGP instance/, fix: /use localAsn 600/ },
        device: nothingChanged,
        beforeConverge: (ctx) => {
            ctx.inputs = { ...ctx.inputs, localAsn: 600 };
        },
    },
    {
        name: "nothing listens on the SSH port",
        op: "router",
        failWith: (i) => ({ ...i, connection: { ...i.connection, port: CLOSED_PORT } }),
        expect: { partial: false, command: /connection refused at/, answer: /refused at 127\.0\.0\.1 port \d+/, fix: /check connection\.host and connection\.port/ },
        device: nothingChanged,
    },
    {
        name: "the ADC reboots between the apply and the save",
        op: "neighbors",
        faults: { dropOnLine: { match: /^write/ } },
        expect: { partial: true, savePending: true, command: /"write"/, answer: /connection closed/, fix: /savePending/ },
        device: (ctx) => assert.equal(ours(ctx).length, 50),
        beforeConverge: async (ctx) => {
            await ctx.sim.reboot();
            assert.deepEqual(ours(ctx), [], "the reboot lost the unsaved neighbors");
        },
    },
    {
        // Removal goes in address order as text: 10.100.0.1, .10 to .19, then .2.
        name: "destroy is cut off after removing 11 of 50 neighbors",
        op: "destroy",
        faults: { dropOnLine: { match: /^no neighbor 10\.100\.0\.2$/ } },
        expect: { partial: false, command: /waiting for the answer to "no neighbor 10\.100\.0\.(19|2)"/, answer: /connection closed/, fix: /run `pulumi destroy` again/ },
        device: (ctx) => assert.deepEqual(ours(ctx), FIFTY.map((n) => n.address).filter((a) => !/^10\.100\.0\.1\d?$/.test(a))),
    },
    {
        name: "destroy: the device answers every `no neighbor` without taking it",
        op: "destroy",
        faults: { errorReplies: [{ match: /^no neighbor 10\.100\./, reply: "" }] },
        expect: { partial: false, command: /no neighbor 10\.100\.0\.1;/, answer: /still shows the neighbors/, fix: /run `pulumi destroy` again/ },
        device: (ctx) => assert.deepEqual(ours(ctx), FIFTY.map((n) => n.address)),
    },
    {
        name: "destroy is cut off at `write`, after every neighbor was removed",
        op: "destroy",
        faults: { dropOnLine: { match: /^write/ } },
        expect: { partial: false, command: /"write"/, answer: /connection closed/, fix: /run `pulumi destroy` again/ },
        device: (ctx) => {
            assert.deepEqual(ours(ctx), []);
            assert.ok(savedHas(ctx, "10.100.0.1"), "removed but not saved");
        },
    },
    {
        name: "destroy of the router is cut off at `write`, after removing its settings",
        op: "destroy-router",
        faults: { dropOnLine: { match: /^write/ } },
        expect: { partial: false, command: /"write"/, answer: /connection closed/, fix: /run `pulumi destroy` again/ },
        device: (ctx) => {
            assert.deepEqual(ctx.sim.device.state().routeInstall, [], "removed");
            assert.match(ctx.sim.saved().zebos, /ns route-install bgp/, "not saved");
        },
    },
    {
        name: "the connection drops at `enable ns feature BGP`, the plan's first change (nothing taken)",
        op: "router",
        sim: { initialConfig: { zebos: "" } },
        faults: { dropOnLine: { match: /^enable ns feature BGP/ } },
        expect: { partial: true, savePending: true, command: /waiting for the answer to "(exit|enable ns feature BGP)"/, answer: /connection closed/, fix: /pulumi up/ },
        device: (ctx) => {
            assert.ok(!ctx.sim.device.state().enabledFeatures.includes("BGP"), "the feature is still off");
            assert.equal(ctx.sim.device.state().bgp, null, "no router: nothing after the feature was sent");
        },
    },
    {
        name: "destroy of a router it created is cut off at `disable ns feature BGP`, after the router was removed",
        op: "destroy-router",
        sim: { initialConfig: { zebos: "" } },
        faults: { dropOnLine: { match: /^disable ns feature BGP/ } },
        expect: { partial: false, command: /waiting for the answer to "(exit|disable ns feature BGP)"/, answer: /connection closed/, fix: /run `pulumi destroy` again/ },
        device: (ctx) => {
            assert.equal(ctx.sim.device.state().bgp, null, "the router went first");
            assert.ok(ctx.sim.device.state().enabledFeatures.includes("BGP"), "the feature is still on");
        },
        beforeConverge: (ctx) => assert.equal(ctx.engine.state.get("router")!.outs.owned.feature, true, "still owned: the next destroy turns it off"),
        converged: (ctx) => assert.ok(!ctx.sim.device.state().enabledFeatures.includes("BGP"), "the feature this stack enabled is off again"),
    },
];

const routerInputs = (i: Inputs) => ({ connection: i.connection, localAsn: i.localAsn, adoptExisting: true });
const neighborInputs = (i: Inputs) => ({ connection: i.connection, localAsn: i.localAsn, neighbors: FIFTY, ...(i.waitForEstablishedSeconds ? { waitForEstablishedSeconds: i.waitForEstablishedSeconds } : {}) });
const providerOf = (name: "router" | "neighbors") => (name === "router" ? router : neighbors);

/** Starts the seeded device, brings the stack to where the row's operation runs, and runs it with the row's faults. */
async function fail(row: Row): Promise<{ ctx: Ctx; outcome: Outcome; foreignBefore: ReturnType<typeof foreignNeighbor> }> {
    const s = await startSimulator({
        banner: [],
        users: [{ username: "nsroot", password: ADC_PASSWORD }],
        ...row.sim,
        initialConfig: { zebos: seed(500), ...row.sim?.initialConfig },
    });
    started.push(s);
    const ctx: Ctx = {
        sim: s,
        engine: new EngineLike(),
        inputs: { connection: { host: s.host, port: s.port, password: ADC_PASSWORD, hostKeyFingerprint: s.hostKeyFingerprint, connectRetries: 0 }, localAsn: 500 },
    };
    const foreignBefore = foreignNeighbor(s);
    if (row.op !== "router") assertOk(await ctx.engine.up("router", router, routerInputs(ctx.inputs)));
    if (row.op === "destroy") assertOk(await ctx.engine.up("neighbors", neighbors, neighborInputs(ctx.inputs)));

    s.setFaults(row.faults ?? {});
    const failing = row.failWith ? row.failWith(ctx.inputs, ctx) : ctx.inputs;
    const outcome =
        row.op === "router"
            ? await ctx.engine.up("router", router, routerInputs(failing))
            : row.op === "neighbors"
              ? await ctx.engine.up("neighbors", neighbors, neighborInputs(failing))
              : await ctx.engine.destroy(destroyed(row)!, providerOf(destroyed(row)!));
    s.setFaults({});
    return { ctx, outcome, foreignBefore };
}

function destroyed(row: Row): "router" | "neighbors" | undefined {
    return row.op === "destroy" ? "neighbors" : row.op === "destroy-router" ? "router" : undefined;
}

/** Simulators of the running test, closed after it. */
const started: Simulator[] = [];

describe("fault matrix: SSH to the simulator, providers driven as the engine drives them", function () {
    this.timeout(60000);

    before(async () => {
        // Another simulator: another throw-away host key, and a port free once it is closed.
        const other = await startSimulator({ banner: [] });
        OTHER_FINGERPRINT = other.hostKeyFingerprint;
        CLOSED_PORT = other.port;
        await other.close();
    });
    afterEach(async () => {
        for (const s of started.splice(0)) await s.close();
    });

    it("has at least 15 faults, each a row", () => assert.ok(ROWS.length >= 15, `${ROWS.length} rows`));

    for (const row of ROWS) {
        it(row.name, async () => {
            const { ctx, outcome, foreignBefore } = await fail(row);
            const s = ctx.sim;

            // 1. The error.
            assert.ok(outcome.error instanceof Error, "the operation fails with an Error");
            const message: string = outcome.error.message;
            assert.equal(outcome.partial, row.expect.partial, `partial failure: ${message}`);
            assert.ok(message.includes(s.host), `names the host: ${message}`);
            assert.match(message, row.expect.command);
            assert.match(message, row.expect.answer);
            assert.match(message, /fix: |run `pulumi (up|destroy)` again/);
            assert.match(message, row.expect.fix);
            assertNoSecret(outcome);

            // A partial failure is stored; a pending save shows in it, and refresh reports it as drift.
            const name = row.op === "router" ? "router" : "neighbors";
            if (row.expect.partial) {
                assert.equal(ctx.engine.state.get(name)!.outs.savePending, row.expect.savePending, "savePending recorded");
                if (row.expect.savePending) {
                    assert.equal((await ctx.engine.refresh(name, providerOf(name))).drift, true, "refresh reports the pending save");
                    assert.equal(ctx.engine.state.get(name)!.outs.savePending, true, "still pending after refresh");
                }
            }

            // 2. What the device holds.
            row.device(ctx);
            assert.deepEqual(foreignNeighbor(s), foreignBefore, "the foreign neighbor is untouched");

            // 3. Doing what the fix says converges.
            await row.beforeConverge?.(ctx);
            const destroying = destroyed(row);
            if (destroying) {
                assertOk(await ctx.engine.destroy(destroying, providerOf(destroying)));
                assert.equal(ctx.engine.state.has(destroying), false, "gone from the stack");
                assert.deepEqual(ours(ctx), []);
                assert.ok(!savedHas(ctx, "10.100.0.1"), "the removal is saved");
                if (destroying === "router") assert.deepEqual(ctx.sim.device.state().routeInstall, []);
            } else {
                assertOk(await ctx.engine.up("router", router, routerInputs(ctx.inputs)));
                assertOk(await ctx.engine.up("neighbors", neighbors, neighborInputs(ctx.inputs)));
                assert.equal(ours(ctx).length, 50);
                assert.equal(ctx.engine.state.get("neighbors")!.outs.savePending, false);
                assert.equal(ctx.engine.state.get("router")!.outs.savePending, false);
                // Converged: another up sends no configuration line and sees no change.
                s.resetCounters();
                assertOk(await ctx.engine.up("router", router, routerInputs(ctx.inputs)));
                assertOk(await ctx.engine.up("neighbors", neighbors, neighborInputs(ctx.inputs)));
                assert.equal(s.counters().configLinesReceived, 0, "nothing left to send");
            }
            assert.deepEqual(s.device.running(), s.saved(), "everything is saved");
            assert.deepEqual(foreignNeighbor(s), foreignBefore, "the foreign neighbor is untouched");
            row.converged?.(ctx);
        });

        if (row.expect.partial) {
            it(`${row.name}; destroy instead removes what the stack added`, async () => {
                const { ctx, foreignBefore } = await fail(row);
                assertOk(await ctx.engine.destroy("neighbors", neighbors));
                assertOk(await ctx.engine.destroy("router", router));
                assert.equal(ctx.engine.state.size, 0);
                assert.deepEqual(ours(ctx), []);
                assert.deepEqual(ctx.sim.device.state().routeInstall, [], "the route install this stack added is gone (the seed has none)");
                assert.deepEqual(foreignNeighbor(ctx.sim), foreignBefore, "the foreign neighbor is untouched");
                assert.deepEqual(ctx.sim.device.running(), ctx.sim.saved(), "saved");
            });
        }
    }
});

function foreignNeighbor(sim: Simulator) {
    return sim.device.state().bgp?.neighbors.find((n) => n.address === FOREIGN.address);
}

function assertOk(o: Outcome): void {
    if (o.error) throw o.error;
}

/** No secret in the message, the stack, or the recorded properties outside the keys stored as secrets. */
function assertNoSecret(o: Outcome): void {
    const { credentials: _c, neighborPasswords: _n, passwordForms: _p, __provider: _v, ...visible } = (o.error.properties ?? {}) as Props;
    const text = `${o.error.message}\n${o.error.stack}\n${JSON.stringify(visible)}`;
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `leaks ${secret}`);
}
