import { strict as assert } from "assert";
import * as fc from "fast-check";
import { blockCount, canonicalCidr, readIpPool } from "../../../provider/calico/ipPool";
import { nextHopFields } from "../../../provider/calico/nextHop";
import { serviceFieldConflicts } from "../../../provider/calico/serviceAdvertisement";
import { parseCalicoRelease } from "../../../provider/calico/spec";
import { validateBgpPeer } from "../../../provider/calico/validate";
import { admittedPrefixes, defaultMaximumPrefix, parseCidrList } from "../../../provider/component/prefixFilter";
import { planRouteSafety, ResolvedRouteSafety } from "../../../provider/component/routeSafety";

const release = (v: string) => parseCalicoRelease(v)!;

describe("route safety: IP pools", () => {
    it("reads a pool with Calico's default block size, and says why it skips or refuses others", () => {
        assert.deepEqual(readIpPool({ metadata: { name: "default-ipv4-ippool" }, spec: { cidr: "192.168.0.0/16" } }), {
            kind: "pool",
            pool: { name: "default-ipv4-ippool", cidr: "192.168.0.0/16", family: "ipv4", blockSize: 26 },
        });
        assert.deepEqual(readIpPool({ metadata: { name: "v6" }, spec: { cidr: "fd00:10:244::/48" } }), { kind: "pool", pool: { name: "v6", cidr: "fd00:10:244::/48", family: "ipv6", blockSize: 122 } });
        assert.equal(readIpPool({ metadata: { name: "a" }, spec: { cidr: "10.0.0.0/8", disabled: true } }).kind, "skipped");
        assert.equal(readIpPool({ metadata: { name: "a" }, spec: { cidr: "10.0.0.0/8", disableBGPExport: true } }).kind, "skipped");
        assert.equal(readIpPool({ metadata: { name: "a" }, spec: { cidr: "10.0.0.0/24", allowedUses: ["LoadBalancer"] } }).kind, "skipped");
        assert.equal(readIpPool({ metadata: { name: "a" }, spec: { cidr: "10.0.0.0/8", allowedUses: ["Tunnel"] } }).kind, "pool");
        assert.deepEqual(readIpPool({ metadata: { name: "a" }, spec: { cidr: "10.0.0.0/24", blockSize: 20 } }), {
            kind: "invalid",
            name: "a",
            problem: "has blockSize 20, which is not a prefix length between the pool's /24 and /32",
        });
        assert.equal(readIpPool({ metadata: { name: "a" }, spec: {} }).kind, "invalid");
    });

    it("reads only dotted-quad IPv4 and canonical IPv6 CIDRs, masking host bits", () => {
        assert.deepEqual(canonicalCidr("192.168.1.5/16"), { cidr: "192.168.0.0/16", family: "ipv4", length: 16 });
        assert.equal(canonicalCidr("010.0.0.0/8"), undefined, "no octal");
        assert.equal(canonicalCidr("10.0.0/8"), undefined, "no short form");
        assert.equal(canonicalCidr("10.0.0.0/33"), undefined);
        assert.equal(canonicalCidr("fe80::1%eth0/64"), undefined);
        assert.equal(canonicalCidr("10.0.0.0"), undefined, "a CIDR needs its length");
    });

    it("counts blocks: a /16 of /26 blocks is 1024, capped at ZebOS' largest limit", () => {
        assert.equal(blockCount([{ name: "p", cidr: "192.168.0.0/16", family: "ipv4", blockSize: 26 }]), 1024);
        assert.equal(blockCount([{ name: "p", cidr: "::/0", family: "ipv6", blockSize: 122 }]), 4294967295);
    });
});

describe("route safety: next hop by Calico release", () => {
    it("nextHopMode from 3.30.2, keepOriginalNextHop from 3.16 (and for any 3.30.x or an unknown release), nothing before", () => {
        assert.deepEqual(nextHopFields("keep", release("3.30.2")).fields, { nextHopMode: "Keep" });
        assert.deepEqual(nextHopFields("keep", release("v3.32.1")).fields, { nextHopMode: "Keep" });
        assert.deepEqual(nextHopFields("keep", release("3.30.1")).fields, { keepOriginalNextHop: true });
        assert.deepEqual(nextHopFields("keep", release("3.30")).fields, { keepOriginalNextHop: true }, "3.30.0 and 3.30.1 lack nextHopMode");
        assert.deepEqual(nextHopFields("keep", release("3.16.0")).fields, { keepOriginalNextHop: true });
        assert.deepEqual(nextHopFields("keep", undefined).fields, { keepOriginalNextHop: true });
        assert.deepEqual(nextHopFields("keep", release("3.15.5")).fields, {});
        assert.deepEqual(nextHopFields("runbook", release("3.32.1")).fields, {});
    });

    it("every choice passes Calico's BGPPeer rules for the release it was made for", () => {
        fc.assert(
            fc.property(fc.integer({ min: 16, max: 32 }), fc.integer({ min: 0, max: 9 }), (minor, patch) => {
                const v = `3.${minor}.${patch}`;
                const spec = { peerIP: "10.102.33.208", asNumber: 500, ...nextHopFields("keep", release(v)).fields };
                const checked = validateBgpPeer({ name: "adc", spec, calicoVersion: v });
                assert.ok(checked.ok, `${v}: ${JSON.stringify(!checked.ok && checked.failures)}`);
            }),
        );
    });
});

