/**
 * What CalicoAdcPeering creates, computed from resolved inputs: the BGPPeer, the router and the
 * neighbors with their arguments, or every input problem at once. Pure (no Pulumi, no I/O), so
 * the whole wiring is testable with plain values; the component only resolves inputs and
 * instantiates what this returns.
 */
import { BGP_PEER_FIELD_SINCE, BgpPeerSpec, CalicoApiVersion, compareCalicoReleases, parseCalicoRelease } from "../calico/spec";
import { MAX_INT32, ValidBgpPeerSpec, ipFamily, validateBgpPeer } from "../calico/validate";
import type { PeeringInputProblem } from "./errors";
import { MAX_ASN, NodeAddressSource } from "./nodeAddresses";
import { ipv6PeerName, nameProblem, suggestName } from "../calico/names";
import { ResolvedRouteSafety, RouteSafetyPlan, planRouteSafety } from "./routeSafety";
import { USER_DESCRIPTION_LIMIT } from "../core/marks";

/** Default wait when `waitForEstablished` is `true`, in seconds. */
export const DEFAULT_WAIT_SECONDS = 180;
/** Key of the password in the Secret the component creates. */
export const PASSWORD_SECRET_KEY = "password";
/** Stands for the component's BGPFilter in `spec.filters` until Kubernetes names it. */
export const BGP_FILTER_STAND_IN = "adc-import-0123abcd";
/** Longest neighbor description the ADC takes after the resource's mark. */
const MAX_DESCRIPTION = USER_DESCRIPTION_LIMIT;

/** A node as resolved (listed by the user or discovered). */
export interface ResolvedNode {
    name: unknown;
    address: unknown;
    asn?: unknown;
    /** Where the address came from, for discovered nodes. */
    addressSource?: NodeAddressSource;
    /** The node's IPv6 BGP address, for a dual-stack peering. */
    ipv6Address?: unknown;
    /** Where the IPv6 address came from, for discovered nodes. */
    ipv6AddressSource?: NodeAddressSource;
}

/** CalicoAdcPeering's inputs with every Output resolved. The BGP password itself is not here. */
export interface ResolvedPeering {
    /** The component's name (prefix of auto-generated names). */
    name: string;
    adc: {
        asn: unknown;
        peerAddress: unknown;
        /** The ADC's IPv6 address of a dual-stack peering; undefined for one family. */
        ipv6PeerAddress?: unknown;
        /** `create`: the component creates the router; `given`: an AdcBgpRouter was passed; `external`: `router: false`. */
        router: "create" | "given" | "external";
        /** `localAsn` of the router passed in, when `router` is `given`. */
        givenRouterAsn?: unknown;
        routerId?: unknown;
        maxPaths?: unknown;
        redistributeKernel?: unknown;
        saveConfig?: unknown;
        adoptExisting?: unknown;
        ebgpMultihop?: unknown;
        /** `adc.gracefulRestart` as given (undefined: on exactly when the connection is an HA pair). */
        gracefulRestart?: unknown;
        /** Whether `adc.connection` gives both nodes of an HA pair. */
        haPair?: boolean;
    };
    cluster: {
        asn: unknown;
        /** Where the AS number came from (`cluster.asn`, `BGPConfiguration default`, ...). */
        asnSource: string;
        nodes: ResolvedNode[];
        /** Where the nodes came from (`cluster.nodes` or the API server URL). */
        nodesSource: string;
    };
    calicoApi: CalicoApiVersion;
    calicoVersion?: string;
    bgpPeerName?: unknown;
    bgpPeerOptions?: Record<string, unknown>;
    /** Present when a BGP password is set: where its Secret goes, and whether the password is usable. */
    password?: { problem?: string; namespace: unknown; serviceAccount: unknown };
    routeInstall?: unknown;
    routeInstallIpv6?: unknown;
    waitForEstablished?: unknown;
    /** Next hop, filters both ways, service advertisement. */
    routeSafety: Omit<ResolvedRouteSafety, "peerOptions">;
}

