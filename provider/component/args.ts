import * as pulumi from "@pulumi/pulumi";
import type { AdcBgpRouter } from "../adc/adcBgpRouter";
import type { AdcBgpRouterArgs, AdcConnectionArgs } from "../adc/args";
import { CONNECTION_KEYS } from "../adc/inputs";
import type { NextHopPolicy } from "../calico/nextHop";
import type { BgpPeerSpec, CalicoApiVersion } from "../calico/spec";
import { unknownKeyReason } from "../core/values";
import type { PeeringInputProblem } from "./errors";

/** One Kubernetes node as an ADC neighbor, when nodes are listed instead of discovered. */
export interface ClusterNodeArgs {
    /** The node's name; shown as the neighbor's description on the ADC. */
    name: pulumi.Input<string>;
    /** The node's Calico BGP address (its `projectcalico.org/IPv4Address` without the mask). */
    address: pulumi.Input<string>;
    /**
     * The node's IPv6 BGP address (its `projectcalico.org/IPv6Address` without the mask), for a
     * dual-stack peering (`adc.ipv6PeerAddress`), where every listed node needs one.
     */
    ipv6Address?: pulumi.Input<string>;
    /** The node's own AS number, when it differs from the cluster's. Default: the cluster's AS. */
    asn?: pulumi.Input<number>;
}

/** The ADC side of the peering. */
export interface AdcPeeringArgs {
    /** How to reach the ADC's CLI over SSH. Pass the password or key as a secret. */
    connection: pulumi.Input<AdcConnectionArgs>;
    /**
     * The ADC's AS number: `router bgp <asn>` on the ADC and `asNumber` of the Calico BGPPeer
     * (500 in the NetScaler runbook). At most 2147483647, because Calico stores it as int32.
     */
    asn: pulumi.Input<number>;
    /**
     * The ADC address the nodes open their BGP sessions to: the Calico BGPPeer's `peerIP`
     * (10.102.33.208 in the runbook). Usually a SNIP with dynamic routing enabled. Its address
     * family (IPv4/IPv6) decides which node address is used.
     */
    peerAddress: pulumi.Input<string>;
    /**
     * The ADC's IPv6 address, for a dual-stack peering alongside the IPv4 `peerAddress`: the
     * component then also creates a second global Calico BGPPeer with this `peerIP`, and an IPv6
     * neighbor on the ADC for each node (its `projectcalico.org/IPv6Address` without the mask,
     * else its IPv6 InternalIP; a node with neither is refused, naming it), activated in
     * `address-family ipv6`, in the same AdcBgpNeighbors resource as the IPv4 neighbors. Both
     * BGPPeers carry the same settings (password, graceful restart, next hop, filters).
     * Default: unset (one family, that of `peerAddress`).
     */
    ipv6PeerAddress?: pulumi.Input<string>;
    /**
     * Who owns `router bgp <asn>` on the ADC:
     * - unset (default): this component creates an {@link AdcBgpRouter} `<name>-router`;
     * - an `AdcBgpRouter` from the same program: the neighbors join it (several clusters, one
     *   router; its `localAsn` must equal `asn`);
     * - `false`: the router is managed elsewhere (another stack, by hand) and must exist.
     */
    router?: AdcBgpRouter | false;
    /**
     * Take over a `router bgp <asn>` and node neighbors that already exist on the ADC (for
     * example configured by hand from the runbook) instead of failing. The router and the
     * settings it had stay on destroy; adopted node neighbors are owned from then on and removed
     * with the others. Default: false.
     */
    adoptExisting?: pulumi.Input<boolean>;
    /** `bgp router-id` of the router this component creates. Default: the ADC chooses. */
    routerId?: pulumi.Input<string>;
    /** `max-paths` of the router this component creates. Default: the ADC's default. */
    maxPaths?: AdcBgpRouterArgs["maxPaths"];
    /** `redistribute kernel` on the router this component creates (advertise VIPs to the nodes). Default: false. */
    redistributeKernel?: pulumi.Input<boolean>;
    /**
     * BGP graceful restart on both sides: `bgp graceful-restart` on the router this component
     * creates, and `maxRestartTime` (120s unless `bgpPeerOptions.maxRestartTime` says otherwise,
     * on Calico 3.20+) on the BGPPeer, so that the nodes keep the ADC's routes through an HA
     * failover. Default: true when `connection.nodes` gives an HA pair, else false.
     */
    gracefulRestart?: pulumi.Input<boolean>;
    /** Save the ADC configuration after each change. Default: true. */
    saveConfig?: pulumi.Input<boolean>;
    /**
     * `neighbor <node> ebgp-multihop <ttl>` (1..255) on every node neighbor, for nodes that are
     * not on the ADC's subnet. Default: unset (directly connected nodes, as in the runbook).
     */
    ebgpMultihop?: pulumi.Input<number>;
    /**
     * The inbound prefix filter on every node neighbor: the ADC accepts from the nodes only the
     * cluster's pod blocks (each IP pool's CIDR from its block size to /32) and, with
     * `advertiseServices`, the service CIDRs (up to /32). Anything else a node advertises
     * (`0.0.0.0/0`, the ADC's own subnets, another tenant's range) is refused. `false` opts out
     * (the runbook's behaviour: the ADC installs whatever any node advertises);
     * `{ extraPrefixes }` admits more CIDRs (up to /32). Default: on.
     */
    prefixFilter?: pulumi.Input<boolean | { extraPrefixes?: pulumi.Input<string>[] }>;
    /**
     * `maximum-prefix` on every node neighbor: the most prefixes the ADC takes from one node.
     * A number is the limit (the session is torn down above it); `{ limit, warningOnly: true }`
     * only logs; `false` sets none. Default: the number of blocks the IP pools hold (with the
     * mesh, one node may legitimately re-advertise every block), plus 1024 per advertised
     * service CIDR kind for `externalTrafficPolicy: Local` /32s.
     */
    maximumPrefix?: pulumi.Input<number | false | { limit: pulumi.Input<number>; warningOnly?: pulumi.Input<boolean> }>;
}

