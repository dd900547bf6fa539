/**
 * nscli `show route`: the packet engine's routing table, where BGP-learned routes appear only
 * after `ns route-install bgp`. Keyed on the numbered rows, not on column widths (only one
 * NetScaler sample of the layout is known). Pure.
 */

export interface AdcRoute {
    readonly network: string;
    readonly netmask: string;
    /** Gateway for learned and static routes, the owning address for direct ones. */
    readonly gateway: string;
    readonly state: string;
    readonly trafficDomain: string;
    /** `STATIC`, `PERMANENT`, `DIRECT`, `BGP` (the label of installed BGP routes is not confirmed on a real device). */
    readonly type: string;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Rows look like `4)      192.168.10.0     255.255.255.192  192.0.2.11       UP      0               BGP`. */
export function parseShowRoute(text: string): AdcRoute[] {
    const routes: AdcRoute[] = [];
    for (const line of text.split(/\r?\n/)) {
        const m = /^\s*\d+\)\s+(.*)$/.exec(line);
        if (!m) continue;
        const w = m[1]!.trim().split(/\s+/);
        if (w.length < 4 || !IPV4.test(w[0]!) || !IPV4.test(w[1]!) || !IPV4.test(w[2]!)) continue;
        // The older layout has no State and Traffic Domain columns: network netmask gateway type.
        const [state, trafficDomain, type] = w.length >= 6 ? [w[3]!, w[4]!, w.slice(5).join(" ")] : ["", "", w.slice(3).join(" ")];
        routes.push({ network: w[0]!, netmask: w[1]!, gateway: w[2]!, state, trafficDomain, type });
    }
    return routes;
}

/** `255.255.255.192` → 26; undefined for a non-contiguous mask. */
export function prefixLength(netmask: string): number | undefined {
    const bits = netmask
        .split(".")
        .map((o) => Number(o).toString(2).padStart(8, "0"))
        .join("");
    if (!/^1*0*$/.test(bits) || bits.length !== 32) return undefined;
    const firstZero = bits.indexOf("0");
    return firstZero === -1 ? 32 : firstZero;
}

/** `192.168.10.0/26` for a route, for comparing with Calico's block CIDRs. */
export function routeCidr(route: AdcRoute): string {
    return `${route.network}/${prefixLength(route.netmask) ?? route.netmask}`;
}

/** The BGP routes the ADC installed (dynamic routes learned over BGP). */
export function bgpRoutes(routes: readonly AdcRoute[], typeLabel = "BGP"): AdcRoute[] {
    return routes.filter((r) => r.type.toUpperCase() === typeLabel.toUpperCase());
}
