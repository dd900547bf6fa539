import { strict as assert } from "assert";
import * as fc from "fast-check";
import { planPeering, ResolvedPeering, PeeringPlan, DEFAULT_WAIT_SECONDS, BGP_FILTER_STAND_IN } from "../../../provider/component/plan";
import { PeeringInputProblem, PeeringInputError } from "../../../provider/component/errors";
import { bgpPasswordProblem } from "../../../provider/component/bgpPassword";

/** The runbook: ADC 10.102.33.208 in AS 500, cluster AS 64512, three nodes. */
function runbook(over: Partial<ResolvedPeering> = {}): ResolvedPeering {
    return {
        name: "adc",
        adc: { asn: 500, peerAddress: "10.102.33.208", router: "create" },
        cluster: {
            asn: 64512,
            asnSource: "cluster.asn",
            nodes: [
                { name: "k8s-master", address: "10.102.33.201" },
                { name: "k8s-worker-1", address: "10.102.33.202" },
                { name: "k8s-worker-2", address: "10.102.33.203" },
            ],
            nodesSource: "cluster.nodes",
        },
        calicoApi: "projectcalico.org/v3",
        routeSafety: {
            calicoRelease: { value: "3.31.7", source: "calicoVersion" },
            ipPools: { listed: [{ cidr: "192.168.0.0/16" }], source: "cluster.ipPools" },
            fieldManager: "pulumi-calico-adc-test-adc",
        },
        ...over,
    };
}

function plan(r: ResolvedPeering): PeeringPlan {
    const res = planPeering(r);
    if (!res.ok) throw new PeeringInputError(r.name, res.problems);
    return res.plan;
}

function problems(r: ResolvedPeering): PeeringInputProblem[] {
    const res = planPeering(r);
    assert.equal(res.ok, false, "expected the inputs to be refused");
    return res.ok ? [] : res.problems;
}

function problemAt(r: ResolvedPeering, field: string): PeeringInputProblem {
    const ps = problems(r);
    const p = ps.find((x) => x.field === field);
    assert.ok(p, `no problem on ${field}; got ${JSON.stringify(ps)}`);
    return p;
}