/** An IP pool, when pools are listed instead of read from the cluster's Calico `IPPool`s. */
export interface IpPoolArgs {
    /** The pool's CIDR (`spec.cidr`). */
    cidr: pulumi.Input<string>;
    /** The pool's block size (`spec.blockSize`). Default: 26 (IPv4), 122 (IPv6), as Calico. */
    blockSize?: pulumi.Input<number>;
}

/**
 * Service CIDRs Calico advertises from every node (BGPConfiguration `default`), so that the ADC
 * reaches Services, not only pods. Each list replaces that field as a whole.
 */
export interface ServiceAdvertisementArgs {
    /** `serviceClusterIPs`: the cluster's service CIDR(s) (kube-apiserver `--service-cluster-ip-range`). */
    clusterIPs?: pulumi.Input<pulumi.Input<string>[]>;
    /** `serviceExternalIPs`: the ranges Services' `externalIPs` may be advertised from. */
    externalIPs?: pulumi.Input<pulumi.Input<string>[]>;
    /** `serviceLoadBalancerIPs`: the ranges LoadBalancer Services' ingress IPs may be advertised from (Calico 3.18+). */
    loadBalancerIPs?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The Kubernetes side of the peering. Everything not given is read from the cluster at program time. */
export interface ClusterPeeringArgs {
    /**
     * The cluster's AS number. Default: `spec.asNumber` of the cluster's BGPConfiguration
     * `default`, else Calico's default 64512.
     */
    asn?: pulumi.Input<number>;
    /**
     * The nodes to add as ADC neighbors. Default: every node of the cluster, read at program
     * time (so `pulumi preview` shows the exact neighbor set and nodes that joined or left are
     * added or removed on the next `pulumi up`), each at its Calico BGP address
     * (`projectcalico.org/IPv4Address` without the mask, else its InternalIP; with
     * `adc.ipv6PeerAddress` also `projectcalico.org/IPv6Address`, else its IPv6 InternalIP) with its
     * `projectcalico.org/ASNumber` if it has one.
     */
    nodes?: pulumi.Input<pulumi.Input<ClusterNodeArgs>[]>;
    /**
     * The kubeconfig used to read the cluster and to apply the Calico objects: its contents, or
     * the path of the file (as `@pulumi/kubernetes`' Provider takes it: a value with a line
     * break, or starting with `{`, is contents). Pass contents as a secret. When set, the
     * component creates its own Kubernetes provider `<name>-k8s` from it (unless you pass a
     * Kubernetes provider in the resource options).
     * Default: `kubernetes:kubeconfig` from the stack config, else `$KUBECONFIG`, else
     * `~/.kube/config`, else the in-cluster service account, which is what the default
     * Kubernetes provider uses.
     */
    kubeconfig?: pulumi.Input<string>;
    /** The kubeconfig context. Default: `kubernetes:context` from the stack config, else the current context. */
    context?: pulumi.Input<string>;
    /**
     * The cluster's IP pools, for the ADC's prefix filter and `maximum-prefix`. Default: every
     * Calico `IPPool` that exports to BGP (not disabled, not `disableBGPExport`, not
     * load-balancer only), read at program time.
     */
    ipPools?: pulumi.Input<pulumi.Input<IpPoolArgs>[]>;
}

/** Fields of the Calico BGPPeer the component lets you set on top of what it sets itself. */
export type BgpPeerOptions = {
    [K in "sourceAddress" | "maxRestartTime" | "keepaliveTime" | "ttlSecurity" | "numAllowedLocalASNumbers" | "nextHopMode" | "filters" | "reachableBy" | "localASNumber"]?: pulumi.Input<
        BgpPeerSpec[K]
    >;
};

/** Inputs of {@link CalicoAdcPeering}. */
export interface CalicoAdcPeeringArgs {
    /** The ADC: how to reach it, its AS and the address the nodes peer with. */
    adc: AdcPeeringArgs;
    /** The cluster: its AS and nodes, or how to read them. Default: everything read from the cluster. */
    cluster?: ClusterPeeringArgs;
    /**
     * The API group the Calico BGPPeer is written through. Default: `projectcalico.org/v3`, what
     * the runbook's `kubectl create -f bgp.yml` uses; it needs the Calico API server (operator
     * installs) or Calico 3.32's native v3 CRDs. Use `crd.projectcalico.org/v1` on manifest
     * installs without the API server. Discovery checks the group is served and says which to
     * use if not.
     */
    calicoApi?: CalicoApiVersion;
    /**
     * The cluster's Calico release (`3.31.7`, or `3.30` for any 3.30.x). When set, BGPPeer
     * fields it does not have are refused instead of silently dropped. Default: not checked.
     */
    calicoVersion?: string;
    /**
     * Name of the Calico BGPPeer (what `calicoctl get bgppeer` lists). Default: `<name>-bgppeer`
     * plus a random suffix.
     */
    bgpPeerName?: pulumi.Input<string>;
    /** More BGPPeer fields (graceful-restart time, keepalive, TTL security, filters, ...). Default: none. */
    bgpPeerOptions?: BgpPeerOptions;
    /**
     * TCP MD5 password for every session. Pass it as a secret (`config.requireSecret`). The
     * component then creates a Secret in calico-node's namespace, a Role and RoleBinding that let
     * calico-node's service account read it, points the BGPPeer's `password.secretKeyRef` at it,
     * and sets the same password on every ADC neighbor. 1..80 printable ASCII characters without
     * spaces, `"`, `\` or `?` (they break BIRD's configuration or the ADC's CLI). Default: none.
     */
    bgpPassword?: pulumi.Input<string>;
    /**
     * Namespace where calico-node runs, for the password Secret and its Role: `calico-system` for
     * operator installs, `kube-system` for manifest installs. Default: the namespace of the
     * `calico-node` DaemonSet, read from the cluster; without one, discovery fails asking for it.
     */
    calicoNamespace?: pulumi.Input<string>;
    /** calico-node's service account, granted read access to the password Secret. Default: `calico-node`. */
    calicoNodeServiceAccount?: pulumi.Input<string>;
    /** `ns route-install bgp` on the router this component creates: install the pod routes. Default: true. */
    routeInstall?: pulumi.Input<boolean>;
    /**
     * `ns route-install ipv6 bgp` on the router this component creates: install the IPv6 pod
     * routes. Default: true when the peering has IPv6 neighbors (`adc.ipv6PeerAddress`, or an
     * IPv6 `peerAddress`), else false. An ADC that refuses the command fails the apply naming
     * it; set this to false there.
     */
    routeInstallIpv6?: pulumi.Input<boolean>;
    /**
     * After `pulumi up` applies the neighbors, wait until every node's session is Established
     * and fail with each session's state otherwise. `true` waits up to 180 s, a number up to
     * that many seconds. Default: false (`sessions` then shows the state at apply time).
     */
    waitForEstablished?: pulumi.Input<boolean | number>;
    /**
     * How the ADC learns next hops. `keep` (default): each block via the node that owns it, also
     * with Calico's node-to-node mesh: `nextHopMode: Keep` on Calico 3.30.2+,
     * `keepOriginalNextHop: true` from 3.16 (and when the release is unknown); the release is
     * `calicoVersion`, else ClusterInformation `default`. `runbook`: the runbook's exact BGPPeer
     * (with the mesh, the ADC then spreads every block over every node). A `nextHopMode` or
     * `keepOriginalNextHop` in `bgpPeerOptions` wins over either.
     */
    nextHop?: NextHopPolicy;
    /**
     * Make Calico advertise Service IPs to the ADC: the component then manages exactly these
     * fields of BGPConfiguration `default` with server-side apply (its own field manager), and
     * refuses, before anything is applied, when another tool owns one of them with another value.
     * On destroy it gives the fields up. The ADC's prefix filter admits these CIDRs up to /32
     * (`externalTrafficPolicy: Local` Services are advertised as /32s). Default: not managed.
     */
    advertiseServices?: ServiceAdvertisementArgs;
    /**
     * The reverse direction: what the nodes accept from the ADC, as a Calico BGPFilter on the
     * BGPPeer (Calico 3.26+). A list of CIDRs admits routes inside them; the default, `[]`,
     * admits nothing. `false` creates no filter (the nodes install whatever the ADC advertises,
     * as in the runbook). Default: `[]` on Calico 3.26+, and on an unknown release when the
     * cluster serves BGPFilters; no filter on older releases.
     */
    acceptFromAdc?: pulumi.Input<pulumi.Input<string>[] | false>;
}

/** The keys each part of {@link CalicoAdcPeeringArgs} takes (checked at run time for JavaScript programs and typos). */
const PEERING_KEYS: Record<string, readonly string[]> = {
    "": ["adc", "cluster", "calicoApi", "calicoVersion", "bgpPeerName", "bgpPeerOptions", "bgpPassword", "calicoNamespace", "calicoNodeServiceAccount", "routeInstall", "routeInstallIpv6", "waitForEstablished", "nextHop", "advertiseServices", "acceptFromAdc"],
    adc: ["connection", "asn", "peerAddress", "ipv6PeerAddress", "router", "adoptExisting", "routerId", "maxPaths", "redistributeKernel", "gracefulRestart", "saveConfig", "ebgpMultihop", "prefixFilter", "maximumPrefix"],
    "adc.connection": CONNECTION_KEYS,
    "adc.maxPaths": ["ebgp", "ibgp"],
    cluster: ["asn", "nodes", "kubeconfig", "context", "ipPools"],
    "cluster.nodes[]": ["name", "address", "ipv6Address", "asn"],
    "cluster.ipPools[]": ["cidr", "blockSize"],
    advertiseServices: ["clusterIPs", "externalIPs", "loadBalancerIPs"],
};

/** A plain object (not an Output, a Promise or a resource), whose keys are known now. */
function plainObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !pulumi.Output.isInstance(v) && !(v instanceof Promise) && !pulumi.Resource.isInstance(v);
}

