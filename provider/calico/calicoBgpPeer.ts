import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { CalicoBgpPeerValidationError } from "./errors";
import { BgpPeerMetadata, RenderedBgpPeer, renderBgpPeer } from "./render";
import { BgpPeerSpec, CALICO_API_VERSIONS, CalicoApiVersion, DEFAULT_CALICO_API_VERSION } from "./spec";
import { validateBgpPeer } from "./validate";
import { unknownKeyReason } from "../core/values";

/** {@link BgpPeerSpec} with every field a `pulumi.Input`. */
export type BgpPeerSpecArgs = { [K in keyof BgpPeerSpec]?: pulumi.Input<BgpPeerSpec[K]> };

/** Inputs of {@link CalicoBgpPeer}. */
export interface CalicoBgpPeerArgs {
    /**
     * The API group/version to write the BGPPeer through. Default: `projectcalico.org/v3`, which
     * needs the Calico API server (operator installs since 3.20) or Calico 3.32's native v3 CRDs,
     * and gets Calico's own validation and defaulting. `crd.projectcalico.org/v1` writes Calico's
     * storage CRD directly, for manifest installs without the API server; Calico does not support
     * that path and validates nothing, which is why this resource validates everything itself.
     * Changing it replaces the Kubernetes object. See the README section "Which API group".
     */
    apiVersion?: CalicoApiVersion;
    /**
     * `metadata.name` (and labels, annotations). Default name: the resource name plus a random
     * suffix, so a replacement can be created before the old peer is deleted. Names must be
     * DNS-1123 subdomains (lower case, digits, `-`, `.`).
     */
    metadata?: pulumi.Input<{
        name?: pulumi.Input<string>;
        labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
        annotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    }>;
    /**
     * The BGPPeer spec. For an outside speaker such as an ADC set `peerIP` and `asNumber`; leave
     * `node` and `nodeSelector` unset for a global peer (every node peers with it).
     */
    spec: pulumi.Input<BgpPeerSpecArgs>;
    /**
     * The cluster's Calico release, e.g. `3.31.7` or `3.30` (any 3.30.x). When set, fields this
     * release does not have are refused instead of being silently dropped by the API server.
     * Default: not checked.
     */
    calicoVersion?: string;
    /**
     * Whether the stack's values win over edits made by others (`kubectl edit`, `calicoctl`):
     * with server-side apply, another field manager's edit otherwise makes the next `pulumi up`
     * fail with a field conflict instead of repairing the drift that `pulumi refresh` showed.
     * Sets the `pulumi.com/patchForce` annotation. Default: true.
     */
    overwriteManualEdits?: boolean;
}

/** The keys of {@link CalicoBgpPeerArgs}, checked at run time (JavaScript programs, typos). */
const ARG_KEYS = ["apiVersion", "metadata", "spec", "calicoVersion", "overwriteManualEdits"] as const;

/** The annotation that makes pulumi-kubernetes force its fields in server-side apply. */
const PATCH_FORCE = "pulumi.com/patchForce";

/**
 * Calico's BGPPeer as a typed Kubernetes resource (a `kubernetes:<apiVersion>:BGPPeer` custom
 * resource). The spec is checked when the resource is constructed (or, for values that are not
 * known yet, as soon as they are), and a peer Calico would accept but break on is refused with
 * a {@link CalicoBgpPeerValidationError} before anything is applied.
 *
 * ```ts
 * const peer = new CalicoBgpPeer("adc", {
 *     metadata: { name: "bgppeer-global-adc" },
 *     spec: { peerIP: "10.102.33.208", asNumber: 500 },
 * });
 * ```
 */
export class CalicoBgpPeer extends k8s.apiextensions.CustomResource {
    /** The spec as stored (validated and normalised: unset and empty fields dropped). */
    declare readonly spec: pulumi.Output<BgpPeerSpec>;
    /** The BGPPeer's name, as `calicoctl get bgppeer` shows it. */
    readonly peerName: pulumi.Output<string>;

