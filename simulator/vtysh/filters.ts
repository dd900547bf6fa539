/**
 * Route filtering in the simulated ZebOS: `ip prefix-list` (global configuration mode) and a
 * neighbor's `prefix-list` and `maximum-prefix` (router mode). The syntax and semantics follow
 * Quagga's `lib/plist.c` and `bgpd/bgp_vty.c`, ZebOS' ancestor; NetScaler's exact texts are
 * unconfirmed. Whether the appliance takes these commands at all is a setting: without it they
 * are unknown commands, so a client can be seen refusing clearly.
 */
import ipaddr from "ipaddr.js";
import { Args, CommandTable } from "../grammar/commandTable";
import { canonicalAddress } from "../model/addresses";
import { BgpRouterConfig, NeighborConfig, PrefixListEntry } from "../model/zebos";
import { Shell } from "../session/shell";
import { VtyshCommand } from "./processor";
import { NO_BGP_INSTANCE } from "./show";

type Table = CommandTable<VtyshCommand>;
const cfg = (run: VtyshCommand["run"]): VtyshCommand => ({ run, config: true });

/** Quagga's text for a ge/le that does not fit the prefix. */
const invalidRange = (prefix: string) => `% Invalid prefix range for ${prefix}, make sure: len < ge-value <= le-value`;
const NO_SUCH_LIST = "% Can't find specified prefix-list";
const NO_SUCH_ENTRY = "% Can't find specified prefix-list entry";

/** The lists of one family: `ip prefix-list` or `ipv6 prefix-list`, each its own namespace. */
type Family = "ip" | "ipv6";
const listsOf = (shell: Shell, family: Family) => (family === "ip" ? shell.device.zebos.prefixLists : shell.device.zebos.ipv6PrefixLists);
const hostLength = (family: Family) => (family === "ip" ? 32 : 128);

/** `10.1.2.3/8` → `10.0.0.0/8`; `fd00::1/64` → `fd00::/64` (compressed, as Quagga prints it). */
function maskPrefix(prefix: string): { prefix: string; length: number } {
    const [address, lenText] = prefix.split("/") as [string, string];
    const length = Number(lenText);
    if (address.includes(":")) return { prefix: `${ipaddr.IPv6.networkAddressFromCIDR(`${address}/${length}`).toRFC5952String()}/${length}`, length };
    const n = address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
    const size = 2 ** (32 - length);
    const net = Math.floor(n / size) * size;
    return { prefix: `${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join(".")}/${length}`, length };
}

/**
 * The entry as Quagga stores it, or the error: ge must exceed the prefix length and not exceed
 * le; `le 32` together with `ge` adds nothing and is dropped (so `ge 26 le 32` shows as `ge 26`).
 */
function entryOf(seq: number, a: Args, family: Family = "ip"): PrefixListEntry | string {
    const typed = a.req("prefix");
    const { prefix, length } = maskPrefix(typed);
    const ge = a.get("ge") === undefined ? undefined : Number(a.get("ge"));
    let le = a.get("le") === undefined ? undefined : Number(a.get("le"));
    if (ge !== undefined && ge <= length) return invalidRange(typed);
    if (le !== undefined && le <= length) return invalidRange(typed);
    if (ge !== undefined && le !== undefined && ge > le) return invalidRange(typed);
    if (ge !== undefined && le === hostLength(family)) le = undefined;
    return { seq, action: a.req("action") as "permit" | "deny", prefix, ...(ge !== undefined ? { ge } : {}), ...(le !== undefined ? { le } : {}) };
}

const sameRule = (x: PrefixListEntry, y: PrefixListEntry) => x.action === y.action && x.prefix === y.prefix && x.ge === y.ge && x.le === y.le;

function addEntry(shell: Shell, name: string, entry: PrefixListEntry, family: Family = "ip"): string[] {
    const lists = listsOf(shell, family);
    const entries = lists.get(name) ?? [];
    // Quagga: an identical rule under another number is a no-op; a number in use is replaced.
    if (entries.some((e) => sameRule(e, entry) && e.seq !== entry.seq)) return [];
    const next = entries.filter((e) => e.seq !== entry.seq);
    next.push(entry);
    next.sort((x, y) => x.seq - y.seq);
    lists.set(name, next);
    shell.device.changed();
    return [];
}

const entryWords = (family: Family) =>
    family === "ip" ? "{action:permit|deny} <prefix:ipv4prefix> [ge <ge:0-32>] [le <le:0-32>]" : "{action:permit|deny} <prefix:ipv6prefix> [ge <ge:0-128>] [le <le:0-128>]";

/** `ns(config)#`: `ip prefix-list`s. */
export function prefixListConfigCommands(t: Table): Table {
    return listCommands(t, "ip");
}

/**
 * `ns(config)#`: `ipv6 prefix-list`s, Quagga's and FRR's syntax (`lib/plist.c`), lists of their
 * own even under a name an `ip prefix-list` has. That ZebOS on NetScaler takes them is
 * unconfirmed: the `ipv6PrefixListSupport` setting.
 */
export function ipv6PrefixListConfigCommands(t: Table): Table {
    return listCommands(t, "ipv6");
}

