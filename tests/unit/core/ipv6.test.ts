/**
 * IPv6 neighbors in the core: activated in the IPv6 unicast section, deactivated before they go,
 * the section's other lines never touched, and the IPv6 route install owned like the IPv4 one.
 */
import { strict as assert } from "assert";
import type { Neighbor } from "../../../provider/core/model";
import { bgpRouter, parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { NOTHING_OWNED, planNeighbors, planNeighborsRemoval, planRouter, planRouterRemoval, type RouterIntent } from "../../../provider/core/plan";
import { renderChanges } from "../../../provider/core/render";
import type { Asn, IpAddress } from "../../../provider/core/values";

const ASN = 500 as Asn;
const v6 = (address: string): Neighbor => ({ address: address as IpAddress, remoteAsn: 64512 as Asn, description: null, password: null, updateSource: null, ebgpMultihop: null });

/** ZebOS on F5 BIG-IP prints the section after an inner ` !`, its lines as deep as its head. */
const F5_LAYOUT = (section: string[]) =>
    ["!", "router bgp 500", " neighbor 10.0.0.1 remote-as 64512", " neighbor fd00::11 remote-as 64512", " neighbor fd00::99 remote-as 65000", " !", " address-family ipv6", ...section.map((l) => ` ${l}`), " exit-address-family", "!", "end"].join("\n");

const lines = (changes: Parameters<typeof renderChanges>[0]) => renderChanges(changes).map((l) => ({ context: l.context, text: l.text }));
const router = { routerBgp: 500 };
const af = { routerBgp: 500, addressFamily: "ipv6" };

describe("IPv6 neighbors in the core", () => {
    it("adds an IPv6 neighbor at router level, then activates it in address-family ipv6; an IPv4 one is not activated there", () => {
        const plan = planNeighbors(parseRunningConfig("router bgp 500\n!\nend"), ASN, [v6("fd00::11"), { ...v6("10.0.0.1") }], new Set(), false);
        assert.ok(plan.ok);
        assert.deepEqual(lines(plan.changes), [
            { context: router, text: "neighbor fd00::11 remote-as 64512" },
            { context: router, text: "neighbor 10.0.0.1 remote-as 64512" },
            { context: af, text: "neighbor fd00::11 activate" },
        ]);
    });

    it("reads activation from both spellings of the section, and a missing activate is planned again", () => {
        for (const head of ["address-family ipv6", "address-family ipv6 unicast"]) {
            const text = F5_LAYOUT(["neighbor fd00::99 activate"]).replace("address-family ipv6", head);
            const r = bgpRouter(parseRunningConfig(text))!;
            assert.deepEqual([...r.ipv6.active], ["fd00::99"], head);
            const plan = planNeighbors(parseRunningConfig(text), ASN, [v6("fd00::11")], new Set(["fd00::11" as IpAddress]), false);
            assert.ok(plan.ok);
            assert.deepEqual(lines(plan.changes), [{ context: af, text: "neighbor fd00::11 activate" }], head);
        }
    });

    it("removes an owned IPv6 neighbor by deactivating it first, and leaves the section's foreign lines alone", () => {
        const text = F5_LAYOUT(["neighbor fd00::99 activate", "neighbor fd00::11 activate", "neighbor fd00::99 route-map IN in"]);
        const config = parseRunningConfig(text);
        assert.deepEqual(bgpRouter(config)!.ipv6.otherLines, ["neighbor fd00::99 route-map IN in"]);
        const removal = planNeighborsRemoval(config, ASN, new Set(["fd00::11" as IpAddress]));
        assert.ok(removal.ok);
        assert.deepEqual(lines(removal.changes), [
            { context: af, text: "no neighbor fd00::11 activate" },
            { context: router, text: "no neighbor fd00::11" },
        ]);
        // Dropping one of two: same order, nothing for the one that stays.
        const update = planNeighbors(config, ASN, [], new Set(["fd00::11" as IpAddress]), false);
        assert.ok(update.ok);
        assert.deepEqual(lines(update.changes), lines(removal.changes));
    });

    it("refuses an address activated in another IPv6 section (multicast, a vrf): it is not this section's", () => {
        const text = ["router bgp 500", " address-family ipv6 multicast", " neighbor fd00::33 activate", " exit-address-family", "!", "end"].join("\n");
        const plan = planNeighbors(parseRunningConfig(text), ASN, [v6("fd00::33")], new Set(), true);
        assert.ok(!plan.ok);
        assert.deepEqual(plan.conflicts.map((c) => c.kind), ["neighbor-elsewhere"]);
    });

    it("refuses a section whose end the layout does not show (no exit-address-family, lines as deep as its head)", () => {
        const text = ["router bgp 500", " neighbor fd00::11 remote-as 64512", " !", " address-family ipv6", " neighbor fd00::11 activate", "!", "end"].join("\n");
        const plan = planNeighbors(parseRunningConfig(text), ASN, [v6("fd00::11")], new Set(["fd00::11" as IpAddress]), false);
        assert.ok(!plan.ok);
        assert.equal(plan.conflicts[0]!.kind, "uncertain");
    });

    it("keeps a router whose IPv6 section still holds someone else's activation, and names it", () => {
        const text = ["router bgp 500", " !", " address-family ipv6", " neighbor fd00::99 activate", " exit-address-family", "!", "end"].join("\n");
        const removal = planRouterRemoval(parseRunningConfig(text), ASN, { ...NOTHING_OWNED, router: true });
        assert.ok(removal.ok);
        assert.deepEqual(removal.changes, []);
        assert.match(removal.keptRouterBecause ?? "", /address-family ipv6 \(neighbor fd00::99 activate\)/);
    });

    it("owns ns route-install ipv6 bgp like ns route-install bgp: set when asked, removed only if it set it", () => {
        const intent: RouterIntent = { asn: ASN, routerId: null, maxPaths: { ebgp: null, ibgp: null }, routeInstall: true, routeInstallIpv6: true, redistributeKernel: false };
        const plan = planRouter(parseRunningConfig("!\nend"), intent, NOTHING_OWNED, false);
        assert.ok(plan.ok);
        assert.deepEqual(renderChanges(plan.changes).filter((l) => l.context === "global").map((l) => l.text), ["ns route-install bgp", "ns route-install ipv6 bgp"]);
        assert.equal(plan.owned.routeInstallIpv6, true);
        const found = parseRunningConfig("!\nns route-install ipv6 bgp\n!\nrouter bgp 500\n!\nend");
        const removeFound = planRouterRemoval(found, ASN, { ...NOTHING_OWNED, router: true });
        assert.ok(removeFound.ok);
        assert.ok(!renderChanges(removeFound.changes).some((l) => /route-install/.test(l.text)));
        const removeOwn = planRouterRemoval(found, ASN, { ...NOTHING_OWNED, router: true, routeInstallIpv6: true });
        assert.ok(removeOwn.ok);
        assert.ok(renderChanges(removeOwn.changes).some((l) => l.text === "no ns route-install ipv6 bgp"));
    });
});
