/**
 * The NetScaler CLI as data: its modes and their prompts, the commands that move between them,
 * what the session runs after login, and the strings that mean success, failure or "more".
 *
 * The session code knows nothing NetScaler-specific beyond this constant. What the research
 * could not confirm on a real appliance (pager text, vtysh error wording, `write` vs `write
 * memory`, sub-mode prompts) is written here tolerantly: several accepted forms rather than one.
 */

import { NODE_COMMANDS } from "../core/node";
import type { AddressFamily } from "./types";

/** A CLI mode of the appliance. */
export type ModeName =
    /** nscli, the NetScaler CLI: `> ` (or a prompt customised with `set cli prompt`, still ending in `>`). */
    | "cli"
    /** vtysh exec mode: `ns#`. */
    | "vtysh"
    /** vtysh global configuration: `ns(config)#`. */
    | "config"
    /** Inside `router bgp <asn>`: `ns(config-router)#`. */
    | "configRouter"
    /** Inside `address-family ...` under `router bgp`: `ns(config-router-af)#` (prompt unconfirmed). */
    | "configRouterAf"
    /** Any other `(config-...)#` sub-mode (`config-if`, `config-route-map`, ...). */
    | "configOther";

/** Which failure indicators apply to the answers given in a mode. */
export type Dialect = "nscli" | "vtysh";

/** One mode: how to recognise its prompt. */
export interface ModeDefinition {
    readonly name: ModeName;
    /**
     * The prompt as an unanchored regular-expression source. The channel anchors it to a whole
     * line to recognise the prompt that ends a reply.
     */
    readonly prompt: string;
    /**
     * Whether the prompt is also recognised at the start of a line that continues (`ns(config)#neighbor ...`,
     * or several prompts in a row after type-ahead). Only for prompts specific enough that output
     * cannot look like them.
     */
    readonly inlinePrompt: boolean;
    readonly dialect: Dialect;
    /**
     * The mode whose block this one nests in: the session still counts as inside `within`
     * (e.g. `address-family` under `router bgp`).
     */
    readonly within?: ModeName;
}

/** A command that moves the session from one mode to another. */
export interface ModeEdge {
    readonly from: ModeName;
    readonly to: ModeName;
    readonly command: string;
}

/** A command the session runs once per login, with the first command typed in its mode. */
export interface OnOpenCommand {
    readonly mode: ModeName;
    readonly command: string;
    /** When false, an `ERROR:` answer is ignored (e.g. an account not allowed to change CLI settings). */
    readonly required: boolean;
}

/** A known device answer and what the user should do about it. */
export interface AnswerFix {
    readonly match: RegExp;
    /** `$1`... refer to the groups of `match`. */
    readonly fix: string;
}

