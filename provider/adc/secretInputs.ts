/**
 * Splits the public inputs so that exactly the credentials are secret. Without this, one secret
 * password would make the whole `connection` and `neighbors` inputs secret, and `pulumi preview`
 * could no longer show which neighbor is added or removed.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AdcBgpNeighborArgs, AdcConnectionArgs } from "./args";

export function splitConnection(connection: pulumi.Input<AdcConnectionArgs>) {
    const c = pulumi.output(connection);
    return {
        connection: pulumi.unsecret(c.apply(({ password: _p, privateKey: _k, privateKeyPassphrase: _pp, ...rest }) => rest)),
        credentials: pulumi.secret(
            c.apply((x) => ({ password: x.password ?? null, privateKey: x.privateKey ?? null, privateKeyPassphrase: x.privateKeyPassphrase ?? null })),
        ),
    };
}

export function splitNeighbors(neighbors: pulumi.Input<pulumi.Input<AdcBgpNeighborArgs>[]>) {
    const ns = pulumi.output(neighbors);
    return {
        neighbors: pulumi.unsecret(ns.apply((list) => list.map(({ password: _p, ...rest }) => rest))),
        neighborPasswords: pulumi.secret(
            ns.apply((list) => Object.fromEntries(list.filter((n) => typeof n.password === "string").map((n) => [n.address, n.password as string]))),
        ),
    };
}

/** Secret outputs on top of what the user asked for. */
export function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, keys: string[]): pulumi.CustomResourceOptions {
    return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...keys] };
}
