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
    const n = typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_ASN) {
        return fail(`${show(raw)} is not an AS number: use a whole number from 1 to ${MAX_ASN} (e.g. 500 for the ADC, 64512 for Calico's default)`);
    }
    return ok(n as Asn);
}

/** Parses IPv4 or IPv6 (no prefix length, no zone) into canonical form, so `10.0.0.01`-style variants and IPv6 spellings compare equal. */
export function parseIpAddress(raw: unknown): Parsed<IpAddress> {
    if (typeof raw !== "string" || !ipaddr.isValid(raw.trim()) || raw.includes("%") || raw.includes("/")) {
        return fail(`${show(raw)} is not an IPv4 or IPv6 address (give the address alone, without a prefix length)`);
    }
    const text = raw.trim();
    // ipaddr.js also accepts shorthand IPv4 such as "10.1" or octal "010.0.0.1", which a device
    // would read differently: insist on four plain decimal octets.
    if (!text.includes(":") && !ipaddr.IPv4.isValidFourPartDecimal(text)) {
        return fail(`${show(raw)} is not a dotted-quad IPv4 address (four decimal numbers 0-255, e.g. 10.102.33.198)`);
    }
    return ok(ipaddr.parse(text).toString() as IpAddress);
}

export function parseIpv4Address(raw: unknown): Parsed<Ipv4Address> {
    const parsed = parseIpAddress(raw);
    if (!parsed.ok) return parsed;
    if (parsed.value.includes(":")) return fail(`${show(raw)} is an IPv6 address; an IPv4 address is needed here`);
    return ok(parsed.value as Ipv4Address);
}

export function parseIntegerInRange(raw: unknown, min: number, max: number, what: string): Parsed<number> {
    const n = typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
        return fail(`${show(raw)} is not a valid ${what}: use a whole number from ${min} to ${max}`);
    }
    return ok(n);
}

/**
 * Characters that must never reach the device inside a value: line breaks and other control
 * characters would end the line and start another command; `;` chains commands in the
 * NetScaler CLI; `?` makes vtysh print help instead of taking the line; quotes and backslashes
 * are interpreted by some CLI builds.
 */
const UNSAFE = /[\u0000-\u001f\u007f;?"'\\`]/;

/**
 * Free text for one CLI argument that may contain spaces (a neighbor description).
 * `secret` keeps the value itself out of the reason.
 */
export function parseCliText(raw: unknown, what: string, maxLength: number, opts: { spaces: boolean; secret?: boolean }): Parsed<string> {
    const shown = opts.secret ? "the value" : show(raw);
    if (typeof raw !== "string") return fail(`${shown} is not text`);
    if (raw.length === 0) return fail(`the ${what} is empty; leave it out instead`);
    if (raw.length > maxLength) return fail(`the ${what} is ${raw.length} characters long; the device takes at most ${maxLength}`);
    const bad = UNSAFE.exec(raw);
    if (bad) {
        const ch = bad[0].charCodeAt(0) < 0x20 || bad[0] === "\u007f" ? `control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, "0")}` : `"${bad[0]}"`;
        return fail(`${shown} contains ${ch}, which the CLI would read as part of another command; remove it`);
    }
    if (!opts.spaces && /\s/.test(raw)) return fail(`${shown} contains white space; the ${what} must be one word`);
    if (raw !== raw.trim()) return fail(`${shown} starts or ends with white space, which the device would drop`);
    if (/\s{2,}/.test(raw)) return fail(`${shown} contains repeated white space, which the device would fold into one`);
    return ok(raw);
}

/** `update-source` takes an interface name (`vlan101`, `lo0`) or an address of the ADC. */
export function parseUpdateSource(raw: unknown): Parsed<string> {
    if (typeof raw === "string" && /^[A-Za-z][A-Za-z0-9._/-]{0,31}$/.test(raw)) return ok(raw);
    const ip = parseIpAddress(raw);
    if (ip.ok) return ip;
    return fail(`${show(raw)} is neither an interface name (e.g. vlan101) nor an IP address of the ADC`);
}

/** Keys whose values are secrets wherever they appear in an input (`password`, `privateKey`, `neighborPasswords`, ...). */
const SECRET_KEY = /pass|secret|private|credential|token/i;

/**
 * Shows a user's value in a message without letting it break the message, and without any
 * secret in it: values under secret-looking keys are replaced, at any depth, so a wrongly
 * shaped input (one neighbor object instead of a list) can be shown whole.
 */
export function show(raw: unknown): string {
    if (raw === undefined) return "nothing";
    if (typeof raw === "string") return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
    try {
        const text = JSON.stringify(raw, (key, value: unknown) => (key !== "" && SECRET_KEY.test(key) && value !== undefined && value !== null ? REDACTED : value)) ?? String(raw);
        return text.length > 200 ? `${text.slice(0, 197)}...` : text;
    } catch {
        return Object.prototype.toString.call(raw);
    }
}