/** A network OS, as data. */
export interface PlatformDefinition {
    readonly name: string;
    /** In the order prompts are tried: the first whose pattern matches names the mode. */
    readonly modes: readonly ModeDefinition[];
    /** The moves the session may make. `router bgp <asn>` is not here: it is generated from ConfigLine contexts. */
    readonly edges: readonly ModeEdge[];
    readonly onOpen: readonly OnOpenCommand[];
    /**
     * The commands whose answers say which node the session reached (HA state, cluster
     * membership, admin partitions), sent with the on-open commands of `mode` and kept for the
     * decision whether the node may be configured. `addresses` is read only on a cluster node.
     */
    readonly nodeFacts: { readonly mode: ModeName; readonly commands: typeof NODE_COMMANDS };
    /** A reply line matching one of these means the command failed. */
    readonly failureIndicators: { readonly [D in Dialect]: readonly RegExp[] };
    /** The line nscli prints when a command succeeded (removed from returned output). */
    readonly successMarker: RegExp;
    /** Pager prompts, matched against the incomplete last line of output. */
    readonly pagers: readonly RegExp[];
    /** What to type at a pager prompt. */
    readonly pagerAnswer: string;
    /** The configuration mode `configure` starts from, and how a `router bgp` block is opened and left. */
    readonly configuration: {
        readonly mode: ModeName;
        readonly routerBgpEnter: string;
        readonly routerBgpMode: ModeName;
        readonly routerBgpLeave: string;
        /**
         * How an address family's section of the block is opened (its head, as the platform's
         * `show running-config` prints it) and left.
         */
        readonly addressFamilyEnter: { readonly [F in AddressFamily]: string };
        readonly addressFamilyLeave: string;
    };
    /**
     * The bytes of input the device is sure to hold while it works through earlier lines: a
     * pipelined exchange never has more written and unanswered.
     */
    readonly inputBufferBytes: number;
    /** How to persist the configuration: the vtysh commands to try in order, then the nscli command. */
    readonly save: { readonly vtysh: readonly string[]; readonly cli: string };
    /** Advice for known answers; the first match wins. */
    readonly answerFixes: readonly AnswerFix[];
    /**
     * Advice for a command whose very spelling is unconfirmed, when the device answers that it
     * does not know it (`answer`): the fix names the input that stops the package sending it.
     * Tried before {@link answerFixes}.
     */
    readonly commandFixes: readonly (AnswerFix & { readonly command: RegExp })[];
    /** Advice when no `answerFixes` entry matches. */
    readonly defaultFix: { readonly [D in Dialect]: string };
}

/** How ZebOS, Quagga and nscli say they do not know a command or an argument. */
const UNKNOWN_COMMAND = /No such (?:command|resource)|Invalid input|Unknown command|Unrecognized command/i;

/** Host part of a vtysh prompt: `ns` by default; the appliance may show its hostname instead (unconfirmed). */
const HOST = String.raw`[\w.-]+`;

