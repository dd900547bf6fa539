import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { BgpNeighborConfig, RoutingConfig } from "../../../simulator/routing/engine";
import { desiredFrrState, frrCommands, NO_ROUTE_INSTALL_MAP, parseFrrRunningConfig, type FrrState } from "../../../simulator/routing/frrConfig";
import { parseFrrUptime, routesFromFrr, sessionsFromFrr } from "../../../simulator/routing/frrState";

const neighbor = (address: string, extra: Partial<BgpNeighborConfig> = {}): BgpNeighborConfig => ({ address, remoteAs: 64512, ...extra });

function config(neighbors: BgpNeighborConfig[], extra: Partial<RoutingConfig> = {}, asn = 500): RoutingConfig {
    return {
        interfaceAddress: "192.0.2.1/24",
        routeInstall: ["bgp", "ipv6 bgp"],
        prefixLists: [],
        ipv6PrefixLists: [],
        bgp: { asn, routerId: "192.0.2.1", maxPaths: { ebgp: 8, ibgp: 8 }, redistribute: [], neighbors },
        ...extra,
    };
}

/** `show running-config` of FRR 8.4 as captured from the lab's bgpd (head trimmed). */
const FRR_RUNNING = `Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults traditional
hostname adc
no ip forwarding
!
ip protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}
!
router bgp 500
 bgp router-id 192.0.2.1
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 neighbor 192.0.2.11 remote-as 64512
 neighbor 192.0.2.11 password s3cr3t
 neighbor 192.0.2.12 remote-as 64512
 neighbor 192.0.2.12 description node two
 neighbor 192.0.2.12 ebgp-multihop 255
 neighbor 192.0.2.13 remote-as 64512
 neighbor 192.0.2.13 update-source 192.0.2.1
 neighbor 192.0.2.13 timers connect 1
 !
 address-family ipv4 unicast
  redistribute kernel
  neighbor 192.0.2.11 activate
  neighbor 192.0.2.12 activate
  neighbor 192.0.2.13 activate
  maximum-paths 8
  maximum-paths ibgp 8
 exit-address-family
exit
!
route-map ${NO_ROUTE_INSTALL_MAP} deny 10
exit
!
end
`;

/** Prints a state the way FRR 8.4 prints its running config (layout as in FRR_RUNNING). */
function printFrr(state: FrrState): string {
    const out = ["!", "frr version 8.4.4", "!"];
    if (state.routeInstallBlocked) out.push(`ip protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`, "!");
    if (state.routeInstallBlockedIpv6) out.push(`ipv6 protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`, "!");
    if (state.bgp) {
        out.push(`router bgp ${state.bgp.asn}`, ...state.bgp.router.map((l) => ` ${l}`), " !", " address-family ipv4 unicast", ...state.bgp.ipv4.map((l) => `  ${l}`), " exit-address-family");
        if (state.bgp.ipv6.length > 0) out.push(" !", " address-family ipv6 unicast", ...state.bgp.ipv6.map((l) => `  ${l}`), " exit-address-family");
        out.push("exit", "!");
    }
    if (state.denyMapPresent) out.push(`route-map ${NO_ROUTE_INSTALL_MAP} deny 10`, "exit", "!");
    out.push("end");
    return out.join("\n");
}

