/**
 * `npm run demo`: the runbook's scenario in one `pulumi up`, on this machine alone.
 *
 * Starts a Kubernetes API server with Calico's CRDs and two nodes, and the NetScaler CLI
 * simulator, then runs `pulumi preview` and `pulumi up` of the repository's own Pulumi project
 * (Pulumi.yaml at the root, whose defaults point here) through the real Pulumi engine, prints the
 * ADC's running config and the stack outputs, and destroys the stack. `--keep` leaves everything
 * running so you can look around (ssh into the simulator, `pulumi refresh` after changing it by
 * hand) until Ctrl-C.
 */
import * as path from "node:path";
import { startSimulator, type Simulator, type SimulatorOptions } from "../simulator";
import { createCalicoNode, createCalicoStartupObjects, startKubeApiServer } from "../sandbox/kubeApiServer";
import { createProjectStack, engineInstallation, repoRoot } from "../sandbox/pulumiEngine";

const NODES = [
    { name: "k8s-worker-1", ipv4Address: "10.102.33.198/24" },
    { name: "k8s-worker-2", ipv4Address: "10.102.33.202/24" },
];
/** Pulumi.yaml's default `adcPort`: the demo's simulator listens there unless it is taken. */
const DEFAULT_ADC_PORT = 2222;
const STACK = "demo";

function heading(text: string): void {
    console.log(`\n\u001b[1m== ${text}\u001b[0m`);
}

/** The simulator on the project's default port, or on a free one when that is taken. */
async function startAdc(options: SimulatorOptions): Promise<Simulator> {
    try {
        return await startSimulator({ ...options, host: "127.0.0.1", port: DEFAULT_ADC_PORT });
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
        return startSimulator({ ...options, host: "127.0.0.1", port: 0 });
    }
}

async function main(): Promise<void> {
    const keep = process.argv.includes("--keep");
    heading("starting a Kubernetes API server with Calico's CRDs and two nodes");
    const kube = await startKubeApiServer();
    const cleanups: (() => Promise<void>)[] = [() => kube.stop()];
    const cleanup = async () => {
        for (const c of cleanups.reverse()) await c().catch(() => undefined);
    };
    process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));
    try {
        // What calico-node leaves in a cluster: the IP pool and ClusterInformation, then the nodes.
        await createCalicoStartupObjects(kube);
        for (const n of NODES) await createCalicoNode(kube.kubeconfig, n);
        console.log(`kube-apiserver at ${kube.server}; nodes ${NODES.map((n) => `${n.name} (${n.ipv4Address})`).join(", ")}`);

        heading("starting the ADC simulator");
        // A password of its own: Pulumi masks every occurrence of a secret in its output, and
        // a password equal to the user name would mask the user name too.
        const password = "demo-Adc-pw";
        const adc = await startAdc({ users: [{ username: "nsroot", password }] });
        cleanups.push(() => adc.close());
        console.log(`ssh nsroot@${adc.host} -p ${adc.port}   (password ${password}, host key ${adc.hostKeyFingerprint})`);

        // What a user sets for a real ADC; the rest comes from Pulumi.yaml's defaults. The host
        // key is new on every run, so it cannot be a default.
        const config: Record<string, { value: string; secret?: boolean }> = {
            "calico-adc:adcPassword": { value: password, secret: true },
            "calico-adc:adcHostKey": { value: adc.hostKeyFingerprint },
        };
        if (adc.port !== DEFAULT_ADC_PORT) config["calico-adc:adcPort"] = { value: String(adc.port) };
        heading(`pulumi stack init ${STACK}; pulumi config set ${Object.keys(config).map((k) => k.split(":")[1]).join(", ")}`);
        const engine = await createProjectStack({
            projectDir: repoRoot,
            stackName: STACK,
            config,
            // The program finds the cluster as it would on a workstation: through $KUBECONFIG.
            env: { KUBECONFIG: kube.kubeconfigPath },
        });
        cleanups.push(() => engine.cleanup());
        const print = (out: string) => process.stdout.write(out);

        heading("pulumi preview");
        await engine.stack.preview({ onOutput: print, color: "always" });
        heading("pulumi up");
        await engine.stack.up({ onOutput: print, color: "always" });

        heading("the ADC's running config (vtysh: show running-config)");
        console.log(adc.device.runningConfig());
        heading("pulumi stack output");
        const outputs = await engine.stack.outputs();
        for (const [key, o] of Object.entries(outputs)) console.log(`${key}: ${o.secret ? "[secret]" : JSON.stringify(o.value, null, 2)}`);

        if (keep) {
            heading("still running; Ctrl-C to destroy the stack and stop everything");
            const pulumi = path.join((await engineInstallation()).root, "bin", "pulumi");
            const env = Object.entries({ ...engine.env, KUBECONFIG: kube.kubeconfigPath }).map(([k, v]) => `${k}=${v}`).join(" ");
            console.log(`The stack, from another terminal in ${repoRoot}:\n  env ${env} ${pulumi} refresh -s ${STACK}`);
            await new Promise(() => undefined);
        }
        heading("pulumi destroy");
        await engine.stack.destroy({ onOutput: print, color: "always" });
    } finally {
        await cleanup();
    }
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