/** The Citrix ADC / NetScaler CLI (nscli plus the ZebOS vtysh). */
export const NETSCALER: PlatformDefinition = {
    name: "netscaler",
    modes: [
        // Oxidized's NetScaler model accepts any line ending in `>` (`set cli prompt` can put the
        // hostname, time or HA state in front of it). nscli output is indented and error lines
        // start with letters followed by `:`, so the prompt must start with a non-blank that is
        // not `%`, and it is only ever recognised as a whole line.
        { name: "cli", prompt: String.raw`(?:[^\s%][^\n]{0,78}?)?>`, inlinePrompt: false, dialect: "nscli" },
        { name: "vtysh", prompt: `${HOST}#`, inlinePrompt: true, dialect: "vtysh" },
        { name: "config", prompt: String.raw`${HOST}\(config\)#`, inlinePrompt: true, dialect: "vtysh" },
        { name: "configRouter", prompt: String.raw`${HOST}\(config-router\)#`, inlinePrompt: true, dialect: "vtysh", within: "config" },
        {
            name: "configRouterAf",
            prompt: String.raw`${HOST}\(config-router-af[\w-]*\)#`,
            inlinePrompt: true,
            dialect: "vtysh",
            within: "configRouter",
        },
        { name: "configOther", prompt: String.raw`${HOST}\(config-[\w.-]+\)#`, inlinePrompt: true, dialect: "vtysh", within: "config" },
    ],
    edges: [
        { from: "cli", to: "vtysh", command: "vtysh" },
        // `exit` at `ns#` returns to nscli, which answers ` Done` (seed transcript).
        { from: "vtysh", to: "cli", command: "exit" },
        { from: "vtysh", to: "config", command: "configure terminal" },
        { from: "config", to: "vtysh", command: "end" },
        { from: "configRouter", to: "config", command: "exit" },
        { from: "configRouter", to: "vtysh", command: "end" },
        { from: "configRouterAf", to: "configRouter", command: "exit" },
        { from: "configRouterAf", to: "vtysh", command: "end" },
        { from: "configOther", to: "vtysh", command: "end" },
    ],
    onOpen: [
        // Paging is off by default, but netmiko turns it off anyway: a user may have switched it on.
        { mode: "cli", command: "set cli mode -page OFF", required: false },
        // vtysh answers are read pipelined: a pager would take the lines typed after a show for
        // keys. Whether NetScaler's vtysh pages or knows this is unconfirmed; a refusal is harmless.
        { mode: "vtysh", command: "terminal length 0", required: false },
    ],
    nodeFacts: { mode: "cli", commands: NODE_COMMANDS },
    failureIndicators: {
        nscli: [/^ERROR:/],
        // ZebOS wording is unconfirmed: `%` lines (Cisco, Quagga and IMI style) plus the bare
        // Quagga texts in case the appliance prints them without the `%`.
        vtysh: [
            /^\s*%/,
            /^BGP is already running/,
            /^(?:Invalid input|Unknown command|Ambiguous command|Incomplete command|Command incomplete)/i,
        ],
    },
    successMarker: /^\s?Done\s*$/,
    pagers: [/-- ?More ?--/i, /--\s*more\s*\(\d+%\)\s*--/i],
    pagerAnswer: " ",
    // The size of a Linux PTY's line-discipline buffer (N_TTY_BUF_SIZE); the appliance's own is
    // unconfirmed, so the smallest buffer a PTY-based CLI is likely to have.
    inputBufferBytes: 4096,
    configuration: {
        mode: "config",
        routerBgpEnter: "router bgp {asn}",
        routerBgpMode: "configRouter",
        routerBgpLeave: "exit",
        // ZebOS's (and Quagga's) short form of IPv6 unicast, as F5's ZebOS prints its head; FRR
        // would take `address-family ipv6 unicast`. Unconfirmed on NetScaler.
        addressFamilyEnter: { ipv6: "address-family ipv6" },
        addressFamilyLeave: "exit-address-family",
    },
    save: {
        // `write` and `write memory` both exist in ZebOS IMI; which one NetScaler's vtysh knows is unconfirmed.
        vtysh: ["write", "write memory"],
        cli: "save ns config",
    },
    commandFixes: [
        {
            command: /^(?:no )?ns route-install ipv6 /i,
            match: UNKNOWN_COMMAND,
            fix: "this ADC's vtysh does not take the IPv6 route install in this spelling (unconfirmed on NetScaler): set routeInstallIpv6 to false (the component: adc.routeInstallIpv6) and install IPv6 routes on the ADC by hand",
        },
        {
            command: /^(?:address-family ipv6|(?:no )?neighbor \S+ activate)$/i,
            match: UNKNOWN_COMMAND,
            fix: "this ADC's vtysh does not take IPv6 unicast activation in this spelling (`address-family ipv6` / `neighbor X activate`, unconfirmed on NetScaler), so an IPv6 neighbor would carry no IPv6 route: remove the IPv6 neighbors (the component: leave adc.ipv6Address unset)",
        },
    ],
    answerFixes: [
        {
            match: /BGP is already running; AS is (\d+)/,
            fix: "the ADC already runs router bgp $1 and ZebOS allows one BGP instance: use localAsn $1, or remove that router on the ADC first",
        },
        {
            match: /not licensed|licen[cs]e/i,
            fix: "the ADC's license does not include this feature (BGP needs a license with dynamic routing): check `show ns license`",
        },
        {
            match: /BGP.*(?:not enabled|disabled)|feature.*BGP/i,
            fix: "enable the BGP feature on the ADC (`enable ns feature BGP`; it needs a license that includes dynamic routing)",
        },
        {
            match: UNKNOWN_COMMAND,
            fix: "the firmware does not know this command or argument: check the ADC's release and its command reference",
        },
        { match: /Ambiguous command/i, fix: "spell the command out in full" },
        { match: /Incomplete command|Command incomplete/i, fix: "the command lacks an argument" },
        { match: /[Pp]ermission denied|[Nn]ot authorized/, fix: "log in with an account whose command policy allows this command (e.g. superuser)" },
    ],
    defaultFix: {
        nscli: "check the command against the ADC's CLI reference and the device's answer",
        vtysh: "check the line against the ADC's vtysh (ZebOS) reference and the device's answer",
    },
};

