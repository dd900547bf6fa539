/**
 * The BGP lab: one namespace for the ADC (FRRouting), one per Calico node (BIRD configured as
 * calico-node configures itself for a global BGPPeer), all on one bridge that lives in its own
 * namespace. Addresses exist only inside these namespaces; nothing is routed to or from the
 * root namespace, and no daemon runs there.
 *
 *     pcalab-<id>-br:  br0 ── p-adc ─── eth0 203.0.113.1   pcalab-<id>-adc  (zebra, bgpd)
 *                         ├── p-n1  ─── eth0 203.0.113.11  pcalab-<id>-n1   (bird)
 *                         └── ...
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { BirdNode } from "./bird";
import type { BgpConfigurationSpec, BgpPeerSpec, BirdRenderInput, CalicoNodeFacts, CalicoTemplateVersion } from "./calicoBird";
import type { CalicoPeerStatus } from "./birdProtocols";
import type { KubeService, ServiceAdvertisementConfig } from "./calicoServiceRoutes";
import { FrrRouter } from "./frr";
import { buildLan, createNamespace, namespaceName } from "./netns";
import { runIn } from "./exec";
import { cleanStaleLabs, destroyLab, labDir, registerLab, writeRecord, type LabRecord } from "./registry";

/**
 * TEST-NET-3 (RFC 5737): reserved for documentation, so no real host should carry it; it is
 * only ever configured inside the lab's namespaces anyway.
 */
export const LAB_NET = "203.0.113";
export const LAB_SUBNET = `${LAB_NET}.0/24`;
export const LAB_ADC_ADDRESS = `${LAB_NET}.1`;
/** Default gateway the simulated appliance shows in `show route` (nothing answers there). */
export const LAB_GATEWAY = `${LAB_NET}.254`;
/** Calico's default IP pool; each node's /26 blocks come out of it. */
export const LAB_POOL = "192.168.0.0/16";

export interface LabNode {
    name: string;
    ns: string;
    address: string;
    /** The node's AS (Calico Node `spec.bgp.asNumber`, or the cluster AS). */
    asn: number;
    /** The node's affine IPAM blocks, which it advertises. */
    blocks: string[];
    bird: BirdNode;
    /** `calicoctl node status` rows. */
    status(): Promise<CalicoPeerStatus[]>;
}

export interface LabOptions {
    /** Number of Calico nodes. Default 3. */
    nodes?: number;
    /** The cluster's AS (BGPConfiguration default asNumber). Default 64512. */
    clusterAsn?: number;
    /** The ADC's AS as the global BGPPeer names it. Default 500. */
    adcAsn?: number;
    calicoVersion?: CalicoTemplateVersion;
    /** BGPConfiguration nodeToNodeMeshEnabled. Default false (the nodes only peer with the ADC). */
    meshEnabled?: boolean;
    /** Extra BGPPeer fields (password, keepaliveTime, ...). */
    peer?: Partial<BgpPeerSpec>;
    /** Started by hand: the daemons outlive this process and only `lab.sh stop` removes the lab. */
    persistent?: boolean;
    /** Remove labs left by dead runs first. Default true. */
    cleanStale?: boolean;
    /**
     * One-way delay (`tc netem`) on the ADC namespace's link, in milliseconds: everything to and
     * from the ADC crosses a link with that latency. Default 0 (none).
     */
    adcLinkDelayMs?: number;
}

export interface LabTopology {
    id: string;
    dir: string;
    adc: { ns: string; address: string; vtySocketDir: string; pids: number[] };
    nodes: { name: string; ns: string; address: string; asn: number; blocks: string[]; controlSocket: string }[];
}

/** Blocks for node `i` (1-based): the first node has two, to show several blocks per node. */
export function blocksOfNode(i: number): string[] {
    return i === 1 ? [`192.168.${i * 10}.0/26`, `192.168.${i * 10}.64/26`] : [`192.168.${i * 10}.0/26`];
}

const activeLabs = new Set<string>();
let exitHookInstalled = false;

