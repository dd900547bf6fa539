/**
 * `show running-config` (vtysh) → {@link RunningConfig}: the BGP reading of the line tree
 * {@link parseConfigTree} builds.
 *
 * Only router-level lines of a `router bgp` block are interpreted; lines in its sections
 * (`address-family ...`) are kept verbatim and the addresses they name are recorded, because a
 * `neighbor X activate` there is not a neighbor. Unknown lines are kept, never rejected, and
 * never guessed at: where the layout leaves doubt the block carries the doubt, and the planner
 * refuses to act on it. So does a neighbor named in an address form stacks read differently
 * ({@link parseNeighborRef}), or by a name that no line of the block defines as a peer group
 * or an interface, and an answer cut before its closing `end` (the whole configuration).
 */
import { parseConfigTree, type ConfigNode, type ConfigTree, type UncertainRegion } from "./configTree";
import type { BgpRouter, ListenRange, PeerGroup, RemoteAs, RunningConfig, RunningNeighbor } from "./model";
import { addressFamilyOf, parseDeviceAsn, parseDevicePrefix, parseNeighborRef, type IpAddress } from "./values";

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

/**
 * The IPv6 unicast section in the spellings ZebOS (and Quagga) accept for it. Any other IPv6
 * head (`ipv6 multicast`, `ipv6 vrf X`, `ipv6 labeled-unicast`) is another section, whose
 * addresses are foreign to this one.
 */
const IPV6_UNICAST = /^address-family\s+ipv6(?:\s+unicast)?$/i;
const ACTIVATE = /^neighbor\s+(\S+)\s+activate$/i;
/**
 * Sections whose lines for a neighbor `no neighbor X` removes with it: each address family's,
 * but a VRF's (`address-family ipv4 vrf RED`), whose neighbors are other peers.
 */
const ADDRESS_FAMILY = /^address-family(?!.*\svrf(?:\s|$))(?:\s|$)/i;

/** Heads of the sub-blocks a `router bgp` block may hold (ZebOS, FRR, IOS, EOS). */
const SUB_BLOCK = /^(?:address-family|vrf|segment-routing|bmp|rpki|vnc|vrf-policy|vni|template|owner-node)(?:\s|$)/i;

function words(text: string): string[] {
    return text.split(/\s+/);
}

