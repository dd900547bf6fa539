/**
 * Runs Pulumi programs through the Automation API against the real engine, offline and isolated, for
 * the tests and the demo: the CLI that scripts/setup-pulumi.sh provides, a file backend in a temporary
 * directory, a PULUMI_HOME of its own (sharing only the plugin cache that holds the Kubernetes plugin), a
 * passphrase, and no update checks or plugin downloads.
 *
 * Inline programs ({@link createEngineStack}) need no Node.js language host: the program runs in this
 * process and the CLI attaches to it (`--client`). Dynamic resources do need the
 * `pulumi-resource-pulumi-nodejs` launcher beside the CLI, and it resolves `@pulumi/pulumi` from the
 * project's `main`, which is set to the repository root here. Project directories
 * ({@link createProjectStack}) run as `pulumi up` runs them there, through the language host.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import {
    ConfigMap,
    LocalWorkspace,
    PulumiCommand,
    PulumiFn,
    Stack,
} from "@pulumi/pulumi/automation";

const execFileAsync = promisify(execFile);

/** The repository root (this file compiles to bin/sandbox/pulumiEngine.js). */
export const repoRoot = path.resolve(__dirname, "../..");

export interface EngineInstallation {
    /** `<root>/bin/pulumi` is the CLI; the dynamic-provider launcher sits beside it. */
    root: string;
    /** A `plugins` directory holding the Kubernetes resource plugin. */
    plugins: string;
    version: string;
}

let installation: Promise<EngineInstallation> | undefined;

/**
 * Where the engine is. Never builds (a test must not compile for minutes): when the CLI or the plugin is
 * missing this rejects with the command that provides them.
 */
export function engineInstallation(): Promise<EngineInstallation> {
    installation ??= (async () => {
        const script = path.join(repoRoot, "scripts/setup-pulumi.sh");
        let stdout: string;
        try {
            ({ stdout } = await execFileAsync("bash", [script, "--no-build"], { cwd: repoRoot, timeout: 60_000 }));
        } catch (e) {
            const err = e as { stderr?: string; message: string };
            throw new Error(
                `The Pulumi engine is not ready (${(err.stderr || err.message).trim()}). ` +
                    `Run scripts/prepare-e2e.sh once; it builds the CLI and the Kubernetes plugin into the cache.`,
            );
        }
        const vars = parseKeyValues(stdout);
        return { root: vars["PULUMI_ROOT"]!, plugins: vars["PULUMI_PLUGINS"]!, version: vars["PULUMI_VERSION"]! };
    })();
    installation.catch(() => (installation = undefined));
    return installation;
}

/** Parses the `KEY=value` lines the set-up scripts print. */
export function parseKeyValues(text: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of text.split("\n")) {
        const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
        if (m) out[m[1]!] = m[2]!;
    }
    return out;
}

export interface EngineStackOptions {
    program: PulumiFn;
    /** Defaults to "test". */
    projectName?: string;
    /** Defaults to "dev". */
    stackName?: string;
    /** Stack configuration, e.g. `{ "kubernetes:kubeconfig": { value: kc, secret: true } }`. */
    config?: ConfigMap;
    /** Extra environment for the CLI and the plugins it starts (e.g. KUBECONFIG). */
    env?: Record<string, string>;
}

export interface EngineStack {
    stack: Stack;
    /** The file backend; state is at `<stateDir>/.pulumi/stacks/<project>/<stack>.json`. */
    stateDir: string;
    /** The environment every CLI run gets. */
    env: Record<string, string>;
    /** Destroys whatever the stack still holds (best effort), then deletes the backend and home. */
    cleanup(): Promise<void>;
}

const CLEANUP_DESTROY_TIMEOUT_MS = 60_000;

/** Passphrase of the throw-away backends; state never leaves the temporary directory. */
const PASSPHRASE = "pulumi-calico-adc-test";

export interface IsolatedPulumi {
    engine: EngineInstallation;
    /** Holds `state/` (the file backend), `home/` (PULUMI_HOME) and `work/`; remove it when done. */
    dir: string;
    stateDir: string;
    workDir: string;
    /** The environment every CLI run gets: backend, passphrase, PULUMI_HOME, no update checks or downloads. */
    env: Record<string, string>;
}

