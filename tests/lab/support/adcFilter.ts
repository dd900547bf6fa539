/**
 * The ADC's inbound prefix filter as the core plans and renders it, typed into the lab's
 * simulator (whose routing runs on FRR) the way the device session types configuration lines.
 */
import { strict as assert } from "node:assert";
import { filterView, planPrefixFilter, renderFilterChanges, type PrefixFilterIntent } from "../../../provider/core/prefixFilter";
import type { Asn } from "../../../provider/core/values";
import type { ConfigLine } from "../../../provider/device/types";
import type { LabSimulator } from "./labSimulator";

/** The lines, typed as the session would: `router bgp N` before router lines. */
export async function typeConfigLines(adc: LabSimulator, lines: readonly ConfigLine[]): Promise<void> {
    const text: string[] = [];
    let inRouter: number | null = null;
    for (const l of lines) {
        if (l.context !== "global" && inRouter !== l.context.routerBgp) text.push(`router bgp ${(inRouter = l.context.routerBgp)}`);
        if (l.context === "global") inRouter = null;
        text.push(l.text);
    }
    await adc.sim.device.configure(text);
}

/** Plans `want` against what the ADC holds now (the list, the limits and the neighbors are this test's own) and applies it. */
export async function applyPrefixFilter(adc: LabSimulator, asn: number, want: PrefixFilterIntent): Promise<void> {
    const text = adc.sim.device.runningConfig();
    const mine = new Set(want.neighbors);
    const p = planPrefixFilter(filterView(text), asn as Asn, want, { lists: new Set(want.list ? [want.list.name] : []), limits: mine }, { owned: mine, created: new Set() }, true);
    assert.ok(p.ok, JSON.stringify(!p.ok && p.conflicts));
    await typeConfigLines(adc, renderFilterChanges(p.changes));
}
