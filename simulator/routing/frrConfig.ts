/**
 * The simulated appliance's routing configuration, translated to FRRouting (bgpd/zebra) and
 * diffed against what FRR runs, as vtysh lines. Pure: no I/O.
 *
 * Where FRR needs more than the NetScaler (ZebOS) commands say, the translation adds it:
 * - `no bgp ebgp-requires-policy`: FRR (since 7.4, RFC 8212) neither accepts nor sends eBGP routes
 *   without a route-map; ZebOS does, and the Calico peering is eBGP.
 * - IPv4 unicast activation: left to FRR's `bgp default ipv4-unicast` (its default), which
 *   activates a neighbor in the same step that creates it. Activating afterwards (`no bgp default
 *   ipv4-unicast`, then `neighbor X activate` under `address-family ipv4 unicast`) leaves a window
 *   in which bgpd already sends its first OPEN without IPv4 unicast; the lab caught sessions
 *   coming up Established but `NoNeg`, exchanging no routes. A `no bgp default ipv4-unicast` found
 *   in FRR is therefore removed.
 * - `max-paths ebgp|ibgp N` (ZebOS, router level) is `maximum-paths [ibgp] N` in FRR's IPv4
 *   address family; `redistribute X` also moves there.
 * - `ns route-install bgp` has no FRR command: the NetScaler packet engine's routing table is
 *   modelled by the ADC namespace's kernel table, which zebra fills. Without route-install, a
 *   zebra filter (`ip protocol bgp route-map <deny>`) keeps BGP routes out of the kernel; they
 *   stay in the RIB (`show ip route`), as they stay in ZebOS's.
 * - A neighbor's `prefix-list` and `maximum-prefix` (router level in ZebOS) belong to FRR's IPv4
 *   address family; `ip prefix-list` lines are global in both, written as ZebOS stores them
 *   (`ge N le 32` kept as `ge N`, as Quagga and FRR do).
 * - `ipv6 prefix-list` lines are global too, and written the same way; a neighbor's `prefix-list`
 *   under ZebOS's `address-family ipv6` goes under FRR's `address-family ipv6 unicast`, after the
 *   neighbor's `activate`.
 * - IPv6 unicast: a neighbor activated under ZebOS's `address-family ipv6` is activated under
 *   FRR's `address-family ipv6 unicast`; `ns route-install ipv6 bgp` lifts the same zebra filter
 *   for IPv6 (`ipv6 protocol bgp route-map <deny>`). IPv4 unicast activation of IPv6 neighbors
 *   stays FRR's default, as ZebOS's (`bgp default ipv4-unicast`): BIRD6 offers IPv6 alone, so
 *   the session negotiates IPv6 unicast only.
 * - `neighbor X update-source <interface name>`: the appliance's interface names (`vlan0`) do
 *   not exist in the namespace; its only interface carries the interface address, so the name
 *   becomes that address.
 */
import type { RoutingConfig } from "./engine";

/** zebra route-map that keeps BGP routes out of the kernel table while route-install is off. */
export const NO_ROUTE_INSTALL_MAP = "NS-NO-ROUTE-INSTALL";

/** One `router bgp` block as FRR prints it: router-level lines and the IPv4 and IPv6 unicast address-family lines. */
export interface FrrBgpBlock {
    readonly asn: number;
    readonly router: readonly string[];
    readonly ipv4: readonly string[];
    readonly ipv6: readonly string[];
}

/** The part of FRR's configuration the engine owns. */
export interface FrrState {
    readonly bgp: FrrBgpBlock | null;
    /** True when BGP routes are kept out of the kernel table (route-install off). */
    readonly routeInstallBlocked: boolean;
    /** The same for IPv6 BGP routes (`ns route-install ipv6 bgp` off). */
    readonly routeInstallBlockedIpv6: boolean;
    /** True when the deny route-map the block relies on exists. */
    readonly denyMapPresent: boolean;
    /** `ip prefix-list` and `ipv6 prefix-list` lines, as FRR prints them. */
    readonly prefixLists: readonly string[];
}

