/**
 * The lab keeps to itself: daemons only inside its namespaces, addresses only there, everything
 * removed on stop, leftovers of killed runs removed by the stale cleaner, parallel labs apart.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { run, runIn, waitFor } from "./support/exec";
import { Lab } from "./support/lab";
import { LAB_PREFIX, listNamespaces, netnsOf } from "./support/netns";
import { assertLabPrerequisites } from "./support/prerequisites";
import { cleanStaleLabs, labDir, readRecord } from "./support/registry";

const LAB_JS = path.resolve(__dirname, "support/lab.js");
const LAB_CLI_JS = path.resolve(__dirname, "support/labCli.js");

function alive(pid: number): boolean {
    try {
        return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
        return false;
    }
}

async function namespacesOf(id: string): Promise<string[]> {
    return (await listNamespaces()).filter((n) => n.startsWith(`${LAB_PREFIX}-${id}-`));
}

async function labPids(id: string): Promise<number[]> {
    const pids: number[] = [];
    for (const ns of await namespacesOf(id)) {
        const { stdout } = await run("ip", ["netns", "pids", ns]);
        pids.push(...stdout.split(/\s+/).filter(Boolean).map(Number));
    }
    return pids;
}

describe("lab: isolation and cleanup", function () {
    this.timeout(60_000);

    before(() => assertLabPrerequisites());

    it("runs every daemon inside its own namespace, keeps its addresses there, and removes everything on stop", async () => {
        const lab = await Lab.start({ nodes: 2 });
        let pids: number[] = [];
        try {
            // The test itself runs in the root namespace (pid 1's link is not readable everywhere).
            const rootNs = netnsOf("self");
            assert.match(rootNs ?? "", /^net:\[\d+\]$/);
            const expected = new Map<number, string>([...lab.adc.router.pids.map((p) => [p, lab.adc.ns] as [number, string]), ...lab.nodes.map((n) => [n.bird.pid!, n.ns] as [number, string])]);
            pids = [...expected.keys()];
            assert.equal(pids.length, 4, "zebra, bgpd and one bird per node");
            for (const [pid, ns] of expected) {
                assert.notEqual(netnsOf(pid), rootNs, `pid ${pid} runs in the root namespace`);
                assert.equal((await run("ip", ["netns", "identify", String(pid)])).stdout.trim(), ns);
            }
            const rootAddresses = (await run("ip", ["-o", "addr"])).stdout;
            for (const address of [lab.adc.address, ...lab.nodes.map((n) => n.address)]) {
                assert.ok(!rootAddresses.includes(`inet ${address}/`), `${address} is not in the root namespace`);
            }
            assert.ok((await runIn(lab.adc.ns, "ip", ["-o", "addr"])).stdout.includes(`inet ${lab.adc.address}/24`));
            assert.equal((await namespacesOf(lab.id)).length, 4, "bridge, ADC, two nodes");
        } finally {
            await lab.stop();
        }
        assert.deepEqual(await namespacesOf(lab.id), []);
        assert.deepEqual(pids.filter(alive), []);
        assert.equal(existsSync(labDir(lab.id)), false);
    });

    it("removes a lab whose test process was killed, daemons included, with the stale cleaner", async () => {
        const child = spawn(
            process.execPath,
            ["-e", `require(${JSON.stringify(LAB_JS)}).Lab.start({ nodes: 1 }).then((l) => console.log("LAB " + l.id)); setInterval(() => {}, 1000);`],
            { stdio: ["ignore", "pipe", "inherit"] },
        );
        const id = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout!.on("data", (d) => {
                out += d;
                const m = /LAB (\w+)/.exec(out);
                if (m) resolve(m[1]!);
            });
            child.once("exit", (code) => reject(new Error(`lab process exited early (${code})`)));
        });
        child.kill("SIGKILL");
        await new Promise((r) => child.once("exit", r));
        const pids = await labPids(id);
        assert.ok(pids.length >= 3 && pids.every(alive), "the killed run left its daemons running");
        assert.equal(readRecord(id)?.persistent, false);

        const removed = await cleanStaleLabs();
        assert.ok(removed.includes(id), `cleaner removed ${removed.join(",")}`);
        assert.deepEqual(await namespacesOf(id), []);
        assert.deepEqual(pids.filter(alive), []);
    });

    it("keeps a lab started by hand (lab.sh start) until it is stopped by name", async () => {
        const { stdout } = await run(process.execPath, [LAB_CLI_JS, "start", "--nodes", "1"], { timeoutMs: 30_000 });
        const id = /^lab (\w+)/m.exec(stdout)?.[1];
        assert.ok(id, stdout);
        try {
            assert.ok(!(await cleanStaleLabs()).includes(id), "a persistent lab is not stale although its owner exited");
            const [node] = readRecord(id)!.topology ? (readRecord(id)!.topology as { nodes: { controlSocket: string }[] }).nodes : [];
            assert.ok(node && existsSync(node.controlSocket), "BIRD still answers after the starting command exited");
        } finally {
            const stop = await run(process.execPath, [LAB_CLI_JS, "stop", id], { timeoutMs: 30_000 });
            assert.match(stop.stdout, new RegExp(`removed ${id}`));
        }
        assert.deepEqual(await namespacesOf(id), []);
    });

    it("runs two labs side by side on the same addresses without either seeing the other", async () => {
        const [a, b] = await Promise.all([Lab.start({ nodes: 1, cleanStale: false }), Lab.start({ nodes: 1, cleanStale: false })]);
        try {
            assert.notEqual(a.id, b.id);
            // Only lab a's ADC gets BGP: lab b's node must stay down although it uses the same addresses.
            const node = a.nodes[0]!.address;
            assert.equal(node, b.nodes[0]!.address);
            await a.adc.router.vtysh(["configure terminal", "router bgp 500", "no bgp ebgp-requires-policy", `neighbor ${node} remote-as 64512`, `neighbor ${node} timers connect 1`]);
            await waitFor("lab a's node Established", async () => ((await a.nodes[0]!.status())[0]?.info === "Established" ? true : undefined), { timeoutMs: 20_000 });
            await new Promise((r) => setTimeout(r, 1500));
            assert.notEqual((await b.nodes[0]!.status())[0]?.info, "Established");
            const bSummary = await b.adc.router.json<Record<string, unknown>>("show bgp summary json");
            assert.deepEqual(bSummary, {}, "lab b's bgpd has no BGP at all");
        } finally {
            await Promise.all([a.stop(), b.stop()]);
        }
    });
});
