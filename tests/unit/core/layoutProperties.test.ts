/**
 * Properties of the running-config reading over generated layouts: whatever the mix of known
 * lines, separators, sections and unknown lines, a router-level neighbor never appears or
 * vanishes; where the layout leaves doubt, the doubt is reported instead.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { bgpRouter, parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { doubts } from "../../../provider/core/plan";

const octet = fc.integer({ min: 1, max: 254 });
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,9}$/).filter((w) => !["neighbor", "address-family", "exit", "end", "template", "vrf", "vni", "vnc", "bmp", "rpki", "segment-routing", "vrf-policy", "no"].includes(w) && !w.startsWith("exit"));
const asn = fc.integer({ min: 1, max: 4294967295 });

/** A piece of the router block: its lines (without indentation: `depth` is added) and the router-level neighbors it declares. */
interface Piece {
    readonly lines: readonly (readonly [number, string])[];
    readonly neighbors: readonly string[];
}

const routerLevelNeighbor = (address: string): fc.Arbitrary<Piece> =>
    fc.tuple(asn, fc.option(fc.array(word, { minLength: 1, maxLength: 4 }), { nil: undefined })).map(([remote, description]) => ({
        lines: [[1, `neighbor ${address} remote-as ${remote}`], ...(description ? [[1, `neighbor ${address} description ${description.join(" ")}`] as const] : [])],
        neighbors: [address],
    }));
const peerGroupMember = (address: string): fc.Arbitrary<Piece> =>
    word.map((group) => ({ lines: [[1, `neighbor ${group} peer-group`], [1, `neighbor ${address} peer-group ${group}`]], neighbors: [address] }));
/** An IPv6 router-level neighbor as some device spells it (upper case, every zero written): read in canonical form. */
const ipv6Neighbor = (address: string): fc.Arbitrary<Piece> =>
    fc.tuple(fc.boolean(), fc.boolean(), asn).map(([upper, padded, remote]) => {
        let spelled = padded ? ipaddr.IPv6.parse(address).toNormalizedString().split(":").map((g) => g.padStart(4, "0")).join(":") : address;
        if (upper) spelled = spelled.toUpperCase();
        return { lines: [[1, `neighbor ${spelled} remote-as ${remote}`]], neighbors: [ipaddr.IPv6.parse(address).toString()] };
    });
/** FRR's unnumbered neighbor on an interface, with its settings: never an address. */
const interfaceNeighbor: fc.Arbitrary<Piece> = fc
    .tuple(fc.integer({ min: 1, max: 48 }), fc.constantFrom("remote-as external", "remote-as internal", "v6only remote-as external", "peer-group FABRIC"), fc.array(word, { maxLength: 3 }))
    .map(([port, how, description]) => ({
        lines: [
            ...(how.startsWith("peer-group") ? ([[1, "neighbor FABRIC peer-group"], [1, "neighbor FABRIC remote-as external"]] as const) : []),
            [1, `neighbor Ethernet1/${port} interface ${how}`],
            ...(description.length > 0 ? ([[1, `neighbor Ethernet1/${port} description ${description.join(" ")}`]] as const) : []),
        ],
        neighbors: [],
    }));
/** A peer group defined (in IOS's or EOS's words) with settings of its own and no member. */
const groupAlone: fc.Arbitrary<Piece> = fc.tuple(fc.constantFrom("peer-group", "peer group"), asn, fc.array(word, { maxLength: 3 })).map(([spelling, remote, description]) => ({
    lines: [[1, `neighbor SPINES ${spelling}`], [1, `neighbor SPINES remote-as ${remote}`], ...(description.length > 0 ? ([[1, `neighbor SPINES description ${description.join(" ")}`]] as const) : [])],
    neighbors: [],
}));
const known: fc.Arbitrary<Piece> = fc.constantFrom<Piece>(
    { lines: [[1, "bgp router-id 10.0.0.1"]], neighbors: [] },
    { lines: [[1, "max-paths ebgp 8"]], neighbors: [] },
    { lines: [[1, "redistribute kernel"]], neighbors: [] },
    { lines: [[1, "!"]], neighbors: [] },
);
const unknown: fc.Arbitrary<Piece> = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => ({ lines: [[1, w.join(" ")]], neighbors: [] }));
/** An address-family section in one of the devices' styles; the addresses in it are not router-level neighbors. */
const section = (inside: string): fc.Arbitrary<Piece> =>
    fc.tuple(fc.constantFrom("ipv4 unicast", "ipv6", "ipv4 vrf BLUE", "l2vpn evpn"), fc.constantFrom("deep", "shallow"), fc.array(word, { maxLength: 2 }), asn).map(([family, style, extra, remote]) => {
        const d = style === "deep" ? 2 : 1;
        return {
            lines: [[1, `address-family ${family}`], [d, `neighbor ${inside} activate`], [d, `neighbor ${inside} remote-as ${remote}`], ...extra.map((e) => [d, e] as const), [1, "exit-address-family"]],
            neighbors: [],
        };
    });