export interface TranslateOptions {
    /**
     * `neighbor X timers connect N` for every neighbor. FRR retries a failed connection every
     * 120 s by default; a lab wants seconds. Undefined = FRR's default.
     */
    readonly connectRetrySeconds?: number;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** What FRR should run for `config`. */
export function desiredFrrState(config: RoutingConfig, options: TranslateOptions = {}): FrrState {
    const routeInstallBlocked = !config.routeInstall.includes("bgp");
    const routeInstallBlockedIpv6 = !config.routeInstall.includes("ipv6 bgp");
    const denyMapPresent = routeInstallBlocked || routeInstallBlockedIpv6;
    const prefixLists = [...prefixListLines("ip", config.prefixLists), ...prefixListLines("ipv6", config.ipv6PrefixLists)];
    const bgp = config.bgp;
    if (!bgp) return { bgp: null, routeInstallBlocked, routeInstallBlockedIpv6, denyMapPresent, prefixLists };
    const ownAddress = config.interfaceAddress.split("/")[0]!;
    const router = [`bgp router-id ${bgp.routerId}`, "no bgp ebgp-requires-policy"];
    const ipv4: string[] = [];
    const ipv6: string[] = [];
    for (const source of bgp.redistribute) ipv4.push(`redistribute ${source}`);
    for (const n of bgp.neighbors) {
        router.push(`neighbor ${n.address} remote-as ${n.remoteAs}`);
        if (n.description !== undefined) router.push(`neighbor ${n.address} description ${n.description}`);
        if (n.password !== undefined) router.push(`neighbor ${n.address} password ${n.password}`);
        // FRR accepts but does not keep ebgp-multihop with a TTL of 1 (single hop, its default)
        // or on an iBGP neighbor (iBGP is multihop anyway): leave those out so the diff settles.
        if (n.ebgpMultihop !== undefined && n.ebgpMultihop > 1 && n.remoteAs !== bgp.asn) router.push(`neighbor ${n.address} ebgp-multihop ${n.ebgpMultihop}`);
        if (n.updateSource !== undefined) {
            router.push(`neighbor ${n.address} update-source ${IPV4.test(n.updateSource) || n.updateSource.includes(":") ? n.updateSource : ownAddress}`);
        }
        if (options.connectRetrySeconds !== undefined) router.push(`neighbor ${n.address} timers connect ${options.connectRetrySeconds}`);
        if (n.prefixListIn !== undefined) ipv4.push(`neighbor ${n.address} prefix-list ${n.prefixListIn} in`);
        if (n.prefixListOut !== undefined) ipv4.push(`neighbor ${n.address} prefix-list ${n.prefixListOut} out`);
        const m = n.maximumPrefix;
        if (n.ipv6Active === true) ipv6.push(`neighbor ${n.address} activate`);
        if (n.ipv6PrefixListIn !== undefined) ipv6.push(`neighbor ${n.address} prefix-list ${n.ipv6PrefixListIn} in`);
        if (n.ipv6PrefixListOut !== undefined) ipv6.push(`neighbor ${n.address} prefix-list ${n.ipv6PrefixListOut} out`);
        if (m !== undefined) ipv4.push(`neighbor ${n.address} maximum-prefix ${m.limit}${m.threshold !== undefined ? ` ${m.threshold}` : ""}${m.warningOnly ? " warning-only" : ""}`);
    }
    if (bgp.maxPaths.ebgp !== undefined) ipv4.push(`maximum-paths ${bgp.maxPaths.ebgp}`);
    if (bgp.maxPaths.ibgp !== undefined) ipv4.push(`maximum-paths ibgp ${bgp.maxPaths.ibgp}`);
    return { bgp: { asn: bgp.asn, router, ipv4, ipv6 }, routeInstallBlocked, routeInstallBlockedIpv6, denyMapPresent, prefixLists };
}

function prefixListLines(family: "ip" | "ipv6", lists: RoutingConfig["prefixLists"]): string[] {
    return lists.flatMap((l) =>
        l.entries.map((e) => `${family} prefix-list ${l.name} seq ${e.seq} ${e.action} ${e.prefix}${e.ge !== undefined ? ` ge ${e.ge}` : ""}${e.le !== undefined ? ` le ${e.le}` : ""}`),
    );
}

/** Reads the engine-owned parts out of FRR's `show running-config`. */
export function parseFrrRunningConfig(text: string): FrrState {
    let bgp: { asn: number; router: string[]; ipv4: string[]; ipv6: string[] } | null = null;
    let routeInstallBlocked = false;
    let routeInstallBlockedIpv6 = false;
    let denyMapPresent = false;
    const prefixLists: string[] = [];
    let block: "none" | "router" | "ipv4" | "ipv6" | "other-af" = "none";
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trimEnd();
        const top = /^\S/.test(line);
        if (top) {
            block = "none";
            const m = /^router bgp (\d+)$/.exec(line);
            if (m) {
                // A second instance (`router bgp N vrf X`) does not match and is left alone.
                bgp = { asn: Number(m[1]), router: [], ipv4: [], ipv6: [] };
                block = "router";
            } else if (line === `ip protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`) {
                routeInstallBlocked = true;
            } else if (line === `ipv6 protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`) {
                routeInstallBlockedIpv6 = true;
            } else if (new RegExp(`^route-map ${NO_ROUTE_INSTALL_MAP} deny 10$`).test(line)) {
                denyMapPresent = true;
            } else if (line.startsWith("ip prefix-list ") || line.startsWith("ipv6 prefix-list ")) {
                prefixLists.push(line);
            }
            continue;
        }
        if (block === "none" || !bgp) continue;
        const t = line.trim();
        if (t === "" || t === "!") continue;
        if (t === "exit-address-family") {
            block = "router";
            continue;
        }
        const af = /^address-family (\S+)(?: (\S+))?$/.exec(t);
        if (af) {
            const unicast = (af[2] ?? "unicast") === "unicast";
            block = af[1] === "ipv4" && unicast ? "ipv4" : af[1] === "ipv6" && unicast ? "ipv6" : "other-af";
            continue;
        }
        if (block === "router") bgp.router.push(t);
        else if (block === "ipv4") bgp.ipv4.push(t);
        else if (block === "ipv6") bgp.ipv6.push(t);
    }
    return { bgp, routeInstallBlocked, routeInstallBlockedIpv6, denyMapPresent, prefixLists };
}

