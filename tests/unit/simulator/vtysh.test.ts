import { strict as assert } from "node:assert";
import { TestConsole } from "./console";

const SEED_RUNNING_CONFIG = `!
log syslog
log record-priority
!
ns route-install bgp
!
interface lo0
 ip address 127.0.0.1/8
 ipv6 address fe80::1/64
 ipv6 address ::1/128
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

async function bgpConsole(): Promise<TestConsole> {
    return TestConsole.open({ initialConfig: { nscli: ["enable ns feature BGP"] } });
}

describe("simulator vtysh", () => {
    it("reproduces the seed transcript (calico-network.md), typos of its author corrected", async () => {
        const c = await TestConsole.open();
        await c.play(`
> en feature bgp
 Done
> vtysh
ns#conf t
Enter configuration commands, one per line. End with CNTL/Z.
ns(config)#ns route-install bgp
ns(config)#router bgp 500
ns(config-router)#Neighbor 10.102.33.198 remote-as 64512
ns(config-router)#Neighbor 10.102.33.202 remote-as 64512
ns(config-router)#show running-config
${SEED_RUNNING_CONFIG}
ns(config-router)#exit
ns(config)#exit
ns#exit
 Done
> `);
    });

    it("refuses a second, different ASN and stays at ns(config)# with nothing changed", async () => {
        const c = await bgpConsole();
        await c.typeAll(["vtysh", "conf t", "router bgp 500", "neighbor 10.0.0.1 remote-as 65000", "exit"]);
        const before = c.device.runningConfig().join("\n");
        await c.play(`
