/**
 * A simulated Calico node: BIRD 1.6 in the node's namespace, run as calico-node runs it
 * (`bird -R -s <ctl> -d -c bird.cfg`; here `-f` instead of `-d` so BIRD logs to its file, and
 * argv[0] is `bird` so calicoctl's process check would recognise it), configured by the renderer.
 * For IPv6 calico-node runs a second daemon, `bird6` with bird6.cfg and its own control socket
 * (`family: "ipv6"`), from the same resources.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import { renderCalicoBird, type AddressFamily, type BirdRenderInput } from "./calicoBird";
import { renderCalicoBird6 } from "./calicoBird6";
import { calicoPeerStatuses, parseBirdProtocols, type BirdProtocolRow, type CalicoPeerStatus } from "./birdProtocols";
import { Daemon } from "./daemon";
import { run, waitFor } from "./exec";

export interface BirdNodeOptions {
    ns: string;
    dir: string;
    input: BirdRenderInput;
    /** `ipv4` (default): bird with bird.cfg; `ipv6`: bird6 with bird6.cfg. */
    family?: AddressFamily;
    detach?: boolean;
    startTimeoutMs?: number;
}

export class BirdNode {
    private input: BirdRenderInput;

    private constructor(
        readonly ns: string,
        readonly dir: string,
        readonly family: AddressFamily,
        private readonly daemon: Daemon,
        input: BirdRenderInput,
    ) {
        this.input = input;
    }

    get controlSocket(): string {
        return path.join(this.dir, `${daemonName(this.family)}.ctl`);
    }

    get pid(): number | undefined {
        return this.daemon.pid;
    }

    /** What the node's confd last rendered from. */
    get renderInput(): BirdRenderInput {
        return this.input;
    }

    static writeConfig(dir: string, input: BirdRenderInput, rogueRoutes: readonly string[] = [], family: AddressFamily = "ipv4"): void {
        const files =
            family === "ipv4"
                ? renderCalicoBird(input, { dropTunnelAttribute: true, logFile: path.join(dir, "bird.log"), rogueRoutes })
                : renderCalicoBird6(input, { logFile: path.join(dir, "bird6.log"), rogueRoutes });
        for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    }

    static async start(options: BirdNodeOptions): Promise<BirdNode> {
        const family = options.family ?? "ipv4";
        const name = daemonName(family);
        mkdirSync(options.dir, { recursive: true });
        BirdNode.writeConfig(options.dir, options.input, [], family);
        const ctl = path.join(options.dir, `${name}.ctl`);
        const daemon = new Daemon({
            label: `${name} in ${options.ns}`,
            ns: options.ns,
            argv: [name, "-f", "-c", path.join(options.dir, `${name}.cfg`), "-s", ctl, "-P", path.join(options.dir, `${name}.pid`)],
            logFile: path.join(options.dir, `${name}.out`),
            // bird.cfg includes bird_aggr.cfg and bird_ipam.cfg by relative name (bird6.cfg its bird6_ files).
            cwd: options.dir,
            ...(options.detach ? { detach: true } : {}),
        });
        const node = new BirdNode(options.ns, options.dir, family, daemon, options.input);
        try {
            await waitFor(`${name}'s control socket`, async () => (daemon.assertRunning(), (await node.birdc("show status")).includes("Daemon is up") || undefined), {
                timeoutMs: options.startTimeoutMs ?? 10_000,
                describe: () => daemon.logTail(500),
            });
        } catch (e) {
            await daemon.stop();
            throw e;
        }
        return node;
    }

    /** `birdc -s <ctl> <command>` (`birdc6` for bird6; a unix socket: no network involved). */
    async birdc(command: string): Promise<string> {
        const { stdout } = await run(this.family === "ipv4" ? "birdc" : "birdc6", ["-s", this.controlSocket, ...command.split(" ")], { timeoutMs: 5000 });
        return stdout;
    }

    async protocols(): Promise<BirdProtocolRow[]> {
        return parseBirdProtocols(await this.birdc("show protocols"));
    }

    /** The rows `calicoctl node status` would print on this node. */
    async status(): Promise<CalicoPeerStatus[]> {
        return calicoPeerStatuses(await this.protocols(), this.family);
    }

    /** Re-renders after a resource change and reloads, as confd does (`sv hup bird`; here `birdc configure`). */
    async reconfigure(input: BirdRenderInput): Promise<void> {
        BirdNode.writeConfig(this.dir, input, this.rogue, this.family);
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

function daemonName(family: AddressFamily): "bird" | "bird6" {
    return family === "ipv4" ? "bird" : "bird6";
}
