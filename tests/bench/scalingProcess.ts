/**
 * One size of the bench's scaling run, in a process of its own so that its peak RSS is this
 * size's alone: the package's operation sequence `reps` times at RTT 0 against a simulator
 * process of its own; sends the median client CPU per operation and the peak RSS.
 */
import { BenchDevice } from "./device";
import { median, OPS, sequence, type Op } from "./sequence";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

/** What the scaling process reports (`process.send`). */
export interface ScalingResult {
    readonly n: number;
    readonly cpuMs: Record<Op, number>;
    /** Peak resident set size of the whole process, MiB. */
    readonly peakRssMiB: number;
    readonly wallMs: number;
}

async function main(): Promise<void> {
    const { n, reps } = JSON.parse(process.argv[2] ?? "{}") as { n: number; reps: number };
    const device = await BenchDevice.start();
    const t0 = Date.now();
    try {
        await device.setRtt(0);
        const cpu = new Map<Op, number[]>();
        for (let rep = 0; rep < reps; rep++) {
            for (const [op, s] of await sequence(device, "package", n)) cpu.set(op, [...(cpu.get(op) ?? []), s.cpuMs]);
        }
        const result: ScalingResult = {
            n,
            cpuMs: Object.fromEntries(OPS.map((op) => [op, median(cpu.get(op) ?? [])])) as Record<Op, number>,
            peakRssMiB: process.resourceUsage().maxRSS / 1024,
            wallMs: Date.now() - t0,
        };
        process.send?.(result);
    } finally {
        await device.close();
    }
}

main().then(
    () => process.exit(0),
    (e) => {
        console.error(e);
        process.exit(1);
    },
);
