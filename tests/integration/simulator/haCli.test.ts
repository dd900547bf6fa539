/**
 * nscli's HA commands over SSH, on two simulated nodes of a pair: `force ha failover` (its
 * question, `-force`), `force ha sync`, `sync ha files`, each refused on the secondary and on a
 * node without a pair, and `show ha node` on both nodes after each.
 */
import { strict as assert } from "node:assert";
import { startHaPair, type HaPair, type HaPairOptions, type Simulator } from "../../../simulator";
import { exec, Harness, ShellSession } from "./sshHarness";

const QUESTION = "Please confirm whether you want force-failover (Y/N)? [N]: ";

/** The self node's and the peer's master states in a `show ha node` answer. */
function masterStates(screen: string): { self: string; peer: string } {
    const states = [...screen.matchAll(/Master State: (\w+)/g)].map((m) => m[1]!);
    assert.equal(states.length, 2, screen);
    return { self: states[0]!, peer: states[1]! };
}

describe("simulator HA commands over SSH (force ha failover, force ha sync, sync ha files)", function () {
    this.timeout(20000);
    const h = new Harness();
    let pair: HaPair | undefined;
    afterEach(async () => {
        await h.cleanup();
        await pair?.close();
        pair = undefined;
    });
    after(() => h.removeKeys());

    const start = async (options: HaPairOptions = {}) => {
        pair = await startHaPair({ common: { banner: [], initialConfig: { enabledFeatures: ["BGP"] } }, ...options });
        return pair.nodes;
    };

    /** A logged-in shell at `> `. */
    async function shell(node: Simulator): Promise<ShellSession> {
        const s = await h.shell(node);
        await s.waitForEnd("> ");
        return s;
    }

    /** Types one line and returns what the device printed up to the prompt `until`. */
    async function type(s: ShellSession, line: string, until = "> "): Promise<string> {
        const from = s.text().length;
        s.send(`${line}\r`);
        const screen = await s.waitFor((t) => t.endsWith(until) && t.length > line.length + 2, 3000, from);
        return screen.slice(line.length + 2, screen.length - until.length);
    }

    async function showHaNode(node: Simulator): Promise<{ self: string; peer: string }> {
        return masterStates(await node.device.cli("show ha node"));
    }

    it("force ha failover on the primary asks first; y swaps both nodes, and show ha node on each agrees", async () => {
        const [a, b] = await start();
        const s = await shell(a);
        assert.equal(await type(s, "force ha failover", QUESTION), "");
        assert.equal((await showHaNode(a)).self, "Primary", "nothing happens before the answer");
        assert.equal(await type(s, "y"), " Done\r\n");
        assert.deepEqual(await showHaNode(a), { self: "Secondary", peer: "Primary" });
        assert.deepEqual(await showHaNode(b), { self: "Primary", peer: "Secondary" });
        assert.equal(pair!.primary(), b);
        // The new role's time starts again.
        assert.match(await type(s, "show ha node"), /Master State: Secondary\r\n[\s\S]*Node in this Master State for: 0:0:0:\d \(days:hrs:min:sec\)/);
        // The question's answer arrived in its own mode.
        assert.deepEqual(
            a.transcript().filter((l) => l.mode === "confirm").map((l) => l.line),
            ["y"],
        );
    });

    it("any answer but y or yes cancels the failover; -force asks nothing", async () => {
        const [a, b] = await start();
        const s = await shell(a);
        await type(s, "force ha failover", QUESTION);
        assert.equal(await type(s, "n"), "");
        await type(s, "force ha failover", QUESTION);
        assert.equal(await type(s, ""), "");
        assert.equal(pair!.primary(), a);
        assert.equal(await type(s, "force ha failover -force"), " Done\r\n");
        assert.equal(pair!.primary(), b);
        // And back, from the new primary, answering YES.
        const t = await shell(b);
        await type(t, "force HA failover", QUESTION);
        assert.equal(await type(t, "YES"), " Done\r\n");
        assert.equal(pair!.primary(), a);
    });

    it("the secondary refuses the failover and both syncs as the device prints it, changing nothing", async () => {
        const [a, b] = await start({ propagation: "on-sync" });
        await a.device.configure(["router bgp 500", "neighbor 10.0.0.1 remote-as 64512"]);
        const s = await shell(b);
        for (const line of ["force ha failover", "force ha failover -force", "force ha sync", "force ha sync -force -save YES", "sync ha files all"]) {
            assert.equal(await type(s, line), "ERROR: Operation not permitted on secondary\r\n", line);
        }
        assert.equal(pair!.primary(), a);
        assert.equal(b.device.state().bgp, null, "no sync happened");
        assert.deepEqual(await showHaNode(b), { self: "Secondary", peer: "Primary" });
    });

    it("the unconfirmed parts are options: no question, another error text, a secondary that takes the failover", async () => {
        const [a, b] = await start({ common: { banner: [], haCli: { failoverPrompt: null, secondaryError: "Command not allowed on secondary node", failoverOnSecondary: true } } });
        const s = await shell(b);
        assert.equal(await type(s, "force ha sync"), "ERROR: Command not allowed on secondary node\r\n");
        assert.equal(await type(s, "force ha failover"), " Done\r\n", "no question, and the secondary takes it");
        assert.equal(pair!.primary(), b);
        assert.deepEqual(await showHaNode(a), { self: "Secondary", peer: "Primary" });
    });

    it("a node that is not one of a pair refuses every HA command", async () => {
        const sim = await h.start({ banner: [] });
        const s = await shell(sim);
        for (const line of ["force ha failover -force", "force ha sync", "sync ha files"]) {
            assert.equal(await type(s, line), "ERROR: HA is not configured\r\n", line);
        }
        assert.equal(sim.node().role, "standalone");
    });

    it("on-sync: typed lines stay on the primary until force ha sync copies the running configuration; -save YES saves it there", async () => {
        const [a, b] = await start({ propagation: "on-sync" });
        await a.device.cli("enable ns feature OSPF");
        await a.device.configure(["router bgp 500", "neighbor 10.0.0.1 remote-as 64512"]);
        assert.equal(b.device.state().bgp, null, "not carried by the change itself");
        const s = await shell(a);
        assert.equal(await type(s, "force ha sync"), " Done\r\n");
        assert.deepEqual(b.device.state().bgp?.neighbors.map((n) => n.address), ["10.0.0.1"]);
        assert.ok(b.device.state().enabledFeatures.includes("OSPF"));
        assert.doesNotMatch(b.saved().zebos, /10\.0\.0\.1/, "a sync without -save leaves the secondary's saved configuration");
        await a.device.configure(["router bgp 500", "neighbor 10.0.0.2 remote-as 64512"]);
        assert.equal(await type(s, "force ha sync -force -save YES"), " Done\r\n");
        assert.match(b.saved().zebos, /neighbor 10\.0\.0\.2 remote-as 64512/);
        assert.ok(b.saved().enabledFeatures.includes("OSPF"));
        assert.deepEqual(await showHaNode(a), { self: "Primary", peer: "Secondary" }, "a sync changes no role");
    });

    it("on-sync: sync ha files all carries the written ZebOS.conf, not what was typed after; other modes carry none of it", async () => {
        const [a, b] = await start({ propagation: "on-sync" });
        await a.device.configure(["router bgp 500", "neighbor 10.0.0.1 remote-as 64512", "end", "write"]);
        await a.device.configure(["router bgp 500", "neighbor 10.0.0.2 remote-as 64512"]);
        const s = await shell(a);
        assert.equal(await type(s, "sync ha files ssl"), " Done\r\n");
        assert.equal(b.device.state().bgp, null);
        assert.equal(await type(s, "sync HA files all"), " Done\r\n");
        assert.deepEqual(b.device.state().bgp?.neighbors.map((n) => n.address), ["10.0.0.1"]);
        assert.match(b.saved().zebos, /neighbor 10\.0\.0\.1 remote-as 64512/);
        assert.equal(await type(s, "sync ha files bogus"), "ERROR: No such command\r\n");
    });

    it("not-synced: the syncs carry the nscli configuration only", async () => {
        const [a, b] = await start({ propagation: "not-synced" });
        await a.device.configure(["router bgp 500", "neighbor 10.0.0.1 remote-as 64512", "end", "write"]);
        await a.device.cli("enable ns feature OSPF");
        await b.device.cli("disable ns feature OSPF");
        const s = await shell(a);
        assert.equal(await type(s, "force ha sync"), " Done\r\n");
        assert.equal(await type(s, "sync ha files all"), " Done\r\n");
        assert.equal(b.device.state().bgp, null);
        assert.ok(b.device.state().enabledFeatures.includes("OSPF"));
    });

    it("over an exec request the question is printed and left unanswered: nothing fails over", async () => {
        const [a] = await start();
        const { client } = await h.connect(a);
        const r = await exec(client, "force ha failover");
        assert.equal(r.stdout, QUESTION);
        assert.equal(pair!.primary(), a);
        assert.equal((await exec(client, "force ha failover -force")).stdout, " Done\r\n");
        assert.equal(pair!.primary(), pair!.nodes[1]);
    });
});
