import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderCalicoBird, type BirdConfigFiles, type CalicoTemplateVersion, type IpamBlock } from "./support/calicoBird";
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
    try {
        execFileSync("bird", ["--version"], { stdio: "ignore" });
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
