/**
 * The component asks the engine for the dynamic-provider host early (an invoke of the host's
 * package, which the host refuses), so that process loads while discovery and the plan run:
 * once per component, after its Kubernetes provider's registration, through the default
 * provider (no provider resource of its own, so the state holds what it held without it).
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { START_HOST_TOKEN } from "../../../provider/adc/providerHost";
import { CalicoAdcPeering } from "../../../provider/component/calicoAdcPeering";

type Entry = { kind: "register"; type: string; name: string } | { kind: "call"; token: string; provider: string | undefined };

function mocks(refuse: boolean): Entry[] {
    const log: Entry[] = [];
    pulumi.runtime.setMocks(
        {
            newResource(args) {
                log.push({ kind: "register", type: args.type, name: args.name });
                const md = (args.inputs.metadata ?? {}) as Record<string, unknown>;
                return { id: `${args.name}-id`, state: { ...args.inputs, ...(args.type.startsWith("kubernetes:") ? { metadata: { ...md, name: `${args.name}-4f2a9c1e` } } : {}) } };
            },
            call(args) {
                log.push({ kind: "call", token: args.token, provider: args.provider });
                // The real host refuses every function.
                if (refuse) throw new Error(`unknown function ${args.token}`);
                return {};
            },
        },
        "project",
        "stack",
        false,
    );
    return log;
}

const args = (kubeconfig: string | undefined) => ({
    adc: { connection: { host: "192.0.2.10", password: pulumi.secret("pw"), hostKeyFingerprint: "SHA256:abc" }, asn: 500, peerAddress: "10.102.33.208" },
    cluster: { asn: 64512, nodes: [{ name: "n1", address: "10.102.33.201" }], ipPools: [{ cidr: "192.168.0.0/16" }], ...(kubeconfig ? { kubeconfig } : {}) },
    calicoVersion: "3.31.7",
});

/** Resolves once the component's outputs (and so its children's registrations) have settled. */
async function settled(p: CalicoAdcPeering): Promise<void> {
    await new Promise<void>((resolve) => pulumi.all([p.neighbors, p.sessions, p.bgpPeer]).apply(() => resolve()));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

describe("CalicoAdcPeering starts the dynamic-provider host early", () => {
    it("asks once, after its Kubernetes provider registered, through the default provider", async () => {
        const log = mocks(true);
        await settled(new CalicoAdcPeering("adc", args("apiVersion: v1\nkind: Config\n")));
        const calls = log.flatMap((e, i) => (e.kind === "call" ? [{ ...e, i }] : []));
        assert.deepEqual(calls.map((c) => [c.token, c.provider ?? ""]), [[START_HOST_TOKEN, ""]]);
        const k8sProvider = log.findIndex((e) => e.kind === "register" && e.type === "pulumi:providers:kubernetes");
        assert.ok(k8sProvider >= 0 && k8sProvider < calls[0]!.i, "the Kubernetes provider registers before the host is asked for");
        assert.ok(!log.some((e) => e.kind === "register" && e.type.startsWith("pulumi:providers:pulumi-nodejs")), "no provider resource of its own");
        // The refusal is the expected answer: the ADC resources still register.
        assert.ok(log.some((e) => e.kind === "register" && e.name === "adc-neighbors"));
    });

    it("asks once without a Kubernetes provider of its own", async () => {
        const log = mocks(true);
        await settled(new CalicoAdcPeering("adc", args(undefined)));
        assert.deepEqual(log.filter((e) => e.kind === "call").map((e) => (e as { token: string }).token), [START_HOST_TOKEN]);
        assert.ok(!log.some((e) => e.kind === "register" && e.type === "pulumi:providers:kubernetes"));
    });
});
