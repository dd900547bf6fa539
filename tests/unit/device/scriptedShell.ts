import { Duplex } from "stream";

/**
 * An in-memory stand-in for the SSH shell stream: a terminal that splits what the client types
 * into lines, echoes it (per line, all at once as type-ahead, or not at all), asks a responder
 * for each line's answer, and delivers its output in chunks of a chosen size (1 byte apart if
 * asked), so the client sees prompts and escapes split anywhere.
 */
export type Echo = "line" | "typeahead" | "none";

/** One answer: text to print, or pages separated by a pager that waits for a key and then erases itself. */
export type Answer = string | { readonly pages: readonly string[]; readonly pager: string; readonly erase: string };

export interface ScriptedShellOptions {
    /** Printed at start (banner and first prompt). */
    readonly greeting: string;
    /** The answer to one line, including the next prompt; `undefined` to never answer. */
    readonly respond: (line: string) => Answer | undefined | "drop";
    readonly echo?: Echo;
    /** Output chunk size in characters. Default: whole writes. */
    readonly chunkSize?: number;
}

export class ScriptedShell extends Duplex {
    /** Every write the client made, as received. */
    readonly writes: string[] = [];
    /** Lines the terminal read, in order. */
    readonly lines: string[] = [];
    private input = "";
    private readonly queue: string[] = [];
    private output: Promise<void> = Promise.resolve();
    private waitingForKey: (() => void) | undefined;
    private busy = false;
    private closing = false;
    private ended = false;

    constructor(private readonly options: ScriptedShellOptions) {
        super();
        this.print(options.greeting);
    }

    _read(): void {
        /* output is pushed as it is produced */
    }

    _write(chunk: Buffer | string, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
        const text = chunk.toString();
        this.writes.push(text);
        let echo = "";
        for (const ch of text) {
            if (this.waitingForKey) {
                const resume = this.waitingForKey;
                this.waitingForKey = undefined;
                resume();
                continue;
            }
            if (ch === "\n") {
                this.queue.push(this.input);
                this.input = "";
                echo += "\r\n";
            } else {
                this.input += ch;
                echo += ch;
            }
        }
        if (this.options.echo === "typeahead" && echo) this.print(echo);
        void this.pump();
        callback();
    }

    _final(callback: () => void): void {
        this.hangUp();
        callback();
    }

    /** Closes the stream from the device side (a dropped connection), after what it already printed. */
    hangUp(): void {
        if (this.closing) return;
        this.closing = true;
        void this.output.then(() => {
            this.ended = true;
            this.push(null);
            this.emit("close");
        });
    }

    /** Prints text now (unsolicited output, an extra prompt). */
    print(text: string): void {
        const size = this.options.chunkSize ?? text.length;
        this.output = this.output.then(async () => {
            for (let i = 0; i < text.length && !this.ended; i += Math.max(1, size)) {
                this.push(text.slice(i, i + Math.max(1, size)));
                await new Promise((resolve) => setImmediate(resolve));
            }
        });
    }

    private async pump(): Promise<void> {
        if (this.busy) return;
        this.busy = true;
        while (this.queue.length > 0 && !this.closing) {
            const line = this.queue.shift() as string;
            this.lines.push(line);
            if (this.options.echo === undefined || this.options.echo === "line") this.print(`${line}\r\n`);
            const answer = this.options.respond(line);
            if (answer === "drop") {
                this.hangUp();
                break;
            }
            if (answer === undefined) continue;
            if (typeof answer === "string") {
                this.print(answer);
                continue;
            }
            for (let i = 0; i < answer.pages.length; i++) {
                this.print(answer.pages[i]);
                if (i < answer.pages.length - 1) {
                    const key = new Promise<void>((resolve) => (this.waitingForKey = resolve));
                    this.print(answer.pager);
                    await key;
                    this.print(answer.erase);
                }
            }
        }
        this.busy = false;
    }
}

/** Options of the small NetScaler-like responder used by the session tests. */
export interface FakeNetScalerOptions {
    readonly hostname?: string;
    readonly cliPrompt?: string;
    /** Wraps every prompt in colour escapes. */
    readonly ansiPrompts?: boolean;
    /** Lines whose answer is this error instead of success. */
    readonly reject?: (line: string, mode: string) => string | undefined;
    /** Lines after which the connection drops. */
    readonly dropOn?: (line: string) => boolean;
    /** Lines never answered. */
    readonly silentOn?: (line: string) => boolean;
    /** nscli and vtysh show outputs by command. */
    readonly shows?: Readonly<Record<string, Answer>>;
    /** The BGP instance already running. */
    readonly runningAsn?: number;
    /** Mode at login. */
    readonly startMode?: FakeMode;
}

