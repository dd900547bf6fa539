/**
 * Drives the providers the way the Pulumi engine does, with the state it would store: `check`
 * before `create`/`update`; a partial failure (an error with `id` and `properties`) stored as the
 * resource's state and followed by `update` on the next `up`; any other failure of `create`
 * stores nothing, of `update` keeps the old state; a failed `delete` keeps the resource; refresh
 * is `read`, then `diff(olds = refreshed outputs, news = stored inputs)`.
 */
import { strict as assert } from "assert";
import type * as pulumi from "@pulumi/pulumi";

type Props = Record<string, any>;

export interface StoredResource {
    id: string;
    outs: Props;
    inputs: Props;
    /** The last create/update failed part way (the engine keeps init errors and updates next time). */
    initErrors: boolean;
}

/** What an operation did: its error, if any, and whether it was a partial failure. */
export interface Outcome {
    error?: any;
    partial: boolean;
}

export class EngineLike {
    readonly state = new Map<string, StoredResource>();

    async up(name: string, provider: pulumi.dynamic.ResourceProvider, news: Props): Promise<Outcome> {
        const checked = await provider.check!({}, news);
        assert.deepEqual(checked.failures ?? [], [], JSON.stringify(checked.failures));
        const inputs = checked.inputs as Props;
        const old = this.state.get(name);
        try {
            if (!old) {
                const r = await provider.create(inputs);
                this.state.set(name, { id: r.id, outs: r.outs, inputs, initErrors: false });
            } else {
                const d = await provider.diff!(old.id, old.outs, inputs);
                if (!d.changes && !old.initErrors) return { partial: false };
                const r = await provider.update!(old.id, old.outs, inputs);
                this.state.set(name, { ...old, outs: r.outs!, inputs, initErrors: false });
            }
            return { partial: false };
        } catch (error: any) {
            const partial = typeof error?.id === "string" && error.properties !== undefined;
            if (partial) this.state.set(name, { id: error.id, outs: error.properties, inputs, initErrors: true });
            return { error, partial };
        }
    }

    async destroy(name: string, provider: pulumi.dynamic.ResourceProvider): Promise<Outcome> {
        const old = this.state.get(name);
        if (!old) return { partial: false };
        try {
            await provider.delete!(old.id, old.outs);
            this.state.delete(name);
            return { partial: false };
        } catch (error) {
            return { error, partial: false };
        }
    }

    /** `pulumi refresh`: stores what `read` returns; `drift` is what refresh would report. */
    async refresh(name: string, provider: pulumi.dynamic.ResourceProvider): Promise<{ drift: boolean }> {
        const old = this.state.get(name)!;
        const r = await provider.read!(old.id, old.outs);
        const d = await provider.diff!(old.id, r.props as Props, old.inputs);
        this.state.set(name, { ...old, outs: r.props as Props, inputs: (r.inputs as Props) ?? old.inputs });
        return { drift: d.changes === true };
    }
}
