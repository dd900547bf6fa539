/**
 * How a failure half way through is recorded. Pulumi's dynamic-provider host turns an error
 * that carries `id` and `properties` into a partial failure: the resource is saved with those
 * properties (what was really applied), and the next `pulumi up` updates it from there.
 */

/** The provider code must stay loadable for the later `read`/`delete`, so `__provider` is kept. */
export function partialFailure(cause: unknown, id: string, properties: Record<string, unknown>, inputs: Record<string, unknown>): Error {
    const base = cause instanceof Error ? cause.message : String(cause);
    const message = `${base}\n  what was applied before the failure is recorded in the stack; run \`pulumi up\` again to finish, or \`pulumi refresh\` to see the device`;
    const error = new Error(message);
    return Object.assign(error, { id, properties: { ...properties, __provider: inputs.__provider }, reasons: [message] });
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
