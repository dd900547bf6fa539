import { strict as assert } from "node:assert";
import { createDevice } from "../../../simulator/model/createDevice";
import { Device } from "../../../simulator/model/device";
import { SimulatorOptions } from "../../../simulator/options";
import { Shell } from "../../../simulator/session/shell";

const PROMPT = /^(> |root@ns# |ns(?:\((?:config|config-router)\))?#)(.*)$/;

/**
 * One CLI session on a simulated device, driven line by line: the command processors without
 * SSH. `play` checks a whole transcript, written the way the device shows it (prompt + typed
 * line, then the output), ending with the prompt left on screen.
 */
export class TestConsole {
    readonly shell: Shell;

    private constructor(readonly device: Device) {
        this.shell = new Shell(device);
    }

    static async open(options: SimulatorOptions = {}, device?: Device): Promise<TestConsole> {
        return new TestConsole(device ?? (await createDevice(options)));
    }

    /** Another session on the same device. */
    another(): TestConsole {
        return new TestConsole(this.device);
    }

    /** Types one line; returns the output lines (no echo, no prompt). */
    async type(line: string): Promise<string[]> {
        return [...(await this.shell.execute(line)).lines];
    }

    /** Types several lines; returns all output lines. */
    async typeAll(lines: readonly string[]): Promise<string[]> {
        const out: string[] = [];
        for (const l of lines) out.push(...(await this.type(l)));
        return out;
    }

    /** Plays `transcript` (leading/trailing blank lines ignored) and asserts the device printed exactly that. */
    async play(transcript: string): Promise<void> {
        const expected = transcript.replace(/^\n+|\n+$/g, "");
        const lines = expected.split("\n");
        let actual = "";
        for (const [i, line] of lines.entries()) {
            const m = PROMPT.exec(line);
            if (!m) continue;
            if (i === lines.length - 1 && m[2] === "") break;
            actual += `${this.shell.prompt()}${m[2]}\n`;
            const r = await this.shell.execute(m[2]!);
            for (const out of r.lines) actual += `${out}\n`;
            if (r.close) return assert.equal(actual.replace(/\n$/, ""), expected);
        }
        actual += this.shell.prompt();
        assert.equal(actual, expected);
    }
}
