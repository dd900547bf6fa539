import { strict as assert } from "node:assert";
import fc from "fast-check";
import { DeviceCommandError, DeviceControl } from "../../../simulator/control";
import { createDevice } from "../../../simulator/model/createDevice";
import { InMemoryRoutingEngine } from "../../../simulator/routing/inMemoryEngine";
import { RoutingConfig } from "../../../simulator/routing/engine";
import { TestConsole } from "./console";

const address = fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 254 })).map(([a, b]) => `10.0.${a}.${b}`),
    fc.integer({ min: 1, max: 0xffff }).map((n) => `2001:db8::${n.toString(16)}`),
);
const routerLine = fc.oneof(
    fc.tuple(address, fc.integer({ min: 1, max: 4294967295 })).map(([a, n]) => `neighbor ${a} remote-as ${n}`),
    fc.tuple(address, fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,20}[A-Za-z0-9]$/)).map(([a, d]) => `neighbor ${a} description ${d}`),
    fc.tuple(address, fc.stringMatching(/^[A-Za-z0-9!@#]{1,16}$/)).map(([a, p]) => `neighbor ${a} password ${p}`),
    fc.tuple(address, fc.constantFrom("vlan0", "lo0", "10.102.33.208")).map(([a, s]) => `neighbor ${a} update-source ${s}`),
    fc.tuple(address, fc.option(fc.integer({ min: 1, max: 255 }))).map(([a, t]) => `neighbor ${a} ebgp-multihop${t === null ? "" : ` ${t}`}`),
    address.map((a) => `no neighbor ${a}`),
    fc.tuple(address, fc.constantFrom("description", "password", "update-source", "ebgp-multihop")).map(([a, k]) => `no neighbor ${a} ${k}`),
    fc.constantFrom("kernel", "static", "connected").map((s) => `redistribute ${s}`),
    fc.constantFrom("kernel", "static", "connected").map((s) => `no redistribute ${s}`),
    fc.tuple(fc.constantFrom("ebgp", "ibgp"), fc.integer({ min: 1, max: 64 })).map(([t, n]) => `max-paths ${t} ${n}`),
    fc.constantFrom("ebgp", "ibgp").map((t) => `no max-paths ${t}`),
    fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `bgp router-id 192.0.${a}.${b}`),
    fc.constant("no bgp router-id"),
);

describe("simulator device model", () => {
    it("loads its own show running-config back into the same configuration (any command sequence)", async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(routerLine, { maxLength: 25 }), fc.boolean(), async (lines, install) => {
                const c = await TestConsole.open({ initialConfig: { nscli: ["enable ns feature BGP"] } });
                await c.typeAll(["vtysh", "conf t", ...(install ? ["ns route-install bgp"] : []), "router bgp 65000", ...lines]);
                const text = c.device.runningConfig();
                const reloaded = await createDevice({ initialConfig: { zebos: text } });
                assert.deepEqual(reloaded.runningConfig(), text);
                assert.deepEqual(new DeviceControl(reloaded).state().bgp, new DeviceControl(c.device).state().bgp);
            }),
            { numRuns: 60 },
        );
    });

    it("lists neighbors IPv4 first, then by number, whatever order they were configured in", async () => {
        const numeric = (a: string): bigint => {
            if (!a.includes(":")) return a.split(".").reduce((n, part) => n * 256n + BigInt(part), 0n);
            const [head, tail = ""] = a.split("::");
            const groups = (s: string) => (s === "" ? [] : s.split(":"));
            const all = [...groups(head!), ...Array(8 - groups(head!).length - groups(tail).length).fill("0"), ...groups(tail)];
            return all.reduce((n, g) => n * 65536n + BigInt(`0x${g}`), 0n) + (1n << 40n);
        };
        await fc.assert(
            fc.asyncProperty(fc.uniqueArray(address, { minLength: 1, maxLength: 30 }), async (addresses) => {
                const zebos = ["router bgp 65000", ...addresses.map((a) => ` neighbor ${a} remote-as 65001`)].join("\n");
                const listed = (await createDevice({ initialConfig: { zebos } })).runningConfig().flatMap((l) => /^ neighbor (\S+) remote-as/.exec(l)?.slice(1) ?? []);
                // IPv6 numbers are shifted past every IPv4 one, so one numeric order stands for both rules.
                assert.deepEqual(listed, [...addresses].sort((a, b) => (numeric(a) < numeric(b) ? -1 : numeric(a) > numeric(b) ? 1 : 0)));
            }),
            { numRuns: 100 },
        );
    });

    it("names the line an initial configuration fails at", async () => {
        await assert.rejects(createDevice({ initialConfig: { zebos: "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n neighbor 10.0.0.1 bogus" } }), /initialConfig.zebos line 3: "neighbor 10.0.0.1 bogus" was refused: % Invalid input detected at '\^' marker\./);
        await assert.rejects(createDevice({ initialConfig: { nscli: ["enable ns feature NOPE"] } }), /initialConfig.nscli: "enable ns feature NOPE" was refused: ERROR: Invalid argument \[NOPE\]/);
        await assert.rejects(createDevice({ initialConfig: { enabledFeatures: ["XX"] } }), /unknown feature "XX"/);
    });

    it("counts an initial configuration as saved", async () => {
        const d = await createDevice({ initialConfig: { enabledFeatures: ["BGP"], zebos: "router bgp 7" } });
        assert.deepEqual(d.saved(), d.running());
        assert.deepEqual(d.saved().enabledFeatures, ["BGP"]);
    });

    it("lets a test change the configuration behind a client's back and read it as data", async () => {
        const device = await createDevice({ initialConfig: { nscli: ["enable ns feature BGP"] } });
        const control = new DeviceControl(device);
        await control.configure(["router bgp 500", " neighbor 10.0.0.1 remote-as 65000", " neighbor 10.0.0.1 password pw", "ns route-install bgp"].join("\n"));
        assert.deepEqual(control.state(), {
            enabledFeatures: ["WL", "LB", "CS", "CMP", "SSL", "BGP", "CH"],
            routeInstall: ["bgp"],
            nsConfigChanged: false,
            bgp: { asn: 500, maxPaths: { ebgp: 8, ibgp: 8 }, redistribute: [], neighbors: [{ address: "10.0.0.1", remoteAs: 65000, password: "pw" }] },
        });
        const err = await control.configure(["router bgp 501"]).catch((e: unknown) => e);
        assert.ok(err instanceof DeviceCommandError);
        assert.equal(err.command, "router bgp 501");
        assert.equal(err.reply, "% BGP is already running; AS is 500");
        assert.match(await control.vtysh(["show running-config"]), /^ neighbor 10\.0\.0\.1 remote-as 65000$/m);
        assert.equal(await control.cli("disable ns feature BGP"), " Done");
        await assert.rejects(control.cli("bogus"), (e: unknown) => e instanceof DeviceCommandError && e.reply === "ERROR: No such command");
    });

    it("applies the configuration to the routing engine after each change, BGP only while the feature is on", async () => {
        const applied: RoutingConfig[] = [];
        class RecordingEngine extends InMemoryRoutingEngine {
            override async apply(config: RoutingConfig): Promise<void> {
                applied.push(config);
                return super.apply(config);
            }
        }
        const c = await TestConsole.open({ routing: new RecordingEngine() });
        assert.equal(applied.length, 1);
        assert.equal(applied[0]!.bgp, null);
        await c.typeAll(["en feature bgp", "vtysh", "conf t", "router bgp 500", "neighbor 10.0.0.1 remote-as 7", "neighbor 10.0.0.1 password x"]);
        assert.deepEqual(applied.at(-1), {
            interfaceAddress: "10.102.33.208/24",
            routeInstall: [],
            prefixLists: [],
            ipv6PrefixLists: [],
            bgp: { asn: 500, routerId: "10.102.33.208", maxPaths: { ebgp: 8, ibgp: 8 }, redistribute: [], neighbors: [{ address: "10.0.0.1", remoteAs: 7, password: "x" }] },
        });
        const count = applied.length;
        await c.type("show running-config");
        assert.equal(applied.length, count, "show commands apply nothing");
        await c.typeAll(["end", "exit", "disable feature bgp"]);
        assert.equal(applied.at(-1)!.bgp, null);
    });

    it("reports sessions of configured neighbors only, default Active, overrides kept across re-creation", async () => {
        let t = 0;
        const engine = new InMemoryRoutingEngine({ now: () => t });
        const bgp = (neighbors: string[]): RoutingConfig => ({ interfaceAddress: "10.0.0.100/24", routeInstall: [], prefixLists: [], ipv6PrefixLists: [], bgp: { asn: 1, routerId: "10.0.0.100", maxPaths: {}, redistribute: [], neighbors: neighbors.map((address) => ({ address, remoteAs: 2 })) } });
        await engine.apply(bgp(["10.0.0.1", "10.0.0.2"]));
        engine.setSession("10.0.0.1", { state: "Established", routes: ["10.244.0.0/26"] });
        engine.setSession("10.0.0.9", { state: "Established", prefixes: 2 });
        t = 61_000;
        assert.deepEqual(await engine.sessions(), [
            { address: "10.0.0.1", remoteAs: 2, state: "Established", prefixesReceived: 1, messagesReceived: 5, messagesSent: 4, upDownSeconds: 61 },
            { address: "10.0.0.2", remoteAs: 2, state: "Active", prefixesReceived: 0, messagesReceived: 0, messagesSent: 0 },
        ]);
        assert.deepEqual(await engine.routes(), [{ prefix: "10.244.0.0/26", nextHop: "10.0.0.1", peer: "10.0.0.1", internal: false, ageSeconds: 61 }]);
        await engine.apply(bgp(["10.0.0.9"]));
        assert.deepEqual((await engine.routes()).map((r) => r.prefix), ["198.51.100.1/32", "198.51.100.2/32"]);
        assert.equal((await engine.sessions())[0]!.upDownSeconds, 0, "uptime restarts when the neighbor is (re)configured");
        engine.clearSession("10.0.0.9");
        assert.equal((await engine.sessions())[0]!.state, "Active");
        await engine.apply({ interfaceAddress: "10.0.0.100/24", routeInstall: [], prefixLists: [], ipv6PrefixLists: [], bgp: null });
        assert.deepEqual(await engine.sessions(), []);
        const idle = new InMemoryRoutingEngine({ defaultState: "Idle" });
        await idle.apply(bgp(["10.0.0.1"]));
        assert.equal((await idle.sessions())[0]!.state, "Idle");
    });
});

describe("simulator routing engine failures", () => {
    it("keeps the CLI answering when apply fails, and records the error until an apply succeeds", async () => {
        let fail = false;
        class FlakyEngine extends InMemoryRoutingEngine {
            override async apply(config: RoutingConfig): Promise<void> {
                if (fail) throw new Error("bgpd refused the configuration");
                return super.apply(config);
            }
        }
        const c = await TestConsole.open({ routing: new FlakyEngine(), initialConfig: { enabledFeatures: ["BGP"] } });
        fail = true;
        assert.deepEqual(await c.typeAll(["vtysh", "conf t", "router bgp 500"]), ["Enter configuration commands, one per line. End with CNTL/Z."]);
        assert.match(String(c.device.lastRoutingError), /bgpd refused/);
        fail = false;
        await c.type("neighbor 10.0.0.1 remote-as 1");
        assert.equal(c.device.lastRoutingError, undefined);
    });
});
