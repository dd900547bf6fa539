/**
 * One run of the bench's operation sequence (create N, update +1, a no-change update, read,
 * delete) by one implementation against the bench's simulator process, with what each
 * operation cost: wall time, the client's CPU, and the device's counters.
 */
import { randomBytes } from "crypto";
import { performance } from "perf_hooks";
import { providers } from "../../provider/adc/providers";
import { marked, type MarkToken } from "../../provider/core/marks";
import type { Neighbor } from "../../provider/core/model";
import { renderNeighborsWithFilter } from "../../provider/core/prefixFilter";
import type { Asn, IpAddress } from "../../provider/core/values";
import { NETSCALER } from "../../provider/device/platform";
import type { SimulatorCounters } from "../../simulator";
import { baseline, BaselineFailure } from "./baseline";
import type { BenchDevice } from "./device";
import { lowerBound } from "./lowerBound";

export const OPS = ["create", "update +1", "no-change update", "read", "delete"] as const;
export type Op = (typeof OPS)[number];
export const IMPLS = ["package", "bound", "bound w/o mark", "DIY serial", "DIY 10", "DIY unbounded"] as const;
export type Impl = (typeof IMPLS)[number];
/** The do-it-yourself baselines: how many Commands Pulumi runs at a time. */
export const PARALLEL = { "DIY serial": 1, "DIY 10": 10, "DIY unbounded": Number.POSITIVE_INFINITY } as const;
export type DiyImpl = keyof typeof PARALLEL;
export const isDiy = (impl: Impl): impl is DiyImpl => impl in PARALLEL;
/** The operations the bound without the mark's lines runs (it differs from the bound only where neighbors are added). */
export const UNMARKED_OPS: readonly Op[] = ["create", "update +1"];

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
const ASN = 500 as Asn;
const REMOTE_ASN = 64512 as Asn;
export const removeLine = (i: number): string => `no neighbor ${address(i)}`;

/**
 * The lines the package sends to add these neighbors, from its own renderer: with a token, each
 * neighbor's `remote-as` and its ownership mark (`description pca:<token>`, the bench's inputs
 * give no description of their own); without, the `remote-as` alone.
 */
export function addLines(indices: readonly number[], token: MarkToken | null): string[] {
    const neighbors = indices.map((i): Neighbor => ({ address: address(i) as IpAddress, remoteAsn: REMOTE_ASN, description: null, password: null, updateSource: null, ebgpMultihop: null }));
    const changes = neighbors.map((n) => ({ op: "add-neighbor" as const, asn: ASN, neighbor: token === null ? n : marked(token, n) }));
    return renderNeighborsWithFilter(changes, []).map((l) => l.text);
}

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

/** The package's neighbors inputs for the first `count` of the bench's neighbors, as its check gives them to the engine. */
export async function packageInputs(device: BenchDevice, count: number): Promise<Record<string, unknown>> {
    const checked = await providers.adcBgpNeighbors.check!({}, {
        connection: { host: device.host, port: device.port, hostKeyFingerprint: device.hostKeyFingerprint },
        credentials: { password: "nsroot" },
        localAsn: ASN,
        neighbors: Array.from({ length: count }, (_, i) => ({ address: address(i), remoteAsn: REMOTE_ASN })),
    });
    return checked.inputs as Record<string, unknown>;
}

/** Called after an implementation's create, outside what is measured (the bench compares what the device holds). */
export type AfterCreate = (impl: Impl) => Promise<void>;

/** One operation sequence (create N, update +1, no-change, read, delete) by one implementation. */
export async function sequence(device: BenchDevice, impl: Impl, n: number, afterCreate: AfterCreate = async () => {}): Promise<Map<Op, Sample>> {
    const out = new Map<Op, Sample>();
    const target = { host: device.host, port: device.port, password: "nsroot" };
    const all = Array.from({ length: n + 1 }, (_, i) => i);
    if (impl === "package") {
        const p = providers.adcBgpNeighbors;
        const small = await packageInputs(device, n);
        const big = await packageInputs(device, n + 1);
        let created!: Awaited<ReturnType<NonNullable<typeof p.create>>>;
        out.set("create", await measure(device, async () => (created = await p.create(small))));
        await afterCreate(impl);
        let grown!: Awaited<ReturnType<NonNullable<typeof p.update>>>;
        out.set("update +1", await measure(device, async () => (grown = await p.update!(created.id, created.outs, big))));
        out.set("no-change update", await measure(device, () => p.update!(created.id, grown.outs!, big)));
        out.set("read", await measure(device, () => p.read!(created.id, grown.outs!)));
        out.set("delete", await measure(device, () => p.delete!(created.id, grown.outs!)));
    } else if (impl === "bound" || impl === "bound w/o mark") {
        const w = NETSCALER.inputBufferBytes;
        // A token drawn as the package draws its resource's, so the mark's lines are as long.
        const token = impl === "bound" ? (randomBytes(4).toString("hex") as MarkToken) : null;
        const create = addLines(all.slice(0, n), token);
        const grow = addLines([n], token);
        out.set("create", await measure(device, () => lowerBound(target, create, w, { verify: true })));
        await afterCreate(impl);
        out.set("update +1", await measure(device, () => lowerBound(target, grow, w, { verify: true })));
        if (impl === "bound") {
            out.set("no-change update", await measure(device, () => lowerBound(target, [], w, { verify: true })));
            out.set("read", await measure(device, () => lowerBound(target, [], w, { verify: true })));
            out.set("delete", await measure(device, () => lowerBound(target, all.map(removeLine), w, { verify: false })));
        } else {
            // Without the mark the other operations are the bound's own: the neighbors only go.
            await lowerBound(target, all.map(removeLine), w, { verify: false });
        }
    } else {
        const parallel = PARALLEL[impl];
        const plain = (indices: readonly number[]) => addLines(indices, null);
        out.set("create", await measure(device, () => baseline(target, plain(all.slice(0, n)), parallel)));
        out.set("update +1", await measure(device, () => baseline(target, plain([n]), parallel)));
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

