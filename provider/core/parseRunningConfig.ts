/**
 * `show running-config` (vtysh) → {@link RunningConfig}.
 *
 * Tolerant by design: the layout of real ZebOS builds is only partly documented, so unknown lines
 * are kept verbatim rather than rejected, indentation depth is not trusted beyond "indented or
 * not", and decorations some builds add (`Building configuration...`, `Current configuration:`)
 * are skipped. Only lines this package manages are interpreted.
 */
import type { BgpRouter, RunningConfig, RunningNeighbor } from "./model";
import { parseAsn, parseIpAddress, type Asn, type IpAddress, type Parsed } from "./values";

interface Block {
    readonly head: string;
    readonly children: string[];
}

/** Splits the text into top-level lines, each with its indented children. `!` ends a block. */
function blocks(text: string): Block[] {
    const out: Block[] = [];
    let current: Block | null = null;
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.replace(/\r/g, "").replace(/\s+$/, "");
        if (line.trim() === "") continue;
        if (line.trim() === "!" || line.trim() === "end") {
            current = null;
            continue;
        }
        if (/^\s/.test(line)) {
            if (current) current.children.push(line);
            continue;
        }
        current = { head: line.trim(), children: [] };
        out.push(current);
    }
    return out;
}

interface MutableNeighbor {
    address: IpAddress;
    remoteAsn: Asn | null;
    description: string | null;
    password: string | null;
    updateSource: string | null;
    ebgpMultihop: number | null;
    otherLines: string[];
}

function parseRouter(asn: Asn, lines: readonly string[]): BgpRouter {
    let routerId: string | null = null;
    const maxPaths: { ebgp: number | null; ibgp: number | null } = { ebgp: null, ibgp: null };
    const redistribute = new Map<string, string>();
    const neighbors = new Map<IpAddress, MutableNeighbor>();
    const otherLines: string[] = [];

    const neighbor = (address: IpAddress): MutableNeighbor => {
        let n = neighbors.get(address);
        if (!n) {
            n = { address, remoteAsn: null, description: null, password: null, updateSource: null, ebgpMultihop: null, otherLines: [] };
            neighbors.set(address, n);
        }
        return n;
    };

    const indent = (l: string): number => /^\s*/.exec(l)![0].length;
    // address-family sections scope their lines (`neighbor X activate` there is not a
    // top-level neighbor setting): keep them verbatim. A section ends at `exit-address-family`
    // or at the next line indented no deeper than its head (builds differ in which they print).
    let section: number | null = null;
    for (const raw of lines) {
        const line = raw.trim();
        if (section !== null) {
            if (indent(raw) > section || /^exit-address-family$/i.test(line)) {
                otherLines.push(line);
                if (/^exit-address-family$/i.test(line)) section = null;
                continue;
            }
            section = null;
        }
        if (/^address-family\b/i.test(line)) {
            section = indent(raw);
            otherLines.push(line);
            continue;
        }
        const words = line.split(/\s+/);
        const key = words[0]!.toLowerCase();
        let peer: Parsed<IpAddress>;
        if (key === "bgp" && words[1]?.toLowerCase() === "router-id" && words[2]) {
            routerId = words[2];
        } else if (key === "max-paths" && (words[1] === "ebgp" || words[1] === "ibgp") && /^\d+$/.test(words[2] ?? "")) {
            maxPaths[words[1]] = Number(words[2]);
        } else if (key === "redistribute" && words[1]) {
            redistribute.set(words[1].toLowerCase(), words.slice(2).join(" "));
        } else if (key === "neighbor" && words[1] && (peer = parseIpAddress(words[1])).ok) {
            const n = neighbor(peer.value);
            const attr = words[2]?.toLowerCase();
            const rest = line.replace(/^\S+\s+\S+\s+\S+\s*/, "");
            const asn = parseAsn(words[3]);
            if (attr === "remote-as" && asn.ok) n.remoteAsn = asn.value;
            else if (attr === "description") n.description = rest;
            else if (attr === "password") n.password = rest;
            else if (attr === "update-source" && words[3]) n.updateSource = words[3];
            else if (attr === "ebgp-multihop") n.ebgpMultihop = words[3] && /^\d+$/.test(words[3]) ? Number(words[3]) : 255;
            else n.otherLines.push(line.replace(/^\S+\s+\S+\s*/, ""));
        } else {
            otherLines.push(line);
        }
    }

    const complete = new Map<IpAddress, RunningNeighbor>();
    for (const n of neighbors.values()) {
        // A neighbor listed without remote-as (a peer-group member, or attributes left behind)
        // cannot be reasoned about: keep its lines as foreign configuration.
        if (n.remoteAsn === null) {
            otherLines.push(...n.otherLines.map((l) => `neighbor ${n.address} ${l}`));
            continue;
        }
        complete.set(n.address, { ...n, remoteAsn: n.remoteAsn });
    }
    return { asn, routerId, maxPaths, redistribute, neighbors: complete, otherLines };
}

/** Parses vtysh `show running-config` output. Never throws: what it does not understand, it keeps. */
export function parseRunningConfig(text: string): RunningConfig {
    const routeInstall = new Set<string>();
    const routers: BgpRouter[] = [];
    for (const block of blocks(text)) {
        const words = block.head.split(/\s+/);
        const first = words[0]!.toLowerCase();
        if (first === "ns" && words[1]?.toLowerCase() === "route-install" && words.length > 2) {
            routeInstall.add(words.slice(2).join(" ").toLowerCase());
        } else if (first === "router" && words[1]?.toLowerCase() === "bgp") {
            const asn = parseAsn(words[2]);
            if (asn.ok) routers.push(parseRouter(asn.value, block.children));
        }
    }
    return { routeInstall, routers };
}

/** The `router bgp` block, if the device runs BGP. */
export function bgpRouter(config: RunningConfig): BgpRouter | undefined {
    return config.routers[0];
}
