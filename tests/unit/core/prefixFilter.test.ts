/**
 * The ADC's inbound filter lines: parse, render, plan, ownership, removal. Convergence is proved
 * against the simulator's own vtysh model (its grammar and rules are Quagga's, written apart
 * from the client): the planned lines, typed into its vtysh, leave a running config from which
 * the planner plans nothing more.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import type { ConfigLine } from "../../../provider/device/types";
import { parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { planNeighbors, planNeighborsRemoval } from "../../../provider/core/plan";
import { confirmFilteredNeighbors, decideFilteredNeighbors, type FilteredNeighborsWant, type NeighborsOwnership } from "../../../provider/core/ownership";
import {
    applyFilterChanges,
    neighborFilter,
    parsePrefixListLine,
    parsePrefixLists,
    planPrefixFilter,
    planPrefixFilterRemoval,
    renderFilterChanges,
    renderNeighborsWithFilter,
    filterView,
    NO_FILTER_OWNED,
    type PrefixFilterIntent,
    type PrefixFilterOwnership,
    type PrefixListEntry,
} from "../../../provider/core/prefixFilter";
import type { Asn, IpAddress } from "../../../provider/core/values";
import { TestConsole } from "../simulator/console";

const ASN = 500 as Asn;
const NODES = ["10.102.33.201", "10.102.33.202"] as IpAddress[];
const entry = (seq: number, prefix: string, ge: number | null = null, le: number | null = null, action: "permit" | "deny" = "permit"): PrefixListEntry => ({ seq, action, prefix, ge, le });
/** The resource's own neighbors, all on the device already. */
const MINE = { owned: new Set(NODES), created: new Set<IpAddress>() };
const PODS: PrefixFilterIntent = {
    list: { name: "pca-dev-adc-in", entries: [entry(5, "192.168.0.0/16", 26, 32), entry(10, "10.96.0.0/12", null, 32)] },
    maximumPrefix: { limit: 1024, warningOnly: false },
    neighbors: NODES,
};

