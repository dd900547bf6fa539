import type { Duplex } from "stream";
import { AdcDisconnectedError, AdcError, AdcTimeoutError } from "./errors";
import type { CompiledPlatform, ModeName } from "./platform";
import { Redactor } from "./redact";
import { TerminalBuffer } from "./terminal";

/** What the channel needs to know; nothing here is NetScaler-specific beyond the compiled platform. */
export interface ChannelOptions {
    /** For error messages. */
    readonly host: string;
    /** How long to wait for a prompt (per command; per line in a batch). */
    readonly commandTimeoutMs: number;
    readonly platform: CompiledPlatform;
    /** Applied to everything that leaves the channel: errors and the trace. */
    readonly redactor: Redactor;
    /** Receives the dialogue (already redacted): what was sent and each complete reply. */
    readonly trace?: (direction: "sent" | "received", text: string) => void;
}

/** The answer to one command. */
export interface Reply {
    /** The lines between the command's echo and the prompt, `\n`-joined (no trailing newline). */
    readonly output: string;
    /** The prompt that ended the answer. */
    readonly prompt: string;
    /** The mode that prompt belongs to. */
    readonly mode: ModeName;
}

/** One line of a pipelined batch. */
export interface BatchItem {
    /** Sent to the device. */
    readonly text: string;
    /** Used in errors and traces instead of `text` (secrets replaced). */
    readonly label: string;
}

/** The answer to one line of a batch: the output between its prompt and the next, and that next prompt's mode. */
export interface BatchReply {
    readonly output: string;
    readonly mode: ModeName;
}

/** How a batch read that ended early builds its error from the replies it had complete. */
export type BatchDisconnect = (complete: readonly BatchReply[], pending: number) => AdcError;

interface Waiter {
    check(): void;
    /** The stream closed. */
    fail(): void;
}

/**
 * The interaction layer over an interactive shell stream: writes commands, reads until a prompt
 * ends the answer, strips echo, escapes and pager prompts, enforces the command timeout, turns a
 * closed stream into AdcDisconnectedError. It knows prompts only through the compiled platform
 * and never decides whether an answer is a failure: that is the session's job.
 *
 * A prompt ends an answer only as the incomplete last line of what was received (text after the
 * last newline), so a prompt-like string inside output cannot end a read early.
 */
export class Channel {
    /** Lines written (each `\n`-terminated command, including every line of a batch). */
    linesSent = 0;
    private readonly screen = new TerminalBuffer();
    private waiter: Waiter | undefined;
    private closedFlag = false;
    /** Trailing blanks of the last prompt seen in each mode (`> ` has one), see {@link promptMode}. */
    private readonly promptPadding = new Map<ModeName, number>();
    /**
     * Set when a read timed out: the answer may still arrive and would be taken for the next
     * command's, so nothing more is sent on this channel.
     */
    private timedOut: AdcTimeoutError | undefined;
    private readonly onData = (chunk: Buffer | string): void => {
        this.screen.append(chunk);
        this.answerPager();
        this.waiter?.check();
    };
    private readonly onEnd = (): void => {
        if (this.closedFlag) return;
        this.closedFlag = true;
        this.waiter?.fail();
    };

    constructor(
        private readonly stream: Duplex,
        private readonly options: ChannelOptions,
    ) {
        stream.on("data", this.onData);
        stream.on("close", this.onEnd);
        stream.on("end", this.onEnd);
        stream.on("error", this.onEnd);
    }

    /** Whether the stream has closed. */
    get closed(): boolean {
        return this.closedFlag;
    }

    /**
     * Waits for the first prompt after login, skipping any banner. If none has come after
     * `nudgeAfterMs`, sends one empty line, as some devices print their prompt only then.
     */
    async waitForPrompt(label: string, nudgeAfterMs: number): Promise<Reply> {
        const nudge = setTimeout(() => {
            if (!this.closedFlag) this.writeRaw("\n", 1);
        }, nudgeAfterMs);
        try {
            return await this.read(
                () => label,
                () => {
                    const { body, tail } = this.split();
                    const mode = this.promptMode(tail);
                    if (mode === undefined) return undefined;
                    this.screen.consume(this.screen.text.length);
                    return { output: body, prompt: tail, mode };
                },
                () => new AdcDisconnectedError(this.options.host, label),
            );
        } finally {
            clearTimeout(nudge);
        }
    }

