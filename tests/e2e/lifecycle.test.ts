/**
 * The whole lifecycle through the real Pulumi engine (Automation API, local file backend), on
 * the runbook example as a user runs it, against the ADC simulator and a real kube-apiserver
 * with Calico's CRDs: preview, up, no-op preview, drift on both sides, a node joining, destroy,
 * and what the state file holds.
 */
import { strict as assert } from "assert";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import * as path from "node:path";
import type { EngineEvent, OpMap } from "@pulumi/pulumi/automation";
import { startSimulator, type Simulator } from "../../simulator";
import { createEngineStack, engineInstallation, type EngineStack } from "../../sandbox/pulumiEngine";
import { exampleProgram } from "../support/examples";
import { createCalicoNode, createCalicoStartupObjects, kubeClientModule, kubeConfig, startKubeApiServer, type KubeApiServer } from "../../sandbox/kubeApiServer";
import { neighborLines } from "../support/runningConfig";
import { tokenOfId } from "../../provider/core/marks";

const execFileAsync = promisify(execFile);
const ADC_PASSWORD = "adc-e2e-Secret-91";
const NODES = [
    { name: "k8s-node-1", ipv4Address: "10.102.33.198/24" },
    { name: "k8s-node-2", ipv4Address: "10.102.33.202/24" },
    { name: "k8s-node-3", ipv4Address: "10.102.33.203/24" },
];

/** Every operation in a summary other than `same`. */
function changes(summary: OpMap | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(summary ?? {}).filter(([op, n]) => op !== "same" && (n ?? 0) > 0)) as Record<string, number>;
}

/** Where (resource type, inputs/outputs, key) any of `secrets` appears in plain text in a deployment. */
function leaks(deployment: { resources?: Record<string, unknown>[] } | undefined, secrets: readonly string[]): string[] {
    const found: string[] = [];
    for (const r of deployment?.resources ?? []) {
        for (const where of ["inputs", "outputs"] as const) {
            for (const [key, value] of Object.entries((r[where] ?? {}) as Record<string, unknown>)) {
                if (secrets.some((s) => JSON.stringify(value).includes(s))) found.push(`${String(r.type)} ${where}.${key}`);
            }
        }
    }
    const rest = JSON.stringify({ ...deployment, resources: [] });
    if (secrets.some((s) => rest.includes(s))) found.push("outside the resources");
    return found;
}

