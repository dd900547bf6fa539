import { strict as assert } from "assert";
import fc from "fast-check";
import { TerminalBuffer } from "../../../provider/device/terminal";
import { Redactor, REDACTED } from "../../../provider/device/redact";
import { compilePlatform, NETSCALER } from "../../../provider/device/platform";

function feed(chunks: readonly (string | Buffer)[]): string {
    const t = new TerminalBuffer();
    for (const c of chunks) t.append(c);
    return t.text;
}

function bytewise(text: string): Buffer[] {
    const bytes = Buffer.from(text, "utf8");
    return [...bytes].map((b) => Buffer.from([b]));
}

describe("device/terminal: TerminalBuffer", () => {
    it("turns CRLF into LF, even split across chunks, and lets a lone carriage return overwrite the line", () => {
        assert.equal(feed(["a\r\nb\r\r\nc\rd"]), "a\nb\nd");
        assert.equal(feed(["a\r", "\nb"]), "a\nb");
        assert.equal(feed(["line\n\rns#"]), "line\nns#");
    });

    it("removes colour escapes even when split across chunks", () => {
        const raw = "\x1b[1;32mns(config)#\x1b[0m";
        assert.equal(feed([raw]), "ns(config)#");
        for (let cut = 1; cut < raw.length; cut++) assert.equal(feed([raw.slice(0, cut), raw.slice(cut)]), "ns(config)#", `cut at ${cut}`);
        assert.equal(feed(bytewise(raw)), "ns(config)#");
    });

    it("removes erase-line, cursor and title sequences", () => {
        assert.equal(feed(["\x1b[2K\x1b[1Gline\x1b[K\x1b]0;title\x07\x1b=\x1b(B end"]), "line end");
    });

    it("drops control characters from every chunk, with or without a carriage return, one chunk after another", () => {
        assert.equal(feed(["a\x07b\n", "c\x00d\r\n", "plain\n", "e\x7f\x0bf"]), "ab\ncd\nplain\nef");
        assert.equal(feed(["\x07", "\x07x", "y\x07"]), "xy");
    });

    it("keeps multi-byte characters whole when their bytes arrive one at a time", () => {
        assert.equal(feed(bytewise("Größe ✓ ok\r\n")), "Größe ✓ ok\n");
    });

    it("applies backspaces within the current line only", () => {
        assert.equal(feed(["abc\b \b\bX"]), "aX");
        assert.equal(feed(["line\n", "\b\b\bnext"]), "line\nnext");
    });

    it("removes a carriage-return erase (`\\r` blanks `\\r`) split across chunks", () => {
        assert.equal(feed(["one\n --More-- \r    ", "    \rtwo"]), "one\ntwo");
        assert.equal(feed(["one\n --More-- ", "\r", "        \r", "two"]), "one\ntwo");
    });
});

describe("device/redact: Redactor", () => {
    it("finds the secret a redacted line stands for and hides it wherever it appears", () => {
        const r = new Redactor();
        r.addLine("neighbor 10.0.0.1 password Sup3r-s3cret", `neighbor 10.0.0.1 password ${REDACTED}`);
        assert.equal(r.redact("neighbor 10.0.0.1 password Sup3r-s3cret"), `neighbor 10.0.0.1 password ${REDACTED}`);
        assert.equal(r.redact("% bad value Sup3r-s3cret here"), `% bad value ${REDACTED} here`);
    });

    it("treats the whole line as secret when the redacted form is not a template of it", () => {
        const r = new Redactor();
        r.addLine("some secret line", "something else <redacted>");
        assert.equal(r.redact("echo: some secret line!"), "echo: <redacted>!");
        assert.ok(!r.redact("x some secret line").includes("secret line"));
    });

    it("hides connection secrets and ignores lines without a redacted form", () => {
        const r = new Redactor();
        r.addSecret("pw-123");
        r.addSecret(undefined);
        r.addLine("neighbor 10.0.0.1 remote-as 1", undefined);
        assert.equal(r.redact("login pw-123 / neighbor 10.0.0.1 remote-as 1"), `login ${REDACTED} / neighbor 10.0.0.1 remote-as 1`);
    });
});

