import { StringDecoder } from "string_decoder";

/** Complete escape sequences: CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ST`), and the short `ESC x` forms. */
const ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[\x20-\x2f]*[\x30-\x7e])/g;
/** The start of an escape sequence that the next chunk will finish. */
const PARTIAL_ESCAPE = /^\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[\x20-\x2f]*)$/;
/** A carriage return whose meaning (line end, or return to column 0) depends on the next chunk. */
const PARTIAL_ERASE = /\r[ ]*$/;
/** Control characters other than backspace, tab, newline and carriage return (those are applied, not dropped). */
const CONTROL = /[\x00-\x07\x0b\x0c\x0e-\x1f\x7f]/g;
/** Longer held-back text is not an escape sequence in progress but garbage. */
const MAX_HELD = 256;

/**
 * The text a terminal session has printed, as plain lines: bytes decoded as UTF-8 (characters
 * split across chunks are kept whole), ANSI escape sequences removed, `\r\n` turned into `\n`,
 * erased text removed. A lone `\r` returns to column 0 to overwrite the line (pagers and line
 * editors use it to erase), so what the line held before it is dropped; a backspace removes
 * one character of the current line. Pure apart from its own state.
 */
export class TerminalBuffer {
    private readonly decoder = new StringDecoder("utf8");
    private held = "";
    private content = "";

    /** The cleaned text not yet consumed. */
    get text(): string {
        return this.content;
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
            const erase = PARTIAL_ERASE.exec(raw);
            if (erase && erase[0].length <= MAX_HELD) {
                this.held = erase[0];
                raw = raw.slice(0, erase.index);
            }
        }
        this.push(clean(raw));
    }

    /** Drops the first `length` characters (a reply that has been read). */
    consume(length: number): void {
        this.content = this.content.slice(length);
    }

    /** Removes `[start, end)` (a pager prompt that has been answered). */
    remove(start: number, end: number): void {
        this.content = this.content.slice(0, start) + this.content.slice(end);
    }

    private push(text: string): void {
        if (!/[\b\r]/.test(text)) {
            this.content += text;
            return;
        }
        for (const part of text.split(/(\x08+|\r)/)) {
            const lineStart = this.content.lastIndexOf("\n") + 1;
            if (part === "\r") {
                this.content = this.content.slice(0, lineStart);
            } else if (part.startsWith("\b")) {
                // A backspace moves back over the current line only.
                this.content = this.content.slice(0, Math.max(lineStart, this.content.length - part.length));
            } else {
                this.content += part;
            }
        }
    }
}

/** Removes escapes and control characters and turns `\r\n` into `\n`, from text that holds no partial sequence. Lone `\r` and backspaces stay. */
export function clean(raw: string): string {
    return raw.replace(ESCAPE, "").replace(/\r+\n/g, "\n").replace(CONTROL, "");
}
