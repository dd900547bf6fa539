/**
 * The package as a user installs it: `npm pack` (its prepack build, in a copy of the sources so the
 * running tests keep their bin/), the tarball installed into a fresh project outside the repository
 * (examples/runbook copied with its own package.json), once with npm and once with pnpm, then
 * preview → up → refresh → destroy through the real engine in that project directory, against the
 * simulator and a real kube-apiserver.
 */
import { strict as assert } from "assert";
import { execFile } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { createCalicoNode, createCalicoStartupObjects, startKubeApiServer, type KubeApiServer } from "../../sandbox/kubeApiServer";
import { createProjectStack, repoRoot } from "../../sandbox/pulumiEngine";
import { startSimulator, type Simulator } from "../../simulator";
import { neighborLines } from "../support/runningConfig";

const execFileAsync = promisify(execFile);
/** The pnpm release these tests install with (from the npm registry, through npx). */
const PNPM = "pnpm@12.4.2";
const ADC_PASSWORD = "packed-Adc-pw-5e1";
const NODES = [
    { name: "k8s-worker-1", ipv4Address: "10.102.33.198/24" },
    { name: "k8s-worker-2", ipv4Address: "10.102.33.202/24" },
];
/** What `npm pack` needs to build and pack the package; nothing else of the repository is copied. */
const PACKAGE_SOURCES = ["package.json", "tsconfig.json", "README.md", "provider", "simulator", "scripts/self-link.js"];

