/**
 * Where labs record themselves, and the cleaner for labs whose owner died (a killed test run, a
 * crashed CI job). Lab state lives under /run like the namespaces themselves (/run/netns), so a
 * reboot clears both together.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { deleteNamespace, labIdOfNamespace, listNamespaces, LAB_PREFIX } from "./netns";

export function labRoot(): string {
    return process.env["PCALAB_DIR"] ?? "/run/pulumi-calico-adc-lab";
}

export interface LabRecord {
    id: string;
    ownerPid: number;
    /** Start time of the owner (field 22 of /proc/<pid>/stat), so a recycled pid is not taken for the owner. */
    ownerStart: string;
    /** Started by hand (`scripts/lab.sh start`): only `lab.sh stop`/`clean --all` remove it. */
    persistent: boolean;
    createdAt: string;
    /** What the lab runs, for `lab.sh status` and for tools that attach to it. */
    topology?: unknown;
}

function processStart(pid: number): string | undefined {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        // comm may contain spaces and parentheses: fields count from the last ')'.
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    } catch {
        return undefined;
    }
}

export function labDir(id: string): string {
    return path.join(labRoot(), id);
}

/** Creates the lab's directory and record before any namespace exists, so the cleaner never sees an unowned lab. */
export function registerLab(id: string, persistent: boolean): LabRecord {
    mkdirSync(labRoot(), { recursive: true });
    // The FRR daemons run as user frr and must reach their sockets below this directory.
    chmodSync(labRoot(), 0o755);
    const dir = labDir(id);
    mkdirSync(dir, { recursive: false, mode: 0o755 });
    chmodSync(dir, 0o755);
    const record: LabRecord = {
        id,
        ownerPid: process.pid,
        ownerStart: processStart(process.pid) ?? "",
        persistent,
        createdAt: new Date().toISOString(),
    };
    writeRecord(record);
    return record;
}

export function writeRecord(record: LabRecord): void {
    writeFileSync(path.join(labDir(record.id), "lab.json"), JSON.stringify(record, null, 2) + "\n");
}

export function readRecord(id: string): LabRecord | undefined {
    try {
        return JSON.parse(readFileSync(path.join(labDir(id), "lab.json"), "utf8")) as LabRecord;
    } catch {
        return undefined;
    }
}

export function listLabIds(): string[] {
    try {
        return readdirSync(labRoot()).filter((n) => /^[0-9a-z]+$/.test(n));
    } catch {
        return [];
    }
}

function ageMs(p: string): number {
    try {
        return Date.now() - statSync(p).mtimeMs;
    } catch {
        return Infinity;
    }
}

export function ownerAlive(record: LabRecord): boolean {
    return processStart(record.ownerPid) === record.ownerStart && record.ownerStart !== "";
}

/** Removes everything a lab made: its namespaces (and every process in them), then its directory. */
export async function destroyLab(id: string): Promise<void> {
    const prefix = `${LAB_PREFIX}-${id}-`;
    const namespaces = (await listNamespaces()).filter((n) => n.startsWith(prefix));
    // Nodes and the ADC first, the bridge last: a daemon never outlives its link.
    namespaces.sort((a, b) => Number(a.endsWith("-br")) - Number(b.endsWith("-br")));
    for (const ns of namespaces) await deleteNamespace(ns);
    rmSync(labDir(id), { recursive: true, force: true });
}

/**
 * Removes labs nobody owns any more: a dead owner and not persistent, or namespaces with the lab
 * prefix but no record at all. With `all`, removes every lab, persistent ones too. Returns the
 * ids removed.
 */
export async function cleanStaleLabs(options: { all?: boolean } = {}): Promise<string[]> {
    const removed = new Set<string>();
    for (const id of listLabIds()) {
        const record = readRecord(id);
        // A directory without a record is a lab between mkdir and its first write, unless it is old.
        const stale = record ? !record.persistent && !ownerAlive(record) : ageMs(labDir(id)) > 60_000;
        if (options.all || stale) {
            await destroyLab(id);
            removed.add(id);
        }
    }
    for (const ns of await listNamespaces()) {
        const id = labIdOfNamespace(ns);
        // Labs register before they create namespaces, so a namespace without a record is an orphan.
        if (id && !removed.has(id) && !readRecord(id)) {
            await destroyLab(id);
            removed.add(id);
        }
    }
    return [...removed];
}