/** Lines that replace each other: setting one with another value needs no `no` first. */
function settingKey(line: string): string | undefined {
    const list = /^neighbor (\S+) prefix-list \S+ (in|out)$/.exec(line);
    if (list) return `neighbor ${list[1]} prefix-list ${list[2]}`;
    const m =
        /^(bgp router-id) /.exec(line) ??
        /^(neighbor \S+ (?:remote-as|description|password|ebgp-multihop|update-source|timers connect|maximum-prefix)) /.exec(line) ??
        /^(maximum-paths ibgp) /.exec(line) ??
        /^(maximum-paths) \d+$/.exec(line);
    return m?.[1];
}

function neighborOf(line: string): string | undefined {
    return /^neighbor (\S+) /.exec(line)?.[1];
}

function neighborsIn(lines: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const l of lines) {
        const m = /^neighbor (\S+) remote-as /.exec(l);
        if (m) out.add(m[1]!);
    }
    return out;
}

/** `no` lines for what `current` has and `desired` lacks, then the lines `desired` adds. */
function diffSection(current: readonly string[], desired: readonly string[], removedNeighbors: ReadonlySet<string>): string[] {
    const want = new Set(desired);
    const have = new Set(current);
    const desiredKeys = new Set(desired.map(settingKey).filter((k): k is string => k !== undefined));
    const out: string[] = [];
    for (const l of current) {
        if (want.has(l)) continue;
        const n = neighborOf(l);
        if (n && removedNeighbors.has(n)) continue;
        const key = settingKey(l);
        if (key && desiredKeys.has(key)) continue;
        out.push(l.startsWith("no ") ? l.slice(3) : `no ${l}`);
    }
    // remote-as creates the neighbor: it goes before the neighbor's other settings.
    const additions = desired.filter((l) => !have.has(l));
    additions.sort((a, b) => Number(!/ remote-as /.test(a)) - Number(!/ remote-as /.test(b)));
    return [...out, ...additions];
}

