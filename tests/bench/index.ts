/**
 * `npm run bench`: the package side by side with the least any correct client must do and
 * with what users otherwise write (`@pulumi/command`, one SSH login per neighbor), on a link
 * with latency, with saving on. One run, one table, medians of interleaved repetitions; then the
 * client's CPU and memory from 2,048 to 20,000 neighbors, and a PNG plot.
 *
 * The simulator runs in its own process with a network delay on every byte (half the round
 * trip each way), a session cap and a finite input buffer (`tests/bench/simulatorProcess.ts`).
 */
import { execFileSync } from "child_process";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { performance } from "perf_hooks";
import { providers } from "../../provider/adc/providers";
import { NETSCALER } from "../../provider/device/platform";
import type { SimulatorCounters } from "../../simulator";
import { baseline } from "./baseline";
import { BenchDevice } from "./device";
import { lowerBound } from "./lowerBound";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const QUICK = process.env.BENCH_QUICK === "1";
const RTTS = [0, 5, 20];
const SIZES = QUICK ? [8, 64] : [8, 64, 512, 2048];
const REPS = QUICK ? 1 : 3;
/** The device's session cap (an assumption: appliances cap management sessions; the number is unconfirmed). */
const SESSION_CAP = 20;
const OPS = ["create", "update +1", "no-change update", "read", "delete"] as const;
type Op = (typeof OPS)[number];
const IMPLS = ["package", "bound", "DIY serial", "DIY 10", "DIY unbounded"] as const;
type Impl = (typeof IMPLS)[number];
const PARALLEL: Record<string, number> = { "DIY serial": 1, "DIY 10": 10, "DIY unbounded": Number.POSITIVE_INFINITY };

/** The do-it-yourself runs are long: which ones run, and how often. */
function baselineReps(impl: Impl, n: number, rtt: number): number {
    if (QUICK) return impl === "DIY serial" && n > 8 ? 0 : 1;
    if (impl === "DIY serial") return n <= 64 ? (rtt === 20 && n === 64 ? 1 : REPS) : 0;
    if (n >= 2048) return rtt === 0 ? 1 : 0;
    if (n >= 512) return 1;
    return REPS;
}

interface Sample {
    readonly ms: number;
    readonly connections: number;
    readonly roundTrips: number;
    readonly lines: number;
    readonly cpuMs: number;
}

const address = (i: number): string => `10.${100 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
const addLine = (i: number): string => `neighbor ${address(i)} remote-as 64512`;
const removeLine = (i: number): string => `no neighbor ${address(i)}`;

async function measure(device: BenchDevice, fn: () => Promise<unknown>): Promise<Sample> {
    await device.reset();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const c: SimulatorCounters = await device.counters();
    return { ms, connections: c.connectionsAccepted, roundTrips: c.roundTrips, lines: c.linesReceived, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const NONE: Sample = { ms: 0, connections: 0, roundTrips: 0, lines: 0, cpuMs: 0 };

/** One operation sequence (create N, update +1, no-change, read, delete) by one implementation. */
async function sequence(device: BenchDevice, impl: Impl, n: number): Promise<Map<Op, Sample>> {
    const out = new Map<Op, Sample>();
    const target = { host: device.host, port: device.port, password: "nsroot" };
    const all = Array.from({ length: n + 1 }, (_, i) => i);
    if (impl === "package") {
        const p = providers.adcBgpNeighbors;
        const inputsFor = async (count: number) =>
            (
                await p.check!({}, {
                    connection: { host: device.host, port: device.port, hostKeyFingerprint: device.hostKeyFingerprint },
                    credentials: { password: "nsroot" },
                    localAsn: 500,
                    neighbors: all.slice(0, count).map((i) => ({ address: address(i), remoteAsn: 64512 })),
                })
            ).inputs;
        const small = await inputsFor(n);
        const big = await inputsFor(n + 1);
        let created!: Awaited<ReturnType<NonNullable<typeof p.create>>>;
        out.set("create", await measure(device, async () => (created = await p.create(small))));
        let grown!: Awaited<ReturnType<NonNullable<typeof p.update>>>;
        out.set("update +1", await measure(device, async () => (grown = await p.update!(created.id, created.outs, big))));
        out.set("no-change update", await measure(device, () => p.update!(created.id, grown.outs!, big)));
        out.set("read", await measure(device, () => p.read!(created.id, grown.outs!)));
        out.set("delete", await measure(device, () => p.delete!(created.id, grown.outs!)));
    } else if (impl === "bound") {
        const w = NETSCALER.inputBufferBytes;
        out.set("create", await measure(device, () => lowerBound(target, all.slice(0, n).map(addLine), w, { verify: true })));
        out.set("update +1", await measure(device, () => lowerBound(target, [addLine(n)], w, { verify: true })));
        out.set("no-change update", await measure(device, () => lowerBound(target, [], w, { verify: true })));
        out.set("read", await measure(device, () => lowerBound(target, [], w, { verify: true })));
        out.set("delete", await measure(device, () => lowerBound(target, all.map(removeLine), w, { verify: false })));
    } else {
        const parallel = PARALLEL[impl];
        out.set("create", await measure(device, () => baseline(target, all.slice(0, n).map(addLine), parallel)));
        out.set("update +1", await measure(device, () => baseline(target, [addLine(n)], parallel)));
        // Pulumi sees no change and runs no Command; @pulumi/command has no Read.
        out.set("no-change update", NONE);
        out.set("delete", await measure(device, () => baseline(target, all.map(removeLine), parallel)));
    }
    const left = await device.neighbors();
    if (left !== 0) throw new Error(`${impl} left ${left} neighbors after delete (N=${n})`);
    return out;
}

const median = (xs: readonly number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

type Key = `${Op}|${number}|${number}|${Impl}`;

async function sideBySide(device: BenchDevice): Promise<Map<Key, Sample[]>> {
    const samples = new Map<Key, Sample[]>();
    for (const rtt of RTTS) {
        await device.setRtt(rtt);
        for (const n of SIZES) {
            for (let rep = 0; rep < REPS; rep++) {
                // Interleaved: each repetition runs every implementation, in a rotating order.
                const order = IMPLS.map((_, i) => IMPLS[(i + rep) % IMPLS.length]);
                for (const impl of order) {
                    if (impl !== "package" && impl !== "bound" && rep >= baselineReps(impl, n, rtt)) continue;
                    const t0 = performance.now();
                    const results = await sequence(device, impl, n);
                    if (process.env.BENCH_VERBOSE === "1") process.stderr.write(`    ${impl}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
                    for (const [op, s] of results) {
                        const key: Key = `${op}|${n}|${rtt}|${impl}`;
                        samples.set(key, [...(samples.get(key) ?? []), s]);
                    }
                }
                process.stderr.write(`  rtt ${rtt} ms, N ${n}, repetition ${rep + 1}/${REPS} done\n`);
            }
        }
    }
    return samples;
}