/** Last resort when the process exits without `stop()` (an uncaught error): kill and delete synchronously. */
function installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.on("exit", () => {
        for (const id of activeLabs) {
            try {
                const list = execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
                for (const ns of list.split("\n").map((l) => l.split(" ")[0] ?? "").filter((n) => n.startsWith(namespaceName(id, "")))) {
                    const pids = execFileSync("ip", ["netns", "pids", ns], { encoding: "utf8" }).split(/\s+/).filter(Boolean);
                    for (const pid of pids) {
                        try {
                            process.kill(Number(pid), "SIGKILL");
                        } catch {
                            // gone
                        }
                    }
                    execFileSync("ip", ["netns", "del", ns]);
                }
            } catch {
                // the stale cleaner removes what is left on the next run
            }
        }
    });
}

export class Lab {
    private stopped = false;

    private constructor(
        readonly id: string,
        readonly dir: string,
        readonly adc: { ns: string; address: string; router: FrrRouter },
        readonly nodes: LabNode[],
        private peerSpec: BgpPeerSpec,
        private readonly base: Omit<BirdRenderInput, "node" | "peers">,
        private readonly record: LabRecord,
    ) {}

    /** The global BGPPeer every node renders. */
    get peer(): BgpPeerSpec {
        return this.peerSpec;
    }

    static async start(options: LabOptions = {}): Promise<Lab> {
        if (process.getuid?.() !== 0) throw new Error("the BGP lab needs root (network namespaces)");
        if (options.cleanStale ?? true) await cleanStaleLabs();
        const id = `${process.pid.toString(36)}${randomBytes(2).toString("hex")}`;
        const record = registerLab(id, options.persistent ?? false);
        const dir = labDir(id);
        if (!options.persistent) {
            activeLabs.add(id);
            installExitHook();
        }
        const nodeCount = options.nodes ?? 3;
        const clusterAsn = options.clusterAsn ?? 64512;
        const detach = options.persistent ?? false;
        try {
            const adcNs = namespaceName(id, "adc");
            const bridgeNs = namespaceName(id, "br");
            const nodeSpecs = Array.from({ length: nodeCount }, (_, k) => ({
                name: `node-${k + 1}`,
                role: `n${k + 1}`,
                ns: namespaceName(id, `n${k + 1}`),
                address: `${LAB_NET}.${11 + k}`,
                blocks: blocksOfNode(k + 1),
            }));
            for (const ns of [bridgeNs, adcNs, ...nodeSpecs.map((n) => n.ns)]) await createNamespace(ns);
            await buildLan(bridgeNs, [
                { ns: adcNs, role: "adc", address: `${LAB_ADC_ADDRESS}/24` },
                ...nodeSpecs.map((n) => ({ ns: n.ns, role: n.role, address: `${n.address}/24` })),
            ]);
            if (options.adcLinkDelayMs) {
                // Both ends of the ADC's veth: its egress, and the bridge port's towards it.
                await setLinkDelay(adcNs, "eth0", options.adcLinkDelayMs);
                await setLinkDelay(bridgeNs, "p-adc", options.adcLinkDelayMs);
            }
            const router = await FrrRouter.start({ ns: adcNs, dir: path.join(dir, "adc"), detach });
            const calicoNodes: CalicoNodeFacts[] = nodeSpecs.map((n) => ({ name: n.name, ipv4Address: `${n.address}/24` }));
            const bgpConfiguration: BgpConfigurationSpec = { asNumber: clusterAsn, nodeToNodeMeshEnabled: options.meshEnabled ?? false, logSeverityScreen: "Info" };
            const base = {
                version: options.calicoVersion ?? "v3.31",
                nodes: calicoNodes,
                bgpConfiguration,
                ipPools: [{ cidr: LAB_POOL, ipipMode: "Never" as const }],
                blocks: [],
            };
            const peerSpec: BgpPeerSpec = { peerIP: LAB_ADC_ADDRESS, asNumber: options.adcAsn ?? 500, ...options.peer };
            const lab = new Lab(id, dir, { ns: adcNs, address: LAB_ADC_ADDRESS, router }, [], peerSpec, base, record);
            for (const n of nodeSpecs) {
                const bird = await BirdNode.start({ ns: n.ns, dir: path.join(dir, n.role), input: lab.renderInput(calicoNodes.find((c) => c.name === n.name)!, n.blocks), detach });
                lab.nodes.push({ name: n.name, ns: n.ns, address: n.address, asn: clusterAsn, blocks: n.blocks, bird, status: () => bird.status() });
            }
            record.topology = lab.topology();
            writeRecord(record);
            return lab;
        } catch (e) {
            activeLabs.delete(id);
            await destroyLab(id);
            throw e;
        }
    }

