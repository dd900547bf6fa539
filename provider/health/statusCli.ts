#!/usr/bin/env node
/**
 * `pulumi-calico-adc-status`: the ADC's side of the Calico peering at a glance, as
 * `calicoctl node status` shows the node's side. Connects over SSH, prints the BGP sessions (IPv4
 * and IPv6) and the BGP routes the ADC installed, explains each session that is not Established,
 * and exits non-zero when any is not.
 *
 *     ADC_PASSWORD=... npx pulumi-calico-adc-status --host 10.0.0.5 --fingerprint SHA256:...
 *
 * The password is read from ADC_PASSWORD or asked for on the terminal, never taken from a flag:
 * flags land in shell history and in `ps` output.
 */
import { readFileSync } from "node:fs";
import { withAdcSession, type WithAdcSessionOptions } from "../device";
import { AdcError } from "../device/errors";
import type { AdcConnection, AdcSession } from "../device/types";
import { waitForEstablished, SessionsNotEstablishedError, type ExpectedNeighbor } from "./established";
import { buildStatus, readable, renderStatus, STATUS_SHOWS, statusAnswers } from "./status";
import { parseHost } from "../core/values";

export const USAGE = `Usage: pulumi-calico-adc-status --host <adc> [options]

Shows the ADC's IPv4 and IPv6 BGP sessions (like \`calicoctl node status\` on a Calico node)
and the BGP routes it installed; explains every session that is not Established. IPv6 sessions
come from \`show bgp ipv6 summary\`: an ADC that refuses it gets the IPv4 report and a line
naming the command.

Options (environment variable in brackets):
  --host <host>                 the ADC's management address [ADC_HOST]
  --port <port>                 SSH port, default 22 [ADC_PORT]
  --user <name>                 login, default nsroot [ADC_USER]
  --key <file>                  private key file for key login [ADC_PRIVATE_KEY_FILE]
                                (passphrase: [ADC_KEY_PASSPHRASE])
  --fingerprint <SHA256:...>    the ADC's SSH host key fingerprint [ADC_FINGERPRINT]
  --insecure-ignore-host-key    skip host key checking (labs and the simulator only)
  --expect <ip>[,<ip>...]       neighbors that must be Established (e.g. every node's address);
                                default: every neighbor the ADC has
  --node-asn <asn>              the AS the Calico nodes run (BGPConfiguration asNumber, default
                                64512): neighbors configured with another remote-as are flagged
  --wait <seconds>              wait up to this long for the sessions to come up
  --route-type <label>          Type of BGP routes in \`show route\`, default BGP
  --timeout <ms>                per-command timeout, default 30000
  -h, --help                    this text

The password comes from ADC_PASSWORD, or is asked for on the terminal. There is no --password
flag on purpose: flags are kept in shell history and visible in \`ps\`.

Exit status: 0 when every expected session is Established; 1 when some are not (or are IPv6
ones the ADC cannot list), or the ADC has no BGP neighbor at all; 2 when the ADC could not be asked (bad arguments, connection or login
failure).
`;

export interface StatusArgs {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly keyFile: string | undefined;
    readonly fingerprint: string | undefined;
    readonly insecureIgnoreHostKey: boolean;
    readonly expected: readonly ExpectedNeighbor[] | undefined;
    readonly nodeAsn: number | undefined;
    readonly waitSeconds: number;
    readonly routeTypeLabel: string;
    readonly commandTimeoutMs: number;
}

export type ParsedArgs = { readonly kind: "help" } | { readonly kind: "error"; readonly message: string } | { readonly kind: "run"; readonly args: StatusArgs };

const VALUE_FLAGS = new Set(["--host", "--port", "--user", "--key", "--fingerprint", "--expect", "--node-asn", "--wait", "--route-type", "--timeout"]);