ns(config)#router bgp 501
% BGP is already running; AS is 500
ns(config)#router bgp 500
ns(config-router)#`);
        assert.equal(c.device.runningConfig().join("\n"), before);
    });

    it("refuses router bgp while the BGP feature is off (message configurable)", async () => {
        const c = await TestConsole.open();
        await c.play(`
> vtysh
ns#configure terminal
Enter configuration commands, one per line. End with CNTL/Z.
ns(config)#router bgp 500
% BGP is not enabled
ns(config)#`);
        const d = await TestConsole.open({ bgpNotEnabledError: "% Protocol daemon is not running" });
        assert.deepEqual(await d.typeAll(["vtysh", "conf t", "router bgp 500"]), ["Enter configuration commands, one per line. End with CNTL/Z.", "% Protocol daemon is not running"]);
    });

    it("marks invalid input with ^ under the offending word, counting the prompt", async () => {
        const c = await bgpConsole();
        await c.play(`
> vtysh
ns#conf t
Enter configuration commands, one per line. End with CNTL/Z.
ns(config)#router bgp 0
                      ^
% Invalid input detected at '^' marker.
ns(config)#router bgp 4294967296
                      ^
% Invalid input detected at '^' marker.
ns(config)#router bgp 4294967295
ns(config-router)#neighbor 10.0.0.1 remote-az 5
                                    ^
% Invalid input detected at '^' marker.
ns(config-router)#neighbor 10.0.0.1 remote-as 0
                                              ^
% Invalid input detected at '^' marker.
ns(config-router)#neighbor 10.0.0.1
% Incomplete command.
ns(config-router)#n 10.0.0.1 remote-as 5
% Ambiguous command.
ns(config-router)#nei 10.0.0.1 rem 5
ns(config-router)#neighbor 10.0.0.256 remote-as 5
% Malformed address: 10.0.0.256
ns(config-router)#bgp router-id 1.2.3
                                ^
% Invalid input detected at '^' marker.
ns(config-router)#`);
        assert.deepEqual(c.device.zebos.bgp?.neighbors.get("10.0.0.1"), { address: "10.0.0.1", remoteAs: 5 });
    });

    it("accepts unambiguous abbreviations and any letter case", async () => {
        const c = await bgpConsole();
        await c.typeAll(["VTYSH", "conf t", "ROUTER BGP 500", "nei 10.0.0.1 REMOTE-AS 64512", "redis KER", "max ebgp 4", "end"]);
        assert.deepEqual(c.device.maxPaths(), { ebgp: 4, ibgp: 8 });
        assert.equal(c.shell.mode, "vtysh");
        await c.play(`
ns#sh run
!
log syslog
log record-priority
!
interface lo0
 ip address 127.0.0.1/8
 ipv6 address fe80::1/64
 ipv6 address ::1/128
!
interface vlan0
 ip address 10.102.33.208/24
 ipv6 address fe80::2cf6:beff:fe94:9f63/64
!
router bgp 500
 max-paths ebgp 4
 max-paths ibgp 8
 redistribute kernel
 neighbor 10.0.0.1 remote-as 64512
!
end
ns#`);
    });

    it("renders every router setting in device order, neighbors sorted by address", async () => {
        const c = await bgpConsole();
        await c.typeAll([
            "vtysh",
            "conf t",
            "router bgp 65010",
            "neighbor 2001:DB8:0::1 remote-as 65001",
            "neighbor 10.0.0.9 remote-as 65001",
            "neighbor 10.0.0.10 remote-as 65002",
            "neighbor 10.0.0.10 description k8s node worker-1 (rack 3)",
            "neighbor 10.0.0.10 password s3cret!",
            "neighbor 10.0.0.10 update-source vlan0",
            "neighbor 10.0.0.10 ebgp-multihop",
            "neighbor 10.0.0.9 ebgp-multihop 2",
            "neighbor 10.0.0.9 update-source 10.102.33.208",
            "redistribute connected",
            "redistribute kernel",
            "bgp router-id 10.102.33.208",
            "max-paths ibgp 2",
        ]);
        const bgpBlock = c.device.runningConfig().slice(c.device.runningConfig().indexOf("router bgp 65010"));
        assert.deepEqual(bgpBlock, [
            "router bgp 65010",
            " bgp router-id 10.102.33.208",
            " max-paths ebgp 8",
            " max-paths ibgp 2",
            " redistribute kernel",
            " redistribute connected",
            " neighbor 10.0.0.9 remote-as 65001",
            " neighbor 10.0.0.9 update-source 10.102.33.208",
            " neighbor 10.0.0.9 ebgp-multihop 2",
            " neighbor 10.0.0.10 remote-as 65002",
            " neighbor 10.0.0.10 description k8s node worker-1 (rack 3)",
            " neighbor 10.0.0.10 password s3cret!",
            " neighbor 10.0.0.10 update-source vlan0",
            " neighbor 10.0.0.10 ebgp-multihop 255",
            " neighbor 2001:db8::1 remote-as 65001",
            "!",
            "end",
        ]);
    });

    it("removes settings with their no forms, and a neighbor with everything about it", async () => {
        const c = await bgpConsole();
        await c.typeAll(["vtysh", "conf t", "router bgp 500", "neighbor 10.0.0.1 remote-as 1", "neighbor 10.0.0.1 description a b", "neighbor 10.0.0.1 password pw", "neighbor 10.0.0.1 ebgp-multihop 3", "neighbor 10.0.0.1 update-source lo0", "bgp router-id 1.1.1.1", "redistribute static"]);
        const out = await c.typeAll(["no neighbor 10.0.0.1 description", "no neighbor 10.0.0.1 password pw", "no neighbor 10.0.0.1 ebgp-multihop", "no neighbor 10.0.0.1 update-source", "no redistribute static", "no bgp router-id 1.1.1.1", "no max-paths ebgp 8"]);
        assert.deepEqual(out, []);
        assert.deepEqual(c.device.zebos.bgp?.neighbors.get("10.0.0.1"), { address: "10.0.0.1", remoteAs: 1 });
        assert.equal(c.device.zebos.bgp?.routerId, undefined);
        assert.deepEqual([...c.device.zebos.bgp!.redistribute], []);
        await c.typeAll(["neighbor 10.0.0.1 password pw", "no neighbor 10.0.0.1"]);
        assert.equal(c.device.zebos.bgp?.neighbors.size, 0);
        await c.typeAll(["neighbor 10.0.0.1 remote-as 1"]);
        assert.deepEqual(c.device.zebos.bgp?.neighbors.get("10.0.0.1"), { address: "10.0.0.1", remoteAs: 1 }, "a re-created neighbor starts clean");
        await c.typeAll(["neighbor 10.0.0.1 remote-as 2"]);
        assert.equal(c.device.zebos.bgp?.neighbors.get("10.0.0.1")?.remoteAs, 2, "remote-as of an existing neighbor is replaced");
    });

    it("refuses settings for a neighbor that has no remote-as, and a wrong router-id or ASN in no forms", async () => {
        const c = await bgpConsole();
        await c.typeAll(["vtysh", "conf t", "router bgp 500", "bgp router-id 1.1.1.1"]);
        await c.play(`
ns(config-router)#neighbor 10.0.0.7 description x
% Specify remote-as or peer-group commands first
ns(config-router)#no neighbor 10.0.0.7 password
% Specify remote-as or peer-group commands first
ns(config-router)#no neighbor 10.0.0.7
ns(config-router)#no bgp router-id 2.2.2.2
% BGP router-id doesn't match
ns(config-router)#exit
ns(config)#no router bgp 501
% Can't find BGP instance
ns(config)#no router bgp 500
ns(config)#no router bgp
% Incomplete command.
ns(config)#`);
        assert.equal(c.device.zebos.bgp, null);
    });

    it("navigates with exit, end and Ctrl-Z; show and write work in every vtysh mode", async () => {
        const c = await bgpConsole();
        await c.typeAll(["vtysh", "conf t", "router bgp 500"]);
        c.shell.controlZ();
        assert.equal(c.shell.mode, "vtysh");
        await c.play(`
ns#end
ns#conf t
Enter configuration commands, one per line. End with CNTL/Z.
ns(config)#router bgp 500
ns(config-router)#write
Building configuration...
[OK]
ns(config-router)#end
ns#write memory
Building configuration...
[OK]
ns#quit
 Done
> `);
    });

    it("manages ns route-install kinds, IPv6 ones included", async () => {
        const c = await bgpConsole();
        await c.typeAll(["vtysh", "conf t", "ns route-install ipv6 bgp", "ns route-install bgp", "ns route-install default", "no ns route-install default"]);
        const cfg = c.device.runningConfig();
        assert.deepEqual(cfg.slice(3, 7), ["!", "ns route-install bgp", "ns route-install ipv6 bgp", "!"]);
        assert.deepEqual(await c.type("ns route-install i"), ["% Ambiguous command."]);
    });

    it("shows max-paths 8 as displayed defaults that no max-paths returns to; without defaults only what is configured", async () => {
        const c = await bgpConsole();
        await c.typeAll(["vtysh", "conf t", "router bgp 500", "max-paths ebgp 2", "max-paths ibgp 3"]);
        assert.deepEqual(c.device.maxPaths(), { ebgp: 2, ibgp: 3 });
        await c.typeAll(["no max-paths ebgp", "no max-paths ibgp 3"]);
        assert.deepEqual(c.device.runningConfig().filter((l) => l.includes("max-paths")), [" max-paths ebgp 8", " max-paths ibgp 8"]);
        const bare = await TestConsole.open({ initialConfig: { nscli: ["enable ns feature BGP"] }, defaultMaxPaths: null });
        await bare.typeAll(["vtysh", "conf t", "router bgp 500", "max-paths ibgp 4"]);
        assert.deepEqual(bare.device.runningConfig().filter((l) => l.includes("max-paths")), [" max-paths ibgp 4"]);
        await bare.type("no max-paths ibgp");
        assert.deepEqual(bare.device.runningConfig().filter((l) => l.includes("max-paths")), []);
    });

    it("prints passwords encrypted-looking when so configured, and no max-paths when defaults are off", async () => {
        const c = await TestConsole.open({ initialConfig: { nscli: ["enable ns feature BGP"] }, passwordDisplay: "encrypted", defaultMaxPaths: null });
        await c.typeAll(["vtysh", "conf t", "router bgp 500", "neighbor 10.0.0.1 remote-as 1", "neighbor 10.0.0.1 password hunter2"]);
        const block = c.device.runningConfig().join("\n");
        assert.doesNotMatch(block, /hunter2/);
        assert.match(block, /^ neighbor 10\.0\.0\.1 password 8 [0-9a-f]{32}$/m);
        assert.doesNotMatch(block, /max-paths/);
    });

    it("by default refuses config-mode lines in router mode; with parentModeFallback moves up like Quagga", async () => {
        const strict = await bgpConsole();
        await strict.typeAll(["vtysh", "conf t", "router bgp 500"]);
        assert.equal((await strict.type("ns route-install bgp"))[1], "% Invalid input detected at '^' marker.");
        const lenient = await TestConsole.open({ initialConfig: { nscli: ["enable ns feature BGP"] }, parentModeFallback: true });
        await lenient.typeAll(["vtysh", "conf t", "router bgp 500"]);
        assert.deepEqual(await lenient.type("ns route-install bgp"), []);
        assert.equal(lenient.shell.mode, "config");
        assert.ok(lenient.device.zebos.routeInstall.has("bgp"));
    });

    it("write saves ZebOS.conf; save ns config does not unless configured", async () => {
        const c = await bgpConsole();
        await c.typeAll(["vtysh", "conf t", "router bgp 500", "end"]);
        const emptySaved = c.device.saved().zebos;
        assert.doesNotMatch(emptySaved, /router bgp/);
        await c.typeAll(["exit", "save ns config"]);
        assert.equal(c.device.saved().zebos, emptySaved);
        assert.deepEqual(c.device.saved().enabledFeatures.includes("BGP"), true);
        await c.typeAll(["vtysh", "write"]);
        assert.equal(c.device.saved().zebos, c.device.runningConfig().join("\n"));

        const both = await TestConsole.open({ initialConfig: { nscli: ["enable ns feature BGP"] }, saveConfigIncludesZebos: true });
        await both.typeAll(["vtysh", "conf t", "router bgp 500", "end", "exit", "save config"]);
        assert.match(both.device.saved().zebos, /router bgp 500/);
    });

    it("shares one device between sessions, each with its own mode; a removed router is reported", async () => {
        const a = await bgpConsole();
        const b = a.another();
        await a.typeAll(["vtysh", "conf t", "router bgp 500"]);
        await b.typeAll(["vtysh", "conf t", "router bgp 500", "neighbor 10.0.0.2 remote-as 7"]);
        assert.equal(a.shell.mode, "router");
        assert.ok(a.device.zebos.bgp?.neighbors.has("10.0.0.2"));
        await b.typeAll(["exit", "no router bgp 500"]);
        assert.deepEqual(await a.type("neighbor 10.0.0.3 remote-as 7"), ["% BGP instance not found"]);
    });
});
