import * as pulumi from "@pulumi/pulumi";

/**
 * Reading the cluster at program time failed: no kubeconfig, cluster unreachable, Calico not
 * installed, a node without an address. The message says where (the API server or kubeconfig
 * source), what happened and what to do. A {@link pulumi.RunError}: printed without a stack trace.
 */
export class ClusterDiscoveryError extends pulumi.RunError {
    /** The API server URL or the kubeconfig source the problem concerns. */
    readonly where: string;
    /** What the user can do about it. */
    readonly fix: string;

    constructor(where: string, message: string, fix: string) {
        super(`${where}: ${message}\n  fix: ${fix}`);
        this.name = "ClusterDiscoveryError";
        this.where = where;
        this.fix = fix;
    }
}

/** One input of CalicoAdcPeering that cannot work, with the fix. */
export interface PeeringInputProblem {
    /** The input's path, e.g. `adc.asn` or `cluster.nodes[2].address`. */
    field: string;
    /** The value found; `"<secret>"` for secrets, which are never shown. */
    value: unknown;
    /** Why it is refused and what to do. */
    reason: string;
}

/** CalicoAdcPeering's inputs were refused before any child resource was registered. */
export class PeeringInputError extends pulumi.RunError {
    readonly componentName: string;
    readonly problems: readonly PeeringInputProblem[];

    constructor(componentName: string, problems: readonly PeeringInputProblem[]) {
        super(
            `CalicoAdcPeering "${componentName}" refused before anything was applied (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  ${p.field} = ${show(p.value)}: ${p.reason}`).join("\n"),
        );
        this.name = "PeeringInputError";
        this.componentName = componentName;
        this.problems = problems;
    }
}

function show(v: unknown): string {
    if (v === undefined) return "(unset)";
    try {
        return JSON.stringify(v) ?? String(v);
    } catch {
        return String(v);
    }
}
