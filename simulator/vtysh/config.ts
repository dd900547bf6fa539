import { Args, CommandTable } from "../grammar/commandTable";
import { canonicalAddress } from "../model/addresses";
import { BgpRouterConfig, NeighborConfig, newBgpRouter, RedistributeSource, RouteInstallKind } from "../model/zebos";
import { Shell } from "../session/shell";
import { VtyshCommand } from "./processor";
import { NO_BGP_INSTANCE } from "./show";

type Table = CommandTable<VtyshCommand>;
const cfg = (run: VtyshCommand["run"]): VtyshCommand => ({ run, config: true });

/** Assumption: Quagga/FRR's text (`bgpd/bgp_vty.c`) with ZebOS's `% ` prefix. */
const alreadyRunning = (asn: number) => `% BGP is already running; AS is ${asn}`;
const NO_SUCH_INSTANCE = "% Can't find BGP instance";
const SPECIFY_REMOTE_AS = "% Specify remote-as or peer-group commands first";

/** `ns(config)#`: the BGP instance and the global `ns route-install` settings. */
export function configCommands(t: Table): Table {
    return t
        .add(
            "router bgp <asn:asn>",
            cfg((shell, a) => {
                const device = shell.device;
                // Assumption: with the feature off bgpd does not run, so ZebOS refuses `router bgp`;
                // the text is the `bgpNotEnabledError` option.
                if (!device.bgpConfigurable) return [device.settings.bgpNotEnabledError];
                const asn = Number(a.req("asn"));
                const current = device.zebos.bgp;
                if (current && current.asn !== asn) return [alreadyRunning(current.asn)];
                if (!current) {
                    device.zebos.bgp = newBgpRouter(asn);
                    device.changed();
                }
                shell.mode = "router";
                shell.routerAsn = asn;
                return [];
            }),
        )
        .add(
            "no router bgp <asn:asn>",
            cfg((shell, a) => {
                const device = shell.device;
                if (!device.bgpConfigurable) return [device.settings.bgpNotEnabledError];
                if (device.zebos.bgp?.asn !== Number(a.req("asn"))) return [NO_SUCH_INSTANCE];
                device.zebos.bgp = null;
                device.changed();
                return [];
            }),
        )
        .add("ns route-install {kind:default|bgp|ospf|rip|isis}", cfg((shell, a) => setRouteInstall(shell, a.req("kind") as RouteInstallKind, true)))
        .add("no ns route-install {kind:default|bgp|ospf|rip|isis}", cfg((shell, a) => setRouteInstall(shell, a.req("kind") as RouteInstallKind, false)));
}

/** `ns(config)#`: the IPv6 variants of `ns route-install` (their spelling is unconfirmed: the `ipv6RouteInstallSupport` option). */
export function ipv6RouteInstallCommands(t: Table): Table {
    return t
        .add("ns route-install ipv6 {kind:default|bgp|ospf|rip|isis}", cfg((shell, a) => setRouteInstall(shell, `ipv6 ${a.req("kind")}` as RouteInstallKind, true)))
        .add("no ns route-install ipv6 {kind:default|bgp|ospf|rip|isis}", cfg((shell, a) => setRouteInstall(shell, `ipv6 ${a.req("kind")}` as RouteInstallKind, false)));
}

/**
 * `ns(config-router)#` → `ns(config-router-af)#`: the IPv6 unicast address family, in both of
 * Quagga's spellings. Other families are unknown commands (only IPv6 unicast is modelled).
 */
export function addressFamilyEnterCommands(t: Table): Table {
    // Entering a mode changes no configuration.
    const enter: VtyshCommand = {
        config: false,
        run: (shell) => {
            const router = shell.device.zebos.bgp;
            if (!router || router.asn !== shell.routerAsn || !shell.device.bgpConfigurable) return [NO_BGP_INSTANCE];
            shell.mode = "router-af";
            return [];
        },
    };
    return t.add("address-family ipv6", enter).add("address-family ipv6 unicast", enter);
}

/** `ns(config-router-af)#` under `address-family ipv6`: activation, and leaving the section. */
export function addressFamilyCommands(t: Table): Table {
    const activate = (on: boolean) =>
        onNeighbor((n) => {
            if (on) n.ipv6Active = true;
            else delete n.ipv6Active;
        });
    return t
        .add("neighbor <peer:word> activate", activate(true))
        .add("no neighbor <peer:word> activate", activate(false))
        .add("exit-address-family", {
            config: false,
            run: (shell) => {
                shell.mode = "router";
                return [];
            },
        });
}

function setRouteInstall(shell: Shell, kind: RouteInstallKind, on: boolean): string[] {
    const set = shell.device.zebos.routeInstall;
    if (set.has(kind) !== on) {
        if (on) set.add(kind);
        else set.delete(kind);
        shell.device.changed();
    }
    return [];
}

/** Runs `fn` on the router this session entered; it may have been removed meanwhile by another session. */
function onRouter(fn: (router: BgpRouterConfig, shell: Shell, a: Args) => string[] | void): VtyshCommand {
    return cfg((shell, a) => {
        const router = shell.device.zebos.bgp;
        if (!router || router.asn !== shell.routerAsn || !shell.device.bgpConfigurable) return [NO_BGP_INSTANCE];
        const out = fn(router, shell, a) ?? [];
        if (out.length === 0) shell.device.changed();
        return out;
    });
}

/** Runs `fn` on an existing neighbor (any spelling of its address). */
function onNeighbor(fn: (n: NeighborConfig, router: BgpRouterConfig, a: Args) => string[] | void): VtyshCommand {
    return onRouter((router, _shell, a) => {
        const peer = a.req("peer");
        const address = canonicalAddress(peer);
        if (!address) return [malformed(peer)];
        const n = router.neighbors.get(address);
        if (!n) return [SPECIFY_REMOTE_AS];
        return fn(n, router, a) ?? [];
    });
}

