/**
 * The ADC's inbound filter on a dual-stack neighbor set: IPv4 entries in `ip prefix-list`, IPv6
 * ones in `ipv6 prefix-list` of the same name, attached to IPv6 neighbors inside
 * `address-family ipv6`. Convergence is proved against the simulator's own vtysh model, as for
 * the IPv4 filter: the planned lines, typed into it, leave a configuration from which nothing
 * more is planned, after any cut of the batch.
 */
import { strict as assert } from "assert";
import type { ConfigLine } from "../../../provider/device/types";
import { parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import {
    confirmFilteredNeighbors,
    confirmFilteredNeighborsRemoval,
    decideFilteredNeighbors,
    decideFilteredNeighborsRemoval,
    type FilteredNeighborsWant,
    type NeighborsOwnership,
} from "../../../provider/core/ownership";
import { filterDrift, filterView, NO_FILTER_OWNED, parsePrefixListLine, parsePrefixLists, renderNeighborsWithFilter, sectionPrefixListIn, type PrefixListEntry } from "../../../provider/core/prefixFilter";
import type { Asn, IpAddress } from "../../../provider/core/values";
import { TestConsole } from "../simulator/console";

const ASN = 500 as Asn;
const NAME = "pca-dev-adc-in";
const V4 = ["10.102.33.201", "10.102.33.202"] as IpAddress[];
const V6 = ["fd00:102:33::201", "fd00:102:33::202"] as IpAddress[];
const entry = (seq: number, prefix: string, ge: number | null = null, le: number | null = null, action: "permit" | "deny" = "permit"): PrefixListEntry => ({ seq, action, prefix, ge, le });
/** What CalicoAdcPeering hands over for a dual-stack cluster: each pool's blocks, one list. */
const LIST = { name: NAME, entries: [entry(5, "192.168.0.0/16", 26, 32), entry(10, "fd00:10:244::/48", 122, 128)] };

function want(neighbors: readonly IpAddress[] = [...V4, ...V6], adopt = false): FilteredNeighborsWant {
    return {
        asn: ASN,
        neighbors: neighbors.map((address) => ({ address, remoteAsn: 64512 as Asn, description: "node", password: null, updateSource: null, ebgpMultihop: null })),
        adopt,
        filter: { list: LIST, maximumPrefix: null },
    };
}

async function device(extra: string[] = [], options: { ipv6PrefixListSupport?: boolean } = {}): Promise<TestConsole> {
    const c = await TestConsole.open({ ...options, initialConfig: { enabledFeatures: ["BGP"], zebos: [...extra, "router bgp 500"] } });
    await c.typeAll(["vtysh", "configure terminal"]);
    return c;
}

/** Types the lines the way the session does: global ones in `ns(config)#`, router ones in `router bgp`, section ones in its `address-family ipv6`. */
async function send(c: TestConsole, lines: readonly ConfigLine[]): Promise<string[]> {
    const errors: string[] = [];
    for (const l of lines) {
        const enter = l.context === "global" ? [] : [`router bgp ${l.context.routerBgp}`, ...(l.context.addressFamily ? ["address-family ipv6"] : [])];
        const out = await c.typeAll(["end", "configure terminal", ...enter, l.text]);
        errors.push(...out.filter((x) => x.startsWith("%")).map((x) => `${l.text}: ${x}`));
    }
    await c.type("end");
    return errors;
}

async function read(c: TestConsole) {
    const text = (await c.typeAll(["end", "show running-config"])).join("\n");
    await c.type("configure terminal");
    const config = parseRunningConfig(text);
    return { text, config, view: filterView(text, config) };
}

describe("core: the inbound filter on IPv6 neighbors (ipv6 prefix-list in address-family ipv6)", () => {
    it("reads ipv6 prefix-list lines in canonical form as lists of their own, and an IPv6 neighbor's list from the section", () => {
        assert.deepEqual(parsePrefixListLine("ipv6 prefix-list P seq 5 permit FD00:10:244:0::/48 ge 122 le 128"), { family: "ipv6", name: "P", entry: entry(5, "fd00:10:244::/48", 122, null) });
        assert.equal(parsePrefixListLine("ipv6 prefix-list P seq 5 permit 10.0.0.0/8"), null, "an IPv4 prefix is no entry of an ipv6 list");
        assert.equal(parsePrefixListLine("ip prefix-list P seq 5 permit fd00::/8"), null, "nor an IPv6 prefix of an ip list");
        const text = [
            "!",
            "ip prefix-list P seq 5 permit 10.0.0.0/8",
            "!",
            "ipv6 prefix-list P seq 5 permit fd00::/8 le 64",
            "ipv6 prefix-list P seq 10 deny ::/0",
            "!",
            "router bgp 500",
            " neighbor fd00::1 remote-as 1",
            " !",
            " address-family ipv6",
            " neighbor fd00::1 activate",
            " neighbor FD00:0::1 prefix-list P in",
            " exit-address-family",
            "!",
            "end",
        ].join("\n");
        assert.deepEqual([...parsePrefixLists(text)], [["P", [entry(5, "10.0.0.0/8")]]]);
        assert.deepEqual([...parsePrefixLists(text, "ipv6")], [["P", [entry(5, "fd00::/8", null, 64), entry(10, "::/0", null, null, "deny")]]]);
        assert.equal(sectionPrefixListIn(parseRunningConfig(text).routers[0]!, "fd00::1" as IpAddress), "P", "any spelling of the address");
    });

    it("creates both families' lists and attachments in one batch, each IPv6 neighbor's right after its activation; the simulator takes them and nothing is left to plan", async () => {
        const c = await device();
        const start = await read(c);
        const owned: NeighborsOwnership = { neighbors: new Set(), filter: NO_FILTER_OWNED };
        const d = decideFilteredNeighbors(start.view, owned, want());
        assert.ok(d.ok, JSON.stringify(!d.ok && d.conflicts));
        const lines = renderNeighborsWithFilter(d.neighbors.changes, d.filterChanges);
        const texts = lines.map((l) => `${l.context !== "global" && l.context.addressFamily ? "af " : ""}${l.text}`);
        assert.ok(texts.includes("ip prefix-list pca-dev-adc-in seq 5 permit 192.168.0.0/16 ge 26"));
        assert.ok(texts.includes("ipv6 prefix-list pca-dev-adc-in seq 10 permit fd00:10:244::/48 ge 122"));
        for (const a of V6) {
            const at = texts.indexOf(`af neighbor ${a} activate`);
            assert.equal(texts[at + 1], `af neighbor ${a} prefix-list ${NAME} in`, "filtered on the line after the session may carry IPv6 routes");
            assert.ok(texts.indexOf(`ipv6 prefix-list ${NAME} seq 10 permit fd00:10:244::/48 ge 122`) < at, "the list exists before anything names it");
            assert.ok(!texts.includes(`neighbor ${a} prefix-list ${NAME} in`), "never at router level, where it would filter IPv4 unicast");
        }
        assert.deepEqual(await send(c, lines), []);
        const after = await read(c);
        assert.match(after.text, /^ipv6 prefix-list pca-dev-adc-in seq 10 permit fd00:10:244::\/48 ge 122$/m);
        assert.match(after.text, /^ neighbor fd00:102:33::201 prefix-list pca-dev-adc-in in$/m);
        const confirmed = confirmFilteredNeighbors(d, owned, want(), after.view);
        assert.deepEqual([...confirmed.owned.filter.lists, ...(confirmed.owned.filter.ipv6Lists ?? [])], [NAME, NAME]);
        assert.deepEqual(confirmed.unfiltered, []);
        assert.deepEqual(filterDrift({ ...want().filter, neighbors: [...V4, ...V6] }, after.view, ASN), []);
        const again = decideFilteredNeighbors(after.view, confirmed.owned, want());
        assert.ok(again.ok && again.neighbors.changes.length === 0 && again.filterChanges.length === 0, "converged");
    });

    it("a batch cut after any line: owns what the device shows, names IPv6 neighbors up without their list, and the next plan sends exactly the rest", async () => {
        const owned: NeighborsOwnership = { neighbors: new Set(), filter: NO_FILTER_OWNED };
        const start = await read(await device());
        const d = decideFilteredNeighbors(start.view, owned, want());
        assert.ok(d.ok);
        const lines = renderNeighborsWithFilter(d.neighbors.changes, d.filterChanges);
        for (let cut = 0; cut <= lines.length; cut++) {
            const c = await device();
            assert.deepEqual(await send(c, lines.slice(0, cut)), []);
            const after = await read(c);
            const confirmed = confirmFilteredNeighbors(d, owned, want(), after.view);
            for (const l of confirmed.owned.filter.ipv6Lists ?? []) assert.ok(after.view.ipv6Lists.has(l), `cut ${cut}: owns ipv6 list ${l}, which the device shows`);
            const router = after.config.routers[0]!;
            const unfilteredV6 = V6.filter((a) => router.neighbors.has(a) && sectionPrefixListIn(router, a) !== NAME);
            for (const a of unfilteredV6) assert.ok(confirmed.unfiltered.includes(a), `cut ${cut}: ${a} is named unfiltered`);
            const next = decideFilteredNeighbors(after.view, confirmed.owned, want());
            assert.ok(next.ok, `cut ${cut}: ${JSON.stringify(!next.ok && next.conflicts)}`);
            const rest = renderNeighborsWithFilter(next.neighbors.changes, next.filterChanges);
            assert.deepEqual(rest.map((l) => l.text).sort(), lines.slice(cut).map((l) => l.text).sort(), `cut ${cut}: exactly the lines not sent`);
            assert.deepEqual(await send(c, rest), []);
            const done = await read(c);
            const again = decideFilteredNeighbors(done.view, confirmFilteredNeighbors(next, confirmed.owned, want(), done.view).owned, want());
            assert.ok(again.ok && again.neighbors.changes.length === 0 && again.filterChanges.length === 0, `cut ${cut}: converged`);
        }
    });

    it("never touches a foreign ipv6 prefix-list: one of its own name is refused unless adopted; another is left exactly as it was through create and destroy", async () => {
        const foreign = ["ipv6 prefix-list ADMIN-V6 seq 5 permit 2001:db8::/32 le 48", "ipv6 prefix-list ADMIN-V6 seq 10 deny ::/0 le 128"];
        const clash = await read(await device([`ipv6 prefix-list ${NAME} seq 5 permit ::/0 le 128`]));
        const refused = decideFilteredNeighbors(clash.view, { neighbors: new Set(), filter: NO_FILTER_OWNED }, want());
        assert.deepEqual(!refused.ok && refused.conflicts.map((x) => [x.kind, "family" in x ? x.family : null]), [["foreign-prefix-list", "ipv6"]]);
        assert.ok(decideFilteredNeighbors(clash.view, { neighbors: new Set(), filter: NO_FILTER_OWNED }, want(undefined, true)).ok, "adoptExisting takes it over");

        const c = await device(foreign);
        const start = await read(c);
        const foreignLines = (text: string) => text.split("\n").filter((l) => l.includes("ADMIN-V6"));
        const before = foreignLines(start.text);
        const owned: NeighborsOwnership = { neighbors: new Set(), filter: NO_FILTER_OWNED };
        const d = decideFilteredNeighbors(start.view, owned, want());
        assert.ok(d.ok);
        assert.deepEqual(await send(c, renderNeighborsWithFilter(d.neighbors.changes, d.filterChanges)), []);
        const up = await read(c);
        const mine = confirmFilteredNeighbors(d, owned, want(), up.view).owned;
        const removal = decideFilteredNeighborsRemoval(up.view, mine, ASN);
        assert.ok(removal.ok, JSON.stringify(!removal.ok && removal.conflicts));
        const removalLines = renderNeighborsWithFilter(removal.neighbors, removal.filter);
        assert.ok(removalLines.some((l) => l.text === `no ipv6 prefix-list ${NAME}`) && removalLines.some((l) => l.text === `no ip prefix-list ${NAME}`));
        assert.ok(!removalLines.some((l) => l.text.includes("ADMIN-V6")));
        assert.deepEqual(await send(c, removalLines), []);
        const gone = await read(c);
        assert.deepEqual(foreignLines(gone.text), before, "the foreign list, line for line");
        assert.doesNotMatch(gone.text, new RegExp(NAME));
        const left = confirmFilteredNeighborsRemoval(mine, ASN, gone.view);
        assert.deepEqual([left.neighbors, left.filter], [[], []]);
    });

    /** The resource's list and neighbors on the device, then another IPv6 neighbor naming the list in the section with `direction`: the removal's plan. */
    async function removalBeside(direction: "in" | "out") {
        const c = await device();
        const owned: NeighborsOwnership = { neighbors: new Set(), filter: NO_FILTER_OWNED };
        const d = decideFilteredNeighbors((await read(c)).view, owned, want());
        assert.ok(d.ok);
        await send(c, renderNeighborsWithFilter(d.neighbors.changes, d.filterChanges));
        await send(c, [
            { context: { routerBgp: 500 }, text: "neighbor fd00:99::1 remote-as 65099" },
            { context: { routerBgp: 500, addressFamily: "ipv6" }, text: "neighbor fd00:99::1 activate" },
            { context: { routerBgp: 500, addressFamily: "ipv6" }, text: `neighbor fd00:99::1 prefix-list ${NAME} ${direction}` },
        ]);
        const after = await read(c);
        return decideFilteredNeighborsRemoval(after.view, confirmFilteredNeighbors(d, owned, want(), after.view).owned, ASN);
    }

    it("refuses to remove an owned ipv6 list that an IPv6 neighbor it does not own still names in the section", async () => {
        const removal = await removalBeside("in");
        assert.deepEqual(!removal.ok && removal.conflicts.map((x) => [x.kind, "address" in x ? x.address : null, "family" in x ? x.family : null]), [["list-used-by-foreign-neighbor", "fd00:99::1", "ipv6"]]);
    });

    it("refuses to remove an owned ipv6 list that another IPv6 neighbor names outbound in the section, quoting the line", async () => {
        const removal = await removalBeside("out");
        assert.ok(!removal.ok, JSON.stringify(removal.ok && removal.filter));
        assert.deepEqual(removal.conflicts.map((x) => [x.kind, x.kind === "list-referenced-elsewhere" ? x.lines.map((l) => l.text) : null]), [["list-referenced-elsewhere", [`neighbor fd00:99::1 prefix-list ${NAME} out`]]]);
    });

    it("a vtysh without ipv6 prefix lists answers those lines with an error and keeps nothing of them (the IPv4 lines still apply)", async () => {
        const c = await device([], { ipv6PrefixListSupport: false });
        const d = decideFilteredNeighbors((await read(c)).view, { neighbors: new Set(), filter: NO_FILTER_OWNED }, want());
        assert.ok(d.ok);
        const errors = await send(c, renderNeighborsWithFilter(d.neighbors.changes, d.filterChanges));
        assert.ok(errors.length > 0 && errors.every((e) => /^(ipv6 prefix-list|neighbor fd00:102:33::20\d prefix-list)/.test(e)), errors.join("\n"));
        const after = await read(c);
        assert.doesNotMatch(after.text, /ipv6 prefix-list/);
        assert.match(after.text, /^ip prefix-list pca-dev-adc-in/m);
    });
});
