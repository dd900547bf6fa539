/**
 * What `no neighbor X` takes with it on ZebOS and FRR: the neighbor's router-level lines, and
 * also its lines in every address-family section, its peer-group membership and the
 * router-level `no neighbor X ...` lines. A neighbor the resource owns that carries any such
 * line it did not write is refused on removal (quoting the line), never removed with it.
 */
import { strict as assert } from "assert";
import type { Neighbor } from "../../../provider/core/model";
import { decideFilteredNeighborsRemoval, decideNeighbors, decideNeighborsRemoval } from "../../../provider/core/ownership";
import { parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { planNeighbors } from "../../../provider/core/plan";
import { filterView, renderNeighborsWithFilter } from "../../../provider/core/prefixFilter";
import { renderChanges } from "../../../provider/core/render";
import type { Asn, IpAddress } from "../../../provider/core/values";

const ip = (s: string) => s as IpAddress;
const ASN = 500 as Asn;
const V4 = ip("192.0.2.201");
const V6 = ip("2001:db8::201");

const neighbor = (address: IpAddress): Neighbor => ({ address, remoteAsn: 64512 as Asn, description: "k8s node", password: null, updateSource: null, ebgpMultihop: null });

/** A router block holding the two neighbors the resource added (the IPv6 one activated in IPv6 unicast, as it does), plus `extra` lines. */
function device(routerLevel: readonly string[], sections: readonly string[] = [], ipv6Section: readonly string[] = []): string {
    return [
        "router bgp 500",
        ` neighbor ${V4} remote-as 64512`,
        ` neighbor ${V4} description k8s node`,
        ` neighbor ${V6} remote-as 64512`,
        ` neighbor ${V6} description k8s node`,
        ...routerLevel.map((l) => ` ${l}`),
        " !",
        " address-family ipv6",
        `  neighbor ${V6} activate`,
        ...ipv6Section.map((l) => `  ${l}`),
        " exit-address-family",
        ...sections.map((l) => (l.startsWith("address-family") || l === "exit-address-family" ? ` ${l}` : `  ${l}`)),
        "!",
        "end",
        "",
    ].join("\n");
}

/** The removal refused for `address`, quoting `line` among the lines `no neighbor` would take. */
function refusesRemoving(text: string, address: IpAddress, line: RegExp): void {
    const config = parseRunningConfig(text);
    const owned = new Set([V4, V6]);
    for (const decision of [decideNeighborsRemoval(config, owned, ASN), decideNeighbors(config, owned, { asn: ASN, neighbors: [V4, V6].filter((a) => a !== address).map(neighbor), adopt: false })]) {
        assert.equal(decision.ok, false, renderChanges(decision.ok ? decision.changes : []).map((l) => l.text).join("; "));
        const conflict = !decision.ok ? decision.conflicts.find((c) => c.kind === "foreign-lines" && c.address === address) : undefined;
        assert.ok(conflict && conflict.kind === "foreign-lines" && conflict.lines.some((l) => line.test(l)), JSON.stringify(!decision.ok && decision.conflicts));
    }
}

describe("removing a neighbor the resource owns: what `no neighbor X` takes with it", () => {
    it("removes its own neighbors, deactivating the IPv6 one first, when nothing else names them", () => {
        const removal = decideNeighborsRemoval(parseRunningConfig(device([])), new Set([V4, V6]), ASN);
        assert.ok(removal.ok, JSON.stringify(removal));
        assert.deepEqual(
            renderChanges(removal.changes).map((l) => l.text),
            [`no neighbor ${V6} activate`, `no neighbor ${V4}`, `no neighbor ${V6}`],
        );
    });

    it("refuses while another writer's line names it in an address-family section (FRR prints route-maps there)", () => {
        refusesRemoving(device([], ["address-family ipv4 unicast", `neighbor ${V4} route-map FOREIGN-IN in`, "exit-address-family"]), V4, /route-map FOREIGN-IN in/);
    });

    it("refuses while another writer's line names it in the IPv6 unicast section besides its activation", () => {
        refusesRemoving(device([], [], [`neighbor ${V6} route-map FOREIGN6 in`]), V6, /route-map FOREIGN6 in/);
    });

    it("refuses an IPv6 neighbor activated by another writer in another family (address-family ipv6 vpn, FRR's SRv6 layout)", () => {
        refusesRemoving(device([], ["address-family ipv6 vpn", `neighbor ${V6} activate`, "exit-address-family"]), V6, /activate/);
    });

    it("refuses an IPv4 neighbor that another writer activated in IPv6 unicast (the resource never does)", () => {
        refusesRemoving(device([], [], [`neighbor ${V4} activate`]), V4, /neighbor 192\.0\.2\.201 activate/);
    });

    it("refuses while a router-level 'no neighbor X ...' line names it (F5 ZebOS prints capability switches so)", () => {
        refusesRemoving(device([`no neighbor ${V4} capability route-refresh`]), V4, /no neighbor 192\.0\.2\.201 capability route-refresh/);
    });

    it("refuses a neighbor another writer made a member of a peer group: the membership line goes with it", () => {
        refusesRemoving(device(["neighbor CALICO peer-group", "neighbor CALICO route-map FOREIGN in", `neighbor ${V4} peer-group CALICO`]), V4, /peer-group CALICO/);
    });

    it("quotes a section line with the section it stands in", () => {
        const config = parseRunningConfig(device([], ["address-family ipv4 unicast", `neighbor ${V4} route-map FOREIGN-IN in`, "exit-address-family"]));
        const removal = decideNeighborsRemoval(config, new Set([V4]), ASN);
        assert.ok(!removal.ok);
        assert.deepEqual(removal.conflicts, [{ kind: "foreign-lines", address: V4, lines: [`address-family ipv4 unicast: neighbor ${V4} route-map FOREIGN-IN in`] }]);
    });
});

describe("adding a neighbor a dynamic-neighbor range of the block covers", () => {
    const text = (range: string) =>
        ["router bgp 500", " neighbor CALICO peer-group", " neighbor CALICO remote-as 64512", ` bgp listen range ${range} peer-group CALICO`, "!", "end", ""].join("\n");

    it("refuses it: the peer may already be another writer's dynamic neighbor, and a static one would take its session", () => {
        for (const [range, address] of [["192.0.2.0/24", V4], ["2001:db8::/64", V6], ["192.0.2.201/32", V4]] as const) {
            const plan = planNeighbors(parseRunningConfig(text(range)), ASN, [neighbor(address)], new Set(), true);
            assert.ok(!plan.ok, `${address} in ${range}`);
            assert.deepEqual(plan.conflicts, [{ kind: "neighbor-elsewhere", address, lines: [`router bgp 500: bgp listen range ${range} peer-group CALICO`] }]);
        }
    });

    it("adds one outside every range", () => {
        const plan = planNeighbors(parseRunningConfig(text("198.51.100.0/24")), ASN, [neighbor(V4), neighbor(V6)], new Set(), false);
        assert.ok(plan.ok, JSON.stringify(plan));
        assert.deepEqual(plan.changes.map((c) => c.op), ["add-neighbor", "add-neighbor", "set-neighbor-activate"]);
    });

    it("refuses everything when a range is not a prefix it can read: which peers it covers is not certain", () => {
        for (const range of ["192.0.2.0", "192.0.2.0/33", "010.0.2.0/24", "fe80::/64%eth0", "ALL"]) {
            const plan = planNeighbors(parseRunningConfig(text(range)), ASN, [neighbor(ip("198.51.100.7"))], new Set(), false);
            assert.ok(!plan.ok && plan.conflicts.some((c) => c.kind === "uncertain" && c.regions.some((r) => r.lines.some((l) => l.text.includes(range)))), range);
        }
    });
});

describe("a neighbor of the same address in a VRF's address-family section of the block (IOS, Quagga, ZebOS)", () => {
    it("is another peer, which `no neighbor X` at the router level leaves: the removal goes ahead, and adding such an address is refused", () => {
        const text = device([], ["address-family ipv4 vrf RED", `neighbor ${V4} remote-as 65010`, `neighbor ${V4} activate`, "exit-address-family"]);
        const config = parseRunningConfig(text);
        const removal = decideNeighborsRemoval(config, new Set([V4]), ASN);
        assert.ok(removal.ok, JSON.stringify(removal));
        assert.deepEqual(renderChanges(removal.changes).map((l) => l.text), [`no neighbor ${V4}`]);
        const fresh = parseRunningConfig(text.replace(` neighbor ${V4} remote-as 64512\n neighbor ${V4} description k8s node\n`, ""));
        const add = planNeighbors(fresh, ASN, [neighbor(V4)], new Set(), true);
        assert.ok(!add.ok && add.conflicts.some((c) => c.kind === "neighbor-elsewhere"));
    });
});

describe("core: the filter's own lines on a neighbor the resource removes", () => {
    const LIST = "pca-dev-adc-in";
    const owned = { neighbors: new Set([V4]), filter: { lists: new Set([LIST]), ipv6Lists: new Set<string>(), limits: new Set([V4]) } };
    const text = (lines: readonly string[]) => [`ip prefix-list ${LIST} seq 5 permit 10.244.0.0/16 ge 26`, "!", "router bgp 500", ` neighbor ${V4} remote-as 64512`, ...lines.map((l) => ` neighbor ${V4} ${l}`), "!", "end", ""].join("\n");

    it("go with it when they are as the filter writes them: the list inbound, the limit with or without warning-only", () => {
        for (const lines of [[`prefix-list ${LIST} in`, "maximum-prefix 100"], [`prefix-list ${LIST} in`, "maximum-prefix 100 warning-only"]]) {
            const removal = decideFilteredNeighborsRemoval(filterView(text(lines)), owned, ASN);
            assert.deepEqual(removal.ok && renderNeighborsWithFilter(removal.neighbors, removal.filter).map((l) => l.text), [`no neighbor ${V4}`, `no ip prefix-list ${LIST}`], lines.join(", "));
        }
    });

    it("refuse the removal, quoting them, when someone else wrote them: the list outbound, a limit with a threshold or a restart", () => {
        for (const line of [`prefix-list ${LIST} out`, "maximum-prefix 100 80", "maximum-prefix 100 restart 5"]) {
            const removal = decideFilteredNeighborsRemoval(filterView(text([`prefix-list ${LIST} in`, line])), owned, ASN);
            assert.ok(!removal.ok, `${line}: ${JSON.stringify(removal.ok && removal.neighbors)}`);
            assert.ok(removal.conflicts.some((c) => c.kind === "foreign-lines" && c.lines.includes(`neighbor ${V4} ${line}`)), `${line}: ${JSON.stringify(removal.conflicts)}`);
        }
    });
});
