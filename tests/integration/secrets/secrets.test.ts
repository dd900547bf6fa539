/**
 * No secret in any output: every operation of both ADC resources (create, update, read, delete),
 * the status command, and 18 faults (each followed by the next run), over real SSH to the simulator, with the full trace
 * on (`PULUMI_CALICO_ADC_TRACE=1`) and distinctive secrets: the SSH password, a private key and
 * its passphrase, this stack's BGP passwords (old and new), another stack's neighbor password
 * seeded on the device, and a wrong password typed by the user. What is scanned: everything
 * written to stdout and stderr, every error's message, stack and properties, and every output
 * that is not stored as a secret.
 */
import { strict as assert } from "assert";
import { randomBytes } from "node:crypto";
import * as net from "node:net";
import { providers } from "../../../provider/adc/providers";
import { withAdcSession } from "../../../provider/device";
import { runStatus } from "../../../provider/health/statusCli";
import { generateEd25519KeyPair, startSimulator, type Simulator, type SimulatorFaults, type SimulatorOptions } from "../../../simulator";
import { EngineLike } from "../faults/engineLike";

const router = providers.adcBgpRouter;
const neighbors = providers.adcBgpNeighbors;
type Props = Record<string, any>;

const SSH_PASSWORD = "Ssh-Secret-3f9Q";
const WRONG_PASSWORD = "Typo-Ssh-Secret-0p8L";
const PASSPHRASE = "Key-Passphrase-8w1Z";
const STACK_BGP = "Stack-Bgp-Pw-2x7K";
const STACK_BGP_NEW = "Stack-Bgp-New-5m3R";
const FOREIGN_BGP = "Foreign-Bgp-Pw-6t4J";
const KEY = generateEd25519KeyPair({ passphrase: PASSPHRASE, rounds: 16 });
/** The key's base64 lines: a leak of the key would show one of them. */
const KEY_LINES = KEY.private.split("\n").filter((l) => l.length >= 20 && !l.startsWith("-----"));
const SECRETS = [SSH_PASSWORD, WRONG_PASSWORD, PASSPHRASE, STACK_BGP, STACK_BGP_NEW, FOREIGN_BGP, ...KEY_LINES];

/** Outputs the resource classes mark secret (additionalSecretOutputs): stored encrypted, never shown. */
const SECRET_OUTPUTS = new Set(["credentials", "neighborPasswords", "passwordForms", "__provider"]);

const FOREIGN_SEED = ["router bgp 500", " neighbor 10.9.9.9 remote-as 65000", ` neighbor 10.9.9.9 password ${FOREIGN_BGP}`];
const A = "10.102.33.198";
const B = "10.102.33.202";

/** Everything the process printed while `fn` ran (console.log, console.error, direct writes). */
async function printed<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; out: string }> {
    const streams = [process.stdout, process.stderr];
    const originals = streams.map((s) => s.write);
    let out = "";
    for (const s of streams) {
        s.write = ((chunk: unknown, ...rest: unknown[]) => {
            out += String(chunk);
            const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
            done?.();
            return true;
        }) as typeof s.write;
    }
    try {
        return { value: await fn(), out };
    } catch (error) {
        return { error, out };
    } finally {
        streams.forEach((s, i) => (s.write = originals[i]));
    }
}

/** The parts of a result that leave the process: stored outputs (minus secret ones), an error whole. */
function visible(value: unknown): string {
    if (value instanceof Error) {
        const own = Object.fromEntries(Object.entries(value).filter(([k]) => k !== "properties"));
        const properties = (value as { properties?: Props }).properties;
        return [value.message, value.stack ?? "", JSON.stringify(own), properties ? visible(properties) : ""].join("\n");
    }
    if (value && typeof value === "object") {
        return JSON.stringify(value, (k, v) => (SECRET_OUTPUTS.has(k) ? "(stored as a secret)" : v));
    }
    return String(value ?? "");
}

