import { strict as assert } from "node:assert";
import { ChildProcess, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exec, Harness } from "./sshHarness";

const CLI = join(__dirname, "../../../simulator/cli.js");

/** What the command prints up to its `Ctrl-C to stop.` line (it is then listening). */
async function banner(child: ChildProcess): Promise<string> {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 10000;
    while (!out.includes("Ctrl-C to stop.")) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no banner: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
    }
    return out;
}

describe("simulator command line", () => {
    const h = new Harness();
    let child: ChildProcess | undefined;
    afterEach(async () => {
        if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        child = undefined;
        await h.cleanup();
    });
    after(() => h.removeKeys());

    it("starts from an options file, prints where and how to log in, and stops on Ctrl-C", async () => {
        const config = join(h.keyDir, "options.yaml");
        writeFileSync(config, ["users:", "  - username: admin", "    password: pw-123", "initialConfig:", "  enabledFeatures: [LB, BGP]", "  zebos: |", "    router bgp 500", "     neighbor 10.0.0.1 remote-as 64512", ""].join("\n"));
        child = spawn(process.execPath, [CLI, "--port", "0", "--config", config, "--host-key-path", join(h.keyDir, "cli_key")], { stdio: ["ignore", "pipe", "pipe"] });
        const out = await banner(child);
        const m = /listening on (127\.0\.0\.1):(\d+)\n {2}login: admin \/ pw-123\n {2}host key: ssh-ed25519 (SHA256:\S+)\n/.exec(out);
        assert.ok(m, out);
        const target = { host: m[1]!, port: Number(m[2]) };
        const { client, seenFingerprint } = await h.connect(target, [{ type: "password", username: "admin", password: "pw-123" }]);
        assert.equal(seenFingerprint, m[3]);
        assert.match((await exec(client, "show ns feature")).stdout, /BGP Routing +BGP +ON/);
        client.end();
        const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
        child.kill("SIGINT");
        assert.equal(await exited, 0);
    });

    it("keeps its host key in the user's cache by default, so the fingerprint survives a restart", async () => {
        const cache = join(h.keyDir, "xdg-cache");
        const fingerprint = async (): Promise<string> => {
            child = spawn(process.execPath, [CLI, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, XDG_CACHE_HOME: cache } });
            const out = await banner(child);
            const exited = new Promise((resolve) => child!.once("exit", resolve));
            child.kill("SIGINT");
            await exited;
            return /host key: ssh-ed25519 (SHA256:\S+)/.exec(out)?.[1] ?? assert.fail(out);
        };
        const first = await fingerprint();
        assert.ok(existsSync(join(cache, "pulumi-calico-adc", "simulator", "ssh_host_ed25519_key")));
        assert.equal(await fingerprint(), first);
    });

    it("explains a bad option and exits 1", async () => {
        child = spawn(process.execPath, [CLI, "--port", "70000"], { stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
        const code = await new Promise<number | null>((resolve) => child!.once("exit", (c) => resolve(c)));
        assert.equal(code, 1);
        assert.match(err, /--port 70000: not a port number/);
    });
});