describe("device/platform: NetScaler prompts as data", () => {
    const p = compilePlatform(NETSCALER);

    it("names the mode of every documented and tolerated prompt", () => {
        const cases: [string, string][] = [
            [">", "cli"],
            ["> ", "cli"],
            ["lb-ns1 15:16> ", "cli"],
            ["adc01 PRIMARY> ", "cli"],
            ["ns#", "vtysh"],
            ["adc-1.example.com#", "vtysh"],
            ["ns(config)#", "config"],
            ["ns(config-router)#", "configRouter"],
            ["ns(config-router-af)#", "configRouterAf"],
            ["ns(config-if)#", "configOther"],
            ["lb1(config-route-map)# ", "configOther"],
        ];
        for (const [line, mode] of cases) assert.equal(p.modeOfPromptLine(line), mode, line);
    });

    it("does not take output lines for prompts", () => {
        for (const line of [" Done", "        Network          Netmask>", "% Unknown command <x>", "root@ns# ", "show route", ""]) {
            assert.equal(p.modeOfPromptLine(line), undefined, JSON.stringify(line));
        }
    });

    it("reads several prompts at the start of a line (type-ahead) and where the echo starts", () => {
        assert.deepEqual(p.leadingPrompts("ns(config-router)#ns(config-router)#ns(config)#"), { modes: ["configRouter", "configRouter", "config"], rest: 47 });
        const line = "ns(config)#router bgp 500";
        assert.deepEqual(p.leadingPrompts(line), { modes: ["config"], rest: "ns(config)#".length });
        assert.deepEqual(p.leadingPrompts("> "), { modes: ["cli"], rest: 2 });
        assert.deepEqual(p.leadingPrompts("neighbor 1.1.1.1 remote-as 1"), { modes: [], rest: 0 });
    });

    it("walks the mode graph by shortest paths, and never leaves nscli with exit", () => {
        assert.deepEqual(p.path("configRouterAf", "cli")?.map((e) => e.command), ["end", "exit"]);
        assert.deepEqual(p.path("cli", "config")?.map((e) => e.command), ["vtysh", "configure terminal"]);
        assert.deepEqual(p.path("configRouter", "config")?.map((e) => e.command), ["exit"]);
        assert.equal(NETSCALER.edges.some((e) => e.from === "cli" && e.command === "exit"), false);
    });

    it("knows the failure indicators of each dialect and advice for known answers", () => {
        assert.ok(p.isFailureLine("ERROR: No such resource [name, x]", "nscli"));
        assert.ok(!p.isFailureLine(" Done", "nscli"));
        assert.ok(!p.isFailureLine("Warning: something", "nscli"));
        assert.ok(p.isFailureLine("% Invalid input detected at '^' marker.", "vtysh"));
        assert.ok(!p.isFailureLine("Enter configuration commands, one per line.  End with CNTL/Z.", "vtysh"));
        assert.match(p.fixFor("% BGP is already running; AS is 500", "vtysh"), /localAsn 500/);
    });

    it("searches a whole answer for failure lines: never says none where a line is one", () => {
        const line = fc.oneof(
            fc.constantFrom("% Invalid input detected at '^' marker.", "  % Unknown command", "ERROR: No such resource", "BGP is already running; AS is 500", "invalid input", " Done", "neighbor 10.0.0.1 remote-as 64512", "a ERROR b", "ends in x", "", " ", "\r"),
            fc.string({ maxLength: 12 }),
        );
        // The platform's indicators, and ones that match inside a line, after an alternative, or at its end.
        const platforms = [p, ...[[/Done/], [/^%|ERROR/], [/^\s*(?:Unknown|%)/i, /x$/]].map((vtysh) => compilePlatform({ ...NETSCALER, failureIndicators: { ...NETSCALER.failureIndicators, vtysh } }))];
        fc.assert(
            fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom("nscli" as const, "vtysh" as const), fc.constantFrom(...platforms), (lines, dialect, platform) => {
                const text = lines.join("\n");
                if (text.split("\n").some((l) => platform.isFailureLine(l, dialect))) assert.equal(platform.mayHoldFailureLine(text, dialect), true, JSON.stringify(text));
            }),
            { numRuns: 3000 },
        );
        assert.equal(p.mayHoldFailureLine(" neighbor 10.0.0.1 remote-as 64512\n neighbor 10.0.0.1 description x%", "vtysh"), false);
        assert.equal(p.mayHoldFailureLine("a\n  % Unknown command\nb", "vtysh"), true);
        // An indicator with a lookaround looks no further than its line: `x` before a line's end is not followed by `y`.
        const look = compilePlatform({ ...NETSCALER, failureIndicators: { ...NETSCALER.failureIndicators, vtysh: [/^x(?!y)/] } });
        assert.equal(look.mayHoldFailureLine("a\nxy\nb", "vtysh"), false);
        assert.equal(look.mayHoldFailureLine("a\nx\nyb", "vtysh"), true);
    });

    it("searches a whole answer as each indicator reads a line, whatever the other indicators' flags and groups", () => {
        const withVtysh = (vtysh: RegExp[]) => compilePlatform({ ...NETSCALER, failureIndicators: { ...NETSCALER.failureIndicators, vtysh } });
        const cases: [RegExp[], string][] = [
            // A case-sensitive negated class next to an indicator that ignores case: `[^a-z]` still takes `R`.
            [[/^%/i, /^[^a-z ]+: failed/], "ok\nRT: failed"],
            [[/^(?:Invalid input|Unknown command)/i, /^[^a-z]{2} error/], "ok\nAB error"],
            // A back reference counts the groups of its own indicator, not of those before it.
            [[/^(E)RROR/, /^(x)(y)\2/], "ok\nxyy"],
            // With `m`, an indicator's `^` also matches after a line separator inside the line.
            [[/^%/m], "description a\u2028% b"],
        ];
        for (const [vtysh, text] of cases) {
            const platform = withVtysh(vtysh);
            assert.ok(text.split("\n").some((l) => platform.isFailureLine(l, "vtysh")), `${vtysh.join(" ")} takes a line of ${JSON.stringify(text)}`);
            assert.equal(platform.mayHoldFailureLine(text, "vtysh"), true, `${vtysh.join(" ")} on ${JSON.stringify(text)}`);
        }
        // The platform's own indicators are still searched at once: an answer without a failure line says so.
        assert.equal(withVtysh([/^\s*%/, /^BGP is already running/, /^(?:Invalid input|Unknown command)/i]).mayHoldFailureLine("a\nb %\nc", "vtysh"), false);
    });

    it("reads an answer of many blank lines one line at a time: no failure line among them, the one after them found", () => {
        // `^\s*%` tried from each line's start over the whole answer would run across every blank
        // line after it (its cost the square of the answer's); read a line at a time it cannot.
        for (const blank of ["", "  ", " \t"]) {
            const answer = `${`${blank}\n`.repeat(30_000)}end`;
            assert.equal(p.mayHoldFailureLine(answer, "vtysh"), false);
            assert.equal(p.mayHoldFailureLine(`${answer}\n  % Unknown command`, "vtysh"), true);
            assert.equal(p.mayHoldFailureLine(`${blank}\n${blank} %\nend`, "vtysh"), true);
        }
    });
});
