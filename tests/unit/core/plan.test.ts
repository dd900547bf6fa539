import { strict as assert } from "assert";
import * as fc from "fast-check";
import { applyChanges } from "../../../provider/core/changes";
import { EMPTY_CONFIG, emptyRouter, runningNeighbor, type BgpRouter, type Neighbor, type RunningConfig } from "../../../provider/core/model";
import { parseRunningConfig, bgpRouter } from "../../../provider/core/parseRunningConfig";
import { NOTHING_OWNED, planNeighbors, planNeighborsRemoval, planRouter, planRouterRemoval, type RouterIntent } from "../../../provider/core/plan";
import { renderChanges, renderRunningConfig } from "../../../provider/core/render";
import type { Asn, IpAddress } from "../../../provider/core/values";

const asn = (n: number) => n as Asn;
const ip = (s: string) => s as IpAddress;

function neighbor(address: string, remoteAsn: number, extra: Partial<Neighbor> = {}): Neighbor {
    return { address: ip(address), remoteAsn: asn(remoteAsn), description: null, password: null, updateSource: null, ebgpMultihop: null, ...extra };
}

function config(neighbors: Neighbor[] = [], opts: { asn?: number; routeInstall?: string[]; other?: string[] } = {}): RunningConfig {
    const router: BgpRouter = {
        ...emptyRouter(asn(opts.asn ?? 500)),
        neighbors: new Map(neighbors.map((n) => [n.address, runningNeighbor(n)])),
        otherLines: opts.other ?? [],
    };
    return { ...EMPTY_CONFIG, routeInstall: new Set(opts.routeInstall ?? []), routers: [router] };
}

const EMPTY: RunningConfig = EMPTY_CONFIG;

/** A removal plan's changes, failing the test if the planner refused. */
function removalChanges<T extends { ok: boolean }>(plan: T): T extends { ok: true; changes: infer C } ? C : never {
    assert.ok(plan.ok, JSON.stringify(plan));
    return (plan as unknown as { changes: never }).changes;
}

const INTENT: RouterIntent = { asn: asn(500), routerId: null, maxPaths: { ebgp: null, ibgp: null }, routeInstall: true, routeInstallIpv6: false, redistributeKernel: false };

/** Compares configurations through the device text, so Map/Set identity does not matter. */
function sameConfig(a: RunningConfig, b: RunningConfig): void {
    assert.equal(renderRunningConfig(a), renderRunningConfig(b));
}

describe("planRouter", () => {
    it("creates the runbook's router on a fresh appliance: route install, then router bgp 500", () => {
        const plan = planRouter(EMPTY, INTENT, NOTHING_OWNED, false);
        assert.ok(plan.ok);
        assert.deepEqual(
            renderChanges(plan.changes).map((l) => [l.context, l.text]),
            [
                ["global", "ns route-install bgp"],
                [{ routerBgp: 500 }, ""],
            ],
        );
        assert.equal(plan.owned.router, true);
        assert.equal(plan.owned.routeInstall, true);
    });

    it("plans nothing when the device already matches what it owns", () => {
        const first = planRouter(EMPTY, { ...INTENT, maxPaths: { ebgp: 8, ibgp: null } }, NOTHING_OWNED, false);
        assert.ok(first.ok);
        const after = applyChanges(EMPTY, first.changes);
        const second = planRouter(after, { ...INTENT, maxPaths: { ebgp: 8, ibgp: null } }, first.owned, false);
        assert.ok(second.ok);
        assert.deepEqual(second.changes, []);
    });

    it("refuses a device that runs another AS, and one that already runs this AS unless adopting", () => {
        const other = planRouter(config([], { asn: 65000 }), INTENT, NOTHING_OWNED, false);
        assert.deepEqual(other, { ok: false, conflicts: [{ kind: "other-router", existing: 65000, wanted: 500 }] });
        const same = planRouter(config([]), INTENT, NOTHING_OWNED, false);
        assert.deepEqual(same, { ok: false, conflicts: [{ kind: "router-exists", asn: 500 }] });
        const adopted = planRouter(config([]), INTENT, NOTHING_OWNED, true);
        assert.ok(adopted.ok);
        assert.equal(adopted.owned.router, false);
    });

    it("removes a setting it made when the user stops asking for it, but not one it found", () => {
        const made = planRouter(EMPTY, { ...INTENT, routerId: "10.0.0.1" }, NOTHING_OWNED, false);
        assert.ok(made.ok);
        const device = applyChanges(EMPTY, made.changes);
        const dropped = planRouter(device, INTENT, made.owned, false);
        assert.ok(dropped.ok);
        assert.deepEqual(renderChanges(dropped.changes).map((l) => l.text), ["no bgp router-id"]);

        const found = parseRunningConfig("router bgp 500\n bgp router-id 10.9.9.9\n!\nend\n");
        const adopted = planRouter(found, INTENT, NOTHING_OWNED, true);
        assert.ok(adopted.ok);
        assert.equal(adopted.owned.routerId, false);
        assert.ok(!renderChanges(adopted.changes).some((l) => l.text.includes("router-id")));
    });

    it("on removal deletes the router it created, but keeps it when someone else's neighbors live in it", () => {
        const owned = { ...NOTHING_OWNED, router: true, routeInstall: true };
        const alone = planRouterRemoval(config([], { routeInstall: ["bgp"] }), asn(500), owned);
        assert.deepEqual(renderChanges(removalChanges(alone)).map((l) => l.text), ["no ns route-install bgp", "no router bgp 500"]);
        assert.equal(alone.ok && alone.keptRouterBecause, null);

        const shared = planRouterRemoval(config([neighbor("10.0.0.7", 64600)], { routeInstall: ["bgp"] }), asn(500), owned);
        assert.deepEqual(renderChanges(removalChanges(shared)).map((l) => l.text), ["no ns route-install bgp"]);
        assert.match((shared.ok && shared.keptRouterBecause) || "", /10\.0\.0\.7/);
    });

    it("on removal of an adopted router leaves the block and the settings it found", () => {
        const device = parseRunningConfig("ns route-install bgp\n!\nrouter bgp 500\n max-paths ebgp 8\n!\nend\n");
        const removal = planRouterRemoval(device, asn(500), NOTHING_OWNED);
        assert.deepEqual(removalChanges(removal), []);
    });
});