describe("simulator routing: NetScaler BGP configuration → FRR", () => {
    it("translates every neighbor setting, with what FRR needs besides (policy, explicit activation, address family)", () => {
        const desired = desiredFrrState(
            config(
                [
                    neighbor("192.0.2.11", { password: "s3cr3t" }),
                    neighbor("192.0.2.12", { description: "node two", ebgpMultihop: 255 }),
                    neighbor("192.0.2.13", { updateSource: "vlan0" }),
                    neighbor("192.0.2.14", { updateSource: "192.0.2.1" }),
                ],
                {},
            ),
            { connectRetrySeconds: 1 },
        );
        assert.deepEqual(desired.bgp?.router, [
            "bgp router-id 192.0.2.1",
            "no bgp ebgp-requires-policy",
            "neighbor 192.0.2.11 remote-as 64512",
            "neighbor 192.0.2.11 password s3cr3t",
            "neighbor 192.0.2.11 timers connect 1",
            "neighbor 192.0.2.12 remote-as 64512",
            "neighbor 192.0.2.12 description node two",
            "neighbor 192.0.2.12 ebgp-multihop 255",
            "neighbor 192.0.2.12 timers connect 1",
            "neighbor 192.0.2.13 remote-as 64512",
            // The appliance's interface name does not exist in FRR's namespace: its address does.
            "neighbor 192.0.2.13 update-source 192.0.2.1",
            "neighbor 192.0.2.13 timers connect 1",
            "neighbor 192.0.2.14 remote-as 64512",
            "neighbor 192.0.2.14 update-source 192.0.2.1",
            "neighbor 192.0.2.14 timers connect 1",
        ]);
        // IPv4 activation comes with the neighbor (FRR's `bgp default ipv4-unicast`), not as a later line.
        assert.deepEqual(desired.bgp?.ipv4, ["maximum-paths 8", "maximum-paths ibgp 8"]);
        assert.equal(desired.routeInstallBlocked, false);
        assert.equal(desiredFrrState(config([], { routeInstall: [] })).routeInstallBlocked, true);
    });

    it("reads FRR's running config back into the same shape", () => {
        const state = parseFrrRunningConfig(FRR_RUNNING);
        assert.equal(state.bgp?.asn, 500);
        assert.equal(state.routeInstallBlocked, true);
        assert.equal(state.denyMapPresent, true);
        assert.deepEqual(state.bgp?.ipv4, ["redistribute kernel", "neighbor 192.0.2.11 activate", "neighbor 192.0.2.12 activate", "neighbor 192.0.2.13 activate", "maximum-paths 8", "maximum-paths ibgp 8"]);
        assert.equal(state.bgp?.router.length, 11);
    });

    it("creates everything on an empty FRR, neighbors before their settings", () => {
        const lines = frrCommands(parseFrrRunningConfig("!\nend\n"), desiredFrrState(config([neighbor("192.0.2.11", { password: "pw" })], { routeInstall: [] })));
        assert.deepEqual(lines, [
            "configure terminal",
            `route-map ${NO_ROUTE_INSTALL_MAP} deny 10`,
            "exit",
            `ip protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`,
            `ipv6 protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`,
            "router bgp 500",
            "neighbor 192.0.2.11 remote-as 64512",
            "bgp router-id 192.0.2.1",
            "no bgp ebgp-requires-policy",
            "neighbor 192.0.2.11 password pw",
            "address-family ipv4 unicast",
            "maximum-paths 8",
            "maximum-paths ibgp 8",
            "exit-address-family",
            "exit",
            "end",
        ]);
    });

    it("carries an ipv6 prefix-list and its attachment under address-family ipv6 unicast, apart from an ip prefix-list of the same name", () => {
        const entry = { seq: 5, action: "permit" as const, prefix: "fd00:10::/48", ge: 122 };
        const desired = desiredFrrState(
            config([neighbor("192.0.2.11", { prefixListIn: "PODS" }), neighbor("fd00::11", { ipv6Active: true, ipv6PrefixListIn: "PODS" })], {
                prefixLists: [{ name: "PODS", entries: [{ seq: 5, action: "permit", prefix: "192.168.0.0/16", ge: 26 }] }],
                ipv6PrefixLists: [{ name: "PODS", entries: [entry, { seq: 10, action: "deny", prefix: "::/0", le: 128 }] }],
            }),
        );
        assert.deepEqual(desired.prefixLists, ["ip prefix-list PODS seq 5 permit 192.168.0.0/16 ge 26", "ipv6 prefix-list PODS seq 5 permit fd00:10::/48 ge 122", "ipv6 prefix-list PODS seq 10 deny ::/0 le 128"]);
        assert.deepEqual(desired.bgp?.ipv6, ["neighbor fd00::11 activate", "neighbor fd00::11 prefix-list PODS in"]);
        assert.ok(desired.bgp?.ipv4.includes("neighbor 192.0.2.11 prefix-list PODS in"));
        assert.ok(!desired.bgp?.ipv4.some((l) => l.startsWith("neighbor fd00::11 prefix-list")), "at router level it would filter the IPv4 routes");
        const lines = frrCommands(parseFrrRunningConfig("!\nend\n"), desired);
        assert.ok(lines.indexOf("ipv6 prefix-list PODS seq 5 permit fd00:10::/48 ge 122") < lines.indexOf("router bgp 500"), "the list exists before a neighbor names it");
        const af6 = lines.indexOf("address-family ipv6 unicast");
        assert.deepEqual(lines.slice(af6, af6 + 4), ["address-family ipv6 unicast", "neighbor fd00::11 activate", "neighbor fd00::11 prefix-list PODS in", "exit-address-family"]);
        // What FRR prints back reads as the same state: nothing left to send.
        const printed = [
            "ip prefix-list PODS seq 5 permit 192.168.0.0/16 ge 26",
            "ipv6 prefix-list PODS seq 5 permit fd00:10::/48 ge 122",
            "ipv6 prefix-list PODS seq 10 deny ::/0 le 128",
            "!",
            "router bgp 500",
            ...desired.bgp!.router.map((l) => ` ${l}`),
            " !",
            " address-family ipv4 unicast",
            ...desired.bgp!.ipv4.map((l) => `  ${l}`),
            " exit-address-family",
            " !",
            " address-family ipv6 unicast",
            ...desired.bgp!.ipv6.map((l) => `  ${l}`),
            " exit-address-family",
            "exit",
        ].join("\n");
        assert.deepEqual(frrCommands(parseFrrRunningConfig(printed), desired), []);
        // Dropping the IPv6 filter removes both its lines and the attachment, the IPv4 list stays.
        const without = desiredFrrState(config([neighbor("192.0.2.11", { prefixListIn: "PODS" }), neighbor("fd00::11", { ipv6Active: true })], { prefixLists: [{ name: "PODS", entries: [{ seq: 5, action: "permit", prefix: "192.168.0.0/16", ge: 26 }] }] }));
        const removal = frrCommands(parseFrrRunningConfig(printed), without);
        assert.ok(removal.includes("no ipv6 prefix-list PODS seq 5 permit fd00:10::/48 ge 122"), removal.join("\n"));
        assert.ok(removal.includes("no neighbor fd00::11 prefix-list PODS in"), removal.join("\n"));
        assert.ok(!removal.some((l) => l.startsWith("no ip prefix-list")), removal.join("\n"));
    });

    it("removes a neighbor with one line, changes a setting in place, and drops what is no longer wanted", () => {
        const current = parseFrrRunningConfig(FRR_RUNNING);
        const desired = desiredFrrState(
            config([neighbor("192.0.2.11", { remoteAs: 64513 }), neighbor("192.0.2.12", { description: "second node", ebgpMultihop: 255 })], {}),
            { connectRetrySeconds: 1 },
        );
        assert.deepEqual(frrCommands(current, desired), [
            "configure terminal",
            `no ip protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`,
            "router bgp 500",
            "no neighbor 192.0.2.13",
            // FRR_RUNNING was made with explicit activation: it is undone, and the neighbors activated.
            "bgp default ipv4-unicast",
            "no neighbor 192.0.2.11 password s3cr3t",
            "neighbor 192.0.2.11 remote-as 64513",
            "neighbor 192.0.2.11 timers connect 1",
            "neighbor 192.0.2.12 description second node",
            "neighbor 192.0.2.12 timers connect 1",
            "address-family ipv4 unicast",
            "no redistribute kernel",
            "neighbor 192.0.2.11 activate",
            "neighbor 192.0.2.12 activate",
            "exit-address-family",
            "exit",
            "end",
        ]);
    });

    it("replaces the router when the AS changes, and removes it when BGP stops", () => {
        const current = parseFrrRunningConfig(FRR_RUNNING);
        const moved = frrCommands(current, desiredFrrState(config([neighbor("192.0.2.11")], {}, 501)));
        assert.deepEqual(moved.slice(0, 5), ["configure terminal", `no ip protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`, "no router bgp 500", "router bgp 501", "neighbor 192.0.2.11 remote-as 64512"]);
        assert.deepEqual(frrCommands(current, desiredFrrState({ interfaceAddress: "192.0.2.1/24", routeInstall: [], prefixLists: [], ipv6PrefixLists: [], bgp: null })), ["configure terminal", `ipv6 protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`, "no router bgp 500", "end"]);
    });

    it("sends nothing once FRR runs the desired configuration, whatever that configuration is", () => {
        const arbNeighbor = fc.record({
            address: fc.oneof(
                fc.integer({ min: 2, max: 250 }).map((n) => `192.0.2.${n}`),
                fc.integer({ min: 2, max: 250 }).map((n) => `2001:db8::${n.toString(16)}`),
            ),
            ipv6Active: fc.option(fc.constant(true), { nil: undefined }),
            remoteAs: fc.integer({ min: 1, max: 4294967295 }),
            description: fc.option(fc.stringMatching(/^[a-z][a-z0-9 -]{0,20}[a-z0-9]$/), { nil: undefined }),
            password: fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,20}$/), { nil: undefined }),
            updateSource: fc.option(fc.constantFrom("vlan0", "192.0.2.1"), { nil: undefined }),
            ebgpMultihop: fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
        });
        const arbConfig = fc.record({
            asn: fc.integer({ min: 1, max: 4294967295 }),
            neighbors: fc.uniqueArray(arbNeighbor, { selector: (n) => n.address, maxLength: 6 }),
            routeInstall: fc.subarray(["bgp", "default", "ipv6 bgp"]),
            ebgp: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
            redistribute: fc.subarray(["kernel", "static", "connected"]),
            retry: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
        });
        fc.assert(
            fc.property(arbConfig, arbConfig, (a, b) => {
                const toConfig = (x: typeof a): RoutingConfig => ({
                    interfaceAddress: "192.0.2.1/24",
                    prefixLists: [],
                    ipv6PrefixLists: [],
                    routeInstall: x.routeInstall,
                    bgp: {
                        asn: x.asn,
                        routerId: "192.0.2.1",
                        maxPaths: x.ebgp === undefined ? {} : { ebgp: x.ebgp },
                        redistribute: x.redistribute,
                        neighbors: x.neighbors.map((n) => Object.fromEntries(Object.entries(n).filter(([, v]) => v !== undefined)) as unknown as BgpNeighborConfig),
                    },
                });
                const opts = (x: typeof a) => (x.retry === undefined ? {} : { connectRetrySeconds: x.retry });
                const want = desiredFrrState(toConfig(b), opts(b));
                // From another configuration there is something to do, unless it is the same one.
                const from = desiredFrrState(toConfig(a), opts(a));
                const cmds = frrCommands(parseFrrRunningConfig(printFrr(from)), want);
                const key = (st: FrrState) => JSON.stringify([st.bgp?.asn, [...(st.bgp?.router ?? [])].sort(), [...(st.bgp?.ipv4 ?? [])].sort(), [...(st.bgp?.ipv6 ?? [])].sort(), st.routeInstallBlocked, st.routeInstallBlockedIpv6]);
                assert.equal(cmds.length === 0, key(from) === key(want));
                assert.deepEqual(frrCommands(parseFrrRunningConfig(printFrr(want)), want), []);
            }),
            { numRuns: 200 },
        );
    });
});

