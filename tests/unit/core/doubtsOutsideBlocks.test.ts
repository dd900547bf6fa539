/**
 * Doubt the tree finds before any block (indented lines with no head above them, a pager
 * prompt left at the top) is the whole configuration's: those lines may be the main
 * `router bgp` block whose head the read lost, so nothing BGP is planned.
 */
import { strict as assert } from "assert";
import { parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { doubts, NOTHING_OWNED, planNeighbors, planRouter, planRouterRemoval } from "../../../provider/core/plan";
import type { Asn, IpAddress } from "../../../provider/core/values";

const ASN = 500 as Asn;
const INTENT = { asn: ASN, routerId: null, maxPaths: { ebgp: null, ibgp: null }, routeInstall: false, redistributeKernel: false };

describe("doubt before the first block", () => {
    const layouts = {
        "router lines without their head": " neighbor 10.0.0.1 remote-as 64512\n neighbor 10.0.0.1 description other cluster\n!\nend\n",
        "a pager prompt before the first line": "--More--\nrouter bgp 500\n neighbor 10.0.0.1 remote-as 64512\n!\nend\n",
        "a pager prompt on the first line, before the block's head": "--More-- router bgp 500\n neighbor 10.0.0.1 remote-as 64512\n!\nend\n",
    };
    for (const [name, text] of Object.entries(layouts)) {
        it(`refuses to create, claim or remove a router: ${name}`, () => {
            const config = parseRunningConfig(text);
            assert.ok(doubts(config).length > 0, "the doubt reaches the planner");
            const router = planRouter(config, INTENT, NOTHING_OWNED, false);
            assert.ok(!router.ok && router.conflicts.some((c) => c.kind === "uncertain" && c.regions.some((r) => r.lines.length > 0)));
            assert.equal(planRouterRemoval(config, ASN, { ...NOTHING_OWNED, router: true }).ok, false);
            const neighbor = { address: "192.0.2.201" as IpAddress, remoteAsn: 64512 as Asn, description: null, password: null, updateSource: null, ebgpMultihop: null };
            assert.equal(planNeighbors(config, ASN, [neighbor], new Set(), false).ok, false);
        });
    }

    it("plans as before when the output starts with a block", () => {
        const config = parseRunningConfig("!\nrouter bgp 500\n neighbor 10.0.0.1 remote-as 64512\n!\nend\n");
        assert.deepEqual(doubts(config), []);
        assert.ok(planRouter(config, INTENT, NOTHING_OWNED, true).ok);
    });
});
