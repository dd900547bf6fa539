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

/** How a pipelined batch is sent. */
export interface BatchOptions {
    /**
     * The most bytes of a batch written and not yet answered: the device's input buffer must
     * hold them (one line more is sent only when nothing is outstanding).
     */
    readonly windowBytes: number;
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
    /**
     * The modes whose prompt may end this line's answer (default: any). nscli's prompt pattern is
     * loose, so it is looked for only where an item accepts it: a vtysh show's `*>` cut off by a
     * packet boundary is not a prompt.
     */
    readonly accept?: readonly ModeName[];
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
    /** Lines of the batch being read that were sent beyond the one being answered. */
    private typedAhead = 0;
    /** A pager prompt appeared while lines were typed ahead: they may have been taken as keys. */
    private pagedWithTypeAhead = false;
    /** An empty line was sent to provoke the first prompt: its own prompt may still come. */
    nudged = false;
    /** The prompt that ended the last batch, as the device printed it. */
    lastPrompt: string | undefined;
    /**
     * The exact text of the nscli prompt as last seen (`> `). nscli's prompt pattern is too loose
     * to look for at the start of a line in the middle of a batch, its exact text is not.
     */
    private cliPrompt: string | undefined;
    /** The first prompt came without trailing blanks: they may still be on their way. */
    private cliPaddingUnsure = false;
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
            if (this.closedFlag) return;
            this.nudged = true;
            this.writeRaw("\n", 1);
        }, nudgeAfterMs);
        try {
            return await this.read(
                () => label,
                () => {
                    const tail = this.screen.tail;
                    const mode = this.promptMode(tail);
                    if (mode === undefined) return undefined;
                    if (mode === "cli") {
                        this.cliPrompt = tail;
                        this.cliPaddingUnsure = tail.trimEnd() === tail;
                    }
                    const body = this.screen.lines.join("\n");
                    this.screen.consumeAll();
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
                const tail = this.screen.tail;
                const mode = this.promptMode(tail, accept);
                if (mode === undefined) return undefined;
                const lines = this.screen.lines;
                const echo = wanted === "" ? -1 : lines.findIndex((l) => l.trimEnd().endsWith(wanted));
                const output = echo >= 0 ? lines.slice(echo + 1) : lines;
                if (echo < 0 && mode === fromMode && output.every((l) => l.trim() === "")) return undefined;
                if (complete && !complete(output, tail)) return undefined;
                if (mode === "cli") this.cliPrompt = tail;
                this.screen.consumeAll();
                const reply: Reply = { output: output.join("\n"), prompt: tail, mode };
                this.traceReceived(reply.output, tail);
                return reply;
            },
            () => new AdcDisconnectedError(this.options.host, label),
        );
    }

    /**
     * Sends the items pipelined and reads one answer per item, counting prompts: the output
     * between the n-th and the (n+1)-th prompt is the n-th item's answer. Lines go out as a
     * sliding window: at most `windowBytes` written and not yet answered, so a device that reads
     * its input into a fixed buffer is never overrun, and the pipe stays full while answers flow.
     * The device echoes each line either after its prompt (`ns(config)#neighbor ...`) or, for
     * type-ahead, as it arrives, possibly with several prompts on one line; echoed lines are
     * recognised by their text and dropped. The timeout applies to each line.
     *
     * Every chunk is examined once: the cost is linear in the batch and its answers.
     */
    async sendBatch(items: readonly BatchItem[], disconnected: BatchDisconnect, options: BatchOptions): Promise<BatchReply[]> {
        if (items.length === 0) return [];
        const outputs: string[][] = items.map(() => []);
        const modes: ModeName[] = [];
        // Trailing blanks of an answer are the terminal's, not output.
        /**
         * The prompts that make up the incomplete last line, once it is nothing else: answers as
         * much as the ones before it (a device that stops there has answered them), so an error
         * names the first line after them and lists them as confirmed.
         */
        let tailModes: readonly ModeName[] = [];
        const answeredModes = (): ModeName[] => [...modes, ...tailModes].slice(0, items.length);
        const replies = (): BatchReply[] => answeredModes().map((mode, i) => ({ output: outputs[i].join("\n").trimEnd(), mode }));
        const pending = (): number => Math.min(modes.length + tailModes.length, items.length - 1);
        /** The next item whose echo has not been seen: echoes come in the order the lines were sent. */
        let echoed = 0;
        // Blanks around an echo are the terminal's (a prompt's trailing blank may come late).
        // Each item's text trimmed once: thousands of answer lines are compared with the next echo.
        const echoes = items.map((i) => i.text.trim());
        const isNextEcho = (text: string): boolean => {
            // A line that does not hold the echo's text is not the echo: told without trimming it.
            if (echoed >= sent || !text.includes(echoes[echoed])) return false;
            const trimmed = text.trim();
            return trimmed !== "" && trimmed === echoes[echoed];
        };
        const isEcho = (text: string): boolean => {
            if (!isNextEcho(text)) return false;
            echoed++;
            return true;
        };
        const { successMarker } = this.options.platform.platform;
        const nscliFinished = (i: number): boolean => outputs[i].some((l) => successMarker.test(l) || this.options.platform.isFailureLine(l, "nscli"));
        const prompts = (line: string, answering: number, isTail: boolean): { modes: readonly ModeName[]; rest: number; lastStart: number } => {
            // Nearly every line of a show's answer starts with no prompt, and the command answered
            // takes no nscli prompt: told by one match, without the search (nor its context built).
            if (!this.options.platform.startsWithInlinePrompt(line)) {
                const accept = items[Math.min(answering, items.length - 1)].accept;
                if (accept !== undefined && !accept.includes("cli")) return NO_PROMPTS;
            }
            const at = (k: number): number => Math.min(answering + k, items.length - 1);
            return this.batchPrompts(line, {
                accepts: (k) => items[at(k)].accept,
                finished: (k) => k === 0 && nscliFinished(at(0)),
                cliPrompt: this.cliPrompt,
                isNextEcho,
                isTail,
            });
        };
        // upTo[i]: the bytes of the first i items, with their newlines.
        const upTo = [0];
        for (const item of items) upTo.push(upTo[upTo.length - 1] + Buffer.byteLength(item.text) + 1);
        let sent = 0;
        let processed = 0;
        let answeredBefore = 0;
        let seen = 0;
        /** Sends what the window allows once `answered` items have their prompt. */
        const sendMore = (answered: number): void => {
            const from = sent;
            while (sent < items.length && (sent === answered || upTo[sent + 1] - upTo[answered] <= options.windowBytes)) sent++;
            if (sent > from) {
                const batch = items.slice(from, sent);
                this.write(batch.map((i) => `${i.text}\n`).join(""), batch.length, batch.map((i) => i.label).join("\n"));
            }
            this.typedAhead = sent - answered - 1;
        };
        // The device answers line by line, and one read from the socket brings many answers,
        // each its own data event: refilling on each would send a packet per line (encrypted,
        // padded and written one by one). The refill waits until the answers that have arrived
        // are read, then sends what they free in one write: no later on the wire, a fraction of
        // the packets.
        let refill: NodeJS.Immediate | undefined;
        let over = false;
        const refillSoon = (): void => {
            refill ??= setImmediate(() => {
                refill = undefined;
                if (over || this.closedFlag || this.timedOut) return;
                try {
                    sendMore(answeredBefore);
                } catch {
                    // The stream closed as the answers came: the read reports it.
                }
            });
        };

        this.pagedWithTypeAhead = false;
        sendMore(0);
        try {
            return await this.read(
                () => items[pending()].label,
                (progress) => {
                    if (this.pagedWithTypeAhead) {
                        throw new AdcError(
                            this.options.host,
                            `the device paged its answer to ${JSON.stringify(this.options.redactor.redact(items[pending()].label))} while further commands were already sent, so it may have taken them for keys`,
                            "turn paging off on the ADC (`set cli mode -page OFF` in the CLI, `terminal length 0` in vtysh) and run again",
                        );
                    }
                    // Last step's tail is a whole line now, or still the tail: counted again below either way.
                    tailModes = [];
                    const lines = this.screen.lines;
                    for (; processed < lines.length; processed++) {
                        const line = lines[processed];
                        if (processed === 0 && this.cliPaddingUnsure && this.cliPrompt !== undefined) {
                            // The blanks before the first echo are the first prompt's, come late.
                            const late = /^[ \t]+/.exec(line);
                            if (late && echoed < sent && line.trim() === echoes[echoed]) {
                                this.cliPrompt += late[0];
                                // The prompt ending this batch must wait for them too, or its blank would open the next answer.
                                this.promptPadding.set("cli", Math.max(this.promptPadding.get("cli") ?? 0, late[0].length));
                            }
                            this.cliPaddingUnsure = false;
                        }
                        const found = prompts(line, modes.length, false);
                        for (let k = 0; k < found.modes.length && modes.length < items.length; k++) modes.push(found.modes[k]);
                        const remainder = line.slice(found.rest);
                        const echo = echoed;
                        if (isEcho(remainder)) {
                            // Line k's echo comes before its answer's prompt: more prompts before
                            // it are stray (an extra newline's answer), not answers.
                            if (modes.length > echo) modes.length = Math.max(echo, modes.length - found.modes.length);
                            continue;
                        }
                        outputs[pending()].push(remainder);
                    }
                    const tail = this.screen.tail;
                    const tailPrompts = prompts(tail, modes.length, true);
                    const tailIsPrompts = tailPrompts.modes.length > 0 && tail.slice(tailPrompts.rest).trim() === "";
                    // From a device that echoes, no more than the lines echoed before them: a line's
                    // answer comes after its echo, so a prompt beyond that is stray (as the
                    // whole-line path finds it). From one that does not, nothing tells a stray one.
                    const mayBeAnswers = echoed > 0 ? Math.max(0, echoed - modes.length) : tailPrompts.modes.length;
                    tailModes = tailIsPrompts ? tailPrompts.modes.slice(0, mayBeAnswers) : [];
                    if (tailIsPrompts && modes.length + tailPrompts.modes.length >= items.length) {
                        for (const m of tailPrompts.modes) if (modes.length < items.length) modes.push(m);
                        tailModes = [];
                        this.lastPrompt = tail.slice(tailPrompts.lastStart);
                        if (modes[modes.length - 1] === "cli") this.cliPrompt = this.lastPrompt;
                        this.typedAhead = 0;
                        this.screen.consumeAll();
                        const result = replies();
                        // The answers joined for the trace only when it is on: a copy of every show's text otherwise.
                        if (this.options.trace) this.traceReceived(result.map((r) => r.output).filter((o) => o !== "").join("\n"), "");
                        return result;
                    }
                    const answered = Math.min(items.length, modes.length + (tailIsPrompts ? tailPrompts.modes.length : 0));
                    if (answered > answeredBefore) {
                        answeredBefore = answered;
                        // What is typed ahead shrinks now (a pager prompt is answered only with none), the refill follows.
                        this.typedAhead = Math.max(0, sent - answered - 1);
                        refillSoon();
                    }
                    if (processed > seen) {
                        // Output keeps coming: the device is answering, not hanging.
                        seen = processed;
                        progress();
                    }
                    return undefined;
                },
                () => disconnected(replies(), pending()),
            );
        } finally {
            over = true;
            if (refill !== undefined) clearImmediate(refill);
            this.typedAhead = 0;
        }
    }

    /**
     * The prompts at the start of a line of a batch's answers, and where the rest (an echo, or
     * output) starts. vtysh prompts are specific enough to be found anywhere at a line's start
     * (several in a row after type-ahead). nscli's pattern is loose (any short line ending in
     * `>`), so it is looked for only where the item being answered accepts it, as: the exact
     * prompt seen last; a prompt followed by the echo of the next line sent (a prompt may show
     * the time); or, once nscli said it finished (` Done` or `ERROR:`), a line that is nothing but
     * a prompt (for the incomplete last line, only once its trailing blanks have come, see
     * {@link promptMode}).
     */
    private batchPrompts(line: string, o: BatchPromptContext): { modes: readonly ModeName[]; rest: number; lastStart: number } {
        const platform = this.options.platform;
        const modes: ModeName[] = [];
        let at = 0;
        let lastStart = 0;
        for (;;) {
            const inline = platform.leadingPrompts(at === 0 ? line : line.slice(at), { wholeLine: false });
            if (inline.modes.length > 0) {
                modes.push(...inline.modes);
                lastStart = at;
                at += inline.rest;
                continue;
            }
            const accept = o.accepts(modes.length);
            if (accept !== undefined && !accept.includes("cli")) break;
            const rest = line.slice(at);
            const known = o.cliPrompt?.trimEnd();
            // In the incomplete last line, only once its trailing blanks have come too.
            if (known !== undefined && known !== "" && rest.startsWith(o.isTail ? (o.cliPrompt as string) : known)) {
                // Its trailing blanks: all of them before an echo or another prompt (a prompt first
                // read before its blank arrived is known without it), else as many as it had.
                let end = known.length;
                while (rest[end] === " " || rest[end] === "\t") end++;
                const after = rest.slice(end);
                if (!o.isNextEcho(after) && platform.leadingPrompts(after, { wholeLine: false }).modes.length === 0) end = Math.min(end, (o.cliPrompt as string).length);
                modes.push("cli");
                lastStart = at;
                at += end;
                continue;
            }
            const echoAt = cliPromptBeforeEcho(rest, platform, o.isNextEcho);
            if (echoAt !== undefined) {
                modes.push("cli");
                lastStart = at;
                at += echoAt;
                break;
            }
            if (rest !== "" && o.finished(modes.length) && (o.isTail ? this.promptMode(rest, ["cli"]) === "cli" : platform.modeOfPromptLine(rest) === "cli")) {
                modes.push("cli");
                lastStart = at;
                at = line.length;
            }
            break;
        }
        return { modes, rest: at, lastStart };
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

    /**
     * Answers a pager prompt in the incomplete last line and removes it from what was received;
     * with lines typed ahead, leaves it for the batch read to refuse (they may have been taken
     * for keys).
     */
    private answerPager(): void {
        const tail = this.screen.tail;
        for (const re of this.options.platform.platform.pagers) {
            const m = re.exec(tail);
            if (!m) continue;
            if (this.typedAhead > 0) {
                this.pagedWithTypeAhead = true;
                return;
            }
            let start = m.index;
            let end = start + m[0].length;
            while (start > 0 && tail[start - 1] === " ") start--;
            while (end < tail.length && tail[end] === " ") end++;
            this.screen.removeFromTail(start, end);
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
                    // Whole lines redacted, then cut: cut first, a password line's rest would be no password to the redactor.
                    const last = redactor.redact(this.screen.recent(400)).slice(-200);
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

/** A line of a batch's answers that starts with no prompt. */
const NO_PROMPTS: { readonly modes: readonly ModeName[]; readonly rest: number; readonly lastStart: number } = Object.freeze({ modes: Object.freeze([]), rest: 0, lastStart: 0 });

/** What {@link Channel.batchPrompts} needs to know about the batch, for the k-th prompt on a line. */
interface BatchPromptContext {
    readonly accepts: (k: number) => readonly ModeName[] | undefined;
    /** Whether the answer so far says nscli finished the command. */
    readonly finished: (k: number) => boolean;
    readonly cliPrompt: string | undefined;
    readonly isNextEcho: (text: string) => boolean;
    readonly isTail: boolean;
}

/** Where the echo starts if `line` is an nscli prompt followed by the echo of the next line sent. */
function cliPromptBeforeEcho(line: string, platform: CompiledPlatform, isNextEcho: (text: string) => boolean): number | undefined {
    for (let gt = line.indexOf(">"); gt >= 0 && gt < 80; gt = line.indexOf(">", gt + 1)) {
        let start = gt + 1;
        while (line[start] === " " || line[start] === "\t") start++;
        const echo = line.slice(start);
        if (echo !== "" && isNextEcho(echo) && platform.modeOfPromptLine(line.slice(0, start)) === "cli") return start;
    }
    return undefined;
}
