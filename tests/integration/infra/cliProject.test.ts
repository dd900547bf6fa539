import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { isolatedPulumi, IsolatedPulumi, repoRoot } from "../../../sandbox/pulumiEngine";

const execFileAsync = promisify(execFile);

/**
 * `pulumi up` in a project directory, the way a user runs an example: the CLI starts the Node.js language
 * host (built from sdk/v3 v3.68.0, see scripts/setup-pulumi.sh), which runs the TypeScript program.
 */
describe("Pulumi CLI harness: a TypeScript project directory", function () {
    this.timeout(180_000);
    let pulumi: IsolatedPulumi;
    let project: string;
    let marker: string;

    async function cli(...args: string[]): Promise<string> {
        try {
            const { stdout } = await execFileAsync(path.join(pulumi.engine.root, "bin/pulumi"), [...args, "--non-interactive"], {
                cwd: project,
                env: { ...process.env, ...pulumi.env },
                timeout: 120_000,
            });
            return stdout;
        } catch (e) {
            const err = e as { stdout?: string; stderr?: string };
            throw new Error(`pulumi ${args.join(" ")} failed:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
        }
    }

    before(async () => {
        pulumi = await isolatedPulumi();
        project = path.join(pulumi.workDir, "project");
        marker = path.join(pulumi.workDir, "marker.txt");
        mkdirSync(project);
        symlinkSync(path.join(repoRoot, "node_modules"), path.join(project, "node_modules"), "dir");
        writeFileSync(path.join(project, "Pulumi.yaml"), "name: cli-project\nruntime: nodejs\n");
        writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "cli-project", main: "index.ts" }));
        writeFileSync(
            path.join(project, "index.ts"),
            `import * as pulumi from "@pulumi/pulumi";
const provider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        require("fs").writeFileSync(inputs.path, inputs.text);
        return { id: inputs.path, outs: inputs };
    },
    async delete(id) {
        require("fs").rmSync(id, { force: true });
    },
};
const config = new pulumi.Config();
class Marker extends pulumi.dynamic.Resource {
    constructor(name: string, args: { path: string; text: string }) {
        super(provider, name, args, {});
    }
}
const marker = new Marker("marker", { path: config.require("path"), text: "from a project" });
export const id = marker.id;
`,
        );
        await cli("stack", "init", "dev");
        await cli("config", "set", "path", marker);
    });
    after(() => {
        if (pulumi) rmSync(pulumi.dir, { recursive: true, force: true });
    });

    it("runs up and destroy through the language host", async () => {
        await cli("up", "--yes");
        assert.equal(readFileSync(marker, "utf8"), "from a project");
        assert.equal((await cli("stack", "output", "id")).trim(), marker);
        await cli("destroy", "--yes");
        assert.equal(existsSync(marker), false);
    });
});
