/**
 * For the tests and the demo: a real, throw-away Kubernetes control plane on loopback (etcd, kube-apiserver, and a kube-controller-manager
 * running only the garbage collector and the namespace controller, so that deletes complete as on a real
 * cluster) with Calico's `crd.projectcalico.org/v1` CRDs applied, started by scripts/kube-apiserver.sh. Only the
 * v1 group can be served: `projectcalico.org/v3` needs Calico's aggregated API server, which is not part of this
 * harness.
 *
 * Calico has no Node CRD: in Kubernetes-datastore mode its Node is the core Node plus annotations
 * (`projectcalico.org/IPv4Address`, `projectcalico.org/ASNumber`), which {@link createCalicoNode} writes.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type * as k8s from "@kubernetes/client-node" with { "resolution-mode": "import" };
import { parseKeyValues, repoRoot } from "./pulumiEngine";

const execFileAsync = promisify(execFile);
const script = path.join(repoRoot, "scripts/kube-apiserver.sh");

export interface KubeApiServer {
    /** The server's working directory (certificates, logs, etcd data). */
    dir: string;
    kubeconfigPath: string;
    /** The kubeconfig's text (cluster CA and a static admin token). */
    kubeconfig: string;
    /** `https://127.0.0.1:<port>` */
    server: string;
    /** The folder whose Calico CRDs were applied. */
    calicoCrds: string;
    /** Stops the servers and deletes their directory. Safe to call twice. */
    stop(): Promise<void>;
}

/**
 * Starts the control plane on free loopback ports and waits until Calico's CRDs are served (about 5-10 s).
 * It stops with {@link KubeApiServer.stop}, or on its own within a second or two of this process exiting.
 */
export async function startKubeApiServer(options: { calicoRelease?: string } = {}): Promise<KubeApiServer> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "pulumi-calico-adc-kube-"));
    const env: NodeJS.ProcessEnv = { ...process.env, KUBE_WATCH_PID: String(process.pid), KUBE_WATCH_REMOVE_DIR: "1" };
    if (options.calicoRelease) env["CALICO_RELEASE"] = options.calicoRelease;
    let stopped = false;
    const stop = async () => {
        if (stopped) return;
        stopped = true;
        try {
            await execFileAsync("bash", [script, "stop", dir], { timeout: 30_000 });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    };
    try {
        const { stdout } = await execFileAsync("bash", [script, "start", dir], { env, timeout: 120_000 });
        const vars = parseKeyValues(stdout);
        const kubeconfigPath = vars["KUBECONFIG"]!;
        return {
            dir,
            kubeconfigPath,
            kubeconfig: readFileSync(kubeconfigPath, "utf8"),
            server: vars["KUBE_SERVER"]!,
            calicoCrds: readFileSync(path.join(dir, "calico-crds"), "utf8").trim(),
            stop,
        };
    } catch (e) {
        await stop().catch(() => undefined);
        const err = e as { stderr?: string; message: string };
        throw new Error(`Could not start a kube-apiserver: ${(err.stderr || err.message).trim()}`);
    }
}

/** The ESM-only Kubernetes client, loaded from this CommonJS build. */
export function kubeClientModule(): Promise<typeof k8s> {
    return import("@kubernetes/client-node");
}

/** A client configuration for the given kubeconfig text. */
export async function kubeConfig(kubeconfig: string): Promise<k8s.KubeConfig> {
    const { KubeConfig } = await kubeClientModule();
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig);
    return kc;
}

export interface CalicoNodeSpec {
    name: string;
    /** Calico's BGP address in CIDR form, e.g. `10.0.0.11/24` (annotation `projectcalico.org/IPv4Address`). */
    ipv4Address?: string;
    /** Calico's IPv6 BGP address in CIDR form, e.g. `fd00::11/64` (annotation `projectcalico.org/IPv6Address`). */
    ipv6Address?: string;
    /** Per-node AS number (annotation `projectcalico.org/ASNumber`); absent means the cluster default. */
    asNumber?: number;
    /** The node's InternalIP in `status.addresses`; defaults to the address part of `ipv4Address`. */
    internalIP?: string;
    labels?: Record<string, string>;
}

/**
 * Creates a core Node the way calico-node leaves it in Kubernetes-datastore mode: Calico's BGP
 * annotations on the object and an InternalIP in its status (written through the status subresource, as
 * the kubelet does).
 */
export async function createCalicoNode(kubeconfig: string, spec: CalicoNodeSpec): Promise<k8s.V1Node> {
    const client = await kubeClientModule();
    const core = (await kubeConfig(kubeconfig)).makeApiClient(client.CoreV1Api);
    const annotations: Record<string, string> = {};
    if (spec.ipv4Address !== undefined) annotations["projectcalico.org/IPv4Address"] = spec.ipv4Address;
    if (spec.ipv6Address !== undefined) annotations["projectcalico.org/IPv6Address"] = spec.ipv6Address;
    if (spec.asNumber !== undefined) annotations["projectcalico.org/ASNumber"] = String(spec.asNumber);
    const node = await core.createNode({
        body: { metadata: { name: spec.name, annotations, labels: spec.labels ?? {} } },
    });
    const internalIP = spec.internalIP ?? spec.ipv4Address?.split("/")[0];
    if (internalIP === undefined) return node;
    node.status = {
        addresses: [
            { type: "InternalIP", address: internalIP },
            { type: "Hostname", address: spec.name },
        ],
    };
    return core.replaceNodeStatus({ name: spec.name, body: node });
}

/** What calico-node writes on its first start, besides the node annotations. */
export interface CalicoStartupObjects {
    /** ClusterInformation `default`'s `calicoVersion`, e.g. `v3.32.1`. Default: the release whose CRDs the server applied. */
    calicoVersion?: string;
    /** The default pool's CIDR (`CALICO_IPV4POOL_CIDR`). Default: Calico's 192.168.0.0/16. */
    ipv4PoolCidr?: string;
    /** The default pool's block size (`CALICO_IPV4POOL_BLOCK_SIZE`). Default: 26. */
    blockSize?: number;
}

/**
 * Writes what calico-node creates when it first starts in a cluster: the IPPool
 * `default-ipv4-ippool` and ClusterInformation `default` with its release. Idempotent: an object
 * that exists is left as it is, as calico-node does.
 */
export async function createCalicoStartupObjects(kube: KubeApiServer, options: CalicoStartupObjects = {}): Promise<void> {
    const client = await kubeClientModule();
    const custom = (await kubeConfig(kube.kubeconfig)).makeApiClient(client.CustomObjectsApi);
    const release = options.calicoVersion ?? path.basename(kube.calicoCrds);
    const create = async (plural: string, body: Record<string, unknown>) => {
        try {
            await custom.createClusterCustomObject({ group: "crd.projectcalico.org", version: "v1", plural, body: { apiVersion: "crd.projectcalico.org/v1", ...body } });
        } catch (e) {
            if ((e as { code?: number }).code !== 409) throw e;
        }
    };
    await create("ippools", {
        kind: "IPPool",
        metadata: { name: "default-ipv4-ippool" },
        spec: { cidr: options.ipv4PoolCidr ?? "192.168.0.0/16", blockSize: options.blockSize ?? 26, ipipMode: "Always", natOutgoing: true, nodeSelector: "all()" },
    });
    await create("clusterinformations", { kind: "ClusterInformation", metadata: { name: "default" }, spec: { calicoVersion: release, clusterType: "k8s,bgp,kubeadm,kdd", datastoreReady: true } });
}
