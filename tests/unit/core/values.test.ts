import { strict as assert } from "assert";
import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { parseBgpSummary, parseFeatures } from "../../../provider/core/parseShowOutputs";
import { parseAsn, parseCliText, parseHost, parseIpAddress, parseIpv4Address, parseNeighborRef, parsePeerAddress, parseUpdateSource } from "../../../provider/core/values";

describe("value parsers", () => {
    it("ASNs: 1..4294967295, numbers or decimal strings", () => {
        assert.deepEqual(parseAsn(500), { ok: true, value: 500 });
        assert.deepEqual(parseAsn("64512"), { ok: true, value: 64512 });
        assert.deepEqual(parseAsn(4294967295), { ok: true, value: 4294967295 });
        for (const bad of [0, -1, 4294967296, 1.5, "12a", "", null, undefined, "1.10"]) {
            const r = parseAsn(bad);
            assert.equal(r.ok, false, `accepted ${String(bad)}`);
            if (!r.ok) assert.match(r.reason, /1 to 4294967295/);
        }
    });

    it("addresses: canonical form, no prefix, no zone, no shorthand IPv4", () => {
        assert.deepEqual(parseIpAddress(" 10.102.33.198 "), { ok: true, value: "10.102.33.198" });
        assert.deepEqual(parseIpAddress("2001:DB8:0:0::1"), { ok: true, value: "2001:db8::1" });
        for (const bad of ["10.1", "010.0.0.1", "10.0.0.256", "10.0.0.1/24", "fe80::1%eth0", "node-1", 42]) {
            assert.equal(parseIpAddress(bad).ok, false, `accepted ${String(bad)}`);
        }
        assert.equal(parseIpv4Address("2001:db8::1").ok, false);
    });

    it("IPv4 addresses, in the inputs and as a running config names a neighbor: accepted exactly when ipaddr.js reads four plain decimal octets, in its canonical form", () => {
        const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.integer({ min: 0, max: 999 }).map(String), fc.integer({ min: 0, max: 99 }).map((n) => `0${n}`), fc.constantFrom("", "x", "0x1f", "-1", "1e2"));
        const spelling = fc.tuple(fc.array(octet, { minLength: 3, maxLength: 5 }), fc.constantFrom("", " ", "\t")).map(([parts, pad]) => `${pad}${parts.join(".")}${pad}`);
        fc.assert(
            fc.property(spelling, (text) => {
                const trimmed = text.trim();
                const got = parseIpAddress(text);
                const plain = ipaddr.IPv4.isValidFourPartDecimal(trimmed);
                if (plain) assert.deepEqual(got, { ok: true, value: ipaddr.parse(trimmed).toString() }, text);
                else assert.equal(got.ok, false, `accepted ${JSON.stringify(text)}`);
                // A running config's neighbor word: an address exactly when it is one.
                const ref = parseNeighborRef(trimmed);
                if (plain) assert.deepEqual(ref, { kind: "address", address: ipaddr.parse(trimmed).toString() }, trimmed);
                else assert.notEqual(ref.kind, "address", trimmed);
            }),
            { numRuns: 2000 },
        );
    });

    it("a neighbor's IPv4 address is refused exactly in the ranges ipaddr.js names unspecified, broadcast, multicast, loopback, and in 240.0.0.0/4, each with its reason", () => {
        const reasons: Record<string, RegExp> = { unspecified: /0\.0\.0\.0\/8/, broadcast: /broadcast/, multicast: /multicast/, loopback: /loopback/ };
        // Every first octet, and the edges of the ranges that differ in their later octets.
        const edges = fc.constantFrom(0, 1, 127, 128, 168, 169, 223, 224, 239, 240, 254, 255);
        const address = fc.oneof(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.nat(255), fc.nat(255), fc.nat(255)), fc.tuple(edges, edges, edges, edges));
        fc.assert(
            fc.property(address, (octets) => {
                const text = octets.join(".");
                const ip = ipaddr.IPv4.parse(text);
                const range = ip.range();
                const refusedBy = reasons[range] ?? (ip.match(ipaddr.IPv4.parse("240.0.0.0"), 4) ? /240\.0\.0\.0\/4/ : undefined);
                const got = parsePeerAddress(text);
                if (refusedBy === undefined) assert.deepEqual(got, { ok: true, value: text }, text);
                else assert.ok(!got.ok && refusedBy.test(got.reason), `${text} (${range}): ${JSON.stringify(got)}`);
                // The management address takes a loopback (a tunnel), nothing else that is refused here.
                assert.equal(parseHost(text).ok, refusedBy === undefined || range === "loopback", text);
            }),
            { numRuns: 3000 },
        );
    });

    it("CLI text refuses anything that could smuggle another command", () => {
        const opts = { spaces: true };
        assert.deepEqual(parseCliText("k8s node 1", "description", 80, opts), { ok: true, value: "k8s node 1" });
        for (const bad of ["a\nrouter bgp 1", "a;show", "why?", "tab\there", "quote\"", "back\\slash", " lead", "two  spaces", "\u0007"]) {
            const r = parseCliText(bad, "description", 80, opts);
            assert.equal(r.ok, false, `accepted ${JSON.stringify(bad)}`);
        }
        assert.equal(parseCliText("x".repeat(81), "description", 80, opts).ok, false);
        assert.equal(parseCliText("two words", "password", 80, { spaces: false }).ok, false);
    });

    it("a secret's reason never shows the value", () => {
        const r = parseCliText("hunter2;oops", "password", 80, { spaces: false, secret: true });
        assert.equal(r.ok, false);
        if (!r.ok) assert.ok(!r.reason.includes("hunter2"));
    });

    it("update-source takes an interface name or an address", () => {
        assert.equal(parseUpdateSource("vlan101").ok, true);
        assert.equal(parseUpdateSource("10.0.0.1").ok, true);
        assert.equal(parseUpdateSource("vlan 101").ok, false);
    });
});

