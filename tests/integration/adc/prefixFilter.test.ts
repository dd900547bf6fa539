/**
 * The neighbors resource's inbound prefix filter and maximum-prefix over SSH against the
 * simulator: create, an update of the entries, drift on refresh, destroy next to another
 * stack's list and neighbor, a batch cut off half way.
 */
import { strict as assert } from "assert";
import { checked, configLines, connection, mark, neighbors, type Props } from "./providerCalls";
import { startSimulator, type Simulator } from "../../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const LIST = "pca-dev-adc-in";
const NODES = ["10.102.33.201", "10.102.33.202", "10.102.33.203"];
const FOREIGN = "10.102.33.250";

function running(sim: Simulator): string {
    return sim.device.runningConfig();
}

describe("AdcBgpNeighbors: the inbound prefix filter and maximum-prefix over SSH", function () {
    this.timeout(30000);
    let sim: Simulator;
    afterEach(async () => sim?.close());

    /** A device with the router and another stack's list and neighbor, which must stay as they are. */
    async function start(): Promise<void> {
        sim = await startSimulator({
            banner: [],
            initialConfig: {
                enabledFeatures: ["BGP"],
                zebos: ["ip prefix-list other-stack-in seq 5 permit 172.16.0.0/12 le 32", "router bgp 500", ` neighbor ${FOREIGN} remote-as 65000`, ` neighbor ${FOREIGN} prefix-list other-stack-in in`],
            },
        });
    }

    const inputs = (extra: Props = {}) =>
        checked(neighbors, {
            connection: connection(sim),
            localAsn: 500,
            neighbors: NODES.map((address) => ({ address, remoteAsn: 64512 })),
            prefixFilter: { name: LIST, entries: [{ prefix: "192.168.0.0/16", ge: 26, le: 32 }] },
            maximumPrefix: { limit: 1024 },
            ...extra,
        });

    it("create puts the list, then each new neighbor with its filter and limit right after its remote-as, in one batch", async () => {
        await start();
        const created = await neighbors.create!(await inputs());
        const lines = configLines(sim);
        assert.deepEqual(lines.slice(0, 4), [
            `ip prefix-list ${LIST} seq 5 permit 192.168.0.0/16 ge 26`,
            `neighbor ${NODES[0]} remote-as 64512`,
            `neighbor ${NODES[0]} prefix-list ${LIST} in`,
            `neighbor ${NODES[0]} maximum-prefix 1024`,
        ]);
        assert.deepEqual(created.outs.filterOwned, { lists: [LIST], ipv6Lists: [], limits: NODES });
        for (const n of NODES) assert.match(running(sim), new RegExp(`^ neighbor ${n.replace(/\./g, "\\.")} prefix-list ${LIST} in$`, "m"));
        assert.match(running(sim), /^ip prefix-list other-stack-in seq 5 permit 172\.16\.0\.0\/12 le 32$/m);

        // Nothing to do the second time.
        sim.resetCounters();
        const again = await neighbors.update!(created.id, created.outs, await inputs());
        assert.deepEqual(configLines(sim), []);
        assert.deepEqual(again.outs.filterOwned, created.outs.filterOwned);
    });

    it("a change of entries is an update in place that sends only the changed entries; the limit's action changes alike", async () => {
        await start();
        const first = await inputs();
        const created = await neighbors.create!(first);
        const grown = await inputs({
            prefixFilter: { name: LIST, entries: [{ prefix: "192.168.0.0/16", ge: 26, le: 32 }, { prefix: "10.96.0.0/12", le: 32 }] },
            maximumPrefix: { limit: 2048, warningOnly: true },
        });
        const diff = await neighbors.diff!(created.id, created.outs, grown);
        assert.equal(diff.changes, true);
        assert.deepEqual(diff.replaces ?? [], [], "entries and limits change in place");
        sim.resetCounters();
        const updated = await neighbors.update!(created.id, created.outs, grown);
        assert.deepEqual(configLines(sim), [`ip prefix-list ${LIST} seq 10 permit 10.96.0.0/12 le 32`, ...NODES.map((n) => `neighbor ${n} maximum-prefix 2048 warning-only`)]);
        assert.deepEqual(updated.outs.prefixFilter.entries, [{ prefix: "192.168.0.0/16", ge: 26, le: null }, { prefix: "10.96.0.0/12", ge: null, le: 32 }]);

        // Opting out of both: the lines this resource set go, the neighbors and the other stack's stay.
        const off = await inputs({ prefixFilter: null, maximumPrefix: null });
        sim.resetCounters();
        const bare = await neighbors.update!(created.id, updated.outs, off);
        assert.deepEqual(configLines(sim), [...NODES.flatMap((n) => [`no neighbor ${n} prefix-list ${LIST} in`, `no neighbor ${n} maximum-prefix`]), `no ip prefix-list ${LIST}`]);
        assert.deepEqual(bare.outs.filterOwned, { lists: [], ipv6Lists: [], limits: [] });
        assert.match(running(sim), new RegExp(`^ neighbor ${FOREIGN.replace(/\./g, "\\.")} prefix-list other-stack-in in$`, "m"));
    });

    it("refresh shows drift on entries, attachments and limits; the next update repairs exactly those", async () => {
        await start();
        const want = await inputs();
        const created = await neighbors.create!(want);
        await sim.device.configure([
            `ip prefix-list ${LIST} seq 7 permit 0.0.0.0/0 le 32`,
            "router bgp 500",
            `no neighbor ${NODES[1]} prefix-list ${LIST} in`,
            `neighbor ${NODES[2]} maximum-prefix 5000`,
        ]);
        const read = await neighbors.read!(created.id, created.outs);
        assert.deepEqual(read.props!.filterDrift, [
            `ip prefix-list ${LIST} seq 7 permit 0.0.0.0/0 le 32 is on the device and not asked for`,
            `neighbor ${NODES[1]} has no inbound prefix-list (wanted ${LIST})`,
            `neighbor ${NODES[2]} has maximum-prefix 5000 (wanted 1024)`,
        ]);
        const diff = await neighbors.diff!(created.id, read.props!, want);
        assert.equal(diff.changes, true, "the drift shows in preview");
        sim.resetCounters();
        const repaired = await neighbors.update!(created.id, read.props!, want);
        assert.deepEqual(configLines(sim), [`no ip prefix-list ${LIST} seq 7 permit 0.0.0.0/0 le 32`, `neighbor ${NODES[1]} prefix-list ${LIST} in`, `neighbor ${NODES[2]} maximum-prefix 1024`]);
        const clean = await neighbors.read!(created.id, repaired.outs);
        assert.deepEqual(clean.props!.filterDrift, []);
        assert.equal((await neighbors.diff!(created.id, clean.props!, want)).changes, false);
    });

    it("a list of the same name made by someone else is refused, naming it, with nothing sent", async () => {
        await start();
        await sim.device.configure([`ip prefix-list ${LIST} seq 5 permit 0.0.0.0/0 le 32`]);
        sim.resetCounters();
        await assert.rejects(neighbors.create!(await inputs()), (e: Error) => {
            assert.match(e.message, new RegExp(`"ip prefix-list ${LIST}" already exists on the device \\(1 entry\\) and was not created by this resource`));
            assert.match(e.message, /adoptExisting: true/);
            return true;
        });
        assert.deepEqual(configLines(sim), []);
    });

    it("destroy removes the neighbors and the list in one batch, and leaves the other stack's list and neighbor as they were", async () => {
        await start();
        const created = await neighbors.create!(await inputs());
        sim.resetCounters();
        await neighbors.delete!(created.id, created.outs);
        assert.deepEqual(configLines(sim), [...NODES.map((n) => `no neighbor ${n}`), `no ip prefix-list ${LIST}`]);
        const after = running(sim);
        assert.doesNotMatch(after, new RegExp(LIST));
        assert.match(after, /^ip prefix-list other-stack-in seq 5 permit 172\.16\.0\.0\/12 le 32$/m);
        assert.match(after, new RegExp(`^ neighbor ${FOREIGN.replace(/\./g, "\\.")} prefix-list other-stack-in in$`, "m"));
    });

    it("destroy refuses while a neighbor it does not own names its list, naming that neighbor, and sends nothing", async () => {
        await start();
        const created = await neighbors.create!(await inputs());
        await sim.device.configure(["router bgp 500", `neighbor ${FOREIGN} prefix-list ${LIST} in`]);
        sim.resetCounters();
        await assert.rejects(neighbors.delete!(created.id, created.outs), (e: Error) => {
            assert.match(e.message, new RegExp(`also applied to neighbor ${FOREIGN.replace(/\./g, "\\.")}, which this resource does not own`));
            assert.match(e.message, new RegExp(`no neighbor ${FOREIGN.replace(/\./g, "\\.")} prefix-list ${LIST} in`));
            return true;
        });
        assert.deepEqual(configLines(sim), []);
        assert.match(running(sim), new RegExp(`^ip prefix-list ${LIST} `, "m"));
    });

    it("a batch cut off half way records the list and the limits the device holds; the next update finishes with only what is missing", async () => {
        await start();
        const want = await inputs();
        // Cut when the second neighbor's filter line arrives: the list, the first neighbor with its
        // filter and limit, and the second's remote-as are in.
        sim.setFaults({ dropOnLine: { match: `neighbor ${NODES[1]} prefix-list`, occurrence: 1 } });
        let failure: any;
        await neighbors.create!(want).catch((e) => (failure = e));
        assert.ok(failure?.id, "a partial failure carries the id");
        assert.match(failure.message, new RegExp(`neighbor ${NODES[1].replace(/\./g, "\\.")} is on the device without its inbound filter`), "the one window the batch cannot close is named");
        sim.setFaults({});
        assert.deepEqual(failure.properties.owned, NODES.slice(0, 2));
        assert.deepEqual(failure.properties.filterOwned, { lists: [LIST], ipv6Lists: [], limits: [NODES[0]] });
        sim.resetCounters();
        const done = await neighbors.update!(failure.id, failure.properties, want);
        const lines = configLines(sim);
        // The mark's line was in flight with the cut one and not taken: it is missing too.
        assert.deepEqual(lines.filter((l) => l.startsWith(`neighbor ${NODES[1]} `)), [
            `neighbor ${NODES[1]} description ${mark(failure.id)}`,
            `neighbor ${NODES[1]} prefix-list ${LIST} in`,
            `neighbor ${NODES[1]} maximum-prefix 1024`,
        ]);
        assert.ok(!lines.some((l) => l.startsWith(`ip prefix-list`) || l.startsWith(`neighbor ${NODES[0]}`)), lines.join("\n"));
        assert.deepEqual(done.outs.filterOwned, { lists: [LIST], ipv6Lists: [], limits: NODES });
    });

    it("check refuses bad entries and limits naming the field and the fix, and an IPv6 neighbor when the filter has no IPv6 entry", async () => {
        const r = await neighbors.check!({}, {
            connection: { host: "10.0.0.1", password: "x", insecureIgnoreHostKey: true },
            localAsn: 500,
            neighbors: [{ address: "10.0.0.2", remoteAsn: 64512 }, { address: "fd00::2", remoteAsn: 64512 }],
            prefixFilter: { name: "has space", entries: [{ prefix: "192.168.0.1/16" }, { prefix: "10.0.0.0/8", ge: 8 }, { prefix: "10.0.0.0/8", ge: 24, le: 16 }, { prefix: "fd00::1/8", le: 129 }] },
            maximumPrefix: { limit: 0, warningOnly: "yes" },
        });
        const byField = Object.fromEntries((r.failures ?? []).map((f) => [f.property, f.reason]));
        assert.deepEqual(Object.keys(byField).sort(), [
            "maximumPrefix.limit",
            "maximumPrefix.warningOnly",
            "prefixFilter.entries[0].prefix",
            "prefixFilter.entries[1].ge",
            "prefixFilter.entries[2].le",
            "prefixFilter.entries[3].prefix",
            "prefixFilter.name",
        ]);
        assert.match(byField["prefixFilter.entries[0].prefix"]!, /did you mean "192\.168\.0\.0\/16"/);
        assert.match(byField["prefixFilter.entries[3].prefix"]!, /did you mean "fd00::\/8"/);
        const v4only = await neighbors.check!({}, {
            connection: { host: "10.0.0.1", password: "x", insecureIgnoreHostKey: true },
            localAsn: 500,
            neighbors: [{ address: "10.0.0.2", remoteAsn: 64512 }, { address: "fd00::2", remoteAsn: 64512 }],
            prefixFilter: { name: LIST, entries: [{ prefix: "192.168.0.0/16", ge: 26 }] },
        });
        assert.deepEqual((v4only.failures ?? []).map((f) => f.property), ["neighbors[1].address"]);
        assert.match(v4only.failures![0]!.reason, /is IPv6, and prefixFilter has no IPv6 entry.*prefixFilter: null/);
        const v6le = await neighbors.check!({}, {
            connection: { host: "10.0.0.1", password: "x", insecureIgnoreHostKey: true },
            localAsn: 500,
            neighbors: [{ address: "fd00::2", remoteAsn: 64512 }],
            prefixFilter: { name: LIST, entries: [{ prefix: "fd00::/8", le: 129 }] },
        });
        assert.deepEqual((v6le.failures ?? []).map((f) => f.property), ["prefixFilter.entries[0].le"], "IPv6 lengths run to 128");
        const empty = await neighbors.check!({}, { connection: { host: "10.0.0.1", password: "x", insecureIgnoreHostKey: true }, localAsn: 500, neighbors: [], prefixFilter: { name: LIST, entries: [] } });
        assert.match(empty.failures![0]!.reason, /prefixFilter: null/);
    });

    describe("dual stack: IPv6 neighbors filtered by an ipv6 prefix-list in address-family ipv6", () => {
        const V6 = ["fd00:102:33::201", "fd00:102:33::202"];
        const ADMIN = ["ipv6 prefix-list ADMIN-V6 seq 5 permit 2001:db8::/32 le 48", "ipv6 prefix-list ADMIN-V6 seq 10 deny ::/0 le 128"];
        const dual = async () =>
            checked(neighbors, {
                connection: connection(sim),
                localAsn: 500,
                neighbors: [...NODES, ...V6].map((address) => ({ address, remoteAsn: 64512 })),
                prefixFilter: { name: LIST, entries: [{ prefix: "192.168.0.0/16", ge: 26, le: 32 }, { prefix: "fd00:10:244::/48", ge: 122, le: 128 }] },
            });

        it("create sends both lists and the IPv6 attachments inside the section; the second update sends nothing; destroy removes both lists and leaves a foreign ipv6 prefix-list exactly as it was", async () => {
            sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: [...ADMIN, "router bgp 500"] } });
            const foreign = () => running(sim).split("\n").filter((l) => l.includes("ADMIN-V6"));
            const before = foreign();
            assert.deepEqual(before, ADMIN);
            const created = await neighbors.create!(await dual());
            const text = running(sim);
            assert.match(text, /^ipv6 prefix-list pca-dev-adc-in seq 10 permit fd00:10:244::\/48 ge 122$/m);
            assert.match(text, /^ip prefix-list pca-dev-adc-in seq 5 permit 192\.168\.0\.0\/16 ge 26$/m);
            const section = text.slice(text.indexOf(" address-family ipv6"), text.indexOf(" exit-address-family"));
            for (const a of V6) {
                assert.ok(section.includes(` neighbor ${a} activate\n neighbor ${a} prefix-list ${LIST} in`), section);
                assert.doesNotMatch(text.slice(0, text.indexOf(" address-family ipv6")), new RegExp(`neighbor ${a} prefix-list`));
            }
            assert.deepEqual(created.outs.filterOwned, { lists: [LIST], ipv6Lists: [LIST], limits: [] });
            assert.deepEqual(created.outs.filterDrift ?? [], []);
            sim.resetCounters();
            const again = await neighbors.update!(created.id, created.outs, await dual());
            assert.deepEqual(configLines(sim), [], "converged: nothing sent");
            assert.deepEqual(foreign(), before);
            sim.resetCounters();
            await neighbors.delete!(created.id, again.outs);
            const lines = configLines(sim);
            assert.ok(lines.includes(`no ipv6 prefix-list ${LIST}`) && lines.includes(`no ip prefix-list ${LIST}`), lines.join("\n"));
            assert.ok(!lines.some((l) => l.includes("ADMIN-V6")));
            assert.doesNotMatch(running(sim), new RegExp(LIST));
            assert.deepEqual(foreign(), before, "the foreign ipv6 prefix-list, line for line");
        });

        it("refresh shows an IPv6 attachment removed by hand as drift, and the next update restores exactly it", async () => {
            sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500"] } });
            const created = await neighbors.create!(await dual());
            await sim.device.configure(["router bgp 500", "address-family ipv6", `no neighbor ${V6[0]} prefix-list ${LIST} in`, "exit-address-family", "exit", `ipv6 prefix-list ${LIST} seq 7 permit ::/0 le 128`]);
            const read = await neighbors.read!(created.id, created.outs);
            assert.deepEqual(read.props!.filterDrift, [
                `ipv6 prefix-list ${LIST} seq 7 permit ::/0 le 128 is on the device and not asked for`,
                `neighbor ${V6[0]} has no inbound prefix-list in address-family ipv6 (wanted ${LIST})`,
            ]);
            sim.resetCounters();
            const repaired = await neighbors.update!(created.id, read.props!, await dual());
            assert.deepEqual(configLines(sim), [`no ipv6 prefix-list ${LIST} seq 7 permit ::/0 le 128`, `neighbor ${V6[0]} prefix-list ${LIST} in`]);
            assert.deepEqual((await neighbors.read!(created.id, repaired.outs)).props!.filterDrift, []);
        });
    });
});
