/**
 * The Kubernetes object for a validated BGPPeer. The spec body is the same in both API groups
 * (calico-node stores the v3 struct in the v1 CRD), only `apiVersion` differs.
 */
import { BGP_PEER_FIELDS, CalicoApiVersion } from "./spec";
import { ValidBgpPeerSpec } from "./validate";

/** A BGPPeer as sent to the Kubernetes API. */
export interface RenderedBgpPeer {
    apiVersion: CalicoApiVersion;
    kind: "BGPPeer";
    metadata: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
}

/** Metadata the caller may set; BGPPeers are cluster-scoped, so there is no namespace. */
export interface BgpPeerMetadata {
    name?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}

/** Renders the object, fields in a fixed order so diffs and snapshots are stable. */
export function renderBgpPeer(apiVersion: CalicoApiVersion, metadata: BgpPeerMetadata, spec: ValidBgpPeerSpec): RenderedBgpPeer {
    const body: Record<string, unknown> = {};
    for (const field of BGP_PEER_FIELDS) {
        const value = spec[field];
        if (value !== undefined) body[field] = Array.isArray(value) ? [...value] : typeof value === "object" ? structuredClone(value) : value;
    }
    const meta: RenderedBgpPeer["metadata"] = {};
    if (metadata.name !== undefined) meta.name = metadata.name;
    if (metadata.labels !== undefined) meta.labels = { ...metadata.labels };
    if (metadata.annotations !== undefined) meta.annotations = { ...metadata.annotations };
    return { apiVersion, kind: "BGPPeer", metadata: meta, spec: body };
}
