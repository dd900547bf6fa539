/**
 * One `pulumi up` through the Automation API, timed phase by phase: when the program's top level
 * ran (the inline program runs in this process), when the engine started and finished each step
 * (its event stream, as the events arrive), when the CLI exited, and what the Automation API did
 * after it; with {@link ProbeRecord}s, what the dynamic-provider process did meanwhile.
 */
import { readFileSync, rmSync } from "node:fs";
import type { EngineEvent, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import type { ProbeRecord } from "./providerProbe";
import { median } from "./sequence";

/** Wall-clock (`Date.now()`) marks of one up. */
export interface UpTimeline {
    start: number;
    prelude?: number;
    programStart?: number;
    programEnd?: number;
    /** Steps by URN, in the order they started. */
    steps: { urn: string; type: string; name: string; op: string; start: number; end?: number }[];
    summary?: number;
    cliExit?: number;
    end: number;
    /** The dynamic-provider process's records during this up (empty when it did not run). */
    provider: ProbeRecord[];
}

/** Marks the program's top level: wrap the program given to the stack with it. */
export class ProgramClock {
    start?: number;
    end?: number;
    wrap(program: PulumiFn): PulumiFn {
        return async () => {
            this.start = Date.now();
            try {
                return await program();
            } finally {
                this.end = Date.now();
            }
        };
    }
}

/** Reads (and empties) the probe's file. */
export function takeProbe(file: string): ProbeRecord[] {
    let text = "";
    try {
        text = readFileSync(file, "utf8");
    } catch {
        return [];
    }
    rmSync(file, { force: true });
    return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as ProbeRecord);
}

/** Runs `stack.up()` and returns its timeline; throws unless it succeeded. */
export async function timedUp(stack: Stack, clock: ProgramClock, probeFile: string | undefined): Promise<UpTimeline> {
    if (probeFile) takeProbe(probeFile);
    clock.start = clock.end = undefined;
    const steps: UpTimeline["steps"] = [];
    const tl: UpTimeline = { start: 0, steps, end: 0, provider: [] };
    const onEvent = (e: EngineEvent) => {
        const now = Date.now();
        if (e.preludeEvent) tl.prelude ??= now;
        if (e.resourcePreEvent) {
            const m = e.resourcePreEvent.metadata;
            steps.push({ urn: m.urn, type: m.type, name: m.urn.split("::").pop() ?? m.urn, op: m.op, start: now });
        }
        if (e.resOutputsEvent) {
            const s = steps.find((x) => x.urn === e.resOutputsEvent!.metadata.urn && x.end === undefined);
            if (s) s.end = now;
        }
        if (e.summaryEvent) tl.summary = now;
    };
    // The Automation API calls this after every CLI command: the first call after the start is the up's.
    const ws = stack.workspace as { postCommandCallback(name: string): Promise<void> };
    const original = ws.postCommandCallback;
    ws.postCommandCallback = async (name: string) => {
        tl.cliExit ??= Date.now();
        return original.call(ws, name);
    };
    try {
        tl.start = Date.now();
        const up = await stack.up({ onEvent });
        tl.end = Date.now();
        if (up.summary.result !== "succeeded") throw new Error(`pulumi up: ${up.summary.result}`);
    } finally {
        ws.postCommandCallback = original;
    }
    tl.programStart = clock.start;
    tl.programEnd = clock.end;
    if (probeFile) tl.provider = takeProbe(probeFile);
    return tl;
}

/** A program's ups, under a label. */
export interface TimedProgram {
    label: string;
    ups: UpTimeline[];
}

