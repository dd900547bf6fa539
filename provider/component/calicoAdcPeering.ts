import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { AdcBgpNeighbors } from "../adc/adcBgpNeighbors";
import { AdcBgpRouter } from "../adc/adcBgpRouter";
import { startDynamicProviderHost } from "../adc/providerHost";
import type { AdcBgpNeighborState, BgpSessionState } from "../adc/args";
import { CalicoBgpPeer } from "../calico/calicoBgpPeer";
import { CalicoApiVersion, DEFAULT_CALICO_API_VERSION } from "../calico/spec";
import { parseCalicoRelease } from "../calico/spec";
import { ipFamily } from "../calico/validate";
import { CalicoAdcPeeringArgs, peeringArgsProblems } from "./args";
import { bgpPasswordProblem } from "./bgpPassword";
import { CALICO_NODE_NAMESPACES, ClusterDiscovery, discoverCluster } from "./discovery";
import { PeeringInputError } from "./errors";
import { BGP_FILTER_STAND_IN, PeeredNode, PeeringPlan, ResolvedNode, planPeering } from "./plan";
import type { RouteSafetyPlan } from "./routeSafety";

/** The component's type token. */
export const CALICO_ADC_PEERING_TYPE = "pulumi-calico-adc:index:CalicoAdcPeering";

/** A row of `calicoctl get bgppeer` for the component's BGPPeer. */
export interface BgpPeerRow {
    name: string;
    peerIP: string;
    /** `(global)`: every node peers with the ADC. */
    node: string;
    asn: number;
}

/**
 * Peers a Calico cluster with a Citrix ADC / NetScaler over BGP in one `pulumi up`: the runbook's
 * global Calico BGPPeer (peerIP = the ADC, asNumber = the ADC's AS), the ADC's `router bgp` with
 * `ns route-install bgp`, and one ADC neighbor per Kubernetes node, optionally with an MD5
 * password on both sides.
 *
 * With `adc.ipv6PeerAddress` the peering is dual-stack: a second global BGPPeer to the ADC's IPv6
 * address, and each node's IPv6 address as a neighbor too (activated in `address-family ipv6`).
 *
 * Children: `<name>-bgppeer` (CalicoBgpPeer), with `adc.ipv6PeerAddress` `<name>-bgppeer-ipv6`, `<name>-router` (AdcBgpRouter, unless
 * `adc.router` says otherwise), `<name>-neighbors` (AdcBgpNeighbors, after the router and the
 * BGPPeer), and with `bgpPassword` `<name>-bgp-password` (Secret), `<name>-bgp-password-reader`
 * (Role, RoleBinding). The nodes are read from the cluster at program time unless listed, so
 * `pulumi preview` shows the exact neighbor set and nodes that join or leave are added or removed
 * on the next `pulumi up`.
 *
 * @example
 * ```ts
 * const cfg = new pulumi.Config();
 * const peering = new CalicoAdcPeering("adc", {
 *     adc: {
 *         connection: { host: cfg.require("adcHost"), password: cfg.requireSecret("adcPassword"), hostKeyFingerprint: cfg.require("adcHostKey") },
 *         asn: 500,
 *         peerAddress: "10.102.33.208",
 *     },
 * });
 * export const sessions = peering.sessions;
 * ```
 */
