/**
 * The plainest possible ADC client: one ssh2 shell, one line at a time, read to the prompt. The
 * lab uses it to drive the simulator the way an operator at a terminal would, independent of the
 * package's device layer.
 */
import { createHash } from "node:crypto";
import { Client, type ClientChannel } from "ssh2";

export interface SshCliOptions {
    host: string;
    port: number;
    username: string;
    password: string;
    /** `SHA256:<base64>`; the connection is refused when the server's key differs. */
    fingerprint: string;
    timeoutMs?: number;
}

/** nscli `> `, vtysh `ns#`, `ns(config)#`, `ns(config-router)#`. */
const PROMPT = /(?:^|\n)(> |[\w.-]+(?:\([\w-]+\))?#)$/;

export class SshCli {
    private buffer = "";
    private waiter: (() => void) | undefined;

    private constructor(
        private readonly client: Client,
        private readonly channel: ClientChannel,
        private readonly timeoutMs: number,
    ) {
        channel.on("data", (d: Buffer) => {
            this.buffer += d.toString("utf8").replace(/\r/g, "");
            this.waiter?.();
        });
    }

    static async open(o: SshCliOptions): Promise<SshCli> {
        const client = new Client();
        const timeoutMs = o.timeoutMs ?? 10_000;
        await new Promise<void>((resolve, reject) => {
            client.once("ready", () => resolve());
            client.once("error", reject);
            client.on("keyboard-interactive", (_n, _i, _l, prompts, finish) => finish(prompts.map(() => o.password)));
            client.connect({
                host: o.host,
                port: o.port,
                username: o.username,
                password: o.password,
                tryKeyboard: true,
                readyTimeout: timeoutMs,
                hostVerifier: (key: Buffer) => `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}` === o.fingerprint,
            });
        });
        const channel = await new Promise<ClientChannel>((resolve, reject) => client.shell({ term: "vt100" }, (err, ch) => (err ? reject(err) : resolve(ch))));
        const cli = new SshCli(client, channel, timeoutMs);
        await cli.readToPrompt("login");
        return cli;
    }

    private async readToPrompt(what: string): Promise<string> {
        const deadline = Date.now() + this.timeoutMs;
        while (!PROMPT.test(this.buffer)) {
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`no prompt within ${this.timeoutMs} ms after ${what}; got ${JSON.stringify(this.buffer.slice(-300))}`);
            await new Promise<void>((resolve) => {
                const t = setTimeout(resolve, left);
                this.waiter = () => {
                    clearTimeout(t);
                    resolve();
                };
            });
        }
        const text = this.buffer;
        this.buffer = "";
        return text;
    }

    /** Sends one line; returns what the device printed, without the echoed line and the prompt. */
    async run(line: string): Promise<string> {
        this.channel.write(`${line}\n`);
        const text = await this.readToPrompt(JSON.stringify(line));
        const lines = text.replace(PROMPT, "").split("\n");
        if (lines[0]?.trim() === line.trim()) lines.shift();
        return lines.join("\n").replace(/\n$/, "");
    }

    /** Runs lines in order; returns each answer. */
    async runAll(lines: readonly string[]): Promise<string[]> {
        const out: string[] = [];
        for (const l of lines) out.push(await this.run(l));
        return out;
    }

    close(): void {
        this.channel.end();
        this.client.end();
    }
}
