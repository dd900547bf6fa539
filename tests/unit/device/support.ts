import { NetScalerSession, SessionOptions } from "../../../provider/device/session";
import type { OpenShell } from "../../../provider/device/transport";
import type { AdcConnection } from "../../../provider/device/types";
import { Echo, fakeNetScaler, FakeNetScalerOptions, ScriptedShell } from "./scriptedShell";

export const CONNECTION: AdcConnection = {
    host: "10.0.0.1",
    port: 22,
    username: "nsroot",
    password: "Login-Secret-42",
    insecureIgnoreHostKey: true,
    connectTimeoutMs: 2000,
    commandTimeoutMs: 2000,
    connectRetries: 0,
};

/** Every echo style and chunking the tests run through. */
export const TERMINALS: readonly { echo: Echo; chunkSize?: number; name: string }[] = [
    { echo: "line", name: "line echo, whole writes" },
    { echo: "line", chunkSize: 1, name: "line echo, 1-byte chunks" },
    { echo: "typeahead", name: "type-ahead echo, whole writes" },
    { echo: "typeahead", chunkSize: 1, name: "type-ahead echo, 1-byte chunks" },
    // Without echo, output starts right after the prompt: a prompt split before its trailing blank
    // would leave that blank in front of the output (see Channel.promptMode), so whole writes only.
    { echo: "none", name: "no echo, whole writes" },
];

export interface FakeSession {
    readonly session: NetScalerSession;
    readonly shell: ScriptedShell;
    readonly device: ReturnType<typeof fakeNetScaler>;
    readonly logs: string[];
    readonly traces: string[];
}

/** Opens a real session over the scripted shell. */
export async function openFake(
    options: {
        device?: FakeNetScalerOptions;
        echo?: Echo;
        chunkSize?: number;
        connection?: Partial<AdcConnection>;
        session?: Partial<SessionOptions>;
        greeting?: string;
    } = {},
): Promise<FakeSession> {
    const device = fakeNetScaler(options.device);
    let shell: ScriptedShell | undefined;
    const openShell: OpenShell = async () => {
        shell = new ScriptedShell({ greeting: options.greeting ?? device.greeting, respond: device.respond, echo: options.echo, chunkSize: options.chunkSize });
        const s = shell;
        return { stream: s, close: () => s.hangUp() };
    };
    const logs: string[] = [];
    const traces: string[] = [];
    const session = await NetScalerSession.open(
        { ...CONNECTION, ...options.connection },
        { openShell, log: (l) => logs.push(l), trace: (d, t) => traces.push(`${d}: ${t}`), nudgeAfterMs: 1000, ...options.session },
    );
    return { session, shell: shell as ScriptedShell, device, logs, traces };
}