/** A device with the router and the nodes' neighbors, as the neighbor plan leaves it. */
async function device(extra: string[] = [], options: { prefixListSupport?: boolean; maximumPrefixSupport?: boolean } = {}): Promise<TestConsole> {
    const c = await TestConsole.open({ ...options, initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500", ...NODES.map((n) => ` neighbor ${n} remote-as 64512`), ...extra] } });
    await c.typeAll(["vtysh", "configure terminal"]);
    return c;
}

/** Types the lines the way the session does: global ones in `ns(config)#`, router ones inside `router bgp`. */
async function send(c: TestConsole, lines: readonly ConfigLine[]): Promise<string[]> {
    const errors: string[] = [];
    for (const l of lines) {
        if (l.context === "global") await c.type("exit").catch(() => undefined);
        const out = l.context === "global" ? await c.typeAll(["end", "configure terminal", l.text]) : await c.typeAll(["end", "configure terminal", `router bgp ${l.context.routerBgp}`, l.text]);
        errors.push(...out.filter((x) => x.startsWith("%")).map((x) => `${l.text}: ${x}`));
    }
    await c.type("end");
    return errors;
}

async function read(c: TestConsole) {
    const text = (await c.typeAll(["end", "show running-config"])).join("\n");
    await c.type("configure terminal");
    const config = parseRunningConfig(text);
    return { text, config, lists: parsePrefixLists(text), view: filterView(text, config) };
}

describe("core: the ADC's inbound prefix filter", () => {
    it("parses prefix-list lines as NetScaler and Quagga print them, in normal form", () => {
        // From a NetScaler user's configuration (citrix/terraform-provider-citrixadc#1179).
        assert.deepEqual(parsePrefixListLine("ip prefix-list PL_DENY_DEFAULT_ROUTE seq 5 deny 0.0.0.0/0"), { family: "ipv4", name: "PL_DENY_DEFAULT_ROUTE", entry: entry(5, "0.0.0.0/0", null, null, "deny") });
        assert.deepEqual(parsePrefixListLine("ip prefix-list PL_PERMIT_VIP_NET_ADV seq 5 permit 10.100.200.128/25")?.entry, entry(5, "10.100.200.128/25"));
        assert.deepEqual(parsePrefixListLine("ip prefix-list P seq 5 permit 192.168.0.0/16 ge 26 le 32")?.entry, entry(5, "192.168.0.0/16", 26, null), "ge 26 le 32 is ge 26");
        assert.deepEqual(parsePrefixListLine("ip prefix-list P seq 7 permit 10.96.0.0/12 le 32")?.entry, entry(7, "10.96.0.0/12", null, 32));
        assert.equal(parsePrefixListLine("ip prefix-list P description pods"), null);
        assert.equal(parsePrefixListLine("ip prefix-list P permit 10.0.0.0/8"), null, "a line without seq is not how the device shows an entry");
        const text = ["!", "ip prefix-list B seq 10 deny 0.0.0.0/0", "ip prefix-list B seq 5 permit 10.0.0.0/8", "!", "router bgp 500", " neighbor 10.0.0.1 remote-as 1", " neighbor 10.0.0.1 prefix-list B in", " neighbor 10.0.0.1 maximum-prefix 100 80 warning-only", "!", "end"].join("\n");
        assert.deepEqual([...parsePrefixLists(text)], [["B", [entry(5, "10.0.0.0/8"), entry(10, "0.0.0.0/0", null, null, "deny")]]]);
        const n = parseRunningConfig(text).routers[0]!.neighbors.get("10.0.0.1" as IpAddress)!;
        assert.deepEqual(neighborFilter(n), { prefixListIn: "B", maximumPrefix: { limit: 100, warningOnly: true } });
    });

    it("plans the list first, then each neighbor's filter and limit; the simulator takes the lines and nothing is left to plan", async () => {
        const c = await device();
        const before = await read(c);
        const plan = planPrefixFilter(before.view, ASN, PODS, NO_FILTER_OWNED, MINE, false);
        assert.ok(plan.ok);
        const lines = renderFilterChanges(plan.changes);
        assert.deepEqual(
            lines.map((l) => `${l.context === "global" ? "" : " "}${l.text}`),
            [
                "ip prefix-list pca-dev-adc-in seq 5 permit 192.168.0.0/16 ge 26",
                "ip prefix-list pca-dev-adc-in seq 10 permit 10.96.0.0/12 le 32",
                " neighbor 10.102.33.201 prefix-list pca-dev-adc-in in",
                " neighbor 10.102.33.201 maximum-prefix 1024",
                " neighbor 10.102.33.202 prefix-list pca-dev-adc-in in",
                " neighbor 10.102.33.202 maximum-prefix 1024",
            ],
        );
        assert.deepEqual(await send(c, lines), []);
        const after = await read(c);
        assert.match(after.text, /^ip prefix-list pca-dev-adc-in seq 5 permit 192\.168\.0\.0\/16 ge 26$/m);
        assert.match(after.text, /^ neighbor 10\.102\.33\.202 prefix-list pca-dev-adc-in in$/m);
        const predicted = applyFilterChanges(before.config, before.lists, plan.changes);
        assert.deepEqual([...predicted.lists], [...after.lists], "the planner predicts the device");
        const again = planPrefixFilter(after.view, ASN, PODS, plan.owned, MINE, false);
        assert.deepEqual(again.ok && again.changes, []);
    });

    it("refuses a list of the same name it did not create, unless adopting", async () => {
        const c = await device();
        await send(c, [{ context: "global", text: "ip prefix-list pca-dev-adc-in seq 5 permit 0.0.0.0/0 le 32" }]);
        const { view } = await read(c);
        const plan = planPrefixFilter(view, ASN, PODS, NO_FILTER_OWNED, MINE, false);
        assert.deepEqual(!plan.ok && plan.conflicts, [{ kind: "foreign-prefix-list", family: "ipv4", name: "pca-dev-adc-in", entries: [entry(5, "0.0.0.0/0", null, 32)] }]);
        const adopted = planPrefixFilter(view, ASN, PODS, NO_FILTER_OWNED, MINE, true);
        assert.ok(adopted.ok);
        assert.equal(renderFilterChanges(adopted.changes)[0]!.text, "no ip prefix-list pca-dev-adc-in seq 5 permit 0.0.0.0/0 le 32", "the foreign entry goes first");
    });

    it("changes only the entries that differ, and leaves other lists and neighbors alone", async () => {
        const c = await device([" neighbor 10.102.33.250 remote-as 65000", " neighbor 10.102.33.250 prefix-list OTHER in"]);
        await send(c, [{ context: "global", text: "ip prefix-list OTHER seq 5 permit 172.16.0.0/12" }]);
        const first = await read(c);
        const p1 = planPrefixFilter(first.view, ASN, PODS, NO_FILTER_OWNED, MINE, false);
        assert.ok(p1.ok);
        await send(c, renderFilterChanges(p1.changes));
        const mid = await read(c);
        const grown: PrefixFilterIntent = { ...PODS, list: { name: PODS.list!.name, entries: [entry(5, "192.168.0.0/16", 26, 32), entry(10, "198.51.100.0/24", null, 32)] } };
        const p2 = planPrefixFilter(mid.view, ASN, grown, p1.owned, MINE, false);
        assert.ok(p2.ok);
        assert.deepEqual(renderFilterChanges(p2.changes).map((l) => l.text), ["no ip prefix-list pca-dev-adc-in seq 10 permit 10.96.0.0/12 le 32", "ip prefix-list pca-dev-adc-in seq 10 permit 198.51.100.0/24 le 32"]);
        await send(c, renderFilterChanges(p2.changes));
        const end = await read(c);
        assert.deepEqual(end.lists.get("OTHER"), [entry(5, "172.16.0.0/12")]);
        assert.equal(neighborFilter(end.config.routers[0]!.neighbors.get("10.102.33.250" as IpAddress)!).prefixListIn, "OTHER");
    });

    it("opting out takes the owned list and limits off the resource's neighbors, then the list; foreign lists stay", async () => {
        const c = await device();
        const start = await read(c);
        const p = planPrefixFilter(start.view, ASN, PODS, NO_FILTER_OWNED, MINE, false);
        assert.ok(p.ok);
        assert.deepEqual([...p.owned.limits], NODES);
        await send(c, [...renderFilterChanges(p.changes), { context: "global", text: "ip prefix-list KEEP seq 5 permit 10.0.0.0/8" }]);
        const full = await read(c);
        const off = planPrefixFilter(full.view, ASN, { list: null, maximumPrefix: null, neighbors: NODES }, p.owned, MINE, false);
        assert.ok(off.ok);
        assert.deepEqual(renderFilterChanges(off.changes).map((l) => l.text), [
            "no neighbor 10.102.33.201 prefix-list pca-dev-adc-in in",
            "no neighbor 10.102.33.201 maximum-prefix",
            "no neighbor 10.102.33.202 prefix-list pca-dev-adc-in in",
            "no neighbor 10.102.33.202 maximum-prefix",
            "no ip prefix-list pca-dev-adc-in",
        ]);
        assert.deepEqual(await send(c, renderFilterChanges(off.changes)), []);
        const gone = await read(c);
        assert.deepEqual([...gone.lists.keys()], ["KEEP"]);
        assert.doesNotMatch(gone.text, /pca-dev-adc-in|maximum-prefix/);
        assert.deepEqual(off.owned, NO_FILTER_OWNED);
    });

    it("a limit the resource did not set stays when it stops managing limits", async () => {
        const c = await device([` neighbor ${NODES[0]} maximum-prefix 77`]);
        const { view } = await read(c);
        const p = planPrefixFilter(view, ASN, { ...PODS, maximumPrefix: null }, NO_FILTER_OWNED, MINE, false);
        assert.ok(p.ok);
        assert.ok(!renderFilterChanges(p.changes).some((l) => l.text.includes("maximum-prefix")));
    });

    it("removal with the neighbors: their lines go with `no neighbor`, then the list, in one batch", async () => {
        const c = await device();
        const start = await read(c);
        const p = planPrefixFilter(start.view, ASN, PODS, NO_FILTER_OWNED, MINE, false);
        assert.ok(p.ok);
        await send(c, renderFilterChanges(p.changes));
        const full = await read(c);
        const neighbors = planNeighborsRemoval(full.config, ASN, new Set(NODES));
        const filter = planPrefixFilterRemoval(full.view, ASN, p.owned, new Set(NODES));
        assert.ok(neighbors.ok && filter.ok);
        const lines = renderNeighborsWithFilter(neighbors.changes, filter.changes);
        assert.deepEqual(lines.map((l) => l.text), ["no neighbor 10.102.33.201", "no neighbor 10.102.33.202", "no ip prefix-list pca-dev-adc-in"]);
        assert.deepEqual(await send(c, lines), []);
        assert.doesNotMatch((await read(c)).text, /pca-dev-adc-in|10\.102\.33\.20[12]/);
    });

    it("never removes an owned list that a neighbor the resource does not own still names: refuses, naming that neighbor", async () => {
        const c = await device([" neighbor 10.102.33.250 remote-as 65000", " neighbor 10.102.33.250 description rack-9 (other stack)"]);
        const start = await read(c);
        const p = planPrefixFilter(start.view, ASN, PODS, NO_FILTER_OWNED, MINE, false);
        assert.ok(p.ok);
        // Someone attached the resource's list to their own neighbor by hand.
        await send(c, [...renderFilterChanges(p.changes), { context: { routerBgp: 500 }, text: "neighbor 10.102.33.250 prefix-list pca-dev-adc-in in" }]);
        const full = await read(c);
        const refusedDelete = planPrefixFilterRemoval(full.view, ASN, p.owned, new Set(NODES));
        assert.deepEqual(!refusedDelete.ok && refusedDelete.conflicts, [{ kind: "list-used-by-foreign-neighbor", family: "ipv4", name: "pca-dev-adc-in", address: "10.102.33.250", description: "rack-9 (other stack)" }]);
        const refusedOptOut = planPrefixFilter(full.view, ASN, { list: null, maximumPrefix: null, neighbors: NODES }, p.owned, MINE, false);
        assert.equal(!refusedOptOut.ok && refusedOptOut.conflicts[0]!.kind, "list-used-by-foreign-neighbor");
        const renamed = planPrefixFilter(full.view, ASN, { ...PODS, list: { name: "pca-dev-adc2-in", entries: PODS.list!.entries } }, p.owned, MINE, false);
        assert.equal(!renamed.ok && renamed.conflicts[0]!.kind, "list-used-by-foreign-neighbor", "a rename would remove the old list too");
        // Keeping the list is fine: the foreign neighbor's reference is not the resource's business.
        const kept = planPrefixFilter(full.view, ASN, PODS, p.owned, MINE, false);
        assert.deepEqual(kept.ok && kept.changes, []);
    });

    it("plans nothing where the layout is in doubt (a wrapped prefix-list line, a doubtful router block), quoting the lines", () => {
        const wrapped = ["!", "ip prefix-list pca-dev-adc-in seq 5 permit 192.168.0.0/16 ge", "26", "!", "router bgp 500", ...NODES.map((n) => ` neighbor ${n} remote-as 64512`), "!", "end"].join("\n");
        const p1 = planPrefixFilter(filterView(wrapped), ASN, PODS, NO_FILTER_OWNED, MINE, false);
        assert.equal(!p1.ok && p1.conflicts[0]!.kind, "uncertain");
        const quoted = !p1.ok && p1.conflicts[0]!.kind === "uncertain" ? p1.conflicts[0]!.regions.flatMap((r) => r.lines.map((l) => l.text)) : [];
        assert.ok(quoted.includes("26"), JSON.stringify(quoted));
        const doubtfulRouter = ["!", "router bgp 500", ...NODES.map((n) => ` neighbor ${n} remote-as 64512`), "neighbor 10.102.33.201 prefix-list OTHER in", "!", "end"].join("\n");
        const p2 = planPrefixFilterRemoval(filterView(doubtfulRouter), ASN, { lists: new Set(["pca-dev-adc-in"]), limits: new Set() }, new Set(NODES));
        assert.equal(!p2.ok && p2.conflicts[0]!.kind, "uncertain");
    });

    it("refuses an IPv6 neighbor when the list has no IPv6 entry rather than leave it unfiltered", async () => {
        const c = await device([" neighbor fd00::201 remote-as 64512"]);
        const { view } = await read(c);
        const v6 = "fd00::201" as IpAddress;
        const p = planPrefixFilter(view, ASN, { ...PODS, neighbors: [...NODES, v6] }, NO_FILTER_OWNED, { owned: new Set([...NODES, v6]), created: new Set() }, false);
        assert.deepEqual(!p.ok && p.conflicts, [{ kind: "family-unfiltered", family: "ipv6", address: v6, name: "pca-dev-adc-in" }]);
        const off = planPrefixFilter(view, ASN, { list: null, maximumPrefix: PODS.maximumPrefix, neighbors: [...NODES, v6] }, NO_FILTER_OWNED, { owned: new Set([...NODES, v6]), created: new Set() }, false);
        assert.ok(off.ok, "without the filter an IPv6 neighbor takes a limit");
    });

    it("a neighbor created in the same batch gets its filter and limit on the lines right after its remote-as", async () => {
        const c = await device();
        const { view, config } = await read(c);
        const fresh = "10.102.33.203" as IpAddress;
        const wanted = [...NODES, fresh].map((address) => ({ address, remoteAsn: 64512 as Asn, description: "node", password: null, updateSource: null, ebgpMultihop: null }));
        const neighbors = planNeighbors(config, ASN, wanted, new Set(NODES), false);
        assert.ok(neighbors.ok);
        const filter = planPrefixFilter(view, ASN, { ...PODS, neighbors: wanted.map((n) => n.address) }, NO_FILTER_OWNED, { owned: new Set(NODES), created: new Set([fresh]) }, false);
        assert.ok(filter.ok);
        const lines = renderNeighborsWithFilter(neighbors.changes, filter.changes).map((l) => l.text);
        const at = lines.indexOf(`neighbor ${fresh} remote-as 64512`);
        assert.deepEqual(lines.slice(at, at + 4), [`neighbor ${fresh} remote-as 64512`, `neighbor ${fresh} prefix-list pca-dev-adc-in in`, `neighbor ${fresh} maximum-prefix 1024`, `neighbor ${fresh} description node`]);
        assert.ok(lines.indexOf("ip prefix-list pca-dev-adc-in seq 5 permit 192.168.0.0/16 ge 26") < at, "the list exists before anything names it");
        assert.deepEqual(await send(c, renderNeighborsWithFilter(neighbors.changes, filter.changes)), []);
        const after = await read(c);
        const again = planPrefixFilter(after.view, ASN, { ...PODS, neighbors: wanted.map((n) => n.address) }, filter.owned, { owned: neighbors.owned, created: new Set() }, false);
        assert.deepEqual(again.ok && again.changes, []);
    });

    it("a batch cut after any line: ownership is what the device shows, an unfiltered neighbor is named, and the next plan finishes with only what is missing", async () => {
        const fresh = ["10.102.33.203", "10.102.33.204"] as IpAddress[];
        const want: FilteredNeighborsWant = {
            asn: ASN,
            neighbors: [...NODES, ...fresh].map((address) => ({ address, remoteAsn: 64512 as Asn, description: "node", password: null, updateSource: null, ebgpMultihop: null })),
            adopt: false,
            filter: { list: PODS.list, maximumPrefix: PODS.maximumPrefix },
        };
        const owned: NeighborsOwnership = { neighbors: new Set(NODES), filter: NO_FILTER_OWNED };
        const start = await read(await device());
        const d = decideFilteredNeighbors(start.view, owned, want);
        assert.ok(d.ok);
        const lines = renderNeighborsWithFilter(d.neighbors.changes, d.filterChanges);
        for (let cut = 0; cut <= lines.length; cut++) {
            const c = await device();
            assert.deepEqual(await send(c, lines.slice(0, cut)), []);
            const after = await read(c);
            const confirmed = confirmFilteredNeighbors(d, owned, want, after.view);
            const router = after.config.routers[0]!;
            for (const a of confirmed.owned.neighbors) assert.ok(router.neighbors.has(a), `cut ${cut}: owns ${a}, which the device shows`);
            for (const l of confirmed.owned.filter.lists) assert.ok(after.lists.has(l), `cut ${cut}: owns list ${l}, which the device shows`);
            for (const a of confirmed.owned.filter.limits) assert.ok(neighborFilter(router.neighbors.get(a)!).maximumPrefix, `cut ${cut}: owns ${a}'s limit, which the device shows`);
            const unfiltered = [...router.neighbors.values()].filter((n) => neighborFilter(n).prefixListIn === null).map((n) => n.address);
            assert.deepEqual(confirmed.unfiltered, unfiltered, `cut ${cut}: every neighbor without the list is named`);
            assert.equal((confirmed.missing?.neighbors.length ?? 0) + (confirmed.missing?.filter.length ?? 0) === 0, cut === lines.length);
            const next = decideFilteredNeighbors(after.view, confirmed.owned, want);
            assert.ok(next.ok, `cut ${cut}: ${JSON.stringify(!next.ok && next.conflicts)}`);
            const rest = renderNeighborsWithFilter(next.neighbors.changes, next.filterChanges);
            assert.deepEqual(rest.map((l) => l.text).sort(), lines.slice(cut).map((l) => l.text).sort(), `cut ${cut}: exactly the lines not sent`);
            assert.deepEqual(await send(c, rest), []);
            const done = await read(c);
            const again = decideFilteredNeighbors(done.view, confirmFilteredNeighbors(next, confirmed.owned, want, done.view).owned, want);
            assert.ok(again.ok && again.neighbors.changes.length === 0 && again.filterChanges.length === 0, `cut ${cut}: converged`);
        }
    });

    it("an ADC whose vtysh lacks prefix lists or maximum-prefix answers each line with an error, and keeps nothing of it", async () => {
        for (const options of [{ prefixListSupport: false }, { maximumPrefixSupport: false }]) {
            const c = await device([], options);
            const { view } = await read(c);
            const plan = planPrefixFilter(view, ASN, PODS, NO_FILTER_OWNED, MINE, false);
            assert.ok(plan.ok);
            const errors = await send(c, renderFilterChanges(plan.changes));
            assert.ok(errors.length > 0 && errors.every((e) => e.endsWith("% Invalid input detected at '^' marker.")), errors.join("\n"));
            const after = await read(c);
            if (options.prefixListSupport === false) assert.doesNotMatch(after.text, /prefix-list/);
            else assert.doesNotMatch(after.text, /maximum-prefix/);
        }
    });

    it("a neighbor the neighbor plan has not created yet is a conflict, not a dangling line", async () => {
        const c = await device();
        const { view } = await read(c);
        const plan = planPrefixFilter(view, ASN, { ...PODS, neighbors: ["10.102.33.209" as IpAddress] }, NO_FILTER_OWNED, MINE, false);
        assert.deepEqual(!plan.ok && plan.conflicts, [{ kind: "no-neighbor", address: "10.102.33.209" }]);
    });

    it("any sequence of wanted lists converges on the simulator in one plan", async () => {
        const arbEntry = fc.record({
            seq: fc.constantFrom(5, 10, 15, 20),
            action: fc.constantFrom("permit" as const, "deny" as const),
            prefix: fc.constantFrom("192.168.0.0/16", "10.96.0.0/12", "0.0.0.0/0", "198.51.100.0/24"),
            ge: fc.option(fc.constantFrom(26, 28), { nil: null }),
            le: fc.option(fc.constantFrom(30, 32), { nil: null }),
        });
        const arbList = fc
            .uniqueArray(arbEntry, { selector: (e) => e.seq, minLength: 1, maxLength: 4 })
            // One rule per number and per content, ge <= le: what a list can hold.
            .map((es) => es.filter((e, i) => (e.ge === null || e.le === null || e.ge <= e.le) && es.findIndex((o) => o.action === e.action && o.prefix === e.prefix && o.ge === e.ge && o.le === e.le) === i))
            .filter((es) => es.length > 0);
        await fc.assert(
            fc.asyncProperty(fc.array(fc.tuple(arbList, fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }), fc.boolean()), { minLength: 1, maxLength: 3 }), async (steps) => {
                const c = await device();
                let owned: PrefixFilterOwnership = NO_FILTER_OWNED;
                for (const [entries, limit, warningOnly] of steps) {
                    const intent: PrefixFilterIntent = { list: { name: "pca-dev-adc-in", entries }, maximumPrefix: limit === null ? null : { limit, warningOnly }, neighbors: NODES };
                    const now = await read(c);
                    const plan = planPrefixFilter(now.view, ASN, intent, owned, MINE, false);
                    assert.ok(plan.ok, JSON.stringify(!plan.ok && plan.conflicts));
                    assert.deepEqual(await send(c, renderFilterChanges(plan.changes)), []);
                    owned = plan.owned;
                    const after = await read(c);
                    const again = planPrefixFilter(after.view, ASN, intent, owned, MINE, false);
                    assert.deepEqual(again.ok && again.changes, [], after.text);
                }
            }),
            { numRuns: 40 },
        );
    });
});
