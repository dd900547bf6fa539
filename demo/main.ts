/**
 * `npm run demo`: the runbook's scenario in one `pulumi up`, on this machine alone.
 *
 * Starts a Kubernetes API server with Calico's CRDs and two nodes, and the NetScaler CLI
 * simulator, then runs `pulumi preview` and `pulumi up` of
 * examples/runbook through the real Pulumi engine, and prints the ADC's running config and the
 * stack outputs. `--keep` leaves everything running so you can look around (ssh into the
 * simulator, `pulumi refresh` after changing it by hand) until Ctrl-C.
 */
import { startSimulator } from "../simulator";
import { createEngineStack } from "../tests/support/engine";
import { exampleProgram } from "../tests/support/examples";
import { createCalicoNode, startKubeApiServer } from "../tests/support/kube";

const NODES = [
    { name: "k8s-worker-1", ipv4Address: "10.102.33.198/24" },
    { name: "k8s-worker-2", ipv4Address: "10.102.33.202/24" },
];

function heading(text: string): void {
    console.log(`\n\u001b[1m== ${text}\u001b[0m`);
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
        for (const n of NODES) await createCalicoNode(kube.kubeconfig, n);
        console.log(`kube-apiserver at ${kube.server}; nodes ${NODES.map((n) => `${n.name} (${n.ipv4Address})`).join(", ")}`);

        heading("starting the ADC simulator");
        // A password of its own: Pulumi masks every occurrence of a secret in its output, and
        // a password equal to the user name would mask the user name too.
        const password = "demo-Adc-pw";
        const adc = await startSimulator({ users: [{ username: "nsroot", password }] });
        cleanups.push(() => adc.close());
        console.log(`ssh nsroot@${adc.host} -p ${adc.port}   (password ${password}, host key ${adc.hostKeyFingerprint})`);

        const engine = await createEngineStack({
            projectName: "runbook",
            program: exampleProgram("runbook"),
            config: {
                "runbook:adcHost": { value: adc.host },
                "runbook:adcPort": { value: String(adc.port) },
                "runbook:adcPassword": { value: password, secret: true },
                "runbook:adcHostKey": { value: adc.hostKeyFingerprint },
                "runbook:kubeconfig": { value: kube.kubeconfig, secret: true },
                // This API server has no Calico API server behind it (a manifest install).
                "runbook:calicoApi": { value: "crd.projectcalico.org/v1" },
            },
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
