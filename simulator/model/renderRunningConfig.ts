import { createHash } from "node:crypto";
import { compareAddresses } from "./addresses";
import { effectiveMaxPaths, ROUTE_INSTALL_KINDS, REDISTRIBUTE_SOURCES, ZebosConfig } from "./zebos";

/** An interface block of the running config (`interface lo0`, `interface vlan0`). */
export interface InterfaceConfig {
    readonly name: string;
    readonly lines: readonly string[];
}

export interface RenderOptions {
    readonly interfaces: readonly InterfaceConfig[];
    /** max-paths a router has unless configured otherwise (displayed), or null. */
    readonly defaultMaxPaths: number | null;
    /** `clear` prints neighbor passwords as typed (ZebOS does); `encrypted` prints a hashed form. */
    readonly passwordDisplay: "clear" | "encrypted";
}

/**
 * `show running-config` in the layout of NetScaler's ZebOS: `!` separators, the `log` head,
 * global `ns route-install` lines, interface blocks, the `router bgp` block with one-space
 * indentation, and `end`.
 *
 * Inside `router bgp`, the order is router-id, max-paths, redistribute, then each neighbor
 * (sorted by address, as Quagga/ZebOS keep their peer list) with remote-as first and its other
 * settings after it.
 */
export function renderRunningConfig(config: ZebosConfig, options: RenderOptions): string[] {
    const lines = ["!", "log syslog", "log record-priority", "!"];
    const installs = ROUTE_INSTALL_KINDS.filter((k) => config.routeInstall.has(k));
    if (installs.length > 0) {
        for (const kind of installs) lines.push(`ns route-install ${kind}`);
        lines.push("!");
    }
    for (const iface of options.interfaces) {
        lines.push(`interface ${iface.name}`, ...iface.lines.map((l) => ` ${l}`), "!");
    }
    const bgp = config.bgp;
    if (bgp) {
        lines.push(`router bgp ${bgp.asn}`);
        if (bgp.routerId !== undefined) lines.push(` bgp router-id ${bgp.routerId}`);
        const maxPaths = effectiveMaxPaths(bgp, options.defaultMaxPaths);
        if (maxPaths.ebgp !== undefined) lines.push(` max-paths ebgp ${maxPaths.ebgp}`);
        if (maxPaths.ibgp !== undefined) lines.push(` max-paths ibgp ${maxPaths.ibgp}`);
        for (const source of REDISTRIBUTE_SOURCES) if (bgp.redistribute.has(source)) lines.push(` redistribute ${source}`);
        const neighbors = [...bgp.neighbors.values()].sort((a, b) => compareAddresses(a.address, b.address));
        for (const n of neighbors) {
            const p = ` neighbor ${n.address}`;
            lines.push(`${p} remote-as ${n.remoteAs}`);
            if (n.description !== undefined) lines.push(`${p} description ${n.description}`);
            if (n.password !== undefined) lines.push(`${p} password ${displayPassword(n.password, options.passwordDisplay)}`);
            if (n.updateSource !== undefined) lines.push(`${p} update-source ${n.updateSource}`);
            if (n.ebgpMultihop !== undefined) lines.push(`${p} ebgp-multihop ${n.ebgpMultihop}`);
        }
        lines.push("!");
    }
    lines.push("end");
    return lines;
}

/**
 * The `encrypted` form is an assumption (no NetScaler sample shows one): `8 <hex>`, a stable
 * digest of the password, so a client can tell that it cannot compare it with its input.
 */
function displayPassword(password: string, mode: "clear" | "encrypted"): string {
    if (mode === "clear") return password;
    return `8 ${createHash("sha256").update(`zebos:${password}`).digest("hex").slice(0, 32)}`;
}
