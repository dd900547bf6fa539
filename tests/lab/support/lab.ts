/**
 * The BGP lab: one namespace for the ADC (FRRouting), one per Calico node (BIRD configured as
 * calico-node configures itself for a global BGPPeer), all on one bridge that lives in its own
 * namespace. Addresses exist only inside these namespaces; nothing is routed to or from the
 * root namespace, and no daemon runs there.
 *
 *     pcalab-<id>-br:  br0 ── p-adc ─── eth0 203.0.113.1   pcalab-<id>-adc  (zebra, bgpd)
 *                         ├── p-n1  ─── eth0 203.0.113.11  pcalab-<id>-n1   (bird)
 *                         └── ...
 *
 * A dual-stack lab (`dualStack: true`) adds fd00:203:0:113::1 / ::11 ... on the same links and
 * bird6 beside bird on every node.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { BirdNode } from "./bird";
import { isIpv6, type BgpConfigurationSpec, type BgpPeerInput, type BgpPeerSpec, type BirdRenderInput, type CalicoNodeFacts, type CalicoTemplateVersion, type IpPoolSpec } from "./calicoBird";
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

/**
 * The dual-stack lab's IPv6 prefix on the same link: a ULA (RFC 4193, fd00::/8), which no
 * public route reaches; like the IPv4 addresses, only configured inside the lab's namespaces.
 */
export const LAB_NET6 = "fd00:203:0:113";
export const LAB_SUBNET6 = `${LAB_NET6}::/64`;
export const LAB_ADC_ADDRESS6 = `${LAB_NET6}::1`;
/** The IPv6 pool; each node's /122 blocks (Calico's default IPv6 block size) come out of it. */
export const LAB_POOL6 = "fd00:10:244::/56";

/** The dual-stack side of a node: its IPv6 address, IPv6 blocks and the bird6 that advertises them. */
export interface LabNodeIpv6 {
    address: string;
    blocks: string[];
    bird: BirdNode;
    /** `calicoctl node status` rows of its IPv6 table. */
    status(): Promise<CalicoPeerStatus[]>;
}

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
    /** Present in a dual-stack lab. */
    ipv6?: LabNodeIpv6;
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
    /**
     * IPv6 beside IPv4: ULA addresses on the links (`LAB_NET6`), the IPv6 pool `LAB_POOL6` with
     * /122 blocks, bird6 on every node, and a second global BGPPeer at the ADC's IPv6 address
     * (`LAB_ADC_ADDRESS6`). Default false.
     */
    dualStack?: boolean;
}

export interface LabTopology {
    id: string;
    dir: string;
    adc: { ns: string; address: string; address6?: string; vtySocketDir: string; pids: number[] };
    nodes: { name: string; ns: string; address: string; asn: number; blocks: string[]; controlSocket: string; ipv6?: { address: string; blocks: string[]; controlSocket: string } }[];
}

/** Blocks for node `i` (1-based): the first node has two, to show several blocks per node. */
export function blocksOfNode(i: number): string[] {
    return i === 1 ? [`192.168.${i * 10}.0/26`, `192.168.${i * 10}.64/26`] : [`192.168.${i * 10}.0/26`];
}