    /**
     * Sends one command and reads its answer. `fromMode` is the mode the command is typed in:
     * a prompt of that same mode with neither echo nor output before it is a stray prompt (an
     * extra newline's answer), not this command's, and reading goes on. `accept` lists the modes
     * whose prompt may end the answer (default: any): a command that stays in vtysh is not ended
     * by an output line that merely looks like the loose nscli prompt (`*>` cut off by a packet
     * boundary in `show ip bgp`). `complete`, if given, must also agree that the answer is whole.
     */
    async send(
        command: string,
        label: string,
        fromMode: ModeName,
        accept?: readonly ModeName[],
        complete?: (output: readonly string[], prompt: string) => boolean,
    ): Promise<Reply> {
        this.write(`${command}\n`, 1, label);
        const wanted = command.trim();
        return this.read(
            () => label,
            () => {
                const { lines, tail } = this.split();
                const mode = this.promptMode(tail, accept);
                if (mode === undefined) return undefined;
                const echo = wanted === "" ? -1 : lines.findIndex((l) => l.trimEnd().endsWith(wanted));
                const output = echo >= 0 ? lines.slice(echo + 1) : lines;
                if (echo < 0 && mode === fromMode && output.every((l) => l.trim() === "")) return undefined;
                if (complete && !complete(output, tail)) return undefined;
                this.screen.consume(this.screen.text.length);
                const reply: Reply = { output: output.join("\n"), prompt: tail, mode };
                this.traceReceived(reply.output, tail);
                return reply;
            },
            () => new AdcDisconnectedError(this.options.host, label),
        );
    }

    /**
     * Writes every item in one write and reads one answer per item, counting prompts: the
     * output between the n-th and the (n+1)-th prompt is the n-th item's answer. The device
     * echoes each line either after its prompt (`ns(config)#neighbor ...`) or, for type-ahead,
     * all at once before the answers, possibly with several prompts on one line; echoed lines
     * are recognised by their text and dropped. The timeout applies to each line.
     */
    async sendBatch(items: readonly BatchItem[], disconnected: BatchDisconnect): Promise<BatchReply[]> {
        if (items.length === 0) return [];
        const echoes = new Set(items.map((i) => i.text.trim()));
        const outputs: string[][] = items.map(() => []);
        const modes: ModeName[] = [];
        let processed = 0;
        const platform = this.options.platform;
        const replies = (): BatchReply[] => modes.map((mode, i) => ({ output: outputs[i].join("\n").trim(), mode }));
        const pending = (): number => Math.min(modes.length, items.length - 1);

        this.write(items.map((i) => `${i.text}\n`).join(""), items.length, items.map((i) => i.label).join("\n"));
        return this.read(
            () => items[pending()].label,
            (progress) => {
                const text = this.screen.text;
                const before = modes.length;
                for (let nl = text.indexOf("\n", processed); nl >= 0; nl = text.indexOf("\n", processed)) {
                    const line = text.slice(processed, nl);
                    processed = nl + 1;
                    const { modes: prompts, rest } = platform.leadingPrompts(line);
                    for (const m of prompts) if (modes.length < items.length) modes.push(m);
                    const remainder = line.slice(rest);
                    if (remainder.trim() === "" && prompts.length > 0) continue;
                    if (echoes.has(remainder.trim())) continue;
                    outputs[pending()].push(remainder);
                }
                if (modes.length > before) progress();
                const tail = platform.leadingPrompts(text.slice(processed));
                const tailIsPrompts = tail.modes.length > 0 && text.slice(processed + tail.rest).trim() === "";
                if (!tailIsPrompts || modes.length + tail.modes.length < items.length) return undefined;
                for (const m of tail.modes) if (modes.length < items.length) modes.push(m);
                this.screen.consume(text.length);
                const result = replies();
                this.traceReceived(result.map((r) => r.output).filter((o) => o !== "").join("\n"), "");
                return result;
            },
            () => disconnected(replies(), pending()),
        );
    }

