/**
 * Which node of which system a session reached, from nscli's own answers, and whether this
 * package may configure it. Pure: the dialogue reads the answers, this module reads them.
 *
 * Routing configuration belongs on one node only: the primary of an HA pair (the secondary
 * mirrors it, and configuration typed there is overwritten or lost at the next sync), the
 * cluster IP of a cluster (which propagates it to every node), and the default partition (the
 * only one where the package knows BGP to live). Where an answer does not say which case holds,
 * the node is not writable: a refusal the user can act on is better than a guess.
 */
import * as ipaddr from "ipaddr.js";

/** The answer of one nscli command: its output, or the `ERROR:` lines it printed instead. */
export interface NodeAnswer {
    readonly output: string;
    readonly failure?: string;
}

/** The commands whose answers describe the node, and what each is read for. */
export const NODE_COMMANDS = {
    /** The HA nodes: the self node (ID 0) and its peer, each with its address and master state. */
    ha: "show ha node",
    /** The cluster instance this node belongs to, if any. */
    cluster: "show cluster instance",
    /** The admin partitions configured (`Name: <p>` lines). */
    partitions: "show ns partition",
    /** The addresses the node owns, with their type (the cluster IP shows as `CLIP`). Read only on cluster nodes. */
    addresses: "show ns ip",
} as const;

/** One node of `show ha node`. */
export interface HaNode {
    readonly id: number;
    /** The node's NSIP as printed, or null when the block shows none. */
    readonly address: string | null;
    /** `Primary`, `Secondary`, `Claiming`, ... as printed, or null when the block shows none. */
    readonly masterState: string | null;
}

/** `show ha node` read: every node block, or why the answer cannot be read with certainty. */
export type HaReading = { readonly ok: true; readonly nodes: readonly HaNode[] } | { readonly ok: false; readonly reason: string };

/** `show cluster instance` read. */
export type ClusterReading =
    | { readonly ok: true; readonly member: false }
    | { readonly ok: true; readonly member: true; readonly clusterId: number }
    | { readonly ok: false; readonly reason: string };

/** `show ns partition` read: the names of the partitions other than `default`. */
export type PartitionsReading = { readonly ok: true; readonly others: readonly string[] } | { readonly ok: false; readonly reason: string };

/** What the session knows about the node it reached. */
export interface NodeFacts {
    readonly ha: HaReading;
    readonly cluster: ClusterReading;
    readonly partitions: PartitionsReading;
    /** The nscli prompt as the device printed it at login (e.g. `>`, `Partition-Eng>`), trailing blanks removed. */
    readonly prompt: string;
}

/** The answer of a firmware that does not have the command at all (which then has no such feature). */
const NO_SUCH_COMMAND = /^ERROR:\s*No such command/i;
/** A node block opens with `N)  Node ID: X` (the `N)` is absent when one node is shown). */
const NODE_ID = /^\s*(?:\d+\)\s*)?Node ID:\s*(\d+)\s*$/i;
const NODE_IP = /^\s*IP:\s*(\S+)/i;
const MASTER_STATE = /^\s*Master State:\s*(.*?)\s*$/i;

function lines(output: string): string[] {
    return output.split(/\r?\n/).filter((l) => l.trim() !== "");
}

/**
 * Reads `show ha node`. The self node is always ID 0 (command reference: "For self node, it
 * will always be 0"); each block names its IP (`IP:  10.1.1.11 (hostname)`) and master state.
 */
export function parseHaNode(answer: NodeAnswer): HaReading {
    if (answer.failure !== undefined) return { ok: false, reason: `\`${NODE_COMMANDS.ha}\` answered ${JSON.stringify(answer.failure)}` };
    const nodes: { id: number; address: string | null; masterState: string | null }[] = [];
    for (const line of lines(answer.output)) {
        const id = NODE_ID.exec(line);
        if (id) {
            nodes.push({ id: Number(id[1]), address: null, masterState: null });
            continue;
        }
        const current = nodes[nodes.length - 1];
        if (!current) continue;
        const ip = NODE_IP.exec(line);
        if (ip && current.address === null) current.address = ip[1]!;
        const state = MASTER_STATE.exec(line);
        if (state && current.masterState === null) current.masterState = state[1]!;
    }
    if (nodes.length === 0) return { ok: false, reason: `\`${NODE_COMMANDS.ha}\` shows no "Node ID:" block` };
    const ids = new Set(nodes.map((n) => n.id));
    if (ids.size !== nodes.length) return { ok: false, reason: `\`${NODE_COMMANDS.ha}\` shows the same node ID twice` };
    return { ok: true, nodes };
}

