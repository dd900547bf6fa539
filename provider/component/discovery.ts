/**
 * Reads, at program time, what the ADC needs to know about a Calico cluster: which Calico API
 * groups it serves, its AS number, and each node's BGP address and AS. Doing this at program
 * time is what lets `pulumi preview` show the exact neighbor set, and a node that joined or left
 * change it on the next `pulumi up`. Read-only; a plain async function, usable on its own.
 */
import { IpPoolReading, PodPool, readIpPool } from "../calico/ipPool";
import { CalicoApiVersion, DEFAULT_CALICO_API_VERSION } from "../calico/spec";
import { ClusterDiscoveryError } from "./errors";
import { kubeGet, unexpected } from "./kubeApi";
import { KubeconfigRequest, LoadedKubeconfig, loadKubeconfig } from "./kubeconfig";
import { KubeNode, NodeBgpEndpoint, hasCalicoAnnotations, nodeBgpEndpoint, nodeDualStackEndpoint, parseAsNumber } from "./nodeAddresses";

/** Calico's AS number when BGPConfiguration `default` does not set one (confd's built-in default). */
export const CALICO_DEFAULT_ASN = 64512;

/** What {@link discoverCluster} reads and how. */
export interface DiscoverClusterArgs extends KubeconfigRequest {
    /** The API group the BGPPeer will be written through; checked to be served. Default: `projectcalico.org/v3`. */
    calicoApi?: CalicoApiVersion;
    /** Read the nodes. Default: true. */
    nodes?: boolean;
    /** Read the cluster's AS number from BGPConfiguration `default`. Default: true. */
    asn?: boolean;
    /** Find the namespace calico-node runs in (for the BGP password's Secret). Default: false. */
    calicoNodeNamespace?: boolean;
    /** Read the Calico IP pools (for the ADC's prefix filter). Default: false. */
    ipPools?: boolean;
    /** Read the Calico release from ClusterInformation `default`. Default: false. */
    calicoRelease?: boolean;
    /** Read BGPConfiguration `default` as a whole (for the service fields and their managers). Default: false. */
    bgpConfiguration?: boolean;
    /** Check whether the cluster serves Calico BGPFilters. Default: false. */
    bgpFilters?: boolean;
    /** Address family of the peering (that of the ADC's address), or `dual` for both (each node's IPv4 and IPv6 address). Default: `ipv4`. */
    addressFamily?: "ipv4" | "ipv6" | "dual";
    /** Timeout of each API request, in milliseconds. Default: 15000. */
    timeoutMs?: number;
}

/** Where the cluster's AS number came from. */
export type ClusterAsnSource = "BGPConfiguration default" | "Calico default (BGPConfiguration default has no asNumber)" | "Calico default (no BGPConfiguration default)";

/** What {@link discoverCluster} found. */
export interface ClusterDiscovery {
    /** The API server URL. */
    server: string;
    /** Where the kubeconfig came from. */
    kubeconfigSource: string;
    /** The cluster's AS number, when asked for. */
    asn?: { value: number; source: ClusterAsnSource };
    /** Every node as an ADC neighbor, sorted by name, when asked for. */
    nodes?: NodeBgpEndpoint[];
    /** Where calico-node runs (the namespace of its DaemonSet), when asked for. */
    calicoNodeNamespace?: { value: string; source: string };
    /** The IP pools nodes export over BGP, sorted by name, and those skipped with why, when asked for. */
    ipPools?: { pools: PodPool[]; skipped: { name: string; reason: string }[] };
    /** `spec.calicoVersion` of ClusterInformation `default` (`v3.31.7`), when asked for; undefined when there is none. */
    calicoRelease?: { value: string; source: string };
    /** BGPConfiguration `default` as read (null when it does not exist), when asked for. */
    bgpConfiguration?: { object: unknown } | { object: null };
    /** Whether BGPFilters are served, when asked for. */
    servesBgpFilters?: boolean;
}

/** The namespaces calico-node runs in: operator installs, then manifest installs. */
export const CALICO_NODE_NAMESPACES = ["calico-system", "kube-system"] as const;

interface ApiGroupList {
    groups?: { name?: string; versions?: { version?: string }[] }[];
}