    /** Closes the stream (the SSH channel); pending reads fail as disconnected. */
    close(): void {
        this.stream.removeListener("data", this.onData);
        if (!this.closedFlag) {
            this.closedFlag = true;
            this.waiter?.fail();
            this.stream.end();
        }
    }

    private write(text: string, lines: number, label: string): void {
        if (this.timedOut) throw this.timedOut;
        if (this.closedFlag) throw new AdcDisconnectedError(this.options.host, label);
        this.options.trace?.("sent", this.options.redactor.redact(label));
        this.writeRaw(text, lines);
    }

    private writeRaw(text: string, lines: number): void {
        this.linesSent += lines;
        this.stream.write(text);
    }

    /**
     * The mode whose prompt the incomplete last line is. A prompt that arrived without the
     * trailing blanks it had before (`>` of `> `, split across packets) is not complete yet:
     * taking it would leave its blank at the start of the next answer. (Until a mode's prompt has
     * been seen whole once, such a blank may still end up there; with echo, as on every PTY, it
     * lands in front of the echo, which is dropped.)
     */
    private promptMode(tail: string, accept?: readonly ModeName[]): ModeName | undefined {
        const mode = this.options.platform.modeOfPromptLine(tail);
        if (mode === undefined || (accept !== undefined && !accept.includes(mode))) return undefined;
        const padding = tail.length - tail.trimEnd().length;
        const known = this.promptPadding.get(mode) ?? 0;
        if (padding < known) return undefined;
        this.promptPadding.set(mode, padding);
        return mode;
    }

    /** The received text as complete lines and the incomplete last line. */
    private split(): { body: string; lines: string[]; tail: string } {
        const text = this.screen.text;
        const nl = text.lastIndexOf("\n");
        const body = nl >= 0 ? text.slice(0, nl) : "";
        return { body, lines: nl >= 0 ? body.split("\n") : [], tail: text.slice(nl + 1) };
    }

    /** Answers a pager prompt in the last line and removes it from what was received. */
    private answerPager(): void {
        const text = this.screen.text;
        const lineStart = text.lastIndexOf("\n") + 1;
        const tail = text.slice(lineStart);
        for (const re of this.options.platform.platform.pagers) {
            const m = re.exec(tail);
            if (!m) continue;
            let start = lineStart + m.index;
            let end = start + m[0].length;
            while (start > lineStart && text[start - 1] === " ") start--;
            while (end < text.length && text[end] === " ") end++;
            this.screen.remove(start, end);
            if (!this.closedFlag) this.stream.write(this.options.platform.platform.pagerAnswer);
            return;
        }
    }

    private traceReceived(output: string, prompt: string): void {
        const trace = this.options.trace;
        if (trace) trace("received", this.options.redactor.redact([output, prompt].filter((t) => t !== "").join("\n")));
    }

    /**
     * Runs `step` whenever data arrives until it returns a value. The timeout restarts when
     * `step` reports progress (a batch line answered).
     */
    private read<T>(label: () => string, step: (progress: () => void) => T | undefined, disconnected: () => AdcError): Promise<T> {
        const { host, commandTimeoutMs, redactor } = this.options;
        if (this.closedFlag) return Promise.reject(disconnected());
        if (this.waiter) return Promise.reject(new Error("channel: a read is already in progress"));
        return new Promise<T>((resolve, reject) => {
            let timer: NodeJS.Timeout | undefined;
            let done = false;
            const finish = (error: Error | undefined, value?: T): void => {
                if (done) return;
                done = true;
                clearTimeout(timer);
                this.waiter = undefined;
                if (error) reject(error);
                else resolve(value as T);
            };
            const arm = (): void => {
                clearTimeout(timer);
                timer = setTimeout(() => {
                    const last = redactor.redact(this.screen.text).slice(-200);
                    this.timedOut = new AdcTimeoutError(host, redactor.redact(label()), commandTimeoutMs, last);
                    finish(this.timedOut);
                }, commandTimeoutMs);
            };
            this.waiter = {
                check: () => {
                    try {
                        const value = step(arm);
                        if (value !== undefined) finish(undefined, value);
                    } catch (e) {
                        finish(e as Error);
                    }
                },
                fail: () => finish(disconnected()),
            };
            arm();
            this.waiter.check();
        });
    }
}