export class CalicoAdcPeering extends pulumi.ComponentResource {
    /** The Calico BGPPeer's name, as `calicoctl get bgppeer` lists it. */
    readonly bgpPeerName: pulumi.Output<string>;
    /** The BGPPeer as `calicoctl get bgppeer` shows it: name, peer IP, `(global)`, AS. */
    readonly bgpPeer: pulumi.Output<BgpPeerRow>;
    /** The IPv6 BGPPeer of a dual-stack peering (`adc.ipv6PeerAddress`) as `calicoctl get bgppeer` shows it; undefined for one family. */
    readonly bgpPeerIpv6: pulumi.Output<BgpPeerRow | undefined>;
    /** The node neighbors as read back from the ADC's running config (passwords only as `hasPassword`). */
    readonly neighbors: pulumi.Output<AdcBgpNeighborState[]>;
    /** Each node's BGP session as the ADC reports it (`show ip bgp summary`, IPv6 neighbors' `show bgp ipv6 summary`): `Established` when up. */
    readonly sessions: pulumi.Output<BgpSessionState[]>;
    /** The cluster's AS number and where it came from. */
    readonly clusterAsn: pulumi.Output<number>;
    /** The nodes peered, with the address and AS the ADC expects from each. */
    readonly nodes: pulumi.Output<PeeredNode[]>;
    /**
     * What keeps routes safe, as planned: the Calico release used, the next-hop fields, what the
     * nodes accept from the ADC, the service CIDRs advertised, the pools, and what the ADC accepts
     * from each node (prefix filter, `maximum-prefix`).
     */
    readonly routeSafety: pulumi.Output<RouteSafetyPlan>;
    /** The child resources, for `dependsOn` and further wiring. */
    readonly children: {
        bgpPeer: CalicoBgpPeer;
        /** The IPv6 BGPPeer of a dual-stack peering. */
        bgpPeerIpv6?: CalicoBgpPeer;
        router?: AdcBgpRouter;
        neighbors: AdcBgpNeighbors;
        passwordSecret?: k8s.core.v1.Secret;
        kubernetesProvider?: k8s.Provider;
        /** The BGPFilter on the BGPPeer: what the nodes accept from the ADC. */
        adcImportFilter?: k8s.apiextensions.CustomResource;
        /** The server-side apply patch of BGPConfiguration `default`'s service fields. */
        serviceAdvertisement?: k8s.apiextensions.CustomResourcePatch;
    };

    constructor(name: string, args: CalicoAdcPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
        // Keys it does not take and parts of the wrong shape are refused before anything registers.
        const shapeProblems = peeringArgsProblems(args);
        if (shapeProblems.length > 0) throw new PeeringInputError(name, shapeProblems);
        // The arguments hold credentials; the component records none of them itself.
        super(CALICO_ADC_PEERING_TYPE, name, {}, opts);
        const r = createPeering(name, args, this);
        // A refused plan leaves the children unregistered and their outputs pending forever; tied
        // to the plan, the component's outputs fail with its error instead, so a program that
        // exports them ends with that error (also in Automation API inline programs) rather than hang.
        const gated = <T>(o: pulumi.Output<T>): pulumi.Output<T> => pulumi.all([r.plan, o]).apply(([, v]) => v) as pulumi.Output<T>;
        this.bgpPeerName = gated(r.bgpPeerName);
        this.bgpPeer = gated(r.bgpPeerRow);
        this.bgpPeerIpv6 = gated(r.bgpPeerIpv6Row);
        this.neighbors = gated(r.neighbors.configuredNeighbors);
        this.sessions = gated(r.neighbors.sessions);
        this.clusterAsn = r.plan.clusterAsn.value;
        this.nodes = r.plan.nodes;
        this.routeSafety = r.plan.routeSafety;
        this.children = r.children;
        this.registerOutputs({
            bgpPeerName: this.bgpPeerName,
            bgpPeer: this.bgpPeer,
            bgpPeerIpv6: this.bgpPeerIpv6,
            neighbors: this.neighbors,
            sessions: this.sessions,
            clusterAsn: this.clusterAsn,
            nodes: this.nodes,
            routeSafety: this.routeSafety,
        });
    }
}

/**
 * Resolves the inputs (reading the cluster when needed), plans, and creates the children under
 * `parent`. Every child's inputs derive from the one plan, so a refused input stops them all
 * before anything is applied.
 */
