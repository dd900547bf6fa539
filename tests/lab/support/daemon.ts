/**
 * A routing daemon running in the foreground inside a lab namespace, as a child of this process:
 * its pid is known from the start, its exit is observed, and stopping it never needs a pid file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { sleep } from "./exec";

export interface DaemonOptions {
    /** Name used in messages (`bgpd in pcalab-x-adc`). */
    label: string;
    ns: string;
    argv: readonly string[];
    /** stdout and stderr go here. */
    logFile: string;
    cwd?: string;
    /**
     * Survive this process (its own session, not waited for): for labs started by hand. The
     * daemon is then stopped by deleting its namespace.
     */
    detach?: boolean;
}

export class Daemon {
    private readonly child: ChildProcess;
    private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    private readonly exited: Promise<void>;

    constructor(readonly options: DaemonOptions) {
        const fd = openSync(options.logFile, "a");
        try {
            // `ip netns exec` execs the program in place: the child's pid is the daemon's pid.
            this.child = spawn("ip", ["netns", "exec", options.ns, ...options.argv], {
                stdio: ["ignore", fd, fd],
                cwd: options.cwd,
                detached: options.detach ?? false,
            });
        } finally {
            closeSync(fd);
        }
        this.exited = new Promise((resolve) => {
            this.child.once("exit", (code, signal) => {
                this.exitInfo = { code, signal };
                resolve();
            });
            this.child.once("error", () => {
                this.exitInfo ??= { code: null, signal: null };
                resolve();
            });
        });
        if (options.detach) this.child.unref();
    }

    get pid(): number | undefined {
        return this.child.pid;
    }

    get running(): boolean {
        return this.exitInfo === undefined;
    }

    /** Throws with the daemon's log tail if it has exited (a config error, a port in use). */
    assertRunning(): void {
        if (this.exitInfo) {
            throw new Error(`${this.options.label} exited (code ${this.exitInfo.code}, signal ${this.exitInfo.signal}): ${this.logTail()}`);
        }
    }

    logTail(chars = 1500): string {
        try {
            return readFileSync(this.options.logFile, "utf8").slice(-chars);
        } catch {
            return "(no log)";
        }
    }

    /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
    async stop(graceMs = 3000): Promise<void> {
        if (!this.running) return;
        this.child.kill("SIGTERM");
        const done = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
        if (!done) {
            this.child.kill("SIGKILL");
            await Promise.race([this.exited, sleep(2000)]);
        }
    }
}
