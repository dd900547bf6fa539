/**
 * One `pulumi up`, timed phase by phase: through the Automation API ({@link timedUp}) or as a
 * user runs it, the CLI in a project directory ({@link timedCliUp}). When the program's top level
 * ran (an inline program runs in this process; a project's, in the language host's process, as
 * the probe records it), when the engine started and finished each step (its event stream, as
 * the events arrive), when the CLI exited, and what the Automation API did after it; with
 * {@link ProbeRecord}s, what the dynamic-provider process did meanwhile.
 */
import { spawn } from "node:child_process";
import { closeSync, fstatSync, openSync, readFileSync, readSync, rmSync } from "node:fs";
import type { EngineEvent, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import type { ProbeRecord } from "./providerProbe";
import { median } from "./sequence";

/** Wall-clock (`Date.now()`) marks of one up. */
export interface UpTimeline {
    start: number;
    prelude?: number;
    /** With a preview before the update (`pulumi up --yes`): when the preview's summary came. */
    previewEnd?: number;
    programStart?: number;
    programEnd?: number;
    /** Steps by URN, in the order they started. */
    steps: { urn: string; type: string; name: string; op: string; start: number; end?: number }[];
    summary?: number;
    cliExit?: number;
    end: number;
    /** Lines of the CLI's event log that could not be read as events (a torn read); their marks are missing. */
    unreadEvents?: number;
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

/** Marks each engine event on the timeline as it arrives (a preview's planned steps are not steps). */
function eventRecorder(tl: UpTimeline): (e: EngineEvent) => void {
    return (e: EngineEvent) => {
        const now = Date.now();
        if (e.preludeEvent) tl.prelude ??= now;
        if (e.resourcePreEvent && !e.resourcePreEvent.planning) {
            const m = e.resourcePreEvent.metadata;
            tl.steps.push({ urn: m.urn, type: m.type, name: m.urn.split("::").pop() ?? m.urn, op: m.op, start: now });
        }
        if (e.resOutputsEvent && !e.resOutputsEvent.planning) {
            const s = tl.steps.find((x) => x.urn === e.resOutputsEvent!.metadata.urn && x.end === undefined);
            if (s) s.end = now;
        }
        if (e.summaryEvent) {
            // With a preview, the first summary is the preview's.
            if (tl.summary !== undefined && tl.previewEnd === undefined) tl.previewEnd = tl.summary;
            tl.summary = now;
        }
    };
}

/** Runs `stack.up()` and returns its timeline; throws unless it succeeded. */
export async function timedUp(stack: Stack, clock: ProgramClock, probeFile: string | undefined): Promise<UpTimeline> {
    if (probeFile) takeProbe(probeFile);
    clock.start = clock.end = undefined;
    const tl: UpTimeline = { start: 0, steps: [], end: 0, provider: [] };
    const onEvent = eventRecorder(tl);
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

/**
 * Runs `pulumi <args>` (an up) in a project directory as a user does, the engine's events read
 * from `--event-log` as the CLI writes them, and returns its timeline; the program's top level
 * comes from the probe (the update's run: with a preview the program runs twice). Throws unless
 * the CLI exits 0.
 */
export async function timedCliUp(cli: string, projectDir: string, env: Record<string, string>, args: readonly string[], probeFile: string): Promise<UpTimeline> {
    takeProbe(probeFile);
    const tl: UpTimeline = { start: 0, steps: [], end: 0, provider: [] };
    const onEvent = eventRecorder(tl);
    const log = `${probeFile}.events`;
    rmSync(log, { force: true });
    let fd: number | undefined;
    let offset = 0;
    let partial = "";
    const buffer = Buffer.alloc(1 << 20);
    // The CLI appends one JSON event a line; read what is new every few milliseconds. With a
    // preview, the update opens the log afresh (truncating it): start again from its beginning.
    const drain = () => {
        if (fd === undefined) {
            try {
                fd = openSync(log, "r");
            } catch {
                return;
            }
        }
        if (fstatSync(fd).size < offset) {
            offset = 0;
            partial = "";
        }
        for (let n = readSync(fd, buffer, 0, buffer.length, offset); n > 0; n = readSync(fd, buffer, 0, buffer.length, offset)) {
            offset += n;
            const lines = (partial + buffer.toString("utf8", 0, n)).split("\n");
            partial = lines.pop() ?? "";
            for (const line of lines) {
                if (line.trim() === "") continue;
                try {
                    onEvent(JSON.parse(line) as EngineEvent);
                } catch {
                    tl.unreadEvents = (tl.unreadEvents ?? 0) + 1;
                }
            }
        }
    };
    const timer = setInterval(drain, 5);
    let output = "";
    try {
        tl.start = Date.now();
        const code = await new Promise<number | null>((resolve, reject) => {
            // `--event-log` is a debug command's flag (the Automation API sets the same variable); it changes nothing else.
            const child = spawn(cli, [...args, "--event-log", log], { cwd: projectDir, env: { ...process.env, ...env, PULUMI_DEBUG_COMMANDS: "true" }, stdio: ["ignore", "pipe", "pipe"] });
            child.stdout.on("data", (d: Buffer) => (output += d.toString()));
            child.stderr.on("data", (d: Buffer) => (output += d.toString()));
            child.on("error", reject);
            child.on("exit", resolve);
        });
        tl.cliExit = tl.end = Date.now();
        drain();
        if (code !== 0) throw new Error(`pulumi ${args.join(" ")} exited with ${code}:\n${output.slice(-4000)}`);
    } finally {
        clearInterval(timer);
        if (fd !== undefined) closeSync(fd);
        rmSync(log, { force: true });
    }
    const records = takeProbe(probeFile);
    const program = records.filter((r) => r.proc === "program" && r.what === "program's top level").pop();
    tl.programStart = program?.t;
    tl.programEnd = program?.end;
    tl.provider = records;
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
        ["→ the preview's summary (`pulumi up` without --skip-preview only)", d(tl.prelude, tl.previewEnd)],
        ["→ the program starts (plugins, language host; a project's: its process and @pulumi/pulumi load)", d(tl.previewEnd ?? tl.prelude, tl.programStart)],
        ["the program's top level (requires, constructors)", d(tl.programStart, tl.programEnd)],
        ["→ the first step starts (inputs resolve: discovery, plan; register, check, diff)", d(tl.programEnd, first)],
        ["first step starts → last step ends", d(first, last)],
        ["→ the engine's summary (outputs registered, state saved)", d(last, tl.summary)],
        ["→ the CLI exits (plugins shut down, state saved)", d(tl.summary, tl.cliExit)],
        ["→ up() returns (the Automation API's `stack output` and `stack history`; the CLI: none)", d(tl.cliExit, tl.end)],
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
    // By process and record; with a preview first, the update's (the last of each).
    const key = (r: ProbeRecord) => `${r.proc ?? "provider"} process: ${r.what}`;
    const last = (u: UpTimeline, k: string) => u.provider.filter((x) => key(x) === k).pop();
    const kinds = new Set(p.ups.flatMap((u) => u.provider.map(key)));
    for (const k of kinds) {
        const at = (u: UpTimeline, f: (r: ProbeRecord) => number) => {
            const r = last(u, k);
            return r ? f(r) - u.start : NaN;
        };
        const sized = p.ups.map((u) => last(u, k)).find((r) => r?.inBytes !== undefined);
        const sizes = sized ? `, ${Math.round(sized.inBytes! / 1024)} KiB in, ${Math.round((sized.outBytes ?? 0) / 1024)} KiB out` : "";
        rows.push({ label: `  ${k}${sizes}`, start: medianOf(p.ups.map((u) => at(u, (r) => r.t))), end: medianOf(p.ups.map((u) => at(u, (r) => r.end ?? r.t))) });
    }
    rows.sort((a, b) => a.start - b.start);
    const width = Math.max(...rows.map((r) => r.label.length));
    return [
        `  ${`the steps of the ${p.label} up, from up() (s)`.padEnd(width)}  ${"start".padStart(6)}  ${"end".padStart(6)}  ${"takes".padStart(6)}`,
        ...rows.map((r) => `  ${r.label.padEnd(width)}  ${seconds(r.start).padStart(6)}  ${seconds(r.end).padStart(6)}  ${seconds(r.end - r.start).padStart(6)}`),
    ];
}

