/**
 * Where an operation runs when the ADC is an HA pair given by both nodes: on whichever node is
 * primary now (each node's `show ha node` says), and afterwards a read of the other node, the
 * secondary, to verify that it shows what the primary holds. NetScaler documents that HA sync
 * copies the primary's nscli configuration; whether the vtysh (ZebOS) configuration follows is
 * not documented, so it is verified rather than assumed, and never written on the secondary.
 *
 * Both nodes are reached and their roles read before anything is written, in parallel: a node
 * that cannot be reached leaves the work to the other if it is primary (the old primary died),
 * and two nodes that both claim to be primary (a split brain) are refused before a line is sent.
 * One connection per node: the secondary is read afterwards on the connection that found it.
 */
import { AdcConnectionError, AdcError, AdcNodeRoleError, NetScalerSession, openAdcSession } from "../device";
import type { AdcConnection, AdcSession } from "../device/types";
import { withDeviceLock } from "./deviceLock";
import { withAdcSession } from "../device";
import { log } from "./providerSupport";
import { partialFailure } from "./partialFailure";

/** What the secondary of a pair showed after the operation. */
export interface SecondaryReport {
    readonly host: string;
    readonly port: number;
    /** What it lacks or holds beyond the primary, as the lines that would make it equal (secrets redacted); empty when in sync. */
    readonly differences: readonly string[];
}

/** The connection to node `i` of a pair: that node's address, either pinned key accepted there. */
export function nodeConnection(connection: AdcConnection, i: 0 | 1): AdcConnection {
    const node = connection.pair![i];
    const { hostKeyFingerprint: _first, ...rest } = connection;
    return { ...rest, host: node.host, port: node.port, ...(node.hostKeyFingerprint !== undefined ? { hostKeyFingerprint: node.hostKeyFingerprint } : {}) };
}

/**
 * What a node's `show ha node` (and the rest of the write check) makes it: the primary (or a
 * standalone node) that may be written, the secondary, or a node refused for another reason
 * (a cluster node, another partition, an HA state that cannot be read).
 */
type NodeRole =
    | { readonly kind: "writable"; readonly node: string }
    | { readonly kind: "not-primary"; readonly refusal: AdcNodeRoleError }
    | { readonly kind: "refused"; readonly refusal: AdcNodeRoleError };

async function nodeRole(session: AdcSession): Promise<NodeRole> {
    try {
        return { kind: "writable", node: await session.ensureWritable() };
    } catch (e) {
        if (e instanceof AdcNodeRoleError) return e.notPrimary ? { kind: "not-primary", refusal: e } : { kind: "refused", refusal: e };
        throw e;
    }
}

/**
 * Whether opening a node failed only because it cannot be reached now (refused, reset, timed
 * out), as a node that is down fails: the pair may go on with the other node. A host key
 * neither node was pinned to, a refused login or a handshake the client cannot do are no such
 * failure: they stop the operation before anything is sent.
 */
function unreachable(e: unknown): e is AdcConnectionError {
    return e instanceof AdcConnectionError && e.transient;
}

/** The first line of an error's message, for a list naming several. */
function firstLine(e: unknown): string {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
}

/** What {@link onPrimary} did: `work`'s result, the secondary's check (null for one node), and the host `work` ran on. */
export interface OnPrimary<T> {
    readonly result: T;
    readonly secondary: SecondaryReport | null;
    readonly host: string;
}

/**
 * Runs `work` on the primary (on the only node, when the connection is not a pair) and, for a
 * pair, `readSecondary` on the other node afterwards. `locked` takes the device's lock around
 * both, for operations that change the device. `work` gets the connection of the node it runs
 * on, for a reconnection after a failure.
 */
export async function onPrimary<T>(
    connection: AdcConnection,
    locked: boolean,
    work: (session: AdcSession, node: AdcConnection) => Promise<T>,
    readSecondary?: (secondary: AdcSession, result: T) => Promise<readonly string[]>,
): Promise<OnPrimary<T>> {
    const run = async () => {
        if (connection.pair === undefined) return { result: await withAdcSession(connection, (s) => work(s, connection)), secondary: null, host: connection.host };
        return onPairPrimary(connection, work, readSecondary);
    };
    return locked ? withDeviceLock(connection, run) : run();
}

