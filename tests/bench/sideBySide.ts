/**
 * The side-by-side table: every implementation's operation sequence at each size and round-trip
 * time, in interleaved repetitions, and the medians. The do-it-yourself baseline opens one SSH
 * login per neighbor, which at large N and 20 ms takes minutes: the plan below says which of its
 * runs are made, and a cell not run shows a linear extrapolation from the largest size that was,
 * marked as such.
 */
import { performance } from "perf_hooks";
import type { BenchDevice } from "./device";
import { IMPLS, isDiy, median, OPS, sequence, UNMARKED_OPS, type AfterCreate, type Impl, type Op, type Sample } from "./sequence";

export interface SideBySideOptions {
    readonly rtts: readonly number[];
    readonly sizes: readonly number[];
    readonly reps: number;
    /** How many repetitions a do-it-yourself run gets (0: not run). */
    readonly diyReps: (impl: Impl, n: number, rtt: number) => number;
    readonly progress: (line: string) => void;
}

type Key = `${Op}|${number}|${number}|${Impl}`;
export type Samples = ReadonlyMap<Key, readonly Sample[]>;

export const key = (op: Op, n: number, rtt: number, impl: Impl): Key => `${op}|${n}|${rtt}|${impl}`;

/** A running config with every ownership token replaced: each create draws its own. */
const withoutTokens = (running: string): string => running.replace(/\bpca:[0-9a-f]{8}\b/g, "pca:<token>");

/**
 * Checks that the package's create and the bound's leave the device holding the same
 * configuration (tokens aside): the bound must send the package's lines, not fewer.
 */
async function sameEndState(device: BenchDevice, n: number, run: (afterCreate: AfterCreate) => Promise<void>): Promise<string> {
    const held = new Map<Impl, string>();
    await run(async (impl) => {
        if (impl === "package" || impl === "bound") held.set(impl, withoutTokens(await device.runningConfig()));
    });
    const [pkg, bound] = [held.get("package"), held.get("bound")];
    if (pkg === undefined || bound === undefined) throw new Error(`the end-state check at N=${n} did not see both creates`);
    if (pkg !== bound) {
        const a = pkg.split("\n");
        const b = bound.split("\n");
        const at = a.findIndex((l, i) => l !== b[i]);
        throw new Error(`after create of ${n}, the device holds different configurations for the package and the bound: line ${at + 1} is ${JSON.stringify(a[at])} against ${JSON.stringify(b[at])}`);
    }
    return `    the device's running-config after create is the same for package and bound (${pkg.split("\n").length} lines, tokens aside)`;
}

