/**
 * Which node of which system the simulated appliance is: its HA role and peer, its cluster
 * membership and cluster IP, and the admin partition sessions land in. Set by options and
 * changed while running (a failover swaps the roles), printed in the device's own formats.
 */

/** The HA role of the node: alone, or one side of an HA pair. */
export type HaRole = "standalone" | "primary" | "secondary";

/** The node as a test describes it. */
export interface NodeOptions {
    /** Default `standalone`. */
    readonly role?: HaRole;
    /** The other node's NSIP, shown as HA node 1 when `role` is `primary` or `secondary`. Default `10.102.33.209`. */
    readonly peerAddress?: string;
    /** Membership of a NetScaler cluster: its ID and cluster IP (shown in `show ns ip` as `CLIP`). Default: none. */
    readonly cluster?: { readonly id: number; readonly clusterIp: string } | null;
    /** Admin partitions besides `default`. Default none. */
    readonly partitions?: readonly string[];
    /** The partition sessions land in. Default `default`. */
    readonly partition?: string;
    /**
     * Whether nscli's prompt shows a non-default partition's name (`p1> `, unconfirmed). Default
     * true; false keeps the plain prompt, a device the client cannot place.
     */
    readonly partitionInPrompt?: boolean;
    /** What `show ha node` answers instead of the node blocks, e.g. `ERROR: Not authorized` (a device whose state cannot be read). */
    readonly haNodeReply?: string | null;
}

/** The node's state, mutable while the simulator runs. */
export interface NodeState {
    role: HaRole;
    peerAddress: string;
    cluster: { readonly id: number; readonly clusterIp: string } | null;
    partitions: string[];
    partition: string;
    partitionInPrompt: boolean;
    haNodeReply: string | null;
    /** When the node took its present HA role (ms since the epoch), for `show ha node`. */
    masterStateSince: number;
}

/** The node `options` describe, defaults filled in. */
export function nodeState(options: NodeOptions = {}): NodeState {
    const state: NodeState = {
        role: "standalone",
        peerAddress: "10.102.33.209",
        cluster: null,
        partitions: [],
        partition: "default",
        partitionInPrompt: true,
        haNodeReply: null,
        masterStateSince: Date.now(),
    };
    return updateNode(state, options);
}

/** Applies the given fields of `options` to `state` (checked: a partition must exist). */
export function updateNode(state: NodeState, options: NodeOptions): NodeState {
    if (options.role !== undefined && options.role !== state.role) {
        state.role = options.role;
        state.masterStateSince = Date.now();
    }
    if (options.peerAddress !== undefined) state.peerAddress = options.peerAddress;
    if (options.cluster !== undefined) state.cluster = options.cluster;
    if (options.partitions !== undefined) state.partitions = [...options.partitions];
    if (options.partition !== undefined) state.partition = options.partition;
    if (options.partitionInPrompt !== undefined) state.partitionInPrompt = options.partitionInPrompt;
    if (options.haNodeReply !== undefined) state.haNodeReply = options.haNodeReply;
    if (state.partition !== "default" && !state.partitions.includes(state.partition)) {
        throw new Error(`node.partition "${state.partition}" is not among node.partitions (${state.partitions.join(", ") || "none"})`);
    }
    return state;
}

/** Swaps the roles of an HA pair, as `force ha failover` does. A standalone node stays as it is. */
export function failover(state: NodeState): void {
    if (state.role === "standalone") return;
    state.role = state.role === "primary" ? "secondary" : "primary";
    state.masterStateSince = Date.now();
}

/** The nscli prompt (without its trailing space) for a session in the node's partition. */
export function nscliPrompt(state: NodeState, configured: string): string {
    return state.partition !== "default" && state.partitionInPrompt ? `${state.partition}>` : configured;
}

/** One block of `show ha node`, in the layout of the real samples. */
function haBlock(index: number, id: number, address: string, hostname: string | null, master: string, since: number | null): string[] {
    const head = [
        `${`${index})`.padEnd(8)}Node ID:      ${id}`,
        `        IP:   ${address}${hostname !== null ? ` (${hostname})` : ""}`,
        "        Node State: UP",
        `        Master State: ${master}`,
    ];
    if (since === null) return [...head, "        Sync State: SUCCESS"];
    return [
        ...head,
        "        Fail-Safe Mode: OFF",
        "        INC State: DISABLED",
        "        Sync State: ENABLED",
        "        Propagation: ENABLED",
        "        Enabled Interfaces : 0/1",
        "        Disabled Interfaces : None",
        "        HA MON ON Interfaces : None",
        "        Interfaces on which heartbeats are not seen : None",
        "        Interfaces causing Partial Failure: None",
        "        SSL Card Status: NOT PRESENT",
        "        Hello Interval: 200 msecs",
        "        Dead Interval: 3 secs",
        `        Node in this Master State for: ${elapsed(Date.now() - since)} (days:hrs:min:sec)`,
    ];
}

/** `0:0:12:5`: days, hours, minutes and seconds, unpadded, as `show ha node` prints them. */
function elapsed(ms: number): string {
    const s = Math.max(0, Math.floor(ms / 1000));
    return [Math.floor(s / 86400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60].join(":");
}

/** `show ha node`: the self node is ID 0; a pair also shows its peer as ID 1. */
export function renderHaNode(state: NodeState, selfAddress: string, hostname: string): string[] {
    const self = haBlock(1, 0, selfAddress, hostname, state.role === "secondary" ? "Secondary" : "Primary", state.masterStateSince);
    if (state.role === "standalone") return self;
    return [...self, "", ...haBlock(2, 1, state.peerAddress, null, state.role === "secondary" ? "Primary" : "Secondary", null)];
}

/** `show cluster instance`: nothing outside a cluster (assumed); the instance with this node as member inside one. */
export function renderClusterInstance(state: NodeState, selfAddress: string): string[] {
    if (state.cluster === null) return [];
    const cols = (c: readonly string[]) => `        ${c[0]!.padEnd(8)}${c[1]!.padEnd(16)}${c[2]!.padEnd(24)}${c[3]!.padEnd(8)}${c[4]!.padEnd(16)}${c[5]}`;
    return [
        `1)      Cluster ID: ${state.cluster.id}`,
        "        Dead Interval: 3 secs",
        "        Hello Interval: 200 msecs",
        "        Preemption: DISABLED",
        "        Propagation: ENABLED",
        "        Quorum Type: MAJORITY",
        "        Cluster Status: ENABLED(admin), ENABLED(operational), UP",
        "        Member Nodes:",
        cols(["", "Node ID", "Node IP", "Health", "Admin State", "Operational State"]),
        cols(["", "-------", "-------", "------", "-----------", "-----------------"]),
        cols(["1)", "0", `${selfAddress}*`, "UP", "ACTIVE", "ACTIVE(Configuration Coordinator)"]),
    ];
}

/** `show ns partition`: one `Name:` block per partition, `default` first, when any is configured. */
export function renderPartitions(state: NodeState): string[] {
    if (state.partitions.length === 0) return [];
    return ["default", ...state.partitions].flatMap((name, i) => [`${`${i + 1})`.padEnd(8)}Name: ${name}`, `        Partition ID: ${i}`]);
}