/**
 * A fresh file backend and PULUMI_HOME in a temporary directory. The home shares only the plugin cache that
 * holds the Kubernetes plugin: credentials, workspaces and locks stay private.
 */
export async function isolatedPulumi(extraEnv: Record<string, string> = {}): Promise<IsolatedPulumi> {
    const engine = await engineInstallation();
    const dir = mkdtempSync(path.join(os.tmpdir(), "pulumi-calico-adc-engine-"));
    const stateDir = path.join(dir, "state");
    const home = path.join(dir, "home");
    const workDir = path.join(dir, "work");
    for (const d of [stateDir, home, workDir]) mkdirSync(d);
    symlinkSync(engine.plugins, path.join(home, "plugins"), "dir");
    const env: Record<string, string> = {
        PULUMI_BACKEND_URL: `file://${stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_HOME: home,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        ...extraEnv,
    };
    return { engine, dir, stateDir, workDir, env };
}

/** Creates a stack for an inline program on a fresh file backend. */
export async function createEngineStack(options: EngineStackOptions): Promise<EngineStack> {
    const projectName = options.projectName ?? "test";
    const stackName = options.stackName ?? "dev";
    const isolated = await isolatedPulumi(options.env);
    return withCleanup(isolated, async (pulumiCommand) =>
        LocalWorkspace.createOrSelectStack(
            { stackName, projectName, program: options.program },
            {
                pulumiCommand,
                workDir: isolated.workDir,
                envVars: isolated.env,
                // `main` is where the dynamic-provider launcher resolves @pulumi/pulumi from.
                projectSettings: { name: projectName, runtime: "nodejs", main: repoRoot },
            },
        ), options.config);
}

export interface ProjectStackOptions {
    /** The directory holding Pulumi.yaml; the CLI runs its program there, as `pulumi up` does. */
    projectDir: string;
    /** Defaults to "dev". */
    stackName?: string;
    /** Stack configuration (written to `<projectDir>/Pulumi.<stack>.yaml`, removed by cleanup). */
    config?: ConfigMap;
    /** Extra environment for the CLI, the language host and the plugins (e.g. KUBECONFIG). */
    env?: Record<string, string>;
}

/**
 * Creates a stack of a project directory on a fresh file backend: the CLI starts the Node.js
 * language host there, exactly as `pulumi up` in that directory does.
 */
export async function createProjectStack(options: ProjectStackOptions): Promise<EngineStack> {
    const stackName = options.stackName ?? "dev";
    const isolated = await isolatedPulumi(options.env);
    const settings = path.join(options.projectDir, `Pulumi.${stackName}.yaml`);
    if (existsSync(settings)) {
        throw new Error(`${settings} exists (another run, or a stack of yours): remove it or pick another stack name`);
    }
    return withCleanup(
        isolated,
        (pulumiCommand) => LocalWorkspace.createOrSelectStack({ stackName, workDir: options.projectDir }, { pulumiCommand, envVars: isolated.env }),
        options.config,
        () => rmSync(settings, { force: true }),
    );
}

/** Creates the stack, sets its config, and gives it a cleanup that leaves nothing behind. */
async function withCleanup(isolated: IsolatedPulumi, create: (cmd: PulumiCommand) => Promise<Stack>, config: ConfigMap | undefined, removeMore: () => void = () => undefined): Promise<EngineStack> {
    const cleanupDir = () => {
        removeMore();
        rmSync(isolated.dir, { recursive: true, force: true });
    };
    try {
        const stack = await create(await PulumiCommand.get({ root: isolated.engine.root }));
        if (config) await stack.setAllConfig(config);
        return {
            stack,
            stateDir: isolated.stateDir,
            env: isolated.env,
            async cleanup() {
                try {
                    const state = await stack.exportStack();
                    const resources = (state.deployment?.resources ?? []) as { type: string }[];
                    if (resources.some((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"))) {
                        // Bounded: a test that failed because something hangs must not hang its clean-up too.
                        await stack.destroy({ signal: AbortSignal.timeout(CLEANUP_DESTROY_TIMEOUT_MS) });
                    }
                } catch {
                    // Best effort: the test has already failed or finished; its backend is deleted below.
                } finally {
                    cleanupDir();
                }
            },
        };
    } catch (e) {
        cleanupDir();
        throw e;
    }
}
