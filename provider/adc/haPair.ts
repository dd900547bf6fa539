/**
 * Where an operation runs when the ADC is an HA pair given by both nodes: on whichever node is
 * primary now (each node's `show ha node` says), and afterwards a read of the other node, the
 * secondary, to verify that it shows what the primary holds. NetScaler documents that HA sync
 * copies the primary's nscli configuration; whether the vtysh (ZebOS) configuration follows is
 * not documented, so it is verified rather than assumed, and never written on the secondary.
 *
 * One connection per node, and the node that answered first stays connected while the other
 * works, so that no node is logged in to twice.
 */
import { AdcError, AdcNodeRoleError, openAdcSession, type NetScalerSession } from "../device";
import type { AdcConnection, AdcSession } from "../device/types";
import { withDeviceLock } from "./deviceLock";
import { withAdcSession } from "../device";
import { log } from "./providerSupport";

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

/** Whether a node may be the one to work on: anything but "this node of an HA pair is not its primary". */
async function mayBePrimary(session: AdcSession): Promise<boolean> {
    try {
        await session.ensureWritable();
        return true;
    } catch (e) {
        if (e instanceof AdcNodeRoleError) return !e.notPrimary;
        throw e;
    }
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
): Promise<{ readonly result: T; readonly secondary: SecondaryReport | null }> {
    const run = async () => {
        if (connection.pair === undefined) return { result: await withAdcSession(connection, (s) => work(s, connection)), secondary: null };
        return onPairPrimary(connection, work, readSecondary);
    };
    return locked ? withDeviceLock(connection, run) : run();
}

async function onPairPrimary<T>(
    connection: AdcConnection,
    work: (session: AdcSession, node: AdcConnection) => Promise<T>,
    readSecondary: ((secondary: AdcSession, result: T) => Promise<readonly string[]>) | undefined,
): Promise<{ readonly result: T; readonly secondary: SecondaryReport | null }> {
    const nodes = [nodeConnection(connection, 0), nodeConnection(connection, 1)] as const;
    const sessions: NetScalerSession[] = [];
    const open = async (i: 0 | 1): Promise<NetScalerSession> => {
        const s = await openAdcSession(nodes[i]);
        sessions.push(s);
        return s;
    };
    try {
        const first = await open(0);
        const firstIsPrimary = await mayBePrimary(first);
        let primary = 0 as 0 | 1;
        let result: T;
        let other: NetScalerSession | undefined;
        if (firstIsPrimary) {
            result = await work(first, nodes[0]);
            await closeSession(first);
        } else {
            const second = await open(1);
            if (!(await mayBePrimary(second))) {
                throw new AdcNodeRoleError(
                    `${nodes[0].host} and ${nodes[1].host}`,
                    "an HA pair without a primary",
                    "neither node of connection.nodes shows itself as the primary in `show ha node`",
                    "wait until the HA pair has settled (`show ha node` on either node shows one Primary), then run again",
                    true,
                );
            }
            primary = 1;
            result = await work(second, nodes[1]);
            await closeSession(second);
            other = first;
        }
        if (readSecondary === undefined) return { result, secondary: null };
        const node = nodes[primary === 0 ? 1 : 0];
        const differences = await checkSecondary(other ?? null, () => open(primary === 0 ? 1 : 0), nodes[primary].host, (s) => readSecondary(s, result));
        return { result, secondary: { host: node.host, port: node.port, differences } };
    } finally {
        for (const s of sessions) await closeSession(s);
    }
}

/**
 * What the secondary differs by. The primary's work is done by now and must be recorded, so a
 * secondary that cannot be reached or read is a difference to report, never a failure that
 * would lose what was applied.
 */
async function checkSecondary(
    held: NetScalerSession | null,
    open: () => Promise<NetScalerSession>,
    primaryHost: string,
    read: (secondary: AdcSession) => Promise<readonly string[]>,
): Promise<readonly string[]> {
    try {
        const secondary = held ?? (await open());
        // The node read as the secondary must be one: a second primary (or a standalone node) is not this pair's mirror.
        if (await mayBePrimary(secondary)) return [`(the node shows itself as primary or standalone in \`show ha node\`, not as the secondary of ${primaryHost})`];
        return await read(secondary);
    } catch (e) {
        const reason = (e instanceof Error ? e.message : String(e)).split("\n")[0];
        return [`(the secondary could not be read: ${reason})`];
    }
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
export const AFTER_SECONDARY_DIFFERENCE = "once the secondary shows the lines, `pulumi refresh` records it in sync";

/**
 * Reports a secondary that differs from the primary: a warning with the lines and what to run,
 * or, with `connection.failOnSecondaryDifference`, an error (the caller records the primary's
 * state with it). Returns the error to throw, if any.
 */
export function secondaryDifference(connection: AdcConnection, primaryHost: string, report: SecondaryReport | null): AdcError | undefined {
    if (report === null || report.differences.length === 0) return undefined;
    const items = report.differences.map((d) => `\n    - ${d}`).join("");
    const message = `the HA secondary ${where(report)} does not show the BGP configuration applied on the primary ${primaryHost}; it differs by:${items}`;
    const fix =
        `on the primary ${primaryHost}, run \`force ha sync\` (or \`sync ha files all\`), then \`pulumi refresh\`; whether the pair's sync carries the vtysh configuration depends on the ADC, ` +
        `and if the secondary still differs, its routing configuration must be applied when it is primary (after \`force ha failover\`, run \`pulumi up\` again)`;
    if (connection.failOnSecondaryDifference === true) {
        return new AdcError(primaryHost, message, `${fix}; or set connection.failOnSecondaryDifference: false to only warn`);
    }
    log(primaryHost, `warning: ${message}\n  fix: ${fix}`);
    return undefined;
}