/** Reads the cluster. Throws {@link ClusterDiscoveryError} with the fix when anything needed is missing. */
export async function discoverCluster(args: DiscoverClusterArgs = {}): Promise<ClusterDiscovery> {
    const calicoApi = args.calicoApi ?? DEFAULT_CALICO_API_VERSION;
    const timeoutMs = args.timeoutMs ?? 15000;
    const cfg = await loadKubeconfig(args);
    await checkCalicoApi(cfg, calicoApi, timeoutMs);
    // The reads are independent: they go out together (the program waits for discovery before
    // any resource registers), and a failure is reported as if they had run in this order.
    const skip = Promise.resolve(undefined);
    const reads = [
        (args.asn ?? true) || args.bgpConfiguration ? readBgpConfiguration(cfg, calicoApi, timeoutMs) : skip,
        args.nodes ?? true ? readNodes(cfg, args.addressFamily ?? "ipv4", timeoutMs) : skip,
        args.calicoNodeNamespace ? findCalicoNodeNamespace(cfg, timeoutMs) : skip,
        args.ipPools ? readIpPools(cfg, calicoApi, timeoutMs) : skip,
        args.calicoRelease ? readCalicoRelease(cfg, calicoApi, timeoutMs) : skip,
        args.bgpFilters ? serves(cfg, calicoApi, "bgpfilters", timeoutMs) : skip,
    ] as const;
    const settled = await Promise.allSettled(reads);
    const result: ClusterDiscovery = { server: cfg.server, kubeconfigSource: cfg.source };
    if (settled[0].status === "rejected") throw settled[0].reason;
    const bgpConfiguration = settled[0].value;
    if (args.asn ?? true) result.asn = clusterAsn(cfg, bgpConfiguration ?? null);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    const [, nodes, namespace, ipPools, release, servesBgpFilters] = await Promise.all(reads);
    if (args.bgpConfiguration) result.bgpConfiguration = { object: bgpConfiguration ?? null };
    if (nodes) result.nodes = nodes;
    if (namespace) result.calicoNodeNamespace = namespace;
    if (ipPools) result.ipPools = ipPools;
    if (release) result.calicoRelease = release;
    if (servesBgpFilters !== undefined) result.servesBgpFilters = servesBgpFilters;
    return result;
}

async function findCalicoNodeNamespace(cfg: LoadedKubeconfig, timeoutMs: number): Promise<{ value: string; source: string }> {
    for (const ns of CALICO_NODE_NAMESPACES) {
        const apiPath = `/apis/apps/v1/namespaces/${ns}/daemonsets/calico-node`;
        const res = await kubeGet(cfg, apiPath, timeoutMs);
        if (res.status === 200) return { value: ns, source: `DaemonSet ${ns}/calico-node` };
        if (res.status === 403) {
            throw new ClusterDiscoveryError(
                `Kubernetes API ${cfg.server}`,
                `this user may not read DaemonSet ${ns}/calico-node, needed to find where the BGP password's Secret goes`,
                "set calicoNamespace (calico-system for operator installs, kube-system for manifest installs), or grant get on daemonsets",
            );
        }
        if (res.status !== 404) throw unexpected(cfg, apiPath, res, `DaemonSet ${ns}/calico-node`);
    }
    // Guessing would leave calico-node without the password (or fail creating the Secret at apply).
    throw new ClusterDiscoveryError(
        `Kubernetes API ${cfg.server}`,
        `no calico-node DaemonSet in ${CALICO_NODE_NAMESPACES.join(" or ")}, so it is unknown where calico-node can read the BGP password's Secret`,
        "set calicoNamespace to the namespace calico-node runs in",
    );
}

async function checkCalicoApi(cfg: LoadedKubeconfig, calicoApi: CalicoApiVersion, timeoutMs: number): Promise<void> {
    const res = await kubeGet(cfg, "/apis", timeoutMs);
    if (res.status !== 200) throw unexpected(cfg, "/apis", res, "the API groups");
    const groups = (res.body as ApiGroupList)?.groups ?? [];
    const serves = (group: string, version: string) => groups.some((g) => g.name === group && (g.versions ?? []).some((v) => v.version === version));
    const v3 = serves("projectcalico.org", "v3");
    const v1 = serves("crd.projectcalico.org", "v1");
    const where = `Kubernetes API ${cfg.server}`;
    if (!v3 && !v1) {
        throw new ClusterDiscoveryError(
            where,
            "Calico is not installed in this cluster: neither projectcalico.org/v3 nor crd.projectcalico.org/v1 is served",
            `install Calico with BGP networking, or point cluster.kubeconfig / cluster.context at the Calico cluster (kubeconfig: ${cfg.source}); with an etcd datastore, list cluster.nodes and set cluster.asn`,
        );
    }
    if (calicoApi === "projectcalico.org/v3" && !v3) {
        throw new ClusterDiscoveryError(
            where,
            "projectcalico.org/v3 is not served: the cluster has Calico's crd.projectcalico.org/v1 CRDs but no Calico API server (a manifest install)",
            'install the Calico API server (docs.tigera.io: "Install the Calico API server") to keep Calico\'s own validation, or set calicoApi: "crd.projectcalico.org/v1" to write the storage CRD directly (this package validates the BGPPeer itself)',
        );
    }
    if (calicoApi === "crd.projectcalico.org/v1" && !v1) {
        throw new ClusterDiscoveryError(
            where,
            "crd.projectcalico.org/v1 is not served: this cluster uses Calico's native projectcalico.org/v3 CRDs",
            'set calicoApi: "projectcalico.org/v3" (or leave it unset)',
        );
    }
}

