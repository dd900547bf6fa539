/**
 * `show running-config` (vtysh) → {@link RunningConfig}: the BGP reading of the line tree
 * {@link parseConfigTree} builds.
 *
 * Only router-level lines of a `router bgp` block are interpreted; lines in its sections
 * (`address-family ...`) are kept verbatim and the addresses they name are recorded, because a
 * `neighbor X activate` there is not a neighbor. Unknown lines are kept, never rejected, and
 * never guessed at: where the layout leaves doubt the block carries the doubt, and the planner
 * refuses to act on it.
 */
import { parseConfigTree, type ConfigNode, type UncertainRegion } from "./configTree";
import type { BgpRouter, PeerGroup, RemoteAs, RunningConfig, RunningNeighbor } from "./model";
import { parseDeviceAsn, parseIpAddress, type IpAddress, type Parsed } from "./values";

interface MutableNeighbor {
    address: IpAddress;
    remoteAsn: RemoteAs | null;
    peerGroup: string | null;
    description: string | null;
    password: string | null;
    updateSource: string | null;
    ebgpMultihop: number | null;
    otherLines: string[];
}

/** Heads of the sub-blocks a `router bgp` block may hold (ZebOS, FRR, IOS, EOS). */
const SUB_BLOCK = /^(?:address-family|vrf|segment-routing|bmp|rpki|vnc|vrf-policy|vni|template|owner-node)(?:\s|$)/i;

function words(text: string): string[] {
    return text.split(/\s+/);
}

function remoteAs(raw: string | undefined): RemoteAs | null {
    const lower = raw?.toLowerCase();
    if (lower === "external" || lower === "internal") return lower;
    const asn = parseDeviceAsn(raw);
    return asn.ok ? asn.value : null;
}

/** The text after the first `count` words, verbatim. */
function after(text: string, count: number): string {
    let rest = text;
    for (let i = 0; i < count; i++) rest = rest.replace(/^\S+\s*/, "");
    return rest;
}

function descendants(node: ConfigNode, out: ConfigNode[] = []): ConfigNode[] {
    for (const c of node.children) {
        out.push(c);
        descendants(c, out);
    }
    return out;
}

/** The address a `neighbor <address> ...` or `no neighbor <address> ...` line names, if any. */
function namedAddress(text: string): IpAddress | null {
    const w = words(text);
    const at = w[0]?.toLowerCase() === "no" ? 1 : 0;
    if (w[at]?.toLowerCase() !== "neighbor") return null;
    const parsed = parseIpAddress(w[at + 1]);
    return parsed.ok ? parsed.value : null;
}