function listCommands(t: Table, family: Family): Table {
    const ENTRY = entryWords(family);
    return t
        .add(
            `${family} prefix-list <name:word> seq <seq:1-4294967295> ${ENTRY}`,
            cfg((shell, a) => {
                const e = entryOf(Number(a.req("seq")), a, family);
                return typeof e === "string" ? [e] : addEntry(shell, a.req("name"), e, family);
            }),
        )
        .add(
            `${family} prefix-list <name:word> ${ENTRY}`,
            cfg((shell, a) => {
                // Without a number, Quagga takes the next multiple of 5 after the highest.
                const entries = listsOf(shell, family).get(a.req("name")) ?? [];
                const seq = (Math.floor(Math.max(0, ...entries.map((x) => x.seq)) / 5) + 1) * 5;
                const e = entryOf(seq, a, family);
                return typeof e === "string" ? [e] : addEntry(shell, a.req("name"), e, family);
            }),
        )
        .add(
            `no ${family} prefix-list <name:word>`,
            cfg((shell, a) => {
                if (!listsOf(shell, family).delete(a.req("name"))) return [NO_SUCH_LIST];
                shell.device.changed();
                return [];
            }),
        )
        .add(
            `no ${family} prefix-list <name:word> seq <seq:1-4294967295> [${ENTRY}]`,
            cfg((shell, a) => {
                const lists = listsOf(shell, family);
                const entries = lists.get(a.req("name"));
                if (!entries) return [NO_SUCH_LIST];
                const seq = Number(a.req("seq"));
                const at = entries.findIndex((e) => e.seq === seq);
                if (at < 0) return [NO_SUCH_ENTRY];
                if (a.has("action")) {
                    const given = entryOf(seq, a, family);
                    if (typeof given === "string") return [given];
                    if (!sameRule(given, entries[at]!)) return [NO_SUCH_ENTRY];
                }
                entries.splice(at, 1);
                // Quagga deletes a list whose last entry goes.
                if (entries.length === 0) lists.delete(a.req("name"));
                shell.device.changed();
                return [];
            }),
        );
}

/** Runs `fn` on an existing neighbor of the router this session entered. */
function onNeighbor(fn: (n: NeighborConfig, a: Args) => string[] | void): VtyshCommand {
    return cfg((shell, a) => {
        const router: BgpRouterConfig | null = shell.device.zebos.bgp;
        if (!router || router.asn !== shell.routerAsn || !shell.device.bgpConfigurable) return [NO_BGP_INSTANCE];
        const peer = a.req("peer");
        const address = canonicalAddress(peer);
        if (!address) return [`% Malformed address: ${peer}`];
        const n = router.neighbors.get(address);
        if (!n) return ["% Specify remote-as or peer-group commands first"];
        const out = fn(n, a) ?? [];
        if (out.length === 0) shell.device.changed();
        return out;
    });
}

/** `[no] neighbor X <keyword> NAME in|out`: a named policy on each direction (the name need not exist yet). */
function directional(
    t: Table,
    keyword: string,
    fields: { readonly in: "prefixListIn" | "routeMapIn" | "ipv6PrefixListIn"; readonly out: "prefixListOut" | "routeMapOut" | "ipv6PrefixListOut" },
): Table {
    return t
        .add(
            `neighbor <peer:word> ${keyword} <name:word> {dir:in|out}`,
            onNeighbor((n, a) => {
                n[a.req("dir") === "in" ? fields.in : fields.out] = a.req("name");
            }),
        )
        .add(
            `no neighbor <peer:word> ${keyword} [<name:word>] {dir:in|out}`,
            onNeighbor((n, a) => {
                delete n[a.req("dir") === "in" ? fields.in : fields.out];
            }),
        );
}

/** `ns(config-router)#`: a neighbor's prefix lists. */
export function neighborPrefixListCommands(t: Table): Table {
    return directional(t, "prefix-list", { in: "prefixListIn", out: "prefixListOut" });
}

/** `ns(config-router-af)#` under `address-family ipv6`: a neighbor's IPv6 unicast prefix lists (names of `ipv6 prefix-list`s). */
export function neighborIpv6PrefixListCommands(t: Table): Table {
    return directional(t, "prefix-list", { in: "ipv6PrefixListIn", out: "ipv6PrefixListOut" });
}

/** `ns(config-router)#`: a neighbor's route-maps. */
export function neighborRouteMapCommands(t: Table): Table {
    return directional(t, "route-map", { in: "routeMapIn", out: "routeMapOut" });
}

/** `ns(config-router)#`: a neighbor's prefix limit. */
export function maximumPrefixCommands(t: Table): Table {
    return t
        .add(
            "neighbor <peer:word> maximum-prefix <limit:1-4294967295> [<threshold:1-100>] [{wo:warning-only}]",
            onNeighbor((n, a) => {
                const threshold = a.get("threshold");
                n.maximumPrefix = { limit: Number(a.req("limit")), ...(threshold !== undefined ? { threshold: Number(threshold) } : {}), warningOnly: a.has("wo") };
            }),
        )
        .add(
            "no neighbor <peer:word> maximum-prefix [<limit:1-4294967295>] [<threshold:1-100>] [{wo:warning-only}]",
            onNeighbor((n) => {
                delete n.maximumPrefix;
            }),
        );
}