describe("simulator routing: FRR's state → sessions and routes", () => {
    // `show bgp summary json` (FRR 8.4) from the lab: one Established, one refused by AS, one not configured in FRR.
    const summary = {
        ipv4Unicast: {
            peers: {
                "192.0.2.11": { remoteAs: 64512, state: "Established", msgRcvd: 5, msgSent: 9, pfxRcd: 2, peerUptime: "00:00:48", peerUptimeMsec: 48000 },
                "192.0.2.13": { remoteAs: 64513, state: "Idle", msgRcvd: 3, msgSent: 12, pfxRcd: 0, peerUptime: "never", peerUptimeMsec: 0 },
                "192.0.2.14": { remoteAs: 64512, state: "Clearing", msgRcvd: 1, msgSent: 1, peerUptime: "00:00:02", peerUptimeMsec: 2000 },
            },
        },
    };

    it("reports one session per configured neighbor, in the states ZebOS names", () => {
        const sessions = sessionsFromFrr([neighbor("192.0.2.11"), neighbor("192.0.2.12"), neighbor("192.0.2.13", { remoteAs: 64513 }), neighbor("192.0.2.14")], summary);
        assert.deepEqual(sessions, [
            { address: "192.0.2.11", remoteAs: 64512, state: "Established", prefixesReceived: 2, messagesReceived: 5, messagesSent: 9, upDownSeconds: 48 },
            { address: "192.0.2.12", remoteAs: 64512, state: "Idle", prefixesReceived: 0, messagesReceived: 0, messagesSent: 0 },
            { address: "192.0.2.13", remoteAs: 64513, state: "Idle", prefixesReceived: 0, messagesReceived: 3, messagesSent: 12 },
            { address: "192.0.2.14", remoteAs: 64512, state: "Idle", prefixesReceived: 0, messagesReceived: 1, messagesSent: 1, upDownSeconds: 2 },
        ]);
        assert.deepEqual(sessionsFromFrr([neighbor("192.0.2.11")], {}).map((s) => s.state), ["Idle"]);
    });

    it("lists each next hop of a route, with the neighbor it came from and eBGP/iBGP", () => {
        const rib = {
            "192.0.2.0/24": [{ protocol: "connected", distance: 0, uptime: "00:10:00", nexthops: [{}] }],
            "192.168.10.0/26": [{ protocol: "bgp", distance: 20, uptime: "00:01:05", nexthops: [{ ip: "192.0.2.11" }, { ip: "192.0.2.12" }] }],
            "192.168.30.0/26": [{ protocol: "bgp", distance: 200, uptime: "1d02h03m", nexthops: [{ ip: "192.0.2.13" }] }],
        };
        const table = {
            routes: {
                "192.168.10.0/26": [
                    { bestpath: true, pathFrom: "external", peerId: "192.0.2.11", nexthops: [{ ip: "192.0.2.11" }] },
                    { multipath: true, pathFrom: "external", peerId: "192.0.2.12", nexthops: [{ ip: "192.0.2.12" }] },
                ],
                "192.168.30.0/26": [{ bestpath: true, pathFrom: "internal", peerId: "192.0.2.14", nexthops: [{ ip: "192.0.2.13" }] }],
            },
        };
        assert.deepEqual(routesFromFrr(rib, table), [
            { prefix: "192.168.10.0/26", nextHop: "192.0.2.11", peer: "192.0.2.11", internal: false, ageSeconds: 65 },
            { prefix: "192.168.10.0/26", nextHop: "192.0.2.12", peer: "192.0.2.12", internal: false, ageSeconds: 65 },
            { prefix: "192.168.30.0/26", nextHop: "192.0.2.13", peer: "192.0.2.14", internal: true, ageSeconds: 93780 },
        ]);
    });

    it("reads FRR's three uptime forms", () => {
        assert.equal(parseFrrUptime("00:01:02"), 62);
        assert.equal(parseFrrUptime("1d02h03m"), 93780);
        assert.equal(parseFrrUptime("01w2d03h"), 788400);
        assert.equal(parseFrrUptime("never"), 0);
    });
});
