/**
 * Calling the ADC providers the way the engine does, against a simulator: shared by the
 * provider tests over SSH.
 */
import { strict as assert } from "assert";
import { providers } from "../../../provider/adc/providers";
import type { Simulator } from "../../../simulator";
import { tokenOfId } from "../../../provider/core/marks";

export const router = providers.adcBgpRouter;
export const neighbors = providers.adcBgpNeighbors;

export type Props = Record<string, any>;

/** The simulator's connection inputs, with no connect retries so a refusal shows at once. */
export function connection(sim: Simulator, extra: Record<string, unknown> = {}) {
    return { host: sim.host, port: sim.port, password: "nsroot", hostKeyFingerprint: sim.hostKeyFingerprint, connectRetries: 0, ...extra };
}

/** What the engine does before create/update: check, then hand over the canonical inputs. */
export async function checked(p: typeof router, news: Props): Promise<Props> {
    const r = await p.check!({}, news);
    assert.deepEqual(r.failures ?? [], [], JSON.stringify(r.failures));
    return r.inputs as Props;
}

/** Configuration lines the device received, without the mode changes. */
export function configLines(sim: Simulator): string[] {
    return sim
        .transcript()
        .filter((l) => (l.mode === "config" || l.mode === "router" || l.mode === "router-af") && !/^(router bgp \d+|exit|end|address-family ipv6|exit-address-family)$/.test(l.line))
        .map((l) => l.line);
}

/** The mark a neighbors resource of this id writes at the start of each neighbor's description. */
export function mark(id: string): string {
    const token = tokenOfId(id);
    assert.ok(token !== null, `the id ${id} carries no token`);
    return `pca:${token}`;
}
