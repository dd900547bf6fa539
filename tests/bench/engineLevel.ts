/**
 * The engine level: `pulumi up` of `CalicoAdcPeering` (the runbook example) with N nodes through
 * the real Pulumi engine (Automation API, a file backend, a real kube-apiserver holding N Calico
 * Nodes), against the provider-level apply of the same router and neighbors (the inputs the
 * engine gave the providers, read from its state), over the bench's simulator process. Also an
 * up of an empty program: the engine's own floor. Medians of interleaved repetitions.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { performance } from "perf_hooks";
import { providers } from "../../provider/adc/providers";
import { createCalicoNode, createCalicoStartupObjects, startKubeApiServer, type KubeApiServer } from "../../sandbox/kubeApiServer";
import { createEngineStack, engineInstallation, type EngineStack } from "../../sandbox/pulumiEngine";
import { exampleProgram } from "../support/examples";
import { BenchDevice } from "./device";
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

/** The inputs the engine gave a provider, from the stack's state. */
function providerInputs(resources: readonly Props[], type: string): Props {
    const r = resources.find((x) => x.type === type);
    if (!r) throw new Error(`the stack holds no ${type}`);
    const { __provider: _omitted, ...inputs } = unwrapSecrets(r.inputs) as Props;
    return inputs;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
    const t0 = performance.now();
    const value = await fn();
    return { ms: performance.now() - t0, value };
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
        const peering: EngineStack = await createEngineStack({
            projectName: "runbook",
            program: exampleProgram("runbook"),
            config: {
                "runbook:adcHost": { value: device.host },
                "runbook:adcPort": { value: String(device.port) },
                "runbook:adcPassword": { value: PASSWORD, secret: true },
                "runbook:adcHostKey": { value: device.hostKeyFingerprint },
                "runbook:kubeconfig": { value: kube.kubeconfig, secret: true },
                "runbook:calicoApi": { value: "crd.projectcalico.org/v1" },
            },
            env: { PULUMI_CALICO_ADC_QUIET: "1" },
        });
        cleanup.push(() => peering.cleanup());
        const empty = await createEngineStack({ projectName: "empty", program: async () => ({}) });
        cleanup.push(() => empty.cleanup());
        progress(`  engine level: ${n} nodes in the kube-apiserver, the engine ready`);

        const ups: number[] = [];
        const insideUp: number[] = [];
        const beforeNeighbors: number[] = [];
        const afterNeighbors: number[] = [];
        const floors: number[] = [];
        const direct: number[] = [];
        const directNeighbors: number[] = [];
        let routerInputs: Props | undefined;
        let neighborsInputs: Props | undefined;
        let neighborsConfigured = 0;
        for (let rep = 0; rep < reps; rep++) {
            // The neighbors resource's own time inside the up, from the engine's events as they arrive.
            let started = 0;
            let finished = 0;
            const onEvent = (e: EngineEvent) => {
                if (e.resourcePreEvent?.metadata.type === NEIGHBORS_TYPE) started = performance.now();
                if (e.resOutputsEvent?.metadata.type === NEIGHBORS_TYPE) finished = performance.now();
            };
            const t0 = performance.now();
            const up = await timed(() => peering.stack.up({ onEvent }));
            if (up.value.summary.result !== "succeeded") throw new Error(`pulumi up: ${up.value.summary.result}`);
            ups.push(up.ms);
            insideUp.push(finished - started);
            beforeNeighbors.push(started - t0);
            afterNeighbors.push(t0 + up.ms - finished);
            neighborsConfigured = await device.neighbors();
            if (!routerInputs || !neighborsInputs) {
                const resources = ((await peering.stack.exportStack()).deployment?.resources ?? []) as Props[];
                routerInputs = providerInputs(resources, ROUTER_TYPE);
                neighborsInputs = providerInputs(resources, NEIGHBORS_TYPE);
            }
            await peering.stack.destroy();
            if ((await device.neighbors()) !== 0) throw new Error("pulumi destroy left neighbors on the device");

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

            floors.push((await timed(() => empty.stack.up())).ms);
            progress(`  engine level, repetition ${rep + 1}/${reps}: up ${(up.ms / 1000).toFixed(1)} s, providers ${(apply.ms / 1000).toFixed(2)} s, empty up ${(floors[floors.length - 1] / 1000).toFixed(1)} s`);
        }
        const up = median(ups);
        const floor = median(floors);
        const apply = median(direct);
        const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
        return [
            `  pulumi up of CalicoAdcPeering, ${n} nodes (${neighborsConfigured} neighbors), RTT ${rtt} ms: ${s(up)}`,
            `  the provider-level apply of the same router and neighbors: ${s(apply)}`,
            `  overhead: ${(up / apply).toFixed(1)}x the provider-level apply (target < 2x)`,
            `  of which the engine's own floor (an up of an empty program): ${s(floor)}; above it: ${((up - floor) / apply).toFixed(1)}x`,
            `  the neighbors resource inside the up (from its engine events): ${s(median(insideUp))}, against its provider-level create: ${s(median(directNeighbors))}`,
            `  the up before the neighbors resource starts (engine, program, node discovery, router, BGPPeer): ${s(median(beforeNeighbors))}; after it ends: ${s(median(afterNeighbors))}`,
        ];
    } finally {
        for (const c of cleanup.reverse()) await c().catch(() => undefined);
    }
}
