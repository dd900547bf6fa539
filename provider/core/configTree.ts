/**
 * `show running-config` text → a tree of lines, each keyed by its parents (the shape of
 * ansible.netcommon's NetworkConfig and hier_config), plus the places where the layout does not
 * say with certainty which block a line belongs to. Knows nothing of BGP beyond which words open
 * and close sections: interpreting the lines is {@link parseRunningConfig}'s job.
 *
 * The layout rules, from ZebOS (NetScaler, F5 imish), FRR and IOS-style output:
 * - only a column-0 `!` (or `!` comment), `end` or `exit` (FRR) ends a top-level block; an
 *   indented `!` is a separator (or comment) inside it;
 * - `address-family ...` runs to `exit-address-family` at whatever indentation the device uses
 *   (F5's ZebOS prints the section's lines at the same depth as its head); `vni`, `vnc`,
 *   `vrf-policy` and a cluster's `owner-node` sections likewise run to their `exit-*` line, and an indented `exit` closes the
 *   innermost open section;
 * - other lines nest by indentation;
 * - a column-0 line inside an open block (no `!` since its head) that is not a known block head,
 *   nor a known one-line setting standing alone, is a line the terminal wrapped, or a block
 *   printed without `!`: which one cannot be known, so it is kept in the block and the block is
 *   marked uncertain (also right after the block's head: a body printed without indentation);
 * - a block head that follows a block's lines without `!` starts a new block, but the block
 *   before is marked uncertain: the head may be the rest of a wrapped line, and the lines after
 *   it the open block's; only a whole `end` line is the end (`end of rack 4` is a wrapped rest),
 *   and one right after a block's lines with output after it is a wrapped rest too (doubt);
 * - a pager remnant counts only at the start of a line (inside one, `--More--` is text);
 * - the whole output of `show running-config` ends with a column-0 `end` line (ZebOS on
 *   NetScaler and F5, FRR, IOS and EOS all close it so): text whose last line is anything else
 *   was cut (a dropped connection, a pager, a read that stopped early), and what the cut hid is
 *   unknown.
 *
 * Linear in the size of the text: one pass, no regular expression that can backtrack over a line.
 */

/** One line of the configuration. */
export interface ConfigNode {
    /** The line without its indentation or trailing blanks. */
    readonly text: string;
    /** 1-based line number in the device's output, for messages that quote it. */
    readonly lineNo: number;
    readonly indent: number;
    /** The parents' texts, outermost first: a line's identity is its parents plus its text. */
    readonly parents: readonly string[];
    /** `separator`: an indented `!`; `section-end`: `exit-address-family`, `exit`, ... */
    readonly kind: "line" | "separator" | "section-end";
    readonly children: readonly ConfigNode[];
}

/** Lines whose place in the tree the layout does not prove. */
export interface UncertainRegion {
    readonly reason: string;
    readonly lines: readonly { readonly lineNo: number; readonly text: string }[];
}

/** A top-level line and, when it opens a block, its children. */
export interface ConfigBlock extends ConfigNode {
    /** Regions inside (or possibly belonging to) this block that cannot be attributed with certainty. */
    readonly uncertain: readonly UncertainRegion[];
}

export interface ConfigTree {
    /** Top-level lines in the device's order. */
    readonly blocks: readonly ConfigBlock[];
    /** Regions that belong to no block with certainty (indented lines before any block). */
    readonly uncertain: readonly UncertainRegion[];
    /** Set when the text does not end as a whole `show running-config` does: its last lines. */
    readonly cut: UncertainRegion | null;
}