/**
 * The vtysh lines (from `configure terminal` on) that turn `current` into `desired`; empty when
 * nothing changes.
 */
export function frrCommands(current: FrrState, desired: FrrState): string[] {
    const cmds: string[] = [];
    if (desired.denyMapPresent && !current.denyMapPresent) cmds.push(`route-map ${NO_ROUTE_INSTALL_MAP} deny 10`, "exit");
    if (desired.routeInstallBlocked && !current.routeInstallBlocked) cmds.push(`ip protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`);
    if (!desired.routeInstallBlocked && current.routeInstallBlocked) cmds.push(`no ip protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`);
    if (desired.routeInstallBlockedIpv6 && !current.routeInstallBlockedIpv6) cmds.push(`ipv6 protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`);
    if (!desired.routeInstallBlockedIpv6 && current.routeInstallBlockedIpv6) cmds.push(`no ipv6 protocol bgp route-map ${NO_ROUTE_INSTALL_MAP}`);
    // Entries go before they are added, so a number reused for another rule is replaced cleanly.
    const wantLists = new Set(desired.prefixLists);
    const haveLists = new Set(current.prefixLists);
    cmds.push(...current.prefixLists.filter((l) => !wantLists.has(l)).map((l) => `no ${l}`));
    cmds.push(...desired.prefixLists.filter((l) => !haveLists.has(l)));

    let cur = current.bgp;
    const want = desired.bgp;
    if (cur && (!want || want.asn !== cur.asn)) {
        cmds.push(`no router bgp ${cur.asn}`);
        cur = null;
    }
    if (want) {
        const curRouter = cur?.router ?? [];
        const curIpv4 = cur?.ipv4 ?? [];
        const wanted = neighborsIn(want.router);
        const removed = new Set([...neighborsIn(curRouter)].filter((n) => !wanted.has(n)));
        const router = [...[...removed].map((n) => `no neighbor ${n}`), ...diffSection(curRouter, want.router, removed)];
        // Activation is implicit (see the top of this file): never deactivate, and activate
        // explicitly where an earlier `no bgp default ipv4-unicast` left neighbors inactive.
        const explicitActivation = curRouter.includes("no bgp default ipv4-unicast");
        const ipv4 = diffSection(
            curIpv4.filter((l) => !/^neighbor \S+ activate$/.test(l)),
            want.ipv4,
            removed,
        );
        if (explicitActivation) ipv4.push(...[...wanted].map((n) => `neighbor ${n} activate`));
        // IPv6 activation is explicit in both: the lines are diffed like any other.
        const ipv6 = diffSection(cur?.ipv6 ?? [], want.ipv6, removed);
        if (!cur || router.length > 0 || ipv4.length > 0 || ipv6.length > 0) {
            cmds.push(`router bgp ${want.asn}`, ...router);
            if (ipv4.length > 0) cmds.push("address-family ipv4 unicast", ...ipv4, "exit-address-family");
            if (ipv6.length > 0) cmds.push("address-family ipv6 unicast", ...ipv6, "exit-address-family");
            cmds.push("exit");
        }
    }
    return cmds.length === 0 ? [] : ["configure terminal", ...cmds, "end"];
}
