import { strict as assert } from "assert";
import * as fc from "fast-check";
import { parseConfigTree } from "../../../provider/core/configTree";
import { bgpRouter, parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { NOTHING_OWNED, planNeighbors, planNeighborsRemoval, planRouterRemoval } from "../../../provider/core/plan";
import type { Neighbor } from "../../../provider/core/model";
import type { Asn, IpAddress } from "../../../provider/core/values";

const ip = (s: string) => s as IpAddress;
const asn = (n: number) => n as Asn;
const neighbor = (address: string, remoteAsn: number, extra: Partial<Neighbor> = {}): Neighbor => ({
    address: ip(address),
    remoteAsn: asn(remoteAsn),
    description: null,
    password: null,
    updateSource: null,
    ebgpMultihop: null,
    ...extra,
});
/** A whole `show running-config` answer: the device closes it with `end`. */
const text = (...lines: string[]) => [...lines, "end"].join("\n");

describe("parseConfigTree", () => {
    it("keys each line by its parents and keeps unknown lines in place", () => {
        const tree = parseConfigTree(text("router bgp 500", " bgp log-neighbor-changes", " neighbor 10.0.0.1 remote-as 64512", " !", " address-family ipv6", "  neighbor 2001:db8::1 activate", " exit-address-family", "!", "end"));
        assert.equal(tree.blocks.length, 1);
        const [router] = tree.blocks;
        assert.deepEqual(router!.children.map((c) => [c.kind, c.text]), [
            ["line", "bgp log-neighbor-changes"],
            ["line", "neighbor 10.0.0.1 remote-as 64512"],
            ["separator", "!"],
            ["line", "address-family ipv6"],
        ]);
        const af = router!.children[3]!;
        assert.deepEqual(af.children.map((c) => c.text), ["neighbor 2001:db8::1 activate", "exit-address-family"]);
        assert.deepEqual(af.children[0]!.parents, ["router bgp 500", "address-family ipv6"]);
        assert.deepEqual(router!.uncertain, []);
    });

    it("runs an address-family section to exit-address-family even when its lines are as shallow as its head (F5 ZebOS)", () => {
        const tree = parseConfigTree(text("router bgp 65530", " neighbor 10.0.0.68 remote-as 65515", " !", " address-family ipv6", " neighbor Neighbor activate", " no neighbor 10.0.0.68 activate", " exit-address-family", "!"));
        const af = tree.blocks[0]!.children.find((c) => c.text === "address-family ipv6")!;
        assert.deepEqual(af.children.map((c) => c.text), ["neighbor Neighbor activate", "no neighbor 10.0.0.68 activate", "exit-address-family"]);
        assert.deepEqual(tree.blocks[0]!.uncertain, []);
    });

    it("marks a shallow section that ends without its closing line as uncertain", () => {
        const tree = parseConfigTree(text("router bgp 1", " address-family ipv6", " neighbor 10.0.0.2 remote-as 2", "!"));
        assert.equal(tree.blocks[0]!.uncertain.length, 1);
        assert.match(tree.blocks[0]!.uncertain[0]!.reason, /exit-address-family/);
    });

    it("ends a block at FRR's column-0 exit, and a nested section at an indented exit", () => {
        const tree = parseConfigTree(text("router bgp 65001", " segment-routing srv6", "  locator loc1", " exit", " neighbor 10.0.0.2 remote-as 65002", "exit", "!", "line vty", "!"));
        assert.deepEqual(tree.blocks.map((b) => b.text), ["router bgp 65001", "line vty"]);
        assert.deepEqual(tree.blocks[0]!.children.map((c) => c.text), ["segment-routing srv6", "neighbor 10.0.0.2 remote-as 65002"]);
        assert.deepEqual(tree.blocks[0]!.uncertain, []);
    });

    it("keeps a column-0 line inside a block (terminal wrapping) in the block, and marks it uncertain", () => {
        const tree = parseConfigTree(text("router bgp 500", " neighbor 10.0.0.1 description uplink to the core switches in building seven, rack", "twelve", " neighbor 10.0.0.2 remote-as 64512", "!"));
        assert.equal(tree.blocks.length, 1);
        assert.equal(tree.blocks[0]!.children.length, 3);
        assert.deepEqual(tree.blocks[0]!.uncertain[0]!.lines.map((l) => l.lineNo), [2, 3]);
    });

    it("accepts a new block printed without '!' when its head is a known block head, and doubts where the block before ends", () => {
        const tree = parseConfigTree(text("interface eth0", " ip address 10.0.0.1/24", "router bgp 1", " neighbor 10.0.0.2 remote-as 2"));
        assert.deepEqual(tree.blocks.map((b) => [b.text, b.uncertain.length]), [["interface eth0", 1], ["router bgp 1", 0]]);
    });

    it("marks a pager remnant and an indented line after '!' as uncertain", () => {
        const remnant = parseConfigTree(text("router bgp 500", " neighbor 10.0.0.1 remote-as 1", "--More-- ", " neighbor 10.0.0.2 remote-as 1", "!"));
        assert.equal(remnant.blocks[0]!.uncertain.length, 1);
        const orphan = parseConfigTree(text("router bgp 500", " neighbor 10.0.0.1 remote-as 1", "!", " neighbor 10.0.0.2 remote-as 1", "!"));
        assert.equal(orphan.blocks[0]!.uncertain.length, 1);
    });
});

describe("parseRunningConfig on real layouts", () => {
    it("sees a foreign neighbor after an inner ' !' and an address-family section (issue layout)", () => {
        const config = parseRunningConfig(text("router bgp 500", " neighbor 10.0.0.1 remote-as 64512", " !", " address-family ipv6", " neighbor 2001:db8::1 activate", " exit-address-family", " neighbor 10.33.0.1 remote-as 64999", "!"));
        const r = bgpRouter(config)!;
        assert.deepEqual([...r.neighbors.keys()], ["10.0.0.1", "10.33.0.1"]);
        assert.deepEqual(r.mentions.get(ip("2001:db8::1")), ["neighbor 2001:db8::1 activate"]);
        const plan = planNeighbors(config, asn(500), [neighbor("10.33.0.1", 64512)], new Set(), false);
        assert.equal(plan.ok, false);
        const removal = planRouterRemoval(config, asn(500), { ...NOTHING_OWNED, router: true });
        assert.ok(removal.ok);
        assert.deepEqual(removal.changes, []);
        assert.match(removal.keptRouterBecause ?? "", /10\.33\.0\.1/);
    });

    it("resolves peer groups: members are neighbors with the group's remote AS, and the planner will not take them", () => {
        const config = parseRunningConfig(text("router bgp 11111", " neighbor spines peer-group", " neighbor spines remote-as 22222", " neighbor 10.10.106.36 peer-group spines", " neighbor 10.10.106.37 remote-as 33333", " neighbor 10.10.106.37 peer-group leafs", "!"));
        const r = bgpRouter(config)!;
        assert.equal(r.neighbors.get(ip("10.10.106.36"))!.remoteAsn, 22222);
        assert.equal(r.neighbors.get(ip("10.10.106.36"))!.peerGroup, "spines");
        assert.equal(r.neighbors.get(ip("10.10.106.37"))!.remoteAsn, 33333);
        assert.equal(r.peerGroups.get("spines")!.remoteAsn, 22222);
        const plan = planNeighbors(config, asn(11111), [neighbor("10.10.106.36", 22222)], new Set(), true);
        assert.deepEqual(plan.ok ? [] : plan.conflicts.map((c) => c.kind), ["peer-group-member"]);
    });

    it("reads remote-as external / internal and asdot AS numbers", () => {
        const r = bgpRouter(parseRunningConfig(text("router bgp 65000.10", " neighbor 10.0.0.1 remote-as external", " neighbor 10.0.0.2 remote-as internal", " neighbor 10.0.0.3 remote-as 65001.5", "!")))!;
        assert.equal(r.asn, 65000 * 65536 + 10);
        assert.deepEqual([...r.neighbors.values()].map((n) => n.remoteAsn), ["external", "internal", 65001 * 65536 + 5]);
    });

    it("takes the instance without vrf as the main one, wherever it is printed", () => {
        const config = parseRunningConfig(text("router bgp 65000 vrf BLUE", " neighbor 10.1.1.1 remote-as 1", "!", "router bgp 65000", " neighbor 10.2.2.2 remote-as 2", "!"));
        assert.deepEqual([...bgpRouter(config)!.neighbors.keys()], ["10.2.2.2"]);
        const plan = planNeighbors(config, asn(65000), [neighbor("10.1.1.1", 1)], new Set(), true);
        assert.deepEqual(plan.ok ? [] : plan.conflicts.map((c) => c.kind), ["neighbor-elsewhere"]);
    });

    it("refuses to add, claim or remove anything in a block whose layout leaves doubt, quoting the lines", () => {
        const config = parseRunningConfig(text("router bgp 500", " neighbor 10.0.0.1 description a long description the terminal wrapped at eighty colu", "mns", " neighbor 10.0.0.1 remote-as 64512", "!"));
        const add = planNeighbors(config, asn(500), [neighbor("10.0.0.9", 64512)], new Set(), false);
        assert.ok(!add.ok && add.conflicts[0]!.kind === "uncertain");
        const regions = !add.ok && add.conflicts[0]!.kind === "uncertain" ? add.conflicts[0]!.regions : [];
        assert.deepEqual(regions[0]!.lines.map((l) => l.text), ["neighbor 10.0.0.1 description a long description the terminal wrapped at eighty colu", "mns"]);
        assert.equal(planNeighborsRemoval(config, asn(500), new Set([ip("10.0.0.1")])).ok, false);
        assert.equal(planRouterRemoval(config, asn(500), { ...NOTHING_OWNED, router: true }).ok, false);
    });

    it("refuses when which block is the main instance is not certain", () => {
        const config = parseRunningConfig(text("router bgp 1 view A", "!", "router bgp 500 unknown-word", " neighbor 10.0.0.1 remote-as 1", "!"));
        assert.equal(bgpRouter(config), undefined);
        assert.equal(planNeighbors(config, asn(500), [], new Set(), false).ok, false);
    });

    it("reads a 20,000-neighbor configuration and lines of 100,000 characters", () => {
        const many = ["router bgp 500", ...Array.from({ length: 20000 }, (_, i) => ` neighbor 10.${(i >> 8) & 255}.${i & 255}.1 remote-as 64512`), "!"];
        assert.equal(bgpRouter(parseRunningConfig(many.join("\n")))!.neighbors.size, 20000);
        const blanks = parseRunningConfig(text("router bgp 500", `${" ".repeat(60000)}x`, " neighbor 10.0.0.1 remote-as 1" + " ".repeat(100000), "!"));
        assert.deepEqual([...bgpRouter(blanks)!.neighbors.keys()], ["10.0.0.1"]);
        const long = parseRunningConfig(text("router bgp 500", ` neighbor 10.0.0.1 description ${"y".repeat(100000)}`, "!"));
        assert.equal(bgpRouter(long)!.neighbors.get(ip("10.0.0.1"))!.description!.length, 100000);
    });
});

/*
 * Layouts where the block a line belongs to is not what its indentation first suggests: a
 * neighbor line with deeper lines under it (IOS-XR's `neighbor X` blocks, mixed tabs and
 * spaces), a body printed without indentation, the rest of a wrapped line that starts with a
 * known block head, and `--More--` inside a description. In each, a neighbor of another cluster
 * must never be added over, claimed or removed, and the router block never deleted around it.
 */
/** What the planner would do about `address` (not owned) and about deleting a router this stack created. */
function verdict(config: string, address: string): { add: string; routerRemoval: string } {
    const parsed = parseRunningConfig(config);
    const add = planNeighbors(parsed, asn(500), [neighbor(address, 64512)], new Set(), false);
    const removal = planRouterRemoval(parsed, asn(500), { ...NOTHING_OWNED, router: true });
    return {
        add: add.ok ? add.changes.map((c) => c.op).join(",") || "nothing" : add.conflicts.map((c) => c.kind).join(","),
        routerRemoval: removal.ok ? removal.changes.map((c) => c.op).join(",") || "nothing" : removal.conflicts.map((c) => c.kind).join(","),
    };
}

describe("layouts that hide a neighbor from the router level", () => {
    it("refuses a neighbor whose line has deeper lines under it (IOS-XR block, a deeper '!', tab after space)", () => {
        const layouts = [
            text("router bgp 500", " neighbor 10.9.9.9", "  remote-as 65000", "!"),
            text("router bgp 500", " neighbor 10.9.9.9 remote-as 65000", "  !", " neighbor 10.0.0.2 remote-as 1", "!"),
            text("router bgp 500", " neighbor 10.9.9.9 remote-as 65000", "\t neighbor 10.0.0.5 remote-as 5", "!"),
        ];
        for (const layout of layouts) assert.deepEqual(verdict(layout, "10.9.9.9"), { add: "uncertain", routerRemoval: "uncertain" }, layout);
    });

    it("refuses a router body printed without indentation instead of deleting the router around it", () => {
        const layout = text("router bgp 500", "neighbor 10.9.9.9 remote-as 65000", "!");
        assert.deepEqual(verdict(layout, "10.9.9.9"), { add: "uncertain", routerRemoval: "uncertain" });
    });

    it("refuses when the rest of a wrapped line starts with a block head and the block's lines go on after it", () => {
        for (const rest of ["router", "line to dc2", "interface vlan10"]) {
            const layout = text("router bgp 500", " neighbor 10.0.0.1 description uplink towards the core", rest, " neighbor 10.9.9.9 remote-as 65000", "!");
            assert.deepEqual(verdict(layout, "10.9.9.9"), { add: "uncertain", routerRemoval: "uncertain" }, rest);
        }
    });

    it("takes only a whole 'end' line as the end: 'end of rack 4' at column 0 is a wrapped line's rest", () => {
        const layout = text("router bgp 500", " neighbor 10.0.0.1 description uplink, the", "end of rack 4", "router", " neighbor 10.9.9.9 remote-as 65000", "!");
        assert.equal(verdict(layout, "10.9.9.9").add, "uncertain");
    });

    it("lets a description the stack set hold '--More--': only a line that starts with it is a pager remnant", () => {
        const config = parseRunningConfig(text("router bgp 500", " neighbor 10.0.0.1 remote-as 64512", " neighbor 10.0.0.1 description see --More-- in the runbook", "!"));
        assert.equal(bgpRouter(config)!.neighbors.get(ip("10.0.0.1"))!.description, "see --More-- in the runbook");
        const wanted = [neighbor("10.0.0.1", 64512, { description: "see --More-- in the runbook" })];
        const again = planNeighbors(config, asn(500), wanted, new Set([ip("10.0.0.1")]), false);
        assert.deepEqual(again.ok ? again.changes : again.conflicts, []);
        const removal = planNeighborsRemoval(config, asn(500), new Set([ip("10.0.0.1")]));
        assert.deepEqual(removal.ok ? removal.changes.map((c) => c.op) : removal.conflicts, ["remove-neighbor"]);
        const remnant = parseRunningConfig(text("router bgp 500", " neighbor 10.0.0.1 remote-as 64512", " --More-- ", " neighbor 10.0.0.2 remote-as 1", "!"));
        assert.equal(planNeighbors(remnant, asn(500), [], new Set(), false).ok, false);
    });

    it("property: no line at column 0, deeper line or separator placed among foreign neighbors lets the planner add over one or delete the router", () => {
        const indent = fc.constantFrom("", " ", "  ", "\t", " \t", "   ");
        const word = fc.constantFrom("router", "line", "interface", "ip", "bgp", "no", "end", "exit", "neighbor", "address-family", "exit-address-family", "!", "foo", "route-map", "--More--", "vrf", "log", "remote-as");
        // A terminator (`!`, a `!` comment, `end`, `exit`) really ends the block, and so does a one-line setting standing alone
        // at column 0 (IOS-style configs printed without "!"): what follows is not the router's.
        const junk = fc
            .tuple(indent, fc.array(word, { minLength: 1, maxLength: 3 }))
            .map(([i, w]) => i + w.join(" "))
            .filter((j) => !j.startsWith("!") && !["end", "exit"].includes(j) && !/^(ip|bgp|no|log)(\s|$)/.test(j));
        const layout = fc.record({ count: fc.integer({ min: 1, max: 4 }), junk: fc.array(fc.tuple(fc.nat(10), junk), { maxLength: 4 }), tail: fc.constantFrom("!", "end", "", "exit") });
        fc.assert(
            fc.property(layout, ({ count, junk: inserted, tail }) => {
                const lines = ["router bgp 500"];
                const foreign = Array.from({ length: count }, (_, i) => `10.9.0.${i + 1}`);
                for (const a of foreign) lines.push(` neighbor ${a} remote-as 65000`);
                // After the first neighbor: an empty block followed by a head is a real new block.
                for (const [at, line] of inserted) lines.splice(2 + (at % (lines.length - 1)), 0, line);
                if (tail) lines.push(tail);
                const config = lines.join("\n");
                for (const a of foreign) assert.notEqual(verdict(config, a).add.split(",").includes("add-neighbor"), true, `${a} in ${JSON.stringify(config)}`);
                assert.ok(!verdict(config, foreign[0]!).routerRemoval.includes("remove-router"), JSON.stringify(config));
            }),
            { numRuns: 3000 },
        );
    });
});

describe("configTree: a wrapped line whose rest is exactly `end`", () => {
    it("is a doubt in the block it cuts, not the end of the block, when output follows", () => {
        const text = ["!", "router bgp 500", " neighbor 10.0.0.1 remote-as 64512", " neighbor 10.0.0.1 description rack 4 back", "end", "ip prefix-list X seq 5 permit 10.0.0.0/8", "!", "end"].join("\n");
        const router = parseConfigTree(text).blocks.find((b) => b.text === "router bgp 500")!;
        assert.deepEqual(router.uncertain.map((r) => r.lines.map((l) => l.text)), [["neighbor 10.0.0.1 description rack 4 back", "end"]]);
        // The closing `end` after `!`, and one that closes a block as the last line, stay plain.
        for (const whole of [text.replace("back\nend\n", "back\n!\n"), ["router bgp 500", " neighbor 10.0.0.1 remote-as 64512", "end"].join("\n")]) {
            assert.deepEqual(parseConfigTree(whole).blocks.flatMap((b) => b.uncertain), []);
        }
    });
});
