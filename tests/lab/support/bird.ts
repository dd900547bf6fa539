/**
 * A simulated Calico node: BIRD 1.6 in the node's namespace, run as calico-node runs it
 * (`bird -R -s <ctl> -d -c bird.cfg`; here `-f` instead of `-d` so BIRD logs to its file, and
 * argv[0] is `bird` so calicoctl's process check would recognise it), configured by the renderer.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import { renderCalicoBird, type BirdRenderInput } from "./calicoBird";
import { calicoPeerStatuses, parseBirdProtocols, type BirdProtocolRow, type CalicoPeerStatus } from "./birdProtocols";
import { Daemon } from "./daemon";
import { run, waitFor } from "./exec";

export interface BirdNodeOptions {
    ns: string;
    dir: string;
    input: BirdRenderInput;
    detach?: boolean;
    startTimeoutMs?: number;
}

export class BirdNode {
    private input: BirdRenderInput;

    private constructor(
        readonly ns: string,
        readonly dir: string,
        private readonly daemon: Daemon,
        input: BirdRenderInput,
    ) {
        this.input = input;
    }

    get controlSocket(): string {
        return path.join(this.dir, "bird.ctl");
    }

    get pid(): number | undefined {
        return this.daemon.pid;
    }

    /** What the node's confd last rendered from. */
    get renderInput(): BirdRenderInput {
        return this.input;
    }

    static writeConfig(dir: string, input: BirdRenderInput, rogueRoutes: readonly string[] = []): void {
        const files = renderCalicoBird(input, { dropTunnelAttribute: true, logFile: path.join(dir, "bird.log"), rogueRoutes });
        for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    }

    static async start(options: BirdNodeOptions): Promise<BirdNode> {
        mkdirSync(options.dir, { recursive: true });
        BirdNode.writeConfig(options.dir, options.input);
        const ctl = path.join(options.dir, "bird.ctl");
        const daemon = new Daemon({
            label: `bird in ${options.ns}`,
            ns: options.ns,
            argv: ["bird", "-f", "-c", path.join(options.dir, "bird.cfg"), "-s", ctl, "-P", path.join(options.dir, "bird.pid")],
            logFile: path.join(options.dir, "bird.out"),
            // bird.cfg includes bird_aggr.cfg and bird_ipam.cfg by relative name.
            cwd: options.dir,
            ...(options.detach ? { detach: true } : {}),
        });
        const node = new BirdNode(options.ns, options.dir, daemon, options.input);
        try {
            await waitFor("BIRD's control socket", async () => (daemon.assertRunning(), (await node.birdc("show status")).includes("Daemon is up") || undefined), {
                timeoutMs: options.startTimeoutMs ?? 10_000,
                describe: () => daemon.logTail(500),
            });
        } catch (e) {
            await daemon.stop();
            throw e;
        }
        return node;
    }

    /** `birdc -s <ctl> <command>` (a unix socket: no network involved). */
    async birdc(command: string): Promise<string> {
        const { stdout } = await run("birdc", ["-s", this.controlSocket, ...command.split(" ")], { timeoutMs: 5000 });
        return stdout;
    }

    async protocols(): Promise<BirdProtocolRow[]> {
        return parseBirdProtocols(await this.birdc("show protocols"));
    }

    /** The rows `calicoctl node status` would print on this node. */
    async status(): Promise<CalicoPeerStatus[]> {
        return calicoPeerStatuses(await this.protocols());
    }

    /** Re-renders after a resource change and reloads, as confd does (`sv hup bird`; here `birdc configure`). */
    async reconfigure(input: BirdRenderInput): Promise<void> {
        BirdNode.writeConfig(this.dir, input, this.rogue);
        const out = await this.birdc("configure");
        if (!/Reconfigur|Reconfiguration in progress/.test(out)) throw new Error(`birdc configure on ${this.ns}: ${out.trim()}`);
        this.input = input;
    }

    private rogue: readonly string[] = [];

    /**
     * Makes this node advertise `routes` besides what calico-node exports, as a misconfigured or
     * compromised node would; `[]` returns it to calico-node's own configuration.
     */
    async advertiseRogue(routes: readonly string[]): Promise<void> {
        this.rogue = routes;
        await this.reconfigure(this.input);
    }

    async stop(): Promise<void> {
        await this.daemon.stop();
    }

    assertRunning(): void {
        this.daemon.assertRunning();
    }
}
