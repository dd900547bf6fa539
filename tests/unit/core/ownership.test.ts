import { strict as assert } from "assert";
import { describeConflict } from "../../../provider/adc/conflicts";
import * as fc from "fast-check";
import { applyChanges, applyToDevice, type Change, type DeviceView } from "../../../provider/core/changes";
import { EMPTY_CONFIG, emptyRouter, runningNeighbor, type BgpRouter, type Neighbor, type RunningConfig } from "../../../provider/core/model";
import {
    confirmFilteredNeighbors,
    confirmNeighbors,
    confirmNeighborsRemoval,
    confirmRouter,
    confirmRouterRemoval,
    decideFilteredNeighbors,
    decideNeighbors,
    decideNeighborsRemoval,
    decideRouter,
    decideRouterRemoval,
    type RouterWant,
} from "../../../provider/core/ownership";
import { markedDescription, readMark, tokenOfId, type MarkToken } from "../../../provider/core/marks";
import { bgpRouter, parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { NOTHING_OWNED, type RouterOwnership } from "../../../provider/core/plan";
import { renderPlan, renderRunningConfig } from "../../../provider/core/render";
import { filterView, renderNeighborsWithFilter } from "../../../provider/core/prefixFilter";
import type { Asn, IpAddress } from "../../../provider/core/values";

const asn = (n: number) => n as Asn;
const ip = (s: string) => s as IpAddress;
const WANT: RouterWant = { intent: { asn: asn(500), routerId: null, maxPaths: { ebgp: null, ibgp: null }, routeInstall: true, routeInstallIpv6: false, redistributeKernel: false }, adopt: false };
const FRESH: DeviceView = { running: EMPTY_CONFIG, bgpFeature: false };

function decided<T extends { ok: boolean }>(d: T): Extract<T, { ok: true }> {
    assert.ok(d.ok, JSON.stringify(d));
    return d as Extract<T, { ok: true }>;
}

/** Devices compared through what they print (vtysh) and the feature switch, so Map identity does not matter. */
function sameDevice(a: DeviceView, b: DeviceView): void {
    assert.equal(renderRunningConfig(a.running), renderRunningConfig(b.running));
    assert.equal(a.bgpFeature, b.bgpFeature);
}

describe("ownership: the router", () => {
    it("turns the BGP feature on as a planned change, before any vtysh line, and claims it", () => {
        const d = decided(decideRouter(FRESH, NOTHING_OWNED, WANT));
        const plan = renderPlan(d.changes);
        assert.deepEqual(plan.before, ["enable ns feature BGP"]);
        assert.deepEqual(plan.lines.map((l) => l.text), ["ns route-install bgp", ""]);
        assert.deepEqual(plan.after, []);
        assert.equal(d.claimed.feature, true);
        assert.equal(d.claimed.router, true);
    });

    it("neither plans nor claims the feature when the device has it on already", () => {
        const d = decided(decideRouter({ ...FRESH, bgpFeature: true }, NOTHING_OWNED, WANT));
        assert.ok(!d.changes.some((c) => c.op === "set-feature"));
        assert.equal(d.claimed.feature, false);
    });

    it("claims the feature only once the device answered its enable", () => {
        const d = decided(decideRouter(FRESH, NOTHING_OWNED, WANT));
        const unknown = confirmRouter(d, NOTHING_OWNED, WANT, { running: EMPTY_CONFIG, bgpFeature: null });
        assert.equal(unknown.owned.feature, false);
        assert.equal(unknown.owned.router, false, "the device does not show the router");
        assert.ok(unknown.missing!.length > 0);
        const refused = confirmRouter(d, NOTHING_OWNED, WANT, { running: EMPTY_CONFIG, bgpFeature: false });
        assert.deepEqual(refused.missing![0], { op: "set-feature", feature: "BGP", enabled: true });
        const unread = confirmRouter(d, NOTHING_OWNED, WANT, { running: null, bgpFeature: true });
        assert.equal(unread.missing, null);
        assert.deepEqual(unread.owned, d.claimed, "the device could not be read: the claim stands");
    });

    it("remembers what a router it created showed unasked (device defaults), and keeps that through later updates", () => {
        const d = decided(decideRouter(FRESH, NOTHING_OWNED, WANT));
        const shown = parseRunningConfig("ns route-install bgp\n!\nrouter bgp 500\n max-paths ebgp 8\n max-paths ibgp 8\n!\nend\n");
        const created = confirmRouter(d, NOTHING_OWNED, WANT, { running: shown, bgpFeature: true });
        assert.deepEqual(created.missing, []);
        assert.deepEqual(created.owned.createdWith, { maxPathsEbgp: 8, maxPathsIbgp: 8 });
        const again = decided(decideRouter({ running: shown, bgpFeature: true }, created.owned, WANT));
        assert.deepEqual(again.changes, []);
        assert.deepEqual(confirmRouter(again, created.owned, WANT, { running: shown, bgpFeature: true }).owned, created.owned);
        // After a cut-off update too.
        const withId = { ...WANT, intent: { ...WANT.intent, routerId: "10.0.0.1" } };
        const update = decided(decideRouter({ running: shown, bgpFeature: true }, created.owned, withId));
        assert.deepEqual(confirmRouter(update, created.owned, withId, { running: shown, bgpFeature: true }).owned.createdWith, { maxPathsEbgp: 8, maxPathsIbgp: 8 });
    });

    it("on delete turns the feature off last, only when it enabled it and no BGP instance is left", () => {
        const owned: RouterOwnership = { ...NOTHING_OWNED, router: true, feature: true, routeInstall: true };
        const alone: DeviceView = { running: parseRunningConfig("ns route-install bgp\n!\nrouter bgp 500\n!\nend\n"), bgpFeature: true };
        const removal = decided(decideRouterRemoval(alone, owned, asn(500)));
        const plan = renderPlan(removal.changes);
        assert.deepEqual(plan.lines.map((l) => l.text), ["no ns route-install bgp", "no router bgp 500"]);
        assert.deepEqual(plan.after, ["disable ns feature BGP"]);
        assert.deepEqual(plan.before, []);

        const foundOn = decided(decideRouterRemoval(alone, { ...owned, feature: false }, asn(500)));
        assert.deepEqual(renderPlan(foundOn.changes).after, [], "a feature it found on stays on");
        const shared: DeviceView = { running: parseRunningConfig("router bgp 500\n neighbor 10.9.9.9 remote-as 65000\n!\nend\n"), bgpFeature: true };
        assert.deepEqual(renderPlan(decided(decideRouterRemoval(shared, owned, asn(500))).changes).after, [], "the router stays for another's neighbor, so does the feature");
        const vrf: DeviceView = { running: parseRunningConfig("router bgp 500\n!\nrouter bgp 500 vrf BLUE\n neighbor 10.9.9.9 remote-as 65000\n!\nend\n"), bgpFeature: true };
        assert.deepEqual(renderPlan(decided(decideRouterRemoval(vrf, owned, asn(500))).changes).after, [], "a vrf instance still needs the feature");
    });

    it("on delete lets the feature go only once the device shows the router gone", () => {
        const owned: RouterOwnership = { ...NOTHING_OWNED, router: true, feature: true };
        const device: DeviceView = { running: parseRunningConfig("router bgp 500\n!\nend\n"), bgpFeature: true };
        const removal = decided(decideRouterRemoval(device, owned, asn(500)));
        const stuck = confirmRouterRemoval(removal, owned, asn(500), device.running);
        assert.deepEqual(stuck.notTaken, [{ op: "remove-router", asn: 500 }]);
        assert.deepEqual(stuck.then, []);
        const gone = confirmRouterRemoval(removal, owned, asn(500), EMPTY_CONFIG);
        assert.deepEqual(gone, { notTaken: [], then: [{ op: "set-feature", feature: "BGP", enabled: false }] });
    });

    it("refuses what it does not own, with nothing planned", () => {
        const foreign: DeviceView = { running: parseRunningConfig("router bgp 500\n!\nend\n"), bgpFeature: false };
        assert.deepEqual(decideRouter(foreign, NOTHING_OWNED, WANT), { ok: false, conflicts: [{ kind: "router-exists", asn: 500 }] });
    });
});

describe("ownership: the router, circular", () => {
    const intent = fc.record({
        asn: fc.constant(asn(500)),
        routerId: fc.option(fc.constantFrom("10.0.0.1", "10.0.0.2"), { nil: null }),
        maxPaths: fc.record({ ebgp: fc.option(fc.integer({ min: 1, max: 64 }), { nil: null }), ibgp: fc.option(fc.integer({ min: 1, max: 64 }), { nil: null }) }),
        routeInstall: fc.boolean(),
        routeInstallIpv6: fc.boolean(),
        redistributeKernel: fc.boolean(),
    });
    const router = fc.record({
        routerId: fc.option(fc.constantFrom("10.0.0.1", "10.9.9.9"), { nil: null }),
        ebgp: fc.option(fc.integer({ min: 1, max: 64 }), { nil: null }),
        kernel: fc.boolean(),
        foreignNeighbor: fc.boolean(),
    });
    const device = fc.record({ bgpFeature: fc.boolean(), routeInstall: fc.boolean(), router: fc.option(router, { nil: null }) }).map(({ bgpFeature, routeInstall, router: r }): DeviceView => {
        const routers: BgpRouter[] = [];
        if (r) {
            const n: Neighbor = { address: ip("10.9.9.9"), remoteAsn: asn(65000), description: null, password: null, updateSource: null, ebgpMultihop: null };
            routers.push({
                ...emptyRouter(asn(500)),
                routerId: r.routerId,
                maxPaths: { ebgp: r.ebgp, ibgp: null },
                redistribute: new Map(r.kernel ? [["kernel", ""]] : []),
                neighbors: new Map(r.foreignNeighbor ? [[n.address, runningNeighbor(n)]] : []),
            });
        }
        return { running: { ...EMPTY_CONFIG, routeInstall: new Set(routeInstall ? ["bgp"] : []), routers }, bgpFeature };
    });

    it("plan, apply to a model of the device, re-plan: nothing is left, and the confirmation claims exactly the plan", () => {
        fc.assert(
            fc.property(device, intent, (d0, i) => {
                const want: RouterWant = { intent: i, adopt: true };
                const d = decided(decideRouter(d0, NOTHING_OWNED, want));
                const d1 = applyToDevice(d0, d.changes);
                const confirmed = confirmRouter(d, NOTHING_OWNED, want, d1);
                assert.deepEqual(confirmed.missing, []);
                const { createdWith: _c, ...rest } = confirmed.owned;
                assert.deepEqual(rest, d.claimed);
                assert.deepEqual(decided(decideRouter(d1, confirmed.owned, want)).changes, []);
            }),
            { numRuns: 300 },
        );
    });

    it("cut off after any number of changes, the next run converges and delete then returns the device to what it was", () => {
        const fresh = device.filter((d) => d.running.routers.length === 0);
        fc.assert(
            fc.property(fresh, intent, fc.nat(), (d0, i, cut) => {
                const want: RouterWant = { intent: i, adopt: false };
                const first = decided(decideRouter(d0, NOTHING_OWNED, want));
                const sent = first.changes.slice(0, cut % (first.changes.length + 1));
                const partial = applyToDevice(d0, sent);
                const cutOff = confirmRouter(first, NOTHING_OWNED, want, partial);
                assert.equal(cutOff.missing!.length === 0, sent.length === first.changes.length);
                for (const key of ["router", "routeInstall", "routeInstallIpv6", "routerId", "maxPathsEbgp", "maxPathsIbgp", "redistributeKernel"] as const) {
                    if (cutOff.owned[key]) assert.ok(first.claimed[key], `${key} is owned only if claimed`);
                }
                const second = decided(decideRouter(partial, cutOff.owned, want));
                const done = applyToDevice(partial, second.changes);
                const owned = confirmRouter(second, cutOff.owned, want, done).owned;
                assert.deepEqual(decided(decideRouter(done, owned, want)).changes, []);

                const removal = decided(decideRouterRemoval(done, owned, asn(500)));
                const vtysh = removal.changes.filter((c) => c.op !== "set-feature");
                const removed = applyToDevice(done, vtysh);
                const confirmedRemoval = confirmRouterRemoval(removal, owned, asn(500), removed.running);
                assert.deepEqual(confirmedRemoval.notTaken, []);
                sameDevice(applyToDevice(removed, confirmedRemoval.then), d0);
            }),
            { numRuns: 300 },
        );
    });
});

describe("ownership: neighbors", () => {
    const n = (address: string): Neighbor => ({ address: ip(address), remoteAsn: asn(64512), description: null, password: null, updateSource: null, ebgpMultihop: null });
    const withRouter = (neighbors: Neighbor[]): RunningConfig => ({ ...EMPTY_CONFIG, routers: [{ ...emptyRouter(asn(500)), neighbors: new Map(neighbors.map((x) => [x.address, runningNeighbor(x)])) }] });

    it("owns what it wanted once the device shows the whole plan; cut off, only what the device shows of what it owned or wanted", () => {
        const fc2 = fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 8 });
        fc.assert(
            fc.property(fc2, fc2, fc.nat(), (ownedIds, wantedIds, cut) => {
                const owned = ownedIds.map((i) => n(`10.0.0.${i}`));
                const wanted = wantedIds.map((i) => n(`10.0.0.${i}`));
                const running = withRouter(owned);
                const want = { asn: asn(500), neighbors: wanted, adopt: false };
                const d = decided(decideNeighbors(running, new Set(owned.map((x) => x.address)), want));
                const full = confirmNeighbors(d, want, applyChanges(running, d.changes));
                assert.deepEqual(full.missing, []);
                assert.deepEqual([...full.owned].sort(), wanted.map((x) => x.address).sort());

                const sent: Change[] = d.changes.slice(0, cut % (d.changes.length + 1));
                const after = applyChanges(running, sent);
                const partial = confirmNeighbors(d, want, after);
                const present = new Set(bgpRouter(after)!.neighbors.keys());
                const expected = [...new Set([...owned, ...wanted].map((x) => x.address))].filter((a) => present.has(a)).sort();
                if (sent.length < d.changes.length) assert.deepEqual([...partial.owned].sort(), expected);
                assert.deepEqual(decided(decideNeighbors(after, partial.owned, want)).changes.length === 0, sent.length === d.changes.length);
            }),
            { numRuns: 300 },
        );
    });

    it("records the claim (all it owned or wanted) when the device cannot be read after sending", () => {
        const want = { asn: asn(500), neighbors: [n("10.0.0.2")], adopt: false };
        const d = decided(decideNeighbors(withRouter([n("10.0.0.1")]), new Set([ip("10.0.0.1")]), want));
        // What it wanted and has not seen on the device is recorded apart: unconfirmed.
        assert.deepEqual(confirmNeighbors(d, want, null), { owned: new Set(["10.0.0.1", "10.0.0.2"]), unconfirmed: new Map([["10.0.0.2", { remoteAsns: [64512], descriptions: [null] }]]), missing: null, lost: [], undo: [] });
    });
});

