/**
 * One run of the bench's operation sequence (create N, update +1, a no-change update, read,
 * delete) by one implementation against the bench's simulator process, with what each
 * operation cost: wall time, the client's CPU, and the device's counters.
 */
import { performance } from "perf_hooks";
import { providers } from "../../provider/adc/providers";
import { NETSCALER } from "../../provider/device/platform";
import type { SimulatorCounters } from "../../simulator";
import { baseline, BaselineFailure } from "./baseline";
import type { BenchDevice } from "./device";
import { lowerBound } from "./lowerBound";

export const OPS = ["create", "update +1", "no-change update", "read", "delete"] as const;
export type Op = (typeof OPS)[number];
export const IMPLS = ["package", "bound", "DIY serial", "DIY 10", "DIY unbounded"] as const;
export type Impl = (typeof IMPLS)[number];
/** The do-it-yourself baselines: how many Commands Pulumi runs at a time. */
export const PARALLEL: Record<Exclude<Impl, "package" | "bound">, number> = { "DIY serial": 1, "DIY 10": 10, "DIY unbounded": Number.POSITIVE_INFINITY };

export interface Sample {
    readonly ms: number;
    readonly connections: number;
    readonly roundTrips: number;
    readonly lines: number;
    readonly cpuMs: number;
    /** Connections the device refused (past its session cap). */
    readonly refused: number;
    /** Commands of a do-it-yourself run that failed (their dial retries ran out). */
    readonly failed: number;
}

export const address = (i: number): string => `10.${100 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
const addLine = (i: number): string => `neighbor ${address(i)} remote-as 64512`;
const removeLine = (i: number): string => `no neighbor ${address(i)}`;

async function measure(device: BenchDevice, fn: () => Promise<unknown>): Promise<Sample> {
    await device.reset();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let failed = 0;
    try {
        await fn();
    } catch (e) {
        // Only the do-it-yourself way may fail (past the session cap); the others' failures are the bench's.
        if (!(e instanceof BaselineFailure)) throw e;
        failed = e.failed;
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const c: SimulatorCounters = await device.counters();
    return { ms, connections: c.connectionsAccepted, roundTrips: c.roundTrips, lines: c.linesReceived, cpuMs: (cpu.user + cpu.system) / 1000, refused: c.sessionsRefused, failed };
}

const NONE: Sample = { ms: 0, connections: 0, roundTrips: 0, lines: 0, cpuMs: 0, refused: 0, failed: 0 };

/** One operation sequence (create N, update +1, no-change, read, delete) by one implementation. */
export async function sequence(device: BenchDevice, impl: Impl, n: number): Promise<Map<Op, Sample>> {
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
        const parallel = PARALLEL[impl as keyof typeof PARALLEL];
        out.set("create", await measure(device, () => baseline(target, all.slice(0, n).map(addLine), parallel)));
        out.set("update +1", await measure(device, () => baseline(target, [addLine(n)], parallel)));
        // Pulumi sees no change and runs no Command; @pulumi/command has no Read.
        out.set("no-change update", NONE);
        out.set("delete", await measure(device, () => baseline(target, all.map(removeLine), parallel)));
    }
    if ([...out.values()].some((s) => s.failed > 0)) {
        // What failed Commands left behind goes, so that the next run starts from the same device.
        await lowerBound(target, all.map(removeLine), NETSCALER.inputBufferBytes, { verify: false });
    }
    const left = await device.neighbors();
    if (left !== 0) throw new Error(`${impl} left ${left} neighbors after delete (N=${n})`);
    return out;
}

export const median = (xs: readonly number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

