import * as pulumi from "@pulumi/pulumi";

/**
 * Refuses the `import` resource option before the engine gets to it. Pulumi's dynamic providers
 * cannot import (the engine's Read carries no serialized provider: pulumi/pulumi#3550), and the
 * failure the engine would report says nothing a user can act on. Adoption does what import is
 * for: it takes over what the device already holds instead of failing on it.
 */
export function refuseImport(type: "AdcBgpRouter" | "AdcBgpNeighbors", name: string, opts: pulumi.CustomResourceOptions | undefined): void {
    if (opts?.import === undefined) return;
    throw new pulumi.RunError(
        `${type} "${name}": the "import" resource option (and \`pulumi import\`) cannot work for this resource: ` +
            `Pulumi's dynamic providers have no import. Remove the import option and set adoptExisting: true ` +
            `(on CalicoAdcPeering: adc.adoptExisting): the next pulumi up takes over the ${type === "AdcBgpRouter" ? "router bgp" : "neighbors"} ` +
            `already on the device instead of failing on ${type === "AdcBgpRouter" ? "it" : "them"}, and pulumi preview shows what it adopts.`,
    );
}