describe("the lifecycle through the Pulumi engine", function () {
    this.timeout(300_000);
    let kube: KubeApiServer;
    let sim: Simulator;
    let engine: EngineStack;
    const events: EngineEvent[] = [];

    before(async () => {
        kube = await startKubeApiServer();
        for (const n of NODES) await createCalicoNode(kube.kubeconfig, n);
        await createCalicoStartupObjects(kube);
        sim = await startSimulator({
            banner: [],
            users: [{ username: "nsroot", password: ADC_PASSWORD }],
            // Configuration that was on the ADC before the stack: it must survive destroy.
            initialConfig: { enabledFeatures: ["LB", "SSL"], zebos: ["ns route-install default"] },
        });
        engine = await createEngineStack({
            projectName: "runbook",
            program: exampleProgram("runbook"),
            config: {
                "runbook:adcHost": { value: sim.host },
                "runbook:adcPort": { value: String(sim.port) },
                "runbook:adcPassword": { value: ADC_PASSWORD, secret: true },
                "runbook:adcHostKey": { value: sim.hostKeyFingerprint },
                "runbook:kubeconfig": { value: kube.kubeconfig, secret: true },
                "runbook:calicoApi": { value: "crd.projectcalico.org/v1" },
                "runbook:bgpPeerName": { value: "adc-peer" },
            },
            env: { PULUMI_CALICO_ADC_QUIET: "1" },
        });
    });

    after(async () => {
        await engine?.cleanup();
        await sim?.close();
        await kube?.stop();
    });

    /** The mark the neighbors resource writes: `pca:` and the last part of its id, as `pulumi stack --show-ids` lists it. */
    async function neighborsMark(): Promise<string> {
        const state = await engine.stack.exportStack();
        const resources = (state.deployment?.resources ?? []) as { type: string; id?: string }[];
        const neighbors = resources.find((r) => r.type === "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpNeighbors");
        const token = tokenOfId(neighbors?.id ?? "");
        assert.ok(token, `the neighbors resource's id carries a token: ${neighbors?.id}`);
        return `pca:${token}`;
    }

    async function bgpPeer(): Promise<{ spec: Record<string, unknown> } | undefined> {
        const client = await kubeClientModule();
        const api = (await kubeConfig(kube.kubeconfig)).makeApiClient(client.CustomObjectsApi);
        try {
            return (await api.getClusterCustomObject({ group: "crd.projectcalico.org", version: "v1", plural: "bgppeers", name: "adc-peer" })) as { spec: Record<string, unknown> };
        } catch (e) {
            if ((e as { code?: number }).code === 404) return undefined;
            throw e;
        }
    }

    it("1. preview shows every resource to create and never connects to the ADC", async () => {
        const preview = await engine.stack.preview({ onEvent: (e) => events.push(e) });
        const creates = changes(preview.changeSummary);
        // stack, component, Kubernetes provider, BGPPeer, router, neighbors
        assert.deepEqual(Object.keys(creates), ["create"]);
        const types = events.filter((e) => e.resourcePreEvent?.metadata.op === "create").map((e) => e.resourcePreEvent!.metadata.type);
        for (const t of ["pulumi-calico-adc:index:CalicoAdcPeering", "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpRouter", "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpNeighbors"]) {
            assert.ok(types.includes(t), `preview creates ${t}: ${types.join(", ")}`);
        }
        assert.ok(types.some((t) => /BGPPeer$/.test(t)), `preview creates the BGPPeer: ${types.join(", ")}`);
        assert.equal(sim.counters().connectionsAccepted, 0);
    });

    it("2. up creates the BGPPeer and the runbook's ADC configuration", async () => {
        const up = await engine.stack.up();
        assert.equal(up.summary.result, "succeeded");
        const running = sim.device.runningConfig();
        assert.match(running, /^ns route-install bgp$/m);
        assert.match(running, /^router bgp 500$/m);
        assert.deepEqual(neighborLines(sim), NODES.map((n) => `neighbor ${n.ipv4Address.split("/")[0]} remote-as 64512`));
        assert.ok(sim.device.state().enabledFeatures.includes("BGP"));
        assert.match(sim.saved().zebos, /neighbor 10\.102\.33\.203 remote-as 64512/, "the configuration was saved");
        // Each neighbor's description is the resource's mark, then the node's name.
        const mark = await neighborsMark();
        for (const n of NODES) assert.match(running, new RegExp(`^ neighbor ${n.ipv4Address.split("/")[0]!.replace(/\./g, "\\.")} description ${mark} ${n.name}$`, "m"));
        // The ADC accepts only the pool's blocks from every node, and at most as many routes as the pool has blocks.
        assert.match(running, /^ip prefix-list pca-dev-runbook-in seq 5 permit 192\.168\.0\.0\/16 ge 26$/m);
        for (const n of NODES) {
            const address = n.ipv4Address.split("/")[0]!.replace(/\./g, "\\.");
            assert.match(running, new RegExp(`^ neighbor ${address} prefix-list pca-dev-runbook-in in$`, "m"));
            assert.match(running, new RegExp(`^ neighbor ${address} maximum-prefix 1024$`, "m"));
        }
        const peer = await bgpPeer();
        assert.deepEqual({ peerIP: peer?.spec.peerIP, asNumber: peer?.spec.asNumber, nextHopMode: peer?.spec.nextHopMode }, { peerIP: "10.102.33.208", asNumber: 500, nextHopMode: "Keep" });
        // The filter it names exists: the nodes accept nothing from the ADC.
        const filterName = (peer?.spec.filters as string[] | undefined)?.[0] ?? "";
        const api = (await kubeConfig(kube.kubeconfig)).makeApiClient((await kubeClientModule()).CustomObjectsApi);
        const filter = (await api.getClusterCustomObject({ group: "crd.projectcalico.org", version: "v1", plural: "bgpfilters", name: filterName })) as { spec: unknown };
        assert.deepEqual(filter.spec, { importV4: [{ action: "Reject" }], importV6: [{ action: "Reject" }] });
        const outputs = await engine.stack.outputs();
        assert.deepEqual(
            (outputs.sessions!.value as { address: string }[]).map((s) => s.address),
            NODES.map((n) => n.ipv4Address.split("/")[0]),
        );
    });

    it("3. a second preview shows no changes", async () => {
        sim.resetCounters();
        const preview = await engine.stack.preview();
        assert.deepEqual(changes(preview.changeSummary), {});
        assert.equal(sim.counters().connectionsAccepted, 0);
    });

    it("4. refresh reports a neighbor removed by hand and a BGPPeer edited by hand, and up repairs both", async () => {
        await sim.device.configure(["router bgp 500", "no neighbor 10.102.33.202"]);
        const client = await kubeClientModule();
        const api = (await kubeConfig(kube.kubeconfig)).makeApiClient(client.CustomObjectsApi);
        await api.patchClusterCustomObject(
            { group: "crd.projectcalico.org", version: "v1", plural: "bgppeers", name: "adc-peer", body: [{ op: "replace", path: "/spec/asNumber", value: 501 }] },
            client.setHeaderOptions("Content-Type", client.PatchStrategy.JsonPatch),
        );

        const drift = await engine.stack.previewRefresh();
        assert.equal(changes(drift.changeSummary).update, 2, JSON.stringify(drift.changeSummary));
        await engine.stack.refresh();

        sim.resetCounters();
        await engine.stack.up();
        assert.deepEqual(neighborLines(sim), NODES.map((n) => `neighbor ${n.ipv4Address.split("/")[0]} remote-as 64512`));
        const repaired = sim.transcript().filter((l) => l.mode === "router").map((l) => l.line);
        assert.deepEqual(
            repaired,
            ["neighbor 10.102.33.202 remote-as 64512", "neighbor 10.102.33.202 prefix-list pca-dev-runbook-in in", "neighbor 10.102.33.202 maximum-prefix 1024", `neighbor 10.102.33.202 description ${await neighborsMark()} k8s-node-2`, "end"],
            "only the missing neighbor was sent, its filter right after its remote-as",
        );
        assert.equal((await bgpPeer())?.spec.asNumber, 500);
        const after = await engine.stack.preview();
        assert.deepEqual(changes(after.changeSummary), {});
    });

    it("5. a node joining the cluster makes the next preview add exactly one neighbor", async () => {
        await createCalicoNode(kube.kubeconfig, { name: "k8s-node-4", ipv4Address: "10.102.33.204/24" });
        const seen: EngineEvent[] = [];
        const preview = await engine.stack.preview({ onEvent: (e) => seen.push(e), diff: true });
        assert.deepEqual(changes(preview.changeSummary), { update: 1 });
        const update = seen.map((e) => e.resourcePreEvent?.metadata).find((m) => m?.op === "update")!;
        assert.equal(update.type, "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpNeighbors");
        const before = (update.old?.inputs.neighbors as { address: string }[]).map((n) => n.address);
        const after = (update.new?.inputs.neighbors as { address: string }[]).map((n) => n.address);
        assert.deepEqual(after.filter((a) => !before.includes(a)), ["10.102.33.204"]);
        assert.deepEqual(before.filter((a) => !after.includes(a)), []);

        sim.resetCounters();
        await engine.stack.up();
        const sent = sim.transcript().filter((l) => l.mode === "router").map((l) => l.line);
        assert.deepEqual(sent, [
            "neighbor 10.102.33.204 remote-as 64512",
            "neighbor 10.102.33.204 prefix-list pca-dev-runbook-in in",
            "neighbor 10.102.33.204 maximum-prefix 1024",
            `neighbor 10.102.33.204 description ${await neighborsMark()} k8s-node-4`,
            "end",
        ]);
    });

    it("6. stack export holds no password, key or token in plain text", async () => {
        // The CLI as a user runs it (the Automation API's exportStack() adds --show-secrets).
        const { root } = await engineInstallation();
        const { stdout } = await execFileAsync(path.join(root, "bin", "pulumi"), ["stack", "export", "--stack", "dev"], {
            cwd: engine.stack.workspace.workDir,
            env: { ...process.env, ...engine.env },
            maxBuffer: 64 * 1024 * 1024,
        });
        const exported = JSON.parse(stdout);
        const onDisk = JSON.parse(readFileSync(path.join(engine.stateDir, ".pulumi", "stacks", "runbook", "dev.json"), "utf8"));
        const token = /token: (\S+)/.exec(kube.kubeconfig)?.[1];
        const secrets = [ADC_PASSWORD, ...(token ? [token] : [])];
        for (const [what, state] of [["stack export", exported.deployment], ["state file", onDisk.checkpoint?.latest]] as const) {
            assert.deepEqual(leaks(state, secrets), [], `${what}: secrets in plain text`);
            assert.ok(!/BEGIN (OPENSSH|RSA|EC) PRIVATE KEY/.test(JSON.stringify(state)));
        }
    });

    it("7. destroy removes the BGPPeer and exactly what the stack put on the ADC", async () => {
        await engine.stack.destroy();
        assert.equal(await bgpPeer(), undefined);
        const state = sim.device.state();
        assert.equal(state.bgp, null);
        assert.doesNotMatch(sim.device.runningConfig(), /prefix-list/);
        assert.deepEqual(state.routeInstall, ["default"]);
        assert.deepEqual([...state.enabledFeatures].sort(), ["LB", "SSL"]);
    });
});
