import { strict as assert } from "assert";
import { startHaPair, type HaPair } from "../../../simulator";

describe("simulator HA pair (two nodes, propagation, failover, session resets)", () => {
    let pair: HaPair | undefined;
    afterEach(async () => pair?.close());

    it("gives each node its own port, host key and HA state, each naming the other as its peer", async () => {
        pair = await startHaPair({ primary: 1 });
        const [a, b] = pair.nodes;
        assert.notEqual(a.port, b.port);
        assert.notEqual(a.hostKeyFingerprint, b.hostKeyFingerprint);
        assert.equal(pair.primary(), b);
        const shownA = await a.device.cli("show ha node");
        assert.match(shownA, /Node ID:\s+0\n\s+IP:\s+10\.102\.33\.208 \(ns\)[\s\S]*Master State: Secondary/);
        assert.match(shownA, /Node ID:\s+1\n\s+IP:\s+10\.102\.33\.209\n[\s\S]*Master State: Primary/);
        pair.failover();
        assert.equal(pair.primary(), a);
        assert.match(await b.device.cli("show ha node"), /Node ID:\s+0\n[\s\S]*?Master State: Secondary/);
    });

    it("synced: the primary's vtysh and nscli changes appear on the secondary; the secondary's own never go back", async () => {
        pair = await startHaPair({ propagation: "synced" });
        const [primary, secondary] = pair.nodes;
        await primary.device.cli("enable ns feature BGP");
        await primary.device.configure(["router bgp 500", "neighbor 10.0.0.1 remote-as 64512"]);
        assert.deepEqual(secondary.device.state().bgp?.neighbors.map((n) => n.address), ["10.0.0.1"]);
        assert.ok(secondary.device.state().enabledFeatures.includes("BGP"));
        await secondary.device.configure(["router bgp 500", "neighbor 10.0.0.2 remote-as 64512"]);
        assert.deepEqual(primary.device.state().bgp?.neighbors.map((n) => n.address), ["10.0.0.1"]);
    });

    it("not-synced: nscli changes (HA sync) still appear on the secondary, vtysh changes do not", async () => {
        pair = await startHaPair({ propagation: "not-synced" });
        const [primary, secondary] = pair.nodes;
        await primary.device.cli("enable ns feature BGP");
        await primary.device.configure(["router bgp 500", "neighbor 10.0.0.1 remote-as 64512"]);
        assert.ok(secondary.device.state().enabledFeatures.includes("BGP"));
        assert.equal(secondary.device.state().bgp, null);
        pair.setPropagation("synced");
        await primary.device.configure(["router bgp 500", "neighbor 10.0.0.3 remote-as 64512"]);
        assert.deepEqual(secondary.device.state().bgp?.neighbors.map((n) => n.address), ["10.0.0.1", "10.0.0.3"]);
    });

    it("counts BGP sessions reset by configuration: a neighbor removed, its remote AS changed, the router removed", async () => {
        pair = await startHaPair({ common: { initialConfig: { enabledFeatures: ["BGP"] } } });
        const [primary] = pair.nodes;
        await primary.device.configure(["router bgp 500", "neighbor 10.0.0.1 remote-as 64512", "neighbor 10.0.0.2 remote-as 64512", "neighbor 10.0.0.3 remote-as 64512"]);
        primary.resetCounters();
        await primary.device.configure(["router bgp 500", "neighbor 10.0.0.1 description unchanged session"]);
        assert.equal(primary.counters().bgpSessionsReset, 0);
        await primary.device.configure(["router bgp 500", "no neighbor 10.0.0.1"]);
        assert.equal(primary.counters().bgpSessionsReset, 1);
        await primary.device.configure(["router bgp 500", "no neighbor 10.0.0.2", "neighbor 10.0.0.2 remote-as 64513"]);
        assert.equal(primary.counters().bgpSessionsReset, 2);
        await primary.device.configure(["no router bgp 500"]);
        assert.equal(primary.counters().bgpSessionsReset, 4);
    });
});
