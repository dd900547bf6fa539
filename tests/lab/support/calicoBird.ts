/**
 * What calico-node's confd renders for BIRD 1.6 (bird.cfg, bird_ipam.cfg, bird_aggr.cfg), as a
 * pure function of the Calico resources one node sees. The lab runs these files in each node's
 * network namespace, so the ADC talks to the same BGP speaker configuration a real Calico node
 * would present. `tests/lab/birdRender.test.ts` checks the output against Calico's own compiled
 * confd fixtures for v3.31.7 and v3.32.1.
 *
 * Scope: IPv4, global peers (no `node`/`nodeSelector`), the node-to-node mesh, IP pools, this
 * node's IPAM blocks, service IP advertisement (the routes come from `calicoServiceRoutes.ts`).
 * Not rendered: BGPFilters, communities, node-specific and local-workload peers (none of which
 * the ADC peering uses).
 */
import { serviceRoutesForNode, type KubeService, type ServiceAdvertisementConfig, type ServiceRoutes } from "./calicoServiceRoutes";

/** Template family: `v3.31` covers the Go-template confd of 3.27..3.31; `v3.32` the Go-built config of 3.32. */
export type CalicoTemplateVersion = "v3.31" | "v3.32";

/** `BGPPeer.spec` fields that change what BIRD gets (projectcalico.org/v3 names). */
export interface BgpPeerSpec {
    /** `<ipv4>`, `<ipv4>:<port>`, `<ipv6>` or `[<ipv6>]:<port>`; bird.cfg takes the IPv4 peers, bird6.cfg the IPv6 ones. */
    peerIP: string;
    asNumber: number;
    node?: string;
    nodeSelector?: string;
    sourceAddress?: "UseNodeIP" | "None";
    keepOriginalNextHop?: boolean;
    nextHopMode?: "Auto" | "Self" | "Keep";
    ttlSecurity?: number;
    localASNumber?: number;
    /** Duration such as `120s`. */
    maxRestartTime?: string;
    /** Duration such as `30s` (rendered by v3.32 only). */
    keepaliveTime?: string;
    numAllowedLocalASNumbers?: number;
}

/** A peer as confd sees it: the spec plus the password already read from its Secret. */
export interface BgpPeerInput {
    spec: BgpPeerSpec;
    password?: string;
}

/** The facts about a Calico node that confd reads (`/calico/bgp/v1/host/<node>/...`). */
export interface CalicoNodeFacts {
    name: string;
    /** `spec.bgp.ipv4Address`, with or without the prefix length. */
    ipv4Address: string;
    /** `spec.bgp.ipv6Address`, with or without the prefix length; absent = IPv6 disabled on the node (bird6.cfg). */
    ipv6Address?: string;
    /** `spec.bgp.asNumber`; absent = the global AS. */
    asNumber?: number;
    routeReflectorClusterID?: string;
}

/** `BGPConfiguration default` fields that change what BIRD gets. */
export interface BgpConfigurationSpec extends ServiceAdvertisementConfig {
    asNumber?: number;
    logSeverityScreen?: string;
    nodeToNodeMeshEnabled?: boolean;
    listenPort?: number;
    bindMode?: "None" | "NodeIP";
}

export interface IpPoolSpec {
    cidr: string;
    ipipMode?: "Always" | "CrossSubnet" | "Never";
    vxlanMode?: "Always" | "CrossSubnet" | "Never";
    disableBGPExport?: boolean;
}

/** An IPAM block affine to this node; `state` is the affinity state (`confirmed`, `pending`, ...), absent for old affinities. */
export interface IpamBlock {
    cidr: string;
    state?: string;
}

export interface BirdRenderInput {
    version: CalicoTemplateVersion;
    /** The node whose configuration is rendered. */
    node: CalicoNodeFacts;
    /** Every Calico node in the cluster (this one included): mesh peers, and peers that are Calico nodes. */
    nodes: readonly CalicoNodeFacts[];
    bgpConfiguration?: BgpConfigurationSpec;
    /** Global BGPPeers (those with `node` or `nodeSelector` are rejected). */
    peers: readonly BgpPeerInput[];
    ipPools: readonly IpPoolSpec[];
    blocks: readonly IpamBlock[];
    /** The Services (with their EndpointSlices) confd's route generator watches; only read when service advertisement is on. */
    services?: readonly KubeService[];
}

/**
 * Where the lab must differ from a real node. Each difference is rendered in the file with a
 * `LAB:` comment saying why.
 */