function parseRouter(head: ConfigNode & { readonly uncertain: BgpRouter["uncertain"] }, asn: BgpRouter["asn"], vrf: string | null): BgpRouter {
    let routerId: string | null = null;
    const maxPaths: { ebgp: number | null; ibgp: number | null } = { ebgp: null, ibgp: null };
    const redistribute = new Map<string, string>();
    const neighbors = new Map<IpAddress, MutableNeighbor>();
    const groups = new Map<string, { name: string; remoteAsn: RemoteAs | null }>();
    const mentions = new Map<IpAddress, string[]>();
    const otherLines: string[] = [];

    const neighbor = (address: IpAddress): MutableNeighbor => {
        let n = neighbors.get(address);
        if (!n) {
            n = { address, remoteAsn: null, peerGroup: null, description: null, password: null, updateSource: null, ebgpMultihop: null, otherLines: [] };
            neighbors.set(address, n);
        }
        return n;
    };
    const mention = (node: ConfigNode): void => {
        const address = namedAddress(node.text);
        if (address === null) return;
        const list = mentions.get(address) ?? [];
        list.push(node.text);
        mentions.set(address, list);
    };

    const uncertain = [...head.uncertain];
    for (const child of head.children) {
        if (child.kind !== "line") continue;
        const section = SUB_BLOCK.test(child.text);
        if (child.children.length > 0) {
            // A section scopes what it holds. Deeper lines under any other line are a layout this
            // parser cannot place: they may be router-level lines printed at another depth.
            if (!section) {
                uncertain.push({
                    reason: `lines indented deeper than "${child.text}", which opens no section`,
                    lines: [child, ...child.children].slice(0, 6).map((n) => ({ lineNo: n.lineNo, text: n.text })),
                });
            }
            if (section) otherLines.push(child.text);
            for (const d of descendants(child)) {
                if (d.kind === "separator") continue;
                otherLines.push(d.text);
                mention(d);
            }
        }
        if (section) continue;
        const line = child.text;
        const w = words(line);
        const key = w[0]!.toLowerCase();
        let peer: Parsed<IpAddress>;
        if (key === "bgp" && w[1]?.toLowerCase() === "router-id" && w[2]) {
            routerId = w[2];
        } else if (key === "max-paths" && (w[1] === "ebgp" || w[1] === "ibgp") && /^\d+$/.test(w[2] ?? "")) {
            maxPaths[w[1]] = Number(w[2]);
        } else if (key === "redistribute" && w[1]) {
            redistribute.set(w[1].toLowerCase(), after(line, 2));
        } else if (key === "neighbor" && w[1] && (peer = parseIpAddress(w[1])).ok) {
            const n = neighbor(peer.value);
            const attr = w[2]?.toLowerCase();
            const value = remoteAs(w[3]);
            if (attr === "remote-as" && value !== null && w.length === 4) n.remoteAsn = value;
            else if (attr === "peer-group" && w[3] && w.length === 4) n.peerGroup = w[3];
            else if (attr === "description") n.description = after(line, 3);
            else if (attr === "password") n.password = after(line, 3);
            else if (attr === "update-source" && w[3]) n.updateSource = w[3];
            else if (attr === "ebgp-multihop") n.ebgpMultihop = w[3] && /^\d+$/.test(w[3]) ? Number(w[3]) : 255;
            else n.otherLines.push(after(line, 2));
        } else if (key === "neighbor" && w[1]) {
            // A peer group (or an interface neighbor): foreign configuration, kept verbatim.
            otherLines.push(line);
            const attr = w[2]?.toLowerCase();
            if (attr === "peer-group" && w.length === 3) groups.set(w[1], { name: w[1], remoteAsn: groups.get(w[1])?.remoteAsn ?? null });
            else if (attr === "remote-as") groups.set(w[1], { name: w[1], remoteAsn: remoteAs(w[3]) });
        } else {
            otherLines.push(line);
            mention(child);
        }
    }

    const peerGroups = new Map<string, PeerGroup>();
    for (const [name, g] of groups) peerGroups.set(name, g);
    const complete = new Map<IpAddress, RunningNeighbor>();
    for (const n of neighbors.values()) {
        const fromGroup = n.peerGroup !== null ? peerGroups.get(n.peerGroup)?.remoteAsn ?? null : null;
        complete.set(n.address, { ...n, remoteAsn: n.remoteAsn ?? fromGroup });
    }
    return { asn, vrf, routerId, maxPaths, redistribute, neighbors: complete, peerGroups, otherLines, mentions, uncertain };
}

/** Parses vtysh `show running-config` output. Never throws: what it does not understand, it keeps. */
export function parseRunningConfig(text: string): RunningConfig {
    const tree = parseConfigTree(text);
    const routeInstall = new Set<string>();
    const routers: BgpRouter[] = [];
    const uncertain: UncertainRegion[] = [];
    for (const block of tree.blocks) {
        if (block.indent > 0) continue;
        const w = words(block.text);
        const first = w[0]!.toLowerCase();
        if (first === "ns" && w[1]?.toLowerCase() === "route-install" && w.length > 2) {
            routeInstall.add(w.slice(2).join(" ").toLowerCase());
        } else if (first === "router" && w[1]?.toLowerCase() === "bgp") {
            const asn = parseDeviceAsn(w[2]);
            // FRR: `router bgp <asn> [vrf <name>] [as-notation dot|dot+|plain]`; ZebOS: `view <name>`.
            const rest = w.slice(3);
            if (rest.length >= 2 && rest[rest.length - 2]!.toLowerCase() === "as-notation") rest.length -= 2;
            const instance = rest[0]?.toLowerCase();
            const vrf = (instance === "vrf" || instance === "view") && rest.length === 2 ? `${instance === "view" ? "view " : ""}${rest[1]}` : null;
            if (asn.ok && (rest.length === 0 || vrf !== null)) routers.push(parseRouter(block, asn.value, vrf));
            // Another form of `router bgp` may be the main instance: whether it is, nobody can say.
            else uncertain.push({ reason: `"${block.text}" is not a form of "router bgp" this package knows, so which instance is the main one is not certain`, lines: [{ lineNo: block.lineNo, text: block.text }] });
        }
    }
    const main = routers.filter((r) => r.vrf === null);
    if (main.length > 1) uncertain.push({ reason: `the device shows ${main.length} "router bgp" instances without vrf`, lines: main.map((r) => ({ lineNo: 0, text: `router bgp ${r.asn}` })) });
    return { routeInstall, routers, uncertain };
}

/** The main `router bgp` instance (the one without `vrf`), if the device runs BGP. */
export function bgpRouter(config: RunningConfig): BgpRouter | undefined {
    return config.routers.find((r) => r.vrf === null);
}
