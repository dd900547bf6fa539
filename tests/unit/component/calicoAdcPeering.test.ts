/**
 * The component's resource graph under Pulumi's mock monitor: which children, with which
 * inputs, under which parent, after what, with which provider, and what stays secret. Nodes are
 * listed here; discovered nodes are covered in tests/integration/discovery against a real
 * kube-apiserver.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { expectProgramFailure, installMocks, kubernetesAutoName, Registration, valueOf, find, isSecretValue, containsSecret, unwrapSecrets } from "../calico/pulumiMocks";
import { CalicoAdcPeering, CALICO_ADC_PEERING_TYPE } from "../../../provider/component/calicoAdcPeering";
import { CalicoAdcPeeringArgs } from "../../../provider/component/args";
import { PeeringInputError } from "../../../provider/component/errors";
import { AdcBgpRouter } from "../../../provider/adc/adcBgpRouter";
import { CalicoBgpPeer } from "../../../provider/calico/calicoBgpPeer";

const ROUTER = "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpRouter";
const NEIGHBORS = "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpNeighbors";
const BGPPEER_V3 = "kubernetes:projectcalico.org/v3:BGPPeer";
const BGPFILTER_V3 = "kubernetes:projectcalico.org/v3:BGPFilter";
/** What the defaults add to the runbook's BGPPeer on Calico 3.31: next hop kept, the component's import filter last. */
const SAFE = { nextHopMode: "Keep", filters: ["adc-import-filter-4f2a9c1e"] };

const connection = { host: "192.0.2.10", password: pulumi.secret("nsroot-password"), hostKeyFingerprint: "SHA256:abc" };
const nodes = [
    { name: "k8s-master", address: "10.102.33.201" },
    { name: "k8s-worker-1", address: "10.102.33.202" },
    { name: "k8s-worker-2", address: "10.102.33.203", asn: 64513 },
];

const ipPools = [{ cidr: "192.168.0.0/16" }];

function runbookArgs(over: Partial<CalicoAdcPeeringArgs> = {}): CalicoAdcPeeringArgs {
    return { adc: { connection, asn: 500, peerAddress: "10.102.33.208" }, cluster: { asn: 64512, nodes, ipPools }, calicoVersion: "3.31.7", ...over };
}

/** What the providers would report: Kubernetes auto-names, the ADC reads its neighbors and sessions back. */
function providerOutputs(r: Registration): Record<string, unknown> | undefined {
    const inputs = unwrapSecrets(r.inputs) as Record<string, any>;
    const k8sName = kubernetesAutoName(r);
    if (k8sName) return k8sName;
    if (r.type === NEIGHBORS) {
        const list = inputs.neighbors as { address: string; remoteAsn: number; description?: string }[];
        return {
            configuredNeighbors: list.map((n) => ({ address: n.address, remoteAsn: n.remoteAsn, description: n.description ?? null, hasPassword: n.address in (inputs.neighborPasswords ?? {}), updateSource: null, ebgpMultihop: null })),
            sessions: list.map((n) => ({ address: n.address, remoteAsn: n.remoteAsn, state: "Established", prefixesReceived: 1, upDown: "00:00:07" })),
        };
    }
    return undefined;
}

interface ChildOpts {
    type: string;
    name: string;
    parent?: pulumi.Resource;
    dependsOn: pulumi.Resource[];
    provider?: pulumi.ProviderResource;
    protect?: boolean;
    additionalSecretOutputs?: string[];
}

/** Records each child's resource options through a transformation on the component. */
function recordOptions(): { transformations: pulumi.ResourceTransformation[]; children: ChildOpts[] } {
    const children: ChildOpts[] = [];
    return {
        children,
        transformations: [
            (a) => {
                const dependsOn = a.opts.dependsOn === undefined ? [] : Array.isArray(a.opts.dependsOn) ? a.opts.dependsOn : [a.opts.dependsOn];
                children.push({
                    type: a.type,
                    name: a.name,
                    parent: a.opts.parent,
                    dependsOn: dependsOn as pulumi.Resource[],
                    provider: (a.opts as pulumi.CustomResourceOptions).provider,
                    protect: a.opts.protect,
                    additionalSecretOutputs: (a.opts as pulumi.CustomResourceOptions).additionalSecretOutputs,
                });
                return undefined;
            },
        ],
    };
}

