/**
 * The device dialogue: SSH to the ADC, its CLI modes, pipelined configuration. The resources use
 * only {@link withAdcSession} and the {@link AdcSession} it hands to their function.
 */
import { AdcConnectionError } from "./errors";
import { defaultLog, NetScalerSession, SessionOptions } from "./session";
import type { AdcConnection, AdcSession } from "./types";

export * from "./errors";
export type { AdcConnection, AdcSession, ConfigLine, ShowAnswer, WithAdcSession } from "./types";
export { NETSCALER, compilePlatform } from "./platform";
export type { ModeName, PlatformDefinition } from "./platform";
export { NetScalerSession } from "./session";
export type { SessionOptions } from "./session";
export { fetchHostKeyFingerprint, openShell } from "./transport";
export type { OpenShell, ShellConnection } from "./transport";
export { hostKeyFingerprint, parseHostKeyFingerprint } from "./hostKey";
export { REDACTED } from "./redact";

/** How {@link withAdcSession} opens its session; all optional. */
export interface WithAdcSessionOptions extends SessionOptions {
    /** The wait before the first retry; each further retry waits twice as long. Default: 500 ms. */
    readonly retryDelayMs?: number;
}

/**
 * Opens a session to the ADC, runs `fn` with it, and always closes it, whether `fn` succeeds
 * or throws. A connection that fails before login for a reason that may pass (refused, reset,
 * timed out: {@link AdcConnectionError} with `transient`) is retried `connection.connectRetries`
 * times with exponential backoff; `fn` itself is never retried, since it may have changed the
 * device before failing.
 *
 * @example
 * const running = await withAdcSession(connection, (adc) => adc.vtyshShow("show running-config"));
 */
export async function withAdcSession<T>(
    connection: AdcConnection,
    fn: (session: AdcSession) => Promise<T>,
    options: WithAdcSessionOptions = {},
): Promise<T> {
    const session = await openWithRetries(connection, options);
    try {
        return await fn(session);
    } finally {
        await session.close();
    }
}

/** Opens a session, retrying transient connection failures. The caller must close it. */
export async function openAdcSession(connection: AdcConnection, options: WithAdcSessionOptions = {}): Promise<NetScalerSession> {
    return openWithRetries(connection, options);
}

async function openWithRetries(connection: AdcConnection, options: WithAdcSessionOptions): Promise<NetScalerSession> {
    const log = options.log ?? defaultLog;
    const retries = Math.max(0, Math.floor(connection.connectRetries));
    const firstDelay = options.retryDelayMs ?? 500;
    for (let attempt = 0; ; attempt++) {
        try {
            return await NetScalerSession.open(connection, options);
        } catch (e) {
            if (!(e instanceof AdcConnectionError) || !e.transient || attempt >= retries) throw e;
            const delay = firstDelay * 2 ** attempt;
            const reason = e.message.split("\n")[0].replace(`${connection.host}: `, "");
            log(`adc ${connection.host}: ${reason}; retrying in ${delay} ms (${attempt + 1} of ${retries})`);
            await new Promise((resolve) => setTimeout(resolve, delay));
        }
    }
}
