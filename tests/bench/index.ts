/**
 * `npm run bench`: the package side by side with the least any correct client must do and
 * with what users otherwise write (`@pulumi/command`, one SSH login per neighbor), on a link
 * with latency, with saving on. One run, one table, medians of interleaved repetitions; then the
 * table's small operations each in a fresh process; then the client's CPU and memory from 2,048
 * to 20,000 neighbors; then the engine level; and a PNG plot per operation.
 *
 * The simulator runs in its own process with a network delay on every byte (half the round
 * trip each way), a session cap and a finite input buffer (`tests/bench/simulatorProcess.ts`).
 *
 * Environment: `BENCH_QUICK=1` (N = 8 and 64, one repetition, no fresh-process table, scaling or engine level);
 * `BENCH_ONLY=table,cold,scaling,engine` (any of them); `BENCH_SIZES`, `BENCH_RTTS` (comma lists),
 * `BENCH_REPS`; `BENCH_ENGINE_NODES` (512).
 */
import { join } from "path";
import { performance } from "perf_hooks";
import { coldTable } from "./coldTable";
import { BenchDevice, INPUT_BUFFER_BYTES, SESSION_CAP } from "./device";
import { engineLevel } from "./engineLevel";
import { plot } from "./plot";
import { scaling } from "./scaling";
import type { ScalingMode } from "./scalingProcess";
import type { Impl } from "./sequence";
import { sideBySide, table } from "./sideBySide";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

const QUICK = process.env.BENCH_QUICK === "1";
const list = (name: string, otherwise: readonly number[]): readonly number[] => {
    const v = process.env[name];
    return v ? v.split(",").map((x) => Number(x.trim())) : otherwise;
};
const RTTS = list("BENCH_RTTS", [0, 5, 20]);
const SIZES = list("BENCH_SIZES", QUICK ? [8, 64] : [8, 64, 512, 2048]);
const REPS = Number(process.env.BENCH_REPS ?? (QUICK ? 1 : 3));
const SECTIONS = new Set((process.env.BENCH_ONLY ?? (QUICK ? "table" : "table,cold,scaling,engine")).split(",").map((s) => s.trim()));
const SCALING_SIZES = [8, 2048, 8192, 20000];
/**
 * The steady state's repetitions: a collection of the whole heap lands in about one operation in
 * five at 8,192 neighbors (and doubles its CPU), so the median of three moves with where it lands.
 */
const WARM_SCALING_REPS = 5;
const ENGINE_NODES = Number(process.env.BENCH_ENGINE_NODES ?? 512);
const ENGINE_RTT = 20;
const COLD_RTT = 20;

/**
 * Which do-it-yourself runs are made, and how often: one login per neighbor costs a handshake's
 * round trips and CPU each, so the serial way stops at N=64 and the parallel ways at N=512; the
 * cells beyond are extrapolated, and marked so.
 */
export const DIY_LIMITS = "DIY serial runs up to N=64, DIY 10 and unbounded up to N=512 (once at the largest size)";
function diyReps(impl: Impl, n: number, _rtt: number): number {
    if (QUICK) return impl === "DIY serial" && n > 8 ? 0 : 1;
    const limit = impl === "DIY serial" ? 64 : 512;
    if (n > limit) return 0;
    return n === limit ? 1 : REPS;
}

async function main(): Promise<void> {
    const started = performance.now();
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    console.log(`pulumi-calico-adc benchmark (node ${process.version}, ${new Date().toISOString()}${QUICK ? ", BENCH_QUICK" : ""})`);
    console.log(
        `simulator in its own process: network delay of RTT/2 each way, session cap ${SESSION_CAP} (past it: connection refused), input buffer ${INPUT_BUFFER_BYTES} bytes; saving on.`,
    );
    if (SECTIONS.has("table")) {
        console.log(
            "bound: one login, one read exchange, the package's own lines for the same end state (each neighbor's remote-as and its ownership mark, `description pca:<token>`, from provider/core's renderer) as a window of the input buffer with the verify read behind them, one save exchange (tests/bench/lowerBound.ts); checked once per N: the device's running-config after create is the package's, tokens aside.",
        );
        console.log("w/o mark: the same bound for create and update +1 without the mark's description lines (the remote-as lines alone).");
        console.log("DIY: one @pulumi/command-style SSH login per neighbor running its script, 1 / 10 / unbounded (Pulumi's default --parallel) at a time (tests/bench/baseline.ts).");
        console.log(`medians of ${REPS} interleaved repetitions; 'reps' counts package/DIY 10/DIY serial runs. ${QUICK ? "" : `${DIY_LIMITS}.`}\n`);
        const device = await BenchDevice.start();
        try {
            const samples = await sideBySide(device, { rtts: RTTS, sizes: SIZES, reps: REPS, diyReps, progress });
            const { text, ratios, extrapolated } = table(samples, RTTS, SIZES);
            console.log(text);
            if (extrapolated) console.log("~X*: not run; time per login at the largest N run at that RTT, times the logins (an extrapolation, not a measurement).");
            const worst = (pred: (r: { op: string; n: number; rtt: number }) => boolean) => {
                const xs = ratios.filter(pred);
                return xs.length === 0 ? "—" : Math.max(...xs.map((r) => r.ratio)).toFixed(2);
            };
            console.log(
                `\nworst ratio to the bound at RTT 20 ms: ${worst((r) => r.rtt === 20)} (target 1.2); create and delete of 512 at 20 ms: ${worst((r) => r.rtt === 20 && r.n === 512 && (r.op === "create" || r.op === "delete"))} (target 1.1)`,
            );
            console.log(`plots: ${plot(samples, join(process.cwd(), "bench-results"), RTTS, SIZES)}`);
        } finally {
            await device.close();
        }
    }
    if (SECTIONS.has("cold")) {
        const sizes = SIZES.filter((n) => n >= 512);
        console.log(
            `\nin a fresh process (median of ${REPS}, RTT ${COLD_RTT} ms): update +1, a no-change update and read, the package's and the bound's each in a process of its own, as the engine runs an operation in the provider process of its command (the code compiled as it runs; the table above runs them in this process, after the package's code has run):`,
        );
        const device = await BenchDevice.start();
        try {
            for (const line of await coldTable(device, sizes, COLD_RTT, REPS, progress)) console.log(line);
        } finally {
            await device.close();
        }
    }
    if (SECTIONS.has("scaling")) {
        const ways: readonly [ScalingMode, string][] = [
            ["cold", "each operation in a fresh process, as the engine runs it in the provider process of its command (the code compiled as it runs)"],
            ["warm", "the operations one after another in one process, after one sequence that is not measured (the steady state: the code compiled, one operation's garbage in the next one's heap)"],
        ];
        for (const [mode, how] of ways) {
            const reps = mode === "warm" ? Math.max(REPS, WARM_SCALING_REPS) : REPS;
            console.log(`\nclient CPU (median of ${reps}, ms) and memory at scale: the package at RTT 0, each size in a fresh process; ${how}:`);
            const { lines } = await scaling(SCALING_SIZES, reps, mode, progress);
            for (const line of lines) console.log(line);
        }
    }
    if (SECTIONS.has("engine")) {
        console.log(`\nengine level (median of ${REPS}):`);
        for (const line of await engineLevel(ENGINE_NODES, ENGINE_RTT, REPS, progress)) console.log(line);
    }
    console.log(`\npeak RSS of the bench process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; whole run ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