async function onPairPrimary<T>(
    connection: AdcConnection,
    work: (session: AdcSession, node: AdcConnection) => Promise<T>,
    readSecondary: ((secondary: AdcSession, result: T) => Promise<readonly string[]>) | undefined,
): Promise<OnPrimary<T>> {
    const nodes = [nodeConnection(connection, 0), nodeConnection(connection, 1)] as const;
    const sessions: NetScalerSession[] = [];
    try {
        // Both nodes at once, and both roles before anything is written: a node that is down is
        // no reason to fail when the other is primary, and two nodes that both claim the pair
        // (a split brain) must be refused before a line goes to either. In parallel, so that
        // the check of the other node costs no round trip of its own.
        const opened = await Promise.allSettled(
            nodes.map(async (node) => {
                const s = await openAdcSession(node);
                sessions.push(s);
                return s;
            }),
        );
        for (const o of opened) if (o.status === "rejected" && !unreachable(o.reason)) throw o.reason;
        const reached = opened.map((o) => (o.status === "fulfilled" ? o.value : null));
        const roles = await Promise.all(reached.map((s) => (s === null ? null : nodeRole(s))));
        const primary = pairPrimary(nodes, opened.map((o) => (o.status === "rejected" ? (o.reason as AdcConnectionError) : null)), roles);
        const other = primary === 0 ? 1 : 0;
        const result = await work(reached[primary]!, nodes[primary]);
        await closeSession(reached[primary]!);
        const host = nodes[primary].host;
        if (readSecondary === undefined) return { result, secondary: null, host };
        const held = opened[other]!;
        const differences = await checkSecondary(held.status === "fulfilled" ? held.value : held.reason, (s) => readSecondary(s, result));
        return { result, secondary: { host: nodes[other].host, port: nodes[other].port, differences }, host };
    } finally {
        for (const s of sessions) await closeSession(s);
    }
}

/**
 * Which node of the pair to work on, from what each node was found to be (`null` for one that
 * could not be reached, with its error in `unreached`); throws, before anything is sent, when
 * no single node may be written.
 */
function pairPrimary(
    nodes: readonly [AdcConnection, AdcConnection],
    unreached: readonly (AdcConnectionError | null)[],
    roles: readonly (NodeRole | null)[],
): 0 | 1 {
    const both = `${where(nodes[0])} and ${where(nodes[1])}`;
    const [a, b] = roles;
    if (a === null && b === null) {
        const reasons = nodes.map((n, i) => `\n    - ${where(n)}: ${firstLine(unreached[i]).replace(`${n.host}: `, "")}`).join("");
        throw new AdcConnectionError(
            both,
            `neither node of connection.nodes can be reached; nothing was sent:${reasons}`,
            `check that at least the pair's primary answers SSH at its connection.nodes[i].host and port: ${[...new Set(unreached.map((e) => e!.fix))].join("; ")}`,
            true,
        );
    }
    // A node refused for its own reason (a cluster node, another partition, an HA state that
    // cannot be read) may be anything, a second primary included: its refusal stands.
    for (const r of roles) if (r?.kind === "refused") throw r.refusal;
    if (a?.kind === "writable" && b?.kind === "writable") {
        throw new AdcNodeRoleError(
            both,
            "an HA pair with two primaries",
            `both nodes of connection.nodes may be written: ${where(nodes[0])} shows itself as ${a.node} and ${where(nodes[1])} as ${b.node} in \`show ha node\` (a split brain, or two nodes that are not one pair)`,
            "restore the HA heartbeat between the nodes until `show ha node` shows one Primary and one Secondary (or give connection.nodes the two nodes of one pair), then run again",
        );
    }
    if (a?.kind === "writable") return 0;
    if (b?.kind === "writable") return 1;
    if (a === null || b === null) {
        const down = a === null ? 0 : 1;
        const up = roles[1 - down] as Extract<NodeRole, { kind: "not-primary" }>;
        throw new AdcNodeRoleError(
            both,
            "an HA pair whose reachable node is not the primary",
            `${where(nodes[1 - down]!)} shows itself as ${up.refusal.node} in \`show ha node\`, and ${where(nodes[down])} cannot be reached (${firstLine(unreached[down]).replace(`${nodes[down].host}: `, "")})`,
            `bring back SSH access to ${where(nodes[down])}, or wait until ${where(nodes[1 - down]!)} has taken over as primary (\`show ha node\`), then run again`,
            true,
        );
    }
    throw new AdcNodeRoleError(
        both,
        "an HA pair without a primary",
        "neither node of connection.nodes shows itself as the primary in `show ha node`",
        "wait until the HA pair has settled (`show ha node` on either node shows one Primary), then run again",
        true,
    );
}

/**
 * What the secondary differs by. The primary's work is done by now and must be recorded, so a
 * secondary that could not be reached (`held` is then the error, not a session) or read is a difference to report,
 * never a failure that would lose what was applied.
 */
async function checkSecondary(held: unknown, read: (secondary: AdcSession) => Promise<readonly string[]>): Promise<readonly string[]> {
    try {
        if (!(held instanceof NetScalerSession)) throw held;
        return await read(held);
    } catch (e) {
        return [`(the secondary could not be read: ${firstLine(e)})`];
    }
}