describe("planPeering (what CalicoAdcPeering creates, from resolved inputs)", () => {
    it("plans the runbook: a global BGPPeer to the ADC (next hop kept, the component's filter), router bgp 500 with route-install, one neighbor per node in AS 64512", () => {
        const p = plan(runbook());
        assert.deepEqual({ ...p.bgpPeer.spec }, { peerIP: "10.102.33.208", asNumber: 500, nextHopMode: "Keep", filters: [BGP_FILTER_STAND_IN] });
        assert.equal(p.bgpPeer.apiVersion, "projectcalico.org/v3");
        assert.equal(p.bgpPeer.name, undefined, "auto-named by the Kubernetes provider");
        assert.deepEqual(p.router, { localAsn: 500, routeInstall: true });
        assert.deepEqual(p.neighbors, {
            localAsn: 500,
            neighbors: [
                { address: "10.102.33.201", remoteAsn: 64512, description: "k8s-master" },
                { address: "10.102.33.202", remoteAsn: 64512, description: "k8s-worker-1" },
                { address: "10.102.33.203", remoteAsn: 64512, description: "k8s-worker-2" },
            ],
            waitForEstablishedSeconds: 0,
            // The ADC accepts the pool's blocks only, and at most as many routes as the pool has blocks.
            prefixFilter: { name: "pca-in", entries: [{ prefix: "192.168.0.0/16", ge: 26, le: 32 }] },
            maximumPrefix: { limit: 1024, warningOnly: false },
        });
        assert.equal(p.password, undefined);
        assert.deepEqual(p.clusterAsn, { value: 64512, source: "cluster.asn" });
    });

    it("uses a node's own AS (projectcalico.org/ASNumber) as that neighbor's remote-as", () => {
        const r = runbook();
        r.cluster.nodes[1] = { name: "k8s-worker-1", address: "10.102.33.202", asn: 64513, addressSource: "projectcalico.org/IPv4Address" };
        const p = plan(r);
        assert.deepEqual(p.neighbors.neighbors.map((n) => n.remoteAsn), [64512, 64513, 64512]);
        assert.deepEqual(p.nodes[1], { name: "k8s-worker-1", address: "10.102.33.202", asn: 64513, addressSource: "projectcalico.org/IPv4Address" });
    });

    it("when the BGPPeer sets localASNumber, every neighbor's remote-as is that AS (what the nodes then speak)", () => {
        const r = runbook({ bgpPeerOptions: { localASNumber: 65010 } });
        r.cluster.nodes[0] = { ...r.cluster.nodes[0]!, asn: 64513 };
        const p = plan(r);
        assert.equal(p.bgpPeer.spec.localASNumber, 65010);
        assert.deepEqual(p.neighbors.neighbors.map((n) => n.remoteAsn), [65010, 65010, 65010]);
    });

    it("passes BGPPeer options, router settings and the wait through", () => {
        const p = plan(
            runbook({
                adc: { asn: 500, peerAddress: "10.102.33.208", router: "create", routerId: "10.102.33.208", maxPaths: { ebgp: 4 }, saveConfig: false, adoptExisting: true, ebgpMultihop: 2 },
                bgpPeerOptions: { maxRestartTime: "120s", sourceAddress: "UseNodeIP", keepaliveTime: undefined },
                routeInstall: false,
                waitForEstablished: true,
                bgpPeerName: "bgppeer-global-3040",
            }),
        );
        assert.deepEqual({ ...p.bgpPeer.spec }, { peerIP: "10.102.33.208", asNumber: 500, nextHopMode: "Keep", filters: [BGP_FILTER_STAND_IN], sourceAddress: "UseNodeIP", maxRestartTime: "120s" });
        assert.equal(p.bgpPeer.name, "bgppeer-global-3040");
        assert.deepEqual(p.router, { localAsn: 500, routeInstall: false, routerId: "10.102.33.208", maxPaths: { ebgp: 4 }, saveConfig: false, adoptExisting: true });
        assert.equal(p.neighbors.waitForEstablishedSeconds, DEFAULT_WAIT_SECONDS);
        assert.equal(p.neighbors.adoptExisting, true);
        assert.ok(p.neighbors.neighbors.every((n) => n.ebgpMultihop === 2));
        assert.equal(plan(runbook({ waitForEstablished: 45 })).neighbors.waitForEstablishedSeconds, 45);
    });

    it("plans no router when the router is owned elsewhere", () => {
        assert.equal(plan(runbook({ adc: { asn: 500, peerAddress: "10.102.33.208", router: "external" } })).router, undefined);
        assert.equal(plan(runbook({ adc: { asn: 500, peerAddress: "10.102.33.208", router: "given", givenRouterAsn: 500 } })).router, undefined);
    });

    it("plans the password's Secret location and keeps the password out of the plan", () => {
        const p = plan(runbook({ password: { namespace: "kube-system", serviceAccount: "calico-node" } }));
        assert.deepEqual(p.password, { namespace: "kube-system", serviceAccount: "calico-node", key: "password" });
        assert.equal(p.bgpPeer.spec.password, undefined, "the component adds the reference once the Secret has its name");
    });

    it("allows iBGP (ADC in the cluster's AS)", () => {
        const p = plan(runbook({ adc: { asn: 64512, peerAddress: "10.102.33.208", router: "create" } }));
        assert.ok(p.neighbors.neighbors.every((n) => n.remoteAsn === 64512 && p.neighbors.localAsn === 64512));
    });

    it("plans an IPv6 peering with IPv6 nodes, filtered by the IPv6 pool's blocks (an ipv6 prefix-list)", () => {
        const v6 = { adc: { asn: 500, peerAddress: "fd00::208", router: "create" as const }, cluster: { asn: 64512, asnSource: "x", nodesSource: "x", nodes: [{ name: "n", address: "fd00::201" }] } };
        const pools = { ...runbook().routeSafety, ipPools: { listed: [{ cidr: "192.168.0.0/16" }, { cidr: "fd00:10::/48", blockSize: 122 }], source: "cluster.ipPools" as const } };
        const p = plan(runbook({ ...v6, routeSafety: pools }));
        assert.equal(p.bgpPeer.spec.peerIP, "fd00::208");
        assert.deepEqual(p.neighbors.prefixFilter?.entries, [{ prefix: "fd00:10::/48", ge: 122, le: 128 }], "only the peering's family");
        assert.equal(plan(runbook({ ...v6, routeSafety: { ...pools, prefixFilter: false } })).routeSafety.adcPrefixFilter, undefined);
    });

    describe("dual stack (adc.ipv6PeerAddress)", () => {
        /** The runbook with an IPv6 address on the ADC and on every node, the filter off (IPv4 and IPv6 pools). */
        function dual(over: Partial<ResolvedPeering> = {}): ResolvedPeering {
            const r = runbook();
            return runbook({
                adc: { ...r.adc, ipv6PeerAddress: "fd00:102:33::208" },
                cluster: { ...r.cluster, nodes: r.cluster.nodes.map((n, i) => ({ ...n, ipv6Address: `fd00:102:33::20${i + 1}` })) },
                routeSafety: { ...r.routeSafety, prefixFilter: false },
                ...over,
            });
        }

        it("plans two global BGPPeers, one per ADC address, with the same settings, and each node as a neighbor of each family in one resource", () => {
            const p = plan(dual({ bgpPeerOptions: { keepaliveTime: "30s" }, adc: { ...dual().adc, gracefulRestart: true }, password: { namespace: "calico-system", serviceAccount: "calico-node" } }));
            assert.equal(p.bgpPeer.spec.peerIP, "10.102.33.208");
            assert.ok(p.bgpPeerIpv6);
            assert.deepEqual({ ...p.bgpPeerIpv6.spec }, { ...p.bgpPeer.spec, peerIP: "fd00:102:33::208" });
            assert.equal(p.bgpPeerIpv6.spec.maxRestartTime, "120s", "graceful restart applies to both BGPPeers");
            assert.equal(p.bgpPeerIpv6.spec.keepaliveTime, "30s");
            assert.equal(p.bgpPeerIpv6.apiVersion, p.bgpPeer.apiVersion);
            assert.deepEqual(
                p.neighbors.neighbors.map((n) => [n.address, n.remoteAsn, n.description]),
                [
                    ["10.102.33.201", 64512, "k8s-master"],
                    ["10.102.33.202", 64512, "k8s-worker-1"],
                    ["10.102.33.203", 64512, "k8s-worker-2"],
                    ["fd00:102:33::201", 64512, "k8s-master"],
                    ["fd00:102:33::202", 64512, "k8s-worker-1"],
                    ["fd00:102:33::203", 64512, "k8s-worker-2"],
                ],
            );
            assert.deepEqual(p.nodes[0], { name: "k8s-master", address: "10.102.33.201", asn: 64512, addressSource: "cluster.nodes", ipv6Address: "fd00:102:33::201", ipv6AddressSource: "cluster.nodes" });
            assert.deepEqual(p.router, { localAsn: 500, routeInstall: true, routeInstallIpv6: true, gracefulRestart: true });
            assert.equal(plan(dual({ routeInstallIpv6: false })).router?.routeInstallIpv6, undefined, "routeInstallIpv6: false turns it off");
            assert.equal(plan(runbook()).router?.routeInstallIpv6, undefined, "an IPv4 peering installs no IPv6 routes");
        });

        it("names the IPv6 BGPPeer after the IPv4 one: bgpPeerName plus -ipv6, else the auto-name <name>-bgppeer-ipv6-<random>", () => {
            const named = plan(dual({ bgpPeerName: "bgppeer-global-3040" }));
            assert.equal(named.bgpPeer.name, "bgppeer-global-3040");
            assert.equal(named.bgpPeerIpv6?.name, "bgppeer-global-3040-ipv6");
            assert.equal(plan(dual()).bgpPeerIpv6?.name, undefined);
            assert.equal(plan(runbook()).bgpPeerIpv6, undefined, "one family, one BGPPeer");
            // A bgpPeerName that is valid alone but too long with the suffix is refused on bgpPeerName.
            assert.match(problemAt(dual({ bgpPeerName: "a".repeat(250) }), "bgpPeerName").reason, /253/);
        });

        it("follows nodes joining and leaving in both families", () => {
            const r = dual();
            const joined = dual({ cluster: { ...r.cluster, nodes: [...r.cluster.nodes, { name: "k8s-worker-3", address: "10.102.33.204", ipv6Address: "fd00:102:33::204" }] } });
            const left = dual({ cluster: { ...r.cluster, nodes: r.cluster.nodes.slice(1) } });
            const addresses = (x: ResolvedPeering) => plan(x).neighbors.neighbors.map((n) => n.address);
            assert.deepEqual(addresses(joined).filter((a) => !addresses(r).includes(a)), ["10.102.33.204", "fd00:102:33::204"]);
            assert.deepEqual(addresses(r).filter((a) => !addresses(left).includes(a)), ["10.102.33.201", "fd00:102:33::201"]);
        });

        it("refuses a node without an IPv6 address, naming it, rather than peer it over IPv4 only", () => {
            const r = dual();
            const nodes = r.cluster.nodes.map((n, i) => (i === 1 ? { name: n.name, address: n.address } : n));
            const p = problemAt(dual({ cluster: { ...r.cluster, nodes } }), "cluster.nodes[1].ipv6Address");
            assert.match(p.reason, /node "k8s-worker-1" has no IPv6 address.*projectcalico\.org\/IPv6Address.*leave adc\.ipv6PeerAddress unset/);
        });

        it("refuses an IPv6 address of the wrong family, shared by two nodes, or the ADC's own", () => {
            const r = dual();
            const withV6 = (v6: string[]) => dual({ cluster: { ...r.cluster, nodes: r.cluster.nodes.map((n, i) => ({ ...n, ipv6Address: v6[i] })) } });
            assert.match(problemAt(withV6(["10.0.0.1", "fd00::2", "fd00::3"]), "cluster.nodes[0].ipv6Address").reason, /IPv6 address without mask/);
            assert.match(problemAt(withV6(["fd00::1", "fd00::1", "fd00::3"]), "cluster.nodes[1].ipv6Address").reason, /also the IPv6 address of node "k8s-master"/);
            assert.match(problemAt(withV6(["fd00:102:33::208", "fd00::2", "fd00::3"]), "cluster.nodes[0].ipv6Address").reason, /ADC's own IPv6 peer address/);
        });

        it("refuses an ipv6PeerAddress that is not IPv6, one beside an IPv6 peerAddress, and node IPv6 addresses without it", () => {
            assert.match(problemAt(dual({ adc: { ...dual().adc, ipv6PeerAddress: "10.102.33.209" } }), "adc.ipv6PeerAddress").reason, /IPv6 address/);
            const v6first = dual({ adc: { ...dual().adc, peerAddress: "fd00::208" } });
            assert.ok(problems(v6first).some((p) => p.field === "adc.ipv6PeerAddress" && /adc\.peerAddress is IPv6 too/.test(p.reason)));
            const r = runbook();
            const stray = runbook({ cluster: { ...r.cluster, nodes: r.cluster.nodes.map((n) => ({ ...n, ipv6Address: "fd00::9" })) } });
            assert.match(problemAt(stray, "cluster.nodes[0].ipv6Address").reason, /adc\.ipv6PeerAddress is not/);
        });

        it("filters both families by default: the IPv4 pool's blocks and the IPv6 pool's (default /122 blocks) in one list AdcBgpNeighbors splits by family", () => {
            const pools = { ...dual().routeSafety, prefixFilter: undefined, ipPools: { listed: [{ cidr: "192.168.0.0/16" }, { cidr: "fd00:10:244::/48" }], source: "cluster.ipPools" as const } };
            const p = plan(dual({ routeSafety: pools }));
            assert.deepEqual(p.neighbors.prefixFilter, {
                name: "pca-in",
                entries: [
                    { prefix: "192.168.0.0/16", ge: 26, le: 32 },
                    { prefix: "fd00:10:244::/48", ge: 122, le: 128 },
                ],
            });
        });

        it("refuses the filter on when one family has no pool (its sessions would accept nothing), naming the family", () => {
            const pools = { ...dual().routeSafety, prefixFilter: undefined };
            assert.match(problemAt(dual({ routeSafety: pools }), "adc.prefixFilter").reason, /admits no IPv6 prefix.*adc\.prefixFilter: false/);
        });
    });

    describe("refuses, naming the input, the value and the fix", () => {
        it("an ADC AS above Calico's int32 limit", () => {
            const p = problemAt(runbook({ adc: { asn: 4200000001, peerAddress: "10.102.33.208", router: "create" } }), "adc.asn");
            assert.equal(p.value, 4200000001);
            assert.match(p.reason, /above 2147483647/);
        });
        it("a missing ADC AS (the BGPPeer would stall BIRD on every node)", () => {
            assert.match(problemAt(runbook({ adc: { asn: undefined, peerAddress: "10.102.33.208", router: "create" } }), "adc.asn").reason, /every node stops applying BGP changes/);
        });
        it("an ADC address that is not an IP, or has a port", () => {
            problemAt(runbook({ adc: { asn: 500, peerAddress: "adc.example.com", router: "create" } }), "adc.peerAddress");
            assert.match(problemAt(runbook({ adc: { asn: 500, peerAddress: "10.102.33.208:179", router: "create" } }), "adc.peerAddress").reason, /without a port/);
        });
        it("a cluster AS above int32, or missing", () => {
            assert.match(problemAt(runbook({ cluster: { ...runbook().cluster, asn: 4200000000 } }), "cluster.asn").reason, /BGPConfiguration stores the cluster AS as int32/);
            problemAt(runbook({ cluster: { ...runbook().cluster, asn: undefined } }), "cluster.asn");
        });
        it("no nodes, a node without a usable address, duplicate addresses, the ADC's own address, a bad node AS", () => {
            problemAt(runbook({ cluster: { ...runbook().cluster, nodes: [] } }), "cluster.nodes");
            problemAt(runbook({ cluster: { ...runbook().cluster, nodes: [{ name: "a", address: "10.0.0.1/24" }] } }), "cluster.nodes[0].address");
            assert.match(
                problemAt(runbook({ cluster: { ...runbook().cluster, nodes: [{ name: "a", address: "10.0.0.1" }, { name: "b", address: "10.0.0.1" }] } }), "cluster.nodes[1].address").reason,
                /also the address of node "a"/,
            );
            problemAt(runbook({ cluster: { ...runbook().cluster, nodes: [{ name: "a", address: "10.102.33.208" }] } }), "cluster.nodes[0].address");
            problemAt(runbook({ cluster: { ...runbook().cluster, nodes: [{ name: "a", address: "10.0.0.1", asn: 0 }] } }), "cluster.nodes[0].asn");
            assert.match(problemAt(runbook({ cluster: { ...runbook().cluster, nodes: [{ name: "a", address: "fd00::1" }] } }), "cluster.nodes[0].address").reason, /is IPv6 but adc\.peerAddress is IPv4/);
        });
        it("a router of another AS", () => {
            assert.match(problemAt(runbook({ adc: { asn: 500, peerAddress: "10.102.33.208", router: "given", givenRouterAsn: 600 } }), "adc.router").reason, /router bgp 600 but adc\.asn is 500/);
        });
        it("BGPPeer options the component sets itself, or that Calico would break on", () => {
            problemAt(runbook({ bgpPeerOptions: { node: "n1" } }), "bgpPeerOptions.node");
            problemAt(runbook({ bgpPeerOptions: { ttlSecurity: 300 } }), "bgpPeerOptions.ttlSecurity");
            problemAt(runbook({ bgpPeerOptions: { keepaliveTime: "10s" }, calicoVersion: "3.31.7" }), "bgpPeerOptions.keepaliveTime");
        });
        it("a BGPPeer name Calico rejects", () => {
            assert.match(problemAt(runbook({ bgpPeerName: "BGPPeer_Global" }), "bgpPeerName").reason, /"bgppeer-global"/);
            assert.match(problemAt(runbook({ name: "My_Peering" }), "bgpPeerName").reason, /auto-named "My_Peering-bgppeer-<8 hex digits>"/);
        });
        it("an unusable password, without ever showing it", () => {
            const p = problemAt(runbook({ password: { problem: bgpPasswordProblem("has space"), namespace: "calico-system", serviceAccount: "calico-node" } }), "bgpPassword");
            assert.equal(p.value, "<secret>");
            assert.match(p.reason, /whitespace/);
            assert.doesNotMatch(JSON.stringify(p), /has space/);
        });
        it("a component name Kubernetes cannot use for the password's Secret", () => {
            const p = problemAt(runbook({ name: "Adc", bgpPeerName: "adc", password: { namespace: "calico-system", serviceAccount: "calico-node" } }), "name");
            assert.match(p.reason, /Secret, Role and RoleBinding/);
        });
        it("a namespace that cannot exist", () => {
            problemAt(runbook({ password: { namespace: "Calico_System", serviceAccount: "calico-node" } }), "calicoNamespace");
        });
        it("a bad wait and a bad multihop TTL", () => {
            problemAt(runbook({ waitForEstablished: -1 }), "waitForEstablished");
            problemAt(runbook({ adc: { asn: 500, peerAddress: "10.102.33.208", router: "create", ebgpMultihop: 0 } }), "adc.ebgpMultihop");
        });
        it("all problems at once, in one error", () => {
            const r = runbook({ adc: { asn: 0, peerAddress: "nope", router: "create" }, cluster: { ...runbook().cluster, asn: -1 } });
            const err = new PeeringInputError("adc", problems(r));
            assert.match(err.message, /^CalicoAdcPeering "adc" refused before anything was applied \(\d+ problems\):/);
            assert.match(err.message, /\n {2}adc\.asn = 0: /);
            assert.match(err.message, /\n {2}adc\.peerAddress = "nope": /);
            assert.match(err.message, /\n {2}cluster\.asn = -1: /);
        });
    });

    it("for any node set, one neighbor per node at its address with its AS, and nothing else", () => {
        const ip = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((p) => p.join("."));
        const node = fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,90}$/), address: ip, asn: fc.option(fc.integer({ min: 1, max: 4294967295 }), { nil: undefined }) });
        fc.assert(
            fc.property(fc.uniqueArray(node, { minLength: 1, maxLength: 30, selector: (n) => n.address }), fc.integer({ min: 1, max: 2147483647 }), (nodes, clusterAsn) => {
                fc.pre(!nodes.some((n) => n.address === "10.102.33.208"));
                const p = plan(runbook({ cluster: { asn: clusterAsn, asnSource: "x", nodes, nodesSource: "x" } }));
                assert.deepEqual(
                    p.neighbors.neighbors.map((n) => [n.address, n.remoteAsn, n.description]),
                    nodes.map((n) => [n.address, n.asn ?? clusterAsn, n.name.slice(0, 80)]),
                );
            }),
        );
    });
});

