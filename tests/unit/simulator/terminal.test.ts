import { strict as assert } from "node:assert";
import { createDevice } from "../../../simulator/model/createDevice";
import { Shell } from "../../../simulator/session/shell";
import { EchoMode, executeSafely, MAX_LINE_LENGTH, Terminal, TerminalHooks } from "../../../simulator/session/terminal";
import { InMemoryRoutingEngine } from "../../../simulator/routing/inMemoryEngine";
import type { RoutingConfig } from "../../../simulator/routing/engine";

/** An in-memory engine that keeps the neighbors of every configuration it is given. */
class RecordingEngine extends InMemoryRoutingEngine {
    readonly applied: string[][] = [];
    override async apply(config: RoutingConfig): Promise<void> {
        this.applied.push(config.bgp?.neighbors.map((n) => n.address) ?? []);
        return super.apply(config);
    }
}

/** A terminal over a real shell and device; the hooks record what would go to the SSH channel. */
async function terminal(echo: EchoMode, overrides: Partial<TerminalHooks> = {}, routing?: InMemoryRoutingEngine) {
    const shell = new Shell(await createDevice({ initialConfig: { nscli: ["enable ns feature BGP"] }, ...(routing ? { routing } : {}) }));
    const written: string[] = [];
    const events: string[] = [];
    const hooks: TerminalHooks = {
        echo,
        latencyMs: () => 0,
        lineReceived: () => ({ drop: false }),
        lineAnswered: () => undefined,
        write: (d) => written.push(d),
        end: () => events.push("end"),
        drop: () => events.push("drop"),
        ...overrides,
    };
    const t = new Terminal(shell, hooks);
    t.start([]);
    return { t, shell, screen: () => written.join(""), events };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("simulator terminal", () => {
    it("echoes each line when read (line mode): one prompt per line of a pipelined batch", async () => {
        const { t, screen } = await terminal("line");
        t.feed("vtysh\r\nconf t\nrouter bgp 1\rexit\r\n");
        await settle();
        assert.equal(screen(), "> vtysh\r\nns#conf t\r\nEnter configuration commands, one per line. End with CNTL/Z.\r\nns(config)#router bgp 1\r\nns(config-router)#exit\r\nns(config)#");
    });

    it("echoes the whole batch first in typeahead mode", async () => {
        const { t, screen } = await terminal("typeahead");
        t.feed("vtysh\nconf t\n");
        await settle();
        assert.equal(screen(), "> vtysh\r\nconf t\r\nns#Enter configuration commands, one per line. End with CNTL/Z.\r\nns(config)#");
    });

    it("echoes nothing in none mode", async () => {
        const { t, screen } = await terminal("none");
        t.feed("vtysh\n");
        await settle();
        assert.equal(screen(), "> ns#");
    });

    it("handles lines split across packets, backspace, escape sequences and Ctrl-Z", async () => {
        const { t, shell, screen } = await terminal("typeahead");
        t.feed("vty");
        t.feed("sx\x7fh\x1b[A\r");
        t.feed("\nconf t\n");
        await settle();
        assert.equal(shell.mode, "config");
        t.feed("router bgp 1\n\x1a");
        await settle();
        assert.equal(shell.mode, "vtysh");
        assert.ok(screen().startsWith("> vtysx\b \bh\r\n"), JSON.stringify(screen()));
        assert.ok(screen().endsWith("ns(config)#router bgp 1\r\n^Z\r\nns(config-router)#ns#"), JSON.stringify(screen()));
    });

    it("ends the channel after nscli exit, and drops when told to", async () => {
        const a = await terminal("line");
        a.t.feed("exit\n");
        await settle();
        assert.deepEqual(a.events, ["end"]);
        assert.equal(a.screen(), "> exit\r\n");
        let n = 0;
        const b = await terminal("line", { lineReceived: () => (++n === 2 ? { drop: true } : { drop: false }) });
        b.t.feed("vtysh\nconf t\nexit\n");
        await settle();
        assert.deepEqual(b.events, ["drop"]);
        assert.equal(b.screen(), "> vtysh\r\nns#", "the dropped line and those after it are not answered");
        assert.equal(b.shell.mode, "vtysh");
    });

    it("applies a pipelined batch to the routing engine once, after its last line, and before a read of the engine inside it", async () => {
        const engine = new RecordingEngine();
        let appliedAtLastPrompt: string[] | undefined;
        const { t, screen } = await terminal("none", { lineAnswered: (line) => (line === "end" ? (appliedAtLastPrompt = engine.applied.at(-1)) : undefined) }, engine);
        const before = engine.applied.length;
        t.feed(["vtysh", "conf t", "router bgp 1", "neighbor 10.0.0.1 remote-as 2", "neighbor 10.0.0.2 remote-as 2", "show ip bgp summary", "neighbor 10.0.0.3 remote-as 2", "end", ""].join("\n"));
        await settle();
        assert.deepEqual(engine.applied.slice(before), [["10.0.0.1", "10.0.0.2"], ["10.0.0.1", "10.0.0.2", "10.0.0.3"]]);
        assert.deepEqual(appliedAtLastPrompt, ["10.0.0.1", "10.0.0.2", "10.0.0.3"], "the engine runs the batch before its last prompt is printed");
        assert.match(screen(), /10\.0\.0\.2 .*\n.*Total number of neighbors 2/s);
    });

    it("applies the lines answered before a connection is cut in the middle of a batch", async () => {
        const engine = new RecordingEngine();
        const { t, events } = await terminal("none", { lineReceived: (line) => (line.includes("10.0.0.3") ? { drop: true } : { drop: false }) }, engine);
        t.feed(["vtysh", "conf t", "router bgp 1", "neighbor 10.0.0.1 remote-as 2", "neighbor 10.0.0.2 remote-as 2", "neighbor 10.0.0.3 remote-as 2", "end", ""].join("\n"));
        await settle();
        assert.deepEqual(events, ["drop"]);
        assert.deepEqual(engine.applied.at(-1), ["10.0.0.1", "10.0.0.2"]);
    });

    it("caps very long lines instead of growing without bound", async () => {
        const { t, screen } = await terminal("none");
        t.feed(`show ${"x".repeat(MAX_LINE_LENGTH * 2)}\n`);
        await settle();
        assert.equal(screen(), "> ERROR: No such command\r\n> ");
    });

    it("answers a defect (a failing routing engine) as an error and keeps the session", async () => {
        class BrokenEngine extends InMemoryRoutingEngine {
            override async sessions(): Promise<never> {
                throw new Error("bgpd gone");
            }
        }
        const shell = new Shell(await createDevice({ routing: new BrokenEngine(), initialConfig: { enabledFeatures: ["BGP"], zebos: "router bgp 1" } }));
        shell.mode = "vtysh";
        assert.deepEqual((await executeSafely(shell, "show ip bgp summary")).lines, ["% simulator defect: bgpd gone"]);
        assert.equal((await executeSafely(shell, "show running-config")).lines.at(-1), "end");
    });

    it("answers a forced error instead of running the line", async () => {
        const { t, shell, screen } = await terminal("line", { lineReceived: (line) => (line.startsWith("vtysh") ? { drop: false, errorReply: "ERROR: busy" } : { drop: false }) });
        t.feed("vtysh\n");
        await settle();
        assert.equal(screen(), "> vtysh\r\nERROR: busy\r\n> ");
        assert.equal(shell.mode, "nscli");
    });
});
