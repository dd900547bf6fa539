/** One word of a command line and where it starts (for the `^` marker of vtysh errors). */
export interface Token {
    readonly text: string;
    readonly offset: number;
}

/**
 * Splits a command line on whitespace. With `quotes`, a double-quoted string is one token
 * without its quotes (nscli accepts `"..."` arguments); vtysh has no quoting.
 */
export function tokenize(line: string, quotes = false): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < line.length) {
        while (i < line.length && isSpace(line[i]!)) i++;
        if (i >= line.length) break;
        const start = i;
        if (quotes && line[i] === '"') {
            const end = line.indexOf('"', i + 1);
            const stop = end < 0 ? line.length : end;
            tokens.push({ text: line.slice(i + 1, stop), offset: start });
            i = end < 0 ? line.length : end + 1;
            continue;
        }
        while (i < line.length && !isSpace(line[i]!)) i++;
        tokens.push({ text: line.slice(start, i), offset: start });
    }
    return tokens;
}

/**
 * Splits an nscli line on `;` outside double quotes (`cmd1; cmd2`), dropping empty parts.
 */
export function splitChained(line: string): string[] {
    const parts: string[] = [];
    let current = "";
    let quoted = false;
    for (const ch of line) {
        if (ch === '"') quoted = !quoted;
        if (ch === ";" && !quoted) {
            parts.push(current);
            current = "";
        } else {
            current += ch;
        }
    }
    parts.push(current);
    return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function isSpace(ch: string): boolean {
    return ch === " " || ch === "\t";
}
