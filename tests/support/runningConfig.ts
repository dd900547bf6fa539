import type { Simulator } from "../../simulator";

/** The `neighbor <ip> remote-as <asn>` lines of the simulated ADC's running config, trimmed. */
export function neighborLines(sim: Simulator): string[] {
    return sim.device
        .runningConfig()
        .split("\n")
        .filter((l) => / neighbor \S+ remote-as /.test(l))
        .map((l) => l.trim());
}
