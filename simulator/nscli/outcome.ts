/** What an nscli command handler answers. */
export interface NscliOutcome {
    readonly lines: readonly string[];
    /** Print ` Done` after the lines (false for `vtysh`/`shell`, which change the prompt instead, and for a question). */
    readonly done?: boolean;
    readonly close?: boolean;
}

export const ok = (lines: readonly string[] = []): NscliOutcome => ({ lines });
