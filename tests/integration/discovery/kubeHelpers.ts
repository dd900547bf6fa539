/**
 * Small Kubernetes API helpers for the discovery tests, on top of sandbox/kubeApiServer.ts: reset the
 * nodes, install the native projectcalico.org/v3 CRDs, write Calico objects.
 */
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import * as YAML from "yaml";
import { kubeClientModule, kubeConfig } from "../../../sandbox/kubeApiServer";
import { crdsDir } from "../../unit/calico/crdSchemas";

async function clients(kubeconfig: string) {
    const k8s = await kubeClientModule();
    const kc = await kubeConfig(kubeconfig);
    return {
        core: kc.makeApiClient(k8s.CoreV1Api),
        custom: kc.makeApiClient(k8s.CustomObjectsApi),
        ext: kc.makeApiClient(k8s.ApiextensionsV1Api),
        apps: kc.makeApiClient(k8s.AppsV1Api),
        apis: kc.makeApiClient(k8s.ApisApi),
    };
}

/** Deletes every node, and waits until none is listed. */
export async function deleteAllNodes(kubeconfig: string): Promise<void> {
    const { core } = await clients(kubeconfig);
    await core.deleteCollectionNode({});
    for (let i = 0; i < 100 && (await core.listNode()).items.length > 0; i++) await sleep(50);
}

/** Creates a node with no Calico annotations at all (calico-node never ran on it). */
export async function createPlainNode(kubeconfig: string, name: string, internalIP?: string): Promise<void> {
    const { core } = await clients(kubeconfig);
    const node = await core.createNode({ body: { metadata: { name } } });
    if (internalIP) {
        node.status = { addresses: [{ type: "InternalIP", address: internalIP }] };
        await core.replaceNodeStatus({ name, body: node });
    }
}

/** Deletes one node. */
export async function deleteNode(kubeconfig: string, name: string): Promise<void> {
    const { core } = await clients(kubeconfig);
    await core.deleteNode({ name });
}

/** Creates (or replaces) a cluster-scoped Calico object through `group/version`. */
export async function putCalicoObject(kubeconfig: string, apiVersion: string, plural: string, body: Record<string, unknown>): Promise<void> {
    const { custom } = await clients(kubeconfig);
    const [group, version] = apiVersion.split("/") as [string, string];
    const name = (body.metadata as { name: string }).name;
    try {
        await custom.deleteClusterCustomObject({ group, version, plural, name });
    } catch {
        /* not there */
    }
    await custom.createClusterCustomObject({ group, version, plural, body: { apiVersion, ...body } });
}

/** Deletes a cluster-scoped Calico object, if it exists. */
export async function deleteCalicoObject(kubeconfig: string, apiVersion: string, plural: string, name: string): Promise<void> {
    const { custom } = await clients(kubeconfig);
    const [group, version] = apiVersion.split("/") as [string, string];
    try {
        await custom.deleteClusterCustomObject({ group, version, plural, name });
    } catch {
        /* not there */
    }
}

/** Creates a cluster-scoped Calico object and returns what the apiserver stored (or throws its refusal). */
export async function createCalicoObject(kubeconfig: string, body: { apiVersion: string; kind: string; metadata: { name?: string }; spec: unknown }, plural: string): Promise<Record<string, any>> {
    const { custom } = await clients(kubeconfig);
    const [group, version] = body.apiVersion.split("/") as [string, string];
    return custom.createClusterCustomObject({ group, version, plural, body });
}

/** The apiserver's refusal message of a failed client call. */
export function apiRefusal(e: unknown): string {
    const body = (e as { body?: unknown }).body;
    if (typeof body === "string") {
        try {
            return (JSON.parse(body) as { message?: string }).message ?? body;
        } catch {
            return body;
        }
    }
    return (body as { message?: string } | undefined)?.message ?? String(e);
}

/** Installs Calico 3.32's native projectcalico.org/v3 CRDs and waits until the group is served. */
export async function installNativeV3Crds(kubeconfig: string, release = "v3.32.1"): Promise<void> {
    const { apis } = await clients(kubeconfig);
    const dir = path.join(crdsDir(), release);
    for (const f of fs.readdirSync(dir).filter((f) => f.startsWith("projectcalico.org_"))) {
        // Posted as raw JSON: the typed client's model drops `x-kubernetes-validations` (it knows
        // the field only as `x_kubernetes_validations`), which would silently remove the CEL rules.
        const body = YAML.parse(fs.readFileSync(path.join(dir, f), "utf8"));
        const status = await rawPost(kubeconfig, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body);
        if (status !== 201 && status !== 409) throw new Error(`creating the CRD in ${f} answered ${status}`);
    }
    await waitFor(async () => (await apis.getAPIVersions()).groups.some((g) => g.name === "projectcalico.org"), "projectcalico.org/v3 served");
    const { custom } = await clients(kubeconfig);
    await waitFor(async () => {
        try {
            await custom.listClusterCustomObject({ group: "projectcalico.org", version: "v3", plural: "bgppeers" });
            return true;
        } catch {
            return false;
        }
    }, "projectcalico.org/v3 bgppeers listable");
}