/** Where the project keeps its downloads between runs (as scripts/lib/common.sh does). */
const cacheDir = process.env.PCA_CACHE ?? path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "pulumi-calico-adc");

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
    try {
        const { stdout } = await execFileAsync(cmd, args, { cwd, timeout: 300_000, maxBuffer: 32 * 1024 * 1024 });
        return stdout;
    } catch (e) {
        const err = e as { stdout?: string; stderr?: string; message: string };
        throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed: ${err.message}\n${err.stdout ?? ""}${err.stderr ?? ""}`);
    }
}

function installedVersion(pkg: string): string {
    return JSON.parse(readFileSync(path.join(repoRoot, "node_modules", pkg, "package.json"), "utf8")).version;
}

/**
 * examples/runbook as a user copies it, with the package from the tarball and the Pulumi SDKs at the
 * versions this repository tests with (the engine here is built for those).
 */
function copyExample(dir: string, tarball: string): string {
    const project = path.join(dir, "project");
    mkdirSync(project, { recursive: true });
    for (const f of ["Pulumi.yaml", "index.ts", "package.json"]) cpSync(path.join(repoRoot, "examples", "runbook", f), path.join(project, f));
    const manifest = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8"));
    manifest.dependencies["pulumi-calico-adc"] = `file:${tarball}`;
    for (const deps of [manifest.dependencies, manifest.devDependencies]) {
        for (const name of Object.keys(deps)) if (name !== "pulumi-calico-adc") deps[name] = installedVersion(name);
    }
    writeFileSync(path.join(project, "package.json"), JSON.stringify(manifest, null, 2));
    return project;
}

describe("the packed package, installed into a fresh project", function () {
    this.timeout(600_000);
    let dir: string;
    let tarball: string;
    let kube: KubeApiServer;
    let sim: Simulator;

    before(async () => {
        dir = mkdtempSync(path.join(tmpdir(), "pulumi-calico-adc-packed-"));
        const sources = path.join(dir, "sources");
        for (const f of PACKAGE_SOURCES) cpSync(path.join(repoRoot, f), path.join(sources, f), { recursive: true });
        symlinkSync(path.join(repoRoot, "node_modules"), path.join(sources, "node_modules"), "dir");
        const packed = JSON.parse(await run("npm", ["pack", "--json", "--pack-destination", dir], sources)) as { filename: string; files: { path: string }[] }[];
        tarball = path.join(dir, packed[0]!.filename);
        const files = packed[0]!.files.map((f) => f.path);
        assert.ok(files.includes("bin/provider/index.js") && files.includes("bin/simulator/index.js"), files.join(", "));
        assert.deepEqual(files.filter((f) => f.startsWith("bin/tests/") || f.startsWith("bin/demo/")), []);

        kube = await startKubeApiServer();
        await createCalicoStartupObjects(kube);
        for (const n of NODES) await createCalicoNode(kube.kubeconfig, n);
        sim = await startSimulator({ banner: [], users: [{ username: "nsroot", password: ADC_PASSWORD }] });
    });

    after(async () => {
        await sim?.close();
        await kube?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    // Without install scripts: @pulumi/kubernetes's would download its plugin when a pulumi is on PATH, and pnpm
    // fails an install whose scripts it was not told to trust. This package's own postinstall is run below.
    const installers: Record<string, (project: string) => Promise<unknown>> = {
        npm: (project) => run("npm", ["install", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], project),
        // CI sets CI=true, which makes pnpm insist on a lockfile a fresh project does not have.
        pnpm: (project) =>
            run("npx", ["--yes", PNPM, "install", "--ignore-scripts", "--no-frozen-lockfile", "--prefer-offline", "--reporter=silent",
                `--store-dir=${path.join(cacheDir, "pnpm-store")}`], project),
    };

    for (const [manager, install] of Object.entries(installers)) {
        it(`with ${manager}: preview, up, refresh and destroy through the engine`, async () => {
            const project = copyExample(path.join(dir, manager === "npm" ? "a" : "b"), tarball);
            await install(project);
            // The installed copy, not a link back into this repository.
            const installed = path.join(project, "node_modules", "pulumi-calico-adc");
            assert.ok(!readFileSync(path.join(installed, "package.json"), "utf8").includes(repoRoot));
            assert.ok(manager === "pnpm" || !lstatSync(installed).isSymbolicLink());
            // Its postinstall (which links the repository to itself) does nothing in an installed copy.
            await run(process.execPath, [path.join(installed, "scripts", "self-link.js")], installed);
            assert.ok(!existsSync(path.join(installed, "node_modules", "pulumi-calico-adc")));

            const engine = await createProjectStack({
                projectDir: project,
                config: {
                    "calico-adc-runbook:adcHost": { value: sim.host },
                    "calico-adc-runbook:adcPort": { value: String(sim.port) },
                    "calico-adc-runbook:adcPassword": { value: ADC_PASSWORD, secret: true },
                    "calico-adc-runbook:adcHostKey": { value: sim.hostKeyFingerprint },
                    "calico-adc-runbook:calicoApi": { value: "crd.projectcalico.org/v1" },
                    "calico-adc-runbook:bgpPeerName": { value: `packed-${manager}` },
                },
                env: { KUBECONFIG: kube.kubeconfigPath, PULUMI_CALICO_ADC_QUIET: "1" },
            });
            try {
                const before = sim.counters().connectionsAccepted;
                const preview = await engine.stack.preview();
                assert.ok((preview.changeSummary.create ?? 0) >= 5, JSON.stringify(preview.changeSummary));
                assert.equal(sim.counters().connectionsAccepted, before, "preview does not connect to the ADC");

                const up = await engine.stack.up();
                assert.equal(up.summary.result, "succeeded");
                assert.deepEqual(neighborLines(sim), ["neighbor 10.102.33.198 remote-as 64512", "neighbor 10.102.33.202 remote-as 64512"]);
                assert.deepEqual((await engine.stack.outputs()).bgpPeerName?.value, `packed-${manager}`);

                const refresh = await engine.stack.refresh();
                assert.equal(refresh.summary.result, "succeeded");
                const again = await engine.stack.preview();
                assert.deepEqual(Object.entries(again.changeSummary).filter(([op, n]) => op !== "same" && (n ?? 0) > 0), []);

                const destroy = await engine.stack.destroy();
                assert.equal(destroy.summary.result, "succeeded");
                assert.deepEqual(neighborLines(sim), []);
            } finally {
                await engine.cleanup();
            }
        });
    }
});