/** BGPConfiguration `default`, or null when there is none. */
async function readBgpConfiguration(cfg: LoadedKubeconfig, calicoApi: CalicoApiVersion, timeoutMs: number): Promise<unknown> {
    const apiPath = `/apis/${calicoApi}/bgpconfigurations/default`;
    const res = await kubeGet(cfg, apiPath, timeoutMs);
    if (res.status === 404) return null;
    if (res.status === 503 && calicoApi === "projectcalico.org/v3") {
        throw new ClusterDiscoveryError(
            `Kubernetes API ${cfg.server}`,
            "the Calico API server does not answer (503 for projectcalico.org/v3); APIService v3.projectcalico.org is probably not Available",
            "check `kubectl get apiservice v3.projectcalico.org` and the calico-apiserver pods, and retry when it is Available; or set cluster.asn",
        );
    }
    if (res.status !== 200) throw unexpected(cfg, apiPath, res, 'BGPConfiguration "default"');
    return res.body;
}

function clusterAsn(cfg: LoadedKubeconfig, bgpConfiguration: unknown): { value: number; source: ClusterAsnSource } {
    if (bgpConfiguration === null) return { value: CALICO_DEFAULT_ASN, source: "Calico default (no BGPConfiguration default)" };
    const asNumber = (bgpConfiguration as { spec?: { asNumber?: unknown } })?.spec?.asNumber;
    if (asNumber === undefined || asNumber === null || asNumber === 0) {
        return { value: CALICO_DEFAULT_ASN, source: "Calico default (BGPConfiguration default has no asNumber)" };
    }
    const value = typeof asNumber === "number" ? (Number.isInteger(asNumber) && asNumber >= 1 ? asNumber : undefined) : parseAsNumber(String(asNumber));
    if (value === undefined) {
        throw new ClusterDiscoveryError(`Kubernetes API ${cfg.server}`, `BGPConfiguration "default" has asNumber ${JSON.stringify(asNumber)}, which is not an AS number`, "fix spec.asNumber there, or set cluster.asn");
    }
    return { value, source: "BGPConfiguration default" };
}

/** Lists a cluster-scoped Calico resource, page by page. */
async function listCalico(cfg: LoadedKubeconfig, calicoApi: CalicoApiVersion, plural: string, what: string, timeoutMs: number): Promise<unknown[]> {
    const items: unknown[] = [];
    let cont: string | undefined;
    do {
        const apiPath = `/apis/${calicoApi}/${plural}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`;
        const res = await kubeGet(cfg, apiPath, timeoutMs);
        if (res.status !== 200) throw unexpected(cfg, apiPath, res, what);
        const body = res.body as { items?: unknown[]; metadata?: { continue?: string } };
        items.push(...(body.items ?? []));
        cont = body.metadata?.continue || undefined;
    } while (cont);
    return items;
}

async function readIpPools(cfg: LoadedKubeconfig, calicoApi: CalicoApiVersion, timeoutMs: number): Promise<{ pools: PodPool[]; skipped: { name: string; reason: string }[] }> {
    const where = `Kubernetes API ${cfg.server}`;
    const readings: IpPoolReading[] = (await listCalico(cfg, calicoApi, "ippools", "the Calico IP pools", timeoutMs)).map(readIpPool);
    const invalid = readings.filter((r): r is Extract<IpPoolReading, { kind: "invalid" }> => r.kind === "invalid");
    if (invalid.length > 0) {
        throw new ClusterDiscoveryError(where, invalid.map((r) => `IPPool "${r.name}" ${r.problem}`).join("; "), "fix those IP pools, or list cluster.ipPools");
    }
    const pools = readings.flatMap((r) => (r.kind === "pool" ? [r.pool] : [])).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const skipped = readings.flatMap((r) => (r.kind === "skipped" ? [{ name: r.name, reason: r.reason }] : []));
    if (pools.length === 0) {
        throw new ClusterDiscoveryError(
            where,
            readings.length === 0 ? "the cluster has no Calico IP pools, so the pod prefixes the ADC should accept are unknown" : `no Calico IP pool exports to BGP (${skipped.map((s) => `${s.name}: ${s.reason}`).join("; ")})`,
            "list cluster.ipPools, or set adc.prefixFilter: false to accept whatever the nodes advertise",
        );
    }
    return { pools, skipped };
}

