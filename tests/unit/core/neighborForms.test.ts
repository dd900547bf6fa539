/**
 * The word after `neighbor` in the forms devices and hand-edited configurations use: an address
 * is read as the address the device means only when every stack reads it alike; a form some
 * stack reads as another address is doubtful (the planner refuses, quoting the line); a name is
 * a peer group only when a `neighbor NAME peer-group` line defines it, and an interface neighbor
 * only when a `neighbor NAME interface` line does.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import type { Neighbor } from "../../../provider/core/model";
import { bgpRouter, parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { doubts, NOTHING_OWNED, planNeighbors, planNeighborsRemoval, planRouterRemoval } from "../../../provider/core/plan";
import { parseNeighborRef, type Asn, type IpAddress } from "../../../provider/core/values";

const asn = (n: number) => n as Asn;
const ip = (a: string) => a as IpAddress;
const want = (address: string): Neighbor => ({ address: ip(address), remoteAsn: asn(64512), description: null, password: null, updateSource: null, ebgpMultihop: null });
/** A whole `show running-config` answer with these router lines. */
const device = (...router: string[]) => ["!", "router bgp 500", ...router.map((l) => ` ${l}`), "!", "end", ""].join("\n");

/** What the planner does about adding `address`, removing it when owned, and deleting a router this stack created. */
function verdict(text: string, address: string) {
    const config = parseRunningConfig(text);
    const add = planNeighbors(config, asn(500), [want(address)], new Set(), false);
    const remove = planNeighborsRemoval(config, asn(500), new Set([ip(address)]));
    const router = planRouterRemoval(config, asn(500), { ...NOTHING_OWNED, router: true });
    const show = (p: { ok: boolean; changes?: readonly { op: string }[]; conflicts?: readonly { kind: string }[] }) => (p.ok ? p.changes!.map((c) => c.op).join(",") || "nothing" : p.conflicts!.map((c) => c.kind).join(","));
    return { add: show(add), remove: show(remove), router: show(router) };
}

const REFUSED = { add: "uncertain", remove: "uncertain", router: "uncertain" };

