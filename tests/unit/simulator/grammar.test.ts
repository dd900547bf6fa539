import { strict as assert } from "node:assert";
import { CommandTable } from "../../../simulator/grammar/commandTable";
import { splitChained, tokenize } from "../../../simulator/grammar/tokenize";

describe("simulator command tables", () => {
    const table = new CommandTable<string>()
        .add("show running-config", "run")
        .add("show ip bgp summary", "summary")
        .add("show ip route [bgp]", "route")
        .add("neighbor <peer:word> remote-as <asn:asn>", "remote-as")
        .add("neighbor <peer:word> description <text:line>", "description")
        .add("network <prefix:ipv4>", "network")
        .add("redistribute {source:kernel|static|connected}", "redistribute")
        .add("max-paths {type:ebgp|ibgp} <n:1-64>", "max-paths");

    function matched(line: string): { handler: string; args: Record<string, string | undefined> } {
        const m = table.match(line);
        assert.equal(m.kind, "matched", `"${line}" should match, got ${JSON.stringify(m)}`);
        if (m.kind !== "matched") throw new Error("unreachable");
        const names = ["peer", "asn", "text", "prefix", "source", "type", "n"];
        return { handler: m.handler, args: Object.fromEntries(names.filter((n) => m.args.has(n)).map((n) => [n, m.args.get(n)])) };
    }

    it("matches keywords by unambiguous prefix, case-insensitively, and captures arguments", () => {
        assert.deepEqual(matched("sh run"), { handler: "run", args: {} });
        assert.deepEqual(matched("SHOW IP BGP SUM"), { handler: "summary", args: {} });
        assert.deepEqual(matched("nei 10.0.0.1 rem 65000"), { handler: "remote-as", args: { peer: "10.0.0.1", asn: "65000" } });
        assert.deepEqual(matched("redis STAT"), { handler: "redistribute", args: { source: "static" } });
        assert.deepEqual(matched("max ibgp 64"), { handler: "max-paths", args: { type: "ibgp", n: "64" } });
        assert.deepEqual(matched("show ip route"), { handler: "route", args: {} });
        assert.deepEqual(matched("show ip route bgp"), { handler: "route", args: {} });
    });

    it("keeps the rest of the line verbatim for line arguments", () => {
        assert.deepEqual(matched("neighbor 10.0.0.1 description  Rack 3:  node-a  "), { handler: "description", args: { peer: "10.0.0.1", text: "Rack 3:  node-a" } });
    });

    it("reports ambiguity, incompleteness and the offset of invalid input", () => {
        assert.deepEqual(table.match("n 10.0.0.1 remote-as 1"), { kind: "ambiguous", offset: 0 });
        assert.deepEqual(table.match("show ip"), { kind: "incomplete" });
        assert.deepEqual(table.match("show ip bgp summary extra"), { kind: "invalid", offset: 20 });
        assert.deepEqual(table.match("  show  bogus"), { kind: "invalid", offset: 8 });
        assert.deepEqual(table.match("max-paths ebgp 65"), { kind: "invalid", offset: 15 });
        assert.deepEqual(table.match("network 10.0.0.300"), { kind: "invalid", offset: 8 });
        assert.deepEqual(table.match("   "), { kind: "empty" });
    });

    it("prefers an exact keyword over longer ones sharing it as prefix, and honours aliases", () => {
        const t = new CommandTable<string>({}, { sh: "show" }).add("no", "no").add("nothing", "nothing").add("show", "show").add("shell", "shell");
        assert.equal((t.match("no") as { handler: string }).handler, "no");
        assert.equal((t.match("not") as { handler: string }).handler, "nothing");
        assert.equal((t.match("sh") as { handler: string }).handler, "show");
        assert.equal((t.match("she") as { handler: string }).handler, "shell");
        assert.deepEqual(new CommandTable<string>().add("show", "show").add("shell", "shell").match("sh"), { kind: "ambiguous", offset: 0 });
    });

    it("rejects malformed syntax strings at declaration", () => {
        assert.throws(() => new CommandTable<string>().add("show [ip", "x"), /unbalanced \[/);
        assert.throws(() => new CommandTable<string>().add("show <x:nosuchtype>", "x"), /unknown argument type nosuchtype/);
    });

    it("tokenizes quotes for nscli and splits ; chains outside quotes", () => {
        assert.deepEqual(tokenize('add x "a b" c', true).map((t) => t.text), ["add", "x", "a b", "c"]);
        assert.deepEqual(tokenize('say "a b"').map((t) => t.text), ["say", '"a', 'b"']);
        assert.deepEqual(splitChained('show a; set b "x;y" ;; show c'), ["show a", 'set b "x;y"', "show c"]);
    });
});
