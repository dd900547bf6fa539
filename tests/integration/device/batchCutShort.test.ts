/**
 * A batch cut short (bounded pipelining, channel.ts sendBatch): the error names the first line
 * the device did not answer and lists every line it answered, counting the prompts in the
 * incomplete last line too (with type-ahead echo every prompt may be on that one line).
 */
import { strict as assert } from "assert";
import { AdcDisconnectedError, AdcTimeoutError, withAdcSession, type AdcConnection, type ConfigLine } from "../../../provider/device";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../../simulator";

const quiet = { log: (): void => undefined };
const ctx = { routerBgp: 500 };
const lines: ConfigLine[] = [1, 2, 3, 4, 5].map((i) => ({ context: ctx, text: `neighbor 10.1.0.${i} remote-as 64512` }));

describe("a batch cut short: what its error reports", function () {
    this.timeout(30_000);
    let sim: Simulator | undefined;
    afterEach(async () => {
        await sim?.close();
        sim = undefined;
    });
    const start = async (options: SimulatorOptions): Promise<Simulator> => {
        sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500"] }, ...options });
        return sim;
    };
    const connection = (s: Simulator, commandTimeoutMs = 5000): AdcConnection => ({
        host: s.host,
        port: s.port,
        username: "nsroot",
        password: "nsroot",
        hostKeyFingerprint: s.hostKeyFingerprint,
        insecureIgnoreHostKey: false,
        connectTimeoutMs: 5000,
        commandTimeoutMs,
        connectRetries: 0,
    });
    const run = (s: Simulator, timeout?: number) =>
        withAdcSession(
            connection(s, timeout),
            async (session) => {
                await session.vtyshShow("show running-config");
                return session.configure(lines);
            },
            quiet,
        ).then(
            () => undefined,
            (e: unknown) => e,
        );

    for (const echo of ["line", "typeahead"] as const) {
        it(`${echo} echo: a device that hangs at the third neighbor is reported as hanging at the third neighbor`, async () => {
            const s = await start({ echo, faults: { hangOnLine: { match: "neighbor 10.1.0.3 remote-as" } } });
            const err = await run(s, 300);
            assert.ok(err instanceof AdcTimeoutError, String(err));
            // The device answered the first two neighbors (their prompts are on screen, see lastOutput).
            assert.deepEqual(
                s.device.state().bgp?.neighbors.map((n) => n.address),
                ["10.1.0.1", "10.1.0.2"],
            );
            assert.equal(err.command, lines[2].text, `the error blames ${JSON.stringify(err.command)}; last output ${JSON.stringify(err.lastOutput)}`);
        });

        it(`${echo} echo: a connection cut at the fourth neighbor lists the three the device confirmed`, async () => {
            // Time per line, so each answer has long left the device when the next line cuts the connection.
            const s = await start({ echo, replyLatencyMs: 100, faults: { dropOnLine: { match: "neighbor 10.1.0.4 remote-as" } } });
            const err = await run(s);
            assert.ok(err instanceof AdcDisconnectedError, String(err));
            assert.deepEqual(
                s.device.state().bgp?.neighbors.map((n) => n.address),
                ["10.1.0.1", "10.1.0.2", "10.1.0.3"],
            );
            assert.deepEqual(err.applied, lines.slice(0, 3).map((l) => l.text), `applied: ${JSON.stringify(err.applied)}; ${err.message}`);
            assert.equal(err.command, lines[3].text);
        });
    }
});
