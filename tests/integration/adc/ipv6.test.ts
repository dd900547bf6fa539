/**
 * IPv6 neighbors over SSH against the simulator: activated in `address-family ipv6`, read back
 * from the device's own layout, repaired when the activation is lost, removed without touching
 * the section's other lines; the IPv6 route install; IPv6 sessions from the IPv6 summary; and a
 * device that does not take the unconfirmed spellings, refused with the fix.
 */
import { strict as assert } from "assert";
import { checked, connection, neighbors, router, type Props } from "./providerCalls";
import { startSimulator, type Simulator } from "../../../simulator";
import type { SimulatorOptions } from "../../../simulator/options";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const FOREIGN = ["router bgp 500", " neighbor fd00:9::1 remote-as 65009", " !", " address-family ipv6", " neighbor fd00:9::1 activate", " exit-address-family"];

describe("IPv6 neighbors over SSH", function () {
    this.timeout(60000);
    let sim: Simulator;
    afterEach(async () => sim?.close());

    const start = (extra: Partial<SimulatorOptions> = {}, zebos = FOREIGN) =>
        startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos }, ...extra }).then((s) => (sim = s));
    const inputs = (list: Props[], extra: Props = {}) => checked(neighbors, { connection: connection(sim), localAsn: 500, neighbors: list, ...extra });

    it("activates IPv6 neighbors in the section someone else's activation is in, reads a lost activate as drift, repairs it, and destroy leaves the rest as it was", async () => {
        await start();
        const before = sim.device.runningConfig();
        const ours = await inputs([{ address: "10.33.6.1", remoteAsn: 64512 }, { address: "FD00:6::1", remoteAsn: 64512 }]);
        const created = await neighbors.create(ours);
        assert.deepEqual(created.outs.owned, ["10.33.6.1", "fd00:6::1"]);
        const shown = sim.device.runningConfig();
        assert.match(shown, /^ !\n address-family ipv6\n neighbor fd00:6::1 activate\n neighbor fd00:9::1 activate\n exit-address-family\n!$/m);
        assert.doesNotMatch(shown, /neighbor 10\.33\.6\.1 activate/, "IPv4 neighbors stay out of the IPv6 family");

        await sim.device.configure(["router bgp 500", "address-family ipv6", "no neighbor fd00:6::1 activate"]);
        const read = await neighbors.read!(created.id, created.outs);
        const drifted = (read.props as Props).neighbors.find((n: Props) => n.address === "fd00:6::1");
        assert.equal(drifted.notActivated, true, "refresh shows the lost activation");
        const diff = await neighbors.diff!(created.id, read.props as Props, ours);
        assert.equal(diff.changes, true, "and up has something to do");
        sim.resetCounters();
        await neighbors.update!(created.id, read.props as Props, ours);
        const sent = sim.transcript().map((l) => l.line);
        assert.deepEqual(
            sent.filter((l) => /activate|address-family/.test(l)),
            ["address-family ipv6", "neighbor fd00:6::1 activate", "exit-address-family"],
        );
        assert.equal(sim.device.runningConfig(), shown, "repaired");

        sim.resetCounters();
        await neighbors.delete!(created.id, created.outs);
        const removal = sim.transcript().map((l) => l.line).filter((l) => /neighbor|address-family/.test(l));
        assert.deepEqual(removal.slice(0, 4), ["address-family ipv6", "no neighbor fd00:6::1 activate", "exit-address-family", "no neighbor 10.33.6.1"]);
        assert.equal(sim.device.runningConfig(), before, "every line the stack did not add is as it was");
    });

    it("reads IPv6 sessions from the IPv6 summary and waits for them; a device without that command fails the wait naming it", async () => {
        await start({}, ["router bgp 500"]);
        sim.setSession("fd00:6::1", { state: "Established", routes: ["fd00:10:244:1::/122"] });
        sim.setSession("10.33.6.1", { state: "Established", routes: ["10.244.1.0/26"] });
        const created = await neighbors.create(await inputs([{ address: "10.33.6.1", remoteAsn: 64512 }, { address: "fd00:6::1", remoteAsn: 64512 }], { waitForEstablishedSeconds: 5 }));
        const sessions = Object.fromEntries((created.outs.sessions as Props[]).map((s) => [s.address, s]));
        assert.equal(sessions["fd00:6::1"].state, "Established");
        assert.equal(sessions["fd00:6::1"].prefixesReceived, 1, "its IPv6 block, counted in the IPv6 family");
        assert.equal(sessions["10.33.6.1"].prefixesReceived, 1);
        await sim.close();

        await start({ ipv6SummaryCommand: "show ip bgp ipv6 unicast summary" }, ["router bgp 500"]);
        sim.setSession("fd00:6::1", { state: "Established" });
        const err = await neighbors.create(await inputs([{ address: "fd00:6::1", remoteAsn: 64512 }], { waitForEstablishedSeconds: 5 })).catch((e: Error) => e);
        assert.ok(err instanceof Error);
        assert.match(err.message, /show bgp ipv6 summary/);
        assert.match(err.message, /waitForEstablishedSeconds/);
        assert.match(sim.device.runningConfig(), /neighbor fd00:6::1 activate/, "the neighbor itself is configured");
    });

    it("refuses a layout that does not show where the IPv6 section ends, sending nothing", async () => {
        await start({ ipv6Section: { innerSeparator: true, exitLine: false } });
        const before = sim.device.runningConfig();
        assert.doesNotMatch(before, /exit-address-family/);
        sim.resetCounters();
        const err = await neighbors.create(await inputs([{ address: "fd00:6::1", remoteAsn: 64512 }])).catch((e: Error) => e);
        assert.ok(err instanceof Error);
        assert.match(err.message, /address-family ipv6/);
        assert.equal(sim.transcript().filter((l) => /^(no )?neighbor /.test(l.line)).length, 0);
        assert.equal(sim.device.runningConfig(), before);
    });

    it("owns ns route-install ipv6 bgp when asked; a device that does not take it fails naming the line and the input that stops it", async () => {
        await start({}, []);
        const asked = await checked(router, { connection: connection(sim), localAsn: 500, routeInstallIpv6: true });
        const created = await router.create(asked);
        assert.match(sim.device.runningConfig(), /^ns route-install bgp\nns route-install ipv6 bgp$/m);
        await router.delete!(created.id, created.outs);
        assert.doesNotMatch(sim.device.runningConfig(), /route-install/);
        await sim.close();

        await start({ ipv6RouteInstallSupport: false }, []);
        const err = await router.create(await checked(router, { connection: connection(sim), localAsn: 500, routeInstallIpv6: true })).catch((e: Error) => e);
        assert.ok(err instanceof Error);
        assert.match(err.message, /ns route-install ipv6 bgp/);
        assert.match(err.message, /routeInstallIpv6 to false/);
        // Off by default: the same device takes a router that does not ask for it.
        const plain = await router.create(await checked(router, { connection: connection(sim), localAsn: 500, adoptExisting: true }));
        assert.equal(plain.outs.routeInstallIpv6, null);
    });
});
