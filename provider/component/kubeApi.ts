/**
 * Read-only GETs against the Kubernetes API with the kubeconfig's TLS, proxy and credentials
 * (token, client certificate, exec plugin: all applied by @kubernetes/client-node), a timeout,
 * and errors that say what to fix.
 */
import * as http from "http";
import * as https from "https";
import { ClusterDiscoveryError } from "./errors";
import type { LoadedKubeconfig } from "./kubeconfig";

/** An API answer: the status and the parsed JSON body (undefined if it was not JSON). */
export interface KubeResponse {
    status: number;
    body: unknown;
}

/** GETs `apiPath` (e.g. `/api/v1/nodes`); non-2xx answers are returned, transport failures thrown. */
export async function kubeGet(cfg: LoadedKubeconfig, apiPath: string, timeoutMs: number): Promise<KubeResponse> {
    const url = new URL(cfg.server.replace(/\/+$/, "") + apiPath);
    const opts: https.RequestOptions = { method: "GET", headers: { Accept: "application/json" } };
    await cfg.kc.applyToHTTPSOptions(opts);
    const client = url.protocol === "http:" ? http : https;
    if (url.protocol === "http:") delete opts.agent;
    return new Promise<KubeResponse>((resolve, reject) => {
        const req = client.request(url, { ...opts, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("error", (e) => reject(transportError(cfg, apiPath, e, timeoutMs)));
            res.on("end", () => {
                const text = Buffer.concat(chunks).toString("utf8");
                let body: unknown;
                try {
                    body = JSON.parse(text);
                } catch {
                    body = undefined;
                }
                resolve({ status: res.statusCode ?? 0, body });
            });
        });
        req.on("error", (e) => reject(transportError(cfg, apiPath, e, timeoutMs)));
        req.end();
    });
}

function transportError(cfg: LoadedKubeconfig, apiPath: string, e: Error & { code?: string }, timeoutMs: number): ClusterDiscoveryError {
    const where = `Kubernetes API ${cfg.server}`;
    const code = e.code ?? e.name;
    if (code === "ABORT_ERR" || e.name === "AbortError" || code === "TimeoutError") {
        return new ClusterDiscoveryError(where, `no answer to GET ${apiPath} within ${timeoutMs} ms`, `check that the cluster is up and reachable from here (kubeconfig: ${cfg.source})`);
    }
    if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"].includes(code)) {
        return new ClusterDiscoveryError(where, `cannot be reached (${code}: ${e.message})`, `check the kubeconfig's server and context (${cfg.source}) and that the cluster is up; \`kubectl get nodes\` should work with the same kubeconfig`);
    }
    if (/CERT|SSL|TLS|SELF_SIGNED|ALTNAME|VERIFY|ISSUER/i.test(code)) {
        return new ClusterDiscoveryError(where, `TLS failed (${code}: ${e.message})`, `the kubeconfig's certificate-authority-data must match the API server's certificate (${cfg.source})`);
    }
    return new ClusterDiscoveryError(where, `GET ${apiPath} failed: ${code}: ${e.message}`, `check the kubeconfig (${cfg.source}); \`kubectl get nodes\` should work with it`);
}

/** Throws for answers that are neither success nor the expected 404, naming the server and fix. */
export function unexpected(cfg: LoadedKubeconfig, apiPath: string, res: KubeResponse, what: string): ClusterDiscoveryError {
    const where = `Kubernetes API ${cfg.server}`;
    const message = statusMessage(res.body);
    if (res.status === 401) {
        return new ClusterDiscoveryError(where, `rejected the credentials (401) while reading ${what}`, `refresh the kubeconfig's credentials (${cfg.source}); \`kubectl get nodes\` should work with it`);
    }
    if (res.status === 403) {
        return new ClusterDiscoveryError(
            where,
            `refused to let this user read ${what} (403: ${message})`,
            "grant get/list on nodes and get on Calico's bgpconfigurations to this kubeconfig's user, or list cluster.nodes and set cluster.asn",
        );
    }
    return new ClusterDiscoveryError(where, `GET ${apiPath} answered ${res.status}${message ? `: ${message}` : ""} while reading ${what}`, `check the cluster's health and the kubeconfig (${cfg.source})`);
}

function statusMessage(body: unknown): string {
    return typeof body === "object" && body !== null && typeof (body as { message?: unknown }).message === "string" ? (body as { message: string }).message : "";
}