async function settle(p: CalicoAdcPeering): Promise<void> {
    await valueOf(p.urn);
    await valueOf(p.sessions);
    await valueOf(p.bgpPeerName);
}


describe("CalicoAdcPeering (resource graph under Pulumi mocks)", () => {
    let regs: Registration[];
    beforeEach(() => {
        regs = installMocks({ outputs: providerOutputs });
    });

    it("creates the runbook's three children and the import filter under the component, named <name>-role", async () => {
        const rec = recordOptions();
        const p = new CalicoAdcPeering("adc", runbookArgs(), { transformations: rec.transformations });
        await settle(p);
        assert.deepEqual(
            regs.map((r) => `${r.type} ${r.name}`).sort(),
            [`${BGPFILTER_V3} adc-import-filter`, `${BGPPEER_V3} adc-bgppeer`, `${CALICO_ADC_PEERING_TYPE} adc`, `${NEIGHBORS} adc-neighbors`, `${ROUTER} adc-router`].sort(),
        );
        const children = rec.children.filter((c) => c.type !== CALICO_ADC_PEERING_TYPE);
        assert.deepEqual(children.map((c) => c.name).sort(), ["adc-bgppeer", "adc-import-filter", "adc-neighbors", "adc-router"]);
        for (const c of children) assert.equal(c.parent, p, `${c.name} is parented to the component`);
        assert.ok(!find(regs, CALICO_ADC_PEERING_TYPE, "adc").custom);
        assert.deepEqual(find(regs, CALICO_ADC_PEERING_TYPE, "adc").inputs, {}, "the component records none of its (credential-bearing) arguments");
    });

    it("the BGPPeer is the runbook's global peer: peerIP = ADC, asNumber = ADC AS, no node scope", async () => {
        const p = new CalicoAdcPeering("adc", runbookArgs({ bgpPeerName: "bgppeer-global-3040" }));
        await settle(p);
        assert.deepEqual(find(regs, BGPPEER_V3, "adc-bgppeer").inputs, {
            apiVersion: "projectcalico.org/v3",
            kind: "BGPPeer",
            metadata: { name: "bgppeer-global-3040", annotations: { "pulumi.com/patchForce": "true" } },
            spec: { peerIP: "10.102.33.208", asNumber: 500, ...SAFE },
        });
        assert.equal(await valueOf(p.bgpPeerName), "bgppeer-global-3040");
        assert.deepEqual(await valueOf(p.bgpPeer), { name: "bgppeer-global-3040", peerIP: "10.102.33.208", node: "(global)", asn: 500 });
    });

    it("the router is router bgp 500 with route-install on; the neighbors are one per node with its AS", async () => {
        const p = new CalicoAdcPeering("adc", runbookArgs());
        await settle(p);
        const router = unwrapSecrets(find(regs, ROUTER, "adc-router").inputs) as Record<string, unknown>;
        assert.equal(router.localAsn, 500);
        assert.equal(router.routeInstall, true);
        assert.deepEqual(router.connection, { host: "192.0.2.10", hostKeyFingerprint: "SHA256:abc" });
        const neighbors = find(regs, NEIGHBORS, "adc-neighbors").inputs;
        assert.equal(neighbors.localAsn, 500);
        assert.equal(isSecretValue(neighbors.neighbors), false, "preview can show which neighbor changes");
        assert.deepEqual(neighbors.neighbors, [
            { address: "10.102.33.201", remoteAsn: 64512, description: "k8s-master" },
            { address: "10.102.33.202", remoteAsn: 64512, description: "k8s-worker-1" },
            { address: "10.102.33.203", remoteAsn: 64513, description: "k8s-worker-2" },
        ]);
        assert.equal(neighbors.waitForEstablishedSeconds, 0);
        assert.deepEqual(await valueOf(p.clusterAsn), 64512);
        assert.deepEqual((await valueOf(p.nodes)).map((n) => [n.name, n.address, n.asn, n.addressSource]), [
            ["k8s-master", "10.102.33.201", 64512, "cluster.nodes"],
            ["k8s-worker-1", "10.102.33.202", 64512, "cluster.nodes"],
            ["k8s-worker-2", "10.102.33.203", 64513, "cluster.nodes"],
        ]);
    });

    it("outputs what calicoctl node status answers: each node's session, read from the neighbors resource", async () => {
        const p = new CalicoAdcPeering("adc", runbookArgs());
        await settle(p);
        const sessions = await valueOf(p.sessions);
        assert.deepEqual(sessions.map((s) => [s.address, s.state]), [
            ["10.102.33.201", "Established"],
            ["10.102.33.202", "Established"],
            ["10.102.33.203", "Established"],
        ]);
        assert.deepEqual((await valueOf(p.neighbors)).map((n) => n.address), ["10.102.33.201", "10.102.33.202", "10.102.33.203"]);
    });

    it("the neighbors depend on the router and the BGPPeer; the router and BGPPeer depend on nothing", async () => {
        const rec = recordOptions();
        const p = new CalicoAdcPeering("adc", runbookArgs(), { transformations: rec.transformations });
        await settle(p);
        const byName = (n: string) => rec.children.find((c) => c.name === n)!;
        const deps = byName("adc-neighbors").dependsOn;
        assert.ok(deps.includes(p.children.router!), "neighbors after the router");
        assert.ok(deps.includes(p.children.bgpPeer), "neighbors after the BGPPeer (sessions can only come up then)");
        assert.deepEqual(byName("adc-router").dependsOn, []);
        assert.deepEqual(byName("adc-bgppeer").dependsOn, [p.children.adcImportFilter], "the BGPPeer after the filter it names");
        assert.deepEqual(byName("adc-import-filter").dependsOn, []);
        const order = regs.map((r) => r.name);
        assert.ok(order.indexOf("adc-neighbors") > order.indexOf("adc-router"));
        assert.ok(order.indexOf("adc-neighbors") > order.indexOf("adc-bgppeer"));
    });

    it("dual stack: a second BGPPeer to the ADC's IPv6 address with the same spec, password and filter, the IPv6 neighbors in the same resource after both BGPPeers, IPv6 route install on", async () => {
        const rec = recordOptions();
        const dualNodes = nodes.map((n, i) => ({ ...n, ipv6Address: `fd00:102:33::20${i + 1}` }));
        const p = new CalicoAdcPeering(
            "adc",
            runbookArgs({
                adc: { connection, asn: 500, peerAddress: "10.102.33.208", ipv6PeerAddress: "fd00:102:33::208", prefixFilter: false, gracefulRestart: true },
                cluster: { asn: 64512, nodes: dualNodes, ipPools },
                bgpPassword: pulumi.secret("s3cret"),
                calicoNamespace: "calico-system",
                bgpPeerName: "bgppeer-global-3040",
            }),
            { transformations: rec.transformations },
        );
        await settle(p);
        const v4 = unwrapSecrets(find(regs, BGPPEER_V3, "adc-bgppeer").inputs) as Record<string, any>;
        const v6 = unwrapSecrets(find(regs, BGPPEER_V3, "adc-bgppeer-ipv6").inputs) as Record<string, any>;
        assert.equal(v6.metadata.name, "bgppeer-global-3040-ipv6");
        assert.deepEqual(v6.spec, { ...v4.spec, peerIP: "fd00:102:33::208" });
        assert.equal(v6.spec.maxRestartTime, "120s");
        assert.ok(v6.spec.password?.secretKeyRef, "the same password Secret");
        assert.deepEqual(await valueOf(p.bgpPeerIpv6), { name: "bgppeer-global-3040-ipv6", peerIP: "fd00:102:33::208", node: "(global)", asn: 500 });
        const neighbors = unwrapSecrets(find(regs, NEIGHBORS, "adc-neighbors").inputs) as Record<string, any>;
        const all = [...nodes.map((n) => n.address), ...dualNodes.map((n) => n.ipv6Address)];
        assert.deepEqual(neighbors.neighbors.map((n: { address: string }) => n.address), all);
        assert.deepEqual(neighbors.neighborPasswords, Object.fromEntries(all.map((a) => [a, "s3cret"])), "the password on every neighbor of both families");
        assert.equal((unwrapSecrets(find(regs, ROUTER, "adc-router").inputs) as Record<string, unknown>).routeInstallIpv6, true);
        const deps = rec.children.find((c) => c.name === "adc-neighbors")!.dependsOn;
        assert.ok(deps.includes(p.children.bgpPeer) && deps.includes(p.children.bgpPeerIpv6!), "neighbors after both BGPPeers");
        assert.deepEqual((await valueOf(p.nodes)).map((n) => n.ipv6Address), dualNodes.map((n) => n.ipv6Address));
    });

    it("one family: no IPv6 BGPPeer, bgpPeerIpv6 undefined, no IPv6 route install", async () => {
        const p = new CalicoAdcPeering("adc", runbookArgs());
        await settle(p);
        assert.ok(!regs.some((r) => r.name === "adc-bgppeer-ipv6"));
        assert.equal(await valueOf(p.bgpPeerIpv6), undefined);
        assert.equal((unwrapSecrets(find(regs, ROUTER, "adc-router").inputs) as Record<string, unknown>).routeInstallIpv6, false);
    });

    describe("with a BGP password", () => {
        it("creates the Secret in calico-node's namespace, a Role/RoleBinding for calico-node, the secretKeyRef, and the password on every neighbor, all secret", async () => {
            const rec = recordOptions();
            const p = new CalicoAdcPeering("adc", runbookArgs({ bgpPassword: pulumi.secret("Md5-s3cret"), calicoNamespace: "kube-system" }), { transformations: rec.transformations });
            await settle(p);
            const secret = find(regs, "kubernetes:core/v1:Secret", "adc-bgp-password");
            assert.deepEqual(unwrapSecrets(secret.inputs.metadata), { namespace: "kube-system", labels: { "app.kubernetes.io/managed-by": "pulumi-calico-adc" } });
            assert.ok(isSecretValue(secret.inputs.stringData), "stringData is sent as a secret");
            assert.deepEqual(unwrapSecrets(secret.inputs.stringData), { password: "Md5-s3cret" });
            assert.equal(secret.inputs.type, "Opaque");
            const secretName = "adc-bgp-password-4f2a9c1e";

            const role = unwrapSecrets(find(regs, "kubernetes:rbac.authorization.k8s.io/v1:Role", "adc-bgp-password-reader").inputs) as any;
            assert.equal(role.metadata.namespace, "kube-system");
            assert.deepEqual(role.rules, [{ apiGroups: [""], resources: ["secrets"], resourceNames: [secretName], verbs: ["get", "list", "watch"] }]);
            const binding = unwrapSecrets(find(regs, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "adc-bgp-password-reader").inputs) as any;
            assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "adc-bgp-password-reader-4f2a9c1e" });
            assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "calico-node", namespace: "kube-system" }]);

            const peer = find(regs, BGPPEER_V3, "adc-bgppeer");
            assert.deepEqual(unwrapSecrets(peer.inputs.spec), { peerIP: "10.102.33.208", asNumber: 500, ...SAFE, password: { secretKeyRef: { name: secretName, key: "password" } } });
            assert.ok(!JSON.stringify(peer.inputs).includes("Md5-s3cret"), "the BGPPeer carries only the reference");

            const neighbors = find(regs, NEIGHBORS, "adc-neighbors").inputs;
            assert.ok(isSecretValue(neighbors.neighborPasswords));
            assert.deepEqual(unwrapSecrets(neighbors.neighborPasswords), { "10.102.33.201": "Md5-s3cret", "10.102.33.202": "Md5-s3cret", "10.102.33.203": "Md5-s3cret" });
            assert.equal(containsSecret(neighbors.neighbors), false);
            assert.ok(!JSON.stringify(neighbors.neighbors).includes("Md5-s3cret"));
            for (const r of regs) {
                for (const [k, v] of Object.entries(r.inputs)) {
                    if (JSON.stringify(v).includes("Md5-s3cret")) assert.ok(isSecretValue(v), `${r.name}.${k} carries the password in plain text`);
                }
            }
            // The engine keeps the Secret's data secret in the state too (mocks do not apply this option).
            const secretOutputs = rec.children.find((c) => c.name === "adc-bgp-password")!.additionalSecretOutputs ?? [];
            assert.ok(secretOutputs.includes("data") && secretOutputs.includes("stringData"), String(secretOutputs));

            // calico-node must be able to read the password before it sees the peer (and the filter it names must exist).
            const peerDeps = rec.children.find((c) => c.name === "adc-bgppeer")!.dependsOn;
            const depTypes = await Promise.all(peerDeps.map((d) => valueOf(d.urn)));
            assert.deepEqual(depTypes.map((u) => u.split("::").slice(2).join("::")).sort(), [
                "pulumi-calico-adc:index:CalicoAdcPeering$kubernetes:core/v1:Secret::adc-bgp-password",
                "pulumi-calico-adc:index:CalicoAdcPeering$kubernetes:projectcalico.org/v3:BGPFilter::adc-import-filter",
                "pulumi-calico-adc:index:CalicoAdcPeering$kubernetes:rbac.authorization.k8s.io/v1:Role::adc-bgp-password-reader",
                "pulumi-calico-adc:index:CalicoAdcPeering$kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::adc-bgp-password-reader",
            ]);
        });

        it("puts the Secret in the calicoNamespace given, without reading the cluster", async () => {
            const p = new CalicoAdcPeering("adc", runbookArgs({ bgpPassword: "s3cret", calicoNamespace: "calico-system" }));
            await settle(p);
            assert.equal((unwrapSecrets(find(regs, "kubernetes:core/v1:Secret", "adc-bgp-password").inputs.metadata) as any).namespace, "calico-system");
        });

        it("marks a password given in plain text secret anyway", async () => {
            const p = new CalicoAdcPeering("adc", runbookArgs({ bgpPassword: "plain-s3cret", calicoNamespace: "calico-system" }));
            await settle(p);
            assert.ok(isSecretValue(find(regs, "kubernetes:core/v1:Secret", "adc-bgp-password").inputs.stringData));
            assert.ok(isSecretValue(find(regs, NEIGHBORS, "adc-neighbors").inputs.neighborPasswords));
        });

        it("refuses an unusable password before anything is registered, without showing it", async () => {
            const failure = expectProgramFailure();
            new CalicoAdcPeering("adc", runbookArgs({ bgpPassword: pulumi.secret('bad"quote'), calicoNamespace: "calico-system" }));
            const e = await failure;
            assert.ok(e instanceof PeeringInputError, String(e));
            assert.match(e.message, /bgpPassword = "<secret>": contains " or \\/);
            assert.ok(!e.message.includes('bad"quote'));
            assert.deepEqual(regs.filter((r) => r.custom).map((r) => r.name), []);
        });
    });

    it("refuses bad inputs before any child is registered, naming each", async () => {
        const failure = expectProgramFailure();
        new CalicoAdcPeering("adc", runbookArgs({ adc: { connection, asn: 4200000001, peerAddress: "10.102.33.208" } }));
        const e = await failure;
        assert.ok(e instanceof PeeringInputError, String(e));
        assert.deepEqual(e.problems.map((x) => x.field), ["adc.asn"]);
        assert.match(e.message, /adc\.asn = 4200000001: is above 2147483647/);
        assert.deepEqual(regs.filter((r) => r.custom).map((r) => r.name), [], "no BGPPeer, router or neighbors were registered");
    });

    it("when refused, its outputs fail with the same error instead of waiting forever (so a program exporting them ends)", async () => {
        const failure = expectProgramFailure();
        const p = new CalicoAdcPeering("adc", runbookArgs({ adc: { connection, asn: 0, peerAddress: "10.102.33.208" } }));
        for (const o of [p.sessions, p.neighbors, p.bgpPeerName, p.bgpPeer, p.clusterAsn, p.nodes] as pulumi.Output<unknown>[]) {
            await assert.rejects(valueOf(o), (e: unknown) => e instanceof PeeringInputError && /adc\.asn = 0/.test(e.message));
        }
        await failure;
    });

    it("joins a router passed in (several clusters, one router) and creates none", async () => {
        const router = new AdcBgpRouter("shared-router", { connection, localAsn: 500 });
        const rec = recordOptions();
        const p = new CalicoAdcPeering("cluster-a", runbookArgs({ adc: { connection, asn: 500, peerAddress: "10.102.33.208", router } }), { transformations: rec.transformations });
        await settle(p);
        assert.equal(regs.filter((r) => r.type === ROUTER).length, 1, "only the shared router");
        assert.equal(p.children.router, undefined);
        assert.ok(rec.children.find((c) => c.name === "cluster-a-neighbors")!.dependsOn.includes(router));
    });

    it("with router: false, manages no router and the neighbors depend only on the BGPPeer", async () => {
        const rec = recordOptions();
        const p = new CalicoAdcPeering("adc", runbookArgs({ adc: { connection, asn: 500, peerAddress: "10.102.33.208", router: false } }), { transformations: rec.transformations });
        await settle(p);
        assert.equal(regs.filter((r) => r.type === ROUTER).length, 0);
        assert.deepEqual(rec.children.find((c) => c.name === "adc-neighbors")!.dependsOn, [p.children.bgpPeer]);
    });

    it("refuses a router of another AS", async () => {
        const router = new AdcBgpRouter("shared-router", { connection, localAsn: 600 });
        const failure = expectProgramFailure();
        new CalicoAdcPeering("cluster-a", runbookArgs({ adc: { connection, asn: 500, peerAddress: "10.102.33.208", router } }));
        const e = await failure;
        assert.ok(e instanceof PeeringInputError);
        assert.match(e.message, /adc\.router = "localAsn 600": is router bgp 600 but adc\.asn is 500/);
    });

    it("writes crd.projectcalico.org/v1 on request", async () => {
        const p = new CalicoAdcPeering("adc", runbookArgs({ calicoApi: "crd.projectcalico.org/v1" }));
        await settle(p);
        assert.equal(find(regs, "kubernetes:crd.projectcalico.org/v1:BGPPeer", "adc-bgppeer").inputs.apiVersion, "crd.projectcalico.org/v1");
    });

    it("passes waitForEstablished, adoptExisting, saveConfig and routeInstall through", async () => {
        const p = new CalicoAdcPeering("adc", runbookArgs({ adc: { connection, asn: 500, peerAddress: "10.102.33.208", adoptExisting: true, saveConfig: false }, routeInstall: false, waitForEstablished: 60 }));
        await settle(p);
        const router = find(regs, ROUTER, "adc-router").inputs;
        assert.equal(router.routeInstall, false);
        assert.equal(router.adoptExisting, true);
        assert.equal(router.saveConfig, false);
        const n = find(regs, NEIGHBORS, "adc-neighbors").inputs;
        assert.equal(n.waitForEstablishedSeconds, 60);
        assert.equal(n.adoptExisting, true);
        assert.equal(n.saveConfig, false);
    });

    it("puts the plan's prefix filter and maximum-prefix on the neighbors resource by default, and passes the opt-outs", async () => {
        const p = new CalicoAdcPeering("adc", runbookArgs());
        await settle(p);
        const n = find(regs, NEIGHBORS, "adc-neighbors").inputs as Record<string, any>;
        const plan = await valueOf(p.routeSafety);
        assert.match(n.prefixFilter.name, /^pca-.+-adc-in$/);
        assert.equal(n.prefixFilter.name, plan.adcPrefixFilter!.prefixList.name);
        assert.deepEqual(n.prefixFilter.entries, [{ prefix: "192.168.0.0/16", ge: 26, le: 32 }], "the pool's blocks, /26 to /32");
        assert.deepEqual(n.maximumPrefix, { limit: plan.maximumPrefix!.limit, warningOnly: false });
        assert.equal(n.maximumPrefix.limit, 1024, "a /16 of /26 blocks");

        regs.length = 0;
        const off = new CalicoAdcPeering("off", runbookArgs({ adc: { connection, asn: 500, peerAddress: "10.102.33.208", prefixFilter: false, maximumPrefix: { limit: 50, warningOnly: true } } }));
        await settle(off);
        const o = find(regs, NEIGHBORS, "off-neighbors").inputs;
        assert.equal(o.prefixFilter ?? null, null);
        assert.deepEqual(o.maximumPrefix, { limit: 50, warningOnly: true });
    });

    describe("resource options, as Pulumi components pass them", () => {
        it("protect reaches every child", async () => {
            const rec = recordOptions();
            const p = new CalicoAdcPeering("adc", runbookArgs(), { protect: true, transformations: rec.transformations });
            await settle(p);
            for (const c of [p.children.bgpPeer, p.children.router!, p.children.neighbors]) {
                assert.equal((c as unknown as { __protect: boolean }).__protect, true);
            }
        });

        it("a Kubernetes provider passed to the component is used for the Kubernetes children", async () => {
            const provider = new k8s.Provider("user-k8s", { kubeconfig: "~/.kube/other" });
            const p = new CalicoAdcPeering("adc", runbookArgs({ bgpPassword: "s3cret", calicoNamespace: "calico-system" }), { providers: [provider] });
            await settle(p);
            const providerUrn = await valueOf(provider.urn);
            for (const r of regs.filter((x) => x.type.startsWith("kubernetes:") && x.type !== "pulumi:providers:kubernetes")) {
                assert.ok(r.provider.startsWith(providerUrn), `${r.name} uses ${r.provider}`);
            }
            assert.equal(p.children.kubernetesProvider, undefined);
            assert.equal(regs.filter((r) => r.type === "pulumi:providers:kubernetes").length, 1);
        });

        it("with cluster.kubeconfig, makes its own Kubernetes provider <name>-k8s from it and uses it", async () => {
            const kubeconfig = pulumi.secret("apiVersion: v1\nkind: Config\nclusters: []\n");
            const p = new CalicoAdcPeering("adc", runbookArgs({ cluster: { asn: 64512, nodes, ipPools, kubeconfig, context: "prod" } }));
            await settle(p);
            const prov = find(regs, "pulumi:providers:kubernetes", "adc-k8s");
            assert.ok(isSecretValue(prov.inputs.kubeconfig), "the kubeconfig stays secret");
            assert.equal(prov.inputs.context, "prod");
            const providerUrn = await valueOf(p.children.kubernetesProvider!.urn);
            assert.ok(find(regs, BGPPEER_V3, "adc-bgppeer").provider.startsWith(providerUrn));
        });
    });

    it("during preview, the neighbor set is fully known (preview shows each neighbor added or removed)", async () => {
        regs = installMocks({ preview: true, outputs: providerOutputs });
        const p = new CalicoAdcPeering("adc", runbookArgs({ bgpPassword: pulumi.secret("s3cret"), calicoNamespace: "calico-system" }));
        await valueOf(p.urn);
        await valueOf(p.children.neighbors.urn);
        const n = find(regs, NEIGHBORS, "adc-neighbors").inputs;
        assert.deepEqual(n.neighbors, [
            { address: "10.102.33.201", remoteAsn: 64512, description: "k8s-master" },
            { address: "10.102.33.202", remoteAsn: 64512, description: "k8s-worker-1" },
            { address: "10.102.33.203", remoteAsn: 64513, description: "k8s-worker-2" },
        ]);
        assert.deepEqual(unwrapSecrets(find(regs, BGPPEER_V3, "adc-bgppeer").inputs.spec), {
            peerIP: "10.102.33.208",
            asNumber: 500,
            ...SAFE,
            password: { secretKeyRef: { name: "adc-bgp-password-4f2a9c1e", key: "password" } },
        });
    });

    it("CalicoBgpPeer child is the typed resource", async () => {
        const p = new CalicoAdcPeering("adc", runbookArgs());
        await settle(p);
        assert.ok(p.children.bgpPeer instanceof CalicoBgpPeer);
        assert.deepEqual(await valueOf(p.children.bgpPeer.spec), { peerIP: "10.102.33.208", asNumber: 500, ...SAFE });
    });
});