export async function sideBySide(device: BenchDevice, o: SideBySideOptions): Promise<Samples> {
    const samples = new Map<Key, Sample[]>();
    for (const [r, rtt] of o.rtts.entries()) {
        await device.setRtt(rtt);
        for (const n of o.sizes) {
            for (let rep = 0; rep < o.reps; rep++) {
                // Interleaved: each repetition runs every implementation, in a rotating order.
                const order = IMPLS.map((_, i) => IMPLS[(i + rep) % IMPLS.length]);
                const took: string[] = [];
                const runAll = async (afterCreate?: AfterCreate): Promise<void> => {
                    for (const impl of order) {
                        if (isDiy(impl) && rep >= o.diyReps(impl, n, rtt)) continue;
                        const t0 = performance.now();
                        for (const [op, s] of await sequence(device, impl, n, afterCreate)) {
                            const k = key(op, n, rtt, impl);
                            samples.set(k, [...(samples.get(k) ?? []), s]);
                        }
                        took.push(`${impl} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
                    }
                };
                // Once per size: what the device holds after each create is compared.
                const checked = r === 0 && rep === 0 ? await sameEndState(device, n, runAll) : undefined;
                if (checked === undefined) await runAll();
                o.progress(`  rtt ${rtt} ms, N ${n}, repetition ${rep + 1}/${o.reps}: ${took.join(", ")}`);
                if (checked !== undefined) o.progress(checked);
            }
        }
    }
    return samples;
}

/** Commands the do-it-yourself way runs for an operation on N neighbors (one login each). */
function commands(op: Op, n: number): number {
    return op === "create" ? n : op === "delete" ? n + 1 : op === "update +1" ? 1 : 0;
}

export interface Cell {
    readonly ms: number;
    /** Not run: extrapolated from this size. */
    readonly from?: number;
}

/** The median time of a cell, or for a do-it-yourself cell not run, the extrapolation from the largest size run at that RTT. */
export function cell(samples: Samples, op: Op, n: number, rtt: number, impl: Impl): Cell | undefined {
    const xs = samples.get(key(op, n, rtt, impl)) ?? [];
    if (xs.length > 0) return { ms: median(xs.map((s) => s.ms)) };
    if (!isDiy(impl) || commands(op, n) === 0) return undefined;
    const sizes = [...samples.keys()].filter((k) => k.startsWith(`${op}|`) && k.endsWith(`|${rtt}|${impl}`)).map((k) => Number(k.split("|")[1]));
    const from = Math.max(...sizes.filter((m) => m < n));
    if (!Number.isFinite(from)) return undefined;
    const measured = median((samples.get(key(op, from, rtt, impl)) ?? []).map((s) => s.ms));
    return { ms: (measured / commands(op, from)) * commands(op, n), from };
}

export function fmt(ms: number): string {
    if (!Number.isFinite(ms)) return "—";
    if (ms >= 120_000) return `${(ms / 60_000).toFixed(1)} min`;
    return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)}`;
}

export interface Ratio {
    readonly op: Op;
    readonly n: number;
    readonly rtt: number;
    readonly ratio: number;
}

/** The table, and every package/bound ratio in it. */
export function table(samples: Samples, rtts: readonly number[], sizes: readonly number[]): { text: string; ratios: Ratio[]; extrapolated: boolean } {
    const pick = (op: Op, n: number, rtt: number, impl: Impl) => samples.get(key(op, n, rtt, impl)) ?? [];
    const med = (xs: readonly Sample[], f: (s: Sample) => number) => median(xs.map(f));
    const head = ["op", "N", "RTT", "package ms", "bound ms", "ratio", "w/o mark ms", "pkg CPU", "bound CPU", "DIY serial", "DIY 10", "DIY unbounded", "pkg conn", "pkg RTs", "bound RTs", "w/o mark RTs", "pkg lines", "bound lines", "DIY conn", "DIY refused", "reps"];
    const rows: string[][] = [head];
    const ratios: Ratio[] = [];
    let extrapolated = false;
    for (const op of OPS) {
        for (const rtt of rtts) {
            for (const n of sizes) {
                const pkg = pick(op, n, rtt, "package");
                const bound = pick(op, n, rtt, "bound");
                const unmarked = UNMARKED_OPS.includes(op) ? pick(op, n, rtt, "bound w/o mark") : [];
                const ifUnmarked = (f: (s: Sample) => number, show: (x: number) => string): string => (unmarked.length === 0 ? "—" : show(med(unmarked, f)));
                const ratio = med(pkg, (s) => s.ms) / med(bound, (s) => s.ms);
                ratios.push({ op, n, rtt, ratio });
                const diy = (impl: Impl): string => {
                    if (op === "read") return "no Read";
                    if (op === "no-change update") return "0 (no run)";
                    const c = cell(samples, op, n, rtt, impl);
                    if (!c) return "not run";
                    const failed = median(pick(op, n, rtt, impl).map((s) => s.failed));
                    if (failed > 0) return `${fmt(c.ms)}, ${failed} failed`;
                    if (c.from === undefined) return fmt(c.ms);
                    extrapolated = true;
                    return `~${fmt(c.ms)}*`;
                };
                const measuredDiy = (["DIY 10", "DIY unbounded", "DIY serial"] as const).map((i) => pick(op, n, rtt, i)).find((xs) => xs.length > 0);
                const unbounded = pick(op, n, rtt, "DIY unbounded");
                const diyCounted = op !== "read" && op !== "no-change update";
                rows.push([
                    op,
                    String(n),
                    String(rtt),
                    fmt(med(pkg, (s) => s.ms)),
                    fmt(med(bound, (s) => s.ms)),
                    ratio.toFixed(2),
                    ifUnmarked((s) => s.ms, fmt),
                    fmt(med(pkg, (s) => s.cpuMs)),
                    fmt(med(bound, (s) => s.cpuMs)),
                    diy("DIY serial"),
                    diy("DIY 10"),
                    diy("DIY unbounded"),
                    String(med(pkg, (s) => s.connections)),
                    String(med(pkg, (s) => s.roundTrips)),
                    String(med(bound, (s) => s.roundTrips)),
                    ifUnmarked((s) => s.roundTrips, String),
                    String(med(pkg, (s) => s.lines)),
                    String(med(bound, (s) => s.lines)),
                    diyCounted && measuredDiy ? String(med(measuredDiy, (s) => s.connections)) : "—",
                    diyCounted && unbounded.length > 0 ? String(med(unbounded, (s) => s.refused)) : "—",
                    `${pkg.length}/${pick(op, n, rtt, "DIY 10").length}/${pick(op, n, rtt, "DIY serial").length}`,
                ]);
            }
        }
    }
    const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const text = rows.map((r) => r.map((c, i) => (i < 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")).join("\n");
    return { text, ratios, extrapolated };
}
