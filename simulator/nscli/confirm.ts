/**
 * The nscli question a command asks before it acts (`force ha failover` without `-force`): its
 * own mode, whose prompt is the question and whose one line is the answer. `y` or `yes` (any
 * case) runs the command and prints ` Done`; anything else cancels it and prints nothing
 * (unconfirmed). Either way the session is back at `>`.
 */
import { reply, type Shell, type ShellReply } from "../session/shell";
import { NscliError } from "./errors";
import type { NscliOutcome } from "./outcome";

/** A question waiting for its answer, and what a yes does (its output lines; may throw {@link NscliError}). */
export interface Confirmation {
    readonly question: string;
    readonly onYes: () => readonly string[];
}

/** Puts the session in the question's mode; the command's answer is the question itself, as the prompt. */
export function askConfirmation(shell: Shell, question: string, onYes: () => readonly string[]): NscliOutcome {
    shell.confirmation = { question, onYes };
    shell.mode = "confirm";
    return { lines: [], done: false };
}

export function runConfirmLine(shell: Shell, line: string): ShellReply {
    const pending = shell.confirmation;
    shell.confirmation = null;
    shell.mode = "nscli";
    if (pending === null || !/^y(?:es)?$/i.test(line.trim())) return reply([]);
    try {
        return reply([...pending.onYes(), " Done"]);
    } catch (err) {
        if (err instanceof NscliError) return reply([`ERROR: ${err.message}`], { failed: true });
        throw err;
    }
}
