import { Shell, ShellReply } from "./shell";

/**
 * How typed input is echoed.
 * - `line`: the shell echoes each line when it reads it, so a pipelined batch comes back as
 *   prompt, line, output, prompt, line, output...
 * - `typeahead`: the terminal echoes bytes as they arrive (a tty in cooked mode), so a pipelined
 *   batch is echoed whole before the first answer.
 * - `none`: nothing is echoed (a session without a terminal).
 */
export type EchoMode = "line" | "typeahead" | "none";

/** What the terminal asks of its owner (the SSH channel, or a test). */
export interface TerminalHooks {
    readonly echo: EchoMode;
    /** Delay before each answer, in milliseconds. */
    latencyMs(): number;
    /**
     * A line was read in `mode`; returns `drop` to cut the connection before it is answered,
     * `hang` to answer neither it nor any later line, or an error text to answer instead.
     */
    lineReceived(line: string, shell: Shell): LineVerdict;
    /** A line was answered. */
    lineAnswered(line: string, reply: ShellReply, modeBefore: Shell["mode"]): void;
    write(data: string): void;
    /** Input arrived while every earlier line was answered: the client had waited for an answer (one round trip). */
    waited?(): void;
    /** Input bytes dropped because the input buffer was full. */
    dropped?(count: number): void;
    /** The shell ended (`exit` at `>`): close the channel. */
    end(): void;
    /** Cut the connection without a goodbye. */
    drop(): void;
}

/** What the owner of a terminal decides about one received line. */
export type LineVerdict = { readonly drop: true } | { readonly drop: false; readonly hang?: boolean; readonly errorReply?: string };

/** A line or Ctrl-Z, and how many received characters it took (released from the input buffer when it is read). */
type Input = ({ readonly kind: "line"; readonly text: string } | { readonly kind: "ctrlZ" }) & { readonly size: number };

const CR = "\r";
const LF = "\n";
/** Longest line kept; the rest of a longer line is discarded (a device's input buffer is finite too). */
export const MAX_LINE_LENGTH = 16384;

/**
 * A terminal line discipline over a {@link Shell}: splits input into lines (CR, LF or CRLF),
 * handles backspace and Ctrl-Z, echoes, and answers lines strictly in order, one prompt per line.
 */
export class Terminal {
    private current = "";
    private lastWasCr = false;
    private escape = 0;
    private readonly queue: Input[] = [];
    private busy = false;
    private stopped = false;
    /** Bytes received (UTF-8) and not yet read by the shell (queued lines with their ends, and the current line). */
    private buffered = 0;
    /** Bytes received since the last complete input. */
    private pending = 0;

    constructor(
        private readonly shell: Shell,
        private readonly hooks: TerminalHooks,
        /** Bytes of input held at most, as a PTY holds them; more is dropped. */
        private readonly inputBuffer = Infinity,
    ) {}

    /** Prints the login banner lines and the first prompt. */
    start(banner: readonly string[]): void {
        this.hooks.write(banner.map((l) => `${l}\r\n`).join("") + this.shell.prompt());
    }

    /** Stops answering (the channel or connection is gone). */
    stop(): void {
        this.stopped = true;
        this.queue.length = 0;
        // Lines answered with more queued behind them were not applied yet.
        void this.shell.device.settleRouting();
    }