/** Column-0 words that open a block, on the platforms this package reads. */
const BLOCK_HEADS = new Set([
    "router", "interface", "route-map", "line", "vrf", "key", "segment-routing", "mpls", "bfd", "rpki",
    "class-map", "policy-map", "control-plane", "pseudowire-class", "l2vpn", "nexthop-group", "pbr-map",
]);
/** Column-0 words of one-line top-level settings (accepted as such only when no indented line follows). */
const FLAT_HEADS = new Set([
    "ip", "ipv6", "ns", "log", "hostname", "bgp", "no", "service", "password", "enable", "debug", "access-list",
    "frr", "agentx", "username", "snmp-server", "ntp", "logging", "banner", "boot", "version", "aaa", "clock",
    "spanning-tree", "vlan", "terminal", "domainname", "zebra", "fpm", "mac", "monitor",
    "building", "current", "!",
]);
/** Section heads whose end is an explicit line rather than indentation. */
const SECTIONS: readonly { readonly open: RegExp; readonly close: string }[] = [
    { open: /^address-family(?:\s|$)/i, close: "exit-address-family" },
    { open: /^vni\s/i, close: "exit-vni" },
    { open: /^vnc(?:\s|$)/i, close: "exit-vnc" },
    { open: /^vrf-policy(?:\s|$)/i, close: "exit-vrf-policy" },
    { open: /^template\s+peer-session(?:\s|$)/i, close: "exit-peer-session" },
    { open: /^template\s+peer-policy(?:\s|$)/i, close: "exit-peer-policy" },
    // A cluster's per-node lines (`owner-node 1` ... `exit-owner-node`): never the router's own.
    { open: /^owner-node(?:\s|$)/i, close: "exit-owner-node" },
];
/** The longest line that can close a section (`exit` or a section's closer): longer lines are not lowered to compare. */
const LONGEST_CLOSER = Math.max("exit".length, ...SECTIONS.map((s) => s.close.length));
/** The first letters of the section heads, lower case: a line starting otherwise is tried against none of them. */
const SECTION_INITIALS = new Set(SECTIONS.map((s) => s.open.source.charAt(1).toLowerCase()));

/** The section a line opens, if any. */
function sectionOf(text: string): (typeof SECTIONS)[number] | undefined {
    // Thousands of lines per read open none: one look at the first letter instead of every head's expression.
    if (!SECTION_INITIALS.has(text.charAt(0).toLowerCase())) return undefined;
    return SECTIONS.find((s) => s.open.test(text));
}

/** A pager prompt the terminal layer did not erase (it answers and removes the ones it sees). */
/** At the start of a line, where the pager prints it: inside a line it is text (a description). */
const PAGER_REMNANT = /^\s*-- ?more ?--/i;
/** Lines quoted per uncertain region: enough to find the place, never the whole block. */
const QUOTED = 6;
/** Lines quoted before a cut: where the read stopped. */
const QUOTED_BEFORE_CUT = 3;

interface MutableNode {
    text: string;
    lineNo: number;
    indent: number;
    parents: readonly string[];
    kind: ConfigNode["kind"];
    /** {@link LEAF} until the first child comes. */
    children: MutableNode[];
}

/**
 * The children of every line that has none: almost every line of a configuration is a leaf, and
 * an array each would be thousands per read. Frozen, so that a push to it throws rather than
 * gives every leaf a child.
 */
const LEAF: MutableNode[] = Object.freeze([]) as unknown as MutableNode[];


interface MutableBlock extends MutableNode {
    uncertain: UncertainRegion[];
}

interface Frame {
    readonly node: MutableNode;
    readonly indent: number;
    /** The line that closes an explicit section; null for a frame that ends by indentation. */
    readonly close: string | null;
    /** An explicit section held a line no deeper than its head: its extent rests on the closing line. */
    shallow: boolean;
}

interface Line {
    readonly text: string;
    readonly indent: number;
    readonly lineNo: number;
    readonly remnant: boolean;
}

/** Splits into non-blank lines with their indentation, in one pass. */
function lines(text: string): Line[] {
    const out: Line[] = [];
    const raw = text.split("\n");
    for (let i = 0; i < raw.length; i++) {
        let line = raw[i]!;
        let remnant = false;
        if (PAGER_REMNANT.test(line)) {
            line = line.replace(PAGER_REMNANT, "");
            remnant = true;
        }
        line = line.trimEnd();
        let indent = 0;
        while (indent < line.length && (line[indent] === " " || line[indent] === "\t")) indent++;
        if (indent === line.length && !remnant) continue;
        out.push({ text: line.slice(indent), indent, lineNo: i + 1, remnant });
    }
    return out;
}

