/**
 * Loaded with `NODE_OPTIONS=--require` into the node processes the engine starts during the
 * engine-level bench, it records, in the dynamic-provider host only, when the process started,
 * how long the host's own module took to load, how long `pulumi-calico-adc/dynamic` took to load,
 * and each provider call (start, end, the JSON size of what went in and came out), as lines of
 * JSON in `$PCA_BENCH_PROBE`. Wall-clock milliseconds, to line up with the bench's own clock.
 * It changes nothing the host or the providers do.
 */
import { appendFileSync } from "node:fs";
import Module from "node:module";
import { performance } from "node:perf_hooks";

/** One record; `t` and `end` are `Date.now()` milliseconds. */
export interface ProbeRecord {
    pid: number;
    what: string;
    t: number;
    end?: number;
    inBytes?: number;
    outBytes?: number;
}

const file = process.env.PCA_BENCH_PROBE;
const isHost = process.argv.some((a) => a.includes("dynamic-provider"));

function record(r: Omit<ProbeRecord, "pid">): void {
    appendFileSync(file!, JSON.stringify({ pid: process.pid, ...r }) + "\n");
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
