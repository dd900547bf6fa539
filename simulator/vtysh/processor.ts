import { Args, CommandTable, MatchResult } from "../grammar/commandTable";
import { reply, Shell, ShellReply } from "../session/shell";
import { routerCommands, configCommands } from "./config";
import { commonCommands, execCommands } from "./exec";

/**
 * A vtysh command: its handler prints lines (an error is a line starting with `%`), and
 * `config` says whether it counts as a configuration command (navigation, show and write do not).
 */
export interface VtyshCommand {
    readonly run: (shell: Shell, args: Args) => readonly string[] | Promise<readonly string[]>;
    readonly config: boolean;
}

export const INVALID_INPUT = "% Invalid input detected at '^' marker.";
export const INCOMPLETE = "% Incomplete command.";
export const AMBIGUOUS = "% Ambiguous command.";

type Table = CommandTable<VtyshCommand>;

function build(...groups: ((t: Table) => Table)[]): Table {
    return groups.reduce((t, g) => g(t), new CommandTable<VtyshCommand>());
}

/** One explicit command table per vtysh mode. */
const TABLES = {
    vtysh: build(execCommands, commonCommands),
    config: build(configCommands, commonCommands),
    router: build(routerCommands, commonCommands),
} as const;

/**
 * Runs one line in a vtysh mode. With the `parentModeFallback` setting, a line the current
 * configuration mode does not know is tried in the parent mode and, if it matches there, the
 * session moves to that mode (Quagga vtysh does this; whether ZebOS does is unconfirmed).
 */
export async function runVtyshLine(shell: Shell, line: string, promptLength: number): Promise<ShellReply> {
    const mode = shell.mode as keyof typeof TABLES;
    const inConfig = shell.inConfigMode;
    let m: MatchResult<VtyshCommand> = TABLES[mode].match(line);
    if (m.kind !== "matched" && m.kind !== "empty" && mode === "router" && shell.parentModeFallback) {
        const parent = TABLES.config.match(line);
        if (parent.kind === "matched") {
            shell.mode = "config";
            m = parent;
        }
    }
    switch (m.kind) {
        case "empty":
            return reply([]);
        case "invalid":
            return reply([`${" ".repeat(promptLength + m.offset)}^`, INVALID_INPUT], { failed: true, configCommand: inConfig });
        case "incomplete":
            return reply([INCOMPLETE], { failed: true, configCommand: inConfig });
        case "ambiguous":
            return reply([AMBIGUOUS], { failed: true, configCommand: inConfig });
        case "matched": {
            const lines = await m.handler.run(shell, m.args);
            return reply(lines, { failed: lines.some((l) => l.startsWith("%")), configCommand: inConfig && m.handler.config });
        }
    }
}
