import { StringDecoder } from "string_decoder";

/** Complete escape sequences: CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ST`), and the short `ESC x` forms. */
const ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[\x20-\x2f]*[\x30-\x7e])/g;
/** The start of an escape sequence that the next chunk will finish. */
const PARTIAL_ESCAPE = /^\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[\x20-\x2f]*)$/;
/** A carriage return whose meaning (line end, or return to column 0) depends on the next chunk. */
const PARTIAL_ERASE = /\r[ ]*$/;
/** Control characters other than backspace, tab, newline and carriage return (those are applied, not dropped). */
const CONTROL = /[\x00-\x07\x0b\x0c\x0e-\x1f\x7f]/g;
/** {@link CONTROL} without its `g`: a test that keeps no position between calls. */
const ANY_CONTROL = new RegExp(CONTROL.source);
/** Longer held-back text is not an escape sequence in progress but garbage. */
const MAX_HELD = 256;

/**
 * The text a terminal session has printed, as plain lines: bytes decoded as UTF-8 (characters
 * split across chunks are kept whole), ANSI escape sequences removed, `\r\n` turned into `\n`,
 * erased text removed. A lone `\r` returns to column 0 to overwrite the line (pagers and line
 * editors use it to erase), so what the line held before it is dropped; a backspace removes
 * one character of the current line. Pure apart from its own state.
 *
 * Complete lines and the incomplete last line are kept apart, so that each chunk costs time in
 * proportion to its own length, however much unread output came before it (a `show
 * running-config` of thousands of neighbors, or the answers to a long batch).
 */
export class TerminalBuffer {
    private readonly decoder = new StringDecoder("utf8");
    private held = "";
    private readonly complete: string[] = [];
    private partial = "";

    /** Complete lines received and not yet consumed (without their `\n`). */
    get lines(): readonly string[] {
        return this.complete;
    }

    /** The incomplete last line: where a prompt or a pager waits. */
    get tail(): string {
        return this.partial;
    }

    /** The cleaned text not yet consumed. Costs a copy: for tests and messages, not for parsing. */
    get text(): string {
        return this.complete.length === 0 ? this.partial : `${this.complete.join("\n")}\n${this.partial}`;
    }

    /**
     * The last lines not yet consumed, whole, at least `length` characters of them when there are
     * (for messages). Never cut inside a line: a line without its start (`neighbor X password`)
     * is no longer one whose secret a redactor can recognise; cut it after redacting.
     */
    recent(length: number): string {
        let out = this.partial;
        for (let i = this.complete.length - 1; i >= 0 && out.length < length; i--) out = `${this.complete[i]}\n${out}`;
        return out;
    }

    /** Adds a chunk as received from the device. */
    append(chunk: Buffer | string): void {
        let raw = this.held + (typeof chunk === "string" ? chunk : this.decoder.write(chunk));
        this.held = "";
        const esc = raw.lastIndexOf("\x1b");
        if (esc >= 0 && PARTIAL_ESCAPE.test(raw.slice(esc)) && raw.length - esc <= MAX_HELD) {
            this.held = raw.slice(esc);
            raw = raw.slice(0, esc);
        } else {
            const erase = PARTIAL_ERASE.exec(raw.slice(-MAX_HELD));
            if (erase) {
                this.held = erase[0];
                raw = raw.slice(0, raw.length - erase[0].length);
            }
        }
        this.push(clean(raw));
    }

    /** Drops everything received so far (a reply that has been read). */
    consumeAll(): void {
        this.complete.length = 0;
        this.partial = "";
    }

    /** Removes `[start, end)` of the incomplete last line (a pager prompt that has been answered). */
    removeFromTail(start: number, end: number): void {
        this.partial = this.partial.slice(0, start) + this.partial.slice(end);
    }

    private push(text: string): void {
        // Most chunks hold neither a lone carriage return nor a backspace: their lines are then
        // taken as they are, without looking into each.
        const plain = !text.includes("\r") && !text.includes("\b");
        const parts = text.split("\n");
        for (let i = 0; i < parts.length; i++) {
            if (i > 0) {
                this.complete.push(this.partial);
                this.partial = "";
            }
            if (plain) this.partial += parts[i];
            else this.extendLine(parts[i]);
        }
    }

    /** Applies one line's worth of text (no `\n`) to the incomplete last line. */
    private extendLine(text: string): void {
        if (!/[\b\r]/.test(text)) {
            this.partial += text;
            return;
        }
        for (const part of text.split(/(\x08+|\r)/)) {
            if (part === "\r") {
                this.partial = "";
            } else if (part.startsWith("\b")) {
                // A backspace moves back over the current line only.
                this.partial = this.partial.slice(0, Math.max(0, this.partial.length - part.length));
            } else {
                this.partial += part;
            }
        }
    }
}

/** Removes escapes and control characters and turns `\r\n` into `\n`, from text that holds no partial sequence. Lone `\r` and backspaces stay. */
export function clean(raw: string): string {
    // Without an escape character there is no sequence to look for (a show's thousands of lines have none).
    const unescaped = raw.includes("\x1b") ? raw.replace(ESCAPE, "") : raw;
    // Each replace copies the chunk; most chunks need only the first (a PTY ends its lines with `\r\n`).
    const lf = unescaped.includes("\r") ? unescaped.replace(/\r+\n/g, "\n") : unescaped;
    return ANY_CONTROL.test(lf) ? lf.replace(CONTROL, "") : lf;
}
