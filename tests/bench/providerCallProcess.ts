/**
 * One operation in a process of its own, as the engine runs a resource's operation: a provider
 * process per engine command, which starts with nothing of an earlier operation in its heap and
 * its code not yet compiled (an update after the check and diff the engine runs before it, see
 * {@link engineStepsBefore}). The package's call (its inputs and outputs cross by IPC, as the
 * engine's cross by gRPC) or the bound's exchange for the same change; what is measured is the
 * operation alone: its wall time and the client's CPU, then the process's peak RSS.
 *
 * ssh2 is loaded before the operation in both: the bound's module loads it at its top, and the
 * engine's provider process loads it once, at its first SSH operation (a component's router).
 *
 * With `BENCH_PROFILE_DIR` set, the operation alone is profiled (V8's CPU profiler, from the call
 * to its result) into that directory, one `.cpuprofile` per process, named for the call.
 */
import "ssh2";
import { writeFileSync } from "fs";
import { Session } from "inspector";
import { join } from "path";
import { performance } from "perf_hooks";
import { providers } from "../../provider/adc/providers";
import { NETSCALER } from "../../provider/device/platform";
import { lowerBound } from "./lowerBound";
import type { RawTarget } from "./rawSsh";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

type Props = Record<string, unknown>;

/** What the parent asks (`process.send`). */
export type ProviderCall =
    | { readonly op: "create"; readonly news: Props }
    | { readonly op: "update"; readonly id: string; readonly olds: Props; readonly news: Props }
    | { readonly op: "read" | "delete"; readonly id: string; readonly olds: Props }
    | { readonly op: "bound"; readonly target: RawTarget; readonly lines: readonly string[]; readonly verify: boolean };

/** What the process answers: the call's result (the provider's own shape; null for the bound), its wall time and CPU, the peak RSS. */
export interface ProviderCallResult {
    readonly value: unknown;
    readonly ms: number;
    readonly cpuMs: number;
    readonly peakRssMiB: number;
}

async function run(call: ProviderCall): Promise<unknown> {
    const p = providers.adcBgpNeighbors;
    switch (call.op) {
        case "create":
            return p.create(call.news);
        case "update":
            return p.update!(call.id, call.olds, call.news);
        case "read":
            return p.read!(call.id, call.olds);
        case "delete":
            return p.delete!(call.id, call.olds);
        case "bound":
            return lowerBound(call.target, call.lines, NETSCALER.inputBufferBytes, { verify: call.verify });
    }
}

/** Starts V8's profiler when asked; what it returns stops it and writes the profile. */
function profiler(call: ProviderCall): () => Promise<void> {
    const dir = process.env.BENCH_PROFILE_DIR;
    if (!dir) return async () => {};
    const session = new Session();
    session.connect();
    const post = (method: string, params?: object) =>
        new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))));
    const started = post("Profiler.enable").then(() => post("Profiler.setSamplingInterval", { interval: 100 })).then(() => post("Profiler.start"));
    return async () => {
        await started;
        const { profile } = (await post("Profiler.stop")) as { profile: unknown };
        const who = call.op === "bound" ? `bound-${call.lines.length}` : call.op;
        writeFileSync(join(dir, `${who}-${process.pid}.cpuprofile`), JSON.stringify(profile));
        session.disconnect();
    };
}

/**
 * What the engine runs in the same provider process before an update, unmeasured: the check of
 * the new inputs and the diff (`pulumi up` checks and diffs every resource before it updates one).
 * A read comes alone: `pulumi refresh` reads without a check.
 */
async function engineStepsBefore(call: ProviderCall): Promise<void> {
    if (call.op !== "update") return;
    const p = providers.adcBgpNeighbors;
    await p.check!(call.olds, call.news);
    await p.diff!(call.id, call.olds, call.news);
}

process.once("message", async (call: ProviderCall) => {
    await engineStepsBefore(call);
    const stopProfile = profiler(call);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    run(call).then(
        async (value) => {
            const ms = performance.now() - t0;
            const cpu = process.cpuUsage(cpu0);
            const result: ProviderCallResult = { value: value ?? null, ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
            await stopProfile();
            process.send!(result, () => process.exit(0));
        },
        (e) => {
            console.error(e);
            process.exit(1);
        },
    );
});