function fmt(ms: number): string {
    if (!Number.isFinite(ms)) return "—";
    return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)}`;
}

function table(samples: Map<Key, Sample[]>): { text: string; ratios: { op: Op; n: number; rtt: number; ratio: number }[] } {
    const pick = (op: Op, n: number, rtt: number, impl: Impl) => samples.get(`${op}|${n}|${rtt}|${impl}`) ?? [];
    const med = (xs: Sample[], f: (s: Sample) => number) => median(xs.map(f));
    const head = ["op", "N", "RTT", "package ms", "bound ms", "ratio", "DIY serial", "DIY 10", "DIY unbounded", "pkg conn", "pkg RTs", "bound RTs", "pkg lines", "DIY conn", "reps"];
    const rows: string[][] = [head];
    const ratios: { op: Op; n: number; rtt: number; ratio: number }[] = [];
    for (const op of OPS) {
        for (const rtt of RTTS) {
            for (const n of SIZES) {
                const pkg = pick(op, n, rtt, "package");
                const bound = pick(op, n, rtt, "bound");
                const ratio = med(pkg, (s) => s.ms) / med(bound, (s) => s.ms);
                ratios.push({ op, n, rtt, ratio });
                const diy = (impl: Impl) => {
                    if (op === "read") return "no Read";
                    const xs = pick(op, n, rtt, impl);
                    if (xs.length === 0) return "not run";
                    return fmt(med(xs, (s) => s.ms));
                };
                const diyConn = pick(op, n, rtt, "DIY 10")[0]?.connections ?? pick(op, n, rtt, "DIY unbounded")[0]?.connections;
                rows.push([
                    op,
                    String(n),
                    String(rtt),
                    fmt(med(pkg, (s) => s.ms)),
                    fmt(med(bound, (s) => s.ms)),
                    ratio.toFixed(2),
                    diy("DIY serial"),
                    diy("DIY 10"),
                    diy("DIY unbounded"),
                    String(med(pkg, (s) => s.connections)),
                    String(med(pkg, (s) => s.roundTrips)),
                    String(med(bound, (s) => s.roundTrips)),
                    String(med(pkg, (s) => s.lines)),
                    op === "read" ? "—" : String(diyConn ?? "—"),
                    `${pkg.length}/${pick(op, n, rtt, "DIY 10").length}`,
                ]);
            }
        }
    }
    const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const text = rows.map((r) => r.map((c, i) => (i < 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")).join("\n");
    return { text, ratios };
}

/** Client CPU and memory of each operation from 2,048 to 20,000 neighbors (no latency). */
async function scaling(device: BenchDevice): Promise<string[]> {
    await device.setRtt(0);
    // 20,000 when asked: the simulator's own model re-applies the whole BGP configuration after
    // every line, so the device side, not the client, makes that size slow.
    const sizes = process.env.BENCH_20K === "1" ? [2048, 8192, 20000] : [2048, 8192];
    const cpu = new Map<string, number[]>();
    const lines: string[] = [];
    for (const n of sizes) {
        const results = await sequence(device, "package", n);
        const rss = process.resourceUsage().maxRSS / 1024;
        for (const [op, s] of results) cpu.set(op, [...(cpu.get(op) ?? []), s.cpuMs]);
        lines.push(`  N ${String(n).padStart(5)}: ${[...results].map(([op, s]) => `${op} ${s.cpuMs.toFixed(0)} ms CPU`).join(", ")}; peak RSS ${rss.toFixed(0)} MiB`);
    }
    lines.push("  exponent of client CPU between 2,048 and 8,192 neighbors (1 = linear; target <= 1.1):");
    for (const [op, xs] of cpu) {
        const at20k = xs.length > 2 ? `   (2,048 to 20,000: ${(Math.log(xs[2] / xs[0]) / Math.log(20000 / 2048)).toFixed(2)})` : "";
        lines.push(`    ${op.padEnd(16)} ${(Math.log(xs[1] / xs[0]) / Math.log(8192 / 2048)).toFixed(2)}${at20k}`);
    }
    return lines;
}

function plot(samples: Map<Key, Sample[]>, dir: string): string {
    mkdirSync(dir, { recursive: true });
    const rtt = 20;
    const impls = IMPLS;
    for (const op of OPS) {
        const rows = SIZES.map((n) => [n, ...impls.map((impl) => {
            const xs = samples.get(`${op}|${n}|${rtt}|${impl}`) ?? [];
            return xs.length === 0 || (op === "read" && impl.startsWith("DIY")) || (op === "no-change update" && impl.startsWith("DIY")) ? "NaN" : median(xs.map((s) => s.ms)).toFixed(1);
        })].join(" "));
        writeFileSync(join(dir, `${op.replace(/\W+/g, "_")}.dat`), rows.join("\n") + "\n");
    }
    const panels = OPS.map((op) => {
        const file = join(dir, `${op.replace(/\W+/g, "_")}.dat`);
        const series = impls.map((impl, i) => `'${file}' using 1:${i + 2} with linespoints title '${impl}'`).join(", ");
        return `set title '${op} (RTT ${rtt} ms)'\nplot ${series}`;
    });
    const png = join(dir, "time-vs-n.png");
    const script = [
        `set terminal pngcairo size 1500,900 noenhanced`,
        `set output '${png}'`,
        `set multiplot layout 2,3`,
        `set logscale xy`,
        `set xlabel 'neighbors (N)'`,
        `set ylabel 'ms'`,
        `set key top left`,
        `set datafile missing 'NaN'`,
        ...panels,
        `unset multiplot`,
    ].join("\n");
    try {
        execFileSync("gnuplot", { input: script });
        return png;
    } catch (e) {
        return `no plot (${(e as Error).message.split("\n")[0]}): run scripts/prepare-bench.sh`;
    }
}

async function main(): Promise<void> {
    const device = await BenchDevice.start({ maxSessions: SESSION_CAP, inputBufferBytes: NETSCALER.inputBufferBytes });
    const started = performance.now();
    try {
        console.log(`pulumi-calico-adc benchmark (node ${process.version}, ${new Date().toISOString()}${QUICK ? ", BENCH_QUICK" : ""})`);
        console.log(
            `simulator in its own process: network delay of RTT/2 each way, session cap ${SESSION_CAP} (past it: connection refused), input buffer ${NETSCALER.inputBufferBytes} bytes; saving on.`,
        );
        console.log("bound: one login, one read exchange, the lines as a window of the input buffer with the verify read behind them, one save exchange (tests/bench/lowerBound.ts).");
        console.log("DIY: one @pulumi/command-style SSH login per neighbor running its script, 1 / 10 / unbounded (Pulumi's default --parallel) at a time (tests/bench/baseline.ts).");
        console.log(`medians of ${REPS} interleaved repetitions; the DIY runs fewer where marked in 'reps' (package/DIY 10), serial only up to N=64.\n`);
        if (process.env.BENCH_ONLY === "scaling") {
            console.log("client CPU and memory at scale (package, RTT 0):");
            for (const line of await scaling(device)) console.log(line);
            return;
        }
        const samples = await sideBySide(device);
        const { text, ratios } = table(samples);
        console.log(text);
        const worst = (pred: (r: { op: Op; n: number; rtt: number }) => boolean) =>
            Math.max(...ratios.filter(pred).map((r) => r.ratio));
        console.log(`\nworst ratio to the bound at RTT 20 ms: ${worst((r) => r.rtt === 20).toFixed(2)} (target 1.2); create and delete of 512: ${worst((r) => r.rtt === 20 && r.n === 512 && (r.op === "create" || r.op === "delete")).toFixed(2)} (target 1.1)`);
        console.log("\nclient CPU and memory at scale (package, RTT 0):");
        for (const line of QUICK ? ["  skipped (BENCH_QUICK)"] : await scaling(device)) console.log(line);
        console.log(`\nplot: ${plot(samples, join(process.cwd(), "bench-results"))}`);
        console.log(`peak RSS of the bench process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; whole run ${((performance.now() - started) / 1000).toFixed(0)} s`);
    } finally {
        await device.close();
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
