/**
 * Parsers for the scalar values that end up on the device's command line. Each returns either
 * the parsed value or a reason a user can act on; nothing downstream re-checks them.
 */
import * as ipaddr from "ipaddr.js";
import { REDACTED } from "../device/redact";

/** A 4-byte AS number, 1..4294967295. */
export type Asn = number & { readonly __brand: "Asn" };
/** An IPv4 or IPv6 address in canonical text form (IPv6 compressed, lower case). */
export type IpAddress = string & { readonly __brand: "IpAddress" };
/** An IPv4 address in dotted-quad form. */
export type Ipv4Address = IpAddress & { readonly __v4: true };

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

export const MAX_ASN = 4294967295;

/** Accepts a number or a decimal string (Pulumi config values arrive as strings). */
export function parseAsn(raw: unknown): Parsed<Asn> {
    const trimmed = typeof raw === "string" ? raw.trim() : undefined;
    const n = trimmed !== undefined && /^\d+$/.test(trimmed) ? Number(trimmed) : raw;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_ASN) {
        return fail(`${show(raw)} is not an AS number: use a whole number from 1 to ${MAX_ASN} (e.g. 500 for the ADC, 64512 for Calico's default)`);
    }
    return ok(n as Asn);
}

/**
 * An AS number as a device prints it: asplain (`4259840010`) or asdot (`65000.10`, RFC 5396),
 * which Cisco-style and ZebOS builds print when `bgp asnotation dot` is set.
 */
export function parseDeviceAsn(raw: string | undefined): Parsed<Asn> {
    // Every neighbor's remote-as comes this way: asplain, the common form, has no dot to look for.
    const m = raw === undefined || !raw.includes(".") ? null : /^(\d{1,5})\.(\d{1,5})$/.exec(raw);
    if (!m) return parseAsn(raw);
    const high = Number(m[1]);
    const low = Number(m[2]);
    if (high > 65535 || low > 65535) return fail(`${show(raw)} is not an asdot AS number: both halves run from 0 to 65535`);
    return parseAsn(high * 65536 + low);
}

/** A dotted quad already in canonical form (four decimal octets 0-255, no leading zeros), which is its own canonical form. */
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * Parses IPv4 or IPv6 (no prefix length, no zone) into canonical form, so that IPv6 spellings
 * (case, leading zeros, zero compression, an IPv4 tail) compare equal. IPv4 must be four plain
 * decimal octets: a shorthand or leading-zero form is refused, since stacks read it differently.
 */
export function parseIpAddress(raw: unknown): Parsed<IpAddress> {
    // Every address of a running config and of the inputs comes this way, thousands at a time:
    // the common, canonical IPv4 spelling skips ipaddr.js's three parses.
    if (typeof raw === "string" && CANONICAL_IPV4.test(raw)) return ok(raw as IpAddress);
    if (typeof raw !== "string" || !ipaddr.isValid(raw.trim()) || raw.includes("%") || raw.includes("/")) {
        return fail(`${show(raw)} is not an IPv4 or IPv6 address (give the address alone, without a prefix length)`);
    }
    const text = raw.trim();
    // ipaddr.js also accepts shorthand IPv4 such as "10.1" or octal "010.0.0.1", which a device
    // would read differently: insist on four plain decimal octets.
    if (!text.includes(":") && !ipaddr.IPv4.isValidFourPartDecimal(text)) {
        return fail(`${show(raw)} is not a dotted-quad IPv4 address: write four decimal numbers 0-255 without leading zeros (e.g. 10.102.33.198)`);
    }
    if (!text.includes(":")) return ok(ipaddr.parse(text).toString() as IpAddress);
    const v6 = ipv6WithoutIpv4Tail(text);
    if (v6 === null) return fail(`${show(raw)} has an IPv4 part that is not four decimal numbers 0-255 without leading zeros; write the address in hex groups (e.g. 64:ff9b::a00:1)`);
    return ok(ipaddr.IPv6.parse(v6).toString() as IpAddress);
}

/**
 * IPv6 text with its dotted IPv4 tail (`64:ff9b::10.0.0.1`) written as two hex groups, since
 * ipaddr.js reads `::10.0.0.1` as `::ffff:a00:1`, another address; null when the tail is not a
 * plain dotted quad (`::ffff:010.0.0.1` is octal to some stacks).
 */