/** Reads `show cluster instance`: nothing shown means no cluster, a `Cluster ID:` line a member. */
export function parseClusterInstance(answer: NodeAnswer): ClusterReading {
    if (answer.failure !== undefined) {
        if (NO_SUCH_COMMAND.test(answer.failure)) return { ok: true, member: false };
        return { ok: false, reason: `\`${NODE_COMMANDS.cluster}\` answered ${JSON.stringify(answer.failure)}` };
    }
    const shown = lines(answer.output);
    if (shown.length === 0) return { ok: true, member: false };
    for (const line of shown) {
        const id = /^\s*(?:\d+\)\s*)?Cluster ID:\s*(\d+)\s*$/i.exec(line);
        if (id) return { ok: true, member: true, clusterId: Number(id[1]) };
    }
    return { ok: false, reason: `\`${NODE_COMMANDS.cluster}\` shows output without a "Cluster ID:" line` };
}

/** Reads `show ns partition`: the `Name: <p>` lines (Oxidized walks partitions by them). */
export function parsePartitions(answer: NodeAnswer): PartitionsReading {
    if (answer.failure !== undefined) {
        if (NO_SUCH_COMMAND.test(answer.failure)) return { ok: true, others: [] };
        return { ok: false, reason: `\`${NODE_COMMANDS.partitions}\` answered ${JSON.stringify(answer.failure)}` };
    }
    const others: string[] = [];
    for (const line of lines(answer.output)) {
        const name = /^\s*(?:\d+\)\s*)?(?:Partition )?Name:\s*(\S+)\s*$/i.exec(line);
        if (name && name[1] !== "default") others.push(name[1]!);
    }
    return { ok: true, others };
}

/** The addresses of type `CLIP` in `show ns ip`. */
export function parseClusterIps(answer: NodeAnswer): readonly string[] {
    if (answer.failure !== undefined) return [];
    const out: string[] = [];
    for (const line of lines(answer.output)) {
        const cols = line.trim().split(/\s{2,}|\t+/);
        const address = cols.find((c) => ipaddr.isValid(c.replace(/^\d+\)\s*/, "")));
        if (address !== undefined && cols.some((c) => c.toUpperCase() === "CLIP")) out.push(address.replace(/^\d+\)\s*/, ""));
    }
    return out;
}

/** Whether the session may configure the node, and what the node is, for the log. */
export type WriteDecision =
    | { readonly ok: true; readonly node: string }
    | {
          readonly ok: false;
          /** What the node is, for the log of a read. */
          readonly node: string;
          /** Why configuration is refused here. */
          readonly reason: string;
          /** What to change: true on the device, never a guess. */
          readonly fix: string;
          /** Whether reading the cluster IPs (`show ns ip`) could still make the node writable. */
          readonly needsClusterIps?: boolean;
          /** Whether the refusal is only that this node of an HA pair is not the primary (the other node may be). */
          readonly notPrimary?: boolean;
      };

function sameAddress(a: string, b: string): boolean {
    try {
        return ipaddr.process(a).toNormalizedString() === ipaddr.process(b).toNormalizedString();
    } catch {
        return false;
    }
}

/**
 * The decision: configure only the primary (or a standalone node), through the cluster IP of a
 * cluster, in the default partition. `host` is `connection.host`; `clusterIps` the `CLIP`
 * addresses once read (undefined before).
 */
export function decideWrite(facts: NodeFacts, host: string, clusterIps?: readonly string[]): WriteDecision {
    const ha = haDecision(facts.ha);
    if (!ha.ok) return ha;
    const cluster = clusterDecision(facts.cluster, host, clusterIps);
    if (!cluster.ok) return { ...cluster, node: `${cluster.node}, ${ha.node}` };
    const partition = partitionDecision(facts.partitions, facts.prompt);
    if (!partition.ok) return { ...partition, node: `${ha.node}, ${partition.node}` };
    return { ok: true, node: [ha.node, cluster.node].filter((s) => s !== "").join(", ") };
}

const NOT_READ_FIX = "check that the account may run it; the package configures only a node whose role it can read";

