import { strict as assert } from "assert";
import * as fc from "fast-check";
import { decideWrite, parseClusterInstance, parseClusterIps, parseHaNode, parsePartitions, type NodeFacts } from "../../../provider/core/node";
import { parseRunningConfig, bgpRouter } from "../../../provider/core/parseRunningConfig";
import { planNeighbors } from "../../../provider/core/plan";
import type { Asn, IpAddress } from "../../../provider/core/values";

/** `show ha node` of a pair seen from its secondary, in the layout public transcripts show (two blocks, self is ID 0). */
const SECONDARY = `1)  Node ID:      0
    IP:   10.123.1.168
    Node State: STAYSECONDARY
    Master State: Secondary
    Fail-Safe Mode: OFF
    Sync State: SUCCESS
    Node in this Master State for: 0:0:1:17 (days:hrs:min:sec)
2)  Node ID:      1
    IP:   10.123.1.143
    Node State: UP
    Master State: Primary
    Sync State: ENABLED`;

/** The same pair from its primary; the IP line carries the hostname on one node only. */
const PRIMARY = `1)      Node ID:      0
        IP:   172.20.20.90 (adc-01)
        Node State: UP
        Master State: Primary
        INC State: DISABLED

2)      Node ID:      1
        IP:   172.20.20.91
        Node State: UP
        Master State: Secondary`;

/** A standalone appliance: one block, no `N)` counter. */
const STANDALONE = `        Node ID:      0
        IP:  10.111.111.102 (adc)
        Node State: UP
        Master State: Primary
        Fail-Safe Mode: OFF`;

function facts(ha: string, extra: Partial<NodeFacts> = {}): NodeFacts {
    return { ha: parseHaNode({ output: ha }), cluster: parseClusterInstance({ output: "" }), partitions: parsePartitions({ output: "" }), prompt: ">", ...extra };
}

