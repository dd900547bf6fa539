import { strict as assert } from "assert";
import * as fc from "fast-check";
import { applyChanges, applyToDevice, type Change, type DeviceView } from "../../../provider/core/changes";
import { EMPTY_CONFIG, emptyRouter, runningNeighbor, type BgpRouter, type Neighbor, type RunningConfig } from "../../../provider/core/model";
import {
    confirmNeighbors,
    confirmRouter,
    confirmRouterRemoval,
    decideNeighbors,
    decideRouter,
    decideRouterRemoval,
    type RouterWant,
} from "../../../provider/core/ownership";
import { bgpRouter, parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { NOTHING_OWNED, type RouterOwnership } from "../../../provider/core/plan";
import { renderPlan, renderRunningConfig } from "../../../provider/core/render";
import type { Asn, IpAddress } from "../../../provider/core/values";

const asn = (n: number) => n as Asn;
const ip = (s: string) => s as IpAddress;
const WANT: RouterWant = { intent: { asn: asn(500), routerId: null, maxPaths: { ebgp: null, ibgp: null }, routeInstall: true, redistributeKernel: false }, adopt: false };
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
                for (const key of ["router", "routeInstall", "routerId", "maxPathsEbgp", "maxPathsIbgp", "redistributeKernel"] as const) {
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
        assert.deepEqual(confirmNeighbors(d, want, null), { owned: new Set(["10.0.0.1", "10.0.0.2"]), missing: null });
    });
});