    constructor(name: string, args: CalicoBgpPeerArgs, opts?: pulumi.CustomResourceOptions) {
        const apiVersion = args?.apiVersion ?? DEFAULT_CALICO_API_VERSION;
        const unknown = Object.keys(args ?? {}).filter((k) => !(ARG_KEYS as readonly string[]).includes(k) && (args as unknown as Record<string, unknown>)[k] !== undefined);
        if (unknown.length > 0) {
            throw new CalicoBgpPeerValidationError(
                name,
                unknown.map((k) => ({ field: k, value: "(not shown)", reason: unknownKeyReason(k, ARG_KEYS, "CalicoBgpPeer") })),
            );
        }
        if (!CALICO_API_VERSIONS.includes(apiVersion)) {
            throw new CalicoBgpPeerValidationError(name, [
                { field: "apiVersion", value: apiVersion, reason: `must be ${CALICO_API_VERSIONS.map((v) => `"${v}"`).join(" or ")}` },
            ]);
        }
        if (opts?.id !== undefined) {
            super(name, { apiVersion, kind: "BGPPeer", metadata: undefined, spec: undefined }, opts);
        } else {
            const rendered = prepare(name, apiVersion, args);
            super(name, { apiVersion, kind: "BGPPeer", metadata: rendered.metadata, spec: rendered.spec }, opts);
        }
        this.peerName = this.metadata.apply((m) => m?.name ?? "");
    }

    /** Reads an existing BGPPeer (id = its name) into the program without managing its spec. */
    static getPeer(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions & { apiVersion?: CalicoApiVersion }): CalicoBgpPeer {
        const { apiVersion, ...rest } = opts ?? {};
        return new CalicoBgpPeer(name, { apiVersion: apiVersion ?? DEFAULT_CALICO_API_VERSION, spec: {} }, { ...rest, id });
    }
}

interface Prepared {
    metadata: pulumi.Input<RenderedBgpPeer["metadata"]>;
    spec: pulumi.Input<RenderedBgpPeer["spec"]>;
}

/**
 * Validates and renders now when every input is a plain value, so the error points at the
 * constructor call; otherwise as soon as the values resolve (still before registration).
 */
function prepare(name: string, apiVersion: CalicoApiVersion, args: CalicoBgpPeerArgs): Prepared {
    const metadata = args.metadata ?? {};
    const check = (meta: BgpPeerMetadata, spec: unknown): RenderedBgpPeer => {
        const result = validateBgpPeer({
            name: meta.name,
            autoNamePrefix: meta.name === undefined ? name : undefined,
            spec,
            calicoVersion: args.calicoVersion,
        });
        if (!result.ok) throw new CalicoBgpPeerValidationError(name, result.failures);
        const force = args.overwriteManualEdits ?? true;
        const annotations = force ? { [PATCH_FORCE]: "true", ...(meta.annotations ?? {}) } : meta.annotations;
        return renderBgpPeer(apiVersion, { ...meta, ...(annotations ? { annotations } : {}) }, result.spec);
    };
    if (isPlain(metadata) && isPlain(args.spec)) {
        const rendered = check(metadata as BgpPeerMetadata, args.spec);
        return { metadata: rendered.metadata, spec: rendered.spec };
    }
    const rendered = pulumi
        .all([pulumi.output(metadata), pulumi.output(args.spec)])
        .apply(([meta, spec]) => check(meta as BgpPeerMetadata, spec));
    return { metadata: rendered.metadata, spec: rendered.spec };
}

/** True when `value` holds no Output or Promise anywhere, i.e. it is fully known right now. */
export function isPlain(value: unknown): boolean {
    if (pulumi.Output.isInstance(value)) return false;
    if (value === null || typeof value !== "object") return true;
    if (typeof (value as { then?: unknown }).then === "function") return false;
    if (Array.isArray(value)) return value.every(isPlain);
    return Object.values(value as Record<string, unknown>).every(isPlain);
}
