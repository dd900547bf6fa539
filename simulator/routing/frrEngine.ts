/**
 * A routing engine backed by a running FRRouting bgpd (with zebra): the simulator's BGP
 * configuration is applied to it through vtysh, and sessions and routes are read from it. With
 * real BGP speakers on the other end, `show ip bgp summary` and `show route` then report real
 * sessions and real learned routes.
 *
 * The engine starts no daemon: it is pointed at one (typically in a network namespace, so the
 * sessions stay inside it). It owns that daemon's default `router bgp` instance and one zebra
 * route-map; `close()` removes both.
 */
import { execFile } from "node:child_process";
import type { BgpRoute, BgpSessionStatus, RoutingConfig, RoutingEngine, RoutingFamily } from "./engine";
import { desiredFrrState, frrCommands, NO_ROUTE_INSTALL_MAP, parseFrrRunningConfig, type FrrState } from "./frrConfig";
import { routesFromFrr, sessionsFromFrr, type FrrBgpTableJson, type FrrRouteJson, type FrrSummaryJson } from "./frrState";

export interface FrrRoutingEngineOptions {
    /** Directory holding the daemons' vty sockets (`vtysh --vty_socket`). */
    readonly vtySocketDir: string;
    /** Network namespace the daemons run in; vtysh is run there (`ip netns exec`). Omit to run vtysh as is. */
    readonly netns?: string;
    /** Directory with the `vtysh.conf` to use (`vtysh --config_dir`). Default: vtysh's own (/etc/frr). */
    readonly configDir?: string;
    /** The vtysh program. Default `vtysh`. */
    readonly vtysh?: string;
    /** Bound on one vtysh run, in milliseconds. Default 15000. */
    readonly commandTimeoutMs?: number;
    /**
     * Seconds between FRR's connection attempts to a neighbor (`neighbor X timers connect N`).
     * FRR's default is 120 s; a lab sets a few seconds so sessions come back quickly after a
     * change. Default: FRR's.
     */
    readonly connectRetrySeconds?: number;
}

/** vtysh refused a line, or could not reach the daemons. */
export class FrrEngineError extends Error {
    constructor(
        message: string,
        /** The vtysh lines, passwords replaced by `<redacted>`. */
        readonly lines: readonly string[],
        readonly output: string,
    ) {
        super(message);
        this.name = "FrrEngineError";
    }
}

export class FrrRoutingEngine implements RoutingEngine {
    private config: RoutingConfig | null = null;
    private closed = false;

    constructor(private readonly options: FrrRoutingEngineOptions) {}

    async apply(config: RoutingConfig): Promise<void> {
        if (this.closed) throw new Error("the FRR routing engine is closed");
        this.config = config;
        await this.converge(desiredFrrState(config, connectRetry(this.options)));
    }

    async sessions(family: RoutingFamily = "ipv4"): Promise<readonly BgpSessionStatus[]> {
        const bgp = this.config?.bgp;
        if (!bgp || this.closed) return [];
        const neighbors = family === "ipv4" ? bgp.neighbors : bgp.neighbors.filter((n) => n.ipv6Active === true);
        return sessionsFromFrr(neighbors, await this.json<FrrSummaryJson>("show bgp summary json"), family);
    }

    /** IPv4 and IPv6 BGP routes of zebra's RIB. */
    async routes(): Promise<readonly BgpRoute[]> {
        if (!this.config?.bgp || this.closed) return [];
        const [rib, table, rib6, table6] = await Promise.all([
            this.json<FrrRouteJson>("show ip route json"),
            this.json<FrrBgpTableJson>("show bgp ipv4 unicast json"),
            this.json<FrrRouteJson>("show ipv6 route json"),
            this.json<FrrBgpTableJson>("show bgp ipv6 unicast json"),
        ]);
        return [...routesFromFrr(rib, table), ...routesFromFrr(rib6, table6)];
    }

    /** Removes the `router bgp` instance, the prefix lists and the route-install filter, leaving the daemons as they were before. */
    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        const current = parseFrrRunningConfig(await this.vtysh(["show running-config"]).catch(() => ""));
        const lines = frrCommands(current, { bgp: null, routeInstallBlocked: false, routeInstallBlockedIpv6: false, denyMapPresent: current.denyMapPresent, prefixLists: [] }).slice(1, -1);
        if (current.denyMapPresent) lines.push(`no route-map ${NO_ROUTE_INSTALL_MAP}`);
        if (lines.length > 0) await this.vtysh(["configure terminal", ...lines, "end"]).catch(() => undefined);
    }

    /**
     * The vtysh lines (passwords redacted) that would bring FRR back to the last applied
     * configuration: empty when FRR runs exactly what the simulator shows. For tests and
     * diagnostics (someone changed FRR behind the simulator's back).
     */
    async drift(): Promise<string[]> {
        if (!this.config) return [];
        const current = parseFrrRunningConfig(await this.vtysh(["show running-config"]));
        return redact(frrCommands(current, desiredFrrState(this.config, connectRetry(this.options))));
    }

    private async converge(desired: FrrState): Promise<void> {
        const current = parseFrrRunningConfig(await this.vtysh(["show running-config"]));
        const lines = frrCommands(current, desired);
        // vtysh exits non-zero when FRR refuses any of the lines; that rejects here.
        if (lines.length > 0) await this.vtysh(lines);
    }

    private async json<T>(command: string): Promise<T> {
        const out = await this.vtysh([command]);
        try {
            return JSON.parse(out) as T;
        } catch {
            throw new FrrEngineError(`"${command}" did not answer JSON: ${out.slice(0, 200)}`, [command], out);
        }
    }

    private vtysh(lines: readonly string[]): Promise<string> {
        const o = this.options;
        const args = ["--vty_socket", o.vtySocketDir, ...(o.configDir ? ["--config_dir", o.configDir] : [])];
        for (const l of lines) args.push("-c", l);
        const [cmd, argv] = o.netns ? ["ip", ["netns", "exec", o.netns, o.vtysh ?? "vtysh", ...args]] : [o.vtysh ?? "vtysh", args];
        return new Promise((resolve, reject) => {
            execFile(cmd, argv, { timeout: o.commandTimeoutMs ?? 15_000, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
                if (!err) return resolve(stdout);
                const output = redactOutput(`${stdout}${stderr}`.trim(), lines);
                reject(new FrrEngineError(`vtysh failed (${(err as NodeJS.ErrnoException).code ?? err.message}): ${output.slice(0, 500)}`, redact(lines), output));
            });
        });
    }
}

function connectRetry(o: FrrRoutingEngineOptions): { connectRetrySeconds?: number } {
    return o.connectRetrySeconds === undefined ? {} : { connectRetrySeconds: o.connectRetrySeconds };
}

/** vtysh echoes a refused line: take every password the lines carry out of its answer. */
function redactOutput(output: string, lines: readonly string[]): string {
    let out = output;
    for (const l of lines) {
        const m = /^(?:no )?neighbor \S+ password (.+)$/.exec(l);
        if (m) out = out.split(m[1]!).join("<redacted>");
    }
    return out;
}

function redact(lines: readonly string[]): string[] {
    return lines.map((l) => l.replace(/^((?:no )?neighbor \S+ password) .*/, "$1 <redacted>"));
}
