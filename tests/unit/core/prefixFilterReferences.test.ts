/**
 * An owned prefix list is removed only when nothing but the resource's own neighbors names it:
 * a route-map's match, a neighbor inside an address family, or a route-map the BGP process
 * applies would otherwise change behaviour silently when the list goes.
 */
import { strict as assert } from "assert";
import { describeConflict } from "../../../provider/adc/conflicts";
import { filterDrift, filterView, planPrefixFilter, planPrefixFilterRemoval } from "../../../provider/core/prefixFilter";
import type { Asn, IpAddress } from "../../../provider/core/values";

const ASN = 500 as Asn;
const NODES = ["10.102.33.201", "10.102.33.202"] as IpAddress[];
const OWNED = { lists: new Set(["pca-dev-adc-in"]), limits: new Set<IpAddress>() };
const config = (extra: string[], routerExtra: string[] = []) =>
    [
        "!",
        "ip prefix-list pca-dev-adc-in seq 5 permit 192.168.0.0/16 ge 26",
        "!",
        "router bgp 500",
        ...NODES.flatMap((n) => [` neighbor ${n} remote-as 64512`, ` neighbor ${n} prefix-list pca-dev-adc-in in`]),
        ...routerExtra,
        "!",
        ...extra,
        "!",
        "end",
    ].join("\n");

describe("core: an owned prefix list that lines the resource does not own still name", () => {
    const cases: [string, string, string][] = [
        ["a route-map's match", config(["route-map FOREIGN permit 10", " match ip address prefix-list pca-dev-adc-in"]), "match ip address prefix-list pca-dev-adc-in"],
        [
            "a neighbor in an address family",
            config([], [" address-family ipv4 vrf blue", "  neighbor 10.9.9.9 remote-as 65001", "  neighbor 10.9.9.9 prefix-list pca-dev-adc-in in", " exit-address-family"]),
            "neighbor 10.9.9.9 prefix-list pca-dev-adc-in in",
        ],
        // Quagga and ZebOS let a filter that names a missing list through: these would filter nothing.
        [
            "another neighbor's outbound filter",
            config([], [" neighbor 10.9.9.9 remote-as 65000", " neighbor 10.9.9.9 description other-cluster", " neighbor 10.9.9.9 prefix-list pca-dev-adc-in out"]),
            "neighbor 10.9.9.9 prefix-list pca-dev-adc-in out",
        ],
        [
            "a peer group's inbound filter",
            config([], [" neighbor SPINES peer-group", " neighbor SPINES remote-as 65000", " neighbor SPINES prefix-list pca-dev-adc-in in", " neighbor 10.9.9.9 peer-group SPINES"]),
            "neighbor SPINES prefix-list pca-dev-adc-in in",
        ],
        [
            "an outbound filter added by hand on one of the resource's neighbors",
            config([], [` neighbor ${NODES[0]} prefix-list pca-dev-adc-in out`]),
            `neighbor ${NODES[0]} prefix-list pca-dev-adc-in out`,
        ],
        // ZebOS runs RIP and OSPF beside BGP; their filters name a list without the word prefix-list.
        ["RIP's distribute-list", config(["router rip", " network 10.0.0.0/8", " distribute-list prefix pca-dev-adc-in in"]), "distribute-list prefix pca-dev-adc-in in"],
        ["OSPF's area filter-list", config(["router ospf", " network 10.0.0.0/8 area 0.0.0.0", " area 0.0.0.0 filter-list prefix pca-dev-adc-in in"]), "area 0.0.0.0 filter-list prefix pca-dev-adc-in in"],
    ];
    for (const [what, text, quoted] of cases) {
        it(`is neither removed with the resource nor on opting out (${what}): refuses, quoting the line`, () => {
            const view = filterView(text);
            const removal = planPrefixFilterRemoval(view, ASN, OWNED, new Set(NODES));
            const optOut = planPrefixFilter(view, ASN, { list: null, maximumPrefix: null, neighbors: NODES }, OWNED, { owned: new Set(NODES), created: new Set() }, false);
            for (const p of [removal, optOut]) {
                assert.ok(!p.ok, JSON.stringify(p.ok && p.changes));
                const c = p.conflicts.find((x) => x.kind === "list-referenced-elsewhere");
                assert.ok(c, JSON.stringify(p.conflicts));
                assert.match(describeConflict(c).message, new RegExp(`line \\d+: ${quoted}`));
            }
        });
    }

    it("keeping the list is no conflict, and removal goes ahead once only the resource's neighbors name it", () => {
        const text = config(["route-map FOREIGN permit 10", " match ip address prefix-list pca-dev-adc-in"]);
        const kept = planPrefixFilter(filterView(text), ASN, { list: { name: "pca-dev-adc-in", entries: [{ seq: 5, action: "permit", prefix: "192.168.0.0/16", ge: 26, le: null }] }, maximumPrefix: null, neighbors: NODES }, OWNED, { owned: new Set(NODES), created: new Set() }, false);
        assert.deepEqual(kept.ok && kept.changes, []);
        const removal = planPrefixFilterRemoval(filterView(config([])), ASN, OWNED, new Set(NODES));
        assert.deepEqual(removal.ok && removal.changes, [{ op: "remove-prefix-list", family: "ipv4", name: "pca-dev-adc-in" }]);
    });
});

describe("core: an owned prefix list holding a line the parser does not read as an entry", () => {
    // FRR and Quagga print `permit 0.0.0.0/0 le 32` as `permit any`: a filter that admits every route.
    const text = config([]).replace("!\nrouter bgp", "ip prefix-list pca-dev-adc-in seq 100 permit any\n!\nrouter bgp");
    const intent = { list: { name: "pca-dev-adc-in", entries: [{ seq: 5, action: "permit" as const, prefix: "192.168.0.0/16", ge: 26, le: null }] }, maximumPrefix: null, neighbors: NODES };
    const mine = { owned: new Set(NODES), created: new Set<IpAddress>() };

    it("is not planned over as if the entry were absent: up, opt-out and removal refuse, quoting the line", () => {
        const view = filterView(text);
        for (const p of [planPrefixFilter(view, ASN, intent, OWNED, mine, false), planPrefixFilter(view, ASN, intent, { lists: new Set(), limits: new Set() }, mine, true), planPrefixFilterRemoval(view, ASN, OWNED, new Set(NODES))]) {
            assert.ok(!p.ok, JSON.stringify(p.ok && p.changes));
            assert.match(describeConflict(p.conflicts[0]!).message, /line \d+: ip prefix-list pca-dev-adc-in seq 100 permit any/);
        }
    });

    it("shows as drift on refresh", () => {
        assert.deepEqual(filterDrift(intent, filterView(text), ASN), ['"ip prefix-list pca-dev-adc-in seq 100 permit any" is on the device and is not an entry this package reads']);
    });

    it("such a line in a list the resource neither owns nor wants blocks nothing", () => {
        const foreign = text.replace("pca-dev-adc-in seq 100 permit any", "OTHER seq 100 permit any");
        assert.deepEqual(planPrefixFilter(filterView(foreign), ASN, intent, OWNED, mine, false).ok, true);
    });
});
