/**
 * The client's CPU and memory from 2,048 to 20,000 neighbors: each size in a fresh process
 * (`scalingProcess.ts`), so that its peak RSS is its own, with the median CPU of repetitions,
 * in either {@link ScalingMode}. N = 8 gives the fixed cost (login, the fixed dialogue, and in
 * a fresh process the compiling of the code), which the marginal figures leave out.
 */
import { fork } from "child_process";
import { join } from "path";
import { OPS, type Op } from "./sequence";
import type { ScalingMode, ScalingResult } from "./scalingProcess";

function runSize(n: number, reps: number, mode: ScalingMode): Promise<ScalingResult> {
    return new Promise((resolve, reject) => {
        const child = fork(join(__dirname, "scalingProcess.js"), [JSON.stringify({ n, reps, mode })], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
        let result: ScalingResult | undefined;
        child.on("message", (m: ScalingResult) => (result = m));
        child.on("exit", (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the scaling process for N=${n} exited with ${code}`))));
    });
}

const exponent = (y0: number, y1: number, n0: number, n1: number): string => (y0 > 0 && y1 > 0 ? (Math.log(y1 / y0) / Math.log(n1 / n0)).toFixed(2) : "—");

/** Runs the sizes and returns the lines to print. `sizes` must start with the fixed-cost size, then 2,048 and 8,192. */
export async function scaling(sizes: readonly number[], reps: number, mode: ScalingMode, progress: (line: string) => void): Promise<{ lines: string[]; results: ScalingResult[] }> {
    const results: ScalingResult[] = [];
    for (const n of sizes) {
        results.push(await runSize(n, reps, mode));
        progress(`  scaling (${mode}): N ${n} done (${(results[results.length - 1].wallMs / 1000).toFixed(0)} s)`);
    }
    const at = (n: number) => results.find((r) => r.n === n);
    const [base] = results;
    const lines: string[] = [];
    const head = ["N", ...OPS.map((op) => `${op} ms`), "peak RSS MiB", "RSS above N=" + base.n + ", KiB/neighbor"];
    const rows = results.map((r) => [
        String(r.n),
        ...OPS.map((op) => r.cpuMs[op].toFixed(0)),
        r.peakRssMiB.toFixed(0),
        r === base ? "—" : (((r.peakRssMiB - base.peakRssMiB) * 1024) / (r.n - base.n)).toFixed(2),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const r of [head, ...rows]) lines.push("  " + r.map((c, i) => c.padStart(widths[i])).join("  "));
    const low = at(2048);
    const high = at(8192);
    const top = results[results.length - 1];
    if (low && high) {
        const fmt = (f: (r: ScalingResult, op: Op) => number, n0: ScalingResult, n1: ScalingResult) => OPS.map((op) => `${op} ${exponent(f(n0, op), f(n1, op), n0.n, n1.n)}`).join(", ");
        const raw = (r: ScalingResult, op: Op) => r.cpuMs[op];
        const marginal = (r: ScalingResult, op: Op) => r.cpuMs[op] - base.cpuMs[op];
        lines.push(`  exponent of client CPU between 2,048 and 8,192 neighbors (1 = linear; target <= 1.1): ${fmt(raw, low, high)}`);
        lines.push(`    without the fixed cost (CPU at N=${base.n} subtracted): ${fmt(marginal, low, high)}`);
        if (top.n > high.n) {
            lines.push(`    8,192 to ${top.n.toLocaleString("en")}: ${fmt(raw, high, top)}`);
            lines.push(`    8,192 to ${top.n.toLocaleString("en")}, without the fixed cost: ${fmt(marginal, high, top)}`);
        }
        const rss = (r: ScalingResult) => r.peakRssMiB - base.peakRssMiB;
        lines.push(
            `  exponent of peak RSS above N=${base.n}'s: 2,048 to 8,192 ${exponent(rss(low), rss(high), low.n, high.n)}` +
                (top.n > high.n ? `, 8,192 to ${top.n.toLocaleString("en")} ${exponent(rss(high), rss(top), high.n, top.n)}` : ""),
        );
    }
    return { lines, results };
}
