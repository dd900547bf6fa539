/**
 * What nscli's HA commands do to the two devices of a pair: `force ha failover` swaps their
 * roles, `force ha sync` and `sync ha files` copy what the primary holds to the secondary. What a
 * sync copies follows the pair's {@link HaPropagation}: the nscli configuration always (HA sync is
 * documented to copy the primary's running nscli configuration), the ZebOS configuration only
 * where the propagation says so (undocumented).
 */
import type { Device } from "./device";
import { updateNode, type NodeState } from "./node";
import { cloneZebos } from "./zebos";

/** The modes of `sync ha files [<mode>]`, as the command reference lists them. */
export const SYNC_FILES_MODES = ["all", "bookmarks", "ssl", "htmlinjection", "imports", "misc", "all_plus_misc"] as const;
export type SyncFilesMode = (typeof SYNC_FILES_MODES)[number];

/**
 * `force ha failover` on `device`: it takes the other role and its peer (when linked) the role
 * it had, so that one node is primary afterwards (of a split brain's two primaries, the one
 * failed over becomes the secondary). A node that is not one side of a pair is left alone (the
 * command refuses first).
 */
export function forceFailover(device: Device): void {
    const was = device.node.role;
    if (was === "standalone") return;
    setRole(device, was === "primary" ? "secondary" : "primary");
    if (device.haLink !== null) setRole(device.haLink.peer, was);
}

/**
 * `force ha sync` on the primary: the secondary takes the primary's running nscli configuration
 * (it clears its own and reapplies the primary's, as documented), and its running ZebOS
 * configuration unless the propagation is `not-synced`. `save` saves both on the secondary
 * afterwards (`-save YES`).
 */
export function forceSync(device: Device, save: boolean): void {
    const link = device.haLink;
    if (link === null) return;
    const peer = link.peer;
    copyNscli(device, peer);
    if (link.settings.propagation !== "not-synced") peer.zebos = cloneZebos(device.zebos);
    if (save) {
        peer.saveNsConfig();
        peer.writeZebos();
    }
    peer.changed();
    void peer.syncRouting();
}

/**
 * `sync ha files <mode>` on the primary: files, not the running configuration. The saved
 * ZebOS.conf goes across when the propagation is not `not-synced` and `mode` is one of the
 * pair's `zebosFileModes`; the secondary then runs what the file holds (assumed: the file is its
 * routing configuration). Whatever was typed on the primary and not written (`write`) stays behind.
 */
export function syncFiles(device: Device, mode: SyncFilesMode): void {
    const link = device.haLink;
    if (link === null || link.settings.propagation === "not-synced" || !link.settings.zebosFileModes.includes(mode)) return;
    const peer = link.peer;
    peer.loadSavedZebos(device.savedZebosCopy());
    peer.changed();
    void peer.syncRouting();
}

function copyNscli(from: Device, to: Device): void {
    for (const [acronym, on] of from.features) to.features.set(acronym, on);
}

function setRole(device: Device, role: NodeState["role"]): void {
    if (device.node.role !== "standalone") updateNode(device.node, { role });
}
