/**
 * Calico resources (projectcalico.org/v3 YAML, as in confd's mock data) and Kubernetes Services
 * → what the BIRD renderer needs for one node. Pure.
 */
import { parseAllDocuments } from "yaml";
import type { BgpConfigurationSpec, BgpPeerInput, BirdRenderInput, CalicoNodeFacts, CalicoTemplateVersion, IpamBlock, IpPoolSpec } from "./calicoBird";
import type { KubeService, ServiceEndpoint } from "./calicoServiceRoutes";

interface Resource {
    kind: string;
    metadata?: { name?: string };
    spec?: Record<string, unknown>;
}

/**
 * Reads a multi-document YAML of Calico resources and picks what `nodeName`'s confd would see,
 * both families (bird.cfg's renderer takes the IPv4 peers and pools, bird6.cfg's the IPv6 ones);
 * node-scoped peers are skipped.
 */
export function renderInputFromResources(
    yamlText: string,
    nodeName: string,
    version: CalicoTemplateVersion,
    blocks: readonly IpamBlock[],
): BirdRenderInput {
    const resources = parseAllDocuments(yamlText)
        .map((d) => d.toJS() as Resource | null)
        .filter((r): r is Resource => !!r && typeof r.kind === "string");
    const nodes: CalicoNodeFacts[] = [];
    const peers: BgpPeerInput[] = [];
    const ipPools: IpPoolSpec[] = [];
    let bgpConfiguration: BgpConfigurationSpec | undefined;
    for (const r of resources) {
        const spec = r.spec ?? {};
        switch (r.kind) {
            case "BGPConfiguration":
                if (r.metadata?.name === "default") bgpConfiguration = spec as BgpConfigurationSpec;
                break;
            case "Node": {
                const bgp = (spec["bgp"] ?? {}) as Record<string, unknown>;
                if (typeof bgp["ipv4Address"] !== "string") break;
                nodes.push({
                    name: r.metadata?.name ?? "",
                    ipv4Address: bgp["ipv4Address"],
                    ...(typeof bgp["ipv6Address"] === "string" ? { ipv6Address: bgp["ipv6Address"] } : {}),
                    ...(bgp["asNumber"] !== undefined ? { asNumber: Number(bgp["asNumber"]) } : {}),
                    ...(typeof bgp["routeReflectorClusterID"] === "string" ? { routeReflectorClusterID: bgp["routeReflectorClusterID"] } : {}),
                });
                break;
            }
            case "BGPPeer": {
                const peerIP = String(spec["peerIP"] ?? "");
                if (!peerIP) break;
                if (spec["node"] || spec["nodeSelector"]) break;
                peers.push({ spec: { ...(spec as object), peerIP, asNumber: Number(spec["asNumber"]) } });
                break;
            }
            case "IPPool": {
                ipPools.push(spec as unknown as IpPoolSpec);
                break;
            }
        }
    }
    const node = nodes.find((n) => n.name === nodeName);
    if (!node) throw new Error(`no Calico Node ${nodeName} with an IPv4 address in the resources`);
    return {
        version,
        node,
        nodes,
        ...(bgpConfiguration ? { bgpConfiguration } : {}),
        peers,
        ipPools,
        blocks,
    };
}

/**
 * Reads the Services and EndpointSlices of a multi-document YAML (as `kubectl apply` would write
 * them) into what confd's route generator sees. `status` is dropped, as `kubectl apply` drops it:
 * LoadBalancer ingress IPs only come from a load-balancer controller.
 */
export function servicesFromKubeYaml(yamlText: string): KubeService[] {
    const docs = parseAllDocuments(yamlText)
        .map((d) => d.toJS() as KubeObject | null)
        .filter((r): r is KubeObject => !!r && typeof r.kind === "string");
    const endpoints = new Map<string, ServiceEndpoint[]>();
    for (const d of docs) {
        if (d.kind !== "EndpointSlice") continue;
        const svc = d.metadata?.labels?.["kubernetes.io/service-name"];
        if (!svc) continue;
        const list = endpoints.get(svc) ?? [];
        for (const e of (d.endpoints ?? []) as { nodeName?: string; conditions?: { ready?: boolean } }[]) {
            list.push({
                ...(e.nodeName !== undefined ? { nodeName: e.nodeName } : {}),
                ...(e.conditions?.ready !== undefined ? { ready: e.conditions.ready } : {}),
                addressType: d.addressType === "IPv6" ? "IPv6" : "IPv4",
            });
        }
        endpoints.set(svc, list);
    }
    return docs
        .filter((d) => d.kind === "Service")
        .map((d) => {
            const spec = (d.spec ?? {}) as Record<string, unknown>;
            const name = d.metadata?.name ?? "";
            const clusterIPs = (spec["clusterIPs"] as string[] | undefined) ?? (typeof spec["clusterIP"] === "string" ? [spec["clusterIP"]] : []);
            return {
                name,
                type: (spec["type"] as KubeService["type"] | undefined) ?? "ClusterIP",
                clusterIPs,
                ...(spec["externalTrafficPolicy"] !== undefined ? { externalTrafficPolicy: spec["externalTrafficPolicy"] as "Cluster" | "Local" } : {}),
                ...(Array.isArray(spec["externalIPs"]) ? { externalIPs: spec["externalIPs"] as string[] } : {}),
                ...(Array.isArray(spec["ipFamilies"]) ? { ipFamilies: spec["ipFamilies"] as ("IPv4" | "IPv6")[] } : {}),
                endpoints: endpoints.get(name) ?? [],
            };
        });
}

interface KubeObject {
    kind: string;
    metadata?: { name?: string; labels?: Record<string, string> };
    spec?: unknown;
    addressType?: string;
    endpoints?: unknown[];
}