/** One ADC neighbor for a node (the password is added by the component, as a secret). */
export interface PlannedNeighbor {
    address: string;
    remoteAsn: number;
    description: string;
    ebgpMultihop?: number;
}

/** A node as peered, for the component's outputs. */
export interface PeeredNode {
    name: string;
    address: string;
    /** The AS the node speaks towards the ADC (the ADC neighbor's remote-as). */
    asn: number;
    addressSource: NodeAddressSource | "cluster.nodes";
    /** The node's IPv6 neighbor address, in a dual-stack peering. */
    ipv6Address?: string;
    ipv6AddressSource?: NodeAddressSource | "cluster.nodes";
}

/** Everything the component creates, with its arguments. */
export interface PeeringPlan {
    clusterAsn: { value: number; source: string };
    nodes: PeeredNode[];
    bgpPeer: {
        apiVersion: CalicoApiVersion;
        /** `metadata.name`; undefined lets the Kubernetes provider auto-name `<name>-bgppeer-<random>`. */
        name?: string;
        /** The spec, validated; `password` is added by the component once the Secret has a name. */
        spec: ValidBgpPeerSpec;
    };
    /**
     * The second global BGPPeer of a dual-stack peering, to the ADC's IPv6 address: the same spec
     * but `peerIP`, named after the first (`<name>-ipv6`). Absent for one family.
     */
    bgpPeerIpv6?: PeeringPlan["bgpPeer"];
    /** Present when a BGP password is set. */
    password?: { namespace: string; serviceAccount: string; key: string };
    /** Present when the component creates the router. */
    router?: {
        localAsn: number;
        routeInstall: boolean;
        /** `ns route-install ipv6 bgp`; present (true) only when on. */
        routeInstallIpv6?: boolean;
        routerId?: string;
        maxPaths?: { ebgp?: number; ibgp?: number };
        redistributeKernel?: boolean;
        gracefulRestart?: boolean;
        saveConfig?: boolean;
        adoptExisting?: boolean;
    };
    neighbors: {
        localAsn: number;
        neighbors: PlannedNeighbor[];
        saveConfig?: boolean;
        adoptExisting?: boolean;
        waitForEstablishedSeconds: number;
        /** The ADC's inbound filter on every node neighbor, as AdcBgpNeighbors takes it; null when opted out. */
        prefixFilter: { name: string; entries: { prefix: string; ge?: number; le?: number }[] } | null;
        /** `maximum-prefix` on every node neighbor; null when opted out. */
        maximumPrefix: { limit: number; warningOnly: boolean } | null;
    };
    /** Next hop, the BGPFilter, service advertisement, the ADC's prefix filter and maximum-prefix. */
    routeSafety: RouteSafetyPlan;
}

/** The result of {@link planPeering}. */
export type PeeringPlanResult = { ok: true; plan: PeeringPlan } | { ok: false; problems: PeeringInputProblem[] };

/** The BGPPeer's `maxRestartTime` the component sets for graceful restart: BIRD's own default. */
export const DEFAULT_MAX_RESTART_TIME = "120s";

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Where a BGPPeer validation failure points in the component's inputs. */
function inputField(specField: string, peerAddressField = "adc.peerAddress"): string {
    if (specField === "spec.asNumber") return "adc.asn";
    if (specField === "spec.peerIP") return peerAddressField;
    if (specField === "metadata.name") return "bgpPeerName";
    if (specField === "calicoVersion") return "calicoVersion";
    return specField.replace(/^spec\./, "bgpPeerOptions.");
}

function isAsn(v: unknown, max: number): v is number {
    return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= max;
}