/** The phases of an up, in milliseconds, in the order they happen. */
export function phases(tl: UpTimeline): [string, number][] {
    const starts = tl.steps.map((s) => s.start);
    const ends = tl.steps.map((s) => s.end ?? NaN);
    const first = starts.length ? Math.min(...starts) : NaN;
    const last = ends.length ? Math.max(...ends) : NaN;
    const d = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? NaN : b - a);
    return [
        ["up() called → the engine's first event (CLI start, stack and config load, secrets)", d(tl.start, tl.prelude)],
        ["→ the program starts (plugins, language connection)", d(tl.prelude, tl.programStart)],
        ["the program's top level (requires, constructors)", d(tl.programStart, tl.programEnd)],
        ["→ the first step starts (inputs resolve: discovery, plan; register, check, diff)", d(tl.programEnd, first)],
        ["first step starts → last step ends", d(first, last)],
        ["→ the engine's summary (outputs registered, state saved)", d(last, tl.summary)],
        ["→ the CLI exits (plugins shut down, state saved)", d(tl.summary, tl.cliExit)],
        ["→ up() returns (the Automation API's `stack output` and `stack history`)", d(tl.cliExit, tl.end)],
        ["total", d(tl.start, tl.end)],
    ];
}

/** Seconds with two decimals, `-` when not measured. */
export const seconds = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : "-");
/** The median of the measured values. */
export const medianOf = (xs: number[]) => {
    const ok = xs.filter(Number.isFinite);
    return ok.length ? median(ok) : NaN;
};

/** A table of where an up's seconds go, one column per program (medians over the repetitions). */
export function phaseTable(programs: readonly TimedProgram[]): string[] {
    const rows = phases(programs[0]!.ups[0]!).map(([label]) => label);
    const width = Math.max(...rows.map((r) => r.length));
    const lines = [`  ${"phase (s)".padEnd(width)}  ${programs.map((p) => p.label.padStart(10)).join("  ")}`];
    rows.forEach((label, i) => {
        const cells = programs.map((p) => seconds(medianOf(p.ups.map((u) => phases(u)[i]![1]))).padStart(Math.max(10, p.label.length)));
        lines.push(`  ${label.padEnd(width)}  ${cells.join("  ")}`);
    });
    return lines;
}

/** Each step of an up, from its start, as offsets from up() (medians), and what the provider process did. */
export function stepTable(p: TimedProgram): string[] {
    const names = new Map<string, string>();
    for (const u of p.ups) for (const st of u.steps) names.set(st.urn, `${st.name} (${st.type.replace(/^pulumi-nodejs:dynamic\/pulumi-calico-adc:/, "")}, ${st.op})`);
    const rows: { label: string; start: number; end: number }[] = [];
    for (const [urn, label] of names) {
        const start = medianOf(p.ups.map((u) => (u.steps.find((x) => x.urn === urn)?.start ?? NaN) - u.start));
        const end = medianOf(p.ups.map((u) => (u.steps.find((x) => x.urn === urn)?.end ?? NaN) - u.start));
        rows.push({ label, start, end });
    }
    const kinds = new Set(p.ups.flatMap((u) => u.provider.map((r) => r.what)));
    for (const what of kinds) {
        const at = (u: UpTimeline, f: (r: UpTimeline["provider"][number]) => number) => {
            const r = u.provider.find((x) => x.what === what);
            return r ? f(r) - u.start : NaN;
        };
        const sizes = p.ups.flatMap((u) => u.provider.filter((x) => x.what === what)).map((r) => r.inBytes !== undefined ? `, ${Math.round(r.inBytes / 1024)} KiB in, ${Math.round((r.outBytes ?? 0) / 1024)} KiB out` : "")[0] ?? "";
        rows.push({ label: `  provider process: ${what}${sizes}`, start: medianOf(p.ups.map((u) => at(u, (r) => r.t))), end: medianOf(p.ups.map((u) => at(u, (r) => r.end ?? r.t))) });
    }
    rows.sort((a, b) => a.start - b.start);
    const width = Math.max(...rows.map((r) => r.label.length));
    return [
        `  ${`the steps of the ${p.label} up, from up() (s)`.padEnd(width)}  ${"start".padStart(6)}  ${"end".padStart(6)}  ${"takes".padStart(6)}`,
        ...rows.map((r) => `  ${r.label.padEnd(width)}  ${seconds(r.start).padStart(6)}  ${seconds(r.end).padStart(6)}  ${seconds(r.end - r.start).padStart(6)}`),
    ];
}