function ipv6WithoutIpv4Tail(text: string): string | null {
    if (!text.includes(".")) return text;
    const at = text.lastIndexOf(":");
    const tail = text.slice(at + 1);
    if (!ipaddr.IPv4.isValidFourPartDecimal(tail)) return null;
    const [a, b, c, d] = ipaddr.IPv4.parse(tail).octets;
    return `${text.slice(0, at + 1)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
}

/** What the word after `neighbor` names, as far as the word alone can tell. */
export type NeighborRef =
    /** An address the device certainly means as written, in canonical form. */
    | { readonly kind: "address"; readonly address: IpAddress }
    /** Not an address: a peer group or an interface, as the block's declarations say. */
    | { readonly kind: "name"; readonly name: string }
    /** An address in a form whose meaning depends on the stack: which neighbor it is, nobody can say. */
    | { readonly kind: "doubtful"; readonly why: string };

/**
 * Reads the word after `neighbor` on a device's line. Canonicalizes only what every stack reads
 * alike (IPv6 case, leading zeros in a group, zero compression); a form some stack reads as
 * another address (IPv4 with leading zeros, which inet_aton takes as octal, or shorthand; IPv6
 * with a zone; an IPv4-mapped or -compatible IPv6 address, which a stack may take as the IPv4
 * neighbor) is doubtful, never a name and never another address.
 */
export function parseNeighborRef(word: string): NeighborRef {
    // Once or twice per neighbor line of a running config: the canonical IPv4 spelling first.
    if (CANONICAL_IPV4.test(word)) return { kind: "address", address: word as IpAddress };
    const shown = show(word);
    if (word.includes(":")) {
        const zone = word.indexOf("%");
        if (zone >= 0) {
            return { kind: "doubtful", why: `${shown} is an IPv6 address with a zone (${word.slice(zone)}): whether the device holds it apart from the same address without the zone, or on another interface, is not certain` };
        }
        const v6 = ipaddr.IPv6.isValid(word) ? ipv6WithoutIpv4Tail(word) : null;
        if (v6 === null || !ipaddr.IPv6.isValid(v6)) return { kind: "doubtful", why: `${shown} has a ":" but is not an IPv6 address the package can read, so which neighbor it is is not certain` };
        const ip = ipaddr.IPv6.parse(v6);
        const parts = ip.parts;
        // ::a.b.c.d (compatible), ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (RFC 6145), by their
        // groups: ipaddr.js's range() walks every special range for each of thousands of neighbors.
        const zeros = (n: number) => parts.slice(0, n).every((p) => p === 0);
        const compatible = zeros(6) && (parts[6] !== 0 || parts[7]! > 1);
        const mapped = zeros(5) && parts[5] === 0xffff;
        const translated = zeros(4) && parts[4] === 0xffff && parts[5] === 0;
        if (compatible || mapped || translated || word.includes(".")) {
            const v4 = [parts[6]! >> 8, parts[6]! & 0xff, parts[7]! >> 8, parts[7]! & 0xff].join(".");
            return { kind: "doubtful", why: `${shown} is an IPv6 address with an IPv4 part, which a stack may take as the IPv4 neighbor ${v4}, so which neighbor it is is not certain` };
        }
        return { kind: "address", address: ip.toString() as IpAddress };
    }
    if (ipaddr.IPv4.isValidFourPartDecimal(word)) return { kind: "address", address: ipaddr.IPv4.parse(word).toString() as IpAddress };
    if (ipaddr.IPv4.isValid(word) || /^\d[\dA-Fa-fXx.]*$/.test(word)) {
        return { kind: "doubtful", why: `${shown} reads as an IPv4 address but not as four decimal numbers without leading zeros: some stacks read 010 as octal (8), others as 10, or expand a short form, so which neighbor it is is not certain` };
    }
    return { kind: "name", name: word };
}

/** An address prefix as a device prints it (`192.0.2.0/24`, `2001:db8::/64`), its network in canonical form. */
export interface DevicePrefix {
    readonly network: IpAddress;
    readonly length: number;
}

/**
 * Reads a prefix word of a device's line. Its address must be one {@link parseNeighborRef}
 * reads as certain, and its length a plain decimal within the family's bits: any other form
 * covers addresses nobody can name, so the reason says why instead.
 */
export function parseDevicePrefix(word: string): Parsed<DevicePrefix> {
    const slash = word.indexOf("/");
    const address = slash < 0 ? null : parseNeighborRef(word.slice(0, slash));
    const lengthText = slash < 0 ? "" : word.slice(slash + 1);
    const bits = address?.kind === "address" && address.address.includes(":") ? 128 : 32;
    if (address?.kind !== "address" || !/^(?:0|[1-9]\d{0,2})$/.test(lengthText) || Number(lengthText) > bits) {
        return fail(`${show(word)} is not a prefix the package can read (an address in canonical form, "/" and a length of 0 to 32 for IPv4 or 128 for IPv6), so which addresses it covers is not certain`);
    }
    return ok({ network: address.address, length: Number(lengthText) });
}

/** Whether the prefix covers the address (never across families). */
export function prefixCovers(prefix: DevicePrefix, address: IpAddress): boolean {
    const a = ipaddr.parse(address);
    const network = ipaddr.parse(prefix.network);
    if (a.kind() !== network.kind()) return false;
    return a.kind() === "ipv6" ? (a as ipaddr.IPv6).match(network as ipaddr.IPv6, prefix.length) : (a as ipaddr.IPv4).match(network as ipaddr.IPv4, prefix.length);
}

/**
 * The address family of an address: a parsed one, or one as a device lists it (IPv6 text in any
 * spelling holds a colon, IPv4 text never).
 */
export function addressFamilyOf(address: IpAddress | string): "ipv4" | "ipv6" {
    return address.includes(":") ? "ipv6" : "ipv4";
}

export function parseIpv4Address(raw: unknown): Parsed<Ipv4Address> {
    const parsed = parseIpAddress(raw);
    if (!parsed.ok) return parsed;
    if (parsed.value.includes(":")) return fail(`${show(raw)} is an IPv6 address; give an IPv4 address here`);
    return ok(parsed.value as Ipv4Address);
}

/**
 * The ranges of ipaddr.js's that {@link unusableAddress} refuses, for a canonical dotted quad,
 * read from its octets in ipaddr.js's order (broadcast before 240.0.0.0/4): every neighbor of
 * the inputs and of the state comes this way, and `range()` walks all eleven special ranges.
 */
function refusedIpv4Range(text: string): "unspecified" | "broadcast" | "multicast" | "loopback" | "reserved" | undefined {
    const first = Number(text.slice(0, text.indexOf(".")));
    if (first === 0) return "unspecified";
    if (first === 127) return "loopback";
    if (first >= 224 && first <= 239) return "multicast";
    if (first < 240) return undefined;
    return text === "255.255.255.255" ? "broadcast" : "reserved";
}

const REFUSED = {
    unspecified: "is in 0.0.0.0/8 ('this network'), not a host's address",
    broadcast: "is the broadcast address, not a host's address",
    multicast: "is a multicast address; a BGP session needs a unicast address",
    loopback: "is a loopback address, which means the ADC itself",
    reserved: "is in 240.0.0.0/4, reserved and not routable",
} as const;

/** Why an address cannot be a BGP peer (or the ADC's end of a session), by ipaddr.js's ranges; undefined if it can. */
function unusableAddress(text: string): string | undefined {
    const ip = CANONICAL_IPV4.test(text) ? undefined : ipaddr.parse(text);
    if (ip === undefined || ip.kind() === "ipv4") {
        const range = refusedIpv4Range(ip === undefined ? text : ip.toString());
        return range === undefined ? undefined : REFUSED[range];
    }
    const range = ip.range();
    if (range === "ipv4Mapped" || range === "rfc6145") {
        const [, , , , , , high, low] = (ip as ipaddr.IPv6).parts;
        const v4 = [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
        return `is an IPv4-mapped IPv6 address, which the device shows as ${v4}: write "${v4}"`;
    }
    const why: Record<string, string> = {
        unspecified: "is the unspecified address ::, not a host's address",
        multicast: REFUSED.multicast,
        loopback: REFUSED.loopback,
        linkLocal: "is an IPv6 link-local address, which needs an interface the resource cannot name; use the node's global or unique-local address",
    };
    return why[range];
}

/**
 * A unicast address another BGP speaker can have: a neighbor's address, or the ADC's own
 * address in `update-source`. Refuses what can never be one (0.0.0.0/8, ::, broadcast,
 * multicast, loopback, 240.0.0.0/4, IPv6 link-local, and IPv4-mapped IPv6, which the device
 * would show in its IPv4 spelling so that the resource never converges), and any address the
 * running configuration's reader would not read back as that neighbor (IPv4-compatible IPv6).
 */
export function parsePeerAddress(raw: unknown): Parsed<IpAddress> {
    const parsed = parseIpAddress(raw);
    if (!parsed.ok) return parsed;
    const why = unusableAddress(parsed.value);
    if (why) return fail(`${show(raw)} ${why}; give the peer's unicast address`);
    // What the device then shows must read back as this neighbor: an IPv4-compatible address
    // (`::b`, `::10.0.0.1`) reads as doubtful, and every plan in the block would be refused.
    const back = parseNeighborRef(parsed.value);
    return back.kind === "address" ? parsed : fail(`${show(raw)} cannot be a neighbor: ${back.kind === "doubtful" ? back.why : "it reads as a name"}; give the peer's IPv4 address, or an IPv6 address without an IPv4 part`);
}

