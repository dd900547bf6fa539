/**
 * A UTF-8 character split between two SSH packets is one character to the simulator's terminal,
 * counted as the bytes a PTY holds for it (each packet decoded alone would give two U+FFFD).
 */
import { strict as assert } from "assert";
import { openShell, type AdcConnection } from "../../../provider/device";
import { startSimulator, type Simulator } from "../../../simulator";

describe("the simulator: a UTF-8 character split between two SSH packets", function () {
    this.timeout(20_000);
    let sim: Simulator | undefined;
    afterEach(async () => {
        await sim?.close();
        sim = undefined;
    });

    it("counts the 2 bytes it takes, not 6", async () => {
        sim = await startSimulator({ banner: [], inputBufferBytes: 4 });
        const connection: AdcConnection = {
            host: sim.host,
            port: sim.port,
            username: "nsroot",
            password: "nsroot",
            hostKeyFingerprint: sim.hostKeyFingerprint,
            insecureIgnoreHostKey: false,
            connectTimeoutMs: 5000,
            commandTimeoutMs: 2000,
            connectRetries: 0,
        };
        const shell = await openShell(connection);
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