const malformed = (peer: string) => `% Malformed address: ${peer}`;

/** `ns(config-router)#`: the BGP instance's settings and neighbors. */
export function routerCommands(t: Table): Table {
    return t
        .add(
            "bgp router-id <id:ipv4>",
            onRouter((r, _s, a) => {
                r.routerId = a.req("id");
            }),
        )
        .add(
            "no bgp router-id [<id:ipv4>]",
            onRouter((r, _s, a) => {
                const id = a.get("id");
                if (id !== undefined && id !== r.routerId) return ["% BGP router-id doesn't match"];
                delete r.routerId;
                return;
            }),
        )
        .add(
            // Assumption: the restart-time form and its range (ZebOS on F5 shows restart-time 120).
            "bgp graceful-restart [restart-time <secs:1-4095>]",
            onRouter((r, _s, a) => {
                const secs = a.get("secs");
                r.gracefulRestart = secs !== undefined ? { restartTime: Number(secs) } : {};
            }),
        )
        .add(
            "no bgp graceful-restart [restart-time <secs:1-4095>]",
            onRouter((r) => {
                delete r.gracefulRestart;
            }),
        )
        .add(
            // Assumption: the range (ZebOS documents max-paths without one on NetScaler).
            "max-paths {type:ebgp|ibgp} <n:1-64>",
            onRouter((r, _s, a) => {
                r.maxPaths[a.req("type") as "ebgp" | "ibgp"] = Number(a.req("n"));
            }),
        )
        .add(
            "no max-paths {type:ebgp|ibgp} [<n:1-64>]",
            onRouter((r, _s, a) => {
                delete r.maxPaths[a.req("type") as "ebgp" | "ibgp"];
            }),
        )
        .add(
            "redistribute {source:kernel|static|connected}",
            onRouter((r, _s, a) => {
                r.redistribute.add(a.req("source") as RedistributeSource);
            }),
        )
        .add(
            "no redistribute {source:kernel|static|connected}",
            onRouter((r, _s, a) => {
                r.redistribute.delete(a.req("source") as RedistributeSource);
            }),
        )
        .add(
            "neighbor <peer:word> remote-as <remote:asn>",
            onRouter((r, _s, a) => {
                const peer = a.req("peer");
                const address = canonicalAddress(peer);
                if (!address && !r.peerGroups.has(peer)) return [malformed(peer)];
                const remoteAs = Number(a.req("remote"));
                const group = r.peerGroups.get(peer);
                if (!address) {
                    group!.remoteAs = remoteAs;
                    for (const m of r.neighbors.values()) if (m.peerGroup === peer) m.remoteAs = remoteAs;
                    return;
                }
                const existing = r.neighbors.get(address);
                if (existing) existing.remoteAs = remoteAs;
                else r.neighbors.set(address, { address, remoteAs });
                return;
            }),
        )
        .add(
            // `neighbor G peer-group` declares a group; `neighbor X peer-group G` makes X a member.
            "neighbor <peer:word> peer-group [<group:word>]",
            onRouter((r, _s, a) => {
                const peer = a.req("peer");
                const name = a.get("group");
                if (name === undefined) {
                    if (canonicalAddress(peer)) return [malformed(peer)];
                    if (!r.peerGroups.has(peer)) r.peerGroups.set(peer, {});
                    return;
                }
                const address = canonicalAddress(peer);
                if (!address) return [malformed(peer)];
                const group = r.peerGroups.get(name);
                if (!group) return ["% Specify remote-as or peer-group commands first"];
                const existing = r.neighbors.get(address);
                if (existing) existing.peerGroup = name;
                else r.neighbors.set(address, { address, remoteAs: group.remoteAs ?? 0, peerGroup: name });
                return;
            }),
        )
        .add(
            "neighbor <peer:word> description <text:line>",
            onNeighbor((n, _r, a) => {
                n.description = a.req("text");
            }),
        )
        .add(
            "neighbor <peer:word> password <password:word>",
            onNeighbor((n, _r, a) => {
                n.password = a.req("password");
            }),
        )
        .add(
            "neighbor <peer:word> update-source <source:word>",
            onNeighbor((n, _r, a) => {
                n.updateSource = a.req("source");
            }),
        )
        .add(
            "neighbor <peer:word> ebgp-multihop [<ttl:1-255>]",
            onNeighbor((n, _r, a) => {
                n.ebgpMultihop = Number(a.get("ttl") ?? 255);
            }),
        )
        .add(
            // Quagga removes an unknown neighbor silently; assumed the same on ZebOS.
            "no neighbor <peer:word> [remote-as <remote:asn>]",
            onRouter((r, _s, a) => {
                const peer = a.req("peer");
                const address = canonicalAddress(peer);
                if (!address) return [malformed(peer)];
                r.neighbors.delete(address);
                return;
            }),
        )
        .add(
            "no neighbor <peer:word> description [<text:line>]",
            onNeighbor((n) => {
                delete n.description;
            }),
        )
        .add(
            "no neighbor <peer:word> password [<password:word>]",
            onNeighbor((n) => {
                delete n.password;
            }),
        )
        .add(
            "no neighbor <peer:word> update-source [<source:word>]",
            onNeighbor((n) => {
                delete n.updateSource;
            }),
        )
        .add(
            "no neighbor <peer:word> ebgp-multihop [<ttl:1-255>]",
            onNeighbor((n) => {
                delete n.ebgpMultihop;
            }),
        );
}
