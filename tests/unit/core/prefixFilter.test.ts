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
import {
    applyFilterChanges,
    neighborFilter,
    parsePrefixListLine,
    parsePrefixLists,
    planPrefixFilter,
    planPrefixFilterRemoval,
    renderFilterChanges,
    type PrefixFilterIntent,
    type PrefixListEntry,
} from "../../../provider/core/prefixFilter";
import type { Asn, IpAddress } from "../../../provider/core/values";
import { TestConsole } from "../simulator/console";

const ASN = 500 as Asn;
const NODES = ["10.102.33.201", "10.102.33.202"] as IpAddress[];
const entry = (seq: number, prefix: string, ge: number | null = null, le: number | null = null, action: "permit" | "deny" = "permit"): PrefixListEntry => ({ seq, action, prefix, ge, le });
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
    return { text, config: parseRunningConfig(text), lists: parsePrefixLists(text) };
}

describe("core: the ADC's inbound prefix filter", () => {
    it("parses prefix-list lines as NetScaler and Quagga print them, in normal form", () => {
        // From a NetScaler user's configuration (citrix/terraform-provider-citrixadc#1179).
        assert.deepEqual(parsePrefixListLine("ip prefix-list PL_DENY_DEFAULT_ROUTE seq 5 deny 0.0.0.0/0"), { name: "PL_DENY_DEFAULT_ROUTE", entry: entry(5, "0.0.0.0/0", null, null, "deny") });
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
        const plan = planPrefixFilter(before.config, before.lists, ASN, PODS, { lists: new Set() }, false);
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
        const again = planPrefixFilter(after.config, after.lists, ASN, PODS, plan.owned, false);
        assert.deepEqual(again.ok && again.changes, []);
    });

    it("refuses a list of the same name it did not create, unless adopting", async () => {
        const c = await device();
        await send(c, [{ context: "global", text: "ip prefix-list pca-dev-adc-in seq 5 permit 0.0.0.0/0 le 32" }]);
        const { config, lists } = await read(c);
        const plan = planPrefixFilter(config, lists, ASN, PODS, { lists: new Set() }, false);
        assert.deepEqual(!plan.ok && plan.conflicts, [{ kind: "foreign-prefix-list", name: "pca-dev-adc-in", entries: [entry(5, "0.0.0.0/0", null, 32)] }]);
        const adopted = planPrefixFilter(config, lists, ASN, PODS, { lists: new Set() }, true);
        assert.ok(adopted.ok);
        assert.equal(renderFilterChanges(adopted.changes)[0]!.text, "no ip prefix-list pca-dev-adc-in seq 5 permit 0.0.0.0/0 le 32", "the foreign entry goes first");
    });

    it("changes only the entries that differ, and leaves other lists and neighbors alone", async () => {
        const c = await device([" neighbor 10.102.33.250 remote-as 65000", " neighbor 10.102.33.250 prefix-list OTHER in"]);
        await send(c, [{ context: "global", text: "ip prefix-list OTHER seq 5 permit 172.16.0.0/12" }]);
        const first = await read(c);
        const p1 = planPrefixFilter(first.config, first.lists, ASN, PODS, { lists: new Set() }, false);
        assert.ok(p1.ok);
        await send(c, renderFilterChanges(p1.changes));
        const mid = await read(c);
        const grown: PrefixFilterIntent = { ...PODS, list: { ...PODS.list, entries: [entry(5, "192.168.0.0/16", 26, 32), entry(10, "198.51.100.0/24", null, 32)] } };
        const p2 = planPrefixFilter(mid.config, mid.lists, ASN, grown, p1.owned, false);
        assert.ok(p2.ok);
        assert.deepEqual(renderFilterChanges(p2.changes).map((l) => l.text), ["no ip prefix-list pca-dev-adc-in seq 10 permit 10.96.0.0/12 le 32", "ip prefix-list pca-dev-adc-in seq 10 permit 198.51.100.0/24 le 32"]);
        await send(c, renderFilterChanges(p2.changes));
        const end = await read(c);
        assert.deepEqual(end.lists.get("OTHER"), [entry(5, "172.16.0.0/12")]);
        assert.equal(neighborFilter(end.config.routers[0]!.neighbors.get("10.102.33.250" as IpAddress)!).prefixListIn, "OTHER");
    });

    it("removal takes the owned list off the neighbors that still name it, then the list; foreign lists stay", async () => {
        const c = await device();
        const start = await read(c);
        const p = planPrefixFilter(start.config, start.lists, ASN, PODS, { lists: new Set() }, false);
        assert.ok(p.ok);
        await send(c, [...renderFilterChanges(p.changes), { context: "global", text: "ip prefix-list KEEP seq 5 permit 10.0.0.0/8" }]);
        const full = await read(c);
        const removal = planPrefixFilterRemoval(full.config, full.lists, ASN, p.owned, [NODES[0]!]);
        assert.deepEqual(renderFilterChanges(removal).map((l) => l.text), [
            "no neighbor 10.102.33.201 maximum-prefix",
            "no neighbor 10.102.33.201 prefix-list pca-dev-adc-in in",
            "no neighbor 10.102.33.202 prefix-list pca-dev-adc-in in",
            "no ip prefix-list pca-dev-adc-in",
        ]);
        assert.deepEqual(await send(c, renderFilterChanges(removal)), []);
        const gone = await read(c);
        assert.deepEqual([...gone.lists.keys()], ["KEEP"]);
        assert.doesNotMatch(gone.text, /pca-dev-adc-in/);
    });

    it("an ADC whose vtysh lacks prefix lists or maximum-prefix answers each line with an error, and keeps nothing of it", async () => {
        for (const options of [{ prefixListSupport: false }, { maximumPrefixSupport: false }]) {
            const c = await device([], options);
            const { config, lists } = await read(c);
            const plan = planPrefixFilter(config, lists, ASN, PODS, { lists: new Set() }, false);
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
        const { config, lists } = await read(c);
        const plan = planPrefixFilter(config, lists, ASN, { ...PODS, neighbors: ["10.102.33.209" as IpAddress] }, { lists: new Set() }, false);
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
                let owned = { lists: new Set<string>() } as { lists: ReadonlySet<string> };
                for (const [entries, limit, warningOnly] of steps) {
                    const intent: PrefixFilterIntent = { list: { name: "pca-dev-adc-in", entries }, maximumPrefix: limit === null ? null : { limit, warningOnly }, neighbors: NODES };
                    const now = await read(c);
                    const plan = planPrefixFilter(now.config, now.lists, ASN, intent, owned, false);
                    assert.ok(plan.ok, JSON.stringify(!plan.ok && plan.conflicts));
                    assert.deepEqual(await send(c, renderFilterChanges(plan.changes)), []);
                    owned = plan.owned;
                    const after = await read(c);
                    const again = planPrefixFilter(after.config, after.lists, ASN, intent, owned, false);
                    assert.deepEqual(again.ok && again.changes, [], after.text);
                }
            }),
            { numRuns: 40 },
        );
    });
});
