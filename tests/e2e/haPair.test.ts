/**
 * An HA pair through the real Pulumi engine (Automation API): `AdcBgpRouter` and
 * `AdcBgpNeighbors` given both nodes of a simulated pair, each with its pinned host key. up; a
 * failover typed at the primary's CLI; preview and up change nothing and reset no session; a
 * node joining goes to the new primary; a secondary changed by hand is drift that refresh reports
 * with what to run, and running it brings the pair back in sync; destroy leaves neither node with
 * anything of the stack.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent, OpMap } from "@pulumi/pulumi/automation";
import { AdcBgpNeighbors, AdcBgpRouter } from "../../provider";
import { createEngineStack, type EngineStack } from "../../sandbox/pulumiEngine";
import { startHaPair, type HaPair, type Simulator } from "../../simulator";
import { typeAtCli } from "../support/adminShell";
import { neighborLines } from "../support/runningConfig";

const PASSWORD = "ha-e2e-Adc-pw-57";
const QUESTION = "Please confirm whether you want force-failover (Y/N)? [N]: ";

/** Every operation in a summary other than `same`. */
function changes(summary: OpMap | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(summary ?? {}).filter(([op, n]) => op !== "same" && (n ?? 0) > 0)) as Record<string, number>;
}

/** Lines that would change a node: configuration modes, and nscli or vtysh writes. */
function writes(sim: Simulator): string[] {
    return sim
        .transcript()
        .filter((l) => l.mode === "config" || l.mode === "router" || /^(?:enable|disable|save|write|configure|conf)\b/i.test(l.line))
        .map((l) => l.line);
}

/** The outputs the state holds for the resource named `name` (refresh updates these, not the stack's outputs). */
async function stateOutputs(engine: EngineStack, name: string): Promise<Record<string, unknown>> {
    const resources = ((await engine.stack.exportStack()).deployment?.resources ?? []) as { urn: string; outputs?: Record<string, unknown> }[];
    const found = resources.find((r) => r.urn.endsWith(`::${name}`));
    assert.ok(found, `no resource ${name} in the state`);
    return found.outputs ?? {};
}

/** The info and warning messages the engine reported (the providers' log lines among them). */
function diagnostics(events: readonly EngineEvent[]): string {
    return events.map((e) => e.diagnosticEvent?.message ?? "").join("");
}