describe("planNeighbors", () => {
    const wanted = [neighbor("10.102.33.198", 64512), neighbor("10.102.33.202", 64512)];

    it("adds the runbook's neighbors with one remote-as line each", () => {
        const plan = planNeighbors(config(), asn(500), wanted, new Set(), false);
        assert.ok(plan.ok);
        assert.deepEqual(renderChanges(plan.changes).map((l) => [l.context, l.text]), [
            [{ routerBgp: 500 }, "neighbor 10.102.33.198 remote-as 64512"],
            [{ routerBgp: 500 }, "neighbor 10.102.33.202 remote-as 64512"],
        ]);
    });

    it("adding or removing one neighbor changes only that neighbor", () => {
        const device = config(wanted);
        const owned = new Set(wanted.map((n) => n.address));
        const added = planNeighbors(device, asn(500), [...wanted, neighbor("10.102.33.203", 64512)], owned, false);
        assert.ok(added.ok);
        assert.deepEqual(renderChanges(added.changes).map((l) => l.text), ["neighbor 10.102.33.203 remote-as 64512"]);
        const removed = planNeighbors(device, asn(500), [wanted[0]!], owned, false);
        assert.ok(removed.ok);
        assert.deepEqual(renderChanges(removed.changes).map((l) => l.text), ["no neighbor 10.102.33.202"]);
    });

    it("never touches neighbors it does not own, and refuses to take one over unless adopting", () => {
        const foreign = neighbor("10.200.0.1", 65001);
        const device = config([...wanted, foreign]);
        const plan = planNeighbors(device, asn(500), wanted, new Set(wanted.map((n) => n.address)), false);
        assert.ok(plan.ok);
        assert.deepEqual(plan.changes, []);

        const clash = planNeighbors(device, asn(500), [neighbor("10.200.0.1", 64512)], new Set(), false);
        assert.deepEqual(clash, { ok: false, conflicts: [{ kind: "foreign-neighbor", address: "10.200.0.1", remoteAsn: 65001, description: null }] });
        const adopt = planNeighbors(device, asn(500), [neighbor("10.200.0.1", 64512)], new Set(), true);
        assert.ok(adopt.ok);
        assert.deepEqual(renderChanges(adopt.changes).map((l) => l.text), ["neighbor 10.200.0.1 remote-as 64512"]);
    });

    it("reconciles every attribute of an owned neighbor, removing the ones no longer asked for", () => {
        const before = neighbor("10.0.0.1", 64512, { description: "old", password: "pw1", updateSource: "vlan1", ebgpMultihop: 2 });
        const after = neighbor("10.0.0.1", 64513, { description: "node a", password: null, updateSource: "vlan1", ebgpMultihop: null });
        const plan = planNeighbors(config([before]), asn(500), [after], new Set([ip("10.0.0.1")]), false);
        assert.ok(plan.ok);
        assert.deepEqual(renderChanges(plan.changes).map((l) => l.text), [
            "neighbor 10.0.0.1 remote-as 64513",
            "neighbor 10.0.0.1 description node a",
            "no neighbor 10.0.0.1 password",
            "no neighbor 10.0.0.1 ebgp-multihop",
        ]);
    });

    it("redacts passwords in the rendered lines' display form", () => {
        const plan = planNeighbors(config(), asn(500), [neighbor("10.0.0.1", 64512, { password: "hunter2" })], new Set(), false);
        assert.ok(plan.ok);
        const lines = renderChanges(plan.changes);
        const pw = lines.find((l) => l.text.includes("password"))!;
        assert.equal(pw.text, "neighbor 10.0.0.1 password hunter2");
        assert.equal(pw.redacted, "neighbor 10.0.0.1 password <redacted>");
        assert.ok(lines.filter((l) => l !== pw).every((l) => !l.text.includes("hunter2") && l.redacted === undefined));
    });

    it("accepts the device's own form of a password when told it is the same", () => {
        const device = config([neighbor("10.0.0.1", 64512, { password: "7 0822455D0A16" })]);
        const wantedPw = [neighbor("10.0.0.1", 64512, { password: "cisco" })];
        const plan = planNeighbors(device, asn(500), wantedPw, new Set([ip("10.0.0.1")]), false, (_a, shown) => shown === "7 0822455D0A16");
        assert.ok(plan.ok);
        assert.deepEqual(plan.changes, []);
    });

    it("fails when the router is missing or runs another AS", () => {
        assert.deepEqual(planNeighbors(EMPTY, asn(500), wanted, new Set(), false), { ok: false, conflicts: [{ kind: "no-router", asn: 500 }] });
        assert.deepEqual(planNeighbors(config([], { asn: 600 }), asn(500), wanted, new Set(), false), {
            ok: false,
            conflicts: [{ kind: "other-router", existing: 600, wanted: 500 }],
        });
    });

    it("removal takes only owned neighbors still on the device", () => {
        const device = config([neighbor("10.0.0.1", 1), neighbor("10.0.0.2", 1)]);
        const changes = removalChanges(planNeighborsRemoval(device, asn(500), new Set([ip("10.0.0.1"), ip("10.0.0.3")])));
        assert.deepEqual(renderChanges(changes).map((l) => l.text), ["no neighbor 10.0.0.1"]);
    });
});