export interface LabAdaptation {
    /**
     * Debian's BIRD 1.6.8 has no `krt_tunnel` attribute (Calico's fork adds it for IP-in-IP) and
     * refuses to parse a config that sets it; the lab has no tunl0 either. Drop those assignments.
     */
    dropTunnelAttribute: true;
    /** `log "<file>" all;` so a failing lab run can be diagnosed (calico-node logs to stderr under runit). */
    logFile?: string;
    /**
     * Routes a misconfigured or compromised node advertises although calico-node never would
     * (`0.0.0.0/0`, a range outside every pool): a static protocol holds them and the export
     * filter accepts them before Calico's own rules.
     */
    rogueRoutes?: readonly string[];
}

/** bird.cfg speaks for a node's IPv4 address and pools, bird6.cfg for its IPv6 ones. */
export type AddressFamily = "ipv4" | "ipv6";

export interface BirdConfigFiles {
    "bird.cfg": string;
    "bird_ipam.cfg": string;
    "bird_aggr.cfg": string;
}

const DEFAULT_AS = 64512;

/**
 * BIRD protocol name calico-node gives a global peer: `Global_10_0_0_5`, `Global_10_0_0_5_port_166`,
 * `Global_fd00__1` (the templates split IPv4 on `.` and IPv6 on `:`).
 */
export function globalProtocolName(ip: string, port?: number): string {
    return `Global_${protocolId(ip)}${port ? `_port_${port}` : ""}`;
}

/** `10.0.0.5` → `10_0_0_5`, `2001::102` → `2001__102`. */
export function protocolId(ip: string): string {
    return ip.split(ip.includes(":") ? ":" : ".").join("_");
}

/** Renders the three BIRD files for `input.node`. Throws on input this renderer does not cover. */
export function renderCalicoBird(input: BirdRenderInput, lab?: LabAdaptation): BirdConfigFiles {
    const ctx = context(input);
    let files: BirdConfigFiles =
        input.version === "v3.31"
            ? { "bird.cfg": birdCfg331(ctx), "bird_ipam.cfg": ipamCfg331(ctx), "bird_aggr.cfg": aggrCfg(ctx) }
            : { "bird.cfg": birdCfg332(ctx), "bird_ipam.cfg": ipamCfg332(ctx), "bird_aggr.cfg": aggrCfg(ctx) };
    if (lab) files = adaptForLab(files, lab);
    return files;
}

// ---------------------------------------------------------------------------------------------
// What confd derives before templating (confd/pkg/backends/calico/client.go): peers become keys
// /bgp/v1/global/peer_v4/<ip>[-<port>] with a JSON value, iterated in key order.

/** @internal shared with calicoBird6.ts */
export interface PeerData {
    key: string;
    ip: string;
    port: number;
    asNum: number;
    localAsNum: number;
    sourceAddrUseNodeIp: boolean;
    keepNextHop: boolean;
    nextHopMode: string;
    ttlSecurity: number;
    restartTime: string;
    keepaliveTime: string;
    numAllowLocalAs: number;
    password: string | undefined;
    calicoNode: boolean;
}

/** @internal shared with calicoBird6.ts: what both families' templates read. */
export interface Context {
    input: BirdRenderInput;
    family: AddressFamily;
    nodeIp: string;
    nodeAs: number;
    globalAs: number;
    debug: "all" | "{ states }" | null;
    listenAddress: string;
    listenPort: number | undefined;
    clusterId: string;
    mesh: boolean;
    peers: PeerData[];
    pools: readonly IpPoolSpec[];
    serviceRoutes: ServiceRoutes;
}

export function stripMask(cidr: string): string {
    return cidr.split("/")[0]!;
}

/** Whether a CIDR or address is IPv6 (confd keeps each family's pools and peers under its own keys). */
export function isIpv6(addressOrCidr: string): boolean {
    return addressOrCidr.includes(":");
}

/** The node's address of `family`, without the prefix length; "" when it has none. */
export function nodeAddress(n: CalicoNodeFacts, family: AddressFamily): string {
    const a = family === "ipv4" ? n.ipv4Address : n.ipv6Address;
    return a ? stripMask(a) : "";
}

/**
 * A BGPPeer's `peerIP` → address and port, or undefined when it is the other family's (confd
 * files it under `peer_v4` or `peer_v6`). Throws on what is neither.
 */
function parsePeerIp(peerIP: string, family: AddressFamily): { ip: string; port: number } | undefined {
    const v4 = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(peerIP);
    const v6 = /^\[([0-9a-fA-F:]+)\]:(\d+)$/.exec(peerIP) ?? /^([0-9a-fA-F]*:[0-9a-fA-F:]+)()$/.exec(peerIP);
    if (!v4 && !v6) throw new Error(`BGPPeer peerIP ${JSON.stringify(peerIP)}: only IPv4 [":" port], IPv6 or "[" IPv6 "]:" port is rendered`);
    const m = family === "ipv4" ? v4 : v6;
    return m ? { ip: m[1]!, port: m[2] ? Number(m[2]) : 0 } : undefined;
}