/** A router block built from pieces, with foreign blocks around it (another instance in a vrf among them). */
const layout = fc
    .uniqueArray(fc.tuple(octet, octet, octet).map(([a, b, c]) => `10.${a}.${b}.${c}`), { minLength: 2, maxLength: 12 })
    .chain((addresses) => {
        const [vrfOnly, ...rest] = addresses;
        const pieces = fc.array(fc.oneof(known, unknown, section(vrfOnly!), interfaceNeighbor, groupAlone), { maxLength: 10 });
        // Some of the addresses as IPv6 (the same host number in the documentation range).
        const neighborPieces = fc.tuple(...rest.map((a, i) => (i % 3 === 2 ? ipv6Neighbor(`2001:db8:${a.split(".").slice(1).join(":")}::${i}`) : fc.oneof(routerLevelNeighbor(a), peerGroupMember(a)))));
        return fc.tuple(fc.constant(vrfOnly!), pieces, neighborPieces, fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.boolean(), fc.nat());
    })
    .map(([vrfOnly, pieces, neighborPieces, depth, frrExit, vrfFirst, seed]) => {
        // Interleave neighbor pieces among the others at positions drawn from the seed.
        const all: Piece[] = [...pieces];
        neighborPieces.forEach((p, i) => all.splice((seed + i * 7) % (all.length + 1), 0, p));
        const body = all.flatMap((p) => p.lines.map(([d, text]) => `${" ".repeat(d * depth)}${text}`));
        const vrf = ["router bgp 65000 vrf BLUE", ` neighbor ${vrfOnly} remote-as 65001`, "!"];
        const lines = [
            "!",
            "interface vlan0",
            " ip address 10.102.33.208/24",
            "!",
            ...(vrfFirst ? vrf : []),
            "router bgp 65000",
            ...body,
            ...(frrExit ? ["exit"] : []),
            "!",
            ...(vrfFirst ? [] : vrf),
            "ip prefix-list P seq 5 permit any",
            "!",
            "end",
        ];
        return { lines, expected: all.flatMap((p) => p.neighbors), bodyStart: lines.indexOf("router bgp 65000") + 1, bodyLength: body.length };
    });

const mainNeighbors = (text: string) => [...(bgpRouter(parseRunningConfig(text))?.neighbors.keys() ?? [])].sort();

describe("running-config layouts, property-based", () => {
    it("no interleaving of known lines, separators, sections and unknown lines makes a router-level neighbor appear or vanish", () => {
        fc.assert(
            fc.property(layout, ({ lines, expected }) => {
                const config = parseRunningConfig(lines.join("\n"));
                assert.deepEqual(doubts(config), [], lines.join("\n"));
                assert.deepEqual(mainNeighbors(lines.join("\n")), [...expected].sort());
            }),
            { numRuns: 400 },
        );
    });

    it("a line wrapped to column 0, a pager remnant or an unclosed shallow section inside the block is reported, never read as something else silently", () => {
        const doubtful = fc.constantFrom("wrapped tail of a description", "--More--", " address-family ipv6\n neighbor 10.255.255.1 activate");
        fc.assert(
            fc.property(layout, doubtful, fc.nat(), ({ lines, expected, bodyStart, bodyLength }, insert, at) => {
                const copy = [...lines];
                copy.splice(bodyStart + (at % (bodyLength + 1)), 0, insert);
                const text = copy.join("\n");
                const config = parseRunningConfig(text);
                const seen = mainNeighbors(text);
                const unchanged = JSON.stringify(seen) === JSON.stringify([...expected].sort());
                // The shallow section without exit is harmless only when nothing follows it in the block.
                assert.ok(doubts(config).length > 0 || (unchanged && insert.startsWith(" address-family")), text);
            }),
            { numRuns: 300 },
        );
    });

    it("any text at all parses without throwing, in one pass", () => {
        fc.assert(
            fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom("!", " !", "router bgp 1", " neighbor 10.0.0.1 remote-as 2", "exit", " exit-address-family", "end", "--More--")), { maxLength: 40 }), (parts) => {
                parseRunningConfig(parts.join("\n"));
            }),
            { numRuns: 300 },
        );
    });
});