/** A BGP router id: a dotted quad that is not 0.0.0.0 (RFC 6286 wants it non-zero), the broadcast address or multicast. */
export function parseRouterId(raw: unknown): Parsed<Ipv4Address> {
    const parsed = parseIpv4Address(raw);
    if (!parsed.ok) return parsed;
    const range = ipaddr.parse(parsed.value).range();
    if (parsed.value === "0.0.0.0" || range === "broadcast" || range === "multicast") {
        return fail(`${show(raw)} cannot be a BGP router id; use one of the ADC's own unicast IPv4 addresses (e.g. its SNIP), or leave routerId out to let the device choose`);
    }
    return parsed;
}

/** A DNS label: letters, digits and inner hyphens, 1..63 characters. */
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/**
 * The ADC's management address: an IP address in canonical form (four decimal octets without
 * leading zeros, or IPv6) or a DNS name. A number the system resolver would read as another
 * address (`010.0.0.1` is 8.0.0.1, `127.1`, `0x7f.0.0.1` and `2130706433` are 127.0.0.1) is
 * refused, naming the address it would reach.
 */
export function parseHost(raw: unknown): Parsed<string> {
    if (typeof raw !== "string") return fail(`${show(raw)} is not text; give the ADC's management address (NSIP) or DNS name`);
    if (raw.includes(":")) {
        const ip = parseIpAddress(raw);
        if (!ip.ok) return fail(`${show(raw)} is not an IPv6 address (give it without brackets, port or zone; the port is connection.port)`);
        const why = unusableAddress(ip.value);
        return why && !why.startsWith("is a loopback") ? fail(`${show(raw)} ${why}; give the ADC's management address (NSIP)`) : ip;
    }
    if (ipaddr.IPv4.isValid(raw) && !ipaddr.IPv4.isValidFourPartDecimal(raw)) {
        let reached = "another address";
        try {
            reached = ipaddr.IPv4.parse(raw).toString();
        } catch {
            // Out of range for ipaddr.js: still a number the resolver may read.
        }
        return fail(`${show(raw)} is a number the system resolver reads as ${reached}; write the address as four decimal numbers without leading zeros (e.g. "${reached}")`);
    }
    if (ipaddr.IPv4.isValidFourPartDecimal(raw)) {
        const why = unusableAddress(raw);
        return why && !why.startsWith("is a loopback") ? fail(`${show(raw)} ${why}; give the ADC's management address (NSIP)`) : ok(raw);
    }
    const name = raw.endsWith(".") ? raw.slice(0, -1) : raw;
    const labels = name.split(".");
    if (name.length === 0 || name.length > 253 || !labels.every((l) => LABEL.test(l))) {
        return fail(`${show(raw)} is neither an IP address nor a DNS name (letters, digits, hyphens and dots); give the ADC's management address (NSIP)`);
    }
    if (/^\d+$/.test(labels[labels.length - 1]) || /^0x/i.test(labels[0])) {
        return fail(`${show(raw)} looks like a number, not a DNS name (a name's last label is never all digits); write the address as four decimal numbers (e.g. 10.102.33.1)`);
    }
    return ok(raw);
}

