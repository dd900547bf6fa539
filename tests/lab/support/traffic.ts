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

export interface PodServer {
    stop(): Promise<void>;
}

/** Puts `address`/32 on the node's loopback (a pod address of its block) and answers `reply` on TCP `port`. */
export async function startPodServer(ns: string, address: string, port: number, reply: string): Promise<PodServer> {
    await runIn(ns, "ip", ["addr", "add", `${address}/32`, "dev", "lo"]);
    const child: ChildProcess = spawn("ip", ["netns", "exec", ns, process.execPath, "-e", SERVER, address, String(port), reply], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`pod server in ${ns} did not start: ${stderr}`)), 10_000);
        child.stdout!.on("data", (d: Buffer) => {
            if (d.toString().includes("listening")) {
                clearTimeout(t);
                resolve();
            }
        });
        child.once("exit", (code) => {
            clearTimeout(t);
            reject(new Error(`pod server in ${ns} exited (${code}): ${stderr}`));
        });
    });
    return {
        async stop() {
            if (child.exitCode === null) {
                child.kill("SIGTERM");
                await new Promise((r) => child.once("exit", r));
            }
            await runIn(ns, "ip", ["addr", "del", `${address}/32`, "dev", "lo"], { allowFailure: true });
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

/** The kernel's route for `address` in `ns` (`ip route get`), or `unreachable`. */
export async function kernelRoute(ns: string, address: string): Promise<string> {
    const r = await runIn(ns, "ip", ["route", "get", address], { allowFailure: true });
    return r.code === 0 ? r.stdout.trim() : `unreachable: ${r.stderr.trim()}`;
}
