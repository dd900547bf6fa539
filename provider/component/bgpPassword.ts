/**
 * Which BGP passwords survive both ends. Calico renders `password "<pw>";` into bird.cfg and
 * caps it at 80 characters; the ADC takes it as one vtysh word. Pure; the password never
 * appears in a message (not even its length).
 */

/** Calico's limit for BGP passwords. */
export const MAX_BGP_PASSWORD_LENGTH = 80;

/** Why the password cannot be used, without revealing it; undefined when it can. */
export function bgpPasswordProblem(password: unknown): string | undefined {
    if (typeof password !== "string") return "must be a string (read it with config.requireSecret)";
    if (password.length === 0) return "is empty; leave bgpPassword unset for sessions without a password";
    if (password.length > MAX_BGP_PASSWORD_LENGTH) return `is longer than ${MAX_BGP_PASSWORD_LENGTH} characters, Calico's limit`;
    if (/\s/.test(password)) return "contains whitespace, which the ADC's CLI would split into separate words";
    if (/["\\]/.test(password)) return 'contains " or \\, which would break the BIRD configuration calico-node writes (every node would stop applying BGP changes)';
    if (password.includes("?")) return "contains ?, which the ADC's vtysh treats as a request for help";
    if (!/^[\x21-\x7e]+$/.test(password)) return "contains characters outside printable ASCII";
    return undefined;
}