function assertNoSecret(where: string, text: string): void {
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${where} shows the secret ${JSON.stringify(secret)}:\n${text}`);
}

describe("secrets: nothing secret in any output, with the trace on", function () {
    this.timeout(60_000);
    let sim: Simulator | undefined;
    let saved: { trace?: string; quiet?: string };
    before(() => {
        saved = { trace: process.env.PULUMI_CALICO_ADC_TRACE, quiet: process.env.PULUMI_CALICO_ADC_QUIET };
        process.env.PULUMI_CALICO_ADC_TRACE = "1";
        delete process.env.PULUMI_CALICO_ADC_QUIET;
    });
    after(() => {
        for (const [k, v] of [["PULUMI_CALICO_ADC_TRACE", saved.trace], ["PULUMI_CALICO_ADC_QUIET", saved.quiet]] as const) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    });
    afterEach(async () => {
        await sim?.close();
        sim = undefined;
    });

    const start = async (options: SimulatorOptions = {}) => {
        sim = await startSimulator({
            banner: [],
            users: [{ username: "nsroot", password: SSH_PASSWORD, authorizedKeys: [KEY.public] }],
            initialConfig: { enabledFeatures: ["BGP"], zebos: FOREIGN_SEED },
            ...options,
        });
        return sim;
    };
    const connection = (s: Simulator, extra: Props = {}) => ({ host: s.host, port: s.port, password: SSH_PASSWORD, hostKeyFingerprint: s.hostKeyFingerprint, connectRetries: 0, ...extra });
    const routerInputs = (s: Simulator, extra: Props = {}) => ({ connection: connection(s, extra), localAsn: 500, adoptExisting: true });
    const neighborInputs = (s: Simulator, password: string, extra: Props = {}) => ({
        connection: connection(s, extra),
        localAsn: 500,
        neighbors: [
            { address: A, remoteAsn: 64512, password, description: "worker-1" },
            { address: B, remoteAsn: 64512 },
        ],
    });

    /** Runs one step, scanning what it printed and what it returned or threw; returns the result. */
    async function step<T>(label: string, fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; out: string }> {
        const r = await printed(fn);
        assertNoSecret(`${label}: stdout/stderr`, r.out);
        assertNoSecret(`${label}: ${r.error ? "error" : "outputs"}`, visible(r.error ?? r.value));
        return r;
    }

    for (const display of ["clear", "encrypted"] as const) {
        it(`every operation, passwords shown ${display} by the device`, async () => {
            const s = await start({ passwordDisplay: display });
            const engine = new EngineLike();
            const ok = (r: { error?: unknown }) => assert.equal(r.error, undefined, String(r.error));
            const first = await step("router create", () => engine.up("router", router, routerInputs(s)));
            ok(first.value!);
            // The trace is really on, and shows the running config with other stacks' neighbors.
            assert.match(first.out, />> [\s\S]*show running-config[\s\S]*<< [\s\S]*neighbor 10\.9\.9\.9 password <redacted>/);
            ok((await step("neighbors create", () => engine.up("neighbors", neighbors, neighborInputs(s, STACK_BGP)))).value!);
            assert.ok(s.device.runningConfig().includes(A), "the neighbors were applied");
            await step("router refresh", () => engine.refresh("router", router));
            await step("neighbors refresh", () => engine.refresh("neighbors", neighbors));
            ok((await step("neighbors update (new password)", () => engine.up("neighbors", neighbors, neighborInputs(s, STACK_BGP_NEW)))).value!);
            await step("neighbors refresh after update", () => engine.refresh("neighbors", neighbors));
            for (const [name, res] of engine.state) assertNoSecret(`${name} state`, visible(res.outs));
            const status = await step("status command", async () => {
                let out = "";
                const code = await runStatus(["--host", s.host, "--port", String(s.port), "--fingerprint", s.hostKeyFingerprint], {
                    env: { ADC_PASSWORD: SSH_PASSWORD },
                    stdout: (t) => (out += t),
                    stderr: (t) => (out += t),
                    promptPassword: async () => undefined,
                    readFile: () => "",
                    withSession: withAdcSession,
                });
                return { code, out };
            });
            assert.match(status.value!.out, /10\.102\.33\.198/);
            ok((await step("neighbors delete", () => engine.destroy("neighbors", neighbors))).value!);
            ok((await step("router delete", () => engine.destroy("router", router))).value!);
            assert.ok(s.device.runningConfig().includes("neighbor 10.9.9.9"), "the foreign neighbor stays");
        });
    }

    it("key login with a passphrase: create, read and delete", async () => {
        const s = await start();
        const engine = new EngineLike();
        const withKey = { password: undefined, privateKey: KEY.private, privateKeyPassphrase: PASSPHRASE };
        const created = await step("create with a key", () => engine.up("router", router, routerInputs(s, withKey)));
        assert.equal(created.value!.error, undefined, String(created.value!.error));
        await step("read with a key", () => engine.refresh("router", router));
        await step("delete with a key", () => engine.destroy("router", router));
        const wrong = await step("wrong passphrase", () => engine.up("other", router, routerInputs(s, { ...withKey, privateKeyPassphrase: WRONG_PASSWORD })));
        assert.ok(wrong.value!.error, "a wrong passphrase fails");
    });

    interface Fault {
        name: string;
        faults?: SimulatorFaults;
        /** Which operation meets the fault. */
        op: "router" | "neighbors" | "destroy";
        /** Changes to the connection (a wrong password, a short timeout, another host key, a closed port). */
        connection?: Props | (() => Promise<Props>);
        neighborsExtra?: Props;
        /** The appliance's start (default: BGP on, `router bgp 500` with the foreign neighbor). */
        sim?: SimulatorOptions;
        /** Between the failure and the next run. */
        between?: (s: Simulator) => Promise<void>;
    }
    const closedPort = (): Promise<number> =>
        new Promise((resolve) => {
            const server = net.createServer().listen(0, "127.0.0.1", () => {
                const { port } = server.address() as net.AddressInfo;
                server.close(() => resolve(port));
            });
        });
    const FAULTS: Fault[] = [
        { name: "the login is refused", op: "router", faults: { refuseAuth: true } },
        { name: "a wrong SSH password", op: "router", connection: { password: WRONG_PASSWORD } },
        { name: "the connection drops at the password line", op: "neighbors", faults: { dropOnLine: { match: "password" } } },
        { name: "a % error that quotes the password", op: "neighbors", faults: { errorReplies: [{ match: "password", reply: `% Invalid password ${STACK_BGP}` }] } },
        { name: "the device hangs after the password line (its echo on screen)", op: "neighbors", faults: { hangOnLine: { match: `neighbor ${B} remote-as` } }, connection: { commandTimeoutMs: 800 } },
        { name: "the device hangs reading the sessions after the running config", op: "neighbors", faults: { hangOnLine: { match: "show ip bgp summary" } }, connection: { commandTimeoutMs: 800 } },
        { name: "the connection drops at write", op: "neighbors", faults: { dropOnLine: { match: /^write/ } } },
        { name: "write answers % Can't open configuration file", op: "neighbors", faults: { errorReplies: [{ match: /^write/, reply: "% Can't open configuration file" }] } },
        { name: "the connection drops reading back after the apply", op: "neighbors", faults: { dropOnLine: { match: "show running-config", occurrence: 2 } } },
        { name: "the connection drops after 12 lines", op: "neighbors", faults: { dropAfterLines: 12 } },
        { name: "BGP is not licensed", op: "router", faults: { bgpNotLicensed: true } },
        { name: "the sessions do not come up in time", op: "neighbors", neighborsExtra: { waitForEstablishedSeconds: 1 } },
        { name: "destroy is cut off at the first removal", op: "destroy", faults: { dropOnLine: { match: "no neighbor" } } },
        { name: "destroy is cut off at write", op: "destroy", faults: { dropOnLine: { match: /^write/ } } },
        { name: "the ADC's host key changed", op: "router", connection: async () => ({ hostKeyFingerprint: `SHA256:${randomBytes(32).toString("base64").replace(/=+$/, "")}` }) },
        { name: "nothing listens on the SSH port", op: "router", connection: async () => ({ port: await closedPort() }) },
        {
            name: "another router bgp runs on the ADC, with its own neighbor password",
            op: "router",
            sim: { initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 600", ` neighbor 10.9.9.9 remote-as 65000`, ` neighbor 10.9.9.9 password ${FOREIGN_BGP}`] } },
        },
        { name: "the ADC reboots between the apply and the save", op: "neighbors", faults: { dropOnLine: { match: /^write/ } }, between: (s) => s.reboot() },
    ];
    for (const f of FAULTS) {
        it(`fault: ${f.name}`, async () => {
            const s = await start({ ...(f.op === "router" && f.faults?.bgpNotLicensed ? { initialConfig: { zebos: FOREIGN_SEED } } : {}), ...f.sim });
            const extra = typeof f.connection === "function" ? await f.connection() : f.connection;
            const engine = new EngineLike();
            if (f.op !== "router") {
                const set = await step("router create", () => engine.up("router", router, routerInputs(s)));
                assert.equal(set.value!.error, undefined, String(set.value!.error));
            }
            if (f.op === "destroy") {
                const set = await step("neighbors create", () => engine.up("neighbors", neighbors, neighborInputs(s, STACK_BGP)));
                assert.equal(set.value!.error, undefined, String(set.value!.error));
            }
            s.setFaults(f.faults ?? {});
            const r =
                f.op === "router"
                    ? await step(f.name, () => engine.up("router", router, routerInputs(s, extra)))
                    : f.op === "neighbors"
                      ? await step(f.name, () => engine.up("neighbors", neighbors, { ...neighborInputs(s, STACK_BGP, extra), ...f.neighborsExtra }))
                      : await step(f.name, () => engine.destroy("neighbors", neighbors));
            const error = r.value?.error;
            assert.ok(error instanceof Error, `the fault makes the operation fail: ${String(error)}`);
            assert.match(error.message, new RegExp(s.host.replace(/\./g, "\\.")), "the error names the host");
            // The state the engine now holds (a partial failure's properties) carries no secret in the clear.
            for (const [name, res] of engine.state) assertNoSecret(`${name} state after the fault`, visible(res.outs));
            s.setFaults({});
            await f.between?.(s);
            // The next run (as the fix says, with the inputs put right) prints and stores no secret either.
            if (f.op === "router") await step("the next up", () => engine.up("router", router, routerInputs(s)));
            else if (f.op === "neighbors") await step("the next up", () => engine.up("neighbors", neighbors, neighborInputs(s, STACK_BGP)));
            else await step("the next destroy", () => engine.destroy("neighbors", neighbors));
            for (const [name, res] of engine.state) assertNoSecret(`${name} state after the next run`, visible(res.outs));
        });
    }
});
