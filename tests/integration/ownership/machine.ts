/**
 * One "machine" of the two-machines test: a child process with its own temporary directory (so
 * the device lock, a file there, does not serialize it with the other) that runs the neighbors
 * provider as the engine would, one command per message from the parent.
 */
import { providers } from "../../../provider/adc/providers";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

/** What the parent asks: an operation, and how long to wait before it (the start offset). */
export type Command =
    | { readonly op: "create"; readonly inputs: Record<string, unknown>; readonly delayMs: number }
    | { readonly op: "update"; readonly id: string; readonly olds: Record<string, unknown>; readonly inputs: Record<string, unknown>; readonly delayMs: number }
    | { readonly op: "delete"; readonly id: string; readonly props: Record<string, unknown>; readonly delayMs: number };

/** What it answers: the outputs, or the failure with what it recorded (a partial failure's id and properties). */
export type Answer =
    | { readonly ok: true; readonly id: string; readonly outs: Record<string, any> }
    | { readonly ok: false; readonly message: string; readonly id?: string; readonly properties?: Record<string, any> };

const neighbors = providers.adcBgpNeighbors;

async function run(c: Command): Promise<Answer> {
    await new Promise((resolve) => setTimeout(resolve, c.delayMs));
    try {
        const checked = c.op === "delete" ? null : await neighbors.check!({}, c.inputs);
        if (checked && (checked.failures ?? []).length > 0) return { ok: false, message: JSON.stringify(checked.failures) };
        if (c.op === "create") {
            const r = await neighbors.create(checked!.inputs);
            return { ok: true, id: r.id, outs: r.outs };
        }
        if (c.op === "update") {
            const r = await neighbors.update!(c.id, c.olds, checked!.inputs);
            return { ok: true, id: c.id, outs: r.outs ?? {} };
        }
        await neighbors.delete!(c.id, c.props);
        return { ok: true, id: c.id, outs: {} };
    } catch (e) {
        const err = e as Error & { id?: string; properties?: Record<string, any> };
        return { ok: false, message: err.message, ...(err.id !== undefined ? { id: err.id, properties: err.properties } : {}) };
    }
}

process.on("message", (c: Command) => {
    void run(c).then((answer) => process.send!(answer));
});
