/**
 * Finds and loads the kubeconfig node discovery uses, by the same rules as `kubectl` and the
 * Pulumi Kubernetes provider: an explicit kubeconfig (contents or path), else `$KUBECONFIG`,
 * else `~/.kube/config`, else the in-cluster service account.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { KubeConfig } from "@kubernetes/client-node" with { "resolution-mode": "import" };
import { ClusterDiscoveryError } from "./errors";

/** Where the kubeconfig comes from and what to do with it. */
export interface KubeconfigRequest {
    /**
     * A kubeconfig's contents (YAML or JSON) or the path of a kubeconfig file, as
     * `@pulumi/kubernetes`' Provider accepts it: a value with a line break or starting with `{`
     * is contents, anything else a path (`~/` expanded, relative to the working directory).
     */
    kubeconfig?: string;
    /** Context to use instead of the kubeconfig's current-context. */
    context?: string;
    /** Environment for the default loading rules. Default: `process.env`. */
    env?: NodeJS.ProcessEnv;
    /** Home directory for `~/.kube/config`. Default: `os.homedir()`. */
    homeDir?: string;
}

/** A loaded kubeconfig. */
export interface LoadedKubeconfig {
    kc: KubeConfig;
    /** Human-readable origin: `cluster.kubeconfig (contents)`, a file path, `in-cluster service account`. */
    source: string;
    /** The API server URL of the selected context. */
    server: string;
}

const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/** Whether a kubeconfig string is the file's contents rather than its path. */
export function isKubeconfigContents(value: string): boolean {
    const t = value.trim();
    return t.includes("\n") || t.startsWith("{") || /^apiVersion\s*:/.test(t);
}

/** Loads the kubeconfig; throws {@link ClusterDiscoveryError} saying what is missing and how to fix it. */
export async function loadKubeconfig(req: KubeconfigRequest): Promise<LoadedKubeconfig> {
    const { KubeConfig } = await import("@kubernetes/client-node");
    const env = req.env ?? process.env;
    const home = req.homeDir ?? os.homedir();
    const kc = new KubeConfig();
    let source: string;

    if (req.kubeconfig !== undefined && req.kubeconfig.trim() !== "") {
        if (isKubeconfigContents(req.kubeconfig)) {
            source = "cluster.kubeconfig (contents)";
            tryLoad(source, () => kc.loadFromString(req.kubeconfig!));
        } else {
            const file = path.resolve(req.kubeconfig.trim().replace(/^~(?=$|\/)/, home));
            source = file;
            if (!fs.existsSync(file)) {
                throw new ClusterDiscoveryError(
                    "cluster.kubeconfig",
                    `file ${file} does not exist (a one-line value is read as a path)`,
                    "pass the kubeconfig file's path, or its contents (for example from `pulumi config set --secret kubeconfig < file`)",
                );
            }
            tryLoad(source, () => kc.loadFromFile(file));
        }
    } else {
        const fromEnv = (env.KUBECONFIG ?? "").split(path.delimiter).filter((f) => f !== "");
        const existing = fromEnv.filter((f) => fs.existsSync(f));
        const homeConfig = path.join(home, ".kube", "config");
        if (fromEnv.length > 0) {
            if (existing.length === 0) {
                throw new ClusterDiscoveryError("$KUBECONFIG", `none of its files exist (${fromEnv.join(", ")})`, "point KUBECONFIG at your cluster's kubeconfig, or set cluster.kubeconfig");
            }
            source = existing.join(path.delimiter);
            tryLoad(source, () => {
                kc.loadFromFile(existing[0]!);
                for (const f of existing.slice(1)) {
                    const more = new KubeConfig();
                    more.loadFromFile(f);
                    kc.mergeConfig(more, true);
                }
            });
        } else if (fs.existsSync(homeConfig)) {
            source = homeConfig;
            tryLoad(source, () => kc.loadFromFile(homeConfig));
        } else if (env.KUBERNETES_SERVICE_HOST && fs.existsSync(SERVICE_ACCOUNT_TOKEN)) {
            source = "in-cluster service account";
            tryLoad(source, () => kc.loadFromCluster());
        } else {
            throw new ClusterDiscoveryError(
                "kubeconfig",
                `no kubeconfig found: cluster.kubeconfig is not set, KUBECONFIG is not set, ${homeConfig} does not exist and this is not a pod`,
                "set cluster.kubeconfig (or `pulumi config set kubernetes:kubeconfig ...`), or KUBECONFIG; or list cluster.nodes and set cluster.asn so no cluster access is needed at preview",
            );
        }
    }

    if (req.context !== undefined && req.context !== "") {
        if (!kc.getContextObject(req.context)) {
            throw new ClusterDiscoveryError(
                source,
                `has no context "${req.context}" (contexts: ${kc.getContexts().map((c) => c.name).join(", ") || "none"})`,
                "set cluster.context to one of the listed contexts",
            );
        }
        kc.setCurrentContext(req.context);
    }
    const cluster = kc.getCurrentCluster();
    if (!kc.getCurrentContext() || !cluster) {
        throw new ClusterDiscoveryError(source, "has no current context (or it names no cluster)", "run `kubectl config use-context <name>` or set cluster.context");
    }
    return { kc, source, server: cluster.server };
}

function tryLoad(source: string, load: () => void): void {
    try {
        load();
    } catch (e) {
        throw new ClusterDiscoveryError(source, `is not a readable kubeconfig: ${(e as Error).message.split("\n")[0]}`, "check the kubeconfig (kubectl --kubeconfig <file> config view)");
    }
}