/**
 * A create or update on the primary: `work` there, then (for a pair) `readSecondary` on the other
 * node. The outputs carry what the secondary showed; a secondary that differs is a warning, or,
 * with `connection.failOnSecondaryDifference`, a partial failure that still records what the
 * primary took.
 */
export async function applyOnPrimary<T extends object>(
    connection: AdcConnection,
    id: string,
    inputs: Record<string, unknown>,
    work: (session: AdcSession, node: AdcConnection) => Promise<T>,
    readSecondary: (secondary: AdcSession, result: T) => Promise<readonly string[]>,
): Promise<T> {
    const done = await onPrimary(connection, true, work, readSecondary);
    const primaryHost = done.host;
    const outs = withSecondary(done.result, done.secondary);
    const failed = secondaryDifference(connection, primaryHost, done.secondary);
    if (failed) throw partialFailure(failed, id, { ...outs } as Record<string, unknown>, inputs, AFTER_SECONDARY_DIFFERENCE);
    return outs;
}

/** Closes a session once (closing twice is harmless). */
async function closeSession(session: NetScalerSession): Promise<void> {
    await session.close();
}

/** Outputs with what the secondary of a pair showed (unchanged for a single node). */
export function withSecondary<T extends object>(outs: T, secondary: SecondaryReport | null): T {
    if (secondary === null) return outs;
    return { ...outs, secondaryInSync: secondary.differences.length === 0, secondary };
}

/** A node as the user knows it: its address, and its port when not SSH's own. */
function where(node: { readonly host: string; readonly port: number }): string {
    return node.port === 22 ? node.host : `${node.host} port ${node.port}`;
}

/** What follows a recorded failure for a secondary that differs: another `up` alone does not change the secondary. */
const AFTER_SECONDARY_DIFFERENCE = "once the secondary shows the lines, `pulumi refresh` records it in sync";

/** What a secondary that differs is told as: the lines it differs by, and what to run on the primary. */
function differenceMessage(primaryHost: string, report: SecondaryReport, primaryDid: "applied on" | "held by"): { message: string; fix: string } {
    const items = report.differences.map((d) => `\n    - ${d}`).join("");
    return {
        message: `the HA secondary ${where(report)} does not show the BGP configuration ${primaryDid} the primary ${primaryHost}; it differs by:${items}`,
        fix:
            `on the primary ${primaryHost}, run \`force ha sync\` (or \`sync ha files all\`), then \`pulumi refresh\`; whether the pair's sync carries the vtysh configuration depends on the ADC, ` +
            `and if the secondary still differs, its routing configuration must be applied when it is primary (after \`force ha failover\`, run \`pulumi up\` again)`,
    };
}

/**
 * Reports a secondary that differs from the primary: a warning with the lines and what to run,
 * or, with `connection.failOnSecondaryDifference`, an error (the caller records the primary's
 * state with it). Returns the error to throw, if any.
 */
function secondaryDifference(connection: AdcConnection, primaryHost: string, report: SecondaryReport | null): AdcError | undefined {
    if (report === null || report.differences.length === 0) return undefined;
    const { message, fix } = differenceMessage(primaryHost, report, "applied on");
    if (connection.failOnSecondaryDifference === true) {
        return new AdcError(primaryHost, message, `${fix}; or set connection.failOnSecondaryDifference: false to only warn`);
    }
    log(primaryHost, `warning: ${message}\n  fix: ${fix}`);
    return undefined;
}

/**
 * A read (`pulumi refresh`) on the primary: `work` there, then (for a pair) `readSecondary` on
 * the other node. The outputs carry what the secondary showed, and a secondary that differs is
 * a warning naming the lines and what to run: the drift itself (`secondaryInSync: false`) is
 * for the diff, the warning for the person who ran refresh. Never an error, whatever
 * `failOnSecondaryDifference` says: a refresh records what is there.
 */
export async function readOnPrimary<O extends object, R extends { readonly outs: O }>(
    connection: AdcConnection,
    work: (session: AdcSession) => Promise<R>,
    readSecondary: (secondary: AdcSession) => Promise<readonly string[]>,
): Promise<R> {
    const done = await onPrimary(connection, false, (session) => work(session), readSecondary);
    const primaryHost = done.host;
    if (done.secondary !== null && done.secondary.differences.length > 0) {
        const { message, fix } = differenceMessage(primaryHost, done.secondary, "held by");
        log(primaryHost, `warning: ${message}\n  fix: ${fix}`);
    }
    return { ...done.result, outs: withSecondary(done.result.outs, done.secondary) };
}