/** Flags and environment → arguments. Pure. */
export function parseStatusArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedArgs {
    const flags = new Map<string, string>();
    let insecure = false;
    for (let i = 0; i < argv.length; i++) {
        const raw = argv[i]!;
        if (raw === "-h" || raw === "--help") return { kind: "help" };
        if (raw === "--insecure-ignore-host-key") {
            insecure = true;
            continue;
        }
        const eq = raw.indexOf("=");
        const [name, inline] = raw.startsWith("--") && eq > 0 ? [raw.slice(0, eq), raw.slice(eq + 1)] : [raw, undefined];
        if (name === "--password" || name === "-p") {
            return { kind: "error", message: "there is no --password flag (it would be kept in shell history and shown by ps): set ADC_PASSWORD or answer the prompt" };
        }
        if (!VALUE_FLAGS.has(name)) return { kind: "error", message: `unknown argument "${raw}"` };
        const value = inline ?? argv[++i];
        if (value === undefined) return { kind: "error", message: `${name} needs a value` };
        flags.set(name, value);
    }
    const pick = (flag: string, envName: string) => flags.get(flag) ?? env[envName];
    const rawHost = pick("--host", "ADC_HOST");
    if (!rawHost) return { kind: "error", message: "--host (or ADC_HOST) is required" };
    // The same rule as the resources' connection.host: no number the resolver reads as another address.
    const parsedHost = parseHost(rawHost);
    if (!parsedHost.ok) return { kind: "error", message: `--host ${parsedHost.reason}` };
    const host = parsedHost.value;
    const port = Number(pick("--port", "ADC_PORT") ?? 22);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { kind: "error", message: `--port must be 1..65535, got "${pick("--port", "ADC_PORT")}"` };
    const fingerprint = pick("--fingerprint", "ADC_FINGERPRINT");
    if (!fingerprint && !insecure) {
        return { kind: "error", message: "--fingerprint (or ADC_FINGERPRINT) is required: the ADC's SSH host key fingerprint, SHA256:..., as `ssh-keygen -lf` prints it; --insecure-ignore-host-key for a lab" };
    }
    const waitSeconds = Number(flags.get("--wait") ?? 0);
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0) return { kind: "error", message: `--wait must be a number of seconds, got "${flags.get("--wait")}"` };
    const timeout = Number(flags.get("--timeout") ?? 30_000);
    if (!Number.isInteger(timeout) || timeout <= 0) return { kind: "error", message: `--timeout must be milliseconds, got "${flags.get("--timeout")}"` };
    let expected: ExpectedNeighbor[] | undefined;
    const expect = flags.get("--expect");
    if (expect !== undefined) {
        expected = expect
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
            .map((address) => ({ address }));
        const bad = expected.find((e) => !/^[0-9a-fA-F.:]+$/.test(e.address));
        if (bad || expected.length === 0) return { kind: "error", message: `--expect takes IP addresses separated by commas, got "${expect}"` };
    }
    const nodeAsnText = flags.get("--node-asn");
    const nodeAsn = nodeAsnText === undefined ? undefined : Number(nodeAsnText);
    if (nodeAsn !== undefined && (!Number.isInteger(nodeAsn) || nodeAsn < 1 || nodeAsn > 4294967295)) {
        return { kind: "error", message: `--node-asn must be an AS number (1..4294967295), got "${nodeAsnText}"` };
    }
    return {
        kind: "run",
        args: {
            host,
            port,
            user: pick("--user", "ADC_USER") ?? "nsroot",
            keyFile: pick("--key", "ADC_PRIVATE_KEY_FILE"),
            fingerprint,
            insecureIgnoreHostKey: insecure,
            expected,
            nodeAsn,
            waitSeconds,
            routeTypeLabel: flags.get("--route-type") ?? "BGP",
            commandTimeoutMs: timeout,
        },
    };
}

/** What the command needs from the outside world; injected so tests can run it in-process. */
export interface StatusIo {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Asks for the password without echo; undefined when there is no terminal. */
    readonly promptPassword: (question: string) => Promise<string | undefined>;
    readonly readFile: (path: string) => string;
    readonly withSession: <T>(connection: AdcConnection, fn: (session: AdcSession) => Promise<T>, options?: WithAdcSessionOptions) => Promise<T>;
}