/** The prompt of each mode, anchored to a whole line. */
export interface CompiledPlatform {
    readonly platform: PlatformDefinition;
    /** Names the mode whose prompt is the whole of `line` (trailing blanks allowed). */
    modeOfPromptLine(line: string): ModeName | undefined;
    /**
     * Reads the prompts at the start of `line` (several in a row after type-ahead): the mode of
     * each, and where the rest of the line (an echo, or output) starts. Without inline prompts,
     * a line that is a whole prompt (nscli's) counts, unless `wholeLine` is false.
     */
    leadingPrompts(line: string, options?: { readonly wholeLine?: boolean }): { modes: ModeName[]; rest: number };
    /** Whether `line` starts with a prompt of a mode whose prompt is found inside lines (what {@link leadingPrompts} looks for first). */
    startsWithInlinePrompt(line: string): boolean;
    mode(name: ModeName): ModeDefinition;
    /** Whether `mode` is `block` or nested in it. */
    isWithin(mode: ModeName, block: ModeName): boolean;
    /** The edges of a shortest walk from `from` to `to`, or undefined if there is none. */
    path(from: ModeName, to: ModeName): ModeEdge[] | undefined;
    /** Whether a reply line is a failure indicator in `dialect`. */
    isFailureLine(line: string, dialect: Dialect): boolean;
    /**
     * False only when no line of `text` can be a failure indicator in `dialect` (true may be
     * wrong): a whole answer is searched at once instead of line by line.
     */
    mayHoldFailureLine(text: string, dialect: Dialect): boolean;
    /** The advice for a device answer (to `command`, when known). */
    fixFor(answer: string, dialect: Dialect, command?: string): string;
}

