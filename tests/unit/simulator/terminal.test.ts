import { strict as assert } from "node:assert";
import { createDevice } from "../../../simulator/model/createDevice";
import { Shell } from "../../../simulator/session/shell";
import { EchoMode, executeSafely, MAX_LINE_LENGTH, Terminal, TerminalHooks } from "../../../simulator/session/terminal";
import { InMemoryRoutingEngine } from "../../../simulator/routing/inMemoryEngine";

/** A terminal over a real shell and device; the hooks record what would go to the SSH channel. */
async function terminal(echo: EchoMode, overrides: Partial<TerminalHooks> = {}) {
    const shell = new Shell(await createDevice({ initialConfig: { nscli: ["enable ns feature BGP"] } }));
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