/** Runs the command; returns the exit status. */
export async function runStatus(argv: readonly string[], io: StatusIo): Promise<number> {
    const parsed = parseStatusArgs(argv, io.env);
    if (parsed.kind === "help") {
        io.stdout(USAGE);
        return 0;
    }
    if (parsed.kind === "error") {
        io.stderr(`pulumi-calico-adc-status: ${parsed.message}\n\n${USAGE}`);
        return 2;
    }
    const a = parsed.args;
    let privateKey: string | undefined;
    if (a.keyFile) {
        try {
            privateKey = io.readFile(a.keyFile);
        } catch (e) {
            io.stderr(`pulumi-calico-adc-status: cannot read the key file ${a.keyFile}: ${(e as Error).message}\n`);
            return 2;
        }
    }
    let password = io.env["ADC_PASSWORD"];
    if (password === undefined && privateKey === undefined) {
        password = await io.promptPassword(`${a.user}@${a.host}'s password: `);
        if (password === undefined) {
            io.stderr("pulumi-calico-adc-status: no password: set ADC_PASSWORD, use --key, or run it on a terminal to be asked\n");
            return 2;
        }
    }
    const connection: AdcConnection = {
        host: a.host,
        port: a.port,
        username: a.user,
        ...(password !== undefined ? { password } : {}),
        ...(privateKey !== undefined ? { privateKey } : {}),
        ...(io.env["ADC_KEY_PASSPHRASE"] ? { privateKeyPassphrase: io.env["ADC_KEY_PASSPHRASE"] } : {}),
        ...(a.fingerprint ? { hostKeyFingerprint: a.fingerprint } : {}),
        insecureIgnoreHostKey: a.insecureIgnoreHostKey,
        connectTimeoutMs: 15_000,
        commandTimeoutMs: a.commandTimeoutMs,
        connectRetries: 1,
    };
    /** Expected neighbors: the given list or every neighbor the ADC lists, each with the node AS when known. */
    const expectedFrom = (sessions: readonly { address: string }[]): ExpectedNeighbor[] =>
        (a.expected ?? sessions.map((s) => ({ address: s.address }))).map((e) => (a.nodeAsn !== undefined ? { ...e, remoteAsn: a.nodeAsn } : e));
    const options = { routeTypeLabel: a.routeTypeLabel };
    try {
        const status = await io.withSession(
            connection,
            async (session) => {
                // Routes and both families' sessions in one exchange; a wait repeats that exchange, then reads once more.
                const read = async () => statusAnswers(await session.vtyshShows(STATUS_SHOWS.vtysh, STATUS_SHOWS.cli));
                let answers = await read();
                const first = buildStatus(a.host, answers, options);
                const expected = expectedFrom(first.sessions);
                if (a.waitSeconds > 0) {
                    await waitForEstablished({
                        host: a.host,
                        // IPv6 neighbors whose summary the ADC refuses cannot come up in a read: the report names them.
                        expected: readable(expected, first.ipv6Refused),
                        readSessions: async () => buildStatus(a.host, (answers = await read()), options).sessions,
                        timeoutMs: a.waitSeconds * 1000,
                    }).catch((e: unknown) => {
                        // The report below says the same, in full; only other failures end here.
                        if (!(e instanceof SessionsNotEstablishedError)) throw e;
                    });
                    // `show route` goes ahead of the summaries in an exchange, so the answer that first showed
                    // the sessions up read the routes from before they were: routes learned at that moment were
                    // not installed yet. One more exchange reports the routes that follow the sessions.
                    answers = await read();
                }
                return buildStatus(a.host, answers, { ...options, expected });
            },
            { log: () => undefined },
        );
        io.stdout(renderStatus(status));
        return status.problems.length === 0 && status.sessions.length + (a.expected?.length ?? 0) > 0 ? 0 : 1;
    } catch (e) {
        const text = e instanceof AdcError ? e.message : `${a.host}: ${(e as Error).message}`;
        io.stderr(`pulumi-calico-adc-status: ${text}\n`);
        return 2;
    }
}

/** Reads a line from the terminal without echoing it. */
function promptPassword(question: string): Promise<string | undefined> {
    const stdin = process.stdin;
    if (!stdin.isTTY) return Promise.resolve(undefined);
    return new Promise((resolve) => {
        process.stderr.write(question);
        stdin.setRawMode(true);
        stdin.resume();
        let value = "";
        const done = (result: string | undefined) => {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off("data", onData);
            process.stderr.write("\n");
            resolve(result);
        };
        const onData = (chunk: Buffer) => {
            for (const ch of chunk.toString("utf8")) {
                if (ch === "\r" || ch === "\n") return done(value);
                if (ch === "\u0003") return done(undefined);
                if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
                else value += ch;
            }
        };
        stdin.on("data", onData);
    });
}

if (require.main === module) {
    runStatus(process.argv.slice(2), {
        env: process.env,
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        promptPassword,
        readFile: (p) => readFileSync(p, "utf8"),
        withSession: withAdcSession,
    }).then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => {
            process.stderr.write(`pulumi-calico-adc-status: ${(e as Error).stack ?? String(e)}\n`);
            process.exitCode = 2;
        },
    );
}
