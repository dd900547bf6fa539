/**
 * Which Service routes calico-node's confd gives BIRD on one node, as a pure function of
 * BGPConfiguration `default` and the Services and EndpointSlices it watches. The facts follow
 * confd's Go code (Apache-2.0, github.com/projectcalico/calico at v3.31.7 and v3.32.1):
 * `confd/pkg/backends/calico/client.go` (`onClusterIPsUpdate`, `onExternalIPsUpdate`,
 * `onLoadBalancerIPsUpdate`, `updateGlobalRoutes`) and `confd/pkg/backends/calico/routes.go`
 * (`advertiseThisService`, `getAllRoutesForService`).
 *
 * - Global routes, on every node: each `serviceClusterIPs` CIDR, and each `serviceExternalIPs`
 *   and `serviceLoadBalancerIPs` CIDR that is not a single address (LB CIDRs only while
 *   `serviceLoadBalancerAggregation` is Enabled, its default). Each becomes a static route
 *   (`/staticroutes`) and a kernel reject (`/rejectcidrs`).
 * - Per-Service /32s, static routes only, on the nodes that advertise the Service: its cluster
 *   IPs (when any serviceClusterIPs CIDR is set), its external IPs inside serviceExternalIPs, its
 *   LoadBalancer ingress IPs inside serviceLoadBalancerIPs. An `externalTrafficPolicy: Local`
 *   Service is advertised only by nodes with one of its endpoints.
 *
 * Not modelled: the node label that excludes a node from service advertisement, and the
 * `CALICO_ADVERTISE_CLUSTER_IPS` environment variable.
 */
import * as ipaddr from "ipaddr.js";
import type { CalicoTemplateVersion } from "./calicoBird";

/** The BGPConfiguration `default` fields that drive service advertisement (`{}` entries are skipped, as confd reads them). */
export interface ServiceAdvertisementConfig {
    serviceClusterIPs?: readonly { cidr?: string }[];
    serviceExternalIPs?: readonly { cidr?: string }[];
    serviceLoadBalancerIPs?: readonly { cidr?: string }[];
    serviceLoadBalancerAggregation?: "Enabled" | "Disabled";
}

/** One endpoint of an EndpointSlice of the Service. */
export interface ServiceEndpoint {
    nodeName?: string;
    /** `conditions.ready`; absent means ready (EndpointSlice API). */
    ready?: boolean;
    addressType?: "IPv4" | "IPv6";
}

/** A Service as confd's route generator sees it, with its EndpointSlices' endpoints. */
export interface KubeService {
    name: string;
    type: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
    clusterIPs: readonly string[];
    /** `spec.externalTrafficPolicy`; the apiserver leaves it unset on ClusterIP Services. */
    externalTrafficPolicy?: "Cluster" | "Local";
    externalIPs?: readonly string[];
    /** `status.loadBalancer.ingress[].ip`. */
    loadBalancerIngressIPs?: readonly string[];
    /** `spec.ipFamilies`; default: the families of its cluster IPs. */
    ipFamilies?: readonly ("IPv4" | "IPv6")[];
    endpoints: readonly ServiceEndpoint[];
}

/** What confd puts under `/staticroutes` and `/rejectcidrs` for one node (IPv4, confd's key order). */
export interface ServiceRoutes {
    staticRoutes: string[];
    rejectCidrs: string[];
}

type Net = [ipaddr.IPv4 | ipaddr.IPv6, number];

function cidrsOf(list: readonly { cidr?: string }[] | undefined): string[] {
    return (list ?? []).map((c) => c.cidr ?? "").filter((c) => c !== "");
}

function parseNet(cidr: string): Net {
    return ipaddr.parseCIDR(cidr);
}

function isSingleAddress(cidr: string): boolean {
    const [addr, len] = parseNet(cidr);
    return len === (addr.kind() === "ipv4" ? 32 : 128);
}

function within(ip: string, nets: readonly string[]): boolean {
    if (!ipaddr.isValid(ip)) return false;
    const a = ipaddr.parse(ip);
    return nets.some((n) => {
        const net = parseNet(n);
        return net[0].kind() === a.kind() && a.match(net);
    });
}

