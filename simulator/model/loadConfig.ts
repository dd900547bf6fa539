import { Device } from "./device";
import { Shell } from "../session/shell";

/** An initial configuration line the simulator's own command processor refused. */
export class InitialConfigError extends Error {}

/** Runs nscli lines at start; each must succeed. */
export async function loadNscli(device: Device, lines: readonly string[]): Promise<void> {
    const shell = new Shell(device);
    for (const line of lines) {
        const r = await shell.execute(line);
        if (r.failed) throw new InitialConfigError(`initialConfig.nscli: "${line}" was refused: ${r.lines.join(" ")}`);
        shell.mode = "nscli";
    }
}

/**
 * Replays a ZebOS configuration file through vtysh's configuration modes, the way the appliance
 * loads ZebOS.conf: separators, `end`, `log` lines and interface blocks (the interface comes from
 * the simulator's settings) are skipped; an unindented line leaves any `router bgp` block.
 */
export async function loadZebos(device: Device, text: string | readonly string[]): Promise<void> {
    const lines = typeof text === "string" ? text.split(/\r?\n/) : text;
    const shell = new Shell(device);
    shell.mode = "config";
    device.loadingConfig = true;
    try {
        let inInterface = false;
        for (const [index, raw] of lines.entries()) {
            const trimmed = raw.trim();
            const indented = /^\s/.test(raw);
            if (!indented) inInterface = false;
            if (trimmed === "" || trimmed === "!" || trimmed === "end" || /^log\s/.test(trimmed)) continue;
            if (/^interface\s/.test(trimmed)) {
                inInterface = true;
                continue;
            }
            if (inInterface) continue;
            if (!indented) shell.mode = "config";
            const r = await shell.execute(trimmed);
            if (r.failed) throw new InitialConfigError(`initialConfig.zebos line ${index + 1}: "${trimmed}" was refused: ${r.lines.filter((l) => l.trim() !== "^").join(" ").trim()}`);
        }
    } finally {
        device.loadingConfig = false;
    }
}
