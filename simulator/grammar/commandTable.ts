import { ArgType, builtinArgTypes, range } from "./argTypes";
import { Token, tokenize } from "./tokenize";

/**
 * An explicit command table, the way a device CLI has one per mode: every command is declared
 * with a syntax string, keywords may be abbreviated to any unambiguous prefix, and an ambiguous
 * prefix is an error (never silently resolved to the first match).
 *
 * Syntax strings:
 * - `neighbor` a keyword (case-insensitive, abbreviable);
 * - `{kind:kernel|static|connected}` one of several keywords, captured as `kind`;
 * - `<asn:asn>` an argument of a named type (`word`, `ipv4`, `ipv6`, `asn`, `N-M` ranges, or
 *   a type passed to the table), captured as `asn`;
 * - `<text:line>` the rest of the line verbatim (at least one word);
 * - `<names:words>` all remaining words (at least one);
 * - `[ ... ]` an optional group.
 */
export class CommandTable<H> {
    private readonly variants: Variant<H>[] = [];

    /**
     * @param aliases short forms a device resolves to a keyword even where the prefix is shared
     *   (nscli reads `sh` as `show`, not `shell`).
     */
    constructor(
        private readonly argTypes: Readonly<Record<string, ArgType>> = {},
        private readonly aliases: Readonly<Record<string, string>> = {},
    ) {}

    /** Declares a command; returns the table so declarations chain. */
    add(syntax: string, handler: H): this {
        for (const tokens of expand(parseSyntax(syntax, { ...builtinArgTypes, ...this.argTypes }))) {
            this.variants.push({ syntax, tokens, handler });
        }
        return this;
    }

    /** Matches one command line (already split from any `;` chain) against the table. */
    match(line: string, quotes = false): MatchResult<H> {
        const words = tokenize(line, quotes);
        if (words.length === 0) return { kind: "empty" };
        let alive: Candidate<H>[] = this.variants.map((v) => ({ variant: v, captures: new Map(), done: false }));
        for (let i = 0; i < words.length; i++) {
            const word = words[i]!;
            const step = this.step(alive, word, i, line);
            if (step.kind !== "ok") return step.kind === "ambiguous" ? { kind: "ambiguous", offset: word.offset } : { kind: "invalid", offset: word.offset };
            alive = step.next;
        }
        const complete = alive.filter((c) => c.done || c.variant.tokens.length === words.length);
        if (complete.length === 0) return { kind: "incomplete" };
        const chosen = complete[0]!;
        return { kind: "matched", handler: chosen.variant.handler, args: new Args(chosen.captures), syntax: chosen.variant.syntax };
    }

    private step(alive: Candidate<H>[], word: Token, index: number, line: string): StepResult<H> {
        const typed = word.text.toLowerCase();
        const lower = this.aliases[typed] ?? typed;
        const keywordHits: { candidate: Candidate<H>; keyword: string; name?: string }[] = [];
        const argHits: Candidate<H>[] = [];
        const finished: Candidate<H>[] = [];
        for (const c of alive) {
            if (c.done) {
                finished.push(c);
                continue;
            }
            const pattern = c.variant.tokens[index];
            if (!pattern) continue;
            if (pattern.kind === "keyword") {
                for (const kw of pattern.words) {
                    if (kw.startsWith(lower)) keywordHits.push({ candidate: c, keyword: kw, ...(pattern.name ? { name: pattern.name } : {}) });
                }
            } else if (pattern.kind === "arg") {
                if (pattern.type.accepts(word.text)) argHits.push(withCapture(c, pattern.name, word.text, false));
            } else {
                const rest = line.slice(word.offset).trim();
                const value = pattern.kind === "rest" ? rest : rest.split(/\s+/).join(" ");
                argHits.push(withCapture(c, pattern.name, value, true));
            }
        }
        let next: Candidate<H>[];
        if (keywordHits.length > 0) {
            // A device prefers keywords over free arguments, an exact keyword over prefixes,
            // and refuses a prefix shared by different keywords.
            const exact = keywordHits.filter((h) => h.keyword === lower);
            const chosen = exact.length > 0 ? exact : keywordHits;
            const distinct = new Set(chosen.map((h) => h.keyword));
            if (distinct.size > 1) return { kind: "ambiguous" };
            next = chosen.map((h) => (h.name ? withCapture(h.candidate, h.name, h.keyword, false) : h.candidate));
        } else {
            next = argHits;
        }
        next = next.concat(finished);
        return next.length === 0 ? { kind: "invalid" } : { kind: "ok", next };
    }
}

