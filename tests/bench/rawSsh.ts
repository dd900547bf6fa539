/**
 * Plain ssh2 sessions for the bench's reference clients (the lower bound and the do-it-yourself
 * baseline): a login and a shell, no parsing beyond counting prompts.
 */
import { Client, type ClientChannel } from "ssh2";

export interface RawTarget {
    readonly host: string;
    readonly port: number;
    readonly password: string;
}

/** Logs in (password by keyboard-interactive, then password) and opens a shell with a PTY. */
export function openRawShell(target: RawTarget): Promise<{ client: Client; stream: ClientChannel }> {
    return new Promise((resolve, reject) => {
        const client = new Client();
        // A refused connection may report more than one error.
        client.on("error", reject);
        // As the package does, and as Go's net (pulumi-command's SSH) does by default: without
        // it, Nagle's algorithm and delayed ACKs cost the login about 18 ms at 20 ms of RTT.
        client.on("connect", () => client.setNoDelay(true));
        client.once("ready", () => {
            client.shell({ term: "vt100", cols: 512, rows: 24 }, (err, stream) => {
                if (err) {
                    client.end();
                    return reject(err);
                }
                resolve({ client, stream });
            });
        });
        client.connect({
            host: target.host,
            port: target.port,
            username: "nsroot",
            password: target.password,
            tryKeyboard: true,
            readyTimeout: 30_000,
            hostVerifier: () => true,
        });
        client.on("keyboard-interactive", (_n, _i, _l, prompts, finish) => finish(prompts.map(() => target.password)));
    });
}

/** The NetScaler prompts at the start of a line: nscli's `> ` and vtysh's. */
const PROMPT_START = /^(?:> |ns(?:\([a-z-]+\))?#)/;
const PROMPT_WHOLE = /^(?:> |ns(?:\([a-z-]+\))?#)$/;

/**
 * Counts prompts in a shell's output as it arrives: one per line answered. Each chunk is
 * looked at once.
 */
export class PromptCounter {
    count = 0;
    private partial = "";
    private tailCounted = false;
    private waiter: (() => void) | undefined;

    constructor(stream: ClientChannel) {
        stream.on("data", (chunk: Buffer) => this.feed(chunk.toString("utf8")));
    }

    /** Resolves once `count` reaches `target`. */
    until(target: number): Promise<void> {
        if (this.count >= target) return Promise.resolve();
        return new Promise((resolve) => {
            this.waiter = () => {
                if (this.count >= target) {
                    this.waiter = undefined;
                    resolve();
                }
            };
        });
    }

    private feed(text: string): void {
        const lines = (this.partial + text.replace(/\r/g, "")).split("\n");
        this.partial = lines.pop() as string;
        for (const line of lines) {
            if (PROMPT_START.test(line) && !this.tailCounted) this.count++;
            this.tailCounted = false;
        }
        if (!this.tailCounted && PROMPT_WHOLE.test(this.partial)) {
            this.count++;
            this.tailCounted = true;
        }
        this.waiter?.();
    }
}