describe("bgpPasswordProblem", () => {
    it("accepts printable passwords up to 80 characters", () => {
        for (const ok of ["s3cret", "x".repeat(80), "a!#$%&'()*+,-./:;<=>@[]^_`{|}~"]) assert.equal(bgpPasswordProblem(ok), undefined, ok);
    });
    it("refuses what breaks BIRD's config or the ADC's CLI, without echoing it", () => {
        const bad = ["", "x".repeat(81), "two words", 'quo"te', "back\\slash", "what?", "tab\there", "naïve"];
        for (const pw of bad) {
            const problem = bgpPasswordProblem(pw);
            assert.ok(problem, JSON.stringify(pw));
            if (pw.length > 3) assert.ok(!problem.includes(pw), problem);
        }
        assert.match(bgpPasswordProblem("x".repeat(81))!, /longer than 80/);
        assert.doesNotMatch(bgpPasswordProblem("x".repeat(81))!, /81/);
    });
});

describe("planPeering: graceful restart for HA pairs", () => {
    it("an HA pair turns it on on both sides: bgp graceful-restart on the router, maxRestartTime 120s on the BGPPeer", () => {
        const p = plan(runbook({ adc: { asn: 500, peerAddress: "10.102.33.208", router: "create", haPair: true } }));
        assert.equal(p.router?.gracefulRestart, true);
        assert.equal(p.bgpPeer.spec.maxRestartTime, "120s");
    });
    it("a single node leaves both off; adc.gracefulRestart decides either way; the user's maxRestartTime is kept", () => {
        const single = plan(runbook());
        assert.equal(single.router?.gracefulRestart, undefined);
        assert.equal(single.bgpPeer.spec.maxRestartTime, undefined);
        const off = plan(runbook({ adc: { asn: 500, peerAddress: "10.102.33.208", router: "create", haPair: true, gracefulRestart: false } }));
        assert.equal(off.router?.gracefulRestart, undefined);
        assert.equal(off.bgpPeer.spec.maxRestartTime, undefined);
        const on = plan(runbook({ adc: { asn: 500, peerAddress: "10.102.33.208", router: "create", gracefulRestart: true }, bgpPeerOptions: { maxRestartTime: "300s" } }));
        assert.equal(on.router?.gracefulRestart, true);
        assert.equal(on.bgpPeer.spec.maxRestartTime, "300s");
        assert.equal(problemAt(runbook({ adc: { asn: 500, peerAddress: "10.102.33.208", router: "create", gracefulRestart: "yes" } }), "adc.gracefulRestart").value, "yes");
    });
});
