/**
 * The lab by hand (`scripts/lab.sh`): start a lab that outlives the command, attach the
 * simulator's SSH CLI to its FRR, look at both ends' sessions, stop it.
 */
import { startSimulator } from "../../../simulator";
import { FrrRoutingEngine } from "../../../simulator/routing/frrEngine";
import { renderTable } from "../../../provider/health/table";
import { calicoPeerStatuses, parseBirdProtocols } from "./birdProtocols";
import { run, runIn } from "./exec";
import { Lab, LAB_GATEWAY, type LabTopology } from "./lab";
import { cleanStaleLabs, destroyLab, listLabIds, ownerAlive, readRecord } from "./registry";

const USAGE = `Usage: scripts/lab.sh <command> [options]

  up [start options] [--port P]   start a lab and the simulator in the foreground; Ctrl-C removes both
  start [--nodes N] [--adc-asn N] [--cluster-asn N] [--calico v3.31|v3.32] [--mesh] [--dual-stack]
                                  start a lab that keeps running (namespaces, FRR, BIRD;
                                  --dual-stack: IPv6 addresses too and bird6 on every node)
  simulator [<id>] [--port P] [--configured]
                                  the NetScaler CLI simulator on 127.0.0.1, routing through the lab's FRR
                                  (--configured: boot with the runbook applied: router bgp, neighbors, route-install)
  status [<id>]                   both ends: calicoctl-style rows per node, FRR's BGP summary and routes
  list                            labs on this machine
  stop [<id>|--all]               remove a lab (or all) with everything in it
  clean [--all]                   remove labs whose owner died (--all: every lab)

Lab state lives in /run/pulumi-calico-adc-lab (PCALAB_DIR overrides).`;

function flag(args: string[], name: string): string | undefined {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
}

function bool(args: string[], name: string): boolean {
    const i = args.indexOf(name);
    if (i < 0) return false;
    args.splice(i, 1);
    return true;
}

function topologyOf(id: string | undefined): LabTopology {
    const ids = id ? [id] : listLabIds().filter((x) => readRecord(x)?.topology);
    if (ids.length !== 1) throw new Error(ids.length === 0 ? "no lab is running: scripts/lab.sh start" : `several labs run (${ids.join(", ")}): name one`);
    const t = readRecord(ids[0]!)?.topology as LabTopology | undefined;
    if (!t) throw new Error(`no lab ${ids[0]}`);
    return t;
}

async function startLab(args: string[], persistent: boolean): Promise<Lab> {
    const calico = flag(args, "--calico");
    const lab = await Lab.start({
        nodes: Number(flag(args, "--nodes") ?? 3),
        adcAsn: Number(flag(args, "--adc-asn") ?? 500),
        clusterAsn: Number(flag(args, "--cluster-asn") ?? 64512),
        meshEnabled: bool(args, "--mesh"),
        dualStack: bool(args, "--dual-stack"),
        ...(calico === "v3.31" || calico === "v3.32" ? { calicoVersion: calico } : {}),
        persistent,
    });
    const t = lab.topology();
    console.log(`lab ${t.id} (${t.dir})`);
    console.log(`  ADC   ${t.adc.address}  netns ${t.adc.ns}  FRR: ip netns exec ${t.adc.ns} vtysh --vty_socket ${t.adc.vtySocketDir}`);
    for (const n of t.nodes) {
        console.log(`  ${n.name} ${n.address}  netns ${n.ns}  AS ${n.asn}  blocks ${n.blocks.join(" ")}  BIRD: birdc -s ${n.controlSocket}`);
        if (n.ipv6) console.log(`  ${" ".repeat(n.name.length)} ${n.ipv6.address}  blocks ${n.ipv6.blocks.join(" ")}  BIRD6: birdc6 -s ${n.ipv6.controlSocket}`);
    }
    console.log(`  Calico BGPPeer on every node: peerIP ${lab.peer.peerIP}, asNumber ${lab.peer.asNumber}`);
    if (lab.peer6) console.log(`  and for IPv6: peerIP ${lab.peer6.peerIP}, asNumber ${lab.peer6.asNumber}`);
    return lab;
}

