/**
 * The table's small operations (update +1, a no-change update, read) with each operation in a
 * fresh process (`providerCallProcess.ts`), the package's and the bound's alike: as the engine
 * runs an operation, in the provider process of its command, with the code not yet compiled.
 * The side-by-side table runs every operation in the bench's own process, where the package's
 * code has run before; this says what that leaves out. Medians of interleaved repetitions.
 */
import { randomBytes } from "crypto";
import { providers } from "../../provider/adc/providers";
import type { MarkToken } from "../../provider/core/marks";
import { NETSCALER } from "../../provider/device/platform";
import type { BenchDevice } from "./device";
import { inFreshProcess, type ProviderCall } from "./freshProcess";
import { lowerBound } from "./lowerBound";
import { addLines, median, packageInputs, removeLine } from "./sequence";

const COLD_OPS = ["update +1", "no-change update", "read"] as const;
type ColdOp = (typeof COLD_OPS)[number];
type Who = "package" | "bound";
type Props = Record<string, unknown>;

/** Runs the sizes at one RTT and returns the lines to print. */
export async function coldTable(device: BenchDevice, sizes: readonly number[], rtt: number, reps: number, progress: (line: string) => void): Promise<string[]> {
    await device.setRtt(rtt);
    const target = { host: device.host, port: device.port, password: "nsroot" };
    const w = NETSCALER.inputBufferBytes;
    const p = providers.adcBgpNeighbors;
    const rows: string[][] = [];
    for (const n of sizes) {
        const all = Array.from({ length: n + 1 }, (_, i) => i);
        const small = await packageInputs(device, n);
        const big = await packageInputs(device, n + 1);
        const samples = new Map<string, { ms: number[]; cpu: number[] }>();
        const measured = async (who: Who, op: ColdOp, call: ProviderCall): Promise<unknown> => {
            const r = await inFreshProcess(call);
            const s = samples.get(`${who}|${op}`) ?? { ms: [], cpu: [] };
            s.ms.push(r.ms);
            s.cpu.push(r.cpuMs);
            samples.set(`${who}|${op}`, s);
            return r.value;
        };
        const packageRun = async () => {
            // The create runs here, unmeasured: only the operations after it are the table's.
            const created = await p.create(small);
            const grown = (await measured("package", "update +1", { op: "update", id: created.id, olds: created.outs, news: big })) as { outs: Props };
            await measured("package", "no-change update", { op: "update", id: created.id, olds: grown.outs, news: big });
            await measured("package", "read", { op: "read", id: created.id, olds: grown.outs });
            await p.delete!(created.id, grown.outs);
        };
        const boundRun = async () => {
            const token = randomBytes(4).toString("hex") as MarkToken;
            await lowerBound(target, addLines(all.slice(0, n), token), w, { verify: true });
            await measured("bound", "update +1", { op: "bound", target, lines: addLines([n], token), verify: true });
            await measured("bound", "no-change update", { op: "bound", target, lines: [], verify: true });
            await measured("bound", "read", { op: "bound", target, lines: [], verify: true });
            await lowerBound(target, all.map(removeLine), w, { verify: false });
        };
        for (let rep = 0; rep < reps; rep++) {
            for (const run of rep % 2 === 0 ? [packageRun, boundRun] : [boundRun, packageRun]) {
                await run();
                const left = await device.neighbors();
                if (left !== 0) throw new Error(`the cold table left ${left} neighbors (N=${n})`);
            }
            progress(`  fresh processes: rtt ${rtt} ms, N ${n}, repetition ${rep + 1}/${reps}`);
        }
        for (const op of COLD_OPS) {
            const of = (who: Who) => samples.get(`${who}|${op}`)!;
            const [pkg, bound] = [of("package"), of("bound")];
            rows.push([op, String(n), String(rtt), median(pkg.ms).toFixed(0), median(bound.ms).toFixed(0), (median(pkg.ms) / median(bound.ms)).toFixed(2), median(pkg.cpu).toFixed(0), median(bound.cpu).toFixed(0)]);
        }
    }
    const head = ["op", "N", "RTT", "package ms", "bound ms", "ratio", "pkg CPU", "bound CPU"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    return [head, ...rows].map((r) => "  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
}