describe("show output parsers", () => {
    it("reads the BGP row of show ns feature", () => {
        const text = [
            "",
            "        Feature                        Acronym              Status",
            "        -------                        -------              ------",
            " 1)     Web Logging                    WL                   ON",
            " 2)     Surge Protection               SP                   OFF",
            " 25)    BGP Routing                    BGP                  OFF",
            " 26)    Rewrite                        REWRITE              ON",
        ].join("\r\n");
        const f = parseFeatures(text);
        assert.equal(f.get("BGP"), false);
        assert.equal(f.get("WL"), true);
        assert.equal(f.get("REWRITE"), true);
        assert.equal(f.size, 4);
    });

    it("reads show ip bgp summary: prefix count when Established, the state name otherwise", () => {
        const text = [
            "BGP router identifier 10.102.33.208, local AS number 500",
            "BGP table version is 3",
            "1 BGP AS-PATH entries",
            "0 BGP community entries",
            "",
            "Neighbor        V    AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
            "10.102.33.198   4 64512      12      14        1    0    0 00:05:12        3",
            "10.102.33.202   4 64512       0       0        0    0    0 never    Active",
            "2001:db8::5     4 64513       0       0        0    0    0 never    Idle (Admin)",
            "",
            "Total number of neighbors 3",
        ].join("\n");
        assert.deepEqual(parseBgpSummary(text), [
            { address: "10.102.33.198", remoteAsn: 64512, state: "Established", prefixesReceived: 3, upDown: "00:05:12" },
            { address: "10.102.33.202", remoteAsn: 64512, state: "Active", prefixesReceived: null, upDown: "never" },
            { address: "2001:db8::5", remoteAsn: 64513, state: "Idle (Admin)", prefixesReceived: null, upDown: "never" },
        ]);
    });

    it("finds the columns from the header when a build adds some (FRR: PfxSnt Desc)", () => {
        const text = [
            "BGP router identifier 203.0.113.1, local AS number 500 vrf-id 0",
            "",
            "Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc",
            "203.0.113.11    4      64512        12        11        0    0    0 00:00:08            2        3 N/A",
            "203.0.113.12    4      64512         0         0        0    0    0    never       Active        0 N/A",
            "",
            "Total number of neighbors 2",
        ].join("\n");
        assert.deepEqual(parseBgpSummary(text), [
            { address: "203.0.113.11", remoteAsn: 64512, state: "Established", prefixesReceived: 2, upDown: "00:00:08" },
            { address: "203.0.113.12", remoteAsn: 64512, state: "Active", prefixesReceived: null, upDown: "never" },
        ]);
    });

    it("reads a row whose address is too long for its column and stands on a line of its own (Quagga's layout, common for IPv6)", () => {
        const text = [
            "BGP router identifier 10.102.33.208, local AS number 500",
            "",
            "Neighbor        V    AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
            "2001:db8:1234::11",
            "                4 64512      12      14        1    0    0 00:05:12        2",
            "fd00:6::1       4 64512       0       0        0    0    0 never    Active",
            "2001:db8:1234::12",
            "2001:db8:1234::13",
            "                4 64513       0       0        0    0    0 never    Connect",
            "",
            "Total number of neighbors 4",
        ].join("\n");
        assert.deepEqual(parseBgpSummary(text), [
            { address: "2001:db8:1234::11", remoteAsn: 64512, state: "Established", prefixesReceived: 2, upDown: "00:05:12" },
            { address: "fd00:6::1", remoteAsn: 64512, state: "Active", prefixesReceived: null, upDown: "never" },
            { address: "2001:db8:1234::13", remoteAsn: 64513, state: "Connect", prefixesReceived: null, upDown: "never" },
        ]);
    });

    it("finds no sessions where there is no table", () => {
        assert.deepEqual(parseBgpSummary("% BGP instance not found\n"), []);
    });
});