function withHostLength(ip: string): string {
    return ip.includes(":") ? `${ip}/128` : `${ip}/32`;
}

/** confd lists keys (`10.101.0.0-16`) in string order. */
function keyOrder(cidrs: Iterable<string>): string[] {
    return [...new Set(cidrs)].sort((a, b) => {
        const ka = a.replace("/", "-");
        const kb = b.replace("/", "-");
        return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}

/** `advertiseThisService`: whether `nodeName` advertises the Service's routes. */
function advertisedBy(svc: KubeService, nodeName: string, cfg: ServiceAdvertisementConfig, version: CalicoTemplateVersion): boolean {
    if (svc.type === "ExternalName") return false;
    if (svc.clusterIPs.length === 0 || svc.clusterIPs[0] === "None") return false;
    const lbCidrs = cidrsOf(cfg.serviceLoadBalancerIPs);
    const extCidrs = cidrsOf(cfg.serviceExternalIPs);
    const singleIn = (ip: string, nets: string[]) => within(ip, nets.filter(isSingleAddress));
    if (svc.externalTrafficPolicy === "Cluster") {
        if (svc.type === "LoadBalancer" && (svc.loadBalancerIngressIPs ?? []).some((ip) => singleIn(ip, lbCidrs))) return true;
        if ((svc.externalIPs ?? []).some((ip) => singleIn(ip, extCidrs))) return true;
    }
    const aggregate = (cfg.serviceLoadBalancerAggregation ?? "Enabled") === "Enabled";
    if (svc.externalTrafficPolicy !== "Local" && aggregate) return false;
    const families = new Set(svc.ipFamilies ?? svc.clusterIPs.map((ip) => (ip.includes(":") ? "IPv6" : "IPv4")));
    for (const ep of svc.endpoints) {
        if (!families.has(ep.addressType ?? "IPv4")) continue;
        // v3.31.7 skips endpoints that are not ready; v3.32.1's route generator does not.
        if (version === "v3.31" && ep.ready === false) continue;
        if (svc.externalTrafficPolicy !== "Local") return true;
        if (ep.nodeName === nodeName) return true;
    }
    return false;
}

/** The IPv4 service routes confd renders into `nodeName`'s bird_aggr.cfg and bird_ipam.cfg. */
export function serviceRoutesForNode(
    cfg: ServiceAdvertisementConfig,
    services: readonly KubeService[],
    nodeName: string,
    version: CalicoTemplateVersion,
): ServiceRoutes {
    const clusterCidrs = cidrsOf(cfg.serviceClusterIPs);
    const extCidrs = cidrsOf(cfg.serviceExternalIPs);
    const lbCidrs = cidrsOf(cfg.serviceLoadBalancerIPs);
    const aggregate = (cfg.serviceLoadBalancerAggregation ?? "Enabled") === "Enabled";
    const global = [...clusterCidrs, ...extCidrs.filter((c) => !isSingleAddress(c)), ...(aggregate ? lbCidrs.filter((c) => !isSingleAddress(c)) : [])];
    const perService: string[] = [];
    // confd starts its route generator only when one of the three lists is set.
    if (clusterCidrs.length + extCidrs.length + lbCidrs.length > 0) {
        for (const svc of services) {
            if (!advertisedBy(svc, nodeName, cfg, version)) continue;
            const ips = [
                ...(clusterCidrs.length > 0 ? svc.clusterIPs : []),
                ...(svc.externalIPs ?? []).filter((ip) => within(ip, extCidrs)),
                ...(svc.loadBalancerIngressIPs ?? []).filter((ip) => within(ip, lbCidrs)),
            ];
            perService.push(...ips.map(withHostLength));
        }
    }
    const v4 = (c: string) => !c.includes(":");
    return { staticRoutes: keyOrder([...global, ...perService].filter(v4)), rejectCidrs: keyOrder(global.filter(v4)) };
}
