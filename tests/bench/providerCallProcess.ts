/**
 * One operation in a process of its own, as the engine runs a resource's operation: a provider
 * process per engine command, which starts with nothing of an earlier operation in its heap and
 * its code not yet compiled. The package's call (its inputs and outputs cross by IPC, as the
 * engine's cross by gRPC) or the bound's exchange for the same change; what is measured is the
 * operation alone: its wall time and the client's CPU, then the process's peak RSS.
 *
 * ssh2 is loaded before the operation in both: the bound's module loads it at its top, and the
 * engine's provider process loads it once, at its first SSH operation (a component's router).
 */
import "ssh2";
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

process.once("message", (call: ProviderCall) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    run(call).then(
        (value) => {
            const ms = performance.now() - t0;
            const cpu = process.cpuUsage(cpu0);
            const result: ProviderCallResult = { value: value ?? null, ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
            process.send!(result, () => process.exit(0));
        },
        (e) => {
            console.error(e);
            process.exit(1);
        },
    );
});
