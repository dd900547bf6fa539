/**
 * FRRouting (zebra + bgpd) as the ADC's routing engine, inside the ADC namespace. Everything the
 * daemons read or create lives in the lab's own directory (config, pid files, vty sockets, the
 * zserv socket), so several labs and a system-wide frr never share a path.
 */
import { chownSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Daemon } from "./daemon";
import { run, runIn, waitFor } from "./exec";

export interface FrrOptions {
    ns: string;
    /** Directory for config, sockets and logs; created, and handed to the frr user. */
    dir: string;
    hostname?: string;
    detach?: boolean;
    /** The user the Debian package runs FRR as (its vty sockets are group frrvty). Default `frr`. */
    user?: string;
    startTimeoutMs?: number;
}

async function ids(user: string): Promise<{ uid: number; gid: number }> {
    const uid = Number((await run("id", ["-u", user])).stdout.trim());
    const gid = Number((await run("id", ["-g", user])).stdout.trim());
    return { uid, gid };
}

/** A running zebra + bgpd pair and the vtysh that talks to them. */
export class FrrRouter {
    private constructor(
        readonly ns: string,
        /** Where the vty sockets are: pass to `vtysh --vty_socket`. */
        readonly vtySocketDir: string,
        private readonly daemons: Daemon[],
    ) {}

    static async start(options: FrrOptions): Promise<FrrRouter> {
        const user = options.user ?? "frr";
        const { uid, gid } = await ids(user);
        const dir = options.dir;
        mkdirSync(dir, { recursive: true });
        const hostname = options.hostname ?? "adc";
        // Empty configs: the routing configuration arrives through vtysh, as on the device.
        writeFileSync(path.join(dir, "zebra.conf"), `hostname ${hostname}\n`);
        writeFileSync(path.join(dir, "bgpd.conf"), `hostname ${hostname}\n`);
        writeFileSync(path.join(dir, "vtysh.conf"), "");
        for (const f of ["", "zebra.conf", "bgpd.conf", "vtysh.conf"]) chownSync(path.join(dir, f), uid, gid);
        const common = (daemon: string) => [
            `/usr/lib/frr/${daemon}`,
            "-f",
            path.join(dir, `${daemon}.conf`),
            "-i",
            path.join(dir, `${daemon}.pid`),
            "-z",
            path.join(dir, "zserv.api"),
            "--vty_socket",
            dir,
            // No TCP vty at all: vtysh uses the unix sockets in `dir`.
            "-P",
            "0",
            "-u",
            user,
            "-g",
            user,
            "--log",
            `file:${path.join(dir, `${daemon}.log`)}`,
        ];
        const timeoutMs = options.startTimeoutMs ?? 15_000;
        const daemons: Daemon[] = [];
        const router = new FrrRouter(options.ns, dir, daemons);
        try {
            const zebra = new Daemon({ label: `zebra in ${options.ns}`, ns: options.ns, argv: common("zebra"), logFile: path.join(dir, "zebra.out"), cwd: dir, ...(options.detach ? { detach: true } : {}) });
            daemons.push(zebra);
            await waitFor("zebra's zserv socket", async () => (zebra.assertRunning(), existsSync(path.join(dir, "zserv.api")) || undefined), { timeoutMs });
            const bgpd = new Daemon({ label: `bgpd in ${options.ns}`, ns: options.ns, argv: common("bgpd"), logFile: path.join(dir, "bgpd.out"), cwd: dir, ...(options.detach ? { detach: true } : {}) });
            daemons.push(bgpd);
            await waitFor(
                "bgpd to answer vtysh",
                async () => {
                    bgpd.assertRunning();
                    if (!existsSync(path.join(dir, "bgpd.vty"))) return undefined;
                    const out = await router.vtysh(["show bgp summary json"]);
                    return out.trim().startsWith("{") || undefined;
                },
                { timeoutMs },
            );
        } catch (e) {
            await router.stop();
            throw e;
        }
        return router;
    }

    get pids(): number[] {
        return this.daemons.map((d) => d.pid).filter((p): p is number => p !== undefined);
    }

    /**
     * Runs vtysh inside the ADC namespace against this router's sockets, one `-c` per line (a
     * line may be `configure terminal`; the context carries over to the next). Returns stdout.
     * vtysh prints rejected commands on stdout and exits non-zero; that becomes an error.
     */
    async vtysh(lines: readonly string[], options: { timeoutMs?: number } = {}): Promise<string> {
        const args = ["--vty_socket", this.vtySocketDir, "--config_dir", this.vtySocketDir];
        for (const l of lines) args.push("-c", l);
        const { stdout } = await runIn(this.ns, "vtysh", args, { timeoutMs: options.timeoutMs ?? 15_000 });
        return stdout;
    }

    /** A `show ... json` command, parsed. */
    async json<T = unknown>(command: string): Promise<T> {
        return JSON.parse(await this.vtysh([command])) as T;
    }

    async stop(): Promise<void> {
        // bgpd first: it tells its peers (Cease) before zebra goes away.
        for (const d of [...this.daemons].reverse()) await d.stop();
    }

    assertRunning(): void {
        for (const d of this.daemons) d.assertRunning();
    }
}
