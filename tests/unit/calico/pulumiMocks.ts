/**
 * Pulumi's own mock monitor (`pulumi.runtime.setMocks`), recording every registration so tests
 * can assert what a program creates, with which inputs, under which parent and provider.
 */
import * as pulumi from "@pulumi/pulumi";

/** One resource registration as the engine would receive it. */
export interface Registration {
    type: string;
    name: string;
    /** Inputs as serialized for the engine; secrets stay wrapped (see {@link isSecretValue}). */
    inputs: Record<string, unknown>;
    provider: string;
    custom: boolean;
}

/** The engine's wire marker for secret values. */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Whether a registered input value is marked secret. */
export function isSecretValue(v: unknown): boolean {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG] === SECRET_SIG;
}

/** The value with every secret marker removed. */
export function unwrapSecrets(v: unknown): unknown {
    if (isSecretValue(v)) return unwrapSecrets((v as { value: unknown }).value);
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    return v;
}

/** Whether a secret marker appears anywhere inside `v`. */
export function containsSecret(v: unknown): boolean {
    if (isSecretValue(v)) return true;
    if (Array.isArray(v)) return v.some(containsSecret);
    if (v && typeof v === "object") return Object.values(v).some(containsSecret);
    return false;
}

/**
 * What the Kubernetes provider adds to a resource's outputs: a generated `metadata.name`
 * (`<resource name>-<8 hex>`) when none is given, as its auto-naming does at check time.
 */
export function kubernetesAutoName(r: Registration): Record<string, unknown> | undefined {
    if (!r.type.startsWith("kubernetes:")) return undefined;
    const md = (unwrapSecrets(r.inputs.metadata) ?? {}) as Record<string, unknown>;
    return { metadata: { ...md, name: md.name ?? `${r.name}-4f2a9c1e` } };
}

/** Computes the outputs a mocked resource reports, beyond its inputs. */
export type OutputsOf = (r: Registration) => Record<string, unknown> | undefined;

/**
 * Installs the mocks and returns the (growing) list of registrations. `outputs` adds what a
 * real provider would report (e.g. the ADC resources' `neighbors`/`sessions`).
 */
export function installMocks(opts: { preview?: boolean; outputs?: OutputsOf } = {}): Registration[] {
    const registrations: Registration[] = [];
    pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                const r: Registration = {
                    type: args.type,
                    name: args.name,
                    inputs: args.inputs,
                    provider: args.provider ?? "",
                    custom: args.custom ?? true,
                };
                registrations.push(r);
                const plain = unwrapSecrets(args.inputs) as Record<string, unknown>;
                return { id: `${args.name}-id`, state: { ...plain, ...(opts.outputs?.(r) ?? {}) } };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                return args.inputs;
            },
        },
        "project",
        "stack",
        opts.preview ?? false,
    );
    return registrations;
}

/** The value of an output once it resolves. */
export function valueOf<T>(o: pulumi.Input<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        const out = pulumi.output(o) as pulumi.Output<T>;
        // Internal promise: rejects when the output's computation throws, unlike apply().
        const p = (out as unknown as { promise(): Promise<T> }).promise();
        p.then(resolve, reject);
    });
}

/** Whether an output is secret. */
export function isSecretOutput(o: pulumi.Output<unknown>): Promise<boolean> {
    return (o as unknown as { isSecret: Promise<boolean> }).isSecret;
}

/** The registered resource with this type and name; throws listing what exists otherwise. */
export function find(regs: readonly Registration[], type: string, name: string): Registration {
    const r = regs.find((x) => x.type === type && x.name === name);
    if (!r) throw new Error(`no ${type} "${name}" registered; have: ${regs.map((x) => `${x.type} ${x.name}`).join(", ")}`);
    return r;
}

/**
 * Resolves with the error that fails the program (the Pulumi runtime raises a failed
 * registration as an unhandled rejection, which the language host reports as a failed
 * `pulumi up`), keeping it from failing the test run. The outputs left waiting on the refused
 * resource are the expected consequence, so they are dropped from the runtime's exit-time leak
 * check, as the language host does for a program that failed.
 */
export function expectProgramFailure(timeoutMs = 20_000): Promise<unknown> {
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    return new Promise<unknown>((resolve, reject) => {
        const done = () => {
            clearTimeout(timer);
            process.removeAllListeners("unhandledRejection");
            for (const l of saved) process.on("unhandledRejection", l);
        };
        const timer = setTimeout(() => {
            done();
            reject(new Error(`the program did not fail within ${timeoutMs} ms`));
        }, timeoutMs);
        process.once("unhandledRejection", (reason) => {
            done();
            // Let the failed registration settle, then forget what waits on it.
            setTimeout(() => {
                (require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<unknown> } }).getStore().leakCandidates.clear();
                resolve(reason);
            }, 50);
        });
    });
}