describe("ownership: a claim the device has not confirmed (a batch cut off, the device unreadable after it)", () => {
    const A = "1a2b3c4d" as MarkToken;
    const device = (...lines: string[]) => parseRunningConfig(["router bgp 500", ...lines.map((l) => ` ${l}`), "!", "end", ""].join("\n"));
    const want = (neighbors: Neighbor[], token: MarkToken | null = A) => ({ asn: asn(500), neighbors, adopt: false, token });
    const n = (address: string, description: string | null = null): Neighbor => ({ address: ip(address), remoteAsn: asn(64512), description, password: null, updateSource: null, ebgpMultihop: null });
    const X = ip("10.100.0.1");
    // What the cut batch wrote: its remote-as, and its mark before the inputs' description.
    const claim = { owned: new Set([X]), unconfirmed: new Map([[X, { remoteAsns: [asn(64512)], descriptions: ["pca:1a2b3c4d worker-1"] }]]) };

    it("a neighbor configured by someone else at that address since is not taken over: refused while listed, left when not, left on delete", () => {
        for (const lines of [
            ["neighbor 10.100.0.1 remote-as 65001", "neighbor 10.100.0.1 description admin-lab-router"],
            ["neighbor 10.100.0.1 remote-as 65001", "neighbor 10.100.0.1 password s3cret-admin"],
            ["neighbor 10.100.0.1 remote-as 65001", "neighbor 10.100.0.1 route-map ADMIN in"],
            // Its remote-as alone, but not the one the batch wrote.
            ["neighbor 10.100.0.1 remote-as 65001"],
            ["neighbor 10.100.0.1 remote-as 64512", "neighbor 10.100.0.1 password s3cret-admin"],
        ]) {
            const running = device(...lines);
            const listed = decideNeighbors(running, claim, want([n("10.100.0.1")]));
            assert.equal(!listed.ok && listed.conflicts[0]!.kind, "foreign-neighbor", `${lines.join("; ")}: ${JSON.stringify(listed)}`);
            assert.deepEqual(decided(decideNeighbors(running, claim, want([]))).changes, [], lines.join("; "));
            assert.deepEqual(decided(decideNeighborsRemoval(running, claim, asn(500), A)).changes, [], lines.join("; "));
            assert.deepEqual(confirmNeighborsRemoval(claim, asn(500), running, A), [], lines.join("; "));
        }
    });

    it("one the batch can have left is its own: its mark, or its remote-as alone (cut before the mark)", () => {
        for (const lines of [["neighbor 10.100.0.1 remote-as 64512", "neighbor 10.100.0.1 description pca:1a2b3c4d worker-1"], ["neighbor 10.100.0.1 remote-as 64512"]]) {
            const d = decided(decideNeighbors(device(...lines), claim, want([n("10.100.0.1", "worker-1")])));
            assert.deepEqual([...d.owns], [X], lines.join("; "));
            assert.deepEqual(decided(decideNeighborsRemoval(device(...lines), claim, asn(500), A)).changes, [{ op: "remove-neighbor", asn: 500, address: X }], lines.join("; "));
        }
        // Marked, it is confirmed: a claim cut off again records it as seen.
        const marked = decided(decideNeighbors(device("neighbor 10.100.0.1 remote-as 64512", "neighbor 10.100.0.1 description pca:1a2b3c4d worker-1"), claim, want([n("10.100.0.1", "worker-1")])));
        assert.deepEqual([...marked.unconfirmed.keys()], []);
        // Not on the device: still to be added, and still unconfirmed.
        const absent = decided(decideNeighbors(device(), claim, want([n("10.100.0.1", "worker-1")])));
        assert.deepEqual([absent.changes.map((c) => c.op), [...absent.unconfirmed]], [["add-neighbor"], [[X, { remoteAsns: [64512], descriptions: ["pca:1a2b3c4d worker-1"] }]]]);
    });

    it("two batches cut in a row: what either wrote is the resource's, and the record keeps both", () => {
        const first = device("neighbor 10.100.0.1 remote-as 64512");
        const second = decided(decideNeighbors(first, claim, want([{ ...n("10.100.0.1", "worker-1"), remoteAsn: asn(64513) }])));
        assert.deepEqual([...second.unconfirmed], [[X, { remoteAsns: [64512, 64513], descriptions: ["pca:1a2b3c4d worker-1"] }]]);
        const recorded = { owned: claim.owned, unconfirmed: second.unconfirmed };
        for (const shown of [first, device("neighbor 10.100.0.1 remote-as 64513")]) {
            assert.deepEqual([...decided(decideNeighbors(shown, recorded, want([{ ...n("10.100.0.1", "worker-1"), remoteAsn: asn(64513) }]))).owns], [X]);
            assert.deepEqual(decided(decideNeighborsRemoval(shown, recorded, asn(500), A)).changes, [{ op: "remove-neighbor", asn: 500, address: X }]);
        }
    });

    it("a record that does not say what was written (an address alone) takes the mark alone as proof", () => {
        const bare = { owned: claim.owned, unconfirmed: new Map([[X, { remoteAsns: [], descriptions: [] }]]) };
        const listed = decideNeighbors(device("neighbor 10.100.0.1 remote-as 64512"), bare, want([n("10.100.0.1", "worker-1")]));
        assert.equal(!listed.ok && listed.conflicts[0]!.kind, "foreign-neighbor");
        assert.deepEqual([...decided(decideNeighbors(device("neighbor 10.100.0.1 remote-as 64512", "neighbor 10.100.0.1 description pca:1a2b3c4d worker-1"), bare, want([n("10.100.0.1", "worker-1")]))).owns], [X]);
    });

    it("without marks: its remote-as alone, or with the description the batch wrote", () => {
        const legacy = { owned: claim.owned, unconfirmed: new Map([[X, { remoteAsns: [asn(64512)], descriptions: ["worker-1"] }]]) };
        assert.deepEqual([...decided(decideNeighbors(device("neighbor 10.100.0.1 remote-as 64512", "neighbor 10.100.0.1 description worker-1"), legacy, want([n("10.100.0.1", "worker-1")], null))).owns], [X]);
        const other = decideNeighbors(device("neighbor 10.100.0.1 remote-as 64512", "neighbor 10.100.0.1 description admin-lab-router"), legacy, want([n("10.100.0.1", "worker-1")], null));
        assert.equal(!other.ok && other.conflicts[0]!.kind, "foreign-neighbor");
    });
});

