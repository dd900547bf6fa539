/**
 * One provider call in a process of its own, as the engine runs a resource's operation: a
 * provider process per engine command, which starts with nothing of an earlier operation in
 * its heap. The call's inputs and outputs cross by IPC, as the engine's cross by gRPC; what
 * is measured is the call alone (the client's CPU, then the process's peak RSS).
 */
import { providers } from "../../provider/adc/providers";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

type Props = Record<string, unknown>;

/** What the parent asks (`process.send`). */
export type ProviderCall =
    | { readonly op: "create"; readonly news: Props }
    | { readonly op: "update"; readonly id: string; readonly olds: Props; readonly news: Props }
    | { readonly op: "read" | "delete"; readonly id: string; readonly olds: Props };

/** What the process answers: the call's result (the provider's own shape), its CPU and the peak RSS. */
export interface ProviderCallResult {
    readonly value: unknown;
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
    }
}

process.once("message", (call: ProviderCall) => {
    const cpu0 = process.cpuUsage();
    run(call).then(
        (value) => {
            const cpu = process.cpuUsage(cpu0);
            const result: ProviderCallResult = { value: value ?? null, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
            process.send!(result, () => process.exit(0));
        },
        (e) => {
            console.error(e);
            process.exit(1);
        },
    );
});
