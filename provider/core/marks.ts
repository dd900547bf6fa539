/**
 * The owner's mark in a neighbor's description: `pca:<token>`, then the user's own description
 * if any (`neighbor 10.0.0.1 description pca:1a2b3c4d node-1`). The token is the last part of
 * the resource's Pulumi id (`pulumi stack --show-ids` lists it), drawn at random on create, so
 * two resources never share one, whichever state or machine they run from. The mark is what
 * makes ownership visible on the device: stacks on different machines see each other's
 * neighbors, a lost state does not make a neighbor anonymous, and the ADC's admin can see whose
 * a neighbor is. ZebOS and FRR print a description as given, to the end of the line.
 */
import type { Neighbor } from "./model";

/** A resource's token: 8 lower-case hex digits. */
export type MarkToken = string & { readonly __brand: "MarkToken" };

const PREFIX = "pca:";

/**
 * The longest description the device is known to take: FRR's and ZebOS's help for
 * `neighbor X description LINE` both say "Up to 80 characters describing this neighbor"
 * (neither's handler enforces it: FRR 8.4 takes and shows a 133-character one; what ZebOS does
 * past 80 is not known, so the client stays within it).
 */
export const DESCRIPTION_LIMIT = 80;
/** What the mark takes of a description: `pca:`, 8 hex digits and a space. */
export const MARK_LENGTH = PREFIX.length + 8 + 1;
/** The longest description a user may give, so that with the mark it stays within {@link DESCRIPTION_LIMIT}. */
export const USER_DESCRIPTION_LIMIT = DESCRIPTION_LIMIT - MARK_LENGTH;
const TOKEN = /^[0-9a-f]{8}$/;
const MARKED = /^pca:([0-9a-f]{8})(?: (.*))?$/;

/** The token of a resource id (`<host>:<port>/router-bgp-<asn>/neighbors/<token>`), or null if the id carries none. */
export function tokenOfId(id: string): MarkToken | null {
    const last = id.slice(id.lastIndexOf("/") + 1);
    return TOKEN.test(last) ? (last as MarkToken) : null;
}

/** The description written to the device: the mark, then the user's description. */
export function markedDescription(token: MarkToken, description: string | null): string {
    return description === null ? `${PREFIX}${token}` : `${PREFIX}${token} ${description}`;
}

/** A description as the device shows it, split into its mark (if any) and the user's text. */
export function readMark(shown: string | null): { readonly token: MarkToken | null; readonly description: string | null } {
    if (shown === null) return { token: null, description: null };
    // Read several times per neighbor and operation: a bare mark, the common case, without the expression.
    if (shown.length === MARK_LENGTH - 1 && shown.startsWith(PREFIX)) {
        const token = shown.slice(PREFIX.length);
        if (TOKEN.test(token)) return { token: token as MarkToken, description: null };
    }
    const m = MARKED.exec(shown);
    return m ? { token: m[1] as MarkToken, description: m[2] ?? null } : { token: null, description: shown };
}

/** The neighbor as this resource writes it: its description carries the mark. */
export function marked(token: MarkToken, n: Neighbor): Neighbor {
    return { ...n, description: markedDescription(token, n.description) };
}