describe("node role: which node a session reached, and whether it may be configured", () => {
    it("reads the self node (ID 0) and its peer from show ha node", () => {
        assert.deepEqual(parseHaNode({ output: SECONDARY }), {
            ok: true,
            nodes: [
                { id: 0, address: "10.123.1.168", masterState: "Secondary" },
                { id: 1, address: "10.123.1.143", masterState: "Primary" },
            ],
        });
        assert.deepEqual(parseHaNode({ output: STANDALONE }), { ok: true, nodes: [{ id: 0, address: "10.111.111.102", masterState: "Primary" }] });
    });

    it("configures a standalone node and the primary of a pair", () => {
        assert.deepEqual(decideWrite(facts(STANDALONE), "10.111.111.102"), { ok: true, node: "a standalone node" });
        const primary = decideWrite(facts(PRIMARY), "172.20.20.90");
        assert.equal(primary.ok, true);
        assert.match(primary.node, /primary node of an HA pair \(peer 172\.20\.20\.91\)/);
    });

    it("refuses the secondary, naming the primary's address in the fix", () => {
        const d = decideWrite(facts(SECONDARY), "10.123.1.168");
        assert.equal(d.ok, false);
        if (d.ok) return;
        assert.match(d.reason, /secondary node of an HA pair \(the primary is 10\.123\.1\.143\)/);
        assert.match(d.fix, /`connection\.host` at the primary, 10\.123\.1\.143/);
    });

    it("refuses a split brain, a state that is not Primary, and any answer it cannot read", () => {
        const both = PRIMARY.replace("Master State: Secondary", "Master State: Primary");
        assert.match((decideWrite(facts(both), "h") as { reason: string }).reason, /split brain/);
        const claiming = decideWrite(facts(STANDALONE.replace("Primary", "Claiming")), "h");
        assert.equal(claiming.ok, false);
        assert.match((claiming as { reason: string }).reason, /HA state Claiming/);
        for (const unreadable of [{ output: "" }, { output: "Node ID: 0\nIP: 1.2.3.4" }, { output: "", failure: "ERROR: Not authorized" }, { output: "Node ID: 0\nMaster State: Primary\nNode ID: 0\nMaster State: Primary" }]) {
            const d = decideWrite({ ...facts(""), ha: parseHaNode(unreadable) }, "h");
            assert.equal(d.ok, false, JSON.stringify(unreadable));
        }
    });

    it("never allows a write on text that does not show the self node as Primary (property)", () => {
        fc.assert(
            fc.property(fc.array(fc.constantFrom("Node ID: 0", "Node ID: 1", "Master State: Secondary", "Master State: Claiming", "IP: 10.0.0.1", "Node State: UP", "garbage", ""), { maxLength: 12 }), (lines) => {
                const d = decideWrite(facts(lines.join("\n")), "10.0.0.1");
                assert.equal(d.ok, false);
            }),
        );
    });

    it("a cluster member is configured only on its cluster IP; an unreadable membership is refused", () => {
        const member = { cluster: parseClusterInstance({ output: "1)      Cluster ID: 1\n        Propagation: ENABLED" }) };
        assert.deepEqual(member.cluster, { ok: true, member: true, clusterId: 1 });
        const before = decideWrite(facts(STANDALONE, member), "10.0.0.5");
        assert.equal(before.ok === false && before.needsClusterIps, true);
        const clips = parseClusterIps({ output: "1)      10.0.0.5         0               NetScaler IP     Active\n2)      10.0.0.9         0               CLIP             Active" });
        assert.deepEqual(clips, ["10.0.0.9"]);
        const own = decideWrite(facts(STANDALONE, member), "10.0.0.5", clips);
        assert.equal(own.ok, false);
        assert.match((own as { fix: string }).fix, /cluster IP: 10\.0\.0\.9/);
        assert.equal(decideWrite(facts(STANDALONE, member), "10.0.0.9", clips).ok, true);
        assert.match((decideWrite(facts(STANDALONE, member), "adc.example", clips) as { reason: string }).reason, /is a name/);
        assert.deepEqual(parseClusterInstance({ output: "", failure: "ERROR: No such command" }), { ok: true, member: false });
        assert.equal(decideWrite(facts(STANDALONE, { cluster: parseClusterInstance({ output: "", failure: "ERROR: Not authorized" }) }), "h").ok, false);
        assert.equal(decideWrite(facts(STANDALONE, { cluster: parseClusterInstance({ output: "something else" }) }), "h").ok, false);
    });

    it("admin partitions: the default partition only, told by the prompt when partitions exist", () => {
        const partitions = parsePartitions({ output: "1)      Name: default\n2)      Name: p1" });
        assert.deepEqual(partitions, { ok: true, others: ["p1"] });
        assert.equal(decideWrite(facts(STANDALONE, { partitions, prompt: ">" }), "h").ok, true);
        const inP1 = decideWrite(facts(STANDALONE, { partitions, prompt: "p1>" }), "h");
        assert.match((inP1 as { reason: string }).reason, /admin partition p1/);
        assert.equal(decideWrite(facts(STANDALONE, { partitions, prompt: "adc1 12:00>" }), "h").ok, false);
        assert.equal(decideWrite(facts(STANDALONE, { prompt: "adc1 12:00>" }), "h").ok, true, "no partitions: any prompt");
        assert.equal(decideWrite(facts(STANDALONE, { partitions: parsePartitions({ output: "", failure: "ERROR: Not authorized" }) }), "h").ok, false);
    });

    it("owner-node blocks are sections: their lines are not the router's, and a neighbor they name is refused", () => {
        const text = `router bgp 100
 neighbor 10.10.10.10 remote-as 200
 owner-node 1
 neighbor 10.10.10.11 update-source 10.10.10.1
 bgp router-id 10.10.10.1
 exit-owner-node
 max-paths ebgp 4
!
end`;
        const router = bgpRouter(parseRunningConfig(text))!;
        assert.equal(router.routerId, null, "a node's router-id is not the router's");
        assert.equal(router.maxPaths.ebgp, 4, "the router's lines after the block are its own again");
        assert.deepEqual([...router.neighbors.keys()], ["10.10.10.10"]);
        assert.ok(router.otherLines.includes("owner-node 1"));
        const plan = planNeighbors(parseRunningConfig(text), 100 as Asn, [{ address: "10.10.10.11" as IpAddress, remoteAsn: 200 as Asn, description: null, password: null, updateSource: null, ebgpMultihop: null }], new Set(), false);
        assert.equal(plan.ok, false);
        assert.match(JSON.stringify(plan), /neighbor-elsewhere/);
    });
});
