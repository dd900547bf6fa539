/** An nscli failure: printed as `ERROR: <message>`, with no ` Done`. */
export class NscliError extends Error {}
