/**
 * The one redactor. Every text that leaves the process and may hold device output or a
 * configuration line (the trace, log lines, error messages and the device answers they quote,
 * the display form of configuration lines) goes through it.
 *
 * It works two ways, and applies both:
 * - by the shape of a line: whatever follows a password keyword the device prints (a neighbor's
 *   `password`, in clear or in an encrypted form such as `7 <hex>` or `8 <hex>`; OSPF, RIP and
 *   IS-IS keys; `enable password`; nscli options such as `-password` and `-passphrase`;
 *   `add system user <name> <password>`; `nscli -U :user:password`; a login or password-change
 *   prompt's answer) is replaced, whoever set it: this stack, another stack, or someone by hand;
 * - by value: the secrets this process knows (the SSH password and key passphrase, the BGP
 *   passwords it sends) are replaced wherever they appear, since a device may quote one in an
 *   error answer, or echo a line split across screen rows.
 *
 * Both are found on the text as it is, and what either finds is hidden: one applied to text the
 * other had rewritten could miss its keyword, or take a leftover for the placeholder.
 */

/** What a secret is replaced with in messages, logs and the display form of configuration lines. */
export const REDACTED = "<redacted>";

/**
 * Line shapes that carry a secret: group 1 is kept, everything after it on the line (or, with a
 * `word` shape, the next word) is the secret. A value that is already the placeholder stays.
 */
interface Shape {
    readonly pattern: RegExp;
    /** `line`: the rest of the line is secret (encrypted forms are `<type> <value>`); `word`: one word. */
    readonly extent: "line" | "word";
}

const SHAPES: readonly Shape[] = [
    // vtysh (ZebOS, FRR): neighbor/peer-group passwords, `password 7 <hex>`, `password 8 <...>`.
    { pattern: /(\bneighbor\s+\S+\s+password\s+)/i, extent: "line" },
    // OSPF, RIP, IS-IS and key chains; `enable password` / `enable secret`; a bare `password` line.
    { pattern: /(\bauthentication-key\s+)/i, extent: "line" },
    { pattern: /(\bmessage-digest-key\s+\d+\s+md5\s+)/i, extent: "line" },
    { pattern: /(\bauthentication\s+string\s+)/i, extent: "line" },
    { pattern: /(\bkey-string\s+)/i, extent: "line" },
    { pattern: /(\b(?:area|domain)-password\s+)/i, extent: "line" },
    { pattern: /(\bisis\s+password\s+)/i, extent: "line" },
    { pattern: /(\benable\s+(?:password|secret)\s+)/i, extent: "line" },
    { pattern: /(^\s*(?:no\s+)?password\s+)/i, extent: "line" },
    // nscli options holding a secret (ns.conf prints them encrypted, `-password <hex> -encrypted`):
    // `-password`, `-passphrase`, `-passplain`, `-passcrypt`, `-ldapBindDnPassword`, `-authPasswd`,
    // `-privPasswd`, `-radKey`, `-key`, `-keyValue`, `-secret`, `-sharedSecret`, ...
    { pattern: /((?:^|\s)-(?:\w*pass(?:word|wd|phrase|plain|crypt)?|\w*secret|\w*key|keyValue)\s+)/i, extent: "word" },
    // SNMP communities are passwords too: `add snmp community <name> <permissions>`.
    { pattern: /(\b(?:add|rm|set)\s+snmp\s+community\s+)/i, extent: "word" },
    // `add system user <name> <password>` and `set system user <name> <password>` (positional).
    { pattern: /(\b(?:add|set)\s+system\s+user\s+\S+\s+)(?=[^-\s])/i, extent: "word" },
    // `nscli -s -U :nsroot:<password> <command>`.
    { pattern: /(-U\s+:[^:\s]*:)/, extent: "word" },
    // The answer typed after a login or password-change prompt, should a device echo it.
    { pattern: /(^\s*(?:enter\s+)?(?:(?:old|new|current|confirm|re-?enter|retype)\s+)*(?:new\s+)?password(?:\s+for\s+\S+)?\s*:[ \t]*)(?=\S)/i, extent: "line" },
];

/** What may follow the placeholder where it ends a word: punctuation, then a blank or the end. */
const PLACEHOLDER_END = /^[;,.)\]"']*(?:\s|$)/;

/** A stretch of text to hide, `[start, end)`. */
type Span = readonly [number, number];

/**
 * Where the shapes find secrets in one line, as stretches of the line as it is: found on the
 * device's text itself, never on text another rule has rewritten (a known secret replaced first
 * could take a shape's keyword, `pass` of `password`, or leave what looks like the placeholder).
 */
