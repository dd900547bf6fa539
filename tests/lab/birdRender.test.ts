import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderCalicoBird, type BirdConfigFiles, type CalicoTemplateVersion, type IpamBlock } from "./support/calicoBird";
import { renderCalicoBird6, type Bird6ConfigFiles } from "./support/calicoBird6";
import { renderInputFromResources, servicesFromKubeYaml } from "./support/calicoResources";
import { serviceRoutesForNode, type KubeService, type ServiceAdvertisementConfig } from "./support/calicoServiceRoutes";

const FIXTURES = path.resolve(__dirname, "../../../tests/lab/fixtures/calico-confd");

/**
 * The block affinities Calico's confd test harness gives node kube-master (they are not in
 * input.yaml); read off the fixtures' bird_aggr.cfg. 192.168.221.64/26 carries an explicit
 * `confirmed` state, the others predate affinity states.
 */
const HARNESS_BLOCKS: IpamBlock[] = [
    { cidr: "10.0.0.0/30" },
    { cidr: "10.1.0.0/24" },
    { cidr: "10.2.0.1/32" },
    { cidr: "192.168.221.192/26" },
    { cidr: "192.168.221.64/26", state: "confirmed" },
];

/** Configuration without formatting: comments, blank lines and runs of spaces are dropped. */
function normalise(text: string): string[] {
    return text
        .split("\n")
        .map((l) => l.replace(/#.*$/, "").replace(/\s+/g, " ").trim())
        .filter((l) => l !== "");
}

const FILES: (keyof BirdConfigFiles)[] = ["bird.cfg", "bird_ipam.cfg", "bird_aggr.cfg"];

function birdAvailable(): boolean {
    return commandAvailable("bird");
}

function commandAvailable(command: string): boolean {
    try {
        execFileSync(command, ["--version"], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

describe("lab: BIRD config renderer against Calico's compiled confd fixtures", () => {
    for (const [dir, version] of [
        ["v3.31.7", "v3.31"],
        ["v3.32.1", "v3.32"],
    ] as [string, CalicoTemplateVersion][]) {
        const cases = readdirSync(path.join(FIXTURES, dir, "explicit_peering"));
        for (const c of cases) {
            const caseDir = path.join(FIXTURES, dir, "explicit_peering", c);
            const render = () => {
                const input = renderInputFromResources(readFileSync(path.join(caseDir, "input.yaml"), "utf8"), "kube-master", version, HARNESS_BLOCKS);
                return renderCalicoBird(input);
            };
            for (const file of FILES) {
                it(`${dir} ${c}: ${file} is byte for byte what confd compiled`, () => {
                    assert.equal(render()[file], readFileSync(path.join(caseDir, file), "utf8"));
                });
            }
            it(`${dir} ${c}: the lab variant differs only in the krt_tunnel assignments and the log line`, () => {
                const real = render();
                const input = renderInputFromResources(readFileSync(path.join(caseDir, "input.yaml"), "utf8"), "kube-master", version, HARNESS_BLOCKS);
                const lab = renderCalicoBird(input, { dropTunnelAttribute: true, logFile: "/tmp/x/bird.log" });
                const withoutTunnel = (t: string) => normalise(t.replace(/krt_tunnel\s*=\s*"[^"]*";/g, ""));
                assert.deepEqual(normalise(lab["bird.cfg"]), ['log "/tmp/x/bird.log" all;', ...normalise(real["bird.cfg"])]);
                assert.deepEqual(withoutTunnel(lab["bird_ipam.cfg"]), withoutTunnel(real["bird_ipam.cfg"]));
                assert.ok(/krt_tunnel/.test(real["bird_ipam.cfg"].replace(/#.*$/gm, "")));
                assert.ok(!/krt_tunnel/.test(lab["bird_ipam.cfg"].replace(/#.*$/gm, "")));
                assert.equal(lab["bird_aggr.cfg"], real["bird_aggr.cfg"]);
            });
        }
    }

    // Service advertisement: BGPConfiguration default with serviceClusterIPs and
    // serviceLoadBalancerIPs, and (kubectl-input.yaml) Services whose endpoints are on this node
    // or another; step2 turns advertisement off again.
    for (const [dir, version] of [
        ["v3.31.7", "v3.31"],
        ["v3.32.1", "v3.32"],
    ] as [string, CalicoTemplateVersion][]) {
        const caseDir = path.join(FIXTURES, dir, "mesh", "static-routes");
        const services = servicesFromKubeYaml(readFileSync(path.join(caseDir, "kubectl-input.yaml"), "utf8"));
        for (const step of ["", "step2"]) {
            // step2 applies its input.yaml over the first one (a later BGPConfiguration default wins).
            const yaml = () => [path.join(caseDir, "input.yaml"), ...(step ? [path.join(caseDir, step, "input.yaml")] : [])].map((f) => readFileSync(f, "utf8")).join("\n---\n");
            const input = () => ({ ...renderInputFromResources(yaml(), "kube-master", version, HARNESS_BLOCKS), services });
            for (const file of FILES) {
                it(`${dir} mesh/static-routes${step ? `/${step}` : ""}: ${file} is byte for byte what confd compiled`, () => {
                    assert.equal(renderCalicoBird(input())[file], readFileSync(path.join(caseDir, step, file), "utf8"));
                });
            }
        }
    }

    // bird6: the v3.31.7 cases above (two with IPv6 disabled on the node, one with an IPv6 peer
    // at a port) and three IPv6 ones: global peers (one a Calico node, so passive, one with
    // sourceAddress None), global peers with a local AS, and the IPv6 node-to-node mesh.
    const BIRD6_FILES: (keyof Bird6ConfigFiles)[] = ["bird6.cfg", "bird6_ipam.cfg", "bird6_aggr.cfg"];
    const bird6Cases = [
        ...readdirSync(path.join(FIXTURES, "v3.31.7", "explicit_peering")).map((c) => path.join("explicit_peering", c)),
        ...readdirSync(path.join(FIXTURES, "v3.31.7", "ipv6")).map((c) => path.join("ipv6", c)),
    ];
    // Compared as Calico's own confd test compares them (`diff --ignore-blank-lines`,
    // confd/tests/test_suite_common.sh): the fixtures' blank lines differ between cases for the
    // same template path (the line after the includes, the run before "Node-specific peers"), so
    // no renderer matches them all byte for byte. Every other line must match exactly.
    const nonBlankLines = (t: string) => t.split("\n").filter((l) => l !== "");
    for (const c of bird6Cases) {
        const caseDir = path.join(FIXTURES, "v3.31.7", c);
        for (const file of BIRD6_FILES) {
            it(`v3.31.7 ${c}: ${file} is what confd compiled, line for line but for blank lines`, () => {
                const input = renderInputFromResources(readFileSync(path.join(caseDir, "input.yaml"), "utf8"), "kube-master", "v3.31", HARNESS_BLOCKS);
                assert.deepEqual(nonBlankLines(renderCalicoBird6(input)[file]), nonBlankLines(readFileSync(path.join(caseDir, file), "utf8")));
            });
        }
    }

    describe("bird6: what the fixtures do not show (no IPv6 blocks in confd's harness), against the templates' structure", () => {
        const base = {
            version: "v3.31" as const,
            node: { name: "n1", ipv4Address: "203.0.113.11/24", ipv6Address: "fd00:203:0:113::11/64" },
            nodes: [
                { name: "n1", ipv4Address: "203.0.113.11/24", ipv6Address: "fd00:203:0:113::11/64" },
                { name: "n2", ipv4Address: "203.0.113.12/24" },
            ],
            bgpConfiguration: { asNumber: 64512, nodeToNodeMeshEnabled: false },
            peers: [{ spec: { peerIP: "203.0.113.1", asNumber: 500 } }, { spec: { peerIP: "fd00:203:0:113::1", asNumber: 500 } }],
            ipPools: [{ cidr: "192.168.0.0/16" }, { cidr: "fd00:10:244::/56" }],
            blocks: [{ cidr: "192.168.10.0/26" }, { cidr: "fd00:10:244:0:1::/122" }, { cidr: "fd00:10:244::/122", state: "confirmed" }, { cidr: "fd00:10:244::1:0/122", state: "pending" }, { cidr: "fd00:10:244::9/128" }],
        };

        it("bird6_aggr.cfg: a blackhole per IPv6 block except /128s, in key order; calico_aggr exports a confirmed or stateless block and nothing beneath it, a pending one not at all", () => {
            const aggr = renderCalicoBird6(base)["bird6_aggr.cfg"];
            const statics = aggr.slice(aggr.indexOf("protocol static {"), aggr.indexOf("}"));
            assert.deepEqual(statics.split("\n").filter((l) => l.includes("route ")).map((l) => l.trim()), [
                "route fd00:10:244:0:1::/122 blackhole;",
                "route fd00:10:244::/122 blackhole;",
                "route fd00:10:244::1:0/122 blackhole;",
            ]);
            assert.doesNotMatch(aggr, /192\.168/, "IPv4 blocks belong to bird_aggr.cfg");
            const fn = aggr.slice(aggr.indexOf("function calico_aggr ()"));
            assert.match(fn, /# Block fd00:10:244::\/122 is confirmed\n {6}if \( net = fd00:10:244::\/122 \) then \{ accept; \}\n {6}if \( net ~ fd00:10:244::\/122 \) then \{ reject; \}/);
            assert.match(fn, /# Block fd00:10:244::1:0\/122 is pending\n {6}# Block/);
            assert.match(fn, /# Block fd00:10:244::9\/128 is implicitly confirmed\.\n {6}if \( net = fd00:10:244::9\/128 \) then \{ accept; \}/);
        });

        it("bird6.cfg: the IPv6 peer only, sourced from the node's IPv6 address, router id the IPv4 address; bird.cfg keeps the IPv4 peer only", () => {
            const v6 = renderCalicoBird6(base)["bird6.cfg"];
            assert.match(v6, /^router id 203\.0\.113\.11;/m);
            assert.match(v6, /protocol bgp Global_fd00_203_0_113__1 from bgp_template \{\n {2}ttl security off;\n {2}multihop;\n {2}neighbor fd00:203:0:113::1 as 500;\n {2}source address fd00:203:0:113::11;/);
            assert.match(v6, /calico_export_to_bgp_peers\(false\);/);
            assert.doesNotMatch(v6, /203\.0\.113\.1 /);
            const v4 = renderCalicoBird(base)["bird.cfg"];
            assert.match(v4, /protocol bgp Global_203_0_113_1 from bgp_template/);
            assert.doesNotMatch(v4, /fd00:/);
            assert.doesNotMatch(renderCalicoBird(base)["bird_ipam.cfg"], /fd00:/);
            assert.doesNotMatch(renderCalicoBird6(base)["bird6_ipam.cfg"], /192\.168/);
        });

        it("bird6.cfg with the mesh on: a stanza for each node with an IPv6 address, none for a node without", () => {
            const v6 = renderCalicoBird6({ ...base, bgpConfiguration: { asNumber: 64512 }, node: base.nodes[0]!, nodes: [...base.nodes, { name: "n3", ipv4Address: "203.0.113.13/24", ipv6Address: "fd00:203:0:113::13/64" }] })["bird6.cfg"];
            assert.match(v6, /# For peer \/bgp\/v1\/host\/n1\/ip_addr_v6\n# Skipping ourselves \(fd00:203:0:113::11\)/);
            assert.match(v6, /protocol bgp Mesh_fd00_203_0_113__13 from bgp_template \{\n {2}neighbor fd00:203:0:113::13 as 64512;\n {2}source address fd00:203:0:113::11;/);
            assert.doesNotMatch(v6, /host\/n2\//);
        });

        it("a node without an IPv6 address gets bird6.cfg's IPv6-disabled form", () => {
            const v6 = renderCalicoBird6({ ...base, node: base.nodes[1]! })["bird6.cfg"];
            assert.match(v6, /\n# IPv6 disabled on this node\.\n\n$/);
            assert.doesNotMatch(v6, /protocol bgp/);
        });

        it("refuses what it does not render: the v3.32 family, IPv6 service advertisement", () => {
            assert.throws(() => renderCalicoBird6({ ...base, version: "v3.32" }), /v3\.31 template family only/);
            assert.throws(() => renderCalicoBird6({ ...base, bgpConfiguration: { serviceClusterIPs: [{ cidr: "fd00:96::/112" }] } }), /IPv6 service advertisement/);
        });

        it("the lab variant parses with the installed bird6", function () {
            if (!commandAvailable("bird6")) this.skip();
            const dir = mkdtempSync(path.join(os.tmpdir(), "bird6-parse-"));
            try {
                const files = renderCalicoBird6({ ...base, bgpConfiguration: { asNumber: 64512 } }, { logFile: path.join(dir, "bird6.log") });
                for (const f of BIRD6_FILES) writeFileSync(path.join(dir, f), files[f]);
                execFileSync("bird6", ["-p", "-c", path.join(dir, "bird6.cfg")], { cwd: dir, stdio: "pipe" });
                // The check can fail: bird6 refuses an IPv4 neighbor.
                writeFileSync(path.join(dir, "bird6.cfg"), files["bird6.cfg"].replace("neighbor fd00:203:0:113::1 ", "neighbor 203.0.113.1 "));
                assert.throws(() => execFileSync("bird6", ["-p", "-c", path.join(dir, "bird6.cfg")], { cwd: dir, stdio: "pipe" }));
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("the service routes confd's route generator gives one node (routes.go, client.go)", () => {
        const cluster = (over: Partial<KubeService> = {}): KubeService => ({ name: "s", type: "LoadBalancer", clusterIPs: ["10.96.0.7"], externalTrafficPolicy: "Cluster", endpoints: [{ nodeName: "n2" }], ...over });
        const routes = (cfg: ServiceAdvertisementConfig, services: KubeService[], version: CalicoTemplateVersion = "v3.32") => serviceRoutesForNode(cfg, services, "n1", version);

        it("a single-address external IP is no global route; a Cluster Service using it is advertised from every node, endpoints elsewhere or not", () => {
            const cfg = { serviceExternalIPs: [{ cidr: "198.51.100.0/24" }, { cidr: "203.0.113.9/32" }] };
            assert.deepEqual(routes(cfg, [cluster({ externalIPs: ["203.0.113.9"], endpoints: [] })]), { staticRoutes: ["198.51.100.0/24", "203.0.113.9/32"], rejectCidrs: ["198.51.100.0/24"] });
            assert.deepEqual(routes(cfg, [cluster({ externalIPs: ["198.51.100.4"] })]).staticRoutes, ["198.51.100.0/24"], "covered by the CIDR: no /32 for a Cluster Service");
        });

        it("with serviceLoadBalancerAggregation Disabled, LB CIDRs are not global and a Cluster Service's LB IPs are /32s from every node while it has endpoints", () => {
            const cfg = { serviceLoadBalancerIPs: [{ cidr: "80.15.0.0/24" }], serviceLoadBalancerAggregation: "Disabled" as const };
            assert.deepEqual(routes(cfg, [cluster({ loadBalancerIngressIPs: ["80.15.0.1", "90.15.0.1"] })]), { staticRoutes: ["80.15.0.1/32"], rejectCidrs: [] });
            assert.deepEqual(routes(cfg, [cluster({ loadBalancerIngressIPs: ["80.15.0.1"], endpoints: [] })]).staticRoutes, []);
            assert.deepEqual(routes({ ...cfg, serviceLoadBalancerAggregation: "Enabled" }, [cluster({ loadBalancerIngressIPs: ["80.15.0.1"] })]).staticRoutes, ["80.15.0.0/24"]);
        });

        it("a Local Service only where an endpoint is; v3.31.7 skips endpoints that are not ready, v3.32.1 does not", () => {
            const cfg = { serviceClusterIPs: [{ cidr: "10.96.0.0/12" }] };
            const local = (endpoints: KubeService["endpoints"]) => [cluster({ externalTrafficPolicy: "Local", endpoints })];
            assert.deepEqual(routes(cfg, local([{ nodeName: "n1" }])).staticRoutes, ["10.96.0.0/12", "10.96.0.7/32"]);
            assert.deepEqual(routes(cfg, local([{ nodeName: "n2" }])).staticRoutes, ["10.96.0.0/12"]);
            assert.deepEqual(routes(cfg, local([{ nodeName: "n1", ready: false }]), "v3.31").staticRoutes, ["10.96.0.0/12"]);
            assert.deepEqual(routes(cfg, local([{ nodeName: "n1", ready: false }]), "v3.32").staticRoutes, ["10.96.0.0/12", "10.96.0.7/32"]);
            assert.deepEqual(routes({}, local([{ nodeName: "n1" }])), { staticRoutes: [], rejectCidrs: [] }, "nothing configured: no route generator");
        });

        it("headless and ExternalName Services are never advertised", () => {
            const cfg = { serviceClusterIPs: [{ cidr: "10.96.0.0/12" }] };
            const local = { externalTrafficPolicy: "Local" as const, endpoints: [{ nodeName: "n1" }] };
            assert.deepEqual(routes(cfg, [cluster({ ...local, clusterIPs: ["None"] }), cluster({ ...local, type: "ExternalName", clusterIPs: [] })]).staticRoutes, ["10.96.0.0/12"]);
        });
    });

    it("the lab variant (no krt_tunnel, log file) parses with the installed BIRD", function () {
        if (!birdAvailable()) this.skip();
        const caseDir = path.join(FIXTURES, "v3.31.7", "explicit_peering", "keepnexthop-global");
        for (const version of ["v3.31", "v3.32"] as const) {
            const input = renderInputFromResources(readFileSync(path.join(caseDir, "input.yaml"), "utf8"), "kube-master", version, HARNESS_BLOCKS);
            const dir = mkdtempSync(path.join(os.tmpdir(), "bird-parse-"));
            try {
                const files = renderCalicoBird(input, { dropTunnelAttribute: true, logFile: path.join(dir, "bird.log") });
                for (const f of FILES) writeFileSync(path.join(dir, f), files[f]);
                // -p parses and exits; includes resolve relative to the working directory.
                execFileSync("bird", ["-p", "-c", path.join(dir, "bird.cfg")], { cwd: dir, stdio: "pipe" });
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        }
    });

    it("the unmodified Calico output is refused by Debian BIRD for its krt_tunnel, which is why the lab drops it", function () {
        if (!birdAvailable()) this.skip();
        const caseDir = path.join(FIXTURES, "v3.31.7", "explicit_peering", "keepnexthop-global");
        const input = renderInputFromResources(readFileSync(path.join(caseDir, "input.yaml"), "utf8"), "kube-master", "v3.31", HARNESS_BLOCKS);
        const dir = mkdtempSync(path.join(os.tmpdir(), "bird-parse-"));
        try {
            const files = renderCalicoBird(input);
            for (const f of FILES) writeFileSync(path.join(dir, f), files[f]);
            assert.throws(() => execFileSync("bird", ["-p", "-c", path.join(dir, "bird.cfg")], { cwd: dir, stdio: "pipe" }), /You may set only variables/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("names a global peer the way calicoctl node status reads it back", () => {
        const input = {
            version: "v3.31" as const,
            node: { name: "n1", ipv4Address: "192.0.2.11/24" },
            nodes: [{ name: "n1", ipv4Address: "192.0.2.11/24" }],
            bgpConfiguration: { nodeToNodeMeshEnabled: false },
            peers: [{ spec: { peerIP: "192.0.2.1", asNumber: 500 } }, { spec: { peerIP: "192.0.2.2:1179", asNumber: 500 } }],
            ipPools: [{ cidr: "192.168.0.0/16" }],
            blocks: [{ cidr: "192.168.10.0/26" }],
        };
        const cfg = renderCalicoBird(input)["bird.cfg"];
        assert.match(cfg, /protocol bgp Global_192_0_2_1 from bgp_template \{\n {2}ttl security off;\n {2}multihop;\n {2}neighbor 192\.0\.2\.1 as 500;\n {2}source address 192\.0\.2\.11;/);
        assert.match(cfg, /protocol bgp Global_192_0_2_2_port_1179 from bgp_template/);
        assert.match(cfg, /calico_export_to_bgp_peers\(false\);/, "eBGP toward the ADC: internal_peer false");
    });

    it("refuses what it does not render instead of rendering it wrong", () => {
        const base = {
            version: "v3.31" as const,
            node: { name: "n1", ipv4Address: "192.0.2.11/24" },
            nodes: [{ name: "n1", ipv4Address: "192.0.2.11/24" }],
            ipPools: [],
            blocks: [],
        };
        assert.throws(() => renderCalicoBird({ ...base, peers: [{ spec: { peerIP: "192.0.2.1", asNumber: 500, node: "n1" } }] }), /only global peers/);
        assert.throws(() => renderCalicoBird({ ...base, peers: [{ spec: { peerIP: "192.0.2.1", asNumber: 0 } }] }), /asNumber must be set/);
    });
});
