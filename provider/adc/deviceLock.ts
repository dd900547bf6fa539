/**
 * One operation at a time per device, across every stack run from this machine: lock files in
 * the temporary directory (one per name the device is known by), taken before the device is read
 * and released after it was verified. Without them two stacks applying at once both read a
 * device without neighbor X, both add it and both record it as theirs. With them the second
 * reads the device after the first has finished, finds X, and fails with a conflict that changes
 * nothing.
 *
 * The NetScaler CLI offers no configuration lock of its own, so stacks run from different
 * machines at the same moment are not serialized by this (see the README).
 */
import { createHash } from "crypto";
import { promises as fs } from "fs";
import { hostname, tmpdir } from "os";
import { join } from "path";
import { AdcError } from "../device/errors";
import type { AdcConnection } from "../device/types";

/** How long to wait for another operation on the same device before giving up. */
const WAIT_MS = 10 * 60 * 1000;
const POLL_MS = 50;

interface Holder {
    readonly pid: number;
    readonly host: string;
    readonly since: string;
}

/**
 * One lock per name the device is known by: each node's host key when given, and each node's
 * address. A stack that pins the host key and one that does not (`insecureIgnoreHostKey`) both
 * hold the address's lock, so they too run one after the other; two stacks reaching one ADC at
 * two addresses (a NAT port) share its host key's. Sorted, so that every operation takes them in
 * the same order and two never wait on each other.
 */
function lockPaths(connection: AdcConnection): string[] {
    const nodes = connection.pair ?? [connection];
    const ids = new Set(nodes.flatMap((n) => [`${n.host}:${n.port}`, ...(n.hostKeyFingerprint !== undefined ? [n.hostKeyFingerprint] : [])]));
    return [...ids].map((id) => join(tmpdir(), `pulumi-calico-adc-${createHash("sha256").update(id).digest("hex").slice(0, 16)}.lock`)).sort();
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

async function readHolder(path: string): Promise<Holder | null> {
    try {
        return JSON.parse(await fs.readFile(path, "utf8")) as Holder;
    } catch {
        return null;
    }
}

/** Takes one lock file, waiting while another operation on this machine holds it. */
async function take(connection: AdcConnection, path: string, deadline: number): Promise<fs.FileHandle> {
    const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    for (;;) {
        try {
            const handle = await fs.open(path, "wx");
            await handle.writeFile(JSON.stringify(me));
            return handle;
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
            const holder = await readHolder(path);
            // A lock left by a process that is gone (killed mid-operation) is taken over.
            if (holder && holder.host === me.host && !alive(holder.pid)) {
                await removeLockFile(path);
                continue;
            }
            if (Date.now() > deadline) {
                throw new AdcError(
                    connection.host,
                    `another operation on this device has held ${path} since ${holder?.since ?? "an unknown time"} (process ${holder?.pid ?? "unknown"})`,
                    `wait for the other pulumi operation on this ADC to finish; if no such process runs, remove ${path}`,
                );
            }
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
    }
}

/** Removes a lock file that may be gone already. `unlink`, not `rm`: `rm` loads Node's recursive remover on its first call, on every operation's path. */
async function removeLockFile(path: string): Promise<void> {
    try {
        await fs.unlink(path);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
}

async function release(path: string, handle: fs.FileHandle): Promise<void> {
    await handle.close();
    await removeLockFile(path);
}

/** Runs `fn` holding the device's locks; waits while another operation on this machine holds one. */
export async function withDeviceLock<T>(connection: AdcConnection, fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + WAIT_MS;
    const held: { path: string; handle: fs.FileHandle }[] = [];
    try {
        for (const path of lockPaths(connection)) held.push({ path, handle: await take(connection, path, deadline) });
        return await fn();
    } finally {
        // Released together: once taken in order, no order is needed to let them go.
        await Promise.all(held.map(({ path, handle }) => release(path, handle)));
    }
}