describe("planner, circular", () => {
    const octet = fc.integer({ min: 1, max: 254 });
    const address = fc.oneof(
        fc.tuple(octet, octet).map(([a, b]) => ip(`10.${a}.0.${b}`)),
        fc.tuple(octet, octet).map(([a, b]) => ip(`fd00::${a.toString(16)}:${b.toString(16)}`)),
    );
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
    const arbNeighbor = fc.record({
        address,
        remoteAsn: fc.integer({ min: 1, max: 4294967295 }).map(asn),
        description: fc.option(fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(" ")), { nil: null }),
        password: fc.option(word, { nil: null }),
        updateSource: fc.option(fc.constantFrom("vlan101", "lo0", "10.9.9.9"), { nil: null }),
        ebgpMultihop: fc.option(fc.integer({ min: 1, max: 255 }), { nil: null }),
    });
    const neighbors = fc.uniqueArray(arbNeighbor, { selector: (n) => n.address, maxLength: 6 });

    it("running + plan = intended, for owned neighbors, and foreign ones stay as they were", () => {
        fc.assert(
            fc.property(neighbors, neighbors, neighbors, (before, after, foreignRaw) => {
                const ours = new Set(before.map((n) => n.address));
                const foreign = foreignRaw.filter((n) => !ours.has(n.address) && !after.some((a) => a.address === n.address));
                // Someone else's IPv6 neighbors are active or not, as they left them; ours are active.
                const foreignActive = foreign.filter((n, i) => n.address.includes(":") && i % 2 === 0).map((n) => n.address);
                const base = config([...before, ...foreign]);
                const device = { ...base, routers: [{ ...bgpRouter(base)!, ipv6: { active: new Set(foreignActive), otherLines: ["neighbor fd00::ffff route-map X in"] } }] };
                const plan = planNeighbors(device, asn(500), after, ours, false);
                assert.ok(plan.ok);
                const result = bgpRouter(applyChanges(device, plan.changes))!;
                const expected = new Map([...foreign, ...after].map((n) => [n.address, n]));
                assert.deepEqual(new Set(result.neighbors.keys()), new Set(expected.keys()));
                for (const [a, n] of expected) assert.deepEqual(result.neighbors.get(a), runningNeighbor(n));
                const active = new Set([...foreignActive, ...after.filter((n) => n.address.includes(":")).map((n) => n.address)]);
                assert.deepEqual(new Set(result.ipv6.active), active);
                assert.deepEqual(result.ipv6.otherLines, ["neighbor fd00::ffff route-map X in"]);
                // and re-planning from the result is a no-op
                const again = planNeighbors(applyChanges(device, plan.changes), asn(500), after, plan.owned, false);
                assert.ok(again.ok);
                assert.deepEqual(again.changes, []);
            }),
            { numRuns: 300 },
        );
    });

    it("intended + removal = running without what the resource owned", () => {
        fc.assert(
            fc.property(neighbors, neighbors, (ours, foreignRaw) => {
                const foreign = foreignRaw.filter((n) => !ours.some((o) => o.address === n.address));
                const device = config([...ours, ...foreign]);
                const removal = planNeighborsRemoval(device, asn(500), new Set(ours.map((n) => n.address)));
                sameConfig(applyChanges(device, removalChanges(removal)), config(foreign));
            }),
            { numRuns: 200 },
        );
    });

    it("the rendered plan, parsed back from the device layout, gives the same configuration", () => {
        fc.assert(
            fc.property(neighbors, (after) => {
                const plan = planNeighbors(config(), asn(500), after, new Set(), false);
                assert.ok(plan.ok);
                const predicted = applyChanges(config(), plan.changes);
                sameConfig(parseRunningConfig(renderRunningConfig(predicted)), predicted);
            }),
            { numRuns: 200 },
        );
    });
});
