/**
 * What users write without this package: one `@pulumi/command` remote Command per neighbor,
 * each its own SSH login running a script, as its connection code does it (dial retried on
 * error up to `dialErrorLimit`, 10 by default; no host-key check by default). The script is
 * written to a shell at once, as `ssh adc < script` would, and saves, as users run it. Pulumi
 * runs resources `parallel` at a time (unbounded by default).
 */
import { openRawShell, type RawTarget } from "./rawSsh";

const DIAL_ERROR_LIMIT = 10;

/** The script of one neighbor's Command. */
export function neighborScript(line: string): string {
    return ["vtysh", "configure terminal", "router bgp 500", line, "end", "write", "exit", "save ns config", "exit", ""].join("\n");
}

/** One Command: dial (with retries), run the script, wait for the shell to end. */
async function runCommand(target: RawTarget, script: string): Promise<void> {
    let delay = 100;
    for (let dials = 1; ; dials++) {
        let opened: Awaited<ReturnType<typeof openRawShell>>;
        try {
            opened = await openRawShell(target);
        } catch (e) {
            if (dials > DIAL_ERROR_LIMIT) throw e;
            // pulumi-command's dial retry waits 100 ms, then 1.5 times longer each time, at most 5 s
            // (TestDialWithRetry in provider/pkg/provider/remote/connection_test.go).
            await new Promise((r) => setTimeout(r, delay));
            delay = Math.min(delay * 1.5, 5000);
            continue;
        }
        const { client, stream } = opened;
        await new Promise<void>((resolve) => {
            stream.on("close", () => resolve());
            stream.on("data", () => undefined);
            stream.write(script);
        });
        client.end();
        return;
    }
}

/**
 * Runs one Command per line, `parallel` at a time. As in a Pulumi update, a Command that fails
 * does not stop the others; the run fails at the end, with how many failed.
 */
export async function baseline(target: RawTarget, lines: readonly string[], parallel: number): Promise<void> {
    let next = 0;
    const failures: unknown[] = [];
    const worker = async (): Promise<void> => {
        while (next < lines.length) {
            const line = lines[next++];
            await runCommand(target, neighborScript(line)).catch((e: unknown) => failures.push(e));
        }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, lines.length) }, worker));
    if (failures.length > 0) throw new BaselineFailure(failures.length, lines.length, failures[0]);
}

/** Some of a run's Commands failed (each after its dial retries). */
export class BaselineFailure extends Error {
    constructor(
        readonly failed: number,
        readonly of: number,
        readonly first: unknown,
    ) {
        super(`${failed} of ${of} Commands failed; the first: ${first instanceof Error ? first.message : String(first)}`);
        this.name = "BaselineFailure";
    }
}
