/**
 * One operation at a time per device, across every stack run from this machine: a lock file per
 * device in the temporary directory, taken before the device is read and released after it was
 * verified. Without it two stacks applying at once both read a device without neighbor X, both
 * add it and both record it as theirs. With it the second reads the device after the first has
 * finished, finds X, and fails with a conflict that changes nothing.
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

/** The device's identity: its host key (an HA pair's two, in order) when known, else the address it is reached at. */
function lockPath(connection: AdcConnection): string {
    const nodes = connection.pair ?? [connection];
    const id = nodes
        .map((n) => n.hostKeyFingerprint ?? `${n.host}:${n.port}`)
        .sort()
        .join(" ");
    return join(tmpdir(), `pulumi-calico-adc-${createHash("sha256").update(id).digest("hex").slice(0, 16)}.lock`);
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

/** Runs `fn` holding the device's lock; waits while another operation on this machine holds it. */
export async function withDeviceLock<T>(connection: AdcConnection, fn: () => Promise<T>): Promise<T> {
    const path = lockPath(connection);
    const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    const deadline = Date.now() + WAIT_MS;
    let handle: fs.FileHandle | null = null;
    while (handle === null) {
        try {
            handle = await fs.open(path, "wx");
            await handle.writeFile(JSON.stringify(me));
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
            const holder = await readHolder(path);
            // A lock left by a process that is gone (killed mid-operation) is taken over.
            if (holder && holder.host === me.host && !alive(holder.pid)) {
                await fs.rm(path, { force: true });
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
    try {
        return await fn();
    } finally {
        await handle.close();
        await fs.rm(path, { force: true });
    }
}
