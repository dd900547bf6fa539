/**
 * The shape of Calico's BGPPeer (Calico Open Source), as plain data. No Pulumi here: the resource
 * wraps these types in `pulumi.Input`, the validator and renderer work on resolved values.
 */

/** The two API groups that serve BGPPeer. See provider/calico/README.md for which to choose. */
export type CalicoApiVersion = "projectcalico.org/v3" | "crd.projectcalico.org/v1";

/** Every API version a BGPPeer can be written through. */
export const CALICO_API_VERSIONS: readonly CalicoApiVersion[] = ["projectcalico.org/v3", "crd.projectcalico.org/v1"];

/** What the BGPPeer's `apiVersion` is when none is asked for. */
export const DEFAULT_CALICO_API_VERSION: CalicoApiVersion = "projectcalico.org/v3";

/** How the node chooses the next hop of routes it sends to this peer (`nextHopMode`). */
export type BgpNextHopMode = "Auto" | "Self" | "Keep";

/** Which source address the node uses for the TCP session (`sourceAddress`). */
export type BgpSourceAddress = "UseNodeIP" | "None";

/** For node-to-node peerings via `peerSelector`: whether the reverse peering is generated (`reversePeering`). */
export type BgpReversePeering = "Auto" | "Manual";

/** Where Calico reads the BGP MD5 password: a key of a Secret in calico-node's namespace. */
export interface SecretKeyRef {
    /** The Secret's name. It must live in calico-node's namespace (`calico-system` or `kube-system`). */
    name: string;
    /** The key within the Secret whose value is the password. */
    key: string;
    /** Whether a missing Secret or key is tolerated (the session then runs without a password). */
    optional?: boolean;
}

/**
 * BGPPeer `spec` as Calico Open Source defines it (`api/pkg/apis/projectcalico/v3/bgppeer.go`).
 * Each field names the Calico release that introduced it; a field the cluster's Calico does not
 * know is silently pruned by the API server, so set `calicoVersion` on the resource to have such
 * fields refused instead.
 */
export interface BgpPeerSpec {
    /**
     * The one Calico node that gets this peering. Leave both `node` and `nodeSelector` empty for a
     * global peer (every node peers). Calico 3.0.
     */
    node?: string;
    /** Calico selector of the nodes that get this peering, e.g. `rack == 'a'`. Not with `node`. Calico 3.3. */
    nodeSelector?: string;
    /**
     * The peer's address: `10.0.0.1`, `10.0.0.1:1179`, `fd00::1` or `[fd00::1]:1179`. Always set
     * `asNumber` with it. Calico 3.0 (the `:port` form since 3.16).
     */
    peerIP?: string;
    /**
     * The peer's AS number, 1..2147483647 (Calico stores it as int32, so larger 4-byte ASNs are
     * rejected by the API server). Required with `peerIP`. Calico 3.0.
     */
    asNumber?: number;
    /**
     * Calico selector of other Calico nodes to peer with (node-to-node peering). Not with
     * `peerIP` or `asNumber`: the remote AS comes from each selected node. Calico 3.3.
     */
    peerSelector?: string;
    /** Deprecated by `nextHopMode`: `next hop keep` towards eBGP peers. Calico 3.16. */
    keepOriginalNextHop?: boolean;
    /** `Self` → `next hop self`, `Keep` → `next hop keep`, `Auto` → BIRD's default. Calico 3.30.2. */
    nextHopMode?: BgpNextHopMode;
    /** The BGP MD5 password, read from a Secret (never a literal value). Calico 3.16.2. */
    password?: { secretKeyRef: SecretKeyRef };
    /** `UseNodeIP` (Calico's default) binds the session to the node's address; `None` lets the kernel choose. Calico 3.18. */
    sourceAddress?: BgpSourceAddress;
    /** Graceful-restart time as a Go duration (`120s`, `2m`); BIRD's default is 120 s. Calico 3.20. */
    maxRestartTime?: string;
    /** BGP keepalive interval as a Go duration (`10s`); BIRD's default is a third of the hold time. Calico 3.32. */
    keepaliveTime?: string;
    /**
     * How many times the local AS may appear in a received AS path (`allow local as N`); disables
     * loop prevention. A count, not an AS number. Calico 3.23.
     */
    numAllowedLocalASNumbers?: number;
    /** Hops allowed to the peer with GTSM (`ttl security on; multihop N`), 0..255. Calico 3.25. */
    ttlSecurity?: number;
    /** Gateway address through which the peer is reached (`route <peerIP>/32 via <reachableBy>`). Needs `peerIP`. Calico 3.25. */
    reachableBy?: string;
    /** Names of BGPFilter resources applied in order. Calico 3.26. */
    filters?: string[];
    /** The AS number this node uses towards this peer, overriding the node's/cluster's. 1..2147483647. Calico 3.31. */
    localASNumber?: number;
    /** Calico selector of local workloads (e.g. KubeVirt VMs) to peer with. Needs `asNumber`. Calico 3.30. */
    localWorkloadSelector?: string;
    /** For `peerSelector` peerings: `Auto` (default) also generates the reverse peering. Calico 3.30.3. */
    reversePeering?: BgpReversePeering;
}