/**
 * What is wrong with the shape of CalicoAdcPeering's arguments, as far as they are known when
 * the component is constructed: keys it does not take (with the closest one it does, for a
 * typo), and parts that are not objects or lists where they must be. Values inside Outputs are
 * checked later, where they resolve. Never shows a value.
 */
export function peeringArgsProblems(args: unknown): PeeringInputProblem[] {
    const problems: PeeringInputProblem[] = [];
    const wrongShape = (field: string, shape: string) => problems.push({ field, value: "(not shown)", reason: `must be ${shape}` });
    const keys = (field: string, o: Record<string, unknown>, known: readonly string[], of: string) => {
        for (const key of Object.keys(o)) {
            if (!known.includes(key) && o[key] !== undefined) problems.push({ field: field === "" ? key : `${field}.${key}`, value: "(not shown)", reason: unknownKeyReason(key, known, of) });
        }
    };
    if (!plainObject(args)) {
        wrongShape("(arguments)", "an object { adc: { connection, asn, peerAddress }, cluster?, ... }");
        return problems;
    }
    keys("", args, PEERING_KEYS[""], "CalicoAdcPeering");
    if (!plainObject(args.adc)) wrongShape("adc", "an object { connection, asn, peerAddress }");
    else {
        keys("adc", args.adc, PEERING_KEYS.adc, "CalicoAdcPeering's adc");
        if (plainObject(args.adc.connection)) keys("adc.connection", args.adc.connection, PEERING_KEYS["adc.connection"], "the connection");
        const maxPaths = args.adc.maxPaths;
        if (plainObject(maxPaths)) keys("adc.maxPaths", maxPaths, PEERING_KEYS["adc.maxPaths"], "maxPaths");
        else if (maxPaths !== undefined && maxPaths !== null && !pulumi.Output.isInstance(maxPaths) && !(maxPaths instanceof Promise)) wrongShape("adc.maxPaths", "an object { ebgp?: 1..64, ibgp?: 1..64 }, e.g. { ebgp: 8 }");
    }
    const cluster = args.cluster;
    if (cluster !== undefined && !plainObject(cluster)) wrongShape("cluster", "an object { asn?, nodes?, kubeconfig?, context? }");
    else if (cluster !== undefined) {
        keys("cluster", cluster, PEERING_KEYS.cluster, "CalicoAdcPeering's cluster");
        const nodes = cluster.nodes;
        if (Array.isArray(nodes)) {
            nodes.forEach((n, i) => {
                if (plainObject(n)) keys(`cluster.nodes[${i}]`, n, PEERING_KEYS["cluster.nodes[]"], "a node");
                else if (!pulumi.Output.isInstance(n) && !(n instanceof Promise)) wrongShape(`cluster.nodes[${i}]`, "an object { name, address, asn? }");
            });
        } else if (nodes !== undefined && !pulumi.Output.isInstance(nodes) && !(nodes instanceof Promise)) {
            wrongShape("cluster.nodes", "a list of { name, address, asn? }");
        }
        const pools = cluster.ipPools;
        if (Array.isArray(pools)) {
            pools.forEach((p, i) => {
                if (plainObject(p)) keys(`cluster.ipPools[${i}]`, p, PEERING_KEYS["cluster.ipPools[]"], "an IP pool");
            });
        }
    }
    if (plainObject(args.advertiseServices)) keys("advertiseServices", args.advertiseServices, PEERING_KEYS.advertiseServices, "advertiseServices");
    return problems;
}
