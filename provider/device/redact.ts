/** What a secret is replaced with in messages and logs (the placeholder ConfigLine.redacted uses). */
export const REDACTED = "<redacted>";

/**
 * Replaces known secrets in text that leaves the dialogue (log lines, error messages, device
 * answers quoted in errors). Secrets come from the connection (password, passphrase) and from
 * configuration lines that carry a `redacted` form: the parts of `text` that the placeholder
 * stands for are secrets, wherever they appear later (echo, error answers).
 */
export class Redactor {
    private readonly pairs: { secret: string; replacement: string }[] = [];

    /** Registers a secret to be replaced by the placeholder. Empty values are ignored. */
    addSecret(secret: string | undefined): void {
        if (secret) this.add(secret, REDACTED);
    }

    /** Registers a line's secrets from its plain and redacted forms. */
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

    /** The text with every registered secret replaced. */
    redact(text: string): string {
        let out = text;
        for (const { secret, replacement } of this.pairs) {
            if (out.includes(secret)) out = out.split(secret).join(replacement);
        }
        return out;
    }

    private add(secret: string, replacement: string): void {
        if (this.pairs.some((p) => p.secret === secret)) return;
        this.pairs.push({ secret, replacement });
        // Longest first, so a secret that contains another is replaced whole.
        this.pairs.sort((a, b) => b.secret.length - a.secret.length);
    }
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