function haDecision(reading: HaReading): WriteDecision {
    if (!reading.ok) {
        return { ok: false, node: "a node whose HA state is unknown", reason: `the HA state of this node cannot be read with certainty: ${reading.reason}`, fix: `run \`${NODE_COMMANDS.ha}\` on the ADC and ${NOT_READ_FIX}` };
    }
    const self = reading.nodes.find((n) => n.id === 0);
    const peers = reading.nodes.filter((n) => n.id !== 0);
    if (!self || self.masterState === null) {
        return { ok: false, node: "a node whose HA state is unknown", reason: `\`${NODE_COMMANDS.ha}\` does not show the master state of the self node (ID 0)`, fix: `run \`${NODE_COMMANDS.ha}\` on the ADC and ${NOT_READ_FIX}` };
    }
    const state = self.masterState.toLowerCase();
    const primaries = peers.filter((n) => n.masterState?.toLowerCase() === "primary" && n.address !== null);
    const pointAt = "point `connection.host` at the primary node or at the HA pair's shared management address";
    if (peers.length === 0 && state === "primary") return { ok: true, node: "a standalone node" };
    if (state === "primary") {
        if (primaries.length > 0) {
            return {
                ok: false,
                node: "a primary node whose peer also claims to be primary",
                reason: `both nodes of the HA pair show Master State Primary (this node and ${primaries.map((p) => p.address).join(", ")}): a split brain`,
                fix: "restore the HA heartbeat between the nodes (`show ha node` must show one Primary and one Secondary), then run again",
            };
        }
        return { ok: true, node: `the primary node of an HA pair (peer ${peers.map((p) => p.address ?? `node ${p.id}`).join(", ")})` };
    }
    const primary = primaries.length === 1 ? primaries[0]!.address : null;
    const where = primary !== null ? ` (the primary is ${primary})` : "";
    const node = `${state === "secondary" ? "the secondary node of an HA pair" : `a node in HA state ${self.masterState}`}${where}`;
    return {
        ok: false,
        node,
        notPrimary: true,
        reason: `this is ${node}; routing configuration is applied on the primary only`,
        fix: primary !== null ? `point \`connection.host\` at the primary, ${primary} (or at the HA pair's shared management address)` : `${pointAt} (\`${NODE_COMMANDS.ha}\` here names no primary)`,
    };
}

function clusterDecision(reading: ClusterReading, host: string, clusterIps: readonly string[] | undefined): WriteDecision {
    if (!reading.ok) {
        return { ok: false, node: "a node whose cluster membership is unknown", reason: `whether this node belongs to a cluster cannot be read with certainty: ${reading.reason}`, fix: `run \`${NODE_COMMANDS.cluster}\` on the ADC and ${NOT_READ_FIX}` };
    }
    if (!reading.member) return { ok: true, node: "" };
    const node = `a node of cluster ${reading.clusterId}`;
    if (clusterIps === undefined) return { ok: false, node, reason: `this is ${node}`, fix: "", needsClusterIps: true };
    if (clusterIps.some((clip) => sameAddress(clip, host))) return { ok: true, node: `the cluster IP of cluster ${reading.clusterId}` };
    const clip = clusterIps.length > 0 ? clusterIps.join(", ") : null;
    const reason = ipaddr.isValid(host)
        ? `this is ${node} reached on its own address ${host}, not on the cluster IP; a cluster takes routing configuration only through its cluster IP`
        : `this is ${node} and connection.host ${host} is a name, so whether it is the cluster IP cannot be told; a cluster takes routing configuration only through its cluster IP`;
    return {
        ok: false,
        node: `${node} reached on ${host}`,
        reason,
        fix: clip !== null ? `set \`connection.host\` to the cluster IP: ${clip}` : "set `connection.host` to the cluster IP (`show ns ip` on the configuration coordinator lists it with type CLIP)",
    };
}

function partitionDecision(reading: PartitionsReading, prompt: string): WriteDecision {
    if (!reading.ok) {
        return { ok: false, node: "a session whose admin partition is unknown", reason: `which admin partition this session is in cannot be read with certainty: ${reading.reason}`, fix: `run \`${NODE_COMMANDS.partitions}\` on the ADC and ${NOT_READ_FIX}` };
    }
    if (reading.others.length === 0) return { ok: true, node: "" };
    // With partitions configured, nscli shows the partition's name in the prompt (`p1> `); the
    // default partition keeps the plain `>`.
    const shown = /^(.*?)>$/.exec(prompt.trim())?.[1] ?? null;
    if (shown === "" || shown === "default") return { ok: true, node: "" };
    const partition = shown !== null && reading.others.includes(shown) ? shown : null;
    return {
        ok: false,
        node: partition !== null ? `admin partition ${partition}` : `a session whose admin partition is unknown (prompt ${JSON.stringify(prompt)})`,
        reason:
            partition !== null
                ? `the session is in admin partition ${partition}; BGP is configured only in the default partition`
                : `the ADC has admin partitions (${reading.others.join(", ")}) and the prompt ${JSON.stringify(prompt)} does not show the default partition`,
        fix:
            partition !== null
                ? "log in with an account whose session starts in the default partition, then run again"
                : "log in with an account in the default partition and the default CLI prompt (`clear cli prompt`), then run again",
    };
}
