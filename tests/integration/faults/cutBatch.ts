/**
 * The unconfirmed claim's tests' fault: an up of the neighbors resource cut at a line of its
 * batch, with the device unreadable after it (the next login refused). Real SSH to the simulator.
 */
import { strict as assert } from "assert";
import type { Simulator } from "../../../simulator";
import { connection, neighbors, router } from "../adc/providerCalls";
import type { EngineLike } from "./engineLike";

/** Two neighbors, 10.100.0.1 (with `remoteAsn`) and 10.100.0.2, as a stack lists them. */
export function twoNeighbors(s: Simulator, remoteAsn = 64512) {
    return { connection: connection(s), localAsn: 500, neighbors: [{ address: "10.100.0.1", remoteAsn, description: "worker-1" }, { address: "10.100.0.2", remoteAsn: 64512, description: "worker-2" }] };
}

/** The device's running-config lines that name `address`. */
export const linesOf = (s: Simulator, address: string): string[] => s.device.runningConfig().split("\n").filter((l) => l.includes(address));

/** Runs `up` of `inputs` (the router first, once) and cuts its batch at the line matching `line`; the up must fail part way. */
export async function cutUp(s: Simulator, engine: EngineLike, inputs: ReturnType<typeof twoNeighbors>, line: string): Promise<void> {
    if (!engine.state.has("router")) assert.equal((await engine.up("router", router, { connection: inputs.connection, localAsn: 500 })).error, undefined);
    // Slow replies hold the up in its batch while the faults are set.
    s.setReplyLatency(40);
    const from = s.transcript().length;
    const running = engine.up("neighbors", neighbors, inputs);
    for (let i = 0; i < 2000 && !s.transcript().slice(from).some((l) => l.line === "configure terminal"); i++) await new Promise((r) => setTimeout(r, 2));
    s.setFaults({ dropOnLine: { match: line }, refuseAuth: true });
    const cut = await running;
    s.setFaults({});
    s.setReplyLatency(0);
    assert.equal(cut.partial, true, String(cut.error));
}
