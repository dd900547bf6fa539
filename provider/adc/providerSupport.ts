/**
 * What both providers share: turning resolved inputs into `check` results, and progress lines.
 */
import type * as pulumi from "@pulumi/pulumi";
import { redactSecretShapes } from "../device/redact";
import type { Resolved } from "./inputs";

/**
 * `check`: failures name the field; unknown values (preview) pass through untouched so the
 * engine can still diff them; known inputs come back in canonical form.
 */
export function checkResult<T, S>(news: Record<string, unknown>, resolved: Resolved<T>, canonical: (spec: T) => S): pulumi.dynamic.CheckResult {
    if (resolved.ok) return { inputs: { ...(canonical(resolved.value) as Record<string, unknown>) } };
    if (resolved.failures.length > 0) return { inputs: news, failures: [...resolved.failures] };
    return { inputs: news };
}

/** Operations after `check` only ever see inputs that passed it. */
export function requireSpec<T>(resolved: Resolved<T>): T {
    if (resolved.ok) return resolved.value;
    const reasons = resolved.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
    throw new Error(resolved.unknown ? "inputs are not known yet; this operation cannot run during preview" : redactSecretShapes(`invalid inputs: ${reasons}`));
}

/**
 * Progress the user sees in `pulumi up` (the dynamic-provider host forwards console.log as
 * info diagnostics). Never pass a secret here.
 */
export function log(host: string, message: string): void {
    if (process.env.PULUMI_CALICO_ADC_QUIET === "1") return;
    console.log(redactSecretShapes(`adc ${host}: ${message}`));
}
