/**
 * Network namespaces the lab creates and removes. Every name starts with `pcalab-<lab id>-`, so
 * a lab only ever touches its own namespaces (and the stale cleaner recognises leftovers).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { run, runIn, sleep } from "./exec";

export const LAB_PREFIX = "pcalab";

export function namespaceName(labId: string, role: string): string {
    return `${LAB_PREFIX}-${labId}-${role}`;
}

/** Lab ids are `[0-9a-z]+`: namespace and interface names stay short and unambiguous. */
export function labIdOfNamespace(ns: string): string | undefined {
    const m = new RegExp(`^${LAB_PREFIX}-([0-9a-z]+)-[a-z0-9]+$`).exec(ns);
    return m?.[1];
}

export async function listNamespaces(): Promise<string[]> {
    const { stdout } = await run("ip", ["netns", "list"]);
    return stdout
        .split("\n")
        .map((l) => l.trim().split(/\s+/)[0] ?? "")
        .filter((n) => n !== "");
}

export async function createNamespace(ns: string): Promise<void> {
    await run("ip", ["netns", "add", ns]);
    await runIn(ns, "ip", ["link", "set", "lo", "up"]);
}

/** Processes whose network namespace is `ns` (`ip netns pids`). */
export async function namespacePids(ns: string): Promise<number[]> {
    const { stdout } = await run("ip", ["netns", "pids", ns], { allowFailure: true });
    return stdout
        .split(/\s+/)
        .filter((s) => /^\d+$/.test(s))
        .map(Number);
}

function alive(pid: number): boolean {
    try {
        // A zombie still answers kill(0); it holds no namespace, so treat it as gone.
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        return !/^\d+ \(.*\) Z /.test(stat);
    } catch {
        return false;
    }
}

/**
 * Ends every process inside `ns` (all of them were started by a lab: nothing else runs in a
 * lab namespace), SIGTERM first and SIGKILL after `graceMs`, then deletes the namespace.
 */
export async function deleteNamespace(ns: string, graceMs = 3000): Promise<void> {
    let pids = await namespacePids(ns);
    for (const pid of pids) signal(pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (pids.some(alive) && Date.now() < deadline) await sleep(50);
    pids = pids.filter(alive);
    for (const pid of pids) signal(pid, "SIGKILL");
    while (pids.some(alive) && Date.now() < deadline + 2000) await sleep(50);
    await run("ip", ["netns", "del", ns], { allowFailure: true });
}

function signal(pid: number, sig: NodeJS.Signals): void {
    try {
        process.kill(pid, sig);
    } catch {
        // already gone
    }
}

export interface LanMember {
    /** The member's namespace; it gets interface `eth0`. */
    ns: string;
    /** Short role name, used for the bridge port name (`p-<role>`, at most 13 characters). */
    role: string;
    /** `a.b.c.d/len` on its eth0. */
    address: string;
    /** An IPv6 `addr/len` on its eth0 as well (a dual-stack LAN). */
    address6?: string;
}

/**
 * Turns off IPv6 duplicate address detection for interfaces made in `ns` from now on: an address
 * is then usable at once instead of tentative for a second or more (the lab's addresses are
 * unique by construction, and it only ever touches its own namespaces).
 */
export async function disableDad(ns: string): Promise<void> {
    for (const scope of ["all", "default"]) await runIn(ns, "sysctl", ["-q", "-w", `net.ipv6.conf.${scope}.accept_dad=0`]);
}

/**
 * One L2 segment: a bridge in its own namespace `bridgeNs`, one veth pair per member (`p-<role>`
 * on the bridge, `eth0` in the member), IPv6 too when a member has an `address6`. Nothing
 * connects it to the root namespace.
 */
export async function buildLan(bridgeNs: string, members: readonly LanMember[]): Promise<void> {
    if (members.some((m) => m.address6)) for (const ns of [bridgeNs, ...members.map((m) => m.ns)]) await disableDad(ns);
    await runIn(bridgeNs, "ip", ["link", "add", "br0", "type", "bridge"]);
    await runIn(bridgeNs, "ip", ["link", "set", "br0", "up"]);
    for (const m of members) {
        const port = `p-${m.role}`;
        if (port.length > 15) throw new Error(`interface name ${port} is longer than 15 characters`);
        await runIn(bridgeNs, "ip", ["link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", m.ns]);
        await runIn(bridgeNs, "ip", ["link", "set", port, "master", "br0", "up"]);
        await runIn(m.ns, "ip", ["addr", "add", m.address, "dev", "eth0"]);
        if (m.address6) await runIn(m.ns, "ip", ["-6", "addr", "add", m.address6, "dev", "eth0", "nodad"]);
        await runIn(m.ns, "ip", ["link", "set", "eth0", "up"]);
    }
}

/** A process's network namespace (`net:[4026531840]`), to check where a daemon runs. */
export function netnsOf(pid: number | "self"): string | undefined {
    try {
        return readlinkSync(`/proc/${pid}/ns/net`);
    } catch {
        return undefined;
    }
}

/** Pids of processes named `comm` (e.g. `bgpd`, `bird`) anywhere on the machine. */
export function pidsByComm(comm: string): number[] {
    const out: number[] = [];
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === comm) out.push(Number(entry));
        } catch {
            // exited meanwhile
        }
    }
    return out;
}