    feed(data: string): void {
        if (this.stopped) return;
        if (!this.busy && this.queue.length === 0 && this.current === "") this.hooks.waited?.();
        let echo = "";
        let dropped = 0;
        for (const ch of data) {
            // A PTY's buffer holds bytes: a character of UTF-8 takes up to four.
            const bytes = ch.length === 1 && ch.charCodeAt(0) < 0x80 ? 1 : Buffer.byteLength(ch);
            if (this.buffered + bytes > this.inputBuffer) {
                dropped += bytes;
                continue;
            }
            this.buffered += bytes;
            this.pending += bytes;
            if (this.escape > 0) {
                // Skip ANSI escape sequences (arrow keys): ESC [ <params> <final>.
                if (this.escape === 1 && ch !== "[") this.escape = 0;
                else if (this.escape === 1) this.escape = 2;
                else if (ch >= "@" && ch <= "~") this.escape = 0;
                continue;
            }
            if (ch === LF && this.lastWasCr) {
                this.lastWasCr = false;
                continue;
            }
            this.lastWasCr = ch === CR;
            if (ch === CR || ch === LF) {
                this.queue.push({ kind: "line", text: this.current, size: this.take() });
                this.current = "";
                echo += "\r\n";
            } else if (ch === "\x7f" || ch === "\b") {
                if (this.current.length > 0) {
                    this.current = this.current.slice(0, -1);
                    echo += "\b \b";
                }
            } else if (ch === "\x1a") {
                this.current = "";
                this.queue.push({ kind: "ctrlZ", size: this.take() });
                echo += "^Z\r\n";
            } else if (ch === "\x03") {
                this.current = "";
            } else if (ch === "\x04") {
                if (this.current === "") {
                    this.queue.push({ kind: "line", text: "exit", size: this.take() });
                    echo += "\r\n";
                }
            } else if (ch === "\x1b") {
                this.escape = 1;
            } else if ((ch >= " " || ch === "\t") && this.current.length < MAX_LINE_LENGTH) {
                this.current += ch;
                echo += ch;
            }
        }
        if (dropped > 0) this.hooks.dropped?.(dropped);
        if (this.hooks.echo === "typeahead" && echo) this.hooks.write(echo);
        void this.pump();
    }

    private take(): number {
        const size = this.pending;
        this.pending = 0;
        return size;
    }

    private async pump(): Promise<void> {
        if (this.busy) return;
        this.busy = true;
        try {
            while (!this.stopped && this.queue.length > 0) {
                const input = this.queue.shift()!;
                this.buffered -= input.size;
                await this.answer(input);
            }
        } finally {
            this.busy = false;
        }
    }

    private async answer(input: Input): Promise<void> {
        const lineEcho = this.hooks.echo === "line";
        if (input.kind === "ctrlZ") {
            if (lineEcho) this.hooks.write("^Z\r\n");
            const r = this.shell.controlZ();
            this.hooks.write(render(r, this.shell));
            return;
        }
        const verdict = this.hooks.lineReceived(input.text, this.shell);
        if (verdict.drop) {
            this.stop();
            this.hooks.drop();
            return;
        }
        if (verdict.hang) {
            this.stop();
            return;
        }
        if (lineEcho) this.hooks.write(`${input.text}\r\n`);
        const latency = this.hooks.latencyMs();
        if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
        if (this.stopped) return;
        const modeBefore = this.shell.mode;
        const r: ShellReply =
            verdict.errorReply !== undefined
                ? { lines: [verdict.errorReply], close: false, failed: true, configCommand: this.shell.inConfigMode && input.text.trim() !== "" }
                : await executeSafely(this.shell, input.text, { more: this.queue.length > 0 });
        this.hooks.lineAnswered(input.text, r, modeBefore);
        if (this.stopped) return;
        this.hooks.write(render(r, this.shell));
        if (r.close) {
            this.stop();
            this.hooks.end();
        }
    }
}

/**
 * Runs a line; a defect in the simulator becomes an answer naming it instead of a crash that
 * would take every other session down.
 */
export async function executeSafely(shell: Shell, line: string, options: { readonly more?: boolean } = {}): Promise<ShellReply> {
    try {
        return await shell.execute(line, options);
    } catch (err) {
        const prefix = shell.mode === "nscli" ? "ERROR: " : "% ";
        return { lines: [`${prefix}simulator defect: ${err instanceof Error ? err.message : String(err)}`], close: false, failed: true, configCommand: false };
    }
}

function render(r: ShellReply, shell: Shell): string {
    return r.lines.map((l) => `${l}\r\n`).join("") + (r.close ? "" : shell.prompt());
}