/** ClusterInformation `default`'s calicoVersion (written by Calico's own components), if any. */
async function readCalicoRelease(cfg: LoadedKubeconfig, calicoApi: CalicoApiVersion, timeoutMs: number): Promise<{ value: string; source: string } | undefined> {
    const apiPath = `/apis/${calicoApi}/clusterinformations/default`;
    const res = await kubeGet(cfg, apiPath, timeoutMs);
    if (res.status === 404 || res.status === 403) return undefined;
    if (res.status !== 200) throw unexpected(cfg, apiPath, res, 'ClusterInformation "default"');
    const v = (res.body as { spec?: { calicoVersion?: unknown } })?.spec?.calicoVersion;
    return typeof v === "string" && v !== "" ? { value: v, source: 'ClusterInformation "default"' } : undefined;
}

/** Whether `plural` of the Calico group is served (a list of one answers 200). */
async function serves(cfg: LoadedKubeconfig, calicoApi: CalicoApiVersion, plural: string, timeoutMs: number): Promise<boolean> {
    const apiPath = `/apis/${calicoApi}/${plural}?limit=1`;
    const res = await kubeGet(cfg, apiPath, timeoutMs);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw unexpected(cfg, apiPath, res, `the Calico ${plural}`);
}

async function readNodes(cfg: LoadedKubeconfig, family: "ipv4" | "ipv6" | "dual", timeoutMs: number): Promise<NodeBgpEndpoint[]> {
    const items: KubeNode[] = [];
    let cont: string | undefined;
    do {
        const apiPath = `/api/v1/nodes?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`;
        const res = await kubeGet(cfg, apiPath, timeoutMs);
        if (res.status !== 200) throw unexpected(cfg, apiPath, res, "the nodes");
        const body = res.body as { items?: KubeNode[]; metadata?: { continue?: string } };
        items.push(...(body.items ?? []));
        cont = body.metadata?.continue || undefined;
    } while (cont);

    const where = `Kubernetes API ${cfg.server}`;
    if (items.length === 0) {
        throw new ClusterDiscoveryError(where, "the cluster has no nodes", "check the kubeconfig's context, or list cluster.nodes");
    }
    if (!items.some(hasCalicoAnnotations)) {
        throw new ClusterDiscoveryError(
            where,
            `none of the ${items.length} nodes carries calico-node's projectcalico.org/* annotations: calico-node has not started on any node, or Calico keeps its data in etcd`,
            "check the calico-node pods (`kubectl get pods -A -l k8s-app=calico-node`), or list cluster.nodes with each node's BGP address",
        );
    }
    const found = items.map((n) => (family === "dual" ? nodeDualStackEndpoint(n) : nodeBgpEndpoint(n, family)));
    const problems = found.filter((n): n is { name: string; problem: string } => "problem" in n);
    if (problems.length > 0) {
        throw new ClusterDiscoveryError(
            where,
            problems.map((p) => `node "${p.name}" ${p.problem}`).join("; "),
            family === "dual"
                ? "check calico-node on those nodes (it writes the annotations; IPv6 needs IP6=autodetect), list cluster.nodes with each node's address and ipv6Address, or leave adc.ipv6PeerAddress unset to peer over IPv4 only"
                : "check calico-node on those nodes (it writes the annotations), or list cluster.nodes with each node's BGP address",
        );
    }
    const nodes = (found as NodeBgpEndpoint[]).slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const byAddress = new Map<string, string>();
    for (const n of nodes) {
        for (const address of [n.address, ...(n.ipv6 ? [n.ipv6.address] : [])]) {
            const other = byAddress.get(address);
            if (other !== undefined) {
                throw new ClusterDiscoveryError(where, `nodes "${other}" and "${n.name}" both have BGP address ${address}`, "fix the nodes' Calico addresses (IP_AUTODETECTION_METHOD, IP6_AUTODETECTION_METHOD), or list cluster.nodes");
            }
            byAddress.set(address, n.name);
        }
    }
    return nodes;
}
