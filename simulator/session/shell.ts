import { Device } from "../model/device";
import { nscliPrompt } from "../model/node";
import { runNscliLine } from "../nscli/processor";
import { Confirmation, runConfirmLine } from "../nscli/confirm";
import { runFreebsdLine } from "../nscli/freebsd";
import { runVtyshLine } from "../vtysh/processor";

/** The mode a session is in; each has its own prompt and command table. */
export type ModeName = "nscli" | "confirm" | "freebsd" | "vtysh" | "config" | "router" | "router-af";

/** What the device prints for one input line (without echo or prompt). */
export interface ShellReply {
    readonly lines: readonly string[];
    /** The session ends after these lines (nscli `exit`). */
    readonly close: boolean;
    /** The device rejected the line (`ERROR: ...` in nscli, `% ...` in vtysh). */
    readonly failed: boolean;
    /** The line was a configuration command typed in a vtysh configuration mode. */
    readonly configCommand: boolean;
}

export function reply(lines: readonly string[], extra: Partial<Omit<ShellReply, "lines">> = {}): ShellReply {
    return { lines, close: false, failed: false, configCommand: false, ...extra };
}

/**
 * One CLI session's position (mode) over the shared device: the part of a login that a
 * terminal, an exec request or a test drives line by line.
 */
export class Shell {
    mode: ModeName = "nscli";
    /** ASN of the `router bgp` block a `router` mode session is in. */
    routerAsn = 0;
    /** The question a `confirm` mode session answers, and what a yes does. */
    confirmation: Confirmation | null = null;
    /** Try lines unknown in `ns(config-router)#` at `ns(config)#` (see the `parentModeFallback` option). */
    parentModeFallback: boolean;

    constructor(readonly device: Device) {
        this.parentModeFallback = device.settings.parentModeFallback;
    }

    prompt(): string {
        const host = this.device.settings.hostname;
        switch (this.mode) {
            case "nscli":
                return `${nscliPrompt(this.device.node, this.device.settings.cliPrompt)} `;
            case "confirm":
                return this.confirmation?.question ?? "";
            case "freebsd":
                return `root@${host}# `;
            case "vtysh":
                return `${host}#`;
            case "config":
                return `${host}(config)#`;
            case "router":
                return `${host}(config-router)#`;
            case "router-af":
                // Quagga's prompt for an address family; ZebOS's is unconfirmed.
                return `${host}(config-router-af)#`;
        }
    }

    /** True in `ns(config)#` and below, where lines change configuration. */
    get inConfigMode(): boolean {
        return this.mode === "config" || this.mode === "router" || this.mode === "router-af";
    }

    get inVtysh(): boolean {
        return this.mode === "vtysh" || this.inConfigMode;
    }

    /**
     * Runs one input line in the current mode. What it changed reaches the routing engine before
     * it returns, unless `more` says further lines are already waiting: the last of them (or a
     * read of the engine) then applies them all at once.
     */
    async execute(line: string, options: { readonly more?: boolean } = {}): Promise<ShellReply> {
        const promptLength = this.prompt().length;
        let result: ShellReply;
        switch (this.mode) {
            case "nscli":
                result = await runNscliLine(this, line);
                break;
            case "confirm":
                result = runConfirmLine(this, line);
                break;
            case "freebsd":
                result = runFreebsdLine(this, line);
                break;
            default:
                result = await runVtyshLine(this, line, promptLength);
        }
        if (!options.more) await this.device.settleRouting();
        return result;
    }

    /** Ctrl-Z: from a vtysh configuration mode back to `ns#` (ZebOS prints nothing but the prompt). */
    controlZ(): ShellReply {
        if (this.inConfigMode) this.mode = "vtysh";
        return reply([]);
    }
}
