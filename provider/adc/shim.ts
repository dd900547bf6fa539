import type * as pulumi from "@pulumi/pulumi";

export type ProviderKind = "adcBgpRouter" | "adcBgpNeighbors";

/**
 * The provider object Pulumi serializes into each resource's state (`__provider`). It holds no
 * logic and captures nothing but `kind`: every call loads the installed package by name. So the
 * state never holds credentials or code, and upgrading the package fixes `read` and `delete` for
 * resources created by older versions (the engine runs those two with the stored provider).
 *
 * `require` stays inside the function bodies on purpose: Pulumi keeps such calls verbatim when
 * it serializes the closure, and resolves them from the project directory at run time.
 */
export function shim(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
    return {
        check: (olds, news) => require("pulumi-calico-adc/dynamic").providers[kind].check(olds, news),
        diff: (id, olds, news) => require("pulumi-calico-adc/dynamic").providers[kind].diff(id, olds, news),
        create: (inputs) => require("pulumi-calico-adc/dynamic").providers[kind].create(inputs),
        read: (id, props) => require("pulumi-calico-adc/dynamic").providers[kind].read(id, props),
        update: (id, olds, news) => require("pulumi-calico-adc/dynamic").providers[kind].update(id, olds, news),
        delete: (id, props) => require("pulumi-calico-adc/dynamic").providers[kind].delete(id, props),
    };
}