describe("route safety: what the ADC admits", () => {
    const pools = [
        { name: "default-ipv4-ippool", cidr: "192.168.0.0/16", family: "ipv4" as const, blockSize: 26 },
        { name: "small", cidr: "10.10.0.0/26", family: "ipv4" as const, blockSize: 26 },
    ];

    it("pools from their block size to /32, services and extras up to /32, leaving out ge/le equal to the CIDR's length", () => {
        assert.deepEqual(admittedPrefixes(pools, [
            { cidr: "10.96.0.0/12", family: "ipv4", source: "serviceClusterIPs" },
            { cidr: "198.51.100.7/32", family: "ipv4", source: "serviceExternalIPs" },
        ]), [
            { cidr: "192.168.0.0/16", family: "ipv4", ge: 26, le: 32, source: "IPPool default-ipv4-ippool" },
            { cidr: "10.10.0.0/26", family: "ipv4", le: 32, source: "IPPool small" },
            { cidr: "10.96.0.0/12", family: "ipv4", le: 32, source: "serviceClusterIPs" },
            { cidr: "198.51.100.7/32", family: "ipv4", source: "serviceExternalIPs" },
        ]);
    });

    it("the default maximum-prefix: the pools' blocks plus, per service CIDR, its route and up to 1024 /32s", () => {
        assert.equal(defaultMaximumPrefix(pools, []), 1025);
        assert.equal(defaultMaximumPrefix(pools, [{ cidr: "10.96.0.0/12", family: "ipv4", source: "x" }, { cidr: "198.51.100.0/30", family: "ipv4", source: "y" }]), 1025 + 1025 + 5);
    });

    it("refuses CIDRs with host bits set, suggesting the network, instead of widening them", () => {
        const problems: string[] = [];
        const got = parseCidrList("advertiseServices.clusterIPs", ["10.96.0.1/12", "bogus", "10.96.0.0/12"], (f, v, r) => problems.push(`${f} ${String(v)} ${r}`));
        assert.deepEqual(got, [{ cidr: "10.96.0.0/12", family: "ipv4", source: "advertiseServices.clusterIPs" }]);
        assert.deepEqual(problems, [
            "advertiseServices.clusterIPs[0] 10.96.0.1/12 has host bits set or is not in canonical form; did you mean 10.96.0.0/12?",
            "advertiseServices.clusterIPs[1] bogus must be a CIDR such as 10.96.0.0/12",
        ]);
    });
});