export function parseIntegerInRange(raw: unknown, min: number, max: number, what: string): Parsed<number> {
    const trimmed = typeof raw === "string" ? raw.trim() : undefined;
    const n = trimmed !== undefined && /^\d+$/.test(trimmed) ? Number(trimmed) : raw;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
        return fail(`${show(raw)} is not a valid ${what}: use a whole number from ${min} to ${max}`);
    }
    // -0 is 0 (and stored as 0).
    return ok(n === 0 ? 0 : n);
}

/**
 * Characters that must never reach the device inside a value: line breaks and other control
 * characters would end the line and start another command; `;` chains commands in the
 * NetScaler CLI; `?` makes vtysh print help instead of taking the line; quotes and backslashes
 * are interpreted by some CLI builds.
 */
const UNSAFE = /[;?"'\\`]/;

/** Whether the CLI takes `text` as typed: none of {@link UNSAFE}'s characters, nothing invisible. */
export function typesAsIs(text: string): boolean {
    return !UNSAFE.test(text) && invisibleCharacter(text) === undefined;
}

/**
 * Code points that are invisible, end a line, or are no character at all: control characters
 * (C0, DEL, C1 such as U+0085), format characters (zero-width joiners, bidi controls, BOM), line
 * and paragraph separators (U+2028, U+2029), spaces other than U+0020, lone surrogates (the
 * device stores U+FFFD instead, so the value would never match), private-use and unassigned
 * code points.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|[^\P{Zs} ]/u;

const CATEGORY: readonly [RegExp, string][] = [
    [/\p{Cc}/u, "a control character"],
    [/\p{Cf}/u, "an invisible format character"],
    [/\p{Cs}/u, "half of a surrogate pair (not a character: the device would store U+FFFD instead)"],
    [/[\p{Zl}\p{Zp}]/u, "a line or paragraph separator"],
    [/\p{Zs}/u, "a space other than the ASCII space"],
    [/\p{Co}/u, "a private-use character"],
    [/\p{Cn}/u, "an unassigned code point"],
];

/**
 * Why `text` holds a character that must not be in any text input (see {@link INVISIBLE}),
 * naming the code point and its position; undefined if it holds none. `allow` lists control
 * characters a field may carry (the line breaks of a private key).
 */
export function invisibleCharacter(text: string, allow = ""): string | undefined {
    for (let i = 0; i < text.length; i++) {
        const code = text.codePointAt(i)!;
        const ch = String.fromCodePoint(code);
        if (code > 0xffff) i++;
        if (allow.includes(ch) || !INVISIBLE.test(ch)) continue;
        const what = CATEGORY.find(([re]) => re.test(ch))?.[1] ?? "an invisible character";
        return `contains U+${code.toString(16).toUpperCase().padStart(4, "0")}, ${what}, at position ${i + 1 - (code > 0xffff ? 1 : 0)}; remove it`;
    }
    return undefined;
}

/**
 * Free text for one CLI argument that may contain spaces (a neighbor description).
 * `secret` keeps the value itself out of the reason.
 */
export function parseCliText(raw: unknown, what: string, maxLength: number, opts: { spaces: boolean; secret?: boolean }): Parsed<string> {
    const shown = opts.secret ? `the ${what}` : show(raw);
    if (typeof raw !== "string") return fail(`${opts.secret ? `the ${what}` : show(raw)} is not text; give the ${what} as a string`);
    if (raw.length === 0) return fail(`the ${what} is empty; leave it out instead`);
    const invisible = invisibleCharacter(raw);
    if (invisible) return fail(`${shown} ${invisible}`);
    if (raw.length > maxLength) return fail(`the ${what} is ${raw.length} characters long; the device takes at most ${maxLength}: shorten it`);
    const bad = UNSAFE.exec(raw);
    if (bad) return fail(`${shown} contains "${bad[0]}", which the CLI would read as part of another command; remove it`);
    // The redactor takes that text for a secret it has already hidden, and would show the rest.
    if (opts.secret && raw.includes(REDACTED)) return fail(`${shown} contains "${REDACTED}", the text this package shows in place of secrets; use a password without it`);
    if (!opts.spaces && /\s/.test(raw)) return fail(`${shown} contains white space; the ${what} must be one word`);
    if (raw !== raw.trim()) return fail(`${shown} starts or ends with white space, which the device would drop; remove it`);
    if (/\s{2,}/.test(raw)) return fail(`${shown} contains repeated white space, which the device would fold into one; use single spaces`);
    return ok(raw);
}

/**
 * A credential that never reaches the CLI (an SSH password, a key passphrase, a private key):
 * any text, but no invisible character (a lone surrogate cannot even be sent as UTF-8).
 * `lines` lets it hold line breaks (a private key). The reason never shows the value.
 */
export function parseCredential(raw: unknown, what: string, opts: { lines?: boolean } = {}): Parsed<string> {
    if (typeof raw !== "string" || raw.length === 0) return fail(`the ${what} must be non-empty text (a string); leave it out if it is not used`);
    const invisible = invisibleCharacter(raw, opts.lines ? "\n\r" : "");
    return invisible ? fail(`the ${what} ${invisible}`) : ok(raw);
}

/** The Levenshtein distance between two short strings (key names). */
export function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = row;
    }
    return prev[b.length];
}

