import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { OpMap } from "@pulumi/pulumi/automation";
import { createEngineStack, EngineStack } from "../../../sandbox/pulumiEngine";

/**
 * A dynamic provider whose object is a file, so every engine operation has an effect the test can see.
 * It is serialized into the state like any dynamic provider, and run by the engine's
 * `pulumi-resource-pulumi-nodejs` plugin process, not by this test process.
 */
const fileProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        const fs = await import("node:fs");
        fs.writeFileSync(inputs.path, inputs.content);
        return { id: inputs.path, outs: { path: inputs.path, content: inputs.content } };
    },
    async read(id, props) {
        const fs = await import("node:fs");
        if (!fs.existsSync(id)) return { id: "", props: {} };
        const live = { path: id, content: fs.readFileSync(id, "utf8") };
        return { id, props: { ...props, ...live }, inputs: live };
    },
    async diff(_id, olds, news) {
        return { changes: olds.content !== news.content, replaces: olds.path !== news.path ? ["path"] : [] };
    },
    async update(_id, _olds, news) {
        const fs = await import("node:fs");
        fs.writeFileSync(news.path, news.content);
        return { outs: { path: news.path, content: news.content } };
    },
    async delete(id) {
        const fs = await import("node:fs");
        fs.rmSync(id, { force: true });
    },
};

class TestFile extends pulumi.dynamic.Resource {
    declare readonly content: pulumi.Output<string>;
    constructor(name: string, args: { path: string; content: string }) {
        super(fileProvider, name, { ...args, content: args.content }, {});
    }
}

/** Changes other than "same" in an operation summary. */
function changes(summary: OpMap | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(summary ?? {}).filter(([op, n]) => op !== "same" && (n ?? 0) > 0)) as Record<
        string,
        number
    >;
}

describe("Pulumi engine harness: inline program with a dynamic resource", function () {
    this.timeout(180_000);
    let engine: EngineStack;
    let dir: string;
    let file: string;

    before(async () => {
        dir = mkdtempSync(path.join(os.tmpdir(), "pulumi-calico-adc-dyn-"));
        file = path.join(dir, "object.txt");
        engine = await createEngineStack({
            program: async () => {
                const f = new TestFile("object", { path: file, content: "v1" });
                return { content: f.content };
            },
        });
    });
    after(async () => {
        await engine?.cleanup();
        rmSync(dir, { recursive: true, force: true });
    });

    it("previews, creates, sees no changes, detects drift on refresh, and destroys", async () => {
        const { stack } = engine;
        const preview = await stack.preview();
        assert.deepEqual(changes(preview.changeSummary), { create: 2 });
        assert.equal(existsSync(file), false, "preview must not create");

        const up = await stack.up();
        assert.deepEqual(changes(up.summary.resourceChanges), { create: 2 });
        assert.equal(up.outputs["content"]?.value, "v1");
        assert.equal(readFileSync(file, "utf8"), "v1");

        await stack.preview({ expectNoChanges: true });

        const state = await stack.exportStack();
        const resource = state.deployment.resources.find((r: { type: string }) => r.type === "pulumi-nodejs:dynamic:Resource");
        assert.equal(resource.id, file);
        assert.equal(typeof resource.outputs.__provider, "string");

        writeFileSync(file, "changed by hand");
        const drift = await stack.previewRefresh();
        assert.deepEqual(changes(drift.changeSummary), { update: 1 });
        await stack.refresh();
        const reconcile = await stack.up();
        assert.deepEqual(changes(reconcile.summary.resourceChanges), { update: 1 });
        assert.equal(readFileSync(file, "utf8"), "v1");

        const destroy = await stack.destroy();
        assert.deepEqual(changes(destroy.summary.resourceChanges), { delete: 2 });
        assert.equal(existsSync(file), false);
    });
});