describe("route safety: the plan", () => {
    const base = (over: Partial<ResolvedRouteSafety> = {}): ResolvedRouteSafety => ({
        calicoRelease: { value: "3.31.7", source: "calicoVersion" },
        ipPools: { listed: [{ cidr: "192.168.0.0/16" }], source: "cluster.ipPools" },
        fieldManager: "pulumi-calico-adc-dev-adc",
        prefixListName: "pca-dev-adc-in",
        peerOptions: {},
        ...over,
    });
    function plan(over: Partial<ResolvedRouteSafety> = {}) {
        const problems: { field: string; reason: string }[] = [];
        const p = planRouteSafety(base(over), "ipv4", (field, _v, reason) => problems.push({ field, reason }));
        return { p, problems };
    }

    it("defaults: next hop kept, the nodes accept nothing from the ADC, the ADC accepts the pool's blocks with a limit of 1024", () => {
        const { p, problems } = plan();
        assert.deepEqual(problems, []);
        assert.deepEqual(p.nextHop.fields, { nextHopMode: "Keep" });
        assert.deepEqual(p.bgpFilter, { spec: { importV4: [{ action: "Reject" }], importV6: [{ action: "Reject" }] }, accept: [] });
        assert.deepEqual(p.adcPrefixFilter?.prefixes.map((x) => [x.cidr, x.ge, x.le]), [["192.168.0.0/16", 26, 32]]);
        assert.deepEqual(p.adcPrefixFilter?.prefixList, { name: "pca-dev-adc-in", entries: [{ seq: 5, action: "permit", prefix: "192.168.0.0/16", ge: 26, le: 32 }] });
        assert.deepEqual(p.maximumPrefix, { limit: 1024, warningOnly: false, source: "default (pool blocks + service routes)" });
        assert.equal(p.serviceAdvertisement, undefined);
    });

    it("each opt-out is explicit: runbook next hop, no filter either way, no limit", () => {
        const { p, problems } = plan({ nextHop: "runbook", acceptFromAdc: false, prefixFilter: false, maximumPrefix: false });
        assert.deepEqual(problems, []);
        assert.deepEqual(p.nextHop.fields, {});
        assert.equal(p.bgpFilter, undefined);
        assert.equal(p.adcPrefixFilter, undefined);
        assert.equal(p.maximumPrefix, undefined);
    });

    it("the user's own next-hop field wins over the default", () => {
        assert.deepEqual(plan({ peerOptions: { nextHopMode: "Self" } }).p.nextHop.fields, {});
    });

    it("takes a configured limit, and refuses nonsense with the field and the accepted forms", () => {
        assert.deepEqual(plan({ maximumPrefix: { limit: 50, warningOnly: true } }).p.maximumPrefix, { limit: 50, warningOnly: true, source: "adc.maximumPrefix" });
        assert.deepEqual(plan({ maximumPrefix: 0 }).problems.map((x) => x.field), ["adc.maximumPrefix"]);
        assert.deepEqual(plan({ nextHop: "self" }).problems.map((x) => x.field), ["nextHop"]);
        assert.deepEqual(plan({ prefixFilter: "on" }).problems.map((x) => x.field), ["adc.prefixFilter"]);
    });

    it("lists what the nodes may accept from the ADC, and refuses the filter where Calico has no BGPFilter", () => {
        assert.deepEqual(plan({ acceptFromAdc: ["10.0.0.0/8"] }).p.bgpFilter?.spec.importV4, [{ action: "Accept", matchOperator: "In", cidr: "10.0.0.0/8" }, { action: "Reject" }]);
        const old = plan({ calicoRelease: { value: "3.25.2", source: "calicoVersion" } });
        assert.deepEqual(old.problems.map((x) => x.field), ["acceptFromAdc"]);
        assert.match(old.problems[0]!.reason, /set acceptFromAdc: false/);
        assert.deepEqual(plan({ calicoRelease: { source: "unknown" }, servesBgpFilters: false }).problems.map((x) => x.field), ["acceptFromAdc"]);
    });

    it("an empty pool list cannot feed the prefix filter", () => {
        assert.deepEqual(plan({ ipPools: { listed: [], source: "cluster.ipPools" } }).problems.map((x) => x.field), ["cluster.ipPools"]);
    });

    it("service advertisement needs CIDRs and refuses a field another manager holds with another value", () => {
        assert.deepEqual(plan({ advertiseServices: {} }).problems.map((x) => x.field), ["advertiseServices"]);
        const held = {
            metadata: { managedFields: [{ manager: "kubectl-edit", operation: "Update", fieldsV1: { "f:spec": { "f:serviceClusterIPs": {} } } }] },
            spec: { serviceClusterIPs: [{ cidr: "10.96.0.0/12" }] },
        };
        const { problems } = plan({ advertiseServices: { clusterIPs: ["10.100.0.0/16"] }, bgpConfiguration: held });
        assert.equal(problems.length, 1);
        assert.match(problems[0]!.reason, /serviceClusterIPs is owned by field manager "kubectl-edit" \(Update\)/);
        assert.deepEqual(plan({ advertiseServices: { clusterIPs: ["10.96.0.0/12"] }, bgpConfiguration: held }).problems, [], "the same value is shared ownership");
        assert.deepEqual(plan({ advertiseServices: { loadBalancerIPs: ["198.51.100.0/24"] }, calicoRelease: { value: "3.17.0", source: "calicoVersion" }, acceptFromAdc: false }).problems.map((x) => x.field), [
            "advertiseServices.loadBalancerIPs",
        ]);
    });

    it("a field of a default without managedFields conflicts as before-first-apply's, as server-side apply will say", () => {
        const untracked = { metadata: { name: "default" }, spec: { serviceClusterIPs: [{ cidr: "10.100.0.0/16" }] } };
        assert.deepEqual(serviceFieldConflicts(untracked, { serviceClusterIPs: [{ cidr: "10.96.0.0/12" }] }, "me"), [
            { field: "serviceClusterIPs", manager: "before-first-apply", operation: "Update", current: [{ cidr: "10.100.0.0/16" }] },
        ]);
        assert.deepEqual(serviceFieldConflicts(untracked, { serviceClusterIPs: [{ cidr: "10.100.0.0/16" }] }, "me"), [], "the same value");
        assert.deepEqual(serviceFieldConflicts(untracked, { serviceExternalIPs: [{ cidr: "10.2.0.0/16" }] }, "me"), [], "a field it does not hold");
        assert.deepEqual(serviceFieldConflicts(null, { serviceExternalIPs: [{ cidr: "10.2.0.0/16" }] }, "me"), [], "no default at all");
        const { problems } = plan({ advertiseServices: { clusterIPs: ["10.96.0.0/12"] }, bgpConfiguration: untracked });
        assert.match(problems[0]!.reason, /owned by field manager "before-first-apply" \(Update\) with another value \(written while default had no managedFields/);
    });

    it("the conflict check ignores the component's own field manager", () => {
        const ours = { metadata: { managedFields: [{ manager: "me", operation: "Apply", fieldsV1: { "f:spec": { "f:serviceExternalIPs": {} } } }] }, spec: { serviceExternalIPs: [{ cidr: "10.1.0.0/16" }] } };
        assert.deepEqual(serviceFieldConflicts(ours, { serviceExternalIPs: [{ cidr: "10.2.0.0/16" }] }, "me"), []);
        assert.equal(serviceFieldConflicts(ours, { serviceExternalIPs: [{ cidr: "10.2.0.0/16" }] }, "you").length, 1);
    });
});