/**
 * Why a key is refused: the closest known key when it is a likely typo (same letters in another
 * case, or a few edits away), else the list of known keys.
 */
export function unknownKeyReason(key: string, known: readonly string[], of: string): string {
    const scored = known.map((k) => ({ k, d: k.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key.toLowerCase(), k.toLowerCase()) }));
    const best = scored.sort((x, y) => x.d - y.d)[0];
    const close = best !== undefined && best.d <= Math.max(2, Math.floor(key.length / 3));
    return close
        ? `is not an input of ${of}; did you mean "${best.k}"?`
        : `is not an input of ${of}, which takes ${known.join(", ")}; remove it`;
}

/** `update-source` takes an interface name (`vlan101`, `lo0`) or an address of the ADC. */
export function parseUpdateSource(raw: unknown): Parsed<string> {
    if (typeof raw === "string" && /^[A-Za-z][A-Za-z0-9._/-]{0,31}$/.test(raw)) return ok(raw);
    if ((typeof raw === "string" && raw.includes(":")) || ipaddr.IPv4.isValid(String(raw))) {
        const ip = parsePeerAddress(raw);
        return ip.ok ? ip : fail(ip.reason.replace("the peer's unicast address", "one of the ADC's unicast addresses (e.g. its SNIP)"));
    }
    return fail(`${show(raw)} is neither an interface name (e.g. vlan101) nor an IP address of the ADC; give one of them`);
}

/** Keys whose values are secrets wherever they appear in an input (`password`, `privateKey`, `neighborPasswords`, ...). */
const SECRET_KEY = /pass|secret|private|credential|token/i;
/** {@link INVISIBLE}, every match: compiled once (its Unicode classes are costly to build), and `replace` starts it at 0 each time. */
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, "gu");

/**
 * Shows a user's value in a message without letting it break the message, and without any
 * secret in it: values under secret-looking keys are replaced, at any depth, so a wrongly
 * shaped input (one neighbor object instead of a list) can be shown whole.
 */
export function show(raw: unknown): string {
    if (raw === undefined) return "nothing";
    let text: string;
    if (typeof raw === "string") {
        text = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
    } else {
        try {
            text = JSON.stringify(raw, (key, value: unknown) => (key !== "" && SECRET_KEY.test(key) && value !== undefined && value !== null ? REDACTED : value)) ?? String(raw);
        } catch {
            text = Object.prototype.toString.call(raw);
        }
        if (text.length > 200) text = `${text.slice(0, 197)}...`;
    }
    // What JSON leaves as it is but would still break or hide part of a message (U+0085, U+2028, bidi controls).
    return text.replace(INVISIBLE_ALL, (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, "0")}`);
}
