/**
 * The engine level: `pulumi up` of `CalicoAdcPeering` (the runbook example) with N nodes through
 * the real Pulumi engine (a file backend, a real kube-apiserver holding N Calico Nodes), as users
 * run it (the CLI in a project directory: `pulumi up --yes --skip-preview`, and `pulumi up --yes`
 * with its preview) and through the Automation API (an inline program), against the
 * provider-level apply of the same router and neighbors (the inputs the engine gave the
 * providers, read from its state), over the bench's simulator process.
 *
 * Where the seconds go: each up's phases (engine start, the program, each step as the engine
 * reports it, the engine's end, the CLI's exit, the Automation API's own calls after it), what the
 * dynamic-provider process did (its start, its load, each provider call), and the same up of an
 * empty program, of the component's Kubernetes objects alone, and of its ADC resources alone.
 * Medians of interleaved repetitions.
 */
import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { performance } from "perf_hooks";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { AdcBgpNeighbors } from "../../provider/adc/adcBgpNeighbors";
import { AdcBgpRouter } from "../../provider/adc/adcBgpRouter";
import { providers } from "../../provider/adc/providers";
import { createCalicoNode, createCalicoStartupObjects, startKubeApiServer, type KubeApiServer } from "../../sandbox/kubeApiServer";
import { createEngineStack, createProjectStack, engineInstallation, repoRoot, type EngineStack } from "../../sandbox/pulumiEngine";
import { discoverCluster } from "../../provider/component/discovery";
import { exampleProgram } from "../support/examples";
import { BenchDevice } from "./device";
import { medianOf, phaseTable, ProgramClock, seconds as s, stepTable, timedCliUp, timedUp, type TimedProgram, type UpTimeline } from "./engineTimeline";
import { address, median } from "./sequence";

type Props = Record<string, unknown>;
const ROUTER_TYPE = "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpRouter";
const NEIGHBORS_TYPE = "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpNeighbors";
const PASSWORD = "nsroot";

async function createNodes(kube: KubeApiServer, n: number): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < n) {
            const i = next++;
            await createCalicoNode(kube.kubeconfig, { name: `bench-node-${i}`, ipv4Address: `${address(i)}/16` });
        }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
}

/** Pulumi's mark of a secret value in a deployment. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** A state value with its secrets in clear: the stack's own export gives their plaintext. */
function unwrapSecrets(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v === null || typeof v !== "object") return v;
    const o = v as Props;
    if (o[SECRET_SIG] !== undefined) {
        if (typeof o.plaintext !== "string") throw new Error("the state holds a secret without its plaintext");
        return unwrapSecrets(JSON.parse(o.plaintext));
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
}

/** The inputs the engine gave a resource's provider, from the stack's state. */
function recordedInputs(resources: readonly Props[], match: (type: string) => boolean, what: string): Props {
    const r = resources.find((x) => match(String(x.type)));
    if (!r) throw new Error(`the stack holds no ${what}`);
    const { __provider: _omitted, ...inputs } = unwrapSecrets(r.inputs) as Props;
    return inputs;
}

/** The value without its null members (the stored form writes absent settings as null; the arguments omit them). */
function withoutNulls(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(withoutNulls);
    if (v === null || typeof v !== "object") return v;
    return Object.fromEntries(Object.entries(v as Props).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
}

/** The resource arguments that give back these provider inputs (connection and credentials, neighbors and passwords, joined again). */
function argsOf(inputs: Props): Props {
    const { connection, credentials, neighborPasswords: _p, schemaVersion: _v, ...rest } = inputs;
    return withoutNulls({ ...rest, connection: { ...(connection as Props), ...(credentials as Props) } }) as Props;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
    const t0 = performance.now();
    const value = await fn();
    return { ms: performance.now() - t0, value };
}

/**
 * A project directory holding the runbook example as a user's would (Pulumi.yaml, package.json,
 * an index.js that is the example's compiled program, node_modules with the package): the CLI
 * runs it through the Node.js language host, in a process of its own.
 */
function runbookProject(): { dir: string; main: string } {
    const dir = mkdtempSync(path.join(os.tmpdir(), "pca-bench-project-"));
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: runbook\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "runbook-bench", private: true, main: "index.js" }));
    writeFileSync(path.join(dir, "index.js"), `module.exports = require(${JSON.stringify(path.join(repoRoot, "bin", "examples", "runbook", "index.js"))});\n`);
    symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    return { dir, main: realpathSync(path.join(dir, "index.js")) };
}

