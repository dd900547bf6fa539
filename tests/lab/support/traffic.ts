/**
 * Real traffic through the routes BGP installed: a TCP server on a "pod" address inside a node's
 * namespace, and a client in the ADC's namespace. Both are small Node.js programs run with
 * `ip netns exec`, so the packets only ever cross the lab's own links.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { run, runIn } from "./exec";

const SERVER = `
const net = require("net");
const [address, port, reply] = process.argv.slice(1);
net.createServer((s) => s.end(reply + "\\n")).listen(Number(port), address, () => console.log("listening"));
`;

const CLIENT = `
const net = require("net");
const [address, port, timeout] = process.argv.slice(1);
const s = net.connect({ host: address, port: Number(port), timeout: Number(timeout) });
let data = "";
s.on("data", (d) => (data += d));
s.on("end", () => { console.log(data.trim()); process.exit(0); });
s.on("timeout", () => { console.error("ETIMEDOUT"); process.exit(2); });
s.on("error", (e) => { console.error(e.code || e.message); process.exit(2); });
`;

/** For each JSON rule {address, port, to: {address, port}}: forwards every connection byte for byte. */
const FORWARDER = `
const net = require("net");
const rules = JSON.parse(process.argv[1]);
let pending = rules.length;
for (const r of rules) {
  net.createServer((c) => {
    const u = net.connect({ host: r.to.address, port: r.to.port });
    c.pipe(u).pipe(c);
    u.on("error", () => c.destroy());
    c.on("error", () => u.destroy());
  }).listen(r.port, r.address, () => { if (--pending === 0) console.log("listening"); });
}
`;

export interface PodServer {
    stop(): Promise<void>;
}

/** Runs a Node.js script in `ns` and resolves once it prints `listening`. */
async function startListener(ns: string, what: string, script: string, args: readonly string[]): Promise<ChildProcess> {
    const child: ChildProcess = spawn("ip", ["netns", "exec", ns, process.execPath, "-e", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${what} in ${ns} did not start: ${stderr}`)), 10_000);
        child.stdout!.on("data", (d: Buffer) => {
            if (d.toString().includes("listening")) {
                clearTimeout(t);
                resolve();
            }
        });
        child.once("exit", (code) => {
            clearTimeout(t);
            reject(new Error(`${what} in ${ns} exited (${code}): ${stderr}`));
        });
    });
    return child;
}

async function stopListener(child: ChildProcess): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
    }
}

/**
 * Puts `address` (a pod address of the node's block; /32, or /128 for IPv6) on the node's
 * loopback and answers `reply` on TCP `port`.
 */
export async function startPodServer(ns: string, address: string, port: number, reply: string): Promise<PodServer> {
    const host = `${address}/${address.includes(":") ? 128 : 32}`;
    await runIn(ns, "ip", ["addr", "add", host, "dev", "lo"]);
    const child = await startListener(ns, "pod server", SERVER, [address, String(port), reply]);
    return {
        async stop() {
            await stopListener(child);
            await runIn(ns, "ip", ["addr", "del", host, "dev", "lo"], { allowFailure: true });
        },
    };
}

/** One Service address and port kube-proxy serves on a node, and the endpoint it forwards to. */
export interface ServiceProxyRule {
    address: string;
    port: number;
    to: { address: string; port: number };
}

/**
 * kube-proxy's part on one node: each Service address (a cluster IP or an external IP) on
 * `kube-ipvs0`, as kube-proxy's IPVS mode binds it, and a userspace forwarder to the endpoint,
 * as kube-proxy's userspace mode forwarded. Why not iptables DNAT or IPVS: the lab's
 * hosts have neither iptables nor nft, nor the dummy link driver (an empty bridge named
 * `kube-ipvs0` holds the addresses instead). The interface name matters: calico-node's BIRD
 * `protocol direct` skips `kube-ipvs*`, so the node exports the address only as confd's static
 * routes say, never as an interface route.
 */
export async function startServiceProxy(ns: string, rules: readonly ServiceProxyRule[]): Promise<PodServer> {
    await runIn(ns, "ip", ["link", "add", "kube-ipvs0", "type", "bridge"]);
    await runIn(ns, "ip", ["link", "set", "kube-ipvs0", "up"]);
    for (const a of new Set(rules.map((r) => r.address))) await runIn(ns, "ip", ["addr", "add", `${a}/32`, "dev", "kube-ipvs0"]);
    const child = await startListener(ns, "service proxy", FORWARDER, [JSON.stringify(rules)]);
    return {
        async stop() {
            await stopListener(child);
            await runIn(ns, "ip", ["link", "del", "kube-ipvs0"], { allowFailure: true });
        },
    };
}

/** Connects from `ns` to address:port; resolves with the server's reply, or `error: <code>`. */
export async function tcpRequest(ns: string, address: string, port: number, timeoutMs = 3000): Promise<string> {
    const r = await run("ip", ["netns", "exec", ns, process.execPath, "-e", CLIENT, address, String(port), String(timeoutMs)], {
        allowFailure: true,
        timeoutMs: timeoutMs + 5000,
    });
    return r.code === 0 ? r.stdout.trim() : `error: ${r.stderr.trim()}`;
}

/** The kernel's route for `address` in `ns` (`ip route get`, either family), or `unreachable`. */
export async function kernelRoute(ns: string, address: string): Promise<string> {
    const r = await runIn(ns, "ip", ["route", "get", address], { allowFailure: true });
    return r.code === 0 ? r.stdout.trim() : `unreachable: ${r.stderr.trim()}`;
}
