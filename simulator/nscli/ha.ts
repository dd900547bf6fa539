/**
 * nscli's HA commands: `force ha failover [-force]`, `force ha sync [-force [-save YES|NO]]`,
 * `sync ha files [<mode>]`. Each is refused where the appliance refuses it (on a node without an
 * HA peer; the syncs on the secondary, and the failover there unless `haCli.failoverOnSecondary`),
 * with the texts of the `haCli` settings, before it changes anything.
 */
import { forceFailover, forceSync, syncFiles, type SyncFilesMode } from "../model/ha";
import type { Shell } from "../session/shell";
import { askConfirmation } from "./confirm";
import { NscliError } from "./errors";
import { ok, type NscliOutcome } from "./outcome";

/** Refuses the command unless the node is one of a pair, and (unless `secondaryToo`) its primary. */
function requireRole(shell: Shell, secondaryToo: boolean): void {
    const { node, settings } = shell.device;
    if (node.role === "standalone") throw new NscliError(settings.haCli.standaloneError);
    if (node.role === "secondary" && !secondaryToo) throw new NscliError(settings.haCli.secondaryError);
}

export function forceHaFailover(shell: Shell, force: boolean): NscliOutcome {
    requireRole(shell, shell.device.settings.haCli.failoverOnSecondary);
    const question = shell.device.settings.haCli.failoverPrompt;
    const act = () => {
        // Asked and answered on a node whose role may have changed meanwhile (the other node failed over first).
        requireRole(shell, shell.device.settings.haCli.failoverOnSecondary);
        forceFailover(shell.device);
        return [];
    };
    if (force || question === null) return ok(act());
    return askConfirmation(shell, question, act);
}

export function forceHaSync(shell: Shell, save: boolean): NscliOutcome {
    requireRole(shell, false);
    forceSync(shell.device, save);
    return ok();
}

export function syncHaFiles(shell: Shell, mode: string): NscliOutcome {
    requireRole(shell, false);
    syncFiles(shell.device, mode as SyncFilesMode);
    return ok();
}