/** A Calico release as `[major, minor, patch]`. */
export type CalicoRelease = readonly [number, number, number];

/**
 * The Calico release that introduced each BGPPeer field, from the JSON field tags of every
 * release (libcalico-go ≤3.19, projectcalico/api 3.20–3.21, the calico monorepo since 3.22).
 */
export const BGP_PEER_FIELD_SINCE: Readonly<Record<keyof BgpPeerSpec, CalicoRelease>> = {
    node: [3, 0, 0],
    peerIP: [3, 0, 0],
    asNumber: [3, 0, 0],
    nodeSelector: [3, 3, 0],
    peerSelector: [3, 3, 0],
    keepOriginalNextHop: [3, 16, 0],
    password: [3, 16, 2],
    sourceAddress: [3, 18, 0],
    maxRestartTime: [3, 20, 0],
    numAllowedLocalASNumbers: [3, 23, 0],
    ttlSecurity: [3, 25, 0],
    reachableBy: [3, 25, 0],
    filters: [3, 26, 0],
    localWorkloadSelector: [3, 30, 0],
    nextHopMode: [3, 30, 2],
    reversePeering: [3, 30, 3],
    localASNumber: [3, 31, 0],
    keepaliveTime: [3, 32, 0],
};

/** Every field of {@link BgpPeerSpec}, in the order the renderer writes them. */
export const BGP_PEER_FIELDS = Object.keys(BGP_PEER_FIELD_SINCE) as readonly (keyof BgpPeerSpec)[];

/**
 * Fields that exist only in Calico Enterprise. Open-source CRDs prune them and calicoctl rejects
 * them, so the validator refuses them with that explanation.
 */
export const ENTERPRISE_ONLY_FIELDS: readonly string[] = ["failureDetectionMode", "restartMode", "birdGatewayMode", "extensions"];

/**
 * Parses `v3.30.2` or `3.30.2` into a release triple; undefined if it is neither. `3.30` (no patch)
 * stands for the newest 3.30.x, so only fields that no 3.30 release has are refused for it.
 */
export function parseCalicoRelease(text: string): CalicoRelease | undefined {
    const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
    if (!m) return undefined;
    return [Number(m[1]), Number(m[2]), m[3] === undefined ? Number.MAX_SAFE_INTEGER : Number(m[3])];
}

/** Orders two releases: negative if `a` is older than `b`. */
export function compareCalicoReleases(a: CalicoRelease, b: CalicoRelease): number {
    return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** `3.30.2`, or `3.30` for "any 3.30.x". */
export function formatCalicoRelease(r: CalicoRelease): string {
    return r[2] === Number.MAX_SAFE_INTEGER ? `${r[0]}.${r[1]}` : `${r[0]}.${r[1]}.${r[2]}`;
}
