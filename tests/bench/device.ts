/** The bench's handle on the simulator process. */
import { fork, type ChildProcess } from "child_process";
import { join } from "path";
import type { SimulatorCounters } from "../../simulator";
import { NETSCALER } from "../../provider/device/platform";
import type { SimulatorProcessOptions, SimulatorRequest } from "./simulatorProcess";

/** The bench device's session cap (an assumption: appliances cap management sessions; the number is unconfirmed). */
export const SESSION_CAP = 20;
/** The bench device's input buffer: the platform's, which the package's window is sized to. */
export const INPUT_BUFFER_BYTES = NETSCALER.inputBufferBytes;

type Request = SimulatorRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

export class BenchDevice {
    private seq = 0;
    private readonly waiting = new Map<number, (value: unknown) => void>();

    private constructor(
        private readonly child: ChildProcess,
        readonly host: string,
        readonly port: number,
        readonly hostKeyFingerprint: string,
    ) {
        child.on("message", (m: { id: number; value: unknown }) => {
            this.waiting.get(m.id)?.(m.value);
            this.waiting.delete(m.id);
        });
    }

    static async start(overrides: Partial<SimulatorProcessOptions> = {}): Promise<BenchDevice> {
        const options: SimulatorProcessOptions = { maxSessions: SESSION_CAP, inputBufferBytes: INPUT_BUFFER_BYTES, ...overrides };
        const child = fork(join(__dirname, "simulatorProcess.js"), [JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
        const first = await new Promise<{ host: string; port: number; hostKeyFingerprint: string }>((resolve, reject) => {
            child.once("message", (m: { value: { host: string; port: number; hostKeyFingerprint: string } }) => resolve(m.value));
            child.once("exit", (code) => reject(new Error(`the simulator process exited with ${code}`)));
        });
        return new BenchDevice(child, first.host, first.port, first.hostKeyFingerprint);
    }

    private ask<T>(request: Request): Promise<T> {
        const id = ++this.seq;
        return new Promise<T>((resolve) => {
            this.waiting.set(id, resolve as (value: unknown) => void);
            this.child.send({ ...request, id });
        });
    }

    reset(): Promise<void> {
        return this.ask({ cmd: "reset" });
    }

    counters(): Promise<SimulatorCounters> {
        return this.ask({ cmd: "counters" });
    }

    /** Sets the round-trip time (each direction gets half). */
    setRtt(ms: number): Promise<void> {
        return this.ask({ cmd: "delay", ms: ms / 2 });
    }

    neighbors(): Promise<number> {
        return this.ask({ cmd: "neighbors" });
    }

    /** The device's `show running-config`, as vtysh prints it. */
    runningConfig(): Promise<string> {
        return this.ask({ cmd: "running-config" });
    }

    close(): Promise<void> {
        return this.ask({ cmd: "close" });
    }
}
