/**
 * The simulator's FRR engine against a real bgpd: whatever sequence of configurations the
 * simulator applies, FRR ends up running exactly the translation of the last one (nothing left
 * over, nothing missing), and `close()` leaves FRR as it found it.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { BgpNeighborConfig, RoutingConfig } from "../../simulator/routing/engine";
import { FrrRoutingEngine } from "../../simulator/routing/frrEngine";
import { parseFrrRunningConfig } from "../../simulator/routing/frrConfig";
import { Lab, LAB_ADC_ADDRESS, LAB_NET } from "./support/lab";
import { assertLabPrerequisites } from "./support/prerequisites";

describe("lab: the FRR routing engine converges a real bgpd to each configuration", function () {
    this.timeout(120_000);
    let lab: Lab;

    before(async function () {
        this.timeout(60_000);
        assertLabPrerequisites();
        lab = await Lab.start({ nodes: 1 });
    });

    after(async function () {
        this.timeout(60_000);
        await lab?.stop();
    });

    const arbNeighbor = fc.record(
        {
            address: fc.constantFrom(`${LAB_NET}.11`, `${LAB_NET}.12`, `${LAB_NET}.13`, "198.51.100.7", "fd00:5ab::11", "fd00:5ab::12"),
            remoteAs: fc.constantFrom(64512, 64513, 500),
            description: fc.constantFrom("node one", "calico-node"),
            password: fc.constantFrom("s3cret", "other-pw"),
            updateSource: fc.constantFrom("vlan0", LAB_ADC_ADDRESS),
            ebgpMultihop: fc.integer({ min: 1, max: 255 }),
            prefixListIn: fc.constantFrom("PODS-IN", "OTHER"),
            maximumPrefix: fc.record({ limit: fc.integer({ min: 1, max: 5000 }), warningOnly: fc.boolean() }),
            ipv6Active: fc.constant(true),
            ipv6PrefixListIn: fc.constantFrom("PODS-IN", "OTHER6"),
        },
        { requiredKeys: ["address", "remoteAs"] },
    );
    const arbConfig: fc.Arbitrary<RoutingConfig> = fc
        .record({
            running: fc.boolean(),
            asn: fc.constantFrom(500, 501),
            neighbors: fc.uniqueArray(arbNeighbor, { selector: (n) => n.address, maxLength: 4 }),
            routeInstall: fc.subarray(["bgp", "ipv6 bgp"]),
            lists6: fc.uniqueArray(
                fc.record({
                    name: fc.constantFrom("PODS-IN", "OTHER6"),
                    entries: fc.uniqueArray(
                        fc.record({
                            seq: fc.constantFrom(5, 10),
                            action: fc.constantFrom("permit" as const, "deny" as const),
                            prefix: fc.constantFrom("fd00:10::/48", "fd00:dead::/48", "::/0"),
                            ge: fc.option(fc.constant(122), { nil: undefined }),
                            le: fc.option(fc.constant(124), { nil: undefined }),
                        }),
                        { selector: (e) => e.seq, minLength: 1, maxLength: 2 },
                    ),
                }),
                { selector: (l) => l.name, maxLength: 2 },
            ),
            ebgp: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
            ibgp: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
            redistribute: fc.subarray(["kernel", "static", "connected"]),
            // Entries as the simulator stores them (host bits cleared, `ge N le 32` as `ge N`).
            lists: fc.uniqueArray(
                fc.record({
                    name: fc.constantFrom("PODS-IN", "OTHER"),
                    entries: fc.uniqueArray(
                        fc.record({
                            seq: fc.constantFrom(5, 10, 15),
                            action: fc.constantFrom("permit" as const, "deny" as const),
                            prefix: fc.constantFrom("192.168.0.0/16", "10.96.0.0/12", "0.0.0.0/0"),
                            ge: fc.option(fc.constant(26), { nil: undefined }),
                            le: fc.option(fc.constant(28), { nil: undefined }),
                        }),
                        { selector: (e) => e.seq, minLength: 1, maxLength: 3 },
                    ),
                }),
                { selector: (l) => l.name, maxLength: 2 },
            ),
        })
        .map((x) => ({
            interfaceAddress: `${LAB_ADC_ADDRESS}/24`,
            routeInstall: x.routeInstall,
            prefixLists: x.lists.map((l) => ({
                name: l.name,
                // Sorted by sequence, each rule once, as the simulator keeps a list.
                entries: [...l.entries]
                    .sort((a, b) => a.seq - b.seq)
                    .filter((e, i, all) => all.findIndex((o) => o.action === e.action && o.prefix === e.prefix && o.ge === e.ge && o.le === e.le) === i)
                    .map((e) => ({ seq: e.seq, action: e.action, prefix: e.prefix, ...(e.ge !== undefined ? { ge: e.ge } : {}), ...(e.le !== undefined ? { le: e.le } : {}) })),
            })),
            ipv6PrefixLists: x.lists6.map((l) => ({
                name: l.name,
                entries: [...l.entries]
                    .sort((a, b) => a.seq - b.seq)
                    .filter((e, i, all) => all.findIndex((o) => o.action === e.action && o.prefix === e.prefix && o.ge === e.ge && o.le === e.le) === i)
                    .map((e) => ({ seq: e.seq, action: e.action, prefix: e.prefix, ...(e.ge !== undefined ? { ge: e.ge } : {}), ...(e.le !== undefined ? { le: e.le } : {}) })),
            })),
            bgp: x.running
                ? {
                      asn: x.asn,
                      routerId: LAB_ADC_ADDRESS,
                      maxPaths: { ...(x.ebgp !== undefined ? { ebgp: x.ebgp } : {}), ...(x.ibgp !== undefined ? { ibgp: x.ibgp } : {}) },
                      redistribute: x.redistribute,
                      // An IPv6 prefix list on a neighbor comes with its activation, as the package sends them.
                      neighbors: x.neighbors.map(({ ipv6PrefixListIn, ...n }) => (n.ipv6Active === true && ipv6PrefixListIn !== undefined ? { ...n, ipv6PrefixListIn } : n)) as BgpNeighborConfig[],
                  }
                : null,
        }));

    it("after every apply in a random sequence, FRR runs exactly the last configuration", async () => {
        const engine = new FrrRoutingEngine({ netns: lab.adc.ns, vtySocketDir: lab.adc.router.vtySocketDir, configDir: lab.adc.router.vtySocketDir, connectRetrySeconds: 2 });
        let applies = 0;
        await fc.assert(
            fc.asyncProperty(fc.array(arbConfig, { minLength: 1, maxLength: 4 }), async (configs) => {
                for (const c of configs) {
                    await engine.apply(c);
                    applies++;
                    assert.deepEqual(await engine.drift(), [], `FRR differs after applying ${JSON.stringify(c)}`);
                    const sessions = await engine.sessions();
                    assert.deepEqual(
                        sessions.map((s) => s.address),
                        (c.bgp?.neighbors ?? []).map((n) => n.address),
                    );
                }
            }),
            { numRuns: 12 },
        );
        assert.ok(applies >= 12);
        await engine.close();
        const after = parseFrrRunningConfig(await lab.adc.router.vtysh(["show running-config"]));
        assert.deepEqual(after, { bgp: null, routeInstallBlocked: false, routeInstallBlockedIpv6: false, denyMapPresent: false, prefixLists: [] }, "close() leaves no router bgp, no prefix list and no route-map behind");
    });
});