function createPeering(name: string, args: CalicoAdcPeeringArgs, parent: pulumi.ComponentResource) {
    const calicoApi: CalicoApiVersion = args.calicoApi ?? DEFAULT_CALICO_API_VERSION;
    const cluster = args.cluster ?? {};
    const k8sConfig = new pulumi.Config("kubernetes");
    const kubeconfig = cluster.kubeconfig ?? k8sConfig.get("kubeconfig");
    const context = cluster.context ?? k8sConfig.get("context");

    // Kubernetes objects go where discovery looked: the provider passed in, else one made from
    // cluster.kubeconfig, else the default provider (which follows the same default rules).
    const userK8s = parent.getProvider("kubernetes::Provider");
    let kubernetesProvider: k8s.Provider | undefined;
    if (!userK8s && cluster.kubeconfig !== undefined) {
        kubernetesProvider = new k8s.Provider(`${name}-k8s`, { kubeconfig: cluster.kubeconfig, ...(cluster.context !== undefined ? { context: cluster.context } : {}) }, { parent });
    }
    const k8sOpts = (extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({ parent, ...(kubernetesProvider ? { provider: kubernetesProvider } : {}), ...extra });
    // The ADC resources register only once the cluster is read and planned: their provider's
    // process starts loading beside that work. After the Kubernetes provider's registration, so
    // that the engine loads its plugin first and the provider configures itself meanwhile.
    const registered: pulumi.Output<string | undefined> = kubernetesProvider ? kubernetesProvider.urn : pulumi.output(undefined);
    registered.apply(() => startDynamicProviderHost());

    const hasPassword = args.bgpPassword !== undefined;
    // Whether the peering is dual-stack is known now (the address itself may resolve later).
    const dualStack = args.adc.ipv6PeerAddress !== undefined;
    const needNodes = cluster.nodes === undefined;
    const needAsn = cluster.asn === undefined;
    const needNamespace = hasPassword && args.calicoNamespace === undefined;
    // The pools feed the ADC's prefix filter and the default maximum-prefix.
    const needPools = cluster.ipPools === undefined && !(args.adc.prefixFilter === false && args.adc.maximumPrefix !== undefined);
    const needRelease = args.calicoVersion === undefined;
    const needBgpConfiguration = args.advertiseServices !== undefined;
    const needDiscovery = needNodes || needAsn || needNamespace || needPools || needRelease || needBgpConfiguration;
    if (needDiscovery && userK8s && cluster.kubeconfig === undefined) {
        pulumi.log.warn(
            "a Kubernetes provider was passed but cluster.kubeconfig was not: the cluster is read with the default kubeconfig, which may be another cluster; pass the provider's kubeconfig as cluster.kubeconfig too",
            parent,
        );
    }

    // Discovery runs at program time (also during preview) whenever something must be read.
    // Node names, addresses and AS numbers are not secret, even when the kubeconfig is.
    const discovery: pulumi.Output<ClusterDiscovery | undefined> =
        needDiscovery
            ? pulumi.unsecret(
                  pulumi.all([kubeconfig, context, args.adc.peerAddress]).apply(([kc, ctx, peer]) =>
                      discoverCluster({
                          kubeconfig: kc,
                          context: ctx,
                          calicoApi,
                          nodes: needNodes,
                          asn: needAsn,
                          calicoNodeNamespace: needNamespace,
                          ipPools: needPools,
                          calicoRelease: needRelease,
                          bgpFilters: needRelease,
                          bgpConfiguration: needBgpConfiguration,
                          addressFamily: dualStack ? "dual" : typeof peer === "string" && ipFamily(peer) === "ipv6" ? "ipv6" : "ipv4",
                      }),
                  ),
              )
            : pulumi.output(undefined);

    // The password is checked without it ever entering the plan (which stays non-secret, so
    // preview shows the neighbors); only whether it is usable flows in.
    const passwordProblem = hasPassword ? pulumi.unsecret(pulumi.output(args.bgpPassword).apply((pw) => bgpPasswordProblem(pw) ?? null)) : pulumi.output(null);
    const routerMode = args.adc.router === undefined ? "create" : args.adc.router === false ? "external" : "given";
    const givenRouterAsn = args.adc.router ? args.adc.router.localAsn : pulumi.output(undefined);
    // One field manager per stack and component, so that a later `pulumi up` of the same stack
    // owns what the previous one applied, and another stack's component never does.
    const fieldManager = `pulumi-calico-adc-${pulumi.getStack()}-${name}`.slice(0, 128);
    // The ADC prefix list's name says which stack and component own it (a ZebOS WORD).
    const prefixListName = `pca-${pulumi.getStack()}-${name}-in`.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 63);

    // Only whether the connection lists both nodes, never its secrets.
    const haPair = pulumi.unsecret(pulumi.output(args.adc.connection).apply((c) => Array.isArray((c as { nodes?: unknown }).nodes)));
    const plan: pulumi.Output<PeeringPlan> = pulumi
        .all([
            pulumi.all([args.adc.asn, args.adc.peerAddress, givenRouterAsn, args.adc.routerId, args.adc.maxPaths, args.adc.redistributeKernel, args.adc.saveConfig, args.adc.adoptExisting, args.adc.ebgpMultihop]),
            pulumi.all([cluster.asn, cluster.nodes]),
            discovery,
            pulumi.all([args.bgpPeerName, args.bgpPeerOptions ?? {}, args.calicoNamespace, args.calicoNodeServiceAccount, passwordProblem, args.routeInstall, args.waitForEstablished]),
            pulumi.all([cluster.ipPools, args.adc.prefixFilter, args.adc.maximumPrefix, args.advertiseServices, args.acceptFromAdc]),
            pulumi.all([args.adc.gracefulRestart, haPair]),
            pulumi.all([args.adc.ipv6PeerAddress, args.routeInstallIpv6]),
        ])
        .apply(([[asn, peerAddress, routerAsn, routerId, maxPaths, redistributeKernel, saveConfig, adoptExisting, ebgpMultihop], [clusterAsn, nodes], found, [bgpPeerName, bgpPeerOptions, namespace, serviceAccount, pwProblem, routeInstall, waitForEstablished], [ipPools, prefixFilter, maximumPrefix, advertiseServices, acceptFromAdc], [gracefulRestart, pair], [ipv6PeerAddress, routeInstallIpv6]]) => {
            const calicoRelease: { value?: string; source: string } =
                args.calicoVersion !== undefined ? { value: args.calicoVersion, source: "calicoVersion" } : found?.calicoRelease ?? { source: "unknown (no calicoVersion, no ClusterInformation default)" };
            const result = planPeering({
                name,
                adc: { asn, peerAddress, ...(dualStack ? { ipv6PeerAddress } : {}), router: routerMode, givenRouterAsn: routerAsn, routerId, maxPaths, redistributeKernel, saveConfig, adoptExisting, ebgpMultihop, gracefulRestart, haPair: pair },
                cluster: {
                    asn: clusterAsn ?? found?.asn?.value,
                    asnSource: clusterAsn !== undefined ? "cluster.asn" : found?.asn?.source ?? "",
                    nodes:
                        (nodes as ResolvedNode[] | undefined) ??
                        (found?.nodes ?? []).map(({ ipv6, ...n }): ResolvedNode => ({ ...n, ...(ipv6 ? { ipv6Address: ipv6.address, ipv6AddressSource: ipv6.addressSource } : {}) })),
                    nodesSource: nodes !== undefined ? "cluster.nodes" : `nodes of ${found?.server}`,
                },
                calicoApi,
                // A discovered release refuses fields it lacks just as a given one does, when it reads as a release.
                calicoVersion: args.calicoVersion ?? (calicoRelease.value !== undefined && parseCalicoRelease(calicoRelease.value) ? calicoRelease.value : undefined),
                bgpPeerName,
                bgpPeerOptions: bgpPeerOptions as Record<string, unknown>,
                ...(hasPassword
                    ? {
                          password: {
                              ...(pwProblem ? { problem: pwProblem } : {}),
                              namespace: namespace ?? found?.calicoNodeNamespace?.value ?? CALICO_NODE_NAMESPACES[0],
                              serviceAccount: serviceAccount ?? "calico-node",
                          },
                      }
                    : {}),
                routeInstall,
                routeInstallIpv6,
                waitForEstablished,
                routeSafety: {
                    calicoRelease,
                    nextHop: args.nextHop,
                    ...(ipPools !== undefined
                        ? { ipPools: { listed: ipPools as unknown[], source: "cluster.ipPools" as const } }
                        : found?.ipPools
                          ? { ipPools: { discovered: found.ipPools.pools, source: `IPPools of ${found.server}` } }
                          : {}),
                    prefixFilter,
                    maximumPrefix,
                    advertiseServices: advertiseServices as { clusterIPs?: unknown; externalIPs?: unknown; loadBalancerIPs?: unknown } | undefined,
                    bgpConfiguration: found?.bgpConfiguration?.object,
                    fieldManager,
                    prefixListName,
                    acceptFromAdc,
                    servesBgpFilters: found?.servesBgpFilters,
                },
            });
            if (!result.ok) throw new PeeringInputError(name, result.problems);
            return result.plan;
        });

    // The password's Secret in calico-node's namespace, and read access for calico-node.
    let passwordSecret: k8s.core.v1.Secret | undefined;
    let passwordDeps: pulumi.Resource[] = [];
    let passwordRef: pulumi.Output<{ secretKeyRef: { name: string; key: string } }> | undefined;
    const password = hasPassword ? pulumi.secret(args.bgpPassword as pulumi.Input<string>) : undefined;
    if (password) {
        const namespace = plan.apply((p) => p.password!.namespace);
        const key = plan.apply((p) => p.password!.key);
        passwordSecret = new k8s.core.v1.Secret(
            `${name}-bgp-password`,
            { metadata: { namespace, labels: { "app.kubernetes.io/managed-by": "pulumi-calico-adc" } }, type: "Opaque", stringData: pulumi.all([key, password]).apply(([k, pw]) => ({ [k]: pw })) },
            // @pulumi/kubernetes keeps a Secret's data and stringData secret in the state.
            k8sOpts(),
        );
        const secretName = passwordSecret.metadata.name;
        const role = new k8s.rbac.v1.Role(
            `${name}-bgp-password-reader`,
            { metadata: { namespace }, rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [secretName], verbs: ["get", "list", "watch"] }] },
            k8sOpts(),
        );
        const binding = new k8s.rbac.v1.RoleBinding(
            `${name}-bgp-password-reader`,
            {
                metadata: { namespace },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: plan.apply((p) => p.password!.serviceAccount), namespace }],
            },
            k8sOpts(),
        );
        passwordDeps = [passwordSecret, role, binding];
        passwordRef = pulumi.all([secretName, key]).apply(([n, k]) => ({ secretKeyRef: { name: n, key: k } }));
    }

    // What the nodes accept from the ADC: a BGPFilter the BGPPeer names last in its filters. It
    // exists unless opted out; the plan refuses a cluster without BGPFilters instead of skipping it.
    let adcImportFilter: k8s.apiextensions.CustomResource | undefined;
    const wantsFilter = args.acceptFromAdc !== false;
    if (wantsFilter) {
        adcImportFilter = new k8s.apiextensions.CustomResource(
            `${name}-import-filter`,
            {
                apiVersion: calicoApi,
                kind: "BGPFilter",
                metadata: { labels: { "app.kubernetes.io/managed-by": "pulumi-calico-adc" } },
                spec: plan.apply((p) => p.routeSafety.bgpFilter!.spec),
            },
            k8sOpts(),
        );
    }
    const filterName = adcImportFilter ? adcImportFilter.metadata.name : pulumi.output("");
    // Both BGPPeers of a dual-stack peering name the same BGPFilter (it has rules per family) and password.
    const peerSpecOf = (pick: (p: PeeringPlan) => PeeringPlan["bgpPeer"]) =>
        pulumi.all([plan, filterName, passwordRef ?? pulumi.output(undefined)]).apply(([p, fname, ref]) => {
            const spec = pick(p).spec;
            return {
                ...spec,
                ...(spec.filters ? { filters: spec.filters.map((f) => (f === BGP_FILTER_STAND_IN ? fname : f)) } : {}),
                ...(ref ? { password: ref } : {}),
            };
        });

    // Service advertisement: only BGPConfiguration default's three service fields, under the
    // component's own field manager, never forced (a conflict fails instead of taking them).
    let serviceAdvertisement: k8s.apiextensions.CustomResourcePatch | undefined;
    if (args.advertiseServices !== undefined) {
        serviceAdvertisement = new k8s.apiextensions.CustomResourcePatch(
            `${name}-service-advertisement`,
            {
                apiVersion: calicoApi,
                kind: "BGPConfiguration",
                metadata: plan.apply((p) => ({ name: "default", annotations: { "pulumi.com/patchFieldManager": p.routeSafety.serviceAdvertisement!.fieldManager } })),
                spec: plan.apply((p) => p.routeSafety.serviceAdvertisement!.spec),
            } as k8s.apiextensions.CustomResourcePatchArgs,
            k8sOpts(),
        );
    }

    // The Calico side: one global BGPPeer, after the password is readable by calico-node.
    const bgpPeer = new CalicoBgpPeer(
        `${name}-bgppeer`,
        {
            apiVersion: calicoApi,
            metadata: plan.apply((p) => (p.bgpPeer.name !== undefined ? { name: p.bgpPeer.name } : {})),
            spec: peerSpecOf((p) => p.bgpPeer),
            calicoVersion: args.calicoVersion,
        },
        k8sOpts({ dependsOn: [...passwordDeps, ...(adcImportFilter ? [adcImportFilter] : [])] }),
    );
    let bgpPeerIpv6: CalicoBgpPeer | undefined;
    if (dualStack) {
        bgpPeerIpv6 = new CalicoBgpPeer(
            `${name}-bgppeer-ipv6`,
            {
                apiVersion: calicoApi,
                metadata: plan.apply((p) => (p.bgpPeerIpv6!.name !== undefined ? { name: p.bgpPeerIpv6!.name } : {})),
                spec: peerSpecOf((p) => p.bgpPeerIpv6!),
                calicoVersion: args.calicoVersion,
            },
            k8sOpts({ dependsOn: [...passwordDeps, ...(adcImportFilter ? [adcImportFilter] : [])] }),
        );
    }

    // The ADC side: the router (unless owned elsewhere), then the node neighbors.
    let router: AdcBgpRouter | undefined;
    if (routerMode === "create") {
        const r = plan.apply((p) => p.router!);
        router = new AdcBgpRouter(
            `${name}-router`,
            {
                connection: args.adc.connection,
                localAsn: r.localAsn,
                routeInstall: r.routeInstall,
                routeInstallIpv6: r.apply((x) => x.routeInstallIpv6 === true),
                // Pass-through settings; localAsn above ties registration to the plan.
                routerId: args.adc.routerId,
                maxPaths: args.adc.maxPaths,
                redistributeKernel: args.adc.redistributeKernel,
                gracefulRestart: r.apply((x) => x.gracefulRestart === true),
                saveConfig: args.adc.saveConfig,
                adoptExisting: args.adc.adoptExisting,
            },
            { parent },
        );
    }
    const routerDep = router ?? (args.adc.router ? args.adc.router : undefined);
    const n = plan.apply((p) => p.neighbors);
    const neighbors = new AdcBgpNeighbors(
        `${name}-neighbors`,
        {
            connection: args.adc.connection,
            localAsn: n.localAsn,
            neighbors: password ? n.neighbors.apply((list) => list.map((x) => ({ ...x, password }))) : n.neighbors,
            saveConfig: args.adc.saveConfig,
            adoptExisting: args.adc.adoptExisting,
            waitForEstablishedSeconds: n.waitForEstablishedSeconds,
            // The ADC's inbound filter and limit from the plan, on every node neighbor (null when opted out).
            prefixFilter: n.prefixFilter,
            maximumPrefix: n.maximumPrefix,
        },
        { parent, dependsOn: [...(routerDep ? [routerDep] : []), bgpPeer, ...(bgpPeerIpv6 ? [bgpPeerIpv6] : [])] },
    );

    const bgpPeerRow = pulumi.all([bgpPeer.peerName, plan]).apply(([peerName, p]) => ({
        name: peerName,
        peerIP: p.bgpPeer.spec.peerIP ?? "",
        node: "(global)",
        asn: p.bgpPeer.spec.asNumber ?? 0,
    }));
    const bgpPeerIpv6Row = bgpPeerIpv6
        ? pulumi.all([bgpPeerIpv6.peerName, plan]).apply(([peerName, p]): BgpPeerRow => ({ name: peerName, peerIP: p.bgpPeerIpv6!.spec.peerIP ?? "", node: "(global)", asn: p.bgpPeerIpv6!.spec.asNumber ?? 0 }))
        : pulumi.output(undefined);
    return {
        plan,
        bgpPeerName: bgpPeer.peerName,
        bgpPeerRow,
        bgpPeerIpv6Row,
        neighbors,
        children: {
            bgpPeer,
            ...(bgpPeerIpv6 ? { bgpPeerIpv6 } : {}),
            neighbors,
            ...(router ? { router } : {}),
            ...(passwordSecret ? { passwordSecret } : {}),
            ...(kubernetesProvider ? { kubernetesProvider } : {}),
            ...(adcImportFilter ? { adcImportFilter } : {}),
            ...(serviceAdvertisement ? { serviceAdvertisement } : {}),
        },
    };
}