describe("an HA pair through the Pulumi engine: failover between two ups, a diverged secondary, destroy", function () {
    this.timeout(300_000);
    let pair: HaPair;
    let engine: EngineStack;
    /** The Kubernetes nodes' addresses the program peers with; a test adds one. */
    const neighborAddresses = ["10.102.33.198", "10.102.33.202"];

    before(async () => {
        pair = await startHaPair({ common: { banner: [], users: [{ username: "nsroot", password: PASSWORD }] }, propagation: "synced" });
        const node = (n: Simulator) => ({ host: n.host, port: n.port, hostKeyFingerprint: n.hostKeyFingerprint });
        engine = await createEngineStack({
            projectName: "ha",
            program: async () => {
                const connection = { nodes: [node(pair.nodes[0]), node(pair.nodes[1])] as [ReturnType<typeof node>, ReturnType<typeof node>], password: pulumi.secret(PASSWORD) };
                const router = new AdcBgpRouter("adc", { connection, localAsn: 500, gracefulRestart: true });
                const nodes = new AdcBgpNeighbors(
                    "nodes",
                    { connection, localAsn: 500, neighbors: neighborAddresses.map((address) => ({ address, remoteAsn: 64512 })) },
                    { dependsOn: router },
                );
                return { routerInSync: router.secondaryInSync, neighborsInSync: nodes.secondaryInSync, secondary: nodes.secondary };
            },
        });
    });

    after(async () => {
        await engine?.cleanup();
        await pair?.close();
    });

    it("1. up applies on the primary only, and the outputs say the secondary shows the same", async () => {
        const [primary, secondary] = pair.nodes;
        const up = await engine.stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(neighborLines(primary), ["neighbor 10.102.33.198 remote-as 64512", "neighbor 10.102.33.202 remote-as 64512"]);
        assert.match(primary.device.runningConfig(), /^ bgp graceful-restart$/m);
        assert.deepEqual(writes(secondary), [], "nothing typed on the secondary");
        assert.deepEqual(neighborLines(secondary), neighborLines(primary), "the pair's sync carried it");
        assert.match(secondary.device.runningConfig(), /^ bgp graceful-restart$/m);
        const outputs = await engine.stack.outputs();
        assert.equal(outputs.routerInSync!.value, true);
        assert.equal(outputs.neighborsInSync!.value, true);
        assert.deepEqual(outputs.secondary!.value, { host: secondary.host, port: secondary.port, differences: [] });
    });

    it("2. after a failover typed at the primary's CLI, preview shows no change and up sends no line and resets no session", async () => {
        const [oldPrimary, newPrimary] = pair.nodes;
        const screen = await typeAtCli(oldPrimary, PASSWORD, ["force ha failover", "y", "show ha node"]);
        assert.ok(screen.includes(QUESTION), screen);
        assert.equal(pair.primary(), newPrimary);
        assert.match(screen, /Node ID:\s+0\r\n[\s\S]*?Master State: Secondary/);
        pair.resetCounters();

        const seen: EngineEvent[] = [];
        const preview = await engine.stack.preview({ onEvent: (e) => seen.push(e) });
        assert.deepEqual(changes(preview.changeSummary), {});
        const ops = seen.map((e) => e.resourcePreEvent?.metadata.op).filter((op) => op !== undefined);
        assert.ok(!ops.some((op) => /replace|create|delete|update/.test(op!)), `operations: ${ops.join(", ")}`);

        const up = await engine.stack.up();
        assert.deepEqual(changes(up.summary.resourceChanges), {});
        const counters = pair.counters();
        assert.equal(counters.configLinesReceived, 0);
        assert.equal(counters.bgpSessionsReset, 0);
        assert.deepEqual([...writes(oldPrimary), ...writes(newPrimary)], []);
    });

    it("3. a node joining after the failover is applied on the new primary, and the old one gets it by the pair's sync", async () => {
        const [oldPrimary, newPrimary] = pair.nodes;
        neighborAddresses.push("10.102.33.204");
        pair.resetCounters();
        const up = await engine.stack.up();
        assert.deepEqual(changes(up.summary.resourceChanges), { update: 1 });
        // The neighbor and the mark that makes it this stack's (a description, as none is given).
        const sent = newPrimary.transcript().filter((l) => l.mode === "router").map((l) => l.line);
        assert.equal(sent.length, 3, sent.join("\n"));
        assert.equal(sent[0], "neighbor 10.102.33.204 remote-as 64512");
        assert.match(sent[1]!, /^neighbor 10\.102\.33\.204 description pca:\w+$/);
        assert.equal(sent[2], "end");
        assert.deepEqual(writes(oldPrimary), [], "nothing typed on the old primary, now the secondary");
        assert.equal(pair.counters().bgpSessionsReset, 0);
        assert.deepEqual(neighborLines(oldPrimary), neighborLines(newPrimary));
        assert.equal((await engine.stack.outputs()).neighborsInSync!.value, true);
    });

    it("4. a secondary changed by hand is drift in refresh, which says what to run; running it brings the pair back in sync", async () => {
        const [secondary, primary] = pair.nodes;
        // From now on the pair carries vtysh configuration only with a sync, as some ADCs may.
        pair.setPropagation("on-sync");
        await typeAtCli(secondary, PASSWORD, ["vtysh", "configure terminal", "router bgp 500", "no neighbor 10.102.33.204", "end", "exit"]);

        const events: EngineEvent[] = [];
        const refresh = await engine.stack.refresh({ onEvent: (e) => events.push(e) });
        assert.equal(refresh.summary.result, "succeeded");
        const nodesState = await stateOutputs(engine, "nodes");
        assert.equal(nodesState.secondaryInSync, false);
        const report = nodesState.secondary as { host: string; port: number; differences: string[] };
        assert.deepEqual({ host: report.host, port: report.port }, { host: secondary.host, port: secondary.port });
        assert.equal(report.differences[0], "neighbor 10.102.33.204 remote-as 64512", report.differences.join("\n"));
        assert.ok(report.differences.slice(1).every((d) => /^neighbor 10\.102\.33\.204 description pca:\w+$/.test(d)), report.differences.join("\n"));
        assert.equal((await stateOutputs(engine, "adc")).secondaryInSync, true, "the router's own settings are still alike");
        const said = diagnostics(events);
        assert.match(said, new RegExp(`the HA secondary ${secondary.host} port ${secondary.port} does not show the BGP configuration held by the primary ${primary.host}`));
        assert.match(said, /- neighbor 10\.102\.33\.204 remote-as 64512/);
        assert.match(said, /run `force ha sync` \(or `sync ha files all`\), then `pulumi refresh`/);
        assert.ok(!said.includes(PASSWORD));

        primary.resetCounters();
        // What the warning says, typed at the primary's CLI; then refresh finds the pair in sync.
        const screen = await typeAtCli(primary, PASSWORD, ["force ha sync"]);
        assert.match(screen, /force ha sync\r\n Done\r\n> $/);
        await engine.stack.refresh();
        assert.equal((await stateOutputs(engine, "nodes")).secondaryInSync, true);
        assert.deepEqual(neighborLines(secondary), neighborLines(primary));
        assert.deepEqual(changes((await engine.stack.preview()).changeSummary), {});
        assert.deepEqual(writes(primary), [], "refresh and preview wrote nothing");
    });

    it("5. destroy removes everything of the stack from both nodes' views", async () => {
        pair.setPropagation("synced");
        const before = pair.nodes.map((n) => n.device.state().enabledFeatures);
        const destroy = await engine.stack.destroy();
        assert.equal(destroy.summary.result, "succeeded");
        for (const [i, node] of pair.nodes.entries()) {
            const running = node.device.runningConfig();
            assert.doesNotMatch(running, /router bgp|neighbor|graceful-restart|ns route-install bgp/, `node ${i}:\n${running}`);
            assert.ok(!node.device.state().enabledFeatures.includes("BGP"), `node ${i} still has BGP on`);
            assert.ok(before[i]!.includes("BGP"));
        }
        // Saved where destroy ran: the primary now. (The old primary's ZebOS.conf, written while it
        // was primary, is the pair's sync's to replace, as any file of the secondary.)
        assert.doesNotMatch(pair.primary().saved().zebos, /router bgp/);
    });
});
