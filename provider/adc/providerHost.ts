import * as pulumi from "@pulumi/pulumi";

/**
 * A function token of the dynamic-provider host's package that names no function: the host
 * answers every invoke with "unknown function".
 */
export const START_HOST_TOKEN = "pulumi-nodejs:dynamic:startProviderHost";

/**
 * Asks the engine for the dynamic-provider host now, instead of at the first dynamic resource's
 * registration. The engine starts that process (a launcher, then a Node.js process loading
 * `@pulumi/pulumi`: about a second, most of it before our code runs) the first time anything
 * needs the `pulumi-nodejs` provider, and while it does, its step generator takes no other
 * registration. A component whose dynamic resources wait for inputs read at program time (the
 * cluster's nodes) would register them only after that read; started here, the process loads
 * while the program reads the cluster and plans, and every step after finds it ready.
 *
 * It is an invoke of the same default provider (package `pulumi-nodejs`, no version) that the
 * dynamic resources register with, so the state is what it would be without it; the host
 * refuses the function, and that refusal is the expected answer, so it is dropped.
 */
export function startDynamicProviderHost(): void {
    pulumi.runtime.invoke(START_HOST_TOKEN, {}).catch(() => undefined);
}
