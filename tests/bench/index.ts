/**
 * `npm run bench`: prints the figures behind the package's speed and memory claims.
 *
 * - the pure core on a large device (parse, plan) — what every operation pays;
 * - a whole apply over SSH against the simulator (one session, pipelined lines), for a
 *   cluster-sized neighbor set, and the no-op re-apply that `pulumi up` does on every run.
 */
import { performance } from "perf_hooks";
import { providers } from "../../provider/adc/providers";
import { parseRunningConfig } from "../../provider/core/parseRunningConfig";
import { planNeighbors } from "../../provider/core/plan";
import type { Neighbor } from "../../provider/core/model";
import type { Asn, IpAddress } from "../../provider/core/values";
import { startSimulator } from "../../simulator";

process.env.PULUMI_CALICO_ADC_QUIET = "1";

function address(i: number): string {
    return `10.${100 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${(i % 256) + 0}`;
}

function neighborLines(count: number): string[] {
    return Array.from({ length: count }, (_, i) => ` neighbor ${address(i)} remote-as 64512`);
}

function time<T>(runs: number, fn: () => T): { perRunMs: number; result: T } {
    let result!: T;
    fn();
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) result = fn();
    return { perRunMs: (performance.now() - t0) / runs, result };
}

function mib(bytes: number): string {
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function main(): Promise<void> {
    const rows: [string, string][] = [];

    for (const size of [100, 1000, 5000]) {
        const text = ["!", "ns route-install bgp", "!", "router bgp 500", " max-paths ebgp 8", ...neighborLines(size), "!", "end"].join("\n");
        const parse = time(20, () => parseRunningConfig(text));
        rows.push([`parse show running-config, ${size} neighbors`, `${parse.perRunMs.toFixed(2)} ms`]);
        const wanted: Neighbor[] = Array.from({ length: size }, (_, i) => ({
            address: address(i + 10) as IpAddress,
            remoteAsn: 64512 as Asn,
            description: null,
            password: null,
            updateSource: null,
            ebgpMultihop: null,
        }));
        const owned = new Set(Array.from({ length: size }, (_, i) => address(i) as IpAddress));
        const plan = time(20, () => planNeighbors(parse.result, 500 as Asn, wanted, owned, false));
        const changes = plan.result.ok ? plan.result.changes.length : -1;
        rows.push([`plan ${size} neighbors (10 added, 10 removed)`, `${plan.perRunMs.toFixed(2)} ms, ${changes} changes`]);
    }

    const sim = await startSimulator({ banner: [], initialConfig: { enabledFeatures: ["BGP"], zebos: ["router bgp 500"] } });
    try {
        const n = providers.adcBgpNeighbors;
        for (const size of [10, 100, 500]) {
            const raw = {
                connection: { host: sim.host, port: sim.port, hostKeyFingerprint: sim.hostKeyFingerprint },
                credentials: { password: "nsroot" },
                localAsn: 500,
                neighbors: Array.from({ length: size }, (_, i) => ({ address: address(i), remoteAsn: 64512 })),
                saveConfig: false,
            };
            const inputs = (await n.check!({}, raw)).inputs;
            sim.resetCounters();
            const heap0 = process.memoryUsage().heapUsed;
            const t0 = performance.now();
            const created = await n.create(inputs);
            const createMs = performance.now() - t0;
            const heap1 = process.memoryUsage().heapUsed;
            const lines = sim.counters();
            const t1 = performance.now();
            await n.update!(created.id, created.outs, inputs);
            const noopMs = performance.now() - t1;
            const t2 = performance.now();
            await n.read!(created.id, created.outs);
            const readMs = performance.now() - t2;
            rows.push([`create ${size} neighbors over SSH (1 session)`, `${createMs.toFixed(0)} ms, ${lines.configLinesReceived} config lines, ${lines.connectionsAccepted} connection(s), heap +${mib(Math.max(0, heap1 - heap0))}`]);
            rows.push([`no-op re-apply, ${size} neighbors`, `${noopMs.toFixed(0)} ms`]);
            rows.push([`read (refresh), ${size} neighbors`, `${readMs.toFixed(0)} ms`]);
            await n.delete!(created.id, created.outs);
        }
    } finally {
        await sim.close();
    }
    rows.push(["resident set size at the end", mib(process.memoryUsage().rss)]);

    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(`pulumi-calico-adc benchmark (node ${process.version}, ${new Date().toISOString()})`);
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
