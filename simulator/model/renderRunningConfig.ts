import { createHash } from "node:crypto";
import { sortedByAddress } from "./addresses";
import { effectiveMaxPaths, MaximumPrefix, PrefixListEntry, ROUTE_INSTALL_KINDS, REDISTRIBUTE_SOURCES, ZebosConfig } from "./zebos";

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
    /**
     * The ` address-family ipv6` section (printed when a neighbor is activated in it), its lines
     * as deep as its head as ZebOS on F5 BIG-IP prints it: after an inner ` !`, and ended by
     * ` exit-address-family` (each unconfirmed on NetScaler).
     */
    readonly ipv6Section: { readonly innerSeparator: boolean; readonly exitLine: boolean };
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
    // Assumption: global prefix lists before `router bgp`, as in the one NetScaler configuration
    // that shows them (Quagga prints them after the routing blocks); one `!` after each list.
    for (const [name, entries] of [...config.prefixLists].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        for (const e of entries) lines.push(prefixListLine(name, e));
        lines.push("!");
    }
    // Quagga prints the IPv6 lists after the IPv4 ones, in the same form.
    for (const [name, entries] of [...config.ipv6PrefixLists].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        for (const e of entries) lines.push(`ipv6${prefixListLine(name, e).slice("ip".length)}`);
        lines.push("!");
    }
    const bgp = config.bgp;
    if (bgp) {
        lines.push(`router bgp ${bgp.asn}`);
        if (bgp.routerId !== undefined) lines.push(` bgp router-id ${bgp.routerId}`);
        if (bgp.gracefulRestart !== undefined) lines.push(` bgp graceful-restart${bgp.gracefulRestart.restartTime !== undefined ? ` restart-time ${bgp.gracefulRestart.restartTime}` : ""}`);
        const maxPaths = effectiveMaxPaths(bgp, options.defaultMaxPaths);
        if (maxPaths.ebgp !== undefined) lines.push(` max-paths ebgp ${maxPaths.ebgp}`);
        if (maxPaths.ibgp !== undefined) lines.push(` max-paths ibgp ${maxPaths.ibgp}`);
        for (const source of REDISTRIBUTE_SOURCES) if (bgp.redistribute.has(source)) lines.push(` redistribute ${source}`);
        for (const [name, g] of bgp.peerGroups) {
            lines.push(` neighbor ${name} peer-group`);
            if (g.remoteAs !== undefined) lines.push(` neighbor ${name} remote-as ${g.remoteAs}`);
        }
        const neighbors = sortedByAddress(bgp.neighbors.values(), (n) => n.address);
        for (const n of neighbors) {
            const p = ` neighbor ${n.address}`;
            lines.push(n.peerGroup !== undefined ? `${p} peer-group ${n.peerGroup}` : `${p} remote-as ${n.remoteAs}`);
            if (n.description !== undefined) lines.push(`${p} description ${n.description}`);
            if (n.password !== undefined) lines.push(`${p} password ${displayPassword(n.password, options.passwordDisplay)}`);
            if (n.updateSource !== undefined) lines.push(`${p} update-source ${n.updateSource}`);
            if (n.ebgpMultihop !== undefined) lines.push(`${p} ebgp-multihop ${n.ebgpMultihop}`);
            if (n.prefixListIn !== undefined) lines.push(`${p} prefix-list ${n.prefixListIn} in`);
            if (n.prefixListOut !== undefined) lines.push(`${p} prefix-list ${n.prefixListOut} out`);
            if (n.routeMapIn !== undefined) lines.push(`${p} route-map ${n.routeMapIn} in`);
            if (n.routeMapOut !== undefined) lines.push(`${p} route-map ${n.routeMapOut} out`);
            if (n.maximumPrefix !== undefined) lines.push(`${p} ${maximumPrefixWords(n.maximumPrefix)}`);
        }
        const active = neighbors.filter((n) => n.ipv6Active === true || n.ipv6PrefixListIn !== undefined || n.ipv6PrefixListOut !== undefined);
        if (active.length > 0) {
            if (options.ipv6Section.innerSeparator) lines.push(" !");
            lines.push(" address-family ipv6");
            for (const n of active) {
                if (n.ipv6Active === true) lines.push(` neighbor ${n.address} activate`);
                if (n.ipv6PrefixListIn !== undefined) lines.push(` neighbor ${n.address} prefix-list ${n.ipv6PrefixListIn} in`);
                if (n.ipv6PrefixListOut !== undefined) lines.push(` neighbor ${n.address} prefix-list ${n.ipv6PrefixListOut} out`);
            }
            if (options.ipv6Section.exitLine) lines.push(" exit-address-family");
        }
        lines.push("!");
    }
    lines.push("end");
    return lines;
}

/** `ip prefix-list NAME seq 5 permit 192.168.0.0/16 ge 26`, as Quagga writes an entry. */
export function prefixListLine(name: string, e: PrefixListEntry): string {
    return `ip prefix-list ${name} seq ${e.seq} ${e.action} ${e.prefix}${e.ge !== undefined ? ` ge ${e.ge}` : ""}${e.le !== undefined ? ` le ${e.le}` : ""}`;
}

/** `maximum-prefix 1024 [80] [warning-only]`. */
export function maximumPrefixWords(m: MaximumPrefix): string {
    return `maximum-prefix ${m.limit}${m.threshold !== undefined ? ` ${m.threshold}` : ""}${m.warningOnly ? " warning-only" : ""}`;
}

/**
 * The `encrypted` form is an assumption (no NetScaler sample shows one): `8 <hex>`, a stable
 * digest of the password, so a client can tell that it cannot compare it with its input.
 */
function displayPassword(password: string, mode: "clear" | "encrypted"): string {
    if (mode === "clear") return password;
    return `8 ${createHash("sha256").update(`zebos:${password}`).digest("hex").slice(0, 32)}`;
}