/** The programs compared: each gets a stack of its own, and its program's top level is timed. */
interface Program extends TimedProgram {
    clock: ProgramClock;
    stack: EngineStack;
}

/** Runs the engine level and returns the lines to print. */
export async function engineLevel(n: number, rtt: number, reps: number, progress: (line: string) => void): Promise<string[]> {
    try {
        await engineInstallation();
    } catch (e) {
        return [`  skipped: ${(e as Error).message}`];
    }
    const cleanup: (() => Promise<unknown>)[] = [];
    try {
        const kube = await startKubeApiServer();
        cleanup.push(() => kube.stop());
        await createCalicoStartupObjects(kube);
        await createNodes(kube, n);
        // No router yet: the peering creates it.
        const device = await BenchDevice.start({ routerBgp: false });
        cleanup.push(() => device.close());
        await device.setRtt(rtt);

        // The dynamic-provider process records what it does (the probe is inert elsewhere).
        const probeFile = path.join(os.tmpdir(), `pca-bench-probe-${process.pid}.jsonl`);
        const probe = path.join(__dirname, "providerProbe.js");
        const env = { PULUMI_CALICO_ADC_QUIET: "1", PCA_BENCH_PROBE: probeFile, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${probe}`.trim() };
        const config = {
            "runbook:adcHost": { value: device.host },
            "runbook:adcPort": { value: String(device.port) },
            "runbook:adcPassword": { value: PASSWORD, secret: true },
            "runbook:adcHostKey": { value: device.hostKeyFingerprint },
            "runbook:kubeconfig": { value: kube.kubeconfig, secret: true },
            "runbook:calicoApi": { value: "crd.projectcalico.org/v1" },
        };
        const project = runbookProject();
        cleanup.push(async () => rmSync(project.dir, { recursive: true, force: true }));
        const cliStack = await createProjectStack({ projectDir: project.dir, config, env: { ...env, PCA_BENCH_PROGRAM: project.main } });
        cleanup.push(() => cliStack.cleanup());
        const cli = path.join((await engineInstallation()).root, "bin", "pulumi");
        const cliSkip: TimedProgram = { label: "CLI up", ups: [] };
        const cliPreview: TimedProgram = { label: "CLI preview+up", ups: [] };
        const cliUp = async (p: TimedProgram, args: string[]): Promise<UpTimeline> => {
            const tl = await timedCliUp(cli, project.dir, cliStack.env, ["up", "--yes", "--stack", "dev", ...args], probeFile);
            p.ups.push(tl);
            if ((await device.neighbors()) !== neighborsConfigured) throw new Error(`${p.label} configured other neighbors than the Automation API's up`);
            await cliStack.stack.destroy();
            return tl;
        };
        const program = async (label: string, projectName: string, fn: PulumiFn, withConfig: boolean): Promise<Program> => {
            const clock = new ProgramClock();
            const stack = await createEngineStack({ projectName, program: clock.wrap(fn), env, ...(withConfig ? { config } : {}) });
            cleanup.push(() => stack.cleanup());
            return { label, clock, stack, ups: [] };
        };

        // The parts alone take the inputs the peering's up gave them (read from its state after the first up).
        let adcArgs: { router: Props; neighbors: Props } | undefined;
        let k8sInputs: { filter: Props; peer: Props } | undefined;
        const peering = await program("peering", "runbook", exampleProgram("runbook"), true);
        const empty = await program("empty", "empty", async () => ({}), false);
        const adcOnly = await program("ADC only", "runbook", async () => {
            const router = new AdcBgpRouter("runbook-router", adcArgs!.router as never);
            new AdcBgpNeighbors("runbook-neighbors", adcArgs!.neighbors as never, { dependsOn: [router] });
            return {};
        }, true);
        const k8sOnly = await program("k8s only", "runbook", async () => {
            const provider = new k8s.Provider("runbook-k8s", { kubeconfig: new pulumi.Config("runbook").requireSecret("kubeconfig") });
            // Named anew (by the provider, as in the peering), with the peering's labels.
            const unnamed = (o: Props) => ({ ...o, metadata: { labels: (o.metadata as Props | undefined)?.labels } });
            const filter = new k8s.apiextensions.CustomResource("runbook-import-filter", unnamed(k8sInputs!.filter) as never, { provider });
            const peerSpec = k8sInputs!.peer.spec as Props;
            new k8s.apiextensions.CustomResource(
                "runbook-bgppeer",
                { ...unnamed(k8sInputs!.peer), spec: { ...peerSpec, ...(Array.isArray(peerSpec.filters) ? { filters: [filter.metadata.name] } : {}) } } as never,
                { provider, dependsOn: [filter] },
            );
            return {};
        }, true);
        progress(`  engine level: ${n} nodes in the kube-apiserver, the engine ready`);

        const direct: number[] = [];
        const directNeighbors: number[] = [];
        const discovery: number[] = [];
        let routerInputs: Props | undefined;
        let neighborsInputs: Props | undefined;
        let neighborsConfigured = 0;
        for (let rep = 0; rep < reps; rep++) {
            peering.ups.push(await timedUp(peering.stack.stack, peering.clock, probeFile));
            neighborsConfigured = await device.neighbors();
            if (!routerInputs || !neighborsInputs || !k8sInputs) {
                const resources = ((await peering.stack.stack.exportStack()).deployment?.resources ?? []) as Props[];
                routerInputs = recordedInputs(resources, (t) => t === ROUTER_TYPE, "router");
                neighborsInputs = recordedInputs(resources, (t) => t === NEIGHBORS_TYPE, "neighbors");
                adcArgs = { router: argsOf(routerInputs), neighbors: argsOf(neighborsInputs) };
                k8sInputs = {
                    filter: recordedInputs(resources, (t) => t.endsWith(":BGPFilter"), "BGPFilter"),
                    peer: recordedInputs(resources, (t) => t.endsWith(":BGPPeer"), "BGPPeer"),
                };
            }
            await peering.stack.stack.destroy();
            if ((await device.neighbors()) !== 0) throw new Error("pulumi destroy left neighbors on the device");

            // As users run it: the CLI in the project directory, without and with the preview.
            await cliUp(cliSkip, ["--skip-preview"]);
            await cliUp(cliPreview, []);

            // The component's discovery alone, as it reads the cluster for the runbook.
            discovery.push(
                (await timed(() => discoverCluster({ kubeconfig: kube.kubeconfig, calicoApi: "crd.projectcalico.org/v1", nodes: true, asn: true, ipPools: true, calicoRelease: true, bgpFilters: true }))).ms,
            );

            adcOnly.ups.push(await timedUp(adcOnly.stack.stack, adcOnly.clock, probeFile));
            if ((await device.neighbors()) !== neighborsConfigured) throw new Error("the ADC resources alone configured other neighbors than the peering");
            await adcOnly.stack.stack.destroy();

            k8sOnly.ups.push(await timedUp(k8sOnly.stack.stack, k8sOnly.clock, probeFile));
            await k8sOnly.stack.stack.destroy();

            const router = providers.adcBgpRouter;
            const neighbors = providers.adcBgpNeighbors;
            const ri = (await router.check!({}, routerInputs)).inputs;
            const ni = (await neighbors.check!({}, neighborsInputs)).inputs;
            const apply = await timed(async () => {
                const r = await router.create(ri);
                const nb = await timed(() => neighbors.create(ni));
                return { r, nb: nb.value, neighborsMs: nb.ms };
            });
            direct.push(apply.ms);
            directNeighbors.push(apply.value.neighborsMs);
            if ((await device.neighbors()) !== neighborsConfigured) throw new Error("the provider-level apply configured other neighbors than the up");
            await neighbors.delete!(apply.value.nb.id, apply.value.nb.outs);
            await router.delete!(apply.value.r.id, apply.value.r.outs);

            empty.ups.push(await timedUp(empty.stack.stack, empty.clock, undefined));
            const total = (p: Program) => s(p.ups[p.ups.length - 1]!.end - p.ups[p.ups.length - 1]!.start);
            const last = (p: TimedProgram) => s(p.ups[p.ups.length - 1]!.end - p.ups[p.ups.length - 1]!.start);
            progress(
                `  engine level, repetition ${rep + 1}/${reps}: CLI up --skip-preview ${last(cliSkip)} s, with preview ${last(cliPreview)} s, Automation API up ${total(peering)} s, providers ${s(apply.ms)} s, ADC only ${total(adcOnly)} s, k8s only ${total(k8sOnly)} s, empty up ${total(empty)} s`,
            );
        }
        const programs: TimedProgram[] = [cliSkip, cliPreview, peering, adcOnly, k8sOnly, empty];
        const up = medianOf(peering.ups.map((u) => u.end - u.start));
        const cliUpS = medianOf(cliSkip.ups.map((u) => u.end - u.start));
        const cliPreviewS = medianOf(cliPreview.ups.map((u) => u.end - u.start));
        const floor = medianOf(empty.ups.map((u) => u.end - u.start));
        const adc = medianOf(adcOnly.ups.map((u) => u.end - u.start));
        const kubeOnly = medianOf(k8sOnly.ups.map((u) => u.end - u.start));
        const apply = median(direct);
        const neighborsStep = (p: TimedProgram) =>
            medianOf(p.ups.map((u) => {
                const st = u.steps.find((x) => x.type === NEIGHBORS_TYPE);
                return st?.end !== undefined ? st.end - st.start : NaN;
            }));
        return [
            `  CalicoAdcPeering, ${n} nodes (${neighborsConfigured} neighbors), RTT ${rtt} ms, the runbook program:`,
            `  pulumi up --yes --skip-preview in the project directory: ${s(cliUpS)} s (${(cliUpS / apply).toFixed(1)}x the provider-level apply; target < 2x)`,
            `  pulumi up --yes (its preview, then the update): ${s(cliPreviewS)} s (${(cliPreviewS / apply).toFixed(1)}x)`,
            `  the Automation API's up of the same program inline: ${s(up)} s (${(up / apply).toFixed(1)}x)`,
            `  the provider-level apply of the same router and neighbors: ${s(apply)} s (the neighbors' create ${s(median(directNeighbors))} s)`,
            `  the same up of an empty program (the engine's floor): ${s(floor)} s; of the ADC resources alone: ${s(adc)} s; of the Kubernetes objects alone: ${s(kubeOnly)} s`,
            ...(() => {
                const torn = [...cliSkip.ups, ...cliPreview.ups].reduce((a, u) => a + (u.unreadEvents ?? 0), 0);
                return torn > 0 ? [`  (${torn} line(s) of the CLI's event log could not be read as events; the marks they carried are missing)`] : [];
            })(),
            `  the neighbors step inside the up: CLI ${s(neighborsStep(cliSkip))} s, Automation API ${s(neighborsStep(peering))} s (ADC only: ${s(neighborsStep(adcOnly))} s); the component's discovery alone: ${s(medianOf(discovery))} s`,
            "",
            ...phaseTable(programs),
            "",
            ...stepTable(cliSkip),
            "",
            ...stepTable(peering),
            "",
            ...stepTable(adcOnly),
        ];
    } finally {
        for (const c of cleanup.reverse()) await c().catch(() => undefined);
    }
}
