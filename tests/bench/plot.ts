/**
 * The bench's plots: one PNG per operation, time against N on log scales, a panel per round-trip
 * time, a line per implementation (measured medians only; extrapolated cells are not drawn).
 * Drawn by gnuplot (`scripts/prepare-bench.sh` installs gnuplot-nox); the data files stay beside.
 */
import { execFileSync } from "child_process";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { IMPLS, median, OPS } from "./sequence";
import { key, type Samples } from "./sideBySide";

/** Writes the plots into `dir`; returns what to print: the files, or why there are none. */
export function plot(samples: Samples, dir: string, rtts: readonly number[], sizes: readonly number[]): string {
    mkdirSync(dir, { recursive: true });
    const written: string[] = [];
    for (const op of OPS) {
        const slug = op.replace(/\W+/g, "_");
        const panels = rtts.map((rtt) => {
            const rows = sizes.map((n) =>
                [n, ...IMPLS.map((impl) => {
                    const xs = samples.get(key(op, n, rtt, impl)) ?? [];
                    // The do-it-yourself way runs nothing for a no-change update and has no Read.
                    return xs.length === 0 || (impl.startsWith("DIY") && (op === "read" || op === "no-change update")) ? "NaN" : median(xs.map((s) => s.ms)).toFixed(1);
                })].join(" "),
            );
            const file = join(dir, `${slug}-rtt${rtt}.dat`);
            writeFileSync(file, `# N ${IMPLS.join(" | ")} (ms)\n${rows.join("\n")}\n`);
            const series = IMPLS.map((impl, i) => `'${file}' using 1:${i + 2} with linespoints title '${impl}'`).join(", ");
            return `set title '${op}, RTT ${rtt} ms'\nplot ${series}`;
        });
        const png = join(dir, `${slug}.png`);
        const script = [
            `set terminal pngcairo size ${500 * rtts.length},450 noenhanced`,
            `set output '${png}'`,
            `set multiplot layout 1,${rtts.length}`,
            `set logscale xy`,
            `set xlabel 'neighbors (N)'`,
            `set ylabel 'ms'`,
            `set key top left`,
            `set datafile missing 'NaN'`,
            ...panels,
            `unset multiplot`,
        ].join("\n");
        try {
            execFileSync("gnuplot", { input: script, stdio: ["pipe", "ignore", "pipe"] });
            written.push(png);
        } catch (e) {
            return `no plot (${(e as Error).message.split("\n")[0]}): run scripts/prepare-bench.sh`;
        }
    }
    return written.join(", ");
}