describe("ownership: marks on the device", () => {
    const A = "1a2b3c4d" as MarkToken;
    const B = "99887766" as MarkToken;
    const n = (address: string, description: string | null = null): Neighbor => ({ address: ip(address), remoteAsn: asn(64512), description, password: null, updateSource: null, ebgpMultihop: null });
    const device = (...lines: string[]) => parseRunningConfig(["router bgp 500", ...lines.map((l) => ` ${l}`), "!", "end", ""].join("\n"));
    const want = (token: MarkToken, neighbors: Neighbor[], adopt = false) => ({ asn: asn(500), neighbors, adopt, token });

    it("reads and writes the mark in front of the user's description, and takes the token from the resource id", () => {
        assert.equal(markedDescription(A, null), "pca:1a2b3c4d");
        assert.equal(markedDescription(A, "cluster-a node-1"), "pca:1a2b3c4d cluster-a node-1");
        assert.deepEqual(readMark("pca:1a2b3c4d cluster-a node-1"), { token: A, description: "cluster-a node-1" });
        assert.deepEqual(readMark("pca:1a2b3c4d"), { token: A, description: null });
        assert.deepEqual(readMark("pca:1a2b3c4 x"), { token: null, description: "pca:1a2b3c4 x" }, "not a mark: text");
        assert.deepEqual(readMark("uplink pca:1a2b3c4d"), { token: null, description: "uplink pca:1a2b3c4d" });
        assert.equal(tokenOfId("10.0.0.5:22/router-bgp-500/neighbors/1a2b3c4d"), A);
        assert.equal(tokenOfId("id"), null);
    });

    it("writes the mark with the neighbor's remote-as, in the same batch", () => {
        const d = decided(decideNeighbors(device(), new Set(), want(A, [n("10.0.0.1", "node-1")])));
        assert.deepEqual(renderPlan(d.changes).lines.map((l) => l.text), ["neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 description pca:1a2b3c4d node-1"]);
    });

    it("refuses a neighbor carrying another resource's mark, even with adoptExisting and even when its own state lists it", () => {
        const running = device("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 description pca:99887766 node-1");
        for (const [owned, adopt] of [[new Set<IpAddress>(), false], [new Set([ip("10.0.0.1")]), true]] as const) {
            assert.deepEqual(decideNeighbors(running, owned, want(A, [n("10.0.0.1")], adopt)), {
                ok: false,
                conflicts: [{ kind: "marked-neighbor", address: "10.0.0.1", token: B, description: "node-1" }],
            });
        }
        // Dropped from the list, it is not removed either: it is the other resource's now.
        assert.deepEqual(decided(decideNeighbors(running, new Set([ip("10.0.0.1")]), want(A, []))).changes, []);
        assert.deepEqual(decided(decideNeighborsRemoval(running, new Set([ip("10.0.0.1")]), asn(500), B)).changes, [{ op: "remove-neighbor", asn: 500, address: "10.0.0.1" }]);
        assert.deepEqual(decided(decideNeighborsRemoval(running, new Set([ip("10.0.0.1")]), asn(500), A)).changes, []);
    });

    it("recognizes its own mark without its state, but removes on delete only what its state records", () => {
        const running = device("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 description pca:1a2b3c4d");
        const d = decided(decideNeighbors(running, new Set(), want(A, [n("10.0.0.1")])));
        assert.deepEqual(d.changes, []);
        assert.deepEqual([...d.owns], ["10.0.0.1"]);
        assert.deepEqual(decided(decideNeighborsRemoval(running, new Set(), asn(500), A)).changes, []);
    });

    it("never removes, on update, a neighbor carrying its mark that neither its list nor its state holds (a copy of its lines someone made)", () => {
        const running = device("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 description pca:1a2b3c4d", "neighbor 10.0.0.9 remote-as 65009", "neighbor 10.0.0.9 description pca:1a2b3c4d");
        const d = decided(decideNeighbors(running, new Set([ip("10.0.0.1")]), want(A, [n("10.0.0.1")])));
        assert.deepEqual(d.changes, []);
        assert.deepEqual([...d.claimed], ["10.0.0.1"]);
        // Listed again, it is reclaimed by its mark, as on delete only the state's neighbors go.
        assert.deepEqual([...decided(decideNeighbors(running, new Set([ip("10.0.0.1")]), want(A, [n("10.0.0.1"), { ...n("10.0.0.9"), remoteAsn: asn(65009) }]))).owns].sort(), ["10.0.0.1", "10.0.0.9"]);
    });

    it("refuses to remove an owned neighbor that holds lines it did not write, quoting them", () => {
        const running = device("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 description pca:1a2b3c4d", "neighbor 10.0.0.1 route-map ADMIN in");
        const refused = { ok: false, conflicts: [{ kind: "foreign-lines", address: "10.0.0.1", lines: ["neighbor 10.0.0.1 route-map ADMIN in"] }] };
        assert.deepEqual(decideNeighborsRemoval(running, new Set([ip("10.0.0.1")]), asn(500), A), refused);
        assert.deepEqual(decideNeighbors(running, new Set([ip("10.0.0.1")]), want(A, [])), refused);
        // Still listed: nothing is removed, so nothing is refused.
        assert.deepEqual(decided(decideNeighbors(running, new Set([ip("10.0.0.1")]), want(A, [n("10.0.0.1")]))).changes, []);
        // Without marks too.
        assert.deepEqual(decideNeighborsRemoval(running, new Set([ip("10.0.0.1")]), asn(500)), refused);
    });

    it("counts a description as foreign unless it carries its mark or is the one it wrote before marks", () => {
        const admin = device("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 description ask noc first");
        const owned = new Set([ip("10.0.0.1")]);
        assert.deepEqual(decideNeighborsRemoval(admin, owned, asn(500), A), {
            ok: false,
            conflicts: [{ kind: "foreign-lines", address: "10.0.0.1", lines: ["neighbor 10.0.0.1 description ask noc first"] }],
        });
        const legacy = { owned, written: new Map([[ip("10.0.0.1"), "ask noc first"]]) };
        assert.deepEqual(decided(decideNeighborsRemoval(admin, legacy, asn(500), A)).changes, [{ op: "remove-neighbor", asn: 500, address: "10.0.0.1" }]);
    });

    it("two writers racing for one neighbor: the one that wrote first keeps it, the other restores what it overwrote and owns nothing of it", () => {
        const empty = device();
        // Both planned from a device without 10.0.0.1.
        const a = decided(decideNeighbors(empty, new Set(), want(A, [n("10.0.0.1", "a node-1"), n("10.0.0.2")])));
        const b = decided(decideNeighbors(empty, new Set(), want(B, [n("10.0.0.1", "b node-1")])));
        // B's lines land first; A's precheck (read in A's exchange right before its lines) shows them.
        const afterB = applyChanges(empty, b.changes);
        const afterA = applyChanges(afterB, a.changes);
        const loser = confirmNeighbors(a, want(A, [n("10.0.0.1", "a node-1"), n("10.0.0.2")]), afterA, afterB);
        assert.deepEqual(loser.lost, [{ kind: "lost-race", address: "10.0.0.1", token: B, description: "b node-1", notRestored: [] }]);
        assert.deepEqual(renderPlan(loser.undo).lines.map((l) => l.text), ["neighbor 10.0.0.1 description pca:99887766 b node-1"]);
        assert.deepEqual([...loser.owned], ["10.0.0.2"], "its other neighbor is its own");
        assert.deepEqual(loser.missing, []);
        const restored = applyChanges(afterA, loser.undo);
        assert.equal(bgpRouter(restored)!.neighbors.get(ip("10.0.0.1"))!.description, "pca:99887766 b node-1");
        // B reads back after A's undo (or before A's lines): its mark is there, it owns the neighbor.
        const winner = confirmNeighbors(b, want(B, [n("10.0.0.1", "b node-1")]), restored, empty);
        assert.deepEqual(winner.lost, []);
        assert.deepEqual([...winner.owned], ["10.0.0.1"]);
        // A writer that reads back another's mark after its own lines lost too, and undoes nothing.
        const overwritten = confirmNeighbors(a, want(A, [n("10.0.0.1", "a node-1"), n("10.0.0.2")]), applyChanges(applyChanges(empty, a.changes), b.changes), empty);
        assert.deepEqual(overwritten.lost.map((c) => c.kind), ["lost-race"]);
        assert.deepEqual(overwritten.undo, []);
        assert.deepEqual([...overwritten.owned], ["10.0.0.2"]);
    });

    /** A plan adding 10.0.0.1 with the resource's list `a-in` and a limit of 100, and the device it is planned on. */
    const filteredRace = (token: MarkToken | null) => {
        const view = (...lines: string[]) => filterView(["ip prefix-list a-in seq 5 permit 192.168.0.0/16 ge 26", "router bgp 500", ...lines.map((l) => ` ${l}`), "!", "end", ""].join("\n"));
        const wantA = { asn: asn(500), neighbors: [n("10.0.0.1", "a node-1")], adopt: false, token, filter: { list: { name: "a-in", entries: [{ seq: 5, action: "permit" as const, prefix: "192.168.0.0/16", ge: 26, le: null }] }, maximumPrefix: { limit: 100, warningOnly: false } } };
        const owned = { neighbors: new Set<IpAddress>(), filter: { lists: new Set(["a-in"]), limits: new Set<IpAddress>() } };
        return { view, wantA, owned, a: decided(decideFilteredNeighbors(view(), owned, wantA)) };
    };

    it("a limit the other writer set in a form the filter does not write (a restart, a threshold) is named as not restored, never rewritten", () => {
        const { view, wantA, owned, a } = filteredRace(null);
        const after = view("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 description a node-1", "neighbor 10.0.0.1 prefix-list a-in in", "neighbor 10.0.0.1 maximum-prefix 100");
        for (const limit of ["maximum-prefix 500 restart 5", "maximum-prefix 100 90"]) {
            const precheck = view("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 description b node-1", `neighbor 10.0.0.1 ${limit}`);
            const confirmed = confirmFilteredNeighbors(a, owned, wantA, after, precheck.running);
            const undo = renderNeighborsWithFilter(confirmed.undo, confirmed.filterUndo).map((l) => l.text);
            assert.deepEqual(undo, ["neighbor 10.0.0.1 description b node-1", "no neighbor 10.0.0.1 prefix-list a-in in"], limit);
            assert.deepEqual(confirmed.lost.map((c) => c.kind === "lost-race" && c.notRestored), [[limit]], limit);
        }
    });

    it("an IPv6 neighbor's own list, in the IPv6 section, is put back as that writer had it", () => {
        const entries = [{ seq: 5, action: "permit" as const, prefix: "192.168.0.0/16", ge: 26, le: null }, { seq: 10, action: "permit" as const, prefix: "fd00:10:244::/48", ge: 122, le: null }];
        const view = (router: string[], section: string[]) =>
            filterView(["ip prefix-list a-in seq 5 permit 192.168.0.0/16 ge 26", "ipv6 prefix-list a-in seq 10 permit fd00:10:244::/48 ge 122", "ipv6 prefix-list b-in seq 5 permit fd00::/8", "router bgp 500", ...router.map((l) => ` ${l}`), " !", " address-family ipv6", ...section.map((l) => `  ${l}`), " exit-address-family", "!", "end", ""].join("\n"));
        const wantA = { asn: asn(500), neighbors: [n("fd00::1", "a node-1")], adopt: false, token: null, filter: { list: { name: "a-in", entries }, maximumPrefix: null } };
        const owned = { neighbors: new Set<IpAddress>(), filter: { lists: new Set(["a-in"]), ipv6Lists: new Set(["a-in"]), limits: new Set<IpAddress>() } };
        const a = decided(decideFilteredNeighbors(view([], []), owned, wantA));
        const precheck = view(["neighbor fd00::1 remote-as 64512", "neighbor fd00::1 description b node-1"], ["neighbor fd00::1 activate", "neighbor fd00::1 prefix-list b-in in"]);
        const after = view(["neighbor fd00::1 remote-as 64512", "neighbor fd00::1 description a node-1"], ["neighbor fd00::1 activate", "neighbor fd00::1 prefix-list a-in in"]);
        const confirmed = confirmFilteredNeighbors(a, owned, wantA, after, precheck.running);
        const undo = renderNeighborsWithFilter(confirmed.undo, confirmed.filterUndo).map((l) => `${l.context !== "global" && l.context.addressFamily ? "ipv6: " : ""}${l.text}`);
        assert.deepEqual(undo, ["neighbor fd00::1 description b node-1", "ipv6: neighbor fd00::1 prefix-list b-in in"]);
    });

    it("with marks (no read right before the lines), its own list comes off the other writer's neighbor, and a limit it cannot tell from that writer's is named", () => {
        const { view, wantA, owned, a } = filteredRace(A);
        const after = view("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 prefix-list a-in in", "neighbor 10.0.0.1 maximum-prefix 100", "neighbor 10.0.0.1 description pca:99887766 b node-1");
        const confirmed = confirmFilteredNeighbors(a, owned, wantA, after, null);
        assert.deepEqual(renderNeighborsWithFilter(confirmed.undo, confirmed.filterUndo).map((l) => l.text), ["no neighbor 10.0.0.1 prefix-list a-in in"]);
        assert.deepEqual(confirmed.lost.map((c) => c.kind === "lost-race" && c.notRestored), [
            ["an inbound list that writer may have set before this operation's prefix-list a-in in (taken off)", "maximum-prefix 100 (written by this operation, or the same limit set by that writer)"],
        ]);
        assert.match(describeConflict(confirmed.lost[0]!).message, /except \(check them on the ADC\): an inbound list that writer may have set .*, maximum-prefix 100 \(written by this operation/);
        // The other writer's own list replaced this batch's: nothing of the filter is left to take off.
        const theirs = view("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 prefix-list b-in in", "neighbor 10.0.0.1 description pca:99887766 b node-1");
        const kept = confirmFilteredNeighbors(a, owned, wantA, theirs, null);
        assert.deepEqual([kept.filterUndo, kept.lost.map((c) => c.kind === "lost-race" && c.notRestored)], [[], [[]]]);
    });

    it("restores no value the CLI would not take as typed: a description holding `?` is named, not sent", () => {
        const empty = device();
        const a = decided(decideNeighbors(empty, new Set(), want(A, [n("10.0.0.1", "a node-1")])));
        const afterB = device("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 description rack 4? ask noc");
        const loser = confirmNeighbors(a, want(A, [n("10.0.0.1", "a node-1")]), applyChanges(afterB, a.changes), afterB);
        assert.deepEqual(loser.lost, [{ kind: "lost-race", address: "10.0.0.1", token: null, description: "rack 4? ask noc", notRestored: ["description"] }]);
        assert.deepEqual(loser.undo, []);
    });

    it("without marks, a neighbor another writer had configured right before the lines gets its inbound list and limit back, and its limit is not claimed", () => {
        const view = (...lines: string[]) => filterView(["ip prefix-list a-in seq 5 permit 192.168.0.0/16 ge 26", "ip prefix-list b-in seq 5 permit 10.0.0.0/8", "router bgp 500", ...lines.map((l) => ` ${l}`), "!", "end", ""].join("\n"));
        const wantA = { asn: asn(500), neighbors: [n("10.0.0.1", "a node-1")], adopt: false, token: null, filter: { list: { name: "a-in", entries: [{ seq: 5, action: "permit" as const, prefix: "192.168.0.0/16", ge: 26, le: null }] }, maximumPrefix: { limit: 100, warningOnly: false } } };
        const owned = { neighbors: new Set<IpAddress>(), filter: { lists: new Set(["a-in"]), limits: new Set<IpAddress>() } };
        const a = decided(decideFilteredNeighbors(view(), owned, wantA));
        assert.deepEqual(renderNeighborsWithFilter(a.neighbors.changes, a.filterChanges).map((l) => l.text), ["neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 prefix-list a-in in", "neighbor 10.0.0.1 maximum-prefix 100", "neighbor 10.0.0.1 description a node-1"]);
        // B's neighbor, with its own list, was there when A's exchange read right before its lines.
        const precheck = view("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 description b node-1", "neighbor 10.0.0.1 prefix-list b-in in");
        const after = view("neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.1 description a node-1", "neighbor 10.0.0.1 prefix-list a-in in", "neighbor 10.0.0.1 maximum-prefix 100");
        const confirmed = confirmFilteredNeighbors(a, owned, wantA, after, precheck.running);
        assert.deepEqual(confirmed.lost.map((c) => c.kind), ["lost-race"]);
        assert.deepEqual(renderNeighborsWithFilter(confirmed.undo, confirmed.filterUndo).map((l) => l.text), [
            "neighbor 10.0.0.1 description b node-1",
            "neighbor 10.0.0.1 prefix-list b-in in",
            "no neighbor 10.0.0.1 maximum-prefix",
        ]);
        assert.deepEqual([...confirmed.owned.neighbors], []);
        assert.deepEqual([...confirmed.owned.filter.limits], [], "the limit on the other writer's neighbor is not this resource's");
    });
});