/** @internal shared with calicoBird6.ts */
export function context(input: BirdRenderInput, family: AddressFamily = "ipv4"): Context {
    const cfg = input.bgpConfiguration ?? {};
    const nodeIp = nodeAddress(input.node, family);
    const globalAs = cfg.asNumber ?? DEFAULT_AS;
    const nodeAs = input.node.asNumber ?? globalAs;
    const sev = (cfg.logSeverityScreen ?? "Info").toLowerCase();
    const debug = sev === "debug" ? "all" : sev === "none" ? null : "{ states }";
    const nodeAsOf = (n: CalicoNodeFacts) => n.asNumber ?? globalAs;
    const peers: PeerData[] = [];
    for (const { spec, password } of input.peers) {
        if (spec.node || spec.nodeSelector) {
            throw new Error(`BGPPeer ${spec.peerIP}: only global peers are rendered (node/nodeSelector set)`);
        }
        if (!spec.asNumber) throw new Error(`BGPPeer ${spec.peerIP}: asNumber must be set (BIRD rejects "as 0")`);
        const parsed = parsePeerIp(spec.peerIP, family);
        if (!parsed) continue;
        const ip = parsed.ip;
        let port = parsed.port;
        // A peer at a Calico node's address with that node's AS is a Calico node: confd peers with
        // its listen port when none is given, and only the lower address side connects.
        const calicoNode = input.nodes.some((n) => nodeAddress(n, family) === ip && nodeAsOf(n) === spec.asNumber);
        if (calicoNode && !port && cfg.listenPort) port = cfg.listenPort;
        peers.push({
            key: port ? `${ip}-${port}` : ip,
            ip,
            port,
            asNum: spec.asNumber,
            localAsNum: spec.localASNumber ?? 0,
            sourceAddrUseNodeIp: (spec.sourceAddress ?? "UseNodeIP") === "UseNodeIP",
            keepNextHop: spec.keepOriginalNextHop ?? false,
            nextHopMode: spec.nextHopMode ?? "",
            ttlSecurity: spec.ttlSecurity ?? 0,
            restartTime: spec.maxRestartTime ? String(durationSeconds(spec.maxRestartTime)) : "",
            keepaliveTime: spec.keepaliveTime ? String(durationSeconds(spec.keepaliveTime)) : "",
            numAllowLocalAs: spec.numAllowedLocalASNumbers ?? 0,
            password,
            calicoNode,
        });
    }
    peers.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return {
        input,
        family,
        nodeIp,
        nodeAs,
        globalAs,
        debug,
        listenAddress: cfg.bindMode === "NodeIP" && nodeIp ? nodeIp : "",
        listenPort: cfg.listenPort,
        clusterId: input.node.routeReflectorClusterID ?? "",
        mesh: cfg.nodeToNodeMeshEnabled ?? true,
        peers,
        pools: input.ipPools.filter((p) => isIpv6(p.cidr) === (family === "ipv6")),
        serviceRoutes: family === "ipv4" ? serviceRoutesForNode(cfg, input.services ?? [], input.node.name, input.version) : noIpv6ServiceRoutes(cfg),
    };
}

/** bird6's `/staticroutesv6` (IPv6 service advertisement) is not rendered: refused rather than left out. */
function noIpv6ServiceRoutes(cfg: BgpConfigurationSpec): ServiceRoutes {
    const v6 = [cfg.serviceClusterIPs, cfg.serviceExternalIPs, cfg.serviceLoadBalancerIPs].flatMap((l) => (l ?? []).map((c) => c.cidr ?? "")).filter(isIpv6);
    if (v6.length > 0) throw new Error(`IPv6 service advertisement (${v6.join(", ")}) is not rendered for bird6.cfg`);
    return { staticRoutes: [], rejectCidrs: [] };
}

function durationSeconds(d: string): number {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d.trim());
    if (!m) throw new Error(`duration ${JSON.stringify(d)}: expected e.g. "120s"`);
    const n = Number(m[1]);
    return Math.round({ ms: n / 1000, s: n, m: n * 60, h: n * 3600 }[m[2] as "ms" | "s" | "m" | "h"]);
}

/** Calico compares addresses as strings (`gt $data.ip $node_ip`), not numerically. */
export function passiveTowards(ip: string, nodeIp: string): boolean {
    return ip > nodeIp;
}

