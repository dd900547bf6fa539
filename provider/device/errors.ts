/**
 * Errors a user can act on. Each carries the host, what was being done, what the device
 * answered and what to do about it. None of them ever carries a password or key: messages are
 * built from the command text, which the dialogue redacts before it reaches an error, and the
 * message and every quoted device text pass the redactor's line shapes once more here, so a
 * secret the dialogue did not know of (another stack's neighbor password) cannot get through.
 */
import { redactSecretShapes } from "./redact";

/** What every ADC error has in common. */
export class AdcError extends Error {
    /** The ADC's host (as given in the connection). */
    readonly host: string;
    /** What the user can do about it. */
    readonly fix: string;

    constructor(host: string, message: string, fix: string) {
        super(redactSecretShapes(`${host}: ${message}${fix ? `\n  fix: ${fix}` : ""}`));
        this.name = new.target.name;
        this.host = host;
        this.fix = fix;
    }
}

/** The TCP connection or SSH handshake failed (refused, unreachable, reset, timed out before login). */
export class AdcConnectionError extends AdcError {
    /** Whether retrying may help (refused, reset, timed out), as opposed to a configuration error. */
    readonly transient: boolean;
    constructor(host: string, message: string, fix: string, transient: boolean) {
        super(host, message, fix);
        this.transient = transient;
    }
}

/** The device presented a host key that does not match the configured fingerprint. */
export class AdcHostKeyError extends AdcError {
    readonly expected: string;
    readonly actual: string;
    /** `fix` replaces the default advice (used when no fingerprint was configured at all). */
    constructor(host: string, expected: string, actual: string, fix?: string) {
        super(
            host,
            `SSH host key mismatch: expected ${expected}, the device presented ${actual}`,
            fix ??
                `if the ADC's key really changed (re-install), set connection.hostKeyFingerprint to "${actual}" after checking it on the console; if this address is an HA pair's and failed over to the other node, give both nodes with their keys in connection.nodes; otherwise someone may be intercepting the connection`,
        );
        this.expected = expected;
        this.actual = actual;
    }
}

/** The device refused the login. */
export class AdcAuthenticationError extends AdcError {
    readonly username: string;
    /**
     * `methods`: those tried. `serverMethods`: those the server said it accepts, when none of
     * them is one the connection can use (a key-only server given a password): then the
     * credentials given are not what was refused, and the fix names what to give instead.
     */
    constructor(host: string, username: string, methods: readonly string[], serverMethods?: readonly string[]) {
        const unusable = serverMethods !== undefined && serverMethods.length > 0;
        super(
            host,
            unusable
                ? `login as "${username}" is not possible with what the connection gives: the SSH server accepts only ${serverMethods.join(", ")} (tried: ${methods.join(", ") || "none"})`
                : `login as "${username}" was refused (tried: ${methods.join(", ") || "none"})`,
            unusable
                ? serverMethods.includes("publickey")
                    ? "set connection.privateKey (and connection.privateKeyPassphrase if it is encrypted) to a key the ADC's account accepts, or enable password login on the ADC"
                    : serverMethods.includes("password") || serverMethods.includes("keyboard-interactive")
                      ? "set connection.password for this account, or add the key to the account on the ADC"
                      : `the ADC's SSH server takes none of publickey, keyboard-interactive and password for this account: check its SSH settings`
                : `check connection.username and connection.password / connection.privateKey; on firmware 14.1+ a fresh appliance forces a password change at first login, so log in once by hand`,
        );
        this.username = username;
    }
}

/** A command did not complete in time, or the device stopped answering. */
export class AdcTimeoutError extends AdcError {
    readonly command: string;
    readonly lastOutput: string;
    constructor(host: string, command: string, timeoutMs: number, lastOutput: string) {
        super(
            host,
            `no prompt within ${timeoutMs} ms after "${command}"; last output: ${JSON.stringify(lastOutput.slice(-200))}`,
            `raise connection.commandTimeoutMs if the ADC is slow, or check that the CLI prompt is the default ("> ", "ns#")`,
        );
        this.command = redactSecretShapes(command);
        this.lastOutput = redactSecretShapes(lastOutput);
    }
}

/** The device answered a command with an error (`ERROR: ...` in the CLI, `% ...` in vtysh). */
export class AdcCommandError extends AdcError {
    /** The command as sent (secrets redacted). */
    readonly command: string;
    /** The device's answer. */
    readonly answer: string;
    /** The commands of the same batch that the device had already accepted (secrets redacted). */
    readonly applied: readonly string[];
    /**
     * Commands of the same pipelined batch that came after the rejected one and that the device
     * accepted all the same (secrets redacted): the batch was already on the wire when the
     * device answered, so the device's configuration holds them too.
     */
    readonly appliedAfter: readonly string[];
    constructor(
        host: string,
        command: string,
        answer: string,
        fix: string,
        applied: readonly string[] = [],
        appliedAfter: readonly string[] = [],
    ) {
        super(host, `the device rejected "${command}": ${answer.trim()}`, fix);
        this.command = redactSecretShapes(command);
        this.answer = redactSecretShapes(answer);
        this.applied = applied.map(redactSecretShapes);
        this.appliedAfter = appliedAfter.map(redactSecretShapes);
    }
}

/** The connection closed while a command was in flight. */
export class AdcDisconnectedError extends AdcError {
    readonly command: string;
    /** The commands of the same batch that the device had confirmed before the connection closed (secrets redacted). */
    readonly applied: readonly string[];
    constructor(host: string, command: string, applied: readonly string[] = []) {
        super(
            host,
            `the connection closed while waiting for the answer to "${command}"`,
            `check that the ADC is reachable and has a free SSH session; the next operation reads what the device applied before the cut`,
        );
        this.command = redactSecretShapes(command);
        this.applied = applied.map(redactSecretShapes);
    }
}

/**
 * The session could not reach a CLI mode (`>`, `ns#`, `ns(config)#`): the prompts the device
 * showed did not lead there within a bounded number of steps.
 */
export class AdcModeError extends AdcError {
    /** The mode the session was in when it gave up (as read from the last prompt). */
    readonly from: string;
    /** The mode it was trying to reach. */
    readonly to: string;
    constructor(host: string, from: string, to: string, lastPrompt: string) {
        super(
            host,
            `could not get from ${from} mode to ${to} mode; last prompt: ${JSON.stringify(lastPrompt)}`,
            `check that the account may run \`vtysh\` and \`configure terminal\`, and that the prompts are the defaults ("> ", "ns#", "ns(config)#")`,
        );
        this.from = from;
        this.to = to;
    }
}

/** What the device holds conflicts with what the resource was asked to do (another ASN, a foreign neighbor). */
export class AdcConflictError extends AdcError {}

/**
 * The session reached a node this package must not configure (the secondary of an HA pair, a
 * cluster node on its own address, a non-default admin partition, or a node whose role cannot be
 * read). Raised before any configuration line is sent.
 */
export class AdcNodeRoleError extends AdcError {
    /** What the node is, as read from the device. */
    readonly node: string;
    /** Whether the only trouble is that this node of an HA pair is not its primary. */
    readonly notPrimary: boolean;
    constructor(host: string, node: string, reason: string, fix: string, notPrimary = false) {
        super(host, `configuration refused: ${reason}; nothing was sent`, fix);
        this.node = node;
        this.notPrimary = notPrimary;
    }
}
