import { sortedByAddress } from "./model/addresses";
import { REDISTRIBUTE_SOURCES, ROUTE_INSTALL_KINDS } from "./model/zebos";
import { Device, SavedConfig } from "./model/device";
import { Shell } from "./session/shell";

/** One neighbor in {@link DeviceState}. */
export interface NeighborState {
    readonly address: string;
    readonly remoteAs: number;
    readonly description?: string;
    readonly password?: string;
    readonly updateSource?: string;
    readonly ebgpMultihop?: number;
}

/** The simulated appliance's configuration as data (a copy; changing it changes nothing). */
export interface DeviceState {
    /** Enabled features by acronym, in `show ns feature` order. */
    readonly enabledFeatures: readonly string[];
    /** `ns route-install` kinds, e.g. `["bgp"]`. */
    readonly routeInstall: readonly string[];
    /** True when nscli configuration changed since the last `save ns config`. */
    readonly nsConfigChanged: boolean;
    readonly bgp: null | {
        readonly asn: number;
        readonly routerId?: string;
        readonly maxPaths: { readonly ebgp?: number; readonly ibgp?: number };
        readonly redistribute: readonly string[];
        /** Sorted by address, as `show running-config` lists them. */
        readonly neighbors: readonly NeighborState[];
    };
}

/** A line the device refused when run through {@link DeviceControl.configure} or {@link DeviceControl.cli}. */
export class DeviceCommandError extends Error {
    constructor(
        readonly command: string,
        readonly reply: string,
    ) {
        super(`the simulated device refused "${command}": ${reply}`);
        this.name = "DeviceCommandError";
    }
}

/**
 * Direct access to the simulated appliance, behind the back of any SSH client: run commands as
 * another administrator would (drift), and read the configuration as text or data.
 */
export class DeviceControl {
    /** @internal */
    constructor(private readonly device: Device) {}

    /**
     * Runs one nscli line (`;` chains allowed) and returns what the device printed, lines joined
     * with `\n` (including ` Done`). Throws {@link DeviceCommandError} on `ERROR:`.
     */
    async cli(line: string): Promise<string> {
        const r = await new Shell(this.device).execute(line);
        const text = r.lines.join("\n");
        if (r.failed) throw new DeviceCommandError(line, text);
        return text;
    }

    /**
     * Runs lines in vtysh starting at `ns#` (include `configure terminal` to configure) and returns
     * everything printed, lines joined with `\n`. Never throws for `%` answers: they are output.
     */
    async vtysh(lines: string | readonly string[]): Promise<string> {
        const shell = new Shell(this.device);
        shell.mode = "vtysh";
        const out: string[] = [];
        try {
            for (const line of typeof lines === "string" ? [lines] : lines) {
                out.push(...(await shell.execute(line, { more: true })).lines);
                if ((shell.mode as string) === "nscli") break;
            }
        } finally {
            await this.device.settleRouting();
        }
        return out.join("\n");
    }

    /**
     * Runs configuration lines starting at `ns(config)#`, as the NITRO `routerdynamicrouting` apply
     * does: `router bgp N` enters its block, indentation is ignored, and a global line after the
     * block's lines (e.g. `ns route-install bgp`) leaves it. Throws
     * {@link DeviceCommandError} at the first line the device refuses; earlier lines stay applied.
     */
    async configure(lines: string | readonly string[]): Promise<void> {
        const shell = new Shell(this.device);
        shell.mode = "config";
        shell.parentModeFallback = true;
        try {
            for (const raw of typeof lines === "string" ? lines.split(/\r?\n/) : lines) {
                const line = raw.trim();
                const r = await shell.execute(line, { more: true });
                if (r.failed) throw new DeviceCommandError(line, r.lines.filter((l) => l.trim() !== "^").join("\n"));
            }
        } finally {
            await this.device.settleRouting();
        }
    }

    /** `show running-config` as the device prints it, lines joined with `\n`. */
    runningConfig(): string {
        return this.device.runningConfig().join("\n");
    }

    /** The running configuration: enabled features and the ZebOS text. */
    running(): SavedConfig {
        return this.device.running();
    }

    /** The saved configuration (`save ns config` for features, vtysh `write` for ZebOS). */
    saved(): SavedConfig {
        return this.device.saved();
    }

    /** The configuration as data. */
    state(): DeviceState {
        const d = this.device;
        const bgp = d.zebos.bgp;
        return {
            enabledFeatures: d.enabledFeatures(),
            routeInstall: ROUTE_INSTALL_KINDS.filter((k) => d.zebos.routeInstall.has(k)),
            nsConfigChanged: d.nsConfigChanged,
            bgp: bgp && {
                asn: bgp.asn,
                ...(bgp.routerId !== undefined ? { routerId: bgp.routerId } : {}),
                maxPaths: d.maxPaths(),
                redistribute: REDISTRIBUTE_SOURCES.filter((r) => bgp.redistribute.has(r)),
                neighbors: sortedByAddress(bgp.neighbors.values(), (n) => n.address).map((n) => ({ ...n })),
            },
        };
    }
}
