/**
 * An administrator at an ADC's CLI: logs in over SSH (checking the host key as known_hosts
 * would), types lines one at a time, each after the device's prompt, and logs out. For tests
 * that change a simulated node the way a person does, not through the simulator's own API.
 */
import { createHash } from "node:crypto";
import { Client } from "ssh2";
import { ShellSession } from "../integration/simulator/sshHarness";

/** A node to log in to. */
export interface AdminTarget {
    readonly host: string;
    readonly port: number;
    readonly hostKeyFingerprint: string;
}

/** nscli's `> `, vtysh's `ns#` and its configuration modes, or a question ending in `: `. */
const PROMPT = /(?:> |#|\]: )$/;

/**
 * Types `lines` at the node's CLI and returns the screen (echo, answers and prompts). Each line is
 * sent after the prompt that follows the previous one's answer. Fails when the node presents
 * another host key, or a line gets no prompt within 5 s.
 */
export async function typeAtCli(node: AdminTarget, password: string, lines: readonly string[], username = "nsroot"): Promise<string> {
    const client = new Client();
    try {
        await new Promise<void>((resolve, reject) => {
            client.once("ready", resolve);
            client.once("error", reject);
            client.connect({
                host: node.host,
                port: node.port,
                username,
                password,
                readyTimeout: 5000,
                hostVerifier: (key: Buffer) => `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}` === node.hostKeyFingerprint,
            });
        });
        const shell = await ShellSession.open(client);
        await shell.waitFor((s) => PROMPT.test(s), 5000);
        for (const line of lines) {
            const from = shell.text().length;
            shell.send(`${line}\r`);
            await shell.waitFor((s) => s.length > line.length + 2 && PROMPT.test(s), 5000, from);
        }
        return shell.text();
    } finally {
        client.end();
    }
}
