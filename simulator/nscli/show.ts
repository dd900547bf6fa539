import { netmaskOf, splitPrefix } from "../model/addresses";
import { Device } from "../model/device";
import { FEATURES } from "../model/features";

/** `show ns feature` (layout of the NetScaler 13.x sample: blank line, header, numbered rows). */
export function renderFeatureTable(device: Device): string[] {
    const lines = ["", `        ${"Feature".padEnd(31)}${"Acronym".padEnd(21)}Status`, `        ${"-------".padEnd(31)}${"-------".padEnd(21)}------`];
    FEATURES.forEach((f, i) => {
        lines.push(`${` ${i + 1})`.padEnd(8)}${f.name.padEnd(31)}${f.acronym.padEnd(21)}${device.features.get(f.acronym) ? "ON" : "OFF"}`);
    });
    return lines;
}

/** Route types `show route <type>` accepts (NITRO `routetype` values). */
export const ROUTE_TYPE_FILTERS: readonly string[] = ["CONNECTED", "STATIC", "DYNAMIC", "OSPF", "ISIS", "RIP", "BGP", "VPATH"];

interface RouteRow {
    readonly network: string;
    readonly netmask: string;
    readonly gateway: string;
    readonly type: string;
    readonly kind: "STATIC" | "PERMANENT" | "DIRECT" | "BGP";
}

/**
 * `show route`: the appliance's own routes plus, when `ns route-install bgp` is configured and BGP
 * runs, the routes learned over BGP. Their `Type` label is an assumption (`BGP` by default).
 */
export async function renderRouteTable(device: Device, filter?: string): Promise<string[]> {
    const s = device.settings;
    const rows: RouteRow[] = [
        { network: "0.0.0.0", netmask: "0.0.0.0", gateway: s.defaultGateway, type: "STATIC", kind: "STATIC" },
        { network: "127.0.0.0", netmask: "255.0.0.0", gateway: "127.0.0.1", type: "PERMANENT", kind: "PERMANENT" },
        { network: device.connectedNetwork(), netmask: netmaskOf(s.interfaceAddress.prefixLength), gateway: s.interfaceAddress.address, type: "DIRECT", kind: "DIRECT" },
    ];
    if (device.bgpEnabled && device.zebos.bgp && device.zebos.routeInstall.has("bgp")) {
        for (const r of await device.routes()) {
            if (r.prefix.includes(":")) continue;
            const p = splitPrefix(r.prefix);
            rows.push({ network: p.network, netmask: p.netmask, gateway: r.nextHop, type: s.bgpRouteTypeLabel, kind: "BGP" });
        }
    }
    const selected = rows.filter((r) => matchesFilter(r, filter)).sort(compareRows);
    const lines = [
        `        ${"Network".padEnd(17)}${"Netmask".padEnd(17)}${"Gateway/OwnedIP".padEnd(17)}${"State".padEnd(8)}${"Traffic Domain".padEnd(16)}Type`,
        `        ${"-------".padEnd(17)}${"-------".padEnd(17)}${"---------------".padEnd(17)}${"-----".padEnd(8)}${"--------------".padEnd(16)}----`,
    ];
    selected.forEach((r, i) => {
        lines.push(`${`${i + 1})`.padEnd(8)}${r.network.padEnd(17)}${r.netmask.padEnd(17)}${r.gateway.padEnd(17)}${"UP".padEnd(8)}${"0".padEnd(16)}${r.type}`);
    });
    return lines;
}

function matchesFilter(row: RouteRow, filter: string | undefined): boolean {
    switch (filter) {
        case undefined:
            return true;
        case "CONNECTED":
            return row.kind === "DIRECT" || row.kind === "PERMANENT";
        case "STATIC":
            return row.kind === "STATIC";
        case "DYNAMIC":
        case "BGP":
            return row.kind === "BGP";
        default:
            return false;
    }
}

function compareRows(a: RouteRow, b: RouteRow): number {
    return toNumber(a.network) - toNumber(b.network) || toNumber(a.netmask) - toNumber(b.netmask);
}

function toNumber(ipv4: string): number {
    return ipv4.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function renderNsConfig(device: Device): string[] {
    const s = device.settings;
    return [
        `        NetScaler IP: ${s.interfaceAddress.address}  (mask: ${netmaskOf(s.interfaceAddress.prefixLength)})`,
        "        Number of MappedIP(s): 0",
        "        Node: Standalone",
        `        Config Changed since Last Saved Config: ${device.nsConfigChanged ? "TRUE" : "FALSE"}`,
    ];
}

export function renderNsVersion(): string[] {
    return ['        NetScaler NS14.1: Build 43.50.nc, Date: Mar 13 2025, 04:17:20   (64-bit)'];
}

/** `show ns ip`: the appliance's own address (NSIP), which is also the BGP peering address here. */
export function renderNsIp(device: Device): string[] {
    const a = device.settings.interfaceAddress.address;
    const cols = (c: readonly string[]) => `${c[0]!.padEnd(8)}${c[1]!.padEnd(17)}${c[2]!.padEnd(16)}${c[3]!.padEnd(17)}${c[4]!.padEnd(9)}${c[5]!.padEnd(9)}${c[6]!.padEnd(9)}${c[7]!.padEnd(9)}${c[8]}`;
    return [
        cols(["", "Ipaddress", "Traffic Domain", "Type", "Mode", "Arp", "Icmp", "Vserver", "State"]),
        cols(["", "---------", "--------------", "----", "----", "---", "----", "-------", "------"]),
        cols(["1)", a, "0", "NetScaler IP", "Active", "Enabled", "Enabled", "NA", "Enabled"]),
        ...(device.node.cluster !== null ? [cols(["2)", device.node.cluster.clusterIp, "0", "CLIP", "Active", "Enabled", "Enabled", "NA", "Enabled"])] : []),
    ];
}
