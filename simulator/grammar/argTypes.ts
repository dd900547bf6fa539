import { isIPv4, isIPv6 } from "node:net";

/** How a command table recognises one argument word. */
export interface ArgType {
    /** Shown in messages and tests, e.g. `<1-4294967295>`. */
    readonly label: string;
    accepts(word: string): boolean;
}

const DIGITS = /^\d+$/;

/** An unsigned integer in `[min, max]`, written in decimal without sign (like ZebOS `<1-65535>`). */
export function range(min: number, max: number): ArgType {
    return {
        label: `<${min}-${max}>`,
        accepts: (word) => DIGITS.test(word) && word.length <= 10 && Number(word) >= min && Number(word) <= max,
    };
}

export const anyWord: ArgType = { label: "WORD", accepts: () => true };
export const ipv4Address: ArgType = { label: "A.B.C.D", accepts: (w) => isIPv4(w) };
export const ipv6Address: ArgType = { label: "X:X::X:X", accepts: (w) => isIPv6(w) };
export const asNumber: ArgType = range(1, 4294967295);
/** `A.B.C.D/M` (host bits allowed: ZebOS, like Quagga, clears them). */
export const ipv4Prefix: ArgType = {
    label: "A.B.C.D/M",
    accepts: (w) => {
        const m = /^([^/]+)\/(\d{1,2})$/.exec(w);
        return m !== null && isIPv4(m[1]!) && Number(m[2]) <= 32;
    },
};

/** `X:X::X:X/M` (host bits allowed, cleared as for IPv4). */
export const ipv6Prefix: ArgType = {
    label: "X:X::X:X/M",
    accepts: (w) => {
        const m = /^([^/]+)\/(\d{1,3})$/.exec(w);
        return m !== null && isIPv6(m[1]!) && Number(m[2]) <= 128;
    },
};

/** The argument types every table may name in its syntax strings (`<name:type>`). */
export const builtinArgTypes: Readonly<Record<string, ArgType>> = {
    word: anyWord,
    ipv4: ipv4Address,
    ipv6: ipv6Address,
    asn: asNumber,
    ipv4prefix: ipv4Prefix,
    ipv6prefix: ipv6Prefix,
};