/** Whether `code` is a character `\s` matches (the blanks {@link words} splits at). */
function isBlank(code: number): boolean {
    if (code === 32 || (code >= 9 && code <= 13)) return true;
    if (code < 160) return false;
    return code === 160 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

function remoteAs(raw: string | undefined): RemoteAs | null {
    const lower = raw?.toLowerCase();
    if (lower === "external" || lower === "internal" || lower === "auto") return lower;
    const asn = parseDeviceAsn(raw);
    return asn.ok ? asn.value : null;
}

/** The text after the first `count` words, verbatim. */
function after(text: string, count: number): string {
    // One scan of the line, not a regular expression and a copy per word: every neighbor's description comes this way.
    let at = 0;
    for (let i = 0; i < count && at < text.length; i++) {
        if (isBlank(text.charCodeAt(at))) break;
        while (at < text.length && !isBlank(text.charCodeAt(at))) at++;
        while (at < text.length && isBlank(text.charCodeAt(at))) at++;
    }
    return at === 0 ? text : text.slice(at);
}

function descendants(node: ConfigNode, out: ConfigNode[] = []): ConfigNode[] {
    for (const c of node.children) {
        out.push(c);
        descendants(c, out);
    }
    return out;
}

/** The word a `neighbor <word> ...` or `no neighbor <word> ...` line names, if the line is one. */
function neighborWord(w: readonly string[]): string | null {
    const at = w[0]?.toLowerCase() === "no" ? 1 : 0;
    return w[at]?.toLowerCase() === "neighbor" && w[at + 1] ? w[at + 1]! : null;
}

/**
 * The attribute a `neighbor <word> <attribute> ...` line sets, in lower case, and where its
 * value starts: EOS's two-word `peer group` (`neighbor SPINE peer group`, `neighbor 10.0.0.1
 * peer group SPINE`) is read as `peer-group`.
 */
function attribute(w: readonly string[]): { readonly name: string | undefined; readonly value: number } {
    const name = w[2]?.toLowerCase();
    return name === "peer" && w[3]?.toLowerCase() === "group" ? { name: "peer-group", value: 4 } : { name, value: 3 };
}

/** One line's doubt, quoted. */
function doubt(reason: string, node: ConfigNode): UncertainRegion {
    return { reason, lines: [{ lineNo: node.lineNo, text: node.text }] };
}

/**
 * The names the block's router-level lines declare: a peer group only by its definition
 * (`neighbor NAME peer-group`), an interface neighbor (FRR's unnumbered BGP) only by
 * `neighbor NAME interface ...`. A name nothing declares is neither.
 */
function declaredNames(lines: readonly (readonly string[] | null)[]): { groups: Set<string>; interfaces: Set<string> } {
    const groups = new Set<string>();
    const interfaces = new Set<string>();
    for (const w of lines) {
        if (w === null || w[0]?.toLowerCase() !== "neighbor" || !w[1]) continue;
        const attr = attribute(w);
        const declares = (attr.name === "peer-group" && w.length === attr.value) || attr.name === "interface";
        if (!declares || parseNeighborRef(w[1]).kind !== "name") continue;
        (attr.name === "interface" ? interfaces : groups).add(w[1]);
    }
    return { groups, interfaces };
}

/** A router block and the doubts over which addresses its lines name (these matter in every instance, not only the main one). */
interface ParsedRouter {
    readonly router: BgpRouter;
    readonly addressDoubts: readonly UncertainRegion[];
}

function parseRouter(head: ConfigNode & { readonly uncertain: BgpRouter["uncertain"] }, asn: BgpRouter["asn"], vrf: string | null): ParsedRouter {
    let routerId: string | null = null;
    const maxPaths: { ebgp: number | null; ibgp: number | null } = { ebgp: null, ibgp: null };
    const redistribute = new Map<string, string>();
    let gracefulRestart: string | null = null;
    const neighbors = new Map<IpAddress, MutableNeighbor>();
    /** A defined group's own remote-as, by name. */
    const groupAsn = new Map<string, RemoteAs | null>();
    const mentions = new Map<IpAddress, string[]>();
    const takenWith = new Map<IpAddress, string[]>();
    const listenRanges: ListenRange[] = [];
    const otherLines: string[] = [];
    const addressDoubts: UncertainRegion[] = [];
    const ipv6Active = new Set<IpAddress>();
    const ipv6Other: string[] = [];

    const neighbor = (address: IpAddress): MutableNeighbor => {
        let n = neighbors.get(address);
        if (!n) {
            n = { address, remoteAsn: null, peerGroup: null, description: null, password: null, updateSource: null, ebgpMultihop: null, otherLines: [] };
            neighbors.set(address, n);
        }
        return n;
    };
    const takes = (address: IpAddress, quoted: string): void => {
        const list = takenWith.get(address) ?? [];
        list.push(quoted);
        takenWith.set(address, list);
    };
    /**
     * A line below the router level, or a `no neighbor` line: the address it names is not free.
     * `section`: the address-family head the line stands in, whose lines `no neighbor X` takes
     * with the neighbor (null for other sub-blocks, whose neighbors are other peers).
     */
    const mention = (node: ConfigNode, section: string | null, managed = false, w: readonly string[] = words(node.text)): void => {
        const word = neighborWord(w);
        if (word === null) return;
        const ref = parseNeighborRef(word);
        if (ref.kind === "doubtful") addressDoubts.push(doubt(ref.why, node));
        if (ref.kind !== "address") return;
        const list = mentions.get(ref.address) ?? [];
        list.push(node.text);
        mentions.set(ref.address, list);
        if (section !== null && !managed) takes(ref.address, section === "" ? node.text : `${section}: ${node.text}`);
    };

    const uncertain = [...head.uncertain];
    // Each router-level line split into words once, for the declarations and for its own reading (null: a section head, or not a line).
    const level = head.children.map((c) => (c.kind === "line" && !SUB_BLOCK.test(c.text) ? words(c.text) : null));
    const declared = declaredNames(level);
    for (let index = 0; index < head.children.length; index++) {
        const child = head.children[index]!;
        if (child.kind !== "line") continue;
        const levelWords = level[index]!;
        const section = levelWords === null;
        if (child.children.length > 0) {
            // A section scopes what it holds. Deeper lines under any other line are a layout this
            // parser cannot place: they may be router-level lines printed at another depth.
            if (!section) {
                uncertain.push({
                    reason: `lines indented deeper than "${child.text}", which opens no section`,
                    lines: [child, ...child.children].slice(0, 6).map((n) => ({ lineNo: n.lineNo, text: n.text })),
                });
            }
            const ipv6 = section && IPV6_UNICAST.test(child.text);
            const family = section && ADDRESS_FAMILY.test(child.text) ? child.text : null;
            if (section && !ipv6) otherLines.push(child.text);
            for (const d of descendants(child)) {
                if (d.kind === "separator") continue;
                if (!ipv6) {
                    mention(d, family);
                    otherLines.push(d.text);
                } else if (d.kind === "section-end") continue;
                else {
                    const activated = ACTIVATE.exec(d.text);
                    const ref = activated ? parseNeighborRef(activated[1]!) : null;
                    const active = ref?.kind === "address" && d.children.length === 0 ? ref.address : null;
                    // An IPv6 neighbor's activation here is the package's own line; anything else here is not.
                    mention(d, family, active !== null && addressFamilyOf(active) === "ipv6");
                    if (active !== null) ipv6Active.add(active);
                    else ipv6Other.push(d.text);
                }
            }
        }
        if (section) continue;
        const line = child.text;
        const w = levelWords;
        const key = w[0]!.toLowerCase();
        const ref = key === "neighbor" && w[1] ? parseNeighborRef(w[1]) : null;
        if (key === "bgp" && w[1]?.toLowerCase() === "router-id" && w[2]) {
            routerId = w[2];
        } else if (key === "bgp" && w[1]?.toLowerCase() === "graceful-restart" && gracefulRestart === null) {
            gracefulRestart = after(line, 2);
        } else if (key === "max-paths" && (w[1] === "ebgp" || w[1] === "ibgp") && /^\d+$/.test(w[2] ?? "")) {
            maxPaths[w[1]] = Number(w[2]);
        } else if (key === "redistribute" && w[1]) {
            redistribute.set(w[1].toLowerCase(), after(line, 2));
        } else if (ref?.kind === "address") {
            const { name: attr, value: at } = attribute(w);
            if (attr === "peer-group" && w.length === at) {
                // A group is defined by a name, never an address: what the device made of this, nobody can say.
                uncertain.push(doubt(`"${line}" defines a peer group named like an address`, child));
                otherLines.push(line);
                continue;
            }
            const n = neighbor(ref.address);
            // Read only on remote-as lines: on another line's value, a failed AS parse builds its message for nothing.
            const value = attr === "remote-as" && w.length === 4 ? remoteAs(w[3]) : null;
            if (value !== null) n.remoteAsn = value;
            else if (attr === "peer-group" && w.length === at + 1) {
                n.peerGroup = w[at]!;
                takes(ref.address, line);
            }
            else if (attr === "description") n.description = after(line, 3);
            else if (attr === "password") n.password = after(line, 3);
            else if (attr === "update-source" && w[3]) n.updateSource = w[3];
            else if (attr === "ebgp-multihop") n.ebgpMultihop = w[3] && /^\d+$/.test(w[3]) ? Number(w[3]) : 255;
            else n.otherLines.push(after(line, 2));
        } else if (ref !== null) {
            // Not an address the package could manage: foreign configuration, kept verbatim, and
            // read only when the block declares what the name is.
            otherLines.push(line);
            const name = w[1]!;
            const isGroup = declared.groups.has(name);
            const isInterface = declared.interfaces.has(name);
            if (ref.kind === "doubtful") {
                addressDoubts.push(doubt(ref.why, child));
            } else if (isGroup && isInterface) {
                uncertain.push(doubt(`"${name}" is declared both as a peer group and as an interface neighbor`, child));
            } else if (isGroup) {
                if (w[2]?.toLowerCase() === "remote-as" && w.length === 4) groupAsn.set(name, remoteAs(w[3]));
            } else if (!isInterface) {
                uncertain.push(
                    doubt(`"${name}" is neither an address nor a name the block declares as a peer group ("neighbor ${name} peer-group") or an interface ("neighbor ${name} interface"), so what this line configures is not certain`, child),
                );
            }
        } else if (key === "bgp" && w[1]?.toLowerCase() === "listen" && w[2]?.toLowerCase() === "range") {
            otherLines.push(line);
            const prefix = parseDevicePrefix(w[3] ?? "");
            if (prefix.ok) listenRanges.push({ prefix: prefix.value, line });
            else uncertain.push(doubt(`"${line}" lets peers in a range connect as neighbors, but ${prefix.reason}`, child));
        } else {
            otherLines.push(line);
            mention(child, "", false, w);
        }
    }

    const peerGroups = new Map<string, PeerGroup>();
    // In the order of their definitions, whatever order their settings come in.
    for (const name of declared.groups) peerGroups.set(name, { name, remoteAsn: groupAsn.get(name) ?? null });
    // Completed in place: a copy of every neighbor and of the map would be thousands of objects per read for nothing.
    for (const n of neighbors.values()) {
        if (n.remoteAsn === null && n.peerGroup !== null) n.remoteAsn = peerGroups.get(n.peerGroup)?.remoteAsn ?? null;
    }
    const complete: ReadonlyMap<IpAddress, RunningNeighbor> = neighbors;
    const ipv6 = { active: ipv6Active, otherLines: ipv6Other };
    const router: BgpRouter = { asn, vrf, routerId, maxPaths, redistribute, gracefulRestart, neighbors: complete, peerGroups, ipv6, otherLines, mentions, takenWith, listenRanges, uncertain: [...uncertain, ...addressDoubts] };
    return { router, addressDoubts };
}

/**
 * Parses vtysh `show running-config` output. Never throws: what it does not understand, it keeps.
 * `tree` is the same text's tree, when the caller parsed it already.
 */
export function parseRunningConfig(text: string, tree: ConfigTree = parseConfigTree(text)): RunningConfig {
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
            if (asn.ok && (rest.length === 0 || vrf !== null)) {
                const { router, addressDoubts } = parseRouter(block, asn.value, vrf);
                routers.push(router);
                // Another instance's neighbors keep their addresses from the main one's: a doubt over which address it names is everyone's.
                if (vrf !== null) uncertain.push(...addressDoubts.map((d) => ({ ...d, reason: `in "${block.text}": ${d.reason}` })));
            }
            // Another form of `router bgp` may be the main instance: whether it is, nobody can say.
            else uncertain.push({ reason: `"${block.text}" is not a form of "router bgp" this package knows, so which instance is the main one is not certain`, lines: [{ lineNo: block.lineNo, text: block.text }] });
        }
    }
    // Doubt before any block: those lines may be the main instance's, its head lost.
    uncertain.push(...tree.uncertain);
    if (tree.cut) uncertain.push(tree.cut);
    const main = routers.filter((r) => r.vrf === null);
    if (main.length > 1) uncertain.push({ reason: `the device shows ${main.length} "router bgp" instances without vrf`, lines: main.map((r) => ({ lineNo: 0, text: `router bgp ${r.asn}` })) });
    return { routeInstall, routers, uncertain };
}

/** The main `router bgp` instance (the one without `vrf`), if the device runs BGP. */
export function bgpRouter(config: RunningConfig): BgpRouter | undefined {
    return config.routers.find((r) => r.vrf === null);
}