export function meshPeers(ctx: Context): CalicoNodeFacts[] {
    return [...ctx.input.nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Shared text

export const KERNEL_PROTOCOL = `# Configure synchronization between routing tables and kernel.
protocol kernel {
  learn;             # Learn all alien routes from the kernel
  persist;           # Don't remove routes on bird shutdown
  scan time 2;       # Scan kernel routing table every 2 seconds
  import all;
  export filter calico_kernel_programming; # Default is export none
  graceful restart;  # Turn on graceful restart to reduce potential flaps in
                     # routes when reloading BIRD configuration.  With a full
                     # automatic mesh, there is no way to prevent BGP from
                     # flapping since multiple nodes update their BGP
                     # configuration at the same time, GR is not guaranteed to
                     # work correctly in this scenario.
  merge paths on;    # Allow export multipath routes (ECMP)
}`;

const DIRECT_INTERFACES = `  interface -"cali*", -"kube-ipvs*", "*"; # Exclude cali* and kube-ipvs* but
                                          # include everything else.  In
                                          # IPVS-mode, kube-proxy creates a
                                          # kube-ipvs0 interface. We exclude
                                          # kube-ipvs0 because this interface
                                          # gets an address for every in use
                                          # cluster IP. We use static routes
                                          # for when we legitimately want to
                                          # export cluster IPs.`;

export function debugLine(ctx: Context): string[] {
    return ctx.debug ? [`  debug ${ctx.debug};`] : [];
}

export function bgpTemplate(ctx: Context): string {
    return [
        "# Template for all BGP clients",
        "template bgp bgp_template {",
        ...debugLine(ctx),
        '  description "Connection to BGP peer";',
        `  local as ${ctx.nodeAs};`,
        "  gateway recursive; # This should be the default, but just in case.",
        "  add paths on;",
        "  graceful restart;  # See comment in kernel section about graceful restart.",
        "  connect delay time 2;",
        "  connect retry time 5;",
        "  error wait time 5,30;",
        "}",
    ].join("\n");
}

function header(ctx: Context, listenComment: string): string {
    const lines = [
        "function apply_communities ()",
        "{",
        "}",
        "",
        "# Generated by confd",
        'include "bird_aggr.cfg";',
        'include "bird_ipam.cfg";',
        "",
        `router id ${ctx.nodeIp};`,
    ];
    if (ctx.listenAddress || ctx.listenPort) {
        lines.push(listenComment);
        lines.push(`listen bgp${ctx.listenAddress ? ` address ${ctx.listenAddress}` : ""}${ctx.listenPort ? ` port ${ctx.listenPort}` : ""};`);
    }
    return lines.join("\n");
}

export function deviceAndDirect(ctx: Context): string {
    return [
        "# Watch interface up/down events.",
        "protocol device {",
        ...debugLine(ctx),
        "  scan time 2;    # Scan interfaces every 2 seconds",
        "}",
        "",
        "protocol direct {",
        ...debugLine(ctx),
        DIRECT_INTERFACES,
        "}",
    ].join("\n");
}

/** The filter bodies that differ between the template families. */
export interface StanzaParts {
    importFilter: string[];
    exportPrelude: string[];
}

function peerStanzaOptions(ctx: Context, p: PeerData, v: CalicoTemplateVersion): string[] {
    const effectiveAs = p.localAsNum || ctx.nodeAs;
    const lines: string[] = [];
    if (p.calicoNode && passiveTowards(p.ip, ctx.nodeIp)) {
        lines.push(v === "v3.31" ? "  passive on; # Peering is unidirectional, peer will connect to us." : "  passive on;");
    }
    if (p.restartTime) lines.push(`  graceful restart time ${p.restartTime};`);
    if (v === "v3.32" && p.keepaliveTime) lines.push(`  keepalive time ${p.keepaliveTime};`);
    if (p.asNum === effectiveAs && ctx.clusterId) {
        lines.push("  rr client;", `  rr cluster id ${ctx.clusterId};`);
    }
    if (p.password) lines.push(`  password "${p.password}";`);
    const keep = (p.asNum !== effectiveAs && p.keepNextHop) || p.nextHopMode === "Keep";
    if (v === "v3.31") {
        if (p.asNum !== effectiveAs && p.keepNextHop) lines.push("  next hop keep;");
        if (p.nextHopMode === "Self") lines.push("  next hop self;");
        if (p.nextHopMode === "Keep") lines.push("  next hop keep;");
    } else {
        if (keep) lines.push("  next hop keep;");
        if (p.nextHopMode === "Self") lines.push("  next hop self;");
    }
    if (p.numAllowLocalAs) lines.push(`  allow local as ${p.numAllowLocalAs};`);
    return lines;
}

export function globalPeerStanza(ctx: Context, p: PeerData, v: CalicoTemplateVersion, parts: StanzaParts): string[] {
    const effectiveAs = p.localAsNum || ctx.nodeAs;
    const lines = [`protocol bgp ${globalProtocolName(p.ip, p.port)} from bgp_template {`];
    if (p.ttlSecurity) lines.push("  ttl security on;", `  multihop ${p.ttlSecurity};`);
    else lines.push("  ttl security off;", "  multihop;");
    if (p.localAsNum) lines.push(`  local as ${p.localAsNum};`);
    lines.push(`  neighbor ${p.ip}${p.port ? ` port ${p.port}` : ""} as ${p.asNum};`);
    if (p.sourceAddrUseNodeIp) lines.push(`  source address ${ctx.nodeIp};  # The local address we use for the TCP connection`);
    lines.push("  import filter {", ...parts.importFilter, "  };");
    lines.push(
        "  export filter {",
        ...parts.exportPrelude,
        `    calico_export_to_bgp_peers(${p.asNum === effectiveAs});`,
        "    reject;",
        "  };  # Only want to export routes for workloads.",
    );
    lines.push(...peerStanzaOptions(ctx, p, v));
    lines.push("}");
    return lines;
}

// ---------------------------------------------------------------------------------------------
// v3.31 (confd Go templates)

export const IMPORT_331 = ['    accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import'];

function birdCfg331(ctx: Context): string {
    const out: string[] = [header(ctx, "# Set global listen_port"), "", KERNEL_PROTOCOL, "", deviceAndDirect(ctx), "", ""];
    if (!ctx.nodeIp) {
        out.push("# IPv4 disabled on this node.", "");
        return out.join("\n");
    }
    out.push(bgpTemplate(ctx), "", "# -------------- BGP Filters ------------------", "# No v4 BGPFilters configured", "");
    out.push("# ------------- Node-to-node mesh -------------");
    if (!ctx.clusterId) out.push("");
    if (ctx.clusterId) {
        out.push(`# This node (${ctx.input.node.name}) is configured as a route reflector with cluster ID ${ctx.clusterId};`, "# ignore node-to-node mesh setting.");
    } else if (ctx.mesh) {
        // The template's range body leaves three blank lines before each peer, four before the first.
        for (const [i, n] of meshPeers(ctx).entries()) {
            const ip = stripMask(n.ipv4Address);
            out.push(...Array<string>(i === 0 ? 4 : 3).fill(""), `# For peer /bgp/v1/host/${n.name}/ip_addr_v4`);
            if (ip === ctx.nodeIp) {
                out.push(`# Skipping ourselves (${ctx.nodeIp})`);
                continue;
            }
            if (n.routeReflectorClusterID) {
                out.push(`# Skipping ${ip} (${n.name}) as it is a route reflector with cluster ID ${n.routeReflectorClusterID}`);
                continue;
            }
            out.push(...meshStanza331(ctx, n));
        }
        out.push("");
    } else {
        out.push("# Node-to-node mesh disabled", "");
    }
    out.push("", "", "# ------------- Global peers -------------");
    if (ctx.peers.length === 0) {
        out.push("# No global peers configured.", "", "", "# ------------- Node-specific peers -------------", "", "# No node-specific peers configured.", "", "");
        return out.join("\n");
    } else {
        out.push("");
        for (const p of ctx.peers) {
            out.push("", "", `# For peer /bgp/v1/global/peer_v4/${p.key}`);
            if (p.ip === ctx.nodeIp) {
                out.push(`# Skipping ourselves (${ctx.nodeIp})`);
                continue;
            }
            out.push(...globalPeerStanza(ctx, p, "v3.31", { importFilter: IMPORT_331, exportPrelude: [] }));
        }
    }
    out.push("", "", "", "", "# ------------- Node-specific peers -------------", "", "# No node-specific peers configured.", "", "");
    return out.join("\n");
}

function meshStanza331(ctx: Context, n: CalicoNodeFacts): string[] {
    const ip = stripMask(n.ipv4Address);
    const lines = [
        `protocol bgp Mesh_${ip.split(".").join("_")} from bgp_template {`,
        `  neighbor ${ip}${ctx.listenPort ? ` port ${ctx.listenPort}` : ""} as ${n.asNumber ?? ctx.globalAs};`,
        `  source address ${ctx.nodeIp};  # The local address we use for the TCP connection`,
        "  import all;        # Import all routes, since we don't know what the upstream",
        "                     # topology is and therefore have to trust the ToR/RR.",
        "  export filter {",
        "    calico_export_to_bgp_peers(true);",
        "    reject;",
        "  };  # Only want to export routes for workloads.",
    ];
    if (passiveTowards(ip, ctx.nodeIp)) lines.push("  passive on; # Mesh is unidirectional, peer will connect to us.");
    lines.push("}");
    return lines;
}

function ipamCfg331(ctx: Context): string {
    const disabled = ctx.pools.filter((p) => p.disableBGPExport);
    const out = [
        "# Generated by confd",
        "function reject_disabled_pools ()",
        "{",
        ...disabled.map((p) => `  if ( net ~ ${p.cidr} ) then { reject; }`),
        "",
        "}",
        "",
        REJECT_FUNCTIONS,
        "",
        "function calico_export_to_bgp_peers(bool internal_peer) {",
        "  # filter code terminates when it calls `accept;` or `reject;`,",
        "  # call reject_disabled_pools() first, then reject_tunnel_routes(),",
        "  # then apply_communities() and then calico_aggr()",
        "  reject_disabled_pools();",
        "  if (internal_peer) then {",
        "    reject_tunnel_routes();",
        "  }",
        "  reject_local_routes();",
        "  apply_communities();",
        "  calico_aggr();",
        ...exportStaticRoutes(ctx),
        "",
    ];
    for (const p of ctx.pools) {
        if (p.disableBGPExport) out.push(`  # Skip ${p.cidr} as BGP export is disabled for it`);
        else out.push(`  if ( net ~ ${p.cidr} ) then {`, "    accept;", "  }");
    }
    out.push("}", "", "", "filter calico_kernel_programming {", "");
    const rejects = rejectStaticRoutes(ctx);
    if (rejects.length > 0) out.push(...rejects.slice(1), "");
    if (ctx.nodeIp) {
        const network = nodeNetwork(ctx.input.node.ipv4Address);
        for (const p of ctx.pools) {
            out.push(`  if ( net ~ ${p.cidr} ) then {`);
            if (p.vxlanMode && p.vxlanMode !== "Never") {
                out.push("    # Don't program VXLAN routes into the kernel - these are handled by Felix.", "    reject;", "  }");
                continue;
            }
            const tunnel = p.ipipMode && p.ipipMode !== "Never" ? "tunl0" : "";
            if (p.ipipMode === "CrossSubnet") {
                out.push(
                    `    if defined(bgp_next_hop) && ( bgp_next_hop ~ ${network} ) then`,
                    '      krt_tunnel = "";',
                    "    else",
                    `      krt_tunnel = "${tunnel}";`,
                    "    accept;",
                    "  }",
                );
            } else {
                out.push(`    krt_tunnel = "${tunnel}";`, "    accept;", "  }");
            }
            out.push("");
        }
    }
    out.push("  accept;", "}");
    return out.join("\n") + "\n";
}

/** The `/staticroutes` accepts in calico_export_to_bgp_peers (both families; a blank line first). */
export function exportStaticRoutes(ctx: Context): string[] {
    const routes = ctx.serviceRoutes.staticRoutes;
    return routes.length === 0 ? [] : ["", "  # Export static routes.", ...routes.map((r) => `  if ( net ~ ${r} ) then { accept; }`)];
}

/** The `/rejectcidrs` rejects at the top of calico_kernel_programming (both families; a blank line first). */
export function rejectStaticRoutes(ctx: Context): string[] {
    const cidrs = ctx.serviceRoutes.rejectCidrs;
    return cidrs.length === 0 ? [] : ["", "  # Don't program static routes into kernel.", ...cidrs.map((r) => `  if ( net ~ ${r} ) then { reject; }`)];
}

/** `10.192.0.2/16` → `10.192.0.0/16` (confd's `network_v4`). */
function nodeNetwork(cidr: string): string {
    const [ip, lenText] = cidr.split("/");
    const len = lenText === undefined ? 32 : Number(lenText);
    const n = ip!.split(".").reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    const net = (n & mask) >>> 0;
    return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join(".")}/${len}`;
}

export const REJECT_FUNCTIONS = `function reject_tunnel_routes () {
  # Don't export tunnel routes to other nodes, Felix programs them.
  # IPIP routes are handled by Bird, and it does not re-advertise them.
  if (defined(ifname)) then {
     if ((ifname ~ "*.cali") || (ifname ~ "*.calico")) then {
        reject;
     }
  }
}

function reject_local_routes () {
  # Don't export local routes learned via BPF as they should never leave the node.
  if (defined(ifname)) then {
     if (ifname ~ "bpf*.cali") then {
        reject;
     }
  }
}`;

// ---------------------------------------------------------------------------------------------
// v3.32 (config built in Go: confd/pkg/backends/calico/bgp_processor.go)

/** `NormalRoutePriority` default (BGPConfiguration ipv4NormalRoutePriority). */
const NORMAL_ROUTE_PRIORITY = 1024;

const IMPORT_332 = ["    if (defined(bgp_local_pref)&&(bgp_local_pref > 2147482623)) then", "      preference = 200;", "    accept;"];
const EXPORT_PRELUDE_332 = [
    "    if (defined(source) && source = RTS_BGP && defined(bgp_local_pref)) then {",
    "      krt_metric = 2147483647 - bgp_local_pref;",
    "    } else {",
    `      if (!defined(krt_metric)) then { krt_metric = ${NORMAL_ROUTE_PRIORITY}; }`,
    "      bgp_local_pref = 2147483647 - krt_metric;",
    "    }",
];

function birdCfg332(ctx: Context): string {
    const out: string[] = [header(ctx, "# BGP listen configuration"), "", KERNEL_PROTOCOL, "", deviceAndDirect(ctx), ""];
    if (!ctx.nodeIp) {
        out.push("# IPv4 disabled on this node.", "");
        return out.join("\n");
    }
    out.push("", bgpTemplate(ctx), "", "# -------------- BGP Filters ------------------", "# No v4 BGPFilters configured");
    const stanzas: string[][] = [];
    if (ctx.mesh && !ctx.clusterId) {
        for (const n of meshPeers(ctx)) {
            const ip = stripMask(n.ipv4Address);
            if (ip === ctx.nodeIp || n.routeReflectorClusterID) continue;
            const lines = [
                `protocol bgp Mesh_${ip.split(".").join("_")} from bgp_template {`,
                `  neighbor ${ip}${ctx.listenPort ? ` port ${ctx.listenPort}` : ""} as ${n.asNumber ?? ctx.globalAs};`,
                `  source address ${ctx.nodeIp};  # The local address we use for the TCP connection`,
                "  import filter {",
                ...IMPORT_332,
                "  };",
                "  export filter {",
                ...EXPORT_PRELUDE_332,
                "    calico_export_to_bgp_peers(true);",
                "    reject;",
                "  };  # Only want to export routes for workloads.",
            ];
            if (passiveTowards(ip, ctx.nodeIp)) lines.push("  passive on;");
            lines.push("}");
            stanzas.push(lines);
        }
    }
    for (const p of ctx.peers) {
        if (p.ip === ctx.nodeIp) continue;
        stanzas.push(globalPeerStanza(ctx, p, "v3.32", { importFilter: IMPORT_332, exportPrelude: EXPORT_PRELUDE_332 }));
    }
    if (stanzas.length === 0) out.push("# No BGP peers configured for this node");
    else out.push("# BGP Protocol Configurations", ...stanzas.flat());
    out.push("", "", "");
    return out.join("\n");
}

