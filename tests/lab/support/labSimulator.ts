/**
 * The NetScaler CLI simulator with the FRR routing engine pointed at the lab's bgpd. The SSH
 * server listens on 127.0.0.1 (root namespace, loopback only); only the routing engine lives in
 * the ADC namespace.
 */
import * as path from "node:path";
import { startSimulator, type Simulator } from "../../../simulator";
import { FrrRoutingEngine } from "../../../simulator/routing/frrEngine";
import { LAB_GATEWAY, type Lab } from "./lab";
import { SshCli } from "./sshCli";
import { bgpRoutes, parseShowRoute, routeCidr } from "../../../provider/health/showRoute";

export const LAB_USER = "nsroot";
/** A lab-only password for the simulator's login; it protects nothing. */
export const LAB_PASSWORD = "lab-only-password";

export interface LabSimulator {
    sim: Simulator;
    engine: FrrRoutingEngine;
    /** A new plain SSH shell to the simulator. */
    cli(): Promise<SshCli>;
    /** The BGP routes `show route` lists over SSH, as sorted `[prefix, gateway]` pairs. */
    installedBgpRoutes(): Promise<[string, string][]>;
    close(): Promise<void>;
}

export async function startLabSimulator(lab: Lab, options: { port?: number; connectRetrySeconds?: number } = {}): Promise<LabSimulator> {
    const router = lab.adc.router;
    const engine = new FrrRoutingEngine({
        netns: lab.adc.ns,
        vtySocketDir: router.vtySocketDir,
        configDir: router.vtySocketDir,
        // FRR waits 120 s between connection attempts by default; the lab wants seconds.
        connectRetrySeconds: options.connectRetrySeconds ?? 1,
    });
    const sim = await startSimulator({
        host: "127.0.0.1",
        port: options.port ?? 0,
        routing: engine,
        interfaceAddress: `${lab.adc.address}/24`,
        defaultGateway: LAB_GATEWAY,
        users: [{ username: LAB_USER, password: LAB_PASSWORD }],
        hostKeyPath: path.join(lab.dir, "ssh_host_ed25519_key"),
        banner: [],
    });
    const cli = () => SshCli.open({ host: sim.host, port: sim.port, username: LAB_USER, password: LAB_PASSWORD, fingerprint: sim.hostKeyFingerprint });
    return {
        sim,
        engine,
        cli,
        async installedBgpRoutes() {
            const shell = await cli();
            try {
                return bgpRoutes(parseShowRoute(await shell.run("show route")))
                    .map((r): [string, string] => [routeCidr(r), r.gateway])
                    .sort();
            } finally {
                shell.close();
            }
        },
        close: () => sim.close(),
    };
}