function firstWord(text: string): string {
    const space = text.search(/\s/);
    return (space < 0 ? text : text.slice(0, space)).toLowerCase();
}

function lastIndex<T>(items: readonly T[], predicate: (item: T, index: number) => boolean): number {
    for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!, i)) return i;
    return -1;
}

function quote(nodes: readonly { lineNo: number; text: string }[]): { lineNo: number; text: string }[] {
    return nodes.slice(0, QUOTED).map((n) => ({ lineNo: n.lineNo, text: n.text }));
}

/** Parses the device's `show running-config` into a tree. Never throws. */
export function parseConfigTree(text: string): ConfigTree {
    const all = lines(text);
    const blocks: MutableBlock[] = [];
    const globalUncertain: UncertainRegion[] = [];
    let block: MutableBlock | null = null;
    let stack: Frame[] = [];
    /** The last line placed, to quote with a line that follows it doubtfully. */
    let previous: MutableNode | null = null;

    const mark = (target: MutableBlock | null, reason: string, quoted: readonly { lineNo: number; text: string }[]): void => {
        (target ? target.uncertain : globalUncertain).push({ reason, lines: quote(quoted) });
    };
    const lastBlock = (): MutableBlock | null => block ?? blocks[blocks.length - 1] ?? null;

    const closeSection = (frame: Frame, how: string): void => {
        if (frame.close !== null && frame.shallow) {
            mark(block, `"${frame.node.text}" ends ${how} without "${frame.close}", and its lines are no deeper than its head, so where the section ends is not certain`, [frame.node, ...frame.node.children]);
        }
    };
    const closeBlock = (): void => {
        for (let i = stack.length - 1; i > 0; i--) closeSection(stack[i]!, "with the block");
        block = null;
        stack = [];
    };
    // Lines in a row under one parent share one parents array: a block's thousands of lines would each copy it.
    let lastParent: MutableNode | null = null;
    let lastParents: readonly string[] = [];
    const append = (parent: MutableNode, l: Line, kind: ConfigNode["kind"]): MutableNode => {
        if (parent !== lastParent) {
            lastParent = parent;
            lastParents = [...parent.parents, parent.text];
        }
        const node: MutableNode = { text: l.text, lineNo: l.lineNo, indent: l.indent, parents: lastParents, kind, children: LEAF };
        if (parent.children === LEAF) parent.children = [node];
        else parent.children.push(node);
        previous = node;
        return node;
    };

    for (let i = 0; i < all.length; i++) {
        const l = all[i]!;
        if (l.remnant) {
            mark(lastBlock(), "a pager prompt (--More--) is left in the output, so the lines around it may be cut or misplaced", [previous ?? l, { lineNo: l.lineNo, text: "--More--" }]);
            if (l.text === "") continue;
        }
        if (l.indent === 0) {
            const word = firstWord(l.text);
            // `!` comments (`!RANCID-CONTENT-TYPE`, `!!! imish configuration starts here`) end a block as `!` does;
            // only a whole `end` line does ("end of rack 4" is the rest of a wrapped line).
            if (l.text.startsWith("!") || l.text.toLowerCase() === "end" || l.text === "exit") {
                // The closing `end` comes last, after a `!`: one right after a block's lines with more output
                // after it is the rest of a wrapped line (`description rack 4 back` + `end`), hiding what it cut.
                if (block !== null && block.children.length > 0 && i < all.length - 1 && l.text.toLowerCase() === "end") {
                    mark(block, 'an "end" line right after the block\'s lines, before the end of the output: the rest of a line the terminal wrapped, so that line is not whole', [previous ?? l, l]);
                }
                closeBlock();
                continue;
            }
            if (block !== null) {
                const next = all[i + 1];
                const flatAndAlone = FLAT_HEADS.has(word) && (next === undefined || next.indent === 0);
                // Right after a block head, an unknown word at column 0 is as doubtful as further
                // down: a body printed without indentation.
                if (!BLOCK_HEADS.has(word) && !flatAndAlone && (block.children.length > 0 || !FLAT_HEADS.has(word))) {
                    // Wrapped by the terminal, or a block printed without `!`: keep it where it stands.
                    mark(block, "a line at column 0 inside the block: a line wrapped by the terminal, or a new block printed without \"!\"", [previous ?? l, l]);
                    while (stack.length > 1 && stack[stack.length - 1]!.close === null) stack.pop();
                    append(stack[stack.length - 1]!.node, l, "line");
                    continue;
                }
                if (block.children.length > 0 && BLOCK_HEADS.has(word)) {
                    // A block head without "!" before it may as well be the rest of a wrapped
                    // line, so the lines after it may still be the open block's. (A one-line
                    // setting standing alone cannot take indented lines from the block.)
                    mark(block, `"${l.text}" follows the block without "!": a new line or block, or the rest of a line the terminal wrapped`, [previous ?? l, l]);
                }
            }
            closeBlock();
            const head: MutableBlock = { text: l.text, lineNo: l.lineNo, indent: 0, parents: [], kind: "line", children: LEAF, uncertain: [] };
            blocks.push(head);
            previous = head;
            block = head;
            stack = [{ node: head, indent: 0, close: null, shallow: false }];
            continue;
        }
        if (block === null) {
            // An indented line after a block's `!`: it may belong to the block before.
            const orphan: MutableBlock = { text: l.text, lineNo: l.lineNo, indent: l.indent, parents: [], kind: "line", children: LEAF, uncertain: [] };
            mark(lastBlock(), "an indented line outside any block (after a column-0 \"!\"), so which block it belongs to is not certain", [previous ?? orphan, orphan]);
            blocks.push(orphan);
            previous = orphan;
            continue;
        }
        const lower = l.text.length <= LONGEST_CLOSER ? l.text.toLowerCase() : "";
        // An explicit closer ends its section wherever it stands; FRR's `exit` ends the innermost
        // section opened at its depth or above.
        const closing = lower === "exit" ? lastIndex(stack, (f, j) => j > 0 && f.indent <= l.indent) : lastIndex(stack, (f) => f.close === lower);
        if (closing > 0) {
            for (let j = stack.length - 1; j > closing; j--) closeSection(stack[j]!, `at "${l.text}"`);
            append(stack[closing]!.node, l, "section-end");
            stack.length = closing;
            continue;
        }
        while (stack.length > 1 && stack[stack.length - 1]!.close === null && stack[stack.length - 1]!.indent >= l.indent) stack.pop();
        const top = stack[stack.length - 1]!;
        if (l.text.startsWith("!")) {
            append(top.node, l, "separator");
            continue;
        }
        const section = sectionOf(l.text);
        let parent = top;
        if (section && parent.close === section.close) {
            // Sections of one kind do not nest: a second head ends the first.
            closeSection(parent, `at "${l.text}"`);
            stack.pop();
            parent = stack[stack.length - 1]!;
        }
        if (parent.close !== null && l.indent <= parent.indent) parent.shallow = true;
        const node = append(parent.node, l, "line");
        stack.push({ node, indent: l.indent, close: section ? section.close : null, shallow: false });
    }
    closeBlock();
    return { blocks, uncertain: globalUncertain, cut: cutAt(all) };
}

/** Why the text is not a whole `show running-config`, quoting its last lines; null when it ends with `end`. */
function cutAt(all: readonly Line[]): UncertainRegion | null {
    const last = all[all.length - 1];
    if (last !== undefined && last.indent === 0 && !last.remnant && last.text.toLowerCase() === "end") return null;
    const tail = all.slice(-QUOTED_BEFORE_CUT).map((l) => ({ lineNo: l.lineNo, text: l.remnant ? `--More--${l.text}` : l.text }));
    return {
        reason: 'the output stops before the "end" line that closes a whole "show running-config", so the read was cut (a dropped connection, a pager, a read that stopped early) and what came after is unknown; run it again',
        lines: tail.length > 0 ? tail : [{ lineNo: 0, text: "(the device printed nothing)" }],
    };
}
