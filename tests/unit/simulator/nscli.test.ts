import { strict as assert } from "node:assert";
import { TestConsole } from "./console";

describe("simulator nscli", () => {
    it("shows the feature table with BGP Routing OFF on a fresh appliance, ON after en feature bgp", async () => {
        const c = await TestConsole.open();
        const before = await c.type("show ns feature");
        assert.equal(before[0], "");
        assert.equal(before[1], "        Feature                        Acronym              Status");
        assert.equal(before[2], "        -------                        -------              ------");
        assert.equal(before.at(-1), " Done");
        assert.equal(before.find((l) => l.includes("BGP Routing")), " 18)    BGP Routing                    BGP                  OFF");
        assert.deepEqual(await c.type("en feature bgp"), [" Done"]);
        assert.equal((await c.type("sh feature")).find((l) => l.includes("BGP Routing")), " 18)    BGP Routing                    BGP                  ON");
        assert.equal((await c.type("show ns feature")).find((l) => l.includes("BGP Routing")), " 18)    BGP Routing                    BGP                  ON");
    });

    it("enables and disables several features at once, in any case", async () => {
        const c = await TestConsole.open();
        await c.play(`
> en ns fea ospf bgp
 Done
> disable ns feature OSPF
 Done
> enable feature nosuch bgp
ERROR: Invalid argument [nosuch]
> `);
        assert.equal(c.device.features.get("BGP"), true);
        assert.equal(c.device.features.get("OSPF"), false);
    });

    it("answers ERROR: without Done for unknown, ambiguous and incomplete commands; unknown text configurable", async () => {
        const c = await TestConsole.open();
        await c.play(`
> frobnicate
ERROR: No such command
> s ns feature
ERROR: Ambiguous command
> enable
ERROR: Incomplete command
> `);
        const d = await TestConsole.open({ unknownCommandError: "Invalid command" });
        assert.deepEqual(await d.type("frobnicate"), ["ERROR: Invalid command"]);
    });

    it("runs ;-chained commands in order and stops at the first error", async () => {
        const c = await TestConsole.open();
        await c.play(`
> set cli mode -page OFF; en feature bgp
 Done
 Done
> disable feature bgp; bogus; en feature bgp
 Done
ERROR: No such command
> `);
        assert.equal(c.device.features.get("BGP"), false);
    });

    it("refuses enabling BGP when not licensed, changing nothing", async () => {
        const c = await TestConsole.open({ faults: { bgpNotLicensed: true } });
        assert.deepEqual(await c.type("enable ns feature LB BGP"), ["ERROR: Feature(s) not licensed"]);
        assert.equal(c.device.features.get("BGP"), false);
        assert.deepEqual(await c.type("enable ns feature OSPF"), [" Done"]);
    });

    it("saves the ns config: show ns config reports unsaved changes until save config", async () => {
        const c = await TestConsole.open();
        assert.match((await c.type("show ns config")).join("\n"), /Config Changed since Last Saved Config: FALSE/);
        await c.type("en feature bgp");
        assert.match((await c.type("sh ns config")).join("\n"), /Config Changed since Last Saved Config: TRUE/);
        assert.deepEqual(c.device.saved().enabledFeatures.includes("BGP"), false);
        assert.deepEqual(await c.type("save config"), [" Done"]);
        assert.deepEqual(c.device.saved().enabledFeatures.includes("BGP"), true);
        assert.deepEqual(await c.type("save ns config"), [" Done"]);
    });

    it("enters vtysh without Done and comes back with Done; exit and quit close the session", async () => {
        const c = await TestConsole.open();
        await c.play(`
> vtysh
ns#exit
 Done
> `);
        const r = await c.shell.execute("exit");
        assert.equal(r.close, true);
        assert.deepEqual(r.lines, []);
        assert.equal((await c.another().shell.execute("quit")).close, true);
    });

    it("lists routes; BGP routes appear only with ns route-install bgp and an Established session", async () => {
        const c = await TestConsole.open({ initialConfig: { nscli: ["enable ns feature BGP"], zebos: ["router bgp 500", " neighbor 10.102.33.198 remote-as 64512"] } });
        const engine = c.device.engine as import("../../../simulator/routing/inMemoryEngine").InMemoryRoutingEngine;
        engine.setSession("10.102.33.198", { state: "Established", routes: ["10.244.1.0/26", "172.29.46.78/32"] });
        const header = [
            "        Network          Netmask          Gateway/OwnedIP  State   Traffic Domain  Type",
            "        -------          -------          ---------------  -----   --------------  ----",
        ];
        const own = [
            "1)      0.0.0.0          0.0.0.0          10.102.33.1      UP      0               STATIC",
            "2)      10.102.33.0      255.255.255.0    10.102.33.208    UP      0               DIRECT",
            "3)      127.0.0.0        255.0.0.0        127.0.0.1        UP      0               PERMANENT",
        ];
        assert.deepEqual(await c.type("sh route"), [...header, ...own, " Done"]);
        await c.typeAll(["vtysh", "conf t", "ns route-install bgp", "end", "exit"]);
        assert.deepEqual(await c.type("show route"), [
            ...header,
            "1)      0.0.0.0          0.0.0.0          10.102.33.1      UP      0               STATIC",
            "2)      10.102.33.0      255.255.255.0    10.102.33.208    UP      0               DIRECT",
            "3)      10.244.1.0       255.255.255.192  10.102.33.198    UP      0               BGP",
            "4)      127.0.0.0        255.0.0.0        127.0.0.1        UP      0               PERMANENT",
            "5)      172.29.46.78     255.255.255.255  10.102.33.198    UP      0               BGP",
            " Done",
        ]);
        assert.deepEqual((await c.type("show route BGP")).slice(2, -1).map((l) => l.split(/\s+/)[1]), ["10.244.1.0", "172.29.46.78"]);
        engine.setSession("10.102.33.198", { state: "Idle" });
        assert.equal((await c.type("show route")).length, header.length + own.length + 1);
    });

    it("labels BGP routes as configured", async () => {
        const c = await TestConsole.open({ bgpRouteTypeLabel: "DYNAMIC", initialConfig: { nscli: ["enable ns feature BGP"], zebos: "ns route-install bgp\nrouter bgp 500\n neighbor 10.0.0.1 remote-as 1" } });
        (c.device.engine as import("../../../simulator/routing/inMemoryEngine").InMemoryRoutingEngine).setSession("10.0.0.1", { state: "Established", prefixes: 1 });
        assert.match((await c.type("show route")).join("\n"), /198\.51\.100\.1 +255\.255\.255\.255 +10\.0\.0\.1 +UP +0 +DYNAMIC/);
    });

    it("shows the appliance's own address in show ns ip", async () => {
        const c = await TestConsole.open({ interfaceAddress: "192.0.2.10/26" });
        const out = await c.type("sh ns ip");
        assert.match(out[2]!, /^1\) +192\.0\.2\.10 +0 +NetScaler IP +Active/);
        assert.equal(out.at(-1), " Done");
        assert.match((await c.type("show route")).join("\n"), /192\.0\.2\.0 +255\.255\.255\.192 +192\.0\.2\.10 +UP +0 +DIRECT/);
    });

    it("offers a FreeBSD shell that shows the saved configuration files", async () => {
        const c = await TestConsole.open({ initialConfig: { enabledFeatures: ["LB", "BGP"], zebos: "router bgp 500" } });
        const out = await c.type("shell cat /nsconfig/ns.conf");
        assert.deepEqual(out, ["#NS14.1 Build 43.50", "enable ns feature LB BGP", " Done"]);
        await c.type("shell");
        assert.equal(c.shell.prompt(), "root@ns# ");
        assert.match((await c.type("cat /nsconfig/ZebOS.conf")).join("\n"), /^router bgp 500$/m);
        assert.deepEqual(await c.type("ls"), ["ls: Command not found."]);
        assert.deepEqual(await c.type("exit"), [" Done"]);
        assert.equal(c.shell.prompt(), "> ");
    });
});
