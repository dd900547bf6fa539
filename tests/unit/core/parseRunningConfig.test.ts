import { strict as assert } from "assert";
import { parseRunningConfig, bgpRouter } from "../../../provider/core/parseRunningConfig";
import { renderRunningConfig } from "../../../provider/core/render";

/** The `show running-config` of the NetScaler Calico BGP guide, verbatim, typos included. */
const SEED = `!
log syslog
log record-priority
!
ns route-install bgp
!
interface lo0
 ip adress 127.0.0.1/8
 ipv6 address fe80: :1/64
 ipv6 address : :1/128
!
interface vlan0
 ip address 10.102.33.208/24
 ipv6 address fe80::2cf6:beff:fe94:9f63/64
!
router bgp 500
 max-paths ebgp 8
 max-paths ibgp 8
 neighbor 10.102.33.198 remote-as 64512
 neighbor 10.102.33.202 remote-as 64512
!
end`;

describe("parseRunningConfig", () => {
    it("reads the seed transcript: route install, one router, its max-paths and two neighbors", () => {
        const config = parseRunningConfig(SEED);
        assert.deepEqual([...config.routeInstall], ["bgp"]);
        assert.equal(config.routers.length, 1);
        const r = bgpRouter(config)!;
        assert.equal(r.asn, 500);
        assert.deepEqual(r.maxPaths, { ebgp: 8, ibgp: 8 });
        assert.equal(r.routerId, null);
        assert.deepEqual([...r.neighbors.keys()], ["10.102.33.198", "10.102.33.202"]);
        assert.equal(r.neighbors.get("10.102.33.198" as never)!.remoteAsn, 64512);
        assert.deepEqual(r.otherLines, []);
    });

    it("ignores interface blocks and their odd lines instead of failing on them", () => {
        const config = parseRunningConfig(SEED);
        assert.equal(config.routers.length, 1);
        assert.equal(config.routeInstall.size, 1);
    });

    it("reads every managed neighbor attribute and keeps unmanaged lines verbatim", () => {
        const text = [
            "router bgp 4200000000",
            " bgp router-id 10.0.0.1",
            " redistribute kernel",
            " redistribute static route-map VIPS",
            " neighbor 2001:DB8::0:1 remote-as 64512",
            " neighbor 2001:db8::1 description k8s node 1",
            " neighbor 2001:db8::1 password s3cret",
            " neighbor 2001:db8::1 update-source vlan101",
            " neighbor 2001:db8::1 ebgp-multihop",
            " neighbor 2001:db8::1 timers 10 30",
            " neighbor 10.0.0.9 route-map IN in",
            " address-family ipv6",
            "  neighbor 2001:db8::1 activate",
            " exit-address-family",
            "!",
        ].join("\r\n");
        const r = bgpRouter(parseRunningConfig(text))!;
        assert.equal(r.asn, 4200000000);
        assert.equal(r.routerId, "10.0.0.1");
        assert.deepEqual([...r.redistribute], [["kernel", ""], ["static", "route-map VIPS"]]);
        const n = r.neighbors.get("2001:db8::1" as never)!;
        assert.deepEqual(
            { ...n, otherLines: [...n.otherLines] },
            {
                address: "2001:db8::1",
                remoteAsn: 64512,
                description: "k8s node 1",
                password: "s3cret",
                updateSource: "vlan101",
                ebgpMultihop: 255,
                peerGroup: null,
                otherLines: ["timers 10 30"],
            },
        );
        // 10.0.0.9 has no remote-as, but the device holds lines for it: a neighbor with no AS shown.
        assert.equal(r.neighbors.get("10.0.0.9" as never)!.remoteAsn, null);
        assert.deepEqual(r.neighbors.get("10.0.0.9" as never)!.otherLines, ["route-map IN in"]);
        // The IPv6 unicast section is read, not kept as foreign lines: who is activated there.
        assert.deepEqual([...r.ipv6.active], ["2001:db8::1"]);
        assert.deepEqual(r.ipv6.otherLines, []);
        assert.ok(!r.otherLines.some((l) => /address-family|activate/.test(l)));
    });

    it("skips decorations some builds print around the configuration", () => {
        const text = "Building configuration...\n\nCurrent configuration:\n!\nrouter bgp 65000\n neighbor 10.1.1.1 remote-as 65001\n!\nend\n";
        const r = bgpRouter(parseRunningConfig(text))!;
        assert.equal(r.asn, 65000);
        assert.equal(r.neighbors.size, 1);
    });

    it("finds no router on the empty configuration of a fresh appliance", () => {
        const config = parseRunningConfig("!\nlog syslog\nlog record-priority\n!\nend\n");
        assert.equal(config.routers.length, 0);
        assert.equal(config.routeInstall.size, 0);
    });

    it("round-trips: parse(render(parse(seed))) equals parse(seed)", () => {
        const once = parseRunningConfig(SEED);
        const twice = parseRunningConfig(renderRunningConfig(once));
        assert.deepEqual(twice, once);
    });
});
