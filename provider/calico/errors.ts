import * as pulumi from "@pulumi/pulumi";
import { ValidationFailure } from "./validate";

/** One line per failure: `spec.asNumber = 4200000001: is above 2147483647 ...`. */
export function formatFailures(failures: readonly ValidationFailure[]): string {
    return failures.map((f) => `  ${f.field} = ${showValue(f.value)}: ${f.reason}`).join("\n");
}

function showValue(value: unknown): string {
    if (value === undefined) return "(unset)";
    if (typeof value === "string") return JSON.stringify(value);
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

/**
 * A BGPPeer was refused before anything was applied. `failures` lists each field, the value and
 * the fix. It is a {@link pulumi.RunError}, so `pulumi up` prints the message without a stack trace.
 */
export class CalicoBgpPeerValidationError extends pulumi.RunError {
    /** The resource the BGPPeer belongs to. */
    readonly resourceName: string;
    /** Every problem found. */
    readonly failures: readonly ValidationFailure[];

    constructor(resourceName: string, failures: readonly ValidationFailure[]) {
        super(`CalicoBgpPeer "${resourceName}" refused before anything was applied (${failures.length} problem${failures.length === 1 ? "" : "s"}):\n${formatFailures(failures)}`);
        this.name = "CalicoBgpPeerValidationError";
        this.resourceName = resourceName;
        this.failures = failures;
    }
}