    private renderInput(node: CalicoNodeFacts, blocks: readonly string[]): BirdRenderInput {
        return { ...this.base, node, peers: [{ spec: this.peerSpec }], blocks: blocks.map((cidr) => ({ cidr })) };
    }

    topology(): LabTopology {
        return {
            id: this.id,
            dir: this.dir,
            adc: { ns: this.adc.ns, address: this.adc.address, vtySocketDir: this.adc.router.vtySocketDir, pids: this.adc.router.pids },
            nodes: this.nodes.map((n) => ({ name: n.name, ns: n.ns, address: n.address, asn: n.asn, blocks: n.blocks, controlSocket: n.bird.controlSocket })),
        };
    }

    /**
     * Changes the global BGPPeer (e.g. a wrong asNumber); every node re-renders and reloads, as
     * with confd. `password` is what calico-node reads from the BGPPeer's Secret.
     */
    async setPeer(spec: BgpPeerSpec, options: { password?: string } = {}): Promise<void> {
        this.peerSpec = spec;
        const peer = options.password !== undefined ? { spec, password: options.password } : { spec };
        for (const n of this.nodes) await n.bird.reconfigure({ ...n.bird.renderInput, peers: [peer] });
    }

    /**
     * Sets BGPConfiguration `default`'s service advertisement fields (replacing the previous
     * ones; `{}` turns it off) and the Services the nodes' confd watches; every node re-renders
     * and reloads.
     */
    async setServiceAdvertisement(config: ServiceAdvertisementConfig, services: readonly KubeService[]): Promise<void> {
        const bgpConfiguration = { ...this.base.bgpConfiguration, ...config };
        for (const n of this.nodes) await n.bird.reconfigure({ ...n.bird.renderInput, bgpConfiguration, services });
    }

    /** Sets one node's own AS (Calico Node `spec.bgp.asNumber`); only that node re-renders. */
    async setNodeAsn(name: string, asn: number): Promise<void> {
        const n = this.nodes.find((x) => x.name === name);
        if (!n) throw new Error(`no node ${name}`);
        const facts = { ...n.bird.renderInput.node, asNumber: asn };
        await n.bird.reconfigure({ ...n.bird.renderInput, node: facts, nodes: n.bird.renderInput.nodes.map((x) => (x.name === name ? facts : x)) });
        n.asn = asn;
    }

    /** Stops the daemons, deletes the namespaces and the lab directory. Safe to call twice. */
    async stop(): Promise<void> {
        if (this.stopped) return;
        this.stopped = true;
        try {
            for (const n of this.nodes) await n.bird.stop().catch(() => undefined);
            await this.adc.router.stop().catch(() => undefined);
        } finally {
            await destroyLab(this.id);
            activeLabs.delete(this.id);
        }
    }

    /** Throws with a daemon's log if any of them died. */
    assertRunning(): void {
        this.adc.router.assertRunning();
        for (const n of this.nodes) n.bird.assertRunning();
    }

    get persistent(): boolean {
        return this.record.persistent;
    }
}

/** Puts a `tc netem` delay on what leaves a namespace's interface. */
export async function setLinkDelay(ns: string, dev: string, delayMs: number): Promise<void> {
    await runIn(ns, "tc", ["qdisc", "replace", "dev", dev, "root", "netem", "delay", `${delayMs}ms`]);
}