/** Values captured by a matched command, by the names used in its syntax string. */
export class Args {
    constructor(private readonly values: ReadonlyMap<string, string>) {}
    /** The captured value, or undefined when an optional part was not given. */
    get(name: string): string | undefined {
        return this.values.get(name);
    }
    /** The captured value; throws if the syntax string has no such capture (a table bug). */
    req(name: string): string {
        const v = this.values.get(name);
        if (v === undefined) throw new Error(`command table bug: no capture "${name}"`);
        return v;
    }
    has(name: string): boolean {
        return this.values.has(name);
    }
}

export type MatchResult<H> =
    | { readonly kind: "matched"; readonly handler: H; readonly args: Args; readonly syntax: string }
    | { readonly kind: "empty" }
    | { readonly kind: "incomplete" }
    /** `offset` is where the offending word starts in the line, for the `^` marker. */
    | { readonly kind: "invalid"; readonly offset: number }
    | { readonly kind: "ambiguous"; readonly offset: number };

type PatternToken =
    | { readonly kind: "keyword"; readonly words: readonly string[]; readonly name?: string }
    | { readonly kind: "arg"; readonly name: string; readonly type: ArgType }
    | { readonly kind: "rest"; readonly name: string }
    | { readonly kind: "words"; readonly name: string };

type SyntaxElement = { readonly kind: "token"; readonly token: PatternToken } | { readonly kind: "optional"; readonly body: readonly SyntaxElement[] };

interface Variant<H> {
    readonly syntax: string;
    readonly tokens: readonly PatternToken[];
    readonly handler: H;
}

interface Candidate<H> {
    readonly variant: Variant<H>;
    readonly captures: ReadonlyMap<string, string>;
    /** True once a rest-of-line token consumed the remaining words. */
    readonly done: boolean;
}

type StepResult<H> = { kind: "ok"; next: Candidate<H>[] } | { kind: "invalid" } | { kind: "ambiguous" };

function withCapture<H>(c: Candidate<H>, name: string, value: string, done: boolean): Candidate<H> {
    const captures = new Map(c.captures);
    captures.set(name, value);
    return { variant: c.variant, captures, done };
}

const KEYWORD = /^-?[a-z0-9][a-z0-9.\-]*$/;

function parseSyntax(syntax: string, types: Readonly<Record<string, ArgType>>): SyntaxElement[] {
    const parts = syntax.replace(/\[/g, " [ ").replace(/\]/g, " ] ").trim().split(/\s+/);
    let pos = 0;
    const parseSeq = (closing: boolean): SyntaxElement[] => {
        const out: SyntaxElement[] = [];
        while (pos < parts.length) {
            const part = parts[pos++]!;
            if (part === "[") out.push({ kind: "optional", body: parseSeq(true) });
            else if (part === "]") {
                if (!closing) throw new Error(`syntax "${syntax}": unbalanced ]`);
                return out;
            } else out.push({ kind: "token", token: parseToken(part, syntax, types) });
        }
        if (closing) throw new Error(`syntax "${syntax}": unbalanced [`);
        return out;
    };
    return parseSeq(false);
}

function parseToken(part: string, syntax: string, types: Readonly<Record<string, ArgType>>): PatternToken {
    const choice = /^\{(\w+):([a-z0-9|._\-]+)\}$/.exec(part);
    if (choice) return { kind: "keyword", name: choice[1]!, words: choice[2]!.split("|") };
    const arg = /^<(\w+):([\w\-]+)>$/.exec(part);
    if (arg) {
        const [, name, type] = arg as unknown as [string, string, string];
        if (type === "line") return { kind: "rest", name };
        if (type === "words") return { kind: "words", name };
        const rangeMatch = /^(\d+)-(\d+)$/.exec(type);
        const argType = rangeMatch ? range(Number(rangeMatch[1]), Number(rangeMatch[2])) : types[type];
        if (!argType) throw new Error(`syntax "${syntax}": unknown argument type ${type}`);
        return { kind: "arg", name, type: argType };
    }
    if (KEYWORD.test(part)) return { kind: "keyword", words: [part] };
    throw new Error(`syntax "${syntax}": cannot read "${part}"`);
}

function expand(elements: readonly SyntaxElement[]): PatternToken[][] {
    let variants: PatternToken[][] = [[]];
    for (const el of elements) {
        if (el.kind === "token") {
            variants = variants.map((v) => [...v, el.token]);
        } else {
            const bodies = expand(el.body);
            variants = variants.flatMap((v) => [v, ...bodies.map((b) => [...v, ...b])]);
        }
    }
    return variants;
}