/** IPv6 blocks for node `i` (1-based), /122s of `LAB_POOL6`; again two for the first node. */
export function blocks6OfNode(i: number): string[] {
    return i === 1 ? [`fd00:10:244:${i}::/122`, `fd00:10:244:${i}::40/122`] : [`fd00:10:244:${i}::/122`];
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
        readonly adc: { ns: string; address: string; address6?: string; router: FrrRouter },
        readonly nodes: LabNode[],
        private peerInputs: BgpPeerInput[],
        private readonly base: Omit<BirdRenderInput, "node" | "peers" | "blocks">,
        private readonly record: LabRecord,
    ) {}

    /** The global IPv4 BGPPeer every node renders. */
    get peer(): BgpPeerSpec {
        return this.peerInputs.find((p) => !isIpv6(p.spec.peerIP))!.spec;
    }

    /** The global IPv6 BGPPeer every node renders (a dual-stack lab). */
    get peer6(): BgpPeerSpec | undefined {
        return this.peerInputs.find((p) => isIpv6(p.spec.peerIP))?.spec;
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
            const dual = options.dualStack ?? false;
            const address6 = (k: number) => `${LAB_NET6}::${11 + k}`;
            await buildLan(bridgeNs, [
                { ns: adcNs, role: "adc", address: `${LAB_ADC_ADDRESS}/24`, ...(dual ? { address6: `${LAB_ADC_ADDRESS6}/64` } : {}) },
                ...nodeSpecs.map((n, k) => ({ ns: n.ns, role: n.role, address: `${n.address}/24`, ...(dual ? { address6: `${address6(k)}/64` } : {}) })),
            ]);
            // A node routes for its pods (calico-node's Felix sets forwarding for both families).
            if (dual) for (const n of nodeSpecs) await runIn(n.ns, "sysctl", ["-q", "-w", "net.ipv6.conf.all.forwarding=1"]);
            if (options.adcLinkDelayMs) {
                // Both ends of the ADC's veth: its egress, and the bridge port's towards it.
                await setLinkDelay(adcNs, "eth0", options.adcLinkDelayMs);
                await setLinkDelay(bridgeNs, "p-adc", options.adcLinkDelayMs);
            }
            const router = await FrrRouter.start({ ns: adcNs, dir: path.join(dir, "adc"), detach });
            const calicoNodes: CalicoNodeFacts[] = nodeSpecs.map((n, k) => ({ name: n.name, ipv4Address: `${n.address}/24`, ...(dual ? { ipv6Address: `${address6(k)}/64` } : {}) }));
            const bgpConfiguration: BgpConfigurationSpec = { asNumber: clusterAsn, nodeToNodeMeshEnabled: options.meshEnabled ?? false, logSeverityScreen: "Info" };
            const base = {
                version: options.calicoVersion ?? "v3.31",
                nodes: calicoNodes,
                bgpConfiguration,
                ipPools: [{ cidr: LAB_POOL, ipipMode: "Never" as const }, ...(dual ? [{ cidr: LAB_POOL6 } as IpPoolSpec] : [])],
            };
            const peerSpec: BgpPeerSpec = { peerIP: LAB_ADC_ADDRESS, asNumber: options.adcAsn ?? 500, ...options.peer };
            const peers: BgpPeerInput[] = [{ spec: peerSpec }, ...(dual ? [{ spec: { ...peerSpec, peerIP: LAB_ADC_ADDRESS6 } }] : [])];
            const lab = new Lab(id, dir, { ns: adcNs, address: LAB_ADC_ADDRESS, ...(dual ? { address6: LAB_ADC_ADDRESS6 } : {}), router }, [], peers, base, record);
            for (const [k, n] of nodeSpecs.entries()) {
                const blocks6 = dual ? blocks6OfNode(k + 1) : [];
                const input = lab.renderInput(calicoNodes.find((c) => c.name === n.name)!, [...n.blocks, ...blocks6]);
                const nodeDir = path.join(dir, n.role);
                const bird = await BirdNode.start({ ns: n.ns, dir: nodeDir, input, detach });
                const node: LabNode = { name: n.name, ns: n.ns, address: n.address, asn: clusterAsn, blocks: n.blocks, bird, status: () => bird.status() };
                if (dual) {
                    const bird6 = await BirdNode.start({ ns: n.ns, dir: nodeDir, input, family: "ipv6", detach });
                    node.ipv6 = { address: address6(k), blocks: blocks6, bird: bird6, status: () => bird6.status() };
                }
                lab.nodes.push(node);
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

    /** Both families' blocks: bird.cfg's renderer takes the IPv4 ones, bird6.cfg's the IPv6 ones. */
    private renderInput(node: CalicoNodeFacts, blocks: readonly string[]): BirdRenderInput {
        return { ...this.base, node, peers: this.peerInputs, blocks: blocks.map((cidr) => ({ cidr })) };
    }

    /** The node's BIRD daemons: bird, and bird6 in a dual-stack lab. */
    private static daemons(n: LabNode): BirdNode[] {
        return n.ipv6 ? [n.bird, n.ipv6.bird] : [n.bird];
    }

    /** Re-renders and reloads every daemon of `n` (confd on that node after a resource change). */
    private static async reconfigure(n: LabNode, change: (input: BirdRenderInput) => BirdRenderInput): Promise<void> {
        for (const d of Lab.daemons(n)) await d.reconfigure(change(d.renderInput));
    }

    private node(name: string): LabNode {
        const n = this.nodes.find((x) => x.name === name);
        if (!n) throw new Error(`no node ${name}`);
        return n;
    }

    topology(): LabTopology {
        return {
            id: this.id,
            dir: this.dir,
            adc: { ns: this.adc.ns, address: this.adc.address, ...(this.adc.address6 ? { address6: this.adc.address6 } : {}), vtySocketDir: this.adc.router.vtySocketDir, pids: this.adc.router.pids },
            nodes: this.nodes.map((n) => ({
                name: n.name,
                ns: n.ns,
                address: n.address,
                asn: n.asn,
                blocks: n.blocks,
                controlSocket: n.bird.controlSocket,
                ...(n.ipv6 ? { ipv6: { address: n.ipv6.address, blocks: n.ipv6.blocks, controlSocket: n.ipv6.bird.controlSocket } } : {}),
            })),
        };
    }

    /**
     * Changes the global BGPPeer of `spec`'s family (e.g. a wrong asNumber), the other family's
     * staying as it is; every node re-renders and reloads, as with confd. `password` is what
     * calico-node reads from the BGPPeer's Secret.
     */
    async setPeer(spec: BgpPeerSpec, options: { password?: string } = {}): Promise<void> {
        const peer = options.password !== undefined ? { spec, password: options.password } : { spec };
        this.peerInputs = [...this.peerInputs.filter((p) => isIpv6(p.spec.peerIP) !== isIpv6(spec.peerIP)), peer];
        const peers = this.peerInputs;
        for (const n of this.nodes) await Lab.reconfigure(n, (input) => ({ ...input, peers }));
    }

    /** Removes the global BGPPeer at `peerIP` (e.g. the IPv6 one); every node re-renders and reloads. */
    async removePeer(peerIP: string): Promise<void> {
        this.peerInputs = this.peerInputs.filter((p) => p.spec.peerIP !== peerIP);
        const peers = this.peerInputs;
        for (const n of this.nodes) await Lab.reconfigure(n, (input) => ({ ...input, peers }));
    }

    /**
     * Gives a node a new set of affine IPAM blocks (both families), as when Calico's IPAM moves
     * a block from one node to another; only that node re-renders.
     */
    async setBlocks(name: string, blocks: readonly string[]): Promise<void> {
        const n = this.node(name);
        await Lab.reconfigure(n, (input) => ({ ...input, blocks: blocks.map((cidr) => ({ cidr })) }));
        n.blocks = blocks.filter((b) => !isIpv6(b));
        if (n.ipv6) n.ipv6.blocks = blocks.filter(isIpv6);
        this.refreshRecord();
    }

    /**
     * The node leaves the cluster: its BIRD daemons stop (each closes its sessions with a BGP
     * Cease, as calico-node's do when the node is drained and deleted), it leaves `nodes`, and
     * the others re-render without it (their mesh peers). Its namespace stays until `stop()`.
     */
    async removeNode(name: string): Promise<void> {
        const n = this.node(name);
        for (const d of Lab.daemons(n)) await d.stop();
        this.nodes.splice(this.nodes.indexOf(n), 1);
        for (const other of this.nodes) await Lab.reconfigure(other, (input) => ({ ...input, nodes: input.nodes.filter((x) => x.name !== name) }));
        this.refreshRecord();
    }

    private refreshRecord(): void {
        this.record.topology = this.topology();
        writeRecord(this.record);
    }

    /**
     * Sets BGPConfiguration `default`'s service advertisement fields (replacing the previous
     * ones; `{}` turns it off) and the Services the nodes' confd watches; every node re-renders
     * and reloads.
     */
    async setServiceAdvertisement(config: ServiceAdvertisementConfig, services: readonly KubeService[]): Promise<void> {
        const bgpConfiguration = { ...this.base.bgpConfiguration, ...config };
        for (const n of this.nodes) await Lab.reconfigure(n, (input) => ({ ...input, bgpConfiguration, services }));
    }

    /** Sets one node's own AS (Calico Node `spec.bgp.asNumber`); only that node re-renders. */
    async setNodeAsn(name: string, asn: number): Promise<void> {
        const n = this.node(name);
        const facts = { ...n.bird.renderInput.node, asNumber: asn };
        await Lab.reconfigure(n, (input) => ({ ...input, node: facts, nodes: input.nodes.map((x) => (x.name === name ? facts : x)) }));
        n.asn = asn;
    }

    /** Stops the daemons, deletes the namespaces and the lab directory. Safe to call twice. */
    async stop(): Promise<void> {
        if (this.stopped) return;
        this.stopped = true;
        try {
            for (const n of this.nodes) for (const d of Lab.daemons(n)) await d.stop().catch(() => undefined);
            await this.adc.router.stop().catch(() => undefined);
        } finally {
            await destroyLab(this.id);
            activeLabs.delete(this.id);
        }
    }

    /** Throws with a daemon's log if any of them died. */
    assertRunning(): void {
        this.adc.router.assertRunning();
        for (const n of this.nodes) for (const d of Lab.daemons(n)) d.assertRunning();
    }

    get persistent(): boolean {
        return this.record.persistent;
    }
}

/** Puts a `tc netem` delay on what leaves a namespace's interface. */
export async function setLinkDelay(ns: string, dev: string, delayMs: number): Promise<void> {
    await runIn(ns, "tc", ["qdisc", "replace", "dev", dev, "root", "netem", "delay", `${delayMs}ms`]);
}
