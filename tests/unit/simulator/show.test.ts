import { strict as assert } from "node:assert";
import { InMemoryRoutingEngine } from "../../../simulator/routing/inMemoryEngine";
import { formatAge } from "../../../simulator/vtysh/show";
import { TestConsole } from "./console";

describe("simulator vtysh show commands", () => {
    let now = 1_000_000;
    const clock = () => now;

    async function withNeighbors(): Promise<{ c: TestConsole; engine: InMemoryRoutingEngine }> {
        const engine = new InMemoryRoutingEngine({ now: clock });
        const c = await TestConsole.open({
            routing: engine,
            initialConfig: {
                nscli: ["enable ns feature BGP"],
                zebos: ["router bgp 500", " neighbor 10.102.33.198 remote-as 64512", " neighbor 10.102.33.202 remote-as 64512", " neighbor 2001:db8:1234:5678::10 remote-as 500"],
            },
        });
        await c.type("vtysh");
        return { c, engine };
    }

    it("summarises sessions in the Zebra/ZebOS layout, Active by default", async () => {
        const { c, engine } = await withNeighbors();
        now += 312_000;
        engine.setSession("10.102.33.198", { state: "Established", prefixes: 3 });
        now += 312_000;
        await c.play(`
ns#show ip bgp summary
BGP router identifier 10.102.33.208, local AS number 500
BGP table version is 1
0 BGP AS-PATH entries
0 BGP community entries

Neighbor        V         AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
10.102.33.198   4      64512      11       8        1    0    0 00:05:12        3
10.102.33.202   4      64512       0       0        0    0    0 never    Active
2001:db8:1234:5678::10
                4        500       0       0        0    0    0 never    Active

Total number of neighbors 3
ns#`);
    });

    it("uses the configured router-id, and answers without an instance when BGP does not run", async () => {
        const { c } = await withNeighbors();
        await c.typeAll(["conf t", "router bgp 500", "bgp router-id 192.0.2.1", "end"]);
        assert.equal((await c.type("sh ip bgp sum"))[0], "BGP router identifier 192.0.2.1, local AS number 500");
        await c.typeAll(["exit", "disable ns feature BGP", "vtysh"]);
        assert.deepEqual(await c.type("show ip bgp summary"), ["% BGP instance not found"]);
        const fresh = await TestConsole.open();
        await fresh.type("vtysh");
        assert.deepEqual(await fresh.type("show ip bgp summary"), ["% BGP instance not found"]);
    });

    it("lists learned routes in show ip route [bgp] with eBGP/iBGP distances", async () => {
        const { c, engine } = await withNeighbors();
        engine.setSession("10.102.33.198", { state: "Established", routes: ["172.29.46.78/32", "10.244.0.0/26"] });
        now += 90061_000;
        const routes = await c.type("show ip route bgp");
        assert.deepEqual(routes.slice(0, 9), [
            "Codes: K - kernel, C - connected, S - static, R - RIP, B - BGP",
            "       O - OSPF, IA - OSPF inter area",
            "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2",
            "       E1 - OSPF external type 1, E2 - OSPF external type 2",
            "       i - IS-IS, L1 - IS-IS level-1, L2 - IS-IS level-2, ia - IS-IS inter area",
            "       * - candidate default",
            "",
            "Gateway of last resort is not set",
            "",
        ]);
        assert.deepEqual(routes.slice(9), [
            "B       10.244.0.0/26 [20/0] via 10.102.33.198, vlan0, 1d01h01m",
            "B       172.29.46.78/32 [20/0] via 10.102.33.198, vlan0, 1d01h01m",
        ]);
        const all = await c.type("show ip route");
        assert.deepEqual(all.slice(9), [
            "C       10.102.33.0/24 is directly connected, vlan0",
            "B       10.244.0.0/26 [20/0] via 10.102.33.198, vlan0, 1d01h01m",
            "C       127.0.0.0/8 is directly connected, lo0",
            "B       172.29.46.78/32 [20/0] via 10.102.33.198, vlan0, 1d01h01m",
        ]);
        await c.typeAll(["conf t", "router bgp 500", "neighbor 10.102.33.198 remote-as 500", "end"]);
        assert.match((await c.type("show ip route bgp")).join("\n"), /172\.29\.46\.78\/32 \[200\/0\]/);
    });

    it("formats timers like ZebOS", () => {
        assert.equal(formatAge(0), "00:00:00");
        assert.equal(formatAge(86399), "23:59:59");
        assert.equal(formatAge(86400 + 3600 * 2 + 60 * 3), "1d02h03m");
        assert.equal(formatAge(86400 * 17 + 3600 * 4), "2w3d04h");
    });
});
