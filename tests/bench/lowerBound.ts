/**
 * The least any correct client must do, run for real: one login; the reads correctness needs
 * (the running config and the sessions, in one exchange); the configuration lines as a sliding
 * window of at most the device's input buffer, with the verify read behind them; the save in
 * one exchange. Nothing is parsed: answers are only counted, so what it costs is the network,
 * SSH and the device. The caller gives the lines: for the bench, the package's own for the same
 * end state (`addLines` in `sequence.ts`), so the bound writes no less than the package must.
 */
import { openRawShell, PromptCounter, type RawTarget } from "./rawSsh";

const READ = ["show running-config", "show ip bgp summary"];

/** One pipelined exchange: lines written as a window, done when each has its prompt. */
async function exchange(write: (text: string) => void, prompts: PromptCounter, lines: readonly string[], windowBytes: number): Promise<void> {
    const start = prompts.count;
    const sizes = lines.map((l) => Buffer.byteLength(l) + 1);
    let sent = 0;
    let inFlight = 0;
    let answered = 0;
    while (answered < lines.length) {
        let text = "";
        while (sent < lines.length && (sent === answered || inFlight + sizes[sent] <= windowBytes)) {
            text += `${lines[sent]}\n`;
            inFlight += sizes[sent];
            sent++;
        }
        if (text) write(text);
        await prompts.until(start + answered + 1);
        const now = Math.min(prompts.count - start, lines.length);
        for (; answered < now; answered++) inFlight -= sizes[answered];
    }
}

/** The exchanges of an operation: `lines` empty means a read (or a no-change update). */
export async function lowerBound(target: RawTarget, lines: readonly string[], windowBytes: number, options: { verify: boolean }): Promise<void> {
    const { client, stream } = await openRawShell(target);
    try {
        const prompts = new PromptCounter(stream);
        await prompts.until(1);
        const write = (text: string): void => void stream.write(text);
        await exchange(write, prompts, ["vtysh", ...READ], windowBytes);
        if (lines.length === 0) return;
        await exchange(write, prompts, ["configure terminal", "router bgp 500", ...lines, "end", ...(options.verify ? READ : [])], windowBytes);
        await exchange(write, prompts, ["write", "exit", "save ns config"], windowBytes);
    } finally {
        client.end();
    }
}