describe("neighbor words: addresses in every form, peer groups, interfaces", () => {
    it("canonicalizes IPv6 case, leading zeros and zero compression: the same neighbor, never a second one", () => {
        for (const spelled of ["2001:DB8::1", "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8:0:0::0:1", "2001:Db8::0001"]) {
            const config = parseRunningConfig(device(`neighbor ${spelled} remote-as 65001`));
            assert.deepEqual(doubts(config), [], spelled);
            assert.deepEqual([...bgpRouter(config)!.neighbors.keys()], ["2001:db8::1"], spelled);
            assert.equal(bgpRouter(config)!.peerGroups.size, 0);
            // Someone else's neighbor under another spelling: a conflict, not an add beside it.
            assert.equal(verdict(device(`neighbor ${spelled} remote-as 65001`), "2001:db8::1").add, "foreign-neighbor", spelled);
        }
    });

    it("refuses IPv4 with leading zeros or in a short form (octal to some stacks), quoting the line", () => {
        for (const form of ["10.0.0.01", "010.0.0.1", "10.000.0.1", "10.1", "0x0a.0.0.1", "167772161", "10.0.0.256"]) {
            const text = device("neighbor 10.9.9.9 remote-as 65000", `neighbor ${form} remote-as 64512`);
            const config = parseRunningConfig(text);
            const router = bgpRouter(config)!;
            assert.equal(router.peerGroups.size, 0, `${form} is no peer group`);
            assert.deepEqual([...router.neighbors.keys()], ["10.9.9.9"], `${form} is not read as another address`);
            const regions = doubts(config);
            assert.deepEqual(regions.map((r) => r.lines.map((l) => l.text)), [[`neighbor ${form} remote-as 64512`]], form);
            assert.match(regions[0]!.reason, /octal/);
            // Neither the address it may mean nor any other may be added, claimed or removed.
            assert.deepEqual(verdict(text, "10.0.0.1"), REFUSED, form);
            assert.deepEqual(verdict(text, "8.0.0.1"), REFUSED, form);
        }
    });

    it("refuses an IPv6 address with a zone, and IPv4-mapped or -compatible IPv6, which a stack may take as the IPv4 neighbor", () => {
        for (const form of ["fe80::1%eth0", "2001:db8::1%vlan10", "::ffff:10.0.0.1", "::FFFF:a00:1", "::10.0.0.1", "::ffff:0:10.0.0.1", "::ffff:010.0.0.1", "2001:db8::1::2"]) {
            const text = device(`neighbor ${form} remote-as 64512`, `neighbor ${form} description someone else's`);
            const config = parseRunningConfig(text);
            assert.equal(bgpRouter(config)!.neighbors.size, 0, form);
            assert.equal(bgpRouter(config)!.peerGroups.size, 0, form);
            assert.equal(doubts(config).length, 2, form);
            assert.deepEqual(verdict(text, "10.0.0.1"), REFUSED, form);
            assert.deepEqual(verdict(text, "2001:db8::1"), REFUSED, form);
        }
    });

    it("refuses a doubtful address below the router level too (an address-family section, a 'no neighbor' line, another instance)", () => {
        const layouts = [
            device("neighbor 10.9.9.9 remote-as 65000", "!", "address-family ipv4 unicast", " neighbor 10.0.0.01 activate", "exit-address-family"),
            device("neighbor 10.9.9.9 remote-as 65000", "no neighbor 010.0.0.1 activate"),
            ["!", "router bgp 500 vrf BLUE", " neighbor 10.0.0.01 remote-as 65001", "!", "router bgp 500", " neighbor 10.9.9.9 remote-as 65000", "!", "end"].join("\n"),
        ];
        for (const text of layouts) {
            assert.deepEqual(verdict(text, "10.0.0.1"), REFUSED, text);
            assert.ok(doubts(parseRunningConfig(text)).some((r) => r.lines.some((l) => /10\.0\.0\.01|010\.0\.0\.1/.test(l.text))), text);
        }
    });

    it("takes a name as a peer group only when a definition line declares it; its settings alone declare nothing", () => {
        const defined = parseRunningConfig(device("neighbor CALICO remote-as 64512", "neighbor CALICO peer-group", "neighbor 10.0.0.1 peer-group CALICO"));
        assert.deepEqual(doubts(defined), []);
        assert.deepEqual([...bgpRouter(defined)!.peerGroups.values()], [{ name: "CALICO", remoteAsn: 64512 }]);
        assert.equal(bgpRouter(defined)!.neighbors.get(ip("10.0.0.1"))!.remoteAsn, 64512);

        // Settings of a name nothing defines: a group whose definition the read lost, or a form the package does not know.
        const undefinedName = device("neighbor CALICO remote-as 64512", "neighbor 10.9.9.9 remote-as 65000");
        const config = parseRunningConfig(undefinedName);
        assert.equal(bgpRouter(config)!.peerGroups.size, 0);
        assert.deepEqual(doubts(config).map((r) => r.lines.map((l) => l.text)), [["neighbor CALICO remote-as 64512"]]);
        assert.deepEqual(verdict(undefinedName, "10.0.0.1"), REFUSED);

        // EOS spells it in two words, definition and membership alike.
        const eos = parseRunningConfig(device("neighbor SPINE peer group", "neighbor SPINE remote-as 65100", "neighbor 10.0.0.2 peer group SPINE"));
        assert.deepEqual(doubts(eos), []);
        assert.deepEqual({ ...bgpRouter(eos)!.neighbors.get(ip("10.0.0.2"))!, otherLines: [] }, { address: "10.0.0.2", remoteAsn: 65100, peerGroup: "SPINE", description: null, password: null, updateSource: null, ebgpMultihop: null, otherLines: [] });
        assert.equal(planNeighbors(eos, asn(500), [want("10.0.0.2")], new Set(), true).ok, false, "a member is never taken over");

        // A definition named like an address is not a group the package can read.
        assert.deepEqual(verdict(device("neighbor 10.0.0.1 peer-group", "neighbor 10.9.9.9 remote-as 65000"), "10.0.0.1"), REFUSED);
    });

    it("keeps FRR's interface neighbors (unnumbered BGP) as foreign lines: neither peer groups nor addresses, and the router is not deleted around them", () => {
        const text = device(
            "neighbor fabric peer-group",
            "neighbor fabric remote-as external",
            "neighbor swp1 interface peer-group fabric",
            "neighbor eth0 interface v6only remote-as external",
            "neighbor eth0 description leaf uplink",
            "neighbor 10.9.9.9 remote-as 65000",
        );
        const config = parseRunningConfig(text);
        assert.deepEqual(doubts(config), []);
        const router = bgpRouter(config)!;
        assert.deepEqual([...router.peerGroups.keys()], ["fabric"]);
        assert.deepEqual([...router.neighbors.keys()], ["10.9.9.9"]);
        assert.ok(router.otherLines.includes("neighbor eth0 description leaf uplink"));
        assert.deepEqual(verdict(text, "10.0.0.1"), { add: "add-neighbor", remove: "nothing", router: "nothing" });
        // A name declared as both is not certain.
        assert.deepEqual(verdict(device("neighbor eth0 peer-group", "neighbor eth0 interface remote-as external"), "10.0.0.1"), REFUSED);
    });

    it("property: an address spelled in a doubtful form anywhere among certain neighbors is never a neighbor, a peer group or another address, and nothing is planned", () => {
        const octets = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }));
        /** One spelling of a.b.c.d that stacks read differently, or an IPv6 form a stack may take as it. */
        const doubtful = fc.tuple(octets, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })).map(([[a, b, c, d], form, at]) => {
            const parts = [a, b, c, d].map(String);
            switch (form) {
                case 0:
                    parts[at] = `0${parts[at]}`;
                    return { word: parts.join("."), means: `${a}.${b}.${c}.${d}` };
                case 1:
                    return { word: `::ffff:${a}.${b}.${c}.${d}`, means: `${a}.${b}.${c}.${d}` };
                case 2:
                    return { word: ipaddr.IPv6.parse(`::ffff:${a}.${b}.${c}.${d}`).toString(), means: `${a}.${b}.${c}.${d}` };
                case 3:
                    return { word: `fe80::${a.toString(16)}%eth${at}`, means: `${a}.${b}.${c}.${d}` };
                case 4:
                    return { word: `${a}.${(b << 16) | (c << 8) | d}`, means: `${a}.${b}.${c}.${d}` };
                default:
                    return { word: `0x${a.toString(16)}.${b}.${c}.${d}`, means: `${a}.${b}.${c}.${d}` };
            }
        });
        const certain = fc.uniqueArray(octets.map(([, b, c, d]) => `10.${b}.${c}.${d}`), { minLength: 1, maxLength: 6 });
        const attribute = fc.constantFrom("remote-as 64512", "peer-group CALICO", "description k8s node", "password s3cret", "activate");
        fc.assert(
            fc.property(certain, doubtful, attribute, fc.nat(), (addresses, { word, means }, attr, at) => {
                const lines = ["neighbor CALICO peer-group", ...addresses.map((a) => `neighbor ${a} remote-as 65000`)];
                lines.splice(1 + (at % lines.length), 0, `neighbor ${word} ${attr}`);
                const text = device(...lines);
                const config = parseRunningConfig(text);
                const router = bgpRouter(config)!;
                assert.deepEqual([...router.neighbors.keys()].sort(), [...addresses].sort(), text);
                assert.deepEqual([...router.peerGroups.keys()], ["CALICO"], text);
                assert.ok(doubts(config).some((r) => r.lines.some((l) => l.text === `neighbor ${word} ${attr}`)), text);
                for (const address of [means, addresses[0]!]) assert.deepEqual(verdict(text, address), REFUSED, text);
            }),
            { numRuns: 300 },
        );
    });

    it("property: any IPv6 spelling ipaddr.js reads as one address is that neighbor, in canonical form", () => {
        const group = fc.integer({ min: 0, max: 0xffff });
        fc.assert(
            fc.property(fc.tuple(fc.constantFrom(0x2001, 0xfd00, 0x2a00), group, group, group, group, group, group, group), fc.boolean(), fc.boolean(), (parts, upper, padded) => {
                const address = new ipaddr.IPv6(parts);
                let word = padded ? parts.map((p) => p.toString(16).padStart(4, "0")).join(":") : address.toString();
                if (upper) word = word.toUpperCase();
                const ref = parseNeighborRef(word);
                assert.deepEqual(ref, { kind: "address", address: address.toString() }, word);
                const config = parseRunningConfig(device(`neighbor ${word} remote-as 65001`));
                assert.deepEqual([...bgpRouter(config)!.neighbors.keys()], [address.toString()]);
            }),
            { numRuns: 300 },
        );
    });

    it("reads words of 100,000 characters of every adversarial shape in one pass, each as doubtful or a name", () => {
        const piece = fc.constantFrom("1", ".", ":", "::", "f", "%", "0x", "1.", "ffff:", "a");
        fc.assert(
            fc.property(fc.array(piece, { minLength: 1, maxLength: 4 }), (pieces) => {
                const unit = pieces.join("");
                const word = unit.repeat(Math.ceil(100000 / unit.length));
                const ref = parseNeighborRef(word);
                assert.notEqual(ref.kind, "address", unit);
                const config = parseRunningConfig(device(`neighbor ${word} remote-as 1`, "neighbor 10.9.9.9 remote-as 65000"));
                assert.deepEqual([...bgpRouter(config)!.neighbors.keys()], ["10.9.9.9"]);
                assert.ok(doubts(config).length > 0, unit);
            }),
            { numRuns: 60 },
        );
    });
});
