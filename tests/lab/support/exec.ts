/** Runs the lab's helper programs (ip, vtysh, birdc) with a bound on time and errors that say what ran. */
import { execFile } from "node:child_process";

export class LabCommandError extends Error {
    constructor(
        readonly argv: readonly string[],
        readonly code: number | string | null,
        readonly stdout: string,
        readonly stderr: string,
    ) {
        super(`${argv.join(" ")} failed (${code}): ${(stderr || stdout).trim().slice(0, 500)}`);
        this.name = "LabCommandError";
    }
}

export interface RunOptions {
    timeoutMs?: number;
    cwd?: string;
    /** Resolve instead of throwing on a non-zero exit. */
    allowFailure?: boolean;
}

export interface RunResult {
    stdout: string;
    stderr: string;
    code: number;
}

export function run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const timeout = options.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
        execFile(cmd, [...args], { timeout, killSignal: "SIGKILL", cwd: options.cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
            if (!err) return resolve({ stdout, stderr, code: 0 });
            const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
            const code = e.killed ? `killed after ${timeout} ms` : (e.code ?? null);
            if (options.allowFailure && typeof e.code === "number") return resolve({ stdout, stderr, code: e.code });
            reject(new LabCommandError([cmd, ...args], code, stdout, stderr));
        });
    });
}

/** The same program, run inside network namespace `ns` (`ip netns exec` execs it in place). */
export function runIn(ns: string, cmd: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    return run("ip", ["netns", "exec", ns, cmd, ...args], options);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns a value other than undefined, for at most `timeoutMs`. On
 * timeout throws with `describe()` (the last thing seen), so a failed wait says why.
 */
export async function waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    options: { timeoutMs: number; intervalMs?: number; describe?: () => string },
): Promise<T> {
    const deadline = Date.now() + options.timeoutMs;
    let lastError: unknown;
    for (;;) {
        try {
            const v = await probe();
            if (v !== undefined) return v;
        } catch (e) {
            lastError = e;
        }
        if (Date.now() >= deadline) {
            const seen = options.describe?.() ?? (lastError instanceof Error ? lastError.message : "");
            throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${seen ? `; last seen: ${seen}` : ""}`);
        }
        await sleep(options.intervalMs ?? 200);
    }
}
