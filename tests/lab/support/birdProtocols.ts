/**
 * `show protocols` from BIRD 1.x, read the way `calicoctl node status` reads it
 * (calicoctl/commands/node/status.go): the rows a Calico user sees for their BGP peers. Pure.
 */

/** One row of `show protocols`. */
export interface BirdProtocolRow {
    name: string;
    proto: string;
    table: string;
    state: string;
    since: string;
    info: string;
}

/** One row of `calicoctl node status`'s IPv4 or IPv6 table. */
export interface CalicoPeerStatus {
    peerAddress: string;
    /** `global`, `node-to-node mesh` or `node specific`. */
    peerType: string;
    /** BIRD's protocol state: `up`, `start`, `down`, ... */
    state: string;
    since: string;
    /** BGP state plus the last error, e.g. `Established` or `Idle Received: Bad peer AS`. */
    info: string;
}

/**
 * Accepts both birdc's output and the raw control-socket protocol (`0001`, `2002-`, `1002-`,
 * continuation lines starting with a space, `0000`).
 */
export function parseBirdProtocols(text: string): BirdProtocolRow[] {
    const rows: BirdProtocolRow[] = [];
    for (const raw of text.split(/\r?\n/)) {
        let line = raw;
        const coded = /^(\d{4})([- ])(.*)$/.exec(line);
        if (coded) {
            if (coded[1] !== "1002") continue;
            line = coded[3]!;
        }
        const words = line.trim().split(/\s+/);
        if (words.length < 5 || words[0] === "name" || /^BIRD\b/.test(words[0]!)) continue;
        rows.push({
            name: words[0]!,
            proto: words[1]!,
            table: words[2]!,
            state: words[3]!,
            since: words[4]!,
            info: words.slice(5).join(" "),
        });
    }
    return rows;
}

const PEER_TYPES: Record<string, string> = { Global: "global", Mesh: "node-to-node mesh", Node: "node specific" };

/**
 * calicoctl's rules: BGP rows only, with at least 6 columns (a row with an empty info column is
 * dropped, as calicoctl does), named `Global_`/`Mesh_`/`Node_` + the address with `_` for `.`
 * (bird's rows) or for `:` (bird6's rows, `ipv6`).
 */
export function calicoPeerStatuses(rows: readonly BirdProtocolRow[], family: "ipv4" | "ipv6" = "ipv4"): CalicoPeerStatus[] {
    const out: CalicoPeerStatus[] = [];
    for (const r of rows) {
        if (r.proto !== "BGP" || r.info === "") continue;
        const m = /^(Global|Node|Mesh)_(.+)$/.exec(r.name);
        if (!m) continue;
        out.push({
            peerAddress: m[2]!.replace(/_/g, family === "ipv4" ? "." : ":"),
            peerType: PEER_TYPES[m[1]!]!,
            state: r.state,
            since: r.since,
            info: r.info,
        });
    }
    return out;
}