/** Deletes every CRD of a group and waits until the group is no longer served. */
export async function deleteCrdGroup(kubeconfig: string, group: string): Promise<void> {
    const { ext, apis } = await clients(kubeconfig);
    for (const crd of (await ext.listCustomResourceDefinition()).items) {
        if (crd.spec.group === group) await ext.deleteCustomResourceDefinition({ name: crd.metadata!.name! });
    }
    await waitFor(async () => !(await apis.getAPIVersions()).groups.some((g) => g.name === group), `${group} no longer served`);
}

/** Creates the calico-node DaemonSet object in a namespace (no controller runs it here). */
export async function createCalicoNodeDaemonSet(kubeconfig: string, namespace: string): Promise<void> {
    const { core, apps } = await clients(kubeconfig);
    try {
        await core.createNamespace({ body: { metadata: { name: namespace } } });
    } catch (e) {
        if ((e as { code?: number }).code !== 409) throw e;
    }
    await apps.createNamespacedDaemonSet({
        namespace,
        body: {
            metadata: { name: "calico-node" },
            spec: {
                selector: { matchLabels: { "k8s-app": "calico-node" } },
                template: { metadata: { labels: { "k8s-app": "calico-node" } }, spec: { containers: [{ name: "calico-node", image: "calico/node:v3.31.7" }] } },
            },
        },
    });
}

/** POSTs a JSON body with the kubeconfig's credentials; returns the HTTP status. */
async function rawPost(kubeconfig: string, apiPath: string, body: unknown): Promise<number> {
    return (await rawRequest(kubeconfig, "POST", apiPath, "application/json", body)).status;
}

/** One request with the kubeconfig's credentials; the answer's status and parsed body. */
async function rawRequest(kubeconfig: string, method: string, apiPath: string, contentType: string, body: unknown): Promise<{ status: number; body: any }> {
    const kc = await kubeConfig(kubeconfig);
    const opts: https.RequestOptions = { method, headers: { "Content-Type": contentType } };
    await kc.applyToHTTPSOptions(opts);
    const url = new URL(kc.getCurrentCluster()!.server + apiPath);
    return new Promise((resolve, reject) => {
        const req = https.request(url, opts, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
                const text = Buffer.concat(chunks).toString("utf8");
                let parsed: unknown = text;
                try {
                    parsed = JSON.parse(text);
                } catch {
                    /* not JSON */
                }
                resolve({ status: res.statusCode ?? 0, body: parsed });
            });
        });
        req.on("error", reject);
        req.end(JSON.stringify(body));
    });
}

/**
 * A server-side apply of a cluster-scoped Calico object as `fieldManager` (what
 * `kubectl apply --server-side` and the Pulumi Kubernetes provider send).
 */
export async function serverSideApply(kubeconfig: string, body: { apiVersion: string; kind: string; metadata: { name: string }; spec: unknown }, plural: string, fieldManager: string, force = false): Promise<{ status: number; body: any }> {
    const apiPath = `/apis/${body.apiVersion}/${plural}/${body.metadata.name}?fieldManager=${encodeURIComponent(fieldManager)}${force ? "&force=true" : ""}`;
    return rawRequest(kubeconfig, "PATCH", apiPath, "application/apply-patch+yaml", body);
}

/**
 * A JSON merge patch of a cluster-scoped Calico object as `fieldManager` (what `kubectl patch`,
 * `kubectl edit` and calicoctl send: an `Update` in managedFields, not an `Apply`).
 */
export async function mergePatch(kubeconfig: string, apiVersion: string, plural: string, name: string, patch: unknown, fieldManager: string): Promise<{ status: number; body: any }> {
    const apiPath = `/apis/${apiVersion}/${plural}/${name}?fieldManager=${encodeURIComponent(fieldManager)}`;
    return rawRequest(kubeconfig, "PATCH", apiPath, "application/merge-patch+json", patch);
}

/** A cluster-scoped Calico object as stored (with its managedFields). */
export async function getCalicoObject(kubeconfig: string, apiVersion: string, plural: string, name: string): Promise<Record<string, any>> {
    const { custom } = await clients(kubeconfig);
    const [group, version] = apiVersion.split("/") as [string, string];
    return custom.getClusterCustomObject({ group, version, plural, name });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
    }
}

function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}
