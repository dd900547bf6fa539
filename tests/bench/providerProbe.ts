/**
 * Loaded with `NODE_OPTIONS=--require` into the node processes the engine starts during the
 * engine-level bench, it records, in the dynamic-provider host, when the process started, how
 * long the host's own module took to load, how long `pulumi-calico-adc/dynamic` took to load, and
 * each provider call (start, end, the JSON size of what went in and came out); and in the program
 * process of a project directory (`pulumi up` there: the language host runs `@pulumi/pulumi/cmd/run`),
 * when it started and when the program's top level (`$PCA_BENCH_PROGRAM`) ran. Lines of JSON in
 * `$PCA_BENCH_PROBE`; wall-clock milliseconds, to line up with the bench's own clock. It changes
 * nothing the host, the program or the providers do.
 */
import { appendFileSync } from "node:fs";
import Module from "node:module";
import { performance } from "node:perf_hooks";

/** One record; `t` and `end` are `Date.now()` milliseconds. */
export interface ProbeRecord {
    pid: number;
    /** Which process: the dynamic-provider host, or the program's (a project directory's up). */
    proc: "provider" | "program";
    what: string;
    t: number;
    end?: number;
    inBytes?: number;
    outBytes?: number;
}

const file = process.env.PCA_BENCH_PROBE;
const isHost = process.argv.some((a) => a.includes("dynamic-provider"));
const isProgram = !isHost && process.argv.some((a) => /[\\/]cmd[\\/]run([\\/]|$)/.test(a));
const program = process.env.PCA_BENCH_PROGRAM;

function record(r: Omit<ProbeRecord, "pid" | "proc">): void {
    appendFileSync(file!, JSON.stringify({ pid: process.pid, proc: isHost ? "provider" : "program", ...r }) + "\n");
}

const size = (v: unknown): number | undefined => {
    try {
        return JSON.stringify(v)?.length;
    } catch {
        return undefined;
    }
};

function wrapProviders(providers: Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>): void {
    for (const [kind, p] of Object.entries(providers)) {
        for (const method of Object.keys(p)) {
            const original = p[method]!;
            p[method] = async (...args: unknown[]) => {
                const t = Date.now();
                const result = await original.apply(p, args);
                record({ what: `${kind}.${method}`, t, end: Date.now(), inBytes: size(args[args.length - 1]), outBytes: size(result) });
                return result;
            };
        }
    }
}

if (file && isHost) {
    record({ what: "process start", t: Math.round(performance.timeOrigin) });
    const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
    const load = loader._load;
    let wrapped = false;
    loader._load = function (request: string, parent: unknown, isMain: boolean) {
        const watched = isMain || (request === "pulumi-calico-adc/dynamic" && !wrapped);
        const t = Date.now();
        const exports = load.call(this, request, parent, isMain);
        if (watched) {
            record({ what: isMain ? "host module" : "package", t, end: Date.now() });
            if (!isMain) {
                wrapped = true;
                wrapProviders((exports as { providers: Parameters<typeof wrapProviders>[0] }).providers);
            }
        }
        return exports;
    };
}

if (file && isProgram && program) {
    record({ what: "process start", t: Math.round(performance.timeOrigin) });
    const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown; _resolveFilename: (request: string, parent: unknown) => string };
    const load = loader._load;
    let seen = false;
    loader._load = function (request: string, parent: unknown, isMain: boolean) {
        let watched = false;
        if (!seen && (request.startsWith("/") || request.startsWith("."))) {
            try {
                watched = loader._resolveFilename(request, parent) === program;
            } catch {
                // Not resolvable from here: not the program; the real load reports it.
            }
        }
        if (!watched) return load.call(this, request, parent, isMain);
        seen = true;
        const t = Date.now();
        try {
            return load.call(this, request, parent, isMain);
        } finally {
            record({ what: "program's top level", t, end: Date.now() });
        }
    };
}

/**
 * `PCA_BENCH_CPU_PROFILE=<dir>`: a CPU profile of the probed process (`--cpu-prof` is not allowed
 * in NODE_OPTIONS), written at its exit as `<dir>/<program|provider>-<pid>.cpuprofile`.
 */
const profileDir = process.env.PCA_BENCH_CPU_PROFILE;
if (file && profileDir && (isHost || isProgram)) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const inspector = require("node:inspector") as typeof import("node:inspector");
    const session = new inspector.Session();
    session.connect();
    session.post("Profiler.enable");
    session.post("Profiler.setSamplingInterval", { interval: 500 });
    session.post("Profiler.start");
    // The session's calls complete synchronously on the main thread, so this still runs at exit.
    process.on("exit", () => {
        session.post("Profiler.stop", (err, result) => {
            if (!err) require("node:fs").writeFileSync(`${profileDir}/${isHost ? "provider" : "program"}-${process.pid}.cpuprofile`, JSON.stringify(result.profile));
        });
    });
}
