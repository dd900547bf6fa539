/**
 * The simulator's input buffer and session cap: the tests of the batch window can fail only if
 * the simulator drops what a device would. A PTY's buffer holds bytes, so the simulator counts
 * UTF-8 bytes (a character split between two SSH packets as one): a client that measured its
 * window in characters would pass against a simulator counting characters and overrun a real device.
 */
import { strict as assert } from "assert";
import { AdcConnectionError, openShell, withAdcSession, type AdcConnection } from "../../../provider/device";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../../simulator";

const quiet = { log: (): void => undefined };

describe("the simulator's input buffer and session cap", function () {
    this.timeout(20_000);
    const started: Simulator[] = [];
    afterEach(async () => {
        await Promise.all(started.splice(0).map((s) => s.close()));
    });
    const start = async (options: SimulatorOptions): Promise<Simulator> => {
        const sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"] }, ...options });
        started.push(sim);
        return sim;
    };
    const connection = (sim: Simulator): AdcConnection => ({
        host: sim.host,
        port: sim.port,
        username: "nsroot",
        password: "nsroot",
        hostKeyFingerprint: sim.hostKeyFingerprint,
        insecureIgnoreHostKey: false,
        connectTimeoutMs: 5000,
        commandTimeoutMs: 2000,
        connectRetries: 0,
    });

    /** Writes `text` to a fresh shell in one write, lets the device take it, returns the bytes it dropped. */
    async function dropped(sim: Simulator, text: string): Promise<number> {
        const shell = await openShell(connection(sim));
        // The first prompt, so the shell is reading.
        await new Promise<void>((resolve) => shell.stream.once("data", () => resolve()));
        sim.resetCounters();
        // Nothing answered yet: a hung first line keeps the rest in the buffer.
        sim.setFaults({ hangOnLine: { match: /^$/ } });
        shell.stream.write(text);
        await new Promise((resolve) => setTimeout(resolve, 300));
        shell.close();
        sim.setFaults({});
        return sim.counters().inputBytesDropped;
    }

    it("ASCII input past the buffer is dropped", async () => {
        const sim = await start({ inputBufferBytes: 1024 });
        assert.ok((await dropped(sim, `\n${"a".repeat(2000)}\n`)) > 0);
    });

    it("multi-byte input past the buffer's BYTES is dropped too (a PTY holds bytes, not characters)", async () => {
        const sim = await start({ inputBufferBytes: 1024 });
        // 600 characters, 1,800 bytes of UTF-8: past a 1,024-byte buffer.
        const text = `\n${"€".repeat(600)}\n`;
        assert.ok(Buffer.byteLength(text) > 1024 && text.length < 1024);
        const count = await dropped(sim, text);
        assert.ok(count > 0, `${Buffer.byteLength(text)} bytes into a ${1024}-byte buffer, ${count} dropped`);
    });

    it("the session cap refuses a connection past it before the SSH handshake, and takes one again once a session ends", async () => {
        const sim = await start({ maxSessions: 1 });
        await withAdcSession(
            connection(sim),
            async () => {
                const second = await withAdcSession(connection(sim), async () => "in", quiet).then(
                    (v) => v,
                    (e: unknown) => e,
                );
                assert.ok(second instanceof AdcConnectionError && second.transient, String(second));
            },
            quiet,
        );
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(await withAdcSession(connection(sim), async () => "in", quiet), "in");
        assert.equal(sim.counters().sessionsRefused, 1);
    });

    it("a UTF-8 character split between two SSH packets counts the 2 bytes it takes, not two replacement characters' 6", async () => {
        const sim = await start({ inputBufferBytes: 4 });
        const shell = await openShell(connection(sim));
        await new Promise<void>((resolve) => shell.stream.once("data", () => resolve()));
        sim.resetCounters();
        // The first line is in flight for a while: what follows waits in the buffer.
        sim.setReplyLatency(1000);
        shell.stream.write("\n");
        await new Promise((resolve) => setTimeout(resolve, 100));
        // "é" is C3 A9: two bytes, sent as two packets.
        shell.stream.write(Buffer.from([0xc3]));
        await new Promise((resolve) => setTimeout(resolve, 100));
        shell.stream.write(Buffer.from([0xa9]));
        await new Promise((resolve) => setTimeout(resolve, 200));
        const dropped = sim.counters().inputBytesDropped;
        shell.close();
        assert.equal(dropped, 0, `the simulator dropped ${dropped} byte(s) of a 2-byte character held in a 4-byte buffer`);
    });
});
