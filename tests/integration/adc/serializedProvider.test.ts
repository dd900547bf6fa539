import { strict as assert } from "assert";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { serializedShim } from "../../../provider/adc/shim";
import { repoRoot } from "../../../sandbox/pulumiEngine";
import { startSimulator, type Simulator } from "../../../simulator";

const execFileAsync = promisify(execFile);

process.env.PULUMI_CALICO_ADC_QUIET = "1";

/** The dynamic-provider host evaluates `__provider` with require-from-string and calls `handler()`. */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const requireFromString: (code: string) => { handler: () => pulumi.dynamic.ResourceProvider } = require("require-from-string");

describe("the serialized provider", function () {
    this.timeout(20000);
    let sim: Simulator;
    before(async () => {
        sim = await startSimulator({ banner: [], users: [{ username: "nsroot", password: "serialized-pw-7f3a" }] });
    });
    after(async () => sim.close());

    for (const kind of ["adcBgpRouter", "adcBgpNeighbors"] as const) {
        it(`${kind}: is a small shim that loads the package by name and captures nothing secret`, async () => {
            const text = serializedShim(kind);
            assert.match(text, /require\("pulumi-calico-adc\/dynamic"\)/);
            assert.ok(!text.includes("ssh2"), "no SSH code in the state");
            assert.ok(!text.includes("serialized-pw-7f3a"));
            assert.ok(text.length < 6000, `shim is ${text.length} characters`);
            // Loaded as the host loads it, it is the provider of its own kind.
            const checked = await requireFromString(text).handler().check!({}, {});
            const failed = (checked.failures ?? []).map((f) => f.property);
            assert.equal(failed.includes("neighbors"), kind === "adcBgpNeighbors", `failures: ${failed.join(", ")}`);
        });
    }

    describe("when the provider process cannot find the package, says why and what to do", () => {
        /** Runs the serialized shim's `check` the way the host does, in a provider process whose working directory is `cwd`. */
        async function checkFrom(cwd: string): Promise<string> {
            writeFileSync(join(cwd, "..", "provider.js"), serializedShim("adcBgpNeighbors"));
            const host = `const p = require(${JSON.stringify(require.resolve("require-from-string"))})(require("fs").readFileSync("../provider.js", "utf8")).handler();` +
                `(async () => p.check({}, {}))().then(() => console.log("loaded"), (e) => console.log(e.message))`;
            const { stdout } = await execFileAsync(process.execPath, ["-e", host], { cwd });
            return stdout.trim();
        }
        let dir: string;
        let project: string;
        beforeEach(() => {
            dir = mkdtempSync(join(tmpdir(), "shim-"));
            project = join(dir, "project");
            mkdirSync(project);
        });
        afterEach(() => rmSync(dir, { recursive: true, force: true }));

        it("an inline Automation API program without workDir: pass workDir", async () => {
            const message = await checkFrom(project);
            assert.match(message, /cannot load the package "pulumi-calico-adc" from \S+project, the directory the Pulumi engine runs it in/);
            assert.match(message, /Pass workDir .* to LocalWorkspace\.createOrSelectStack/);
        });

        it("Yarn Plug'n'Play: install with nodeLinker: node-modules", async () => {
            writeFileSync(join(project, "package.json"), "{}");
            writeFileSync(join(project, ".pnp.cjs"), "");
            assert.match(await checkFrom(project), /Yarn Plug'n'Play .* put "nodeLinker: node-modules" in \.yarnrc\.yml/);
        });

        it("pnpm with the package only as a transitive dependency: add it directly", async () => {
            writeFileSync(join(project, "package.json"), "{}");
            mkdirSync(join(project, "node_modules", ".pnpm", "pulumi-calico-adc@0.1.0", "node_modules"), { recursive: true });
            assert.match(await checkFrom(project), /pnpm installed pulumi-calico-adc only as a dependency of another package .* pnpm add pulumi-calico-adc/);
        });

        it("a project that lacks it: install it", async () => {
            writeFileSync(join(project, "package.json"), "{}");
            assert.match(await checkFrom(project), /npm install pulumi-calico-adc/);
        });

        it("a project that has it: loads it", async () => {
            writeFileSync(join(project, "package.json"), "{}");
            mkdirSync(join(project, "node_modules"));
            symlinkSync(repoRoot, join(project, "node_modules", "pulumi-calico-adc"), "dir");
            assert.equal(await checkFrom(project), "loaded");
        });
    });

    it("loaded back the way the host loads it, still creates, reads and deletes on the device", async () => {
        const provider = requireFromString(serializedShim("adcBgpRouter")).handler();
        const news = {
            connection: { host: sim.host, port: sim.port, hostKeyFingerprint: sim.hostKeyFingerprint },
            credentials: { password: "serialized-pw-7f3a" },
            localAsn: 500,
        };
        const checked = await provider.check!({}, news);
        assert.deepEqual(checked.failures ?? [], []);
        const created = await provider.create(checked.inputs);
        assert.equal(sim.device.state().bgp?.asn, 500);
        const read = await provider.read!(created.id, created.outs);
        assert.equal(read.props!.routerPresent, true);
        // Credentials are kept only under `credentials`, which the resource marks secret.
        const visible = { ...created.outs };
        delete visible.credentials;
        assert.ok(!JSON.stringify(visible).includes("serialized-pw-7f3a"));
        await provider.delete!(created.id, created.outs);
        assert.equal(sim.device.state().bgp, null);
    });
});
