/**
 * When a resource saves the device's configuration (`write`, `save ns config`). A save that did
 * not complete (the connection dropped, the device refused `write`) leaves the resource's
 * changes in the running configuration only, where a reboot loses them; the resource then
 * records the save as pending, and every later operation saves until one save completes.
 */

/** Whether this operation must save. */
export function mustSave(saveConfig: boolean, changedNow: boolean, pendingBefore: boolean): boolean {
    return saveConfig && (changedNow || pendingBefore);
}

/**
 * Whether a save is pending after this operation. `changedNow` is true as soon as a change may
 * have reached the device (a batch that failed half way included).
 */
export function savePendingAfter(saveConfig: boolean, changedNow: boolean, pendingBefore: boolean, saved: boolean): boolean {
    return mustSave(saveConfig, changedNow, pendingBefore) && !saved;
}
