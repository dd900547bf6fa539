/**
 * One size of the bench's scaling run, in a process of its own with its own simulator process:
 * the package's operation sequence (create N, update +1, a no-change update, read, delete)
 * `reps` times at RTT 0; sends the median client CPU per operation and the peak RSS.
 *
 * Two ways ({@link ScalingMode}): `warm`, the sequence in this process, one operation after the
 * other (the steady state: the code compiled, one operation's garbage in the next one's heap);
 * `cold`, each operation in a fresh process (`providerCallProcess.ts`), as the engine runs a
 * resource's operation in the provider process of that command (the code not yet compiled).
 */
import { BenchDevice } from "./device";
import { inFreshProcess, type ProviderCall } from "./freshProcess";
import { median, OPS, packageInputs, sequence, type Op } from "./sequence";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

export type ScalingMode = "warm" | "cold";

/** What the scaling process reports (`process.send`). */
export interface ScalingResult {
    readonly n: number;
    readonly cpuMs: Record<Op, number>;
    /** Peak resident set size, MiB: of this process (warm), the largest of the operations' processes (cold). */
    readonly peakRssMiB: number;
    readonly wallMs: number;
}

type Props = Record<string, unknown>;

/**
 * The sequence `reps` times in this process, after one that is not measured: the CPU of each
 * operation, and this process's peak RSS. Without the first, the steady state's medians would
 * hold the interpreter's cost of the process's first operations (at 2,048 a first create costs
 * about twice the third).
 */
async function warm(device: BenchDevice, n: number, reps: number): Promise<{ cpu: Map<Op, number[]>; peakRssMiB: number }> {
    const cpu = new Map<Op, number[]>(OPS.map((op) => [op, []]));
    await sequence(device, "package", n);
    for (let rep = 0; rep < reps; rep++) {
        for (const [op, s] of await sequence(device, "package", n)) cpu.get(op)!.push(s.cpuMs);
    }
    return { cpu, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
}

/** The sequence `reps` times, each operation in a fresh process: their CPU, and the largest of their peak RSS. */
async function cold(device: BenchDevice, n: number, reps: number): Promise<{ cpu: Map<Op, number[]>; peakRssMiB: number }> {
    const small = await packageInputs(device, n);
    const big = await packageInputs(device, n + 1);
    const cpu = new Map<Op, number[]>(OPS.map((op) => [op, []]));
    let peakRssMiB = 0;
    const call = async (op: Op, c: ProviderCall): Promise<unknown> => {
        const r = await inFreshProcess(c);
        cpu.get(op)!.push(r.cpuMs);
        peakRssMiB = Math.max(peakRssMiB, r.peakRssMiB);
        return r.value;
    };
    for (let rep = 0; rep < reps; rep++) {
        const created = (await call("create", { op: "create", news: small })) as { id: string; outs: Props };
        const grown = (await call("update +1", { op: "update", id: created.id, olds: created.outs, news: big })) as { outs: Props };
        await call("no-change update", { op: "update", id: created.id, olds: grown.outs, news: big });
        await call("read", { op: "read", id: created.id, olds: grown.outs });
        await call("delete", { op: "delete", id: created.id, olds: grown.outs });
        const left = await device.neighbors();
        if (left !== 0) throw new Error(`the package left ${left} neighbors after delete (N=${n})`);
    }
    return { cpu, peakRssMiB };
}

async function main(): Promise<void> {
    const { n, reps, mode } = JSON.parse(process.argv[2] ?? "{}") as { n: number; reps: number; mode: ScalingMode };
    const device = await BenchDevice.start();
    const t0 = Date.now();
    try {
        await device.setRtt(0);
        const { cpu, peakRssMiB } = await (mode === "cold" ? cold : warm)(device, n, reps);
        const result: ScalingResult = {
            n,
            cpuMs: Object.fromEntries(OPS.map((op) => [op, median(cpu.get(op)!)])) as Record<Op, number>,
            peakRssMiB,
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
