import { Device } from "../model/device";
import { BgpRoute, BgpSessionStatus, RoutingFamily } from "../routing/engine";

/**
 * Assumption: what vtysh answers for BGP show commands when no BGP instance runs (no
 * `router bgp`, or the feature is off). Not seen on NetScaler.
 */
export const NO_BGP_INSTANCE = "% BGP instance not found";

/**
 * `show ip bgp summary` (IPv4 unicast) or the IPv6 unicast summary, in the Zebra/ZebOS layout
 * (the column header is what parsers key on); the IPv6 one lists the neighbors activated there.
 */
export async function renderBgpSummary(device: Device, family: RoutingFamily): Promise<string[]> {
    const bgp = device.zebos.bgp;
    if (!bgp || !device.bgpEnabled) return [NO_BGP_INSTANCE];
    const sessions = await device.sessions(family);
    const lines = [
        `BGP router identifier ${device.effectiveRouterId()}, local AS number ${bgp.asn}`,
        "BGP table version is 1",
        "0 BGP AS-PATH entries",
        "0 BGP community entries",
        "",
        "Neighbor        V         AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
    ];
    for (const s of sessions) lines.push(...summaryRow(s));
    lines.push("", `Total number of neighbors ${sessions.length}`);
    return lines;
}

/** One neighbor; an address too long for its column gets a line of its own, as in Quagga. */
function summaryRow(s: BgpSessionStatus): string[] {
    const established = s.state === "Established";
    const long = s.address.length >= 16;
    const address = long ? " ".repeat(16) : s.address.padEnd(16);
    const row = [
        `${address}4 ${String(s.remoteAs).padStart(10)}`,
        String(s.messagesReceived).padStart(7),
        String(s.messagesSent).padStart(7),
        String(established ? 1 : 0).padStart(8),
        "0".padStart(4),
        "0".padStart(4),
        `${s.upDownSeconds === undefined ? "never" : formatAge(s.upDownSeconds)}`.padEnd(8),
        established ? String(s.prefixesReceived).padStart(8) : s.state,
    ].join(" ");
    return long ? [s.address, row] : [row];
}

/** ZebOS timer format: `hh:mm:ss` under a day, then `1d02h03m`, then `2w3d04h`. */
export function formatAge(seconds: number): string {
    const two = (n: number) => String(n).padStart(2, "0");
    const d = Math.floor(seconds / 86400);
    const h = Math.floor((seconds % 86400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    if (d === 0) return `${two(h)}:${two(m)}:${two(seconds % 60)}`;
    if (d < 7) return `${d}d${two(h)}h${two(m)}m`;
    return `${Math.floor(d / 7)}w${d % 7}d${two(h)}h`;
}

const ROUTE_CODES = [
    "Codes: K - kernel, C - connected, S - static, R - RIP, B - BGP",
    "       O - OSPF, IA - OSPF inter area",
    "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2",
    "       E1 - OSPF external type 1, E2 - OSPF external type 2",
    "       i - IS-IS, L1 - IS-IS level-1, L2 - IS-IS level-2, ia - IS-IS inter area",
    "       * - candidate default",
];

/**
 * `show ip route [bgp]` in the ZebOS layout: the code legend, the gateway line, then one line per
 * route (`B       prefix [20/0] via nexthop, ifname, age`).
 */
export async function renderIpRoute(device: Device, onlyBgp: boolean): Promise<string[]> {
    const s = device.settings;
    const lines = [...ROUTE_CODES, "", "Gateway of last resort is not set", ""];
    const entries: { prefix: string; line: string }[] = [];
    if (!onlyBgp) {
        const connected = `${device.connectedNetwork()}/${s.interfaceAddress.prefixLength}`;
        entries.push({ prefix: connected, line: `C       ${connected} is directly connected, ${s.interfaceName}` });
        entries.push({ prefix: "127.0.0.0/8", line: "C       127.0.0.0/8 is directly connected, lo0" });
    }
    if (device.bgpEnabled && device.zebos.bgp) {
        for (const r of await device.routes()) {
            if (r.prefix.includes(":")) continue;
            entries.push({ prefix: r.prefix, line: bgpRouteLine(r, s.interfaceName) });
        }
    }
    entries.sort((a, b) => prefixKey(a.prefix) - prefixKey(b.prefix));
    return [...lines, ...entries.map((e) => e.line)];
}

function bgpRouteLine(r: BgpRoute, ifname: string): string {
    return `B       ${r.prefix} [${r.internal ? 200 : 20}/0] via ${r.nextHop}, ${ifname}, ${formatAge(r.ageSeconds)}`;
}

function prefixKey(prefix: string): number {
    const [addr, len] = prefix.split("/");
    return addr!.split(".").reduce((acc, o) => acc * 256 + Number(o), 0) * 64 + Number(len);
}