export type FakeMode = "cli" | "vtysh" | "config" | "router" | "af";

/**
 * A responder that behaves like the NetScaler CLI as far as the session needs: nscli with
 * ` Done`/`ERROR:`, vtysh with its configuration modes, `%` errors, one BGP instance.
 */
export function fakeNetScaler(options: FakeNetScalerOptions = {}): { respond: ScriptedShellOptions["respond"]; greeting: string; state: { mode: FakeMode; asn?: number; applied: string[] } } {
    const host = options.hostname ?? "ns";
    const state: { mode: FakeMode; asn?: number; applied: string[] } = { mode: options.startMode ?? "cli", asn: options.runningAsn, applied: [] };
    const colour = (p: string): string => (options.ansiPrompts ? `\x1b[1;32m${p}\x1b[0m` : p);
    const prompt = (): string => {
        switch (state.mode) {
            case "cli":
                return colour(`${options.cliPrompt ?? ">"} `);
            case "vtysh":
                return colour(`${host}#`);
            case "config":
                return colour(`${host}(config)#`);
            case "router":
                return colour(`${host}(config-router)#`);
            case "af":
                return colour(`${host}(config-router-af)#`);
        }
    };
    const respond = (line: string): Answer | undefined | "drop" => {
        if (options.dropOn?.(line)) return "drop";
        if (options.silentOn?.(line)) return undefined;
        const error = options.reject?.(line, state.mode);
        if (error !== undefined) return `${error}\r\n${prompt()}`;
        const show = options.shows?.[line];
        if (show !== undefined) {
            if (typeof show === "string") return `${show}${prompt()}`;
            return { ...show, pages: [...show.pages.slice(0, -1), show.pages[show.pages.length - 1] + prompt()] };
        }
        const cmd = line.trim();
        if (cmd === "") return prompt();
        switch (state.mode) {
            case "cli":
                if (cmd === "vtysh") {
                    state.mode = "vtysh";
                    return prompt();
                }
                if (cmd === "exit") return "drop";
                if (/^(set cli mode|save ns config|enable ns feature)/.test(cmd)) return ` Done\r\n${prompt()}`;
                // A standalone appliance: one HA node, the self node, Primary; no cluster, no partitions.
                if (cmd === "show ha node") return `1)      Node ID:      0\r\n        IP:   10.0.0.1 (ns)\r\n        Node State: UP\r\n        Master State: Primary\r\n Done\r\n${prompt()}`;
                if (cmd === "show cluster instance" || cmd === "show ns partition") return ` Done\r\n${prompt()}`;
                return `ERROR: No such command\r\n${prompt()}`;
            case "vtysh":
                if (cmd === "exit") {
                    state.mode = "cli";
                    return ` Done\r\n${prompt()}`;
                }
                if (cmd === "configure terminal") {
                    state.mode = "config";
                    return `Enter configuration commands, one per line.  End with CNTL/Z.\r\n${prompt()}`;
                }
                if (cmd === "write" || cmd === "write memory") return `Building configuration...\r\n[OK]\r\n${prompt()}`;
                return `% Unknown command.\r\n${prompt()}`;
            case "config":
            case "router":
            case "af": {
                if (cmd === "end") {
                    state.mode = "vtysh";
                    return prompt();
                }
                if (cmd === "exit") {
                    state.mode = state.mode === "af" ? "router" : state.mode === "router" ? "config" : "vtysh";
                    return prompt();
                }
                const bgp = /^router bgp (\d+)$/.exec(cmd);
                if (bgp && state.mode === "config") {
                    const asn = Number(bgp[1]);
                    if (state.asn !== undefined && state.asn !== asn) return `% BGP is already running; AS is ${state.asn}\r\n${prompt()}`;
                    state.asn = asn;
                    state.mode = "router";
                    state.applied.push(cmd);
                    return prompt();
                }
                if (/^address-family/.test(cmd) && state.mode === "router") {
                    state.mode = "af";
                    return prompt();
                }
                if (state.mode === "config" && /^neighbor/.test(cmd)) return `${" ".repeat(12)}^\r\n% Invalid input detected at '^' marker.\r\n${prompt()}`;
                state.applied.push(cmd);
                return prompt();
            }
        }
    };
    return { respond, greeting: `Last login: Tue Nov 25 16:13:02 2025 from 10.0.0.9\r\n${prompt()}`, state };
}
