/**
 * Two simulators as the two nodes of a NetScaler HA pair: each with its own SSH port, host key,
 * NSIP and HA state, the primary carrying to the secondary what HA sync carries (see
 * {@link HaPropagation}), and a failover on command, from code or typed in nscli
 * (`force ha failover`, as the sync commands, in `nscli/ha.ts`).
 */
import type { HaLinkSettings, HaPropagation } from "./model/device";
import type { SyncFilesMode } from "./model/ha";
import type { SimulatorOptions } from "./options";
import { Simulator, startSimulator } from "./server";

/** How {@link startHaPair} builds the pair. */
export interface HaPairOptions {
    /** Options both nodes share (users, faults, initial configuration, ...); `node` and `interfaceAddress` are set per node. */
    readonly common?: SimulatorOptions;
    /** Per node, merged over `common`. Default NSIPs 10.102.33.208/24 and 10.102.33.209/24. */
    readonly nodes?: readonly [SimulatorOptions, SimulatorOptions];
    /**
     * Whether the primary's vtysh configuration reaches the secondary: after every change and
     * with every sync (`synced`), only with `force ha sync` and `sync ha files` (`on-sync`), or
     * never (`not-synced`). Default `synced`.
     */
    readonly propagation?: HaPropagation;
    /** The `sync ha files` modes whose files include ZebOS.conf (undocumented). Default `all` and `all_plus_misc`. */
    readonly zebosFileModes?: readonly SyncFilesMode[];
    /** Which node starts as primary. Default 0. */
    readonly primary?: 0 | 1;
}

/** A running simulated HA pair. */
export class HaPair {
    /** @internal use {@link startHaPair} */
    constructor(
        /** The two nodes, in the order given. */
        readonly nodes: readonly [Simulator, Simulator],
        private readonly settings: HaLinkSettings,
    ) {}

    /** The node whose HA state is Primary now. */
    primary(): Simulator {
        return this.nodes.find((n) => n.node().role === "primary")!;
    }

    /** The node whose HA state is Secondary now. */
    secondary(): Simulator {
        return this.nodes.find((n) => n.node().role === "secondary")!;
    }

    /** Swaps the nodes' roles, as `force ha failover` does on the primary. Configuration stays where it is. */
    failover(): void {
        for (const n of this.nodes) n.failover();
    }

    /** Changes what the primary carries to the secondary from now on. */
    setPropagation(propagation: HaPropagation): void {
        this.settings.propagation = propagation;
    }

    /** Counters of both nodes, summed. */
    counters(): { linesReceived: number; configLinesReceived: number; connectionsAccepted: number; bgpSessionsReset: number } {
        const [a, b] = this.nodes.map((n) => n.counters());
        return {
            linesReceived: a!.linesReceived + b!.linesReceived,
            configLinesReceived: a!.configLinesReceived + b!.configLinesReceived,
            connectionsAccepted: a!.connectionsAccepted + b!.connectionsAccepted,
            bgpSessionsReset: a!.bgpSessionsReset + b!.bgpSessionsReset,
        };
    }

    resetCounters(): void {
        for (const n of this.nodes) n.resetCounters();
    }

    async close(): Promise<void> {
        await Promise.all(this.nodes.map((n) => n.close()));
    }
}

const DEFAULT_NSIPS = ["10.102.33.208/24", "10.102.33.209/24"] as const;

/** Starts both nodes of an HA pair on free ports of 127.0.0.1. */
export async function startHaPair(options: HaPairOptions = {}): Promise<HaPair> {
    const primary = options.primary ?? 0;
    const own = (i: 0 | 1): SimulatorOptions => ({ ...options.common, ...options.nodes?.[i] });
    const nsip = (i: 0 | 1): string => own(i).interfaceAddress ?? DEFAULT_NSIPS[i];
    const start = (i: 0 | 1): Promise<Simulator> =>
        startSimulator({
            ...own(i),
            interfaceAddress: nsip(i),
            node: { ...own(i).node, role: i === primary ? "primary" : "secondary", peerAddress: nsip(i === 0 ? 1 : 0).split("/")[0]! },
        });
    const nodes = [await start(0), await start(1)] as const;
    const settings: HaLinkSettings = { propagation: options.propagation ?? "synced", zebosFileModes: options.zebosFileModes ?? ["all", "all_plus_misc"] };
    nodes[0].linkHaPeer(nodes[1], settings);
    nodes[1].linkHaPeer(nodes[0], settings);
    return new HaPair(nodes, settings);
}
