/**
 * The simulator in a process of its own, so that the device's CPU is not the client's: the
 * bench drives it over IPC (`fork`) and reads its counters between runs.
 */
import { startSimulator, type Simulator } from "../../simulator";

/** What the bench asks of the simulator process. */
export type SimulatorRequest =
    | { readonly id: number; readonly cmd: "reset" }
    | { readonly id: number; readonly cmd: "counters" }
    | { readonly id: number; readonly cmd: "delay"; readonly ms: number }
    | { readonly id: number; readonly cmd: "neighbors" }
    | { readonly id: number; readonly cmd: "running-config" }
    | { readonly id: number; readonly cmd: "close" };

/** How the simulator process is started (`process.argv[2]`, JSON). */
export interface SimulatorProcessOptions {
    readonly maxSessions: number;
    readonly inputBufferBytes: number;
    /** Whether `router bgp 500` is configured from the start (the neighbors resource's case); default true. */
    readonly routerBgp?: boolean;
}

async function main(): Promise<void> {
    const options = JSON.parse(process.argv[2] ?? "{}") as SimulatorProcessOptions;
    const sim: Simulator = await startSimulator({
        banner: [],
        initialConfig: { enabledFeatures: ["BGP"], zebos: options.routerBgp === false ? [] : ["router bgp 500"] },
        maxSessions: options.maxSessions,
        inputBufferBytes: options.inputBufferBytes,
    });
    // Ends with the bench, however the bench ends.
    process.on("disconnect", () => process.exit(0));
    process.on("message", (m: SimulatorRequest) => {
        const answer = (value: unknown): void => void process.send?.({ id: m.id, value });
        switch (m.cmd) {
            case "reset":
                sim.resetCounters();
                return answer(null);
            case "counters":
                return answer(sim.counters());
            case "delay":
                sim.setNetworkDelay(m.ms);
                return answer(null);
            case "neighbors":
                return answer(sim.device.state().bgp?.neighbors.length ?? 0);
            case "running-config":
                return answer(sim.device.runningConfig());
            case "close":
                void sim.close().then(() => {
                    answer(null);
                    process.exit(0);
                });
        }
    });
    process.send?.({ id: 0, value: { host: sim.host, port: sim.port, hostKeyFingerprint: sim.hostKeyFingerprint } });
}

void main();