function ipamCfg332(ctx: Context): string {
    if (ctx.pools.some((p) => p.disableBGPExport)) {
        throw new Error("v3.32 rendering of pools with disableBGPExport is not implemented");
    }
    const out = [
        "# Generated by confd",
        "",
        REJECT_FUNCTIONS,
        "",
        "function calico_export_to_bgp_peers(bool internal_peer) {",
        "  # filter code terminates when it calls `accept;` or `reject;`,",
        "",
        "  if (internal_peer) then {",
        "    reject_tunnel_routes();",
        "  }",
        "  reject_local_routes();",
        "  apply_communities();",
        "  calico_aggr();",
        ...exportStaticRoutes(ctx),
        ...ctx.pools.map((p) => `  if (net ~ ${p.cidr}) then { accept; }`),
        "}",
        "",
        "filter calico_kernel_programming {",
        ...rejectStaticRoutes(ctx),
        "  if (defined(source) && (source = RTS_BGP) && !defined(krt_metric)) then {",
        `      krt_metric = ${NORMAL_ROUTE_PRIORITY};`,
        "      if (defined(bgp_local_pref)) then {",
        "          krt_metric = 2147483647 - bgp_local_pref;",
        "      }",
        `      if (krt_metric < ${NORMAL_ROUTE_PRIORITY}) then {`,
        "          preference = 200;",
        "      }",
        "  }",
    ];
    for (const p of ctx.pools) {
        if (p.vxlanMode && p.vxlanMode !== "Never") out.push(`  if (net ~ ${p.cidr}) then { reject; }`);
        else if (p.ipipMode === "CrossSubnet") throw new Error("v3.32 rendering of ipipMode CrossSubnet is not implemented");
        else out.push(`  if (net ~ ${p.cidr}) then { krt_tunnel="${p.ipipMode && p.ipipMode !== "Never" ? "tunl0" : ""}"; accept; }`);
    }
    out.push("  accept;", "}");
    return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// bird_aggr.cfg (same template shape in both families; 3.32 adds the krt_metric line)

function aggrCfg(ctx: Context): string {
    const v332 = ctx.input.version === "v3.32";
    const blocks = ctx.input.blocks.filter((b) => !isIpv6(b.cidr)).sort((a, b) => (blockKey(a.cidr) < blockKey(b.cidr) ? -1 : blockKey(a.cidr) > blockKey(b.cidr) ? 1 : 0));
    const out = ["# Generated by confd", ...(v332 ? [""] : []), "", "protocol static {"];
    const statics = blocks.filter((b) => !b.cidr.endsWith("/32"));
    const serviceRoutes = ctx.serviceRoutes.staticRoutes;
    if (blocks.length > 0) out.push("   # IP blocks for this host.", ...statics.map((b) => `   route ${b.cidr} blackhole;`));
    if (serviceRoutes.length > 0) out.push("   # Static routes.", ...serviceRoutes.map((r) => `   route ${r} blackhole;`));
    if (blocks.length === 0 && serviceRoutes.length === 0) out.push("   # No IP blocks or static routes for this host.");
    out.push("}", "", ...(v332 ? [] : [""]), "# Aggregation of routes on this host; export the block, nothing beneath it.", "function calico_aggr ()", "{");
    for (const b of blocks) {
        const exported = [
            `      if ( net = ${b.cidr} ) then { accept; }`,
            ...(v332 ? [`      if ( net ~ ${b.cidr} && krt_metric < ${NORMAL_ROUTE_PRIORITY} ) then { accept; }`] : []),
            `      if ( net ~ ${b.cidr} ) then { reject; }`,
        ];
        if (b.state) {
            out.push(`      # Block ${b.cidr} is ${b.state}`);
            if (b.state === "confirmed") out.push(...exported);
        } else {
            out.push(`      # Block ${b.cidr} is implicitly confirmed.`, ...exported);
        }
    }
    out.push("}");
    return out.join("\n") + "\n";
}

/** confd lists block keys (`10.0.0.0-30`) in string order. */
export function blockKey(cidr: string): string {
    return cidr.replace("/", "-");
}

// ---------------------------------------------------------------------------------------------
// Lab adaptation

/**
 * Adds `rogue` to a node's aggr and ipam files (bird's or bird6's, which share the shapes): a
 * static protocol holding them and an accept at the top of the export filter.
 */
export function withRogueRoutes(aggr: string, ipam: string, rogue: readonly string[]): { aggr: string; ipam: string } {
    if (rogue.length === 0) return { aggr, ipam };
    const head = "function calico_export_to_bgp_peers(bool internal_peer) {";
    if (!ipam.includes(head)) throw new Error("the ipam file has no calico_export_to_bgp_peers to add the rogue routes to");
    return {
        aggr: aggr + ["", "# LAB: a misconfigured or compromised node; calico-node never exports these.", "protocol static rogue {", ...rogue.map((r) => `   route ${r} blackhole;`), "}", ""].join("\n"),
        // To the ADC only: mesh peers would pass them on, and the test wants one node misbehaving.
        ipam: ipam.replace(head, [head, ...rogue.map((r) => `  if ( net = ${r} ) then { if (internal_peer) then reject; accept; }  # LAB: rogue route`)].join("\n")),
    };
}

function adaptForLab(files: BirdConfigFiles, lab: LabAdaptation): BirdConfigFiles {
    if (lab.dropTunnelAttribute && files["bird_ipam.cfg"].includes("bgp_next_hop ~")) {
        // CrossSubnet puts the assignment alone in an if/else arm; removing it would leave an empty arm.
        throw new Error("the lab cannot run ipipMode CrossSubnet pools (Debian BIRD has no krt_tunnel)");
    }
    const ipam = files["bird_ipam.cfg"]
        .split("\n")
        .map((line) => {
            if (!lab.dropTunnelAttribute || !line.includes("krt_tunnel")) return line;
            const indent = /^\s*/.exec(line)![0];
            // `krt_tunnel="tunl0"; accept;` (3.32) keeps its accept; a lone assignment becomes a comment.
            const rest = line.replace(/krt_tunnel\s*=\s*"[^"]*";\s*/, "");
            const note = "# LAB: krt_tunnel dropped (Debian BIRD 1.6.8 lacks Calico's IP-in-IP attribute)";
            return rest.trim() === "" ? `${indent}${note}` : `${rest}  ${note}`;
        })
        .join("\n");
    const { aggr, ipam: ipamRogue } = withRogueRoutes(files["bird_aggr.cfg"], ipam, lab.rogueRoutes ?? []);
    let bird = files["bird.cfg"];
    if (lab.logFile) {
        bird = `# LAB: log to a file so a failed run can be diagnosed (calico-node logs to stderr).\nlog "${lab.logFile}" all;\n\n${bird}`;
    }
    return { "bird.cfg": bird, "bird_ipam.cfg": ipamRogue, "bird_aggr.cfg": aggr };
}