/** Computes what to create, or every problem with the inputs. */
export function planPeering(r: ResolvedPeering): PeeringPlanResult {
    const problems: PeeringInputProblem[] = [];
    const fail = (field: string, value: unknown, reason: string) => problems.push({ field, value, reason });

    // The Calico side: the global BGPPeer, validated exactly as CalicoBgpPeer will validate it.
    const options = Object.fromEntries(Object.entries(r.bgpPeerOptions ?? {}).filter(([, v]) => v !== undefined));
    for (const k of ["peerIP", "asNumber", "node", "nodeSelector", "peerSelector", "localWorkloadSelector", "password"]) {
        if (k in options) fail(`bgpPeerOptions.${k}`, k === "password" ? "<not shown>" : options[k], "is set by the component (a global peer with the ADC); remove it");
    }
    const family = typeof r.adc.peerAddress === "string" ? ipFamily(r.adc.peerAddress) : undefined;
    // Dual stack: IPv4 on peerAddress, IPv6 on ipv6PeerAddress, each node a neighbor of each family.
    const dualStack = r.adc.ipv6PeerAddress !== undefined && r.adc.ipv6PeerAddress !== null;
    const ipv6Peer = dualStack && typeof r.adc.ipv6PeerAddress === "string" && ipFamily(r.adc.ipv6PeerAddress) === "ipv6" ? r.adc.ipv6PeerAddress : undefined;
    if (dualStack && ipv6Peer === undefined) fail("adc.ipv6PeerAddress", r.adc.ipv6PeerAddress, "must be the ADC's IPv6 address, without a port or prefix length (e.g. fd00:102:33::208)");
    if (dualStack && family === "ipv6") fail("adc.ipv6PeerAddress", r.adc.ipv6PeerAddress, "is set but adc.peerAddress is IPv6 too; for a dual-stack peering give the ADC's IPv4 address as adc.peerAddress");
    const routeSafety = planRouteSafety({ ...r.routeSafety, peerOptions: options }, dualStack ? "dual" : family, fail);
    const spec: Record<string, unknown> = { peerIP: r.adc.peerAddress, asNumber: r.adc.asn, ...routeSafety.nextHop.fields, ...options };
    // Graceful restart on both sides, by default for an HA pair (NetScaler recommends it there): the
    // nodes keep the ADC's routes through a failover for maxRestartTime (BIRD's default, 120 s).
    const gracefulRestart = r.adc.gracefulRestart !== undefined ? r.adc.gracefulRestart === true : r.adc.haPair === true;
    const release = r.calicoVersion !== undefined ? parseCalicoRelease(r.calicoVersion) : undefined;
    const calicoHasRestartTime = release === undefined || compareCalicoReleases(release, BGP_PEER_FIELD_SINCE.maxRestartTime) >= 0;
    if (gracefulRestart && options.maxRestartTime === undefined && calicoHasRestartTime) spec.maxRestartTime = DEFAULT_MAX_RESTART_TIME;
    if (r.adc.gracefulRestart !== undefined && typeof r.adc.gracefulRestart !== "boolean") fail("adc.gracefulRestart", r.adc.gracefulRestart, "must be true or false");
    // The component's BGPFilter goes last: the user's filters decide first, it rejects the rest.
    if (routeSafety.bgpFilter) spec.filters = [...((options.filters as string[] | undefined) ?? []), BGP_FILTER_STAND_IN];
    // Checked with a stand-in for the Secret's generated name; the real name is valid whenever the stand-in is.
    if (r.password) spec.password = { secretKeyRef: { name: "bgp-password-0123abcd", key: PASSWORD_SECRET_KEY } };
    const bgpPeerName = r.bgpPeerName === undefined || r.bgpPeerName === "" ? undefined : r.bgpPeerName;
    const checked = validateBgpPeer({ name: bgpPeerName, autoNamePrefix: bgpPeerName === undefined ? `${r.name}-bgppeer` : undefined, spec, calicoVersion: r.calicoVersion });
    if (!checked.ok) {
        for (const f of checked.failures) {
            const reason = f.reason.replace(/^is required with spec\.peerIP/, "is required").replace(/name the resource (e\.g\. "[^"]*") or set metadata\.name/, "set bgpPeerName, or name the component so that this is valid");
            fail(inputField(f.field), f.value, reason);
        }
    }
    // The IPv6 BGPPeer: the same spec to the ADC's IPv6 address, under its own name.
    let checkedIpv6: ReturnType<typeof validateBgpPeer> | undefined;
    if (ipv6Peer !== undefined) {
        checkedIpv6 = validateBgpPeer({
            name: bgpPeerName === undefined ? undefined : ipv6PeerName(String(bgpPeerName)),
            autoNamePrefix: bgpPeerName === undefined ? ipv6PeerName(`${r.name}-bgppeer`) : undefined,
            spec: { ...spec, peerIP: ipv6Peer },
            calicoVersion: r.calicoVersion,
        });
        if (!checkedIpv6.ok) {
            for (const f of checkedIpv6.failures) {
                const field = inputField(f.field, "adc.ipv6PeerAddress");
                // A problem of the shared spec is already reported once, from the IPv4 BGPPeer.
                if (problems.some((p) => p.field === field)) continue;
                fail(field, f.value, f.reason.replace(/name the resource (e\.g\. "[^"]*") or set metadata\.name/, "set bgpPeerName, or name the component so that this is valid"));
            }
        }
    }
    if (typeof r.adc.peerAddress === "string" && ipFamily(r.adc.peerAddress) === undefined && !problems.some((p) => p.field === "adc.peerAddress")) {
        fail("adc.peerAddress", r.adc.peerAddress, "must be an IP address without a port (the ADC accepts BGP on port 179)");
    }

    // The cluster's AS number and nodes.
    const clusterAsnOk = isAsn(r.cluster.asn, MAX_INT32);
    if (!clusterAsnOk) {
        fail(
            "cluster.asn",
            r.cluster.asn,
            typeof r.cluster.asn === "number" && r.cluster.asn > MAX_INT32
                ? "is above 2147483647: Calico's BGPConfiguration stores the cluster AS as int32, so the cluster cannot use it"
                : "must be a whole number 1..2147483647 (Calico's default is 64512)",
        );
    }
    const localAsOverride = options.localASNumber;
    const nodes: PeeredNode[] = [];
    if (r.cluster.nodes.length === 0) fail("cluster.nodes", [], `is empty (${r.cluster.nodesSource}): an ADC peering needs at least one node`);
    const seen = new Map<string, string>();
    const seenIpv6 = new Map<string, string>();
    r.cluster.nodes.forEach((n, i) => {
        const at = `cluster.nodes[${i}]`;
        if (typeof n.name !== "string" || n.name === "") fail(`${at}.name`, n.name, "must be the node's name");
        if (typeof n.address !== "string" || ipFamily(n.address) === undefined) {
            fail(`${at}.address`, n.address, "must be the node's Calico BGP address, an IP without mask (e.g. 10.102.33.202)");
            return;
        }
        if (family && ipFamily(n.address) !== family) {
            fail(`${at}.address`, n.address, `is ${ipFamily(n.address) === "ipv4" ? "IPv4" : "IPv6"} but adc.peerAddress is ${family === "ipv4" ? "IPv4" : "IPv6"}; the nodes peer over the ADC address's family`);
            return;
        }
        if (n.address === r.adc.peerAddress) fail(`${at}.address`, n.address, "is the ADC's own peer address");
        const other = seen.get(n.address);
        if (other !== undefined) fail(`${at}.address`, n.address, `is also the address of node "${other}"; each node needs its own BGP address`);
        seen.set(n.address, String(n.name));
        if (n.asn !== undefined && n.asn !== null && !isAsn(n.asn, MAX_ASN)) fail(`${at}.asn`, n.asn, "must be a whole number 1..4294967295");
        const asn = isAsn(localAsOverride, MAX_INT32) ? localAsOverride : isAsn(n.asn, MAX_ASN) ? n.asn : clusterAsnOk ? (r.cluster.asn as number) : 0;
        const ipv6 = dualStack ? nodeIpv6Address(n, at, ipv6Peer, seenIpv6, fail) : undefined;
        if (!dualStack && n.ipv6Address !== undefined && n.ipv6Address !== null) {
            fail(`${at}.ipv6Address`, n.ipv6Address, "is set but adc.ipv6PeerAddress is not; set adc.ipv6PeerAddress to peer over IPv6 as well, or leave ipv6Address out");
        }
        nodes.push({
            name: String(n.name),
            address: n.address,
            asn,
            addressSource: n.addressSource ?? "cluster.nodes",
            ...(ipv6 !== undefined ? { ipv6Address: ipv6, ipv6AddressSource: n.ipv6AddressSource ?? "cluster.nodes" } : {}),
        });
    });

    // The ADC side.
    if (r.adc.router === "given" && r.adc.givenRouterAsn !== r.adc.asn) {
        fail("adc.router", `localAsn ${String(r.adc.givenRouterAsn)}`, `is router bgp ${String(r.adc.givenRouterAsn)} but adc.asn is ${String(r.adc.asn)}; pass the router of AS ${String(r.adc.asn)} or fix adc.asn`);
    }
    const ebgpMultihop = r.adc.ebgpMultihop;
    if (ebgpMultihop !== undefined && (typeof ebgpMultihop !== "number" || !Number.isInteger(ebgpMultihop) || ebgpMultihop < 1 || ebgpMultihop > 255)) {
        fail("adc.ebgpMultihop", ebgpMultihop, "must be a TTL 1..255");
    }
    if (r.routeInstallIpv6 !== undefined && typeof r.routeInstallIpv6 !== "boolean") fail("routeInstallIpv6", r.routeInstallIpv6, "must be true or false");
    let waitSeconds = 0;
    const wait = r.waitForEstablished;
    if (wait === true) waitSeconds = DEFAULT_WAIT_SECONDS;
    else if (typeof wait === "number" && Number.isInteger(wait) && wait >= 0) waitSeconds = wait;
    else if (wait !== undefined && wait !== false) fail("waitForEstablished", wait, "must be true, false or a number of seconds");

    // The password's Secret.
    if (r.password) {
        if (r.password.problem) fail("bgpPassword", "<secret>", r.password.problem);
        const secretName = `${r.name}-bgp-password-0123abcd`;
        if (nameProblem(secretName)) {
            fail("name", r.name, `names the password's Secret, Role and RoleBinding ("${r.name}-bgp-password-<random>"), which Kubernetes requires to be lower-case DNS names; name the component e.g. "${suggestName(r.name)}"`);
        }
        const ns = r.password.namespace;
        if (typeof ns !== "string" || ns.length > 63 || !NAMESPACE.test(ns)) fail("calicoNamespace", ns, "must be a namespace name, where calico-node runs: calico-system (operator install) or kube-system (manifest install)");
        const sa = r.password.serviceAccount;
        if (typeof sa !== "string" || sa === "") fail("calicoNodeServiceAccount", sa, "must be calico-node's service account name (calico-node)");
    }

    if (problems.length > 0 || !checked.ok || (checkedIpv6 !== undefined && !checkedIpv6.ok)) return { ok: false, problems };
    const adcAsn = r.adc.asn as number;
    const { password: _placeholder, ...specWithoutPassword } = checked.spec as BgpPeerSpec;
    const plan: PeeringPlan = {
        clusterAsn: { value: r.cluster.asn as number, source: r.cluster.asnSource },
        nodes,
        routeSafety,
        bgpPeer: { apiVersion: r.calicoApi, spec: specWithoutPassword as ValidBgpPeerSpec, ...(bgpPeerName !== undefined ? { name: bgpPeerName as string } : {}) },
        neighbors: {
            localAsn: adcAsn,
            // One resource for both families: one lock, one batch, one read of the device.
            neighbors: [...nodes.map((n) => ({ n, address: n.address })), ...nodes.flatMap((n) => (n.ipv6Address !== undefined ? [{ n, address: n.ipv6Address }] : []))].map(({ n, address }) => ({
                address,
                remoteAsn: n.asn,
                description: n.name.slice(0, MAX_DESCRIPTION),
                ...(ebgpMultihop !== undefined ? { ebgpMultihop: ebgpMultihop as number } : {}),
            })),
            waitForEstablishedSeconds: waitSeconds,
            prefixFilter: routeSafety.adcPrefixFilter
                ? {
                      name: routeSafety.adcPrefixFilter.prefixList.name,
                      entries: routeSafety.adcPrefixFilter.prefixList.entries.map((e) => ({ prefix: e.prefix, ...(e.ge !== null ? { ge: e.ge } : {}), ...(e.le !== null ? { le: e.le } : {}) })),
                  }
                : null,
            maximumPrefix: routeSafety.maximumPrefix ? { limit: routeSafety.maximumPrefix.limit, warningOnly: routeSafety.maximumPrefix.warningOnly } : null,
            ...optionalBool("saveConfig", r.adc.saveConfig),
            ...optionalBool("adoptExisting", r.adc.adoptExisting),
        },
    };
    if (checkedIpv6?.ok) {
        const { password: _p6, ...ipv6Spec } = checkedIpv6.spec as BgpPeerSpec;
        plan.bgpPeerIpv6 = { apiVersion: r.calicoApi, spec: ipv6Spec as ValidBgpPeerSpec, ...(bgpPeerName !== undefined ? { name: ipv6PeerName(String(bgpPeerName)) } : {}) };
    }
    if (r.password) plan.password = { namespace: r.password.namespace as string, serviceAccount: r.password.serviceAccount as string, key: PASSWORD_SECRET_KEY };
    if (r.adc.router === "create") {
        plan.router = {
            localAsn: adcAsn,
            routeInstall: r.routeInstall === undefined ? true : Boolean(r.routeInstall),
            ...((r.routeInstallIpv6 === undefined ? dualStack || family === "ipv6" : r.routeInstallIpv6 === true) ? { routeInstallIpv6: true } : {}),
            ...(r.adc.routerId !== undefined ? { routerId: r.adc.routerId as string } : {}),
            ...(r.adc.maxPaths !== undefined ? { maxPaths: r.adc.maxPaths as { ebgp?: number; ibgp?: number } } : {}),
            ...optionalBool("redistributeKernel", r.adc.redistributeKernel),
            ...(gracefulRestart ? { gracefulRestart: true } : {}),
            ...optionalBool("saveConfig", r.adc.saveConfig),
            ...optionalBool("adoptExisting", r.adc.adoptExisting),
        };
    }
    return { ok: true, plan };
}

/** A node's IPv6 neighbor address in a dual-stack peering, or undefined after a problem went to `fail`. */
function nodeIpv6Address(n: ResolvedNode, at: string, ipv6Peer: string | undefined, seen: Map<string, string>, fail: (field: string, value: unknown, reason: string) => void): string | undefined {
    const a = n.ipv6Address;
    if (a === undefined || a === null || a === "") {
        fail(
            `${at}.ipv6Address`,
            a,
            `node "${String(n.name)}" has no IPv6 address, which the dual-stack peering (adc.ipv6PeerAddress) needs for its IPv6 neighbor; give the node's projectcalico.org/IPv6Address without the mask, or peer over IPv4 only (leave adc.ipv6PeerAddress unset)`,
        );
        return undefined;
    }
    if (typeof a !== "string" || ipFamily(a) !== "ipv6") {
        fail(`${at}.ipv6Address`, a, "must be the node's Calico IPv6 BGP address, an IPv6 address without mask (e.g. fd00:102:33::201)");
        return undefined;
    }
    if (a === ipv6Peer) fail(`${at}.ipv6Address`, a, "is the ADC's own IPv6 peer address");
    const other = seen.get(a);
    if (other !== undefined) fail(`${at}.ipv6Address`, a, `is also the IPv6 address of node "${other}"; each node needs its own BGP address`);
    seen.set(a, String(n.name));
    return a;
}

function optionalBool<K extends string>(key: K, v: unknown): { [P in K]?: boolean } {
    return (v === undefined ? {} : { [key]: Boolean(v) }) as { [P in K]?: boolean };
}