function shapeSpans(line: string): Span[] {
    const spans: Span[] = [];
    for (const { pattern, extent } of SHAPES) {
        // Every occurrence: one nscli line may carry several secret options.
        for (let from = 0; from < line.length; ) {
            const m = pattern.exec(line.slice(from));
            if (!m) break;
            const start = from + m.index + m[0].length;
            const rest = line.slice(start);
            // Already the placeholder, as a whole word (a message may go on after it: "<redacted>; ...",
            // "(<redacted>)."): a secret that merely starts with it ("<redacted>x", "<redacted>)x") is still a secret.
            const done = rest.startsWith(REDACTED) && PLACEHOLDER_END.test(rest.slice(REDACTED.length));
            if (done || rest.trim() === "") {
                from = start + 1;
                continue;
            }
            if (extent === "line") {
                spans.push([start, line.length]);
                break;
            }
            const word = /^("[^"]*"?|\S+)/.exec(rest)![0];
            spans.push([start, start + word.length]);
            from = start + word.length;
        }
    }
    return spans;
}

/** Might the text hold a secret-shaped line (the shapes' keywords): most text does not, and is not split. */
const SHAPE_WORDS = /pass|secret|key|string|community|user|-U/i;

/** The shapes' stretches over a whole text, offsets into it. */
function textShapeSpans(text: string): Span[] {
    if (!SHAPE_WORDS.test(text)) return [];
    const spans: Span[] = [];
    let at = 0;
    for (const line of text.split("\n")) {
        for (const [a, b] of shapeSpans(line)) spans.push([at + a, at + b]);
        at += line.length + 1;
    }
    return spans;
}

/** The text with each stretch (merged where they overlap or touch) replaced by the placeholder. */
function hide(text: string, spans: Span[]): string {
    if (spans.length === 0) return text;
    const sorted = [...spans].sort((x, y) => x[0] - y[0]);
    let out = "";
    let at = 0;
    for (let i = 0; i < sorted.length; ) {
        const start = sorted[i]![0];
        let end = sorted[i]![1];
        for (i++; i < sorted.length && sorted[i]![0] <= end; i++) end = Math.max(end, sorted[i]![1]);
        if (start < at) continue;
        out += text.slice(at, start) + REDACTED;
        at = end;
    }
    return out + text.slice(at);
}

/**
 * The text with every secret the device prints replaced, recognised by the shape of its line
 * (see the module comment). Pure; lines without a secret come back unchanged.
 */
export function redactSecretShapes(text: string): string {
    return hide(text, textShapeSpans(text));
}

/**
 * The one place that replaces secrets in text about to leave the process: the shapes of
 * {@link redactSecretShapes}, plus the secrets registered here (replaced wherever they appear).
 */
export class Redactor {
    /** Longest first, so that a secret that contains another is found whole. */
    private readonly secrets: string[] = [];

    /** Registers a secret to be replaced by the placeholder. Empty values are ignored. */
    addSecret(secret: string | undefined | null): void {
        if (!secret) return;
        this.add(secret);
        // A key may be quoted a line at a time (a parse error of the key file).
        if (secret.includes("\n")) for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 16) this.add(line.trim());
    }

    /**
     * Registers a configuration line's secrets from its plain and redacted forms: the parts of
     * `text` that the placeholder stands for in `redacted` are secrets, wherever they appear
     * later (the device's echo, its error answers).
     */
    addLine(text: string, redacted: string | undefined): void {
        if (redacted === undefined || redacted === text) return;
        const parts = redacted.split(REDACTED);
        if (parts.length < 2) {
            // A redacted form without the placeholder stands for no part: the whole text is the secret.
            this.add(text);
            return;
        }
        const pattern = parts.map(escapeRegExp).join("(.+?)");
        const m = new RegExp(`^${pattern}$`, "s").exec(text);
        if (!m) {
            // The redacted form is not a template of the text: treat the whole text as the secret.
            this.add(text);
            return;
        }
        // Its parts, wherever they appear: the line's echo then reads as its redacted form.
        for (const secret of m.slice(1)) this.add(secret);
    }

    /**
     * The text with every registered secret and every secret-shaped value replaced: both found
     * on the text as it is, and the union hidden (a shape may take only the first word of a
     * known secret of several; a known secret may be part of a longer one the shapes find).
     */
    redact(text: string): string {
        const spans = textShapeSpans(text);
        for (const secret of this.secrets) {
            for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + secret.length)) spans.push([at, at + secret.length]);
        }
        return hide(text, spans);
    }

    private add(secret: string): void {
        if (secret === "" || this.secrets.includes(secret)) return;
        this.secrets.push(secret);
        this.secrets.sort((a, b) => b.length - a.length);
    }
}

/**
 * The display form of a configuration line: the line itself, or with its secret replaced when
 * it carries one (what `ConfigLine.redacted` holds).
 */
export function redactedForm(text: string): string | undefined {
    const shown = redactSecretShapes(text);
    return shown === text ? undefined : shown;
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
