/**
 * How a failure half way through is recorded. Pulumi's dynamic-provider host turns an error
 * that carries `id` and `properties` into a partial failure: the resource is saved with those
 * properties (what was really applied), and the next `pulumi up` updates it from there.
 */

/**
 * The provider code must stay loadable for the later `read`/`delete`, so `__provider` is kept.
 * `next` replaces the advice to run `pulumi up` again, for a failure that another `up` does not
 * cure (an HA secondary that does not mirror the primary).
 */
export function partialFailure(cause: unknown, id: string, properties: Record<string, unknown>, inputs: Record<string, unknown>, next?: string): Error {
    const base = cause instanceof Error ? cause.message : String(cause);
    const unsaved = properties.savePending === true;
    const recorded = `what the device holds now${unsaved ? ", and that its configuration is not saved yet (savePending)," : ""} is recorded in the stack`;
    const message = `${base}\n  ${recorded}: ${next ?? `run \`pulumi up\` again to finish${unsaved ? " and save" : ""}, or \`pulumi refresh\` to see the device`}`;
    const error = new Error(message);
    return Object.assign(error, { id, properties: { ...properties, __provider: inputs.__provider }, reasons: [message] });
}

/**
 * What delete throws. The engine keeps a resource whose delete failed, with its state, so a
 * later destroy reads the device again and removes (and saves) what is left.
 */
export function deleteFailure(cause: unknown): Error {
    const base = cause instanceof Error ? cause.message : String(cause);
    return new Error(`${base}\n  the resource stays in the stack until its lines are removed and saved: run \`pulumi destroy\` again`);
}

/**
 * What create/update throw: partial failures pass through untouched; anything else becomes a
 * plain `Error` (the host prints `undefined` for non-Errors, and would take any error that
 * happens to carry an `id` for a partial failure).
 */
export function asProviderError(cause: unknown): Error {
    if (cause instanceof Error && "id" in cause && "properties" in cause) return cause;
    if (cause instanceof Error && !("id" in cause)) return cause;
    return new Error(cause instanceof Error ? cause.message : String(cause));
}
