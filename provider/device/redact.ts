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

/** Where a known secret stood, until the shapes have run: a private-use character no device prints. */
const HIDDEN = "\uE000";

/** What may follow the placeholder where it ends a word: punctuation, then a blank or the end. */
const PLACEHOLDER_END = /^[;,.)\]"']*(?:\s|$)/;

function redactLine(line: string): string {
    let out = line;
    for (const { pattern, extent } of SHAPES) {
        // Every occurrence: one nscli line may carry several secret options.
        for (let from = 0; from < out.length; ) {
            const m = pattern.exec(out.slice(from));
            if (!m) break;
            const start = from + m.index + m[0].length;
            const rest = out.slice(start);
            // Already the placeholder, as a whole word (a message may go on after it: "<redacted>; ...",
            // "(<redacted>)."): a secret that merely starts with it ("<redacted>x", "<redacted>)x") is still a secret.
            const done = rest.startsWith(REDACTED) && PLACEHOLDER_END.test(rest.slice(REDACTED.length));
            if (done || rest.trim() === "") {
                from = start + 1;
                continue;
            }
            if (extent === "line") {
                out = out.slice(0, start) + REDACTED;
                break;
            }
            const word = /^("[^"]*"?|\S+)/.exec(rest)![0];
            out = out.slice(0, start) + REDACTED + out.slice(start + word.length);
            from = start + REDACTED.length;
        }
    }
    return out;
}

/**
 * The text with every secret the device prints replaced, recognised by the shape of its line
 * (see the module comment). Pure; lines without a secret come back unchanged.
 */
export function redactSecretShapes(text: string): string {
    if (!/pass|secret|key|string|community|user|-U/i.test(text)) return text;
    return text.split("\n").map(redactLine).join("\n");
}

/**
 * The one place that replaces secrets in text about to leave the process: the shapes of
 * {@link redactSecretShapes}, plus the secrets registered here (replaced wherever they appear).
 */
export class Redactor {
    private readonly pairs: { secret: string; replacement: string }[] = [];

    /** Registers a secret to be replaced by the placeholder. Empty values are ignored. */
    addSecret(secret: string | undefined | null): void {
        if (!secret) return;
        this.add(secret, REDACTED);
        // A key may be quoted a line at a time (a parse error of the key file).
        if (secret.includes("\n")) for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 16) this.add(line.trim(), REDACTED);
    }

    /**
     * Registers a configuration line's secrets from its plain and redacted forms: the parts of
     * `text` that the placeholder stands for in `redacted` are secrets, wherever they appear
     * later (the device's echo, its error answers).
     */
    addLine(text: string, redacted: string | undefined): void {
        if (redacted === undefined || redacted === text) return;
        // The whole line first, so its echo reads exactly like the redacted form.
        this.add(text, redacted);
        const parts = redacted.split(REDACTED);
        if (parts.length < 2) return;
        const pattern = parts.map(escapeRegExp).join("(.+?)");
        const m = new RegExp(`^${pattern}$`, "s").exec(text);
        if (!m) {
            // The redacted form is not a template of the text: treat the whole text as the secret.
            this.add(text, REDACTED);
            return;
        }
        for (const secret of m.slice(1)) this.add(secret, REDACTED);
    }

    /** The text with every registered secret and every secret-shaped value replaced. */
    redact(text: string): string {
        // Known secrets first, whole (a shape may take only a secret's first word), but as a mark
        // the shapes do not take for the placeholder: one inside a longer, unknown secret
        // ("nsroot).;x") would otherwise leave `<redacted>).;x`, which looks done.
        let out = text;
        for (const { secret, replacement } of this.pairs) {
            if (out.includes(secret)) out = out.split(secret).join(replacement === REDACTED ? HIDDEN : replacement);
        }
        out = redactSecretShapes(out);
        return out.includes(HIDDEN) ? out.split(HIDDEN).join(REDACTED) : out;
    }

    private add(secret: string, replacement: string): void {
        if (this.pairs.some((p) => p.secret === secret)) return;
        this.pairs.push({ secret, replacement });
        // Longest first, so a secret that contains another is replaced whole.
        this.pairs.sort((a, b) => b.secret.length - a.secret.length);
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
