/**
 * The parser and planner on layouts this project did not write: running configurations from
 * ZebOS (NetScaler, F5 imish), FRR, IOS and EOS, each with its source in
 * tests/fixtures/running-configs/index.json.
 */
import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import type { Neighbor } from "../../../provider/core/model";
import { bgpRouter, parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { doubts, NOTHING_OWNED, planNeighbors, planNeighborsRemoval, planRouterRemoval } from "../../../provider/core/plan";
import { decideNeighborsRemoval } from "../../../provider/core/ownership";
import { renderChanges } from "../../../provider/core/render";
import type { ConfigLine } from "../../../provider/device/types";
import type { Asn, IpAddress } from "../../../provider/core/values";

const DIR = join(__dirname, "..", "..", "..", "..", "tests", "fixtures", "running-configs");

interface Entry {
    file: string;
    platform: string;
    source: { repository: string; commit: string; path: string; license: string };
    expect: { mainAsn: number | null; neighbors: string[]; peerGroups: string[]; refused: boolean };
}

const corpus: Entry[] = JSON.parse(readFileSync(join(DIR, "index.json"), "utf8")).entries;
/**
 * The entry as vtysh's `show running-config` answers with it: most entries are configuration
 * files, whose end proves nothing, while a whole answer always closes with a column-0 `end`
 * (the device adds it; a file that has it already is printed as it is).
 */
const read = (e: Entry) => {
    const file = readFileSync(join(DIR, e.file), "utf8");
    return /(?:^|\n)end[ \t\r]*\n*$/.test(file) ? file : `${file.replace(/\s+$/, "")}\nend\n`;
};

/**
 * Neighbors a stack adds: addresses from the documentation ranges, which no corpus entry uses
 * or covers (IPv6 from RFC 9637's 3fff::/20: a dynamic-neighbor range in 2001:db8::/32 is in the corpus).
 */
const OURS: Neighbor[] = ["192.0.2.201", "198.51.100.202", "3fff:ffff::203"].map((a) => ({
    address: a as IpAddress,
    remoteAsn: 64512 as Asn,
    description: "k8s node",
    password: null,
    updateSource: null,
    ebgpMultihop: null,
}));

/**
 * How a ZebOS/FRR device changes its `show running-config` text for the lines this package
 * sends to the main instance: a `neighbor X ...` line is shown under `router bgp`, and
 * `no neighbor X` removes every line naming X in that block, sections included. Written
 * independently of the package's parser: it finds the block by its head and its end by the next
 * column-0 line.
 */
function applyToText(text: string, asn: number, lines: readonly ConfigLine[]): string {
    const out = text.split("\n");
    const head = out.findIndex((l) => new RegExp(`^router bgp (${asn}|\\d+\\.\\d+)(\\s+as-notation\\s+\\S+)?\\s*$`).test(l));
    assert.ok(head >= 0, `router bgp ${asn} in the text`);
    let inserted = 0;
    // The device prints its lines at the depth it prints the rest of the block.
    const depth = /^\s+/.exec(out[head + 1] ?? "")?.[0] ?? " ";
    for (const line of lines) {
        if (line.context !== "global" && line.context.addressFamily === "ipv6") {
            applyInIpv6Section(out, head, line.text);
            continue;
        }
        assert.deepEqual(line.context, { routerBgp: asn }, `only router lines: ${line.text}`);
        const removal = /^no neighbor (\S+)$/.exec(line.text);
        if (removal) {
            let end = head + 1;
            while (end < out.length && !/^\S/.test(out[end]!)) end++;
            for (let i = end - 1; i > head; i--) if (new RegExp(`^\\s*neighbor ${removal[1]!.replace(/\./g, "\\.")} `).test(out[i]!)) out.splice(i, 1);
            continue;
        }
        assert.match(line.text, /^neighbor \S+ (remote-as|description) /);
        out.splice(head + 1 + inserted++, 0, `${depth}${line.text}`);
    }
    return out.join("\n");
}

/**
 * A line typed in `address-family ipv6`: `neighbor X activate` joins the block's IPv6 unicast
 * section (`address-family ipv6` or `ipv6 unicast`, ended by `exit-address-family`) before its
 * end, at the depth of its lines, or opens one at the end of the block; `no neighbor X activate`
 * takes the line out, and a section left empty by it is no longer printed (as Quagga and FRR do).
 */
function applyInIpv6Section(out: string[], head: number, text: string): void {
    let end = head + 1;
    while (end < out.length && !/^\S/.test(out[end]!)) end++;
    let open = -1;
    for (let i = head + 1; i < end; i++) if (/^\s*address-family ipv6(?: unicast)?\s*$/.test(out[i]!)) open = i;
    let close = -1;
    if (open >= 0) for (let i = open + 1; i < end && close < 0; i++) if (/^\s*exit-address-family\s*$/.test(out[i]!)) close = i;
    const m = /^(no )?neighbor (\S+) activate$/.exec(text);
    assert.ok(m, `only activation in the section: ${text}`);
    if (m[1] === undefined) {
        if (open < 0 || close < 0) {
            const depth = /^\s+/.exec(out[head + 1] ?? "")?.[0] ?? " ";
            out.splice(end, 0, `${depth}address-family ipv6`, `${depth}${text}`, `${depth}exit-address-family`);
            return;
        }
        const depth = /^\s+/.exec(out[close - 1 > open ? close - 1 : open]!)?.[0] ?? " ";
        out.splice(close, 0, `${depth}${text}`);
        return;
    }
    assert.ok(open >= 0 && close >= 0, `a section to deactivate ${m[2]} in`);
    const at = out.findIndex((l, i) => i > open && i < close && l.trim() === `neighbor ${m[2]} activate`);
    assert.ok(at >= 0, `neighbor ${m[2]} activate in the section`);
    out.splice(at, 1);
    if (close - 1 === open + 1) out.splice(open, 2);
}

describe("running-config corpus (real layouts, sources in tests/fixtures/running-configs/index.json)", () => {
    it("has at least 57 entries from ZebOS, FRR and IOS-style devices, each with its source", () => {
        assert.ok(corpus.length >= 57);
        for (const platform of ["zebos-f5", "zebos-netscaler", "frr", "ios", "eos"]) assert.ok(corpus.some((e) => e.platform === platform), platform);
        for (const e of corpus) {
            assert.match(e.source.repository, /^https:\/\/github\.com\//);
            assert.match(e.source.commit, /^[0-9a-f]{40}$/);
            assert.ok(e.source.path && e.source.license, e.file);
        }
    });

    for (const e of corpus) {
        describe(e.file, () => {
            const text = read(e);
            const config = parseRunningConfig(text);
            const main = bgpRouter(config);

            it(`reads the main instance as ${e.source.repository.replace("https://github.com/", "")} shows it`, () => {
                assert.equal(main?.asn ?? null, e.expect.mainAsn);
                const shown = main ? [...main.neighbors.values()].map((n) => `${n.address}:${n.remoteAsn}${n.peerGroup ? `@${n.peerGroup}` : ""}`) : [];
                assert.deepEqual(shown, e.expect.neighbors);
                assert.deepEqual(main ? [...main.peerGroups.keys()] : [], e.expect.peerGroups);
                assert.equal(doubts(config).length > 0, e.expect.refused);
            });

            it("reads the same with CRLF line ends, tabs for the indentation's spaces, or blanks after each line", () => {
                const reading = (t: string) => {
                    const c = parseRunningConfig(t);
                    const r = bgpRouter(c);
                    return { main: r ? [...r.neighbors.values()] : [], groups: r ? [...r.peerGroups.values()] : [], other: r?.otherLines, taken: r ? [...r.takenWith] : [], refused: doubts(c).length > 0 };
                };
                const plain = reading(text);
                assert.deepEqual(reading(text.replace(/\n/g, "\r\n")), plain, "CRLF");
                assert.deepEqual(reading(text.replace(/^ +/gm, (spaces) => "\t".repeat(spaces.length))), plain, "tabs");
                assert.deepEqual(reading(text.replace(/\n/g, " \t \n")), plain, "trailing blanks");
            });

            if (e.expect.refused) {
                it("refuses to add, claim or remove anything, and says which lines are in doubt", () => {
                    const add = planNeighbors(config, (main?.asn ?? 500) as Asn, OURS, new Set(), true);
                    assert.ok(!add.ok && add.conflicts.some((c) => c.kind === "uncertain" && c.regions.every((r) => r.lines.length > 0)));
                    assert.equal(planNeighborsRemoval(config, (main?.asn ?? 500) as Asn, new Set(OURS.map((n) => n.address))).ok, false);
                    assert.equal(planRouterRemoval(config, (main?.asn ?? 500) as Asn, { ...NOTHING_OWNED, router: true, routerId: true }).ok, false);
                });
                return;
            }
            if (!main) return;

            it("destroying a stack that added neighbors leaves every line it did not add exactly as it was", () => {
                const add = planNeighbors(config, main.asn, OURS, new Set(), false);
                assert.ok(add.ok, JSON.stringify(!add.ok && add.conflicts));
                const withOurs = applyToText(text, main.asn, renderChanges(add.changes));
                const after = parseRunningConfig(withOurs);
                const again = planNeighbors(after, main.asn, OURS, add.owned, false);
                assert.ok(again.ok);
                assert.deepEqual(again.changes, [], "nothing left to send once the device shows them");
                const removal = planNeighborsRemoval(after, main.asn, add.owned);
                assert.ok(removal.ok);
                assert.equal(applyToText(withOurs, main.asn, renderChanges(removal.changes)), text);
            });

            it("refuses to remove its neighbor once another writer gives it a line in any address-family section of the block but a VRF's", () => {
                const add = planNeighbors(config, main.asn, OURS, new Set(), false);
                assert.ok(add.ok);
                const lines = applyToText(text, main.asn, renderChanges(add.changes)).split("\n");
                const head = lines.findIndex((l) => new RegExp(`^router bgp (${main.asn}|\\d+\\.\\d+)(\\s+as-notation\\s+\\S+)?\\s*$`).test(l));
                let end = head + 1;
                while (end < lines.length && !/^\S/.test(lines[end]!)) end++;
                for (let at = head + 1; at < end; at++) {
                    if (!/^\s*address-family\s/.test(lines[at]!)) continue;
                    const next = lines[at + 1] ?? "";
                    const depth = /^\s*exit-address-family/.test(next) ? `${/^\s*/.exec(lines[at]!)![0]} ` : /^\s*/.exec(next)![0];
                    const foreign = `neighbor ${OURS[0]!.address} route-map FOREIGN in`;
                    const withForeign = parseRunningConfig([...lines.slice(0, at + 1), `${depth}${foreign}`, ...lines.slice(at + 1)].join("\n"));
                    const removal = decideNeighborsRemoval(withForeign, add.owned, main.asn);
                    // A VRF's section (`address-family ipv4 vrf RED`) holds another peer of that address, which the removal leaves.
                    if (/\svrf\s/i.test(lines[at]!)) assert.ok(removal.ok, `${lines[at]!.trim()}: ${JSON.stringify(removal)}`);
                    else assert.ok(!removal.ok && removal.conflicts.some((c) => c.kind === "foreign-lines" && c.lines.some((l) => l.endsWith(foreign))), `${lines[at]!.trim()}: ${JSON.stringify(removal)}`);
                }
            });

            it("deleting a router it created keeps the block and everything in it that is not its own", () => {
                const removal = planRouterRemoval(config, main.asn, { ...NOTHING_OWNED, router: true });
                assert.ok(removal.ok);
                const empty = main.neighbors.size === 0 && main.otherLines.length === 0 && main.ipv6.active.size === 0 && main.ipv6.otherLines.length === 0 && main.routerId === null && main.redistribute.size === 0 && main.maxPaths.ebgp === null && main.maxPaths.ibgp === null;
                assert.deepEqual(renderChanges(removal.changes).map((l) => l.text), empty ? [`no router bgp ${main.asn}`] : []);
            });

            it("refuses everything once a neighbor in a doubtful form (octal IPv4, a zone, IPv4-mapped IPv6) or an undefined name stands among its lines", () => {
                const lines = text.split("\n");
                const head = lines.findIndex((l) => /^router bgp /.test(l) && parseRunningConfig(`${l}\nend\n`).routers[0]?.vrf === null);
                const depth = /^\s+/.exec(lines[head + 1] ?? "")?.[0] ?? " ";
                for (const form of ["neighbor 010.0.0.1 remote-as 64512", "neighbor fe80::1%eth0 remote-as 64512", "neighbor ::ffff:192.0.2.201 remote-as 64512", "neighbor CALICO-UNDEFINED remote-as 64512"]) {
                    const withForm = [...lines.slice(0, head + 1), `${depth}${form}`, ...lines.slice(head + 1)].join("\n");
                    const config = parseRunningConfig(withForm);
                    assert.ok(doubts(config).some((r) => r.lines.some((l) => l.text === form)), form);
                    assert.equal(planNeighbors(config, main.asn, OURS, new Set(), true).ok, false, form);
                    assert.equal(planRouterRemoval(config, main.asn, { ...NOTHING_OWNED, router: true }).ok, false, form);
                }
            });

            it("refuses to take over a neighbor that is already there, a peer-group member even when adopting", () => {
                for (const n of main.neighbors.values()) {
                    const wanted: Neighbor = { address: n.address, remoteAsn: 64512 as Asn, description: null, password: null, updateSource: null, ebgpMultihop: null };
                    const plan = planNeighbors(config, main.asn, [wanted], new Set(), n.peerGroup !== null);
                    assert.equal(plan.ok, false, `${n.address}`);
                }
            });
        });
    }
});