/** Builds the regular expressions and the mode graph of a platform once. */
export function compilePlatform(platform: PlatformDefinition): CompiledPlatform {
    const whole = platform.modes.map((m) => ({ name: m.name, re: new RegExp(`^(?:${m.prompt})[ \\t]*$`) }));
    const inline = platform.modes
        .filter((m) => m.inlinePrompt)
        .map((m) => ({ name: m.name, re: new RegExp(`(?:${m.prompt})[ \\t]?`, "y") }));
    // Any inline prompt at a position matches this one expression there: most lines of an
    // answer (thousands in a running config) start with none, and are told so by one match, not
    // one per mode.
    const anyInline = new RegExp(platform.modes.filter((m) => m.inlinePrompt).map((m) => `(?:${m.prompt})`).join("|") || "(?!)", "y");
    const byName = new Map(platform.modes.map((m) => [m.name, m]));

    function modeOfPromptLine(line: string): ModeName | undefined {
        return whole.find((w) => w.re.test(line))?.name;
    }

    function leadingPrompts(line: string, options?: { readonly wholeLine?: boolean }): { modes: ModeName[]; rest: number } {
        const modes: ModeName[] = [];
        let at = 0;
        for (;;) {
            anyInline.lastIndex = at;
            if (!anyInline.test(line)) break;
            // Take the longest match at this position; on a tie the earlier mode in the platform's
            // order wins (`config-router` before the catch-all `config-...`).
            let best: { name: ModeName; end: number } | undefined;
            for (const p of inline) {
                p.re.lastIndex = at;
                if (p.re.exec(line) && (!best || p.re.lastIndex > best.end)) best = { name: p.name, end: p.re.lastIndex };
            }
            if (!best) break;
            modes.push(best.name);
            at = best.end;
        }
        if (modes.length === 0 && options?.wholeLine !== false) {
            // Prompts recognised only as a whole line (nscli's).
            const whole = modeOfPromptLine(line);
            if (whole !== undefined) return { modes: [whole], rest: line.length };
        }
        return { modes, rest: at };
    }

    function startsWithInlinePrompt(line: string): boolean {
        anyInline.lastIndex = 0;
        return anyInline.test(line);
    }

    function mode(name: ModeName): ModeDefinition {
        const m = byName.get(name);
        if (!m) throw new Error(`platform ${platform.name} has no mode ${name}`);
        return m;
    }

    function isWithin(m: ModeName, block: ModeName): boolean {
        for (let cur: ModeName | undefined = m, guard = 0; cur !== undefined && guard <= platform.modes.length; guard++) {
            if (cur === block) return true;
            cur = byName.get(cur)?.within;
        }
        return false;
    }

    function path(from: ModeName, to: ModeName): ModeEdge[] | undefined {
        if (from === to) return [];
        const previous = new Map<ModeName, ModeEdge>();
        const queue: ModeName[] = [from];
        const seen = new Set<ModeName>([from]);
        while (queue.length > 0) {
            const cur = queue.shift() as ModeName;
            for (const e of platform.edges) {
                if (e.from !== cur || seen.has(e.to)) continue;
                seen.add(e.to);
                previous.set(e.to, e);
                if (e.to === to) {
                    const walk: ModeEdge[] = [];
                    for (let n: ModeName = to; n !== from; ) {
                        const edge = previous.get(n) as ModeEdge;
                        walk.unshift(edge);
                        n = edge.from;
                    }
                    return walk;
                }
                queue.push(e.to);
            }
        }
        return undefined;
    }

    function isFailureLine(line: string, dialect: Dialect): boolean {
        return platform.failureIndicators[dialect].some((re) => re.test(line));
    }

    // The indicators of each dialect joined into as few expressions as mean the same, each tried
    // on every line of a whole answer, line by line without building the array of lines: indicators with the same flags (but
    // `g` and `y`, which only carry state from one test to the next) in one alternation, one with a
    // back reference or a named group alone (joined, its groups' numbers and names would be
    // others'). An expression reads one line at a time, as isFailureLine does: one that read on
    // into the answer would let `\s*` or `[^x]*` run across the lines after it, at every line's
    // start, and the search would grow with the square of an answer of blank lines.
    const joined = Object.fromEntries(
        (Object.keys(platform.failureIndicators) as Dialect[]).map((d): [Dialect, readonly RegExp[]] => {
            const byFlags = new Map<string, string[]>();
            const alone: RegExp[] = [];
            for (const re of platform.failureIndicators[d]) {
                const flags = re.flags.replace(/[gy]/g, "");
                if (/\\[1-9]|\\k<|\(\?<(?![=!])/.test(re.source)) alone.push(new RegExp(re.source, flags));
                else byFlags.set(flags, [...(byFlags.get(flags) ?? []), `(?:${re.source})`]);
            }
            return [d, [...[...byFlags].map(([flags, sources]) => new RegExp(sources.join("|"), flags)), ...alone]];
        }),
    ) as Record<Dialect, readonly RegExp[]>;

    function mayHoldFailureLine(text: string, dialect: Dialect): boolean {
        const expressions = joined[dialect];
        if (expressions.length === 0) return false;
        for (let at = 0; ; ) {
            const newline = text.indexOf("\n", at);
            const line = text.slice(at, newline < 0 ? text.length : newline);
            for (const re of expressions) if (re.test(line)) return true;
            if (newline < 0) return false;
            at = newline + 1;
        }
    }

    function fixFor(answer: string, dialect: Dialect, command?: string): string {
        const known = command === undefined ? undefined : platform.commandFixes.find((f) => f.command.test(command.trim()) && f.match.test(answer));
        if (known) return known.fix;
        for (const f of platform.answerFixes) {
            const m = f.match.exec(answer);
            if (m) return f.fix.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? "");
        }
        return platform.defaultFix[dialect];
    }

    return { platform, modeOfPromptLine, leadingPrompts, startsWithInlinePrompt, mode, isWithin, path, isFailureLine, mayHoldFailureLine, fixFor };
}