async function simulator(t: LabTopology, args: string[], onClose?: () => Promise<void>): Promise<void> {
    const port = Number(flag(args, "--port") ?? 0);
    const configured = bool(args, "--configured");
    const engine = new FrrRoutingEngine({ netns: t.adc.ns, vtySocketDir: t.adc.vtySocketDir, configDir: t.adc.vtySocketDir, connectRetrySeconds: 2 });
    const adcAsn = 500;
    const sim = await startSimulator({
        host: "127.0.0.1",
        port,
        routing: engine,
        interfaceAddress: `${t.adc.address}/24`,
        defaultGateway: LAB_GATEWAY,
        initialConfig: configured
            ? {
                  enabledFeatures: ["BGP"],
                  zebos: ["ns route-install bgp", `router bgp ${adcAsn}`, ...t.nodes.map((n) => ` neighbor ${n.address} remote-as ${n.asn}`)],
              }
            : {},
    });
    console.log(`simulator on 127.0.0.1:${sim.port} (login nsroot / nsroot), host key ${sim.hostKeyFingerprint}`);
    console.log(`  ssh -p ${sim.port} -o StrictHostKeyChecking=no nsroot@127.0.0.1`);
    console.log(`  ADC_PASSWORD=nsroot npx pulumi-calico-adc-status --host 127.0.0.1 --port ${sim.port} --fingerprint ${sim.hostKeyFingerprint}`);
    console.log("Ctrl-C to stop");
    await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
    });
    await sim.close();
    await onClose?.();
}

async function status(t: LabTopology): Promise<void> {
    for (const n of t.nodes) {
        console.log(`${n.name} (${n.address}), as calicoctl node status shows it:`);
        // calicoctl prints an IPv6 table (from bird6) after the IPv4 one when the node runs bird6.
        const tables: ["birdc" | "birdc6", string, "ipv4" | "ipv6"][] = [["birdc", n.controlSocket, "ipv4"], ...(n.ipv6 ? [["birdc6", n.ipv6.controlSocket, "ipv6"] as ["birdc6", string, "ipv6"]] : [])];
        for (const [client, socket, family] of tables) {
            const rows = calicoPeerStatuses(parseBirdProtocols((await run(client, ["-s", socket, "show", "protocols"])).stdout), family);
            console.log(family === "ipv4" ? "IPv4 BGP status" : "IPv6 BGP status");
            console.log(
                rows.length === 0
                    ? `No ${family === "ipv4" ? "IPv4" : "IPv6"} peers found.`
                    : renderTable(
                          ["Peer address", "Peer type", "State", "Since", "Info"],
                          rows.map((r) => [r.peerAddress, r.peerType, r.state, r.since, r.info]),
                      ),
            );
            console.log("");
        }
    }
    const vtysh = (c: string) => runIn(t.adc.ns, "vtysh", ["--vty_socket", t.adc.vtySocketDir, "--config_dir", t.adc.vtySocketDir, "-c", c]).then((r) => r.stdout);
    console.log(`ADC (FRR in ${t.adc.ns}):`);
    console.log(await vtysh("show bgp summary"));
    console.log(await vtysh("show ip route bgp"));
    if (t.adc.address6) console.log(await vtysh("show ipv6 route bgp"));
}

async function main(argv: string[]): Promise<void> {
    const [command, ...args] = argv;
    switch (command) {
        case "start":
            await startLab(args, true);
            console.log("stop it with: scripts/lab.sh stop");
            return;
        case "up": {
            const lab = await startLab(args, false);
            await simulator(lab.topology(), args, () => lab.stop());
            return;
        }
        case "simulator":
            return simulator(topologyOf(args[0]?.startsWith("--") ? undefined : args.shift()), args);
        case "status":
            return status(topologyOf(args[0]));
        case "list":
            for (const id of listLabIds()) {
                const r = readRecord(id);
                console.log(`${id}  ${r?.persistent ? "persistent" : `owner ${r?.ownerPid} ${r && ownerAlive(r) ? "running" : "gone"}`}  created ${r?.createdAt ?? "?"}`);
            }
            return;
        case "stop":
            if (args[0] === "--all") {
                for (const id of await cleanStaleLabs({ all: true })) console.log(`removed ${id}`);
            } else {
                const t = topologyOf(args[0]);
                await destroyLab(t.id);
                console.log(`removed ${t.id}`);
            }
            return;
        case "clean":
            for (const id of await cleanStaleLabs({ all: args[0] === "--all" })) console.log(`removed stale lab ${id}`);
            return;
        default:
            console.log(USAGE);
            if (command && command !== "help" && command !== "--help") process.exitCode = 2;
    }
}

main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`lab: ${(e as Error).message}`);
    process.exitCode = 1;
});
