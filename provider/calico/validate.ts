/**
 * Refuses, before anything reaches the cluster, the BGPPeers that Calico would store but then
 * break on, and the ones it rejects with an error far from the user's code. Pure: spec in,
 * typed spec or a list of failures out.
 */
import * as ipaddr from "ipaddr.js";
import { nameProblem, secretKeyProblem, suggestName, MAX_NAME_LENGTH } from "./names";
import { editDistance } from "../core/values";
import {
    BGP_PEER_FIELDS,
    BGP_PEER_FIELD_SINCE,
    BgpPeerSpec,
    CalicoRelease,
    ENTERPRISE_ONLY_FIELDS,
    compareCalicoReleases,
    formatCalicoRelease,
    parseCalicoRelease,
} from "./spec";

/** One reason a BGPPeer is refused: which field, the value found, why and how to fix it. */
export interface ValidationFailure {
    /** Path of the field, e.g. `spec.asNumber` or `metadata.name`. */
    field: string;
    /** The value found (never a secret: BGPPeers only reference Secrets). */
    value: unknown;
    /** Why it is refused and what to do instead. */
    reason: string;
}

declare const validatedSpec: unique symbol;

/** A BGPPeer spec that passed {@link validateBgpPeer}; only such a spec can be rendered. */
export type ValidBgpPeerSpec = Readonly<BgpPeerSpec> & { readonly [validatedSpec]: true };

/** What {@link validateBgpPeer} checks. */
export interface BgpPeerToValidate {
    /** `metadata.name`, when the caller sets one. */
    name?: unknown;
    /**
     * When `name` is not set, the prefix the Kubernetes provider auto-names from (the Pulumi
     * resource name; it appends `-` and 8 hex digits).
     */
    autoNamePrefix?: string;
    /** The spec as given. Checked at run time too, since values often come from config. */
    spec: unknown;
    /**
     * The cluster's Calico release (`3.31.7`, `v3.30.2`, or `3.30` for any 3.30.x). Fields newer
     * than it are refused, because its API server would prune them without a word.
     */
    calicoVersion?: unknown;
}

/** The result of {@link validateBgpPeer}. */
export type BgpPeerValidation =
    | { ok: true; spec: ValidBgpPeerSpec }
    | { ok: false; failures: ValidationFailure[] };

/** Calico stores AS numbers and `numAllowedLocalASNumbers` as int32. */
export const MAX_INT32 = 2147483647;
/** The longest selector the newest Calico CRDs accept (master; 3.32 allows 4096, older ones any length). */
export const MAX_SELECTOR_LENGTH = 1024;
/** Longest `peerIP` / `reachableBy` the 3.32+ CRDs accept. */
const MAX_ADDRESS_LENGTH = 64;
/** Auto-naming appends `-` and 8 hex digits to the Pulumi resource name. */
const AUTO_NAME_SUFFIX_LENGTH = 9;

/**
 * Checks a BGPPeer against the rules Calico applies (validator, CRD schema, CEL rules) and the
 * ones it does not apply but breaks on. Returns the normalised spec (empty values dropped) or
 * every failure found, each naming the field, the value and the fix.
 */
export function validateBgpPeer(input: BgpPeerToValidate): BgpPeerValidation {
    const failures: ValidationFailure[] = [];
    const fail = (field: string, value: unknown, reason: string) => failures.push({ field, value, reason });

    checkName(input, fail);
    const release = checkRelease(input.calicoVersion, fail);

    if (typeof input.spec !== "object" || input.spec === null || Array.isArray(input.spec)) {
        fail("spec", input.spec, "must be an object with the BGPPeer fields (peerIP, asNumber, ...)");
        return { ok: false, failures };
    }
    const raw = input.spec as Record<string, unknown>;
    checkUnknownFields(raw, fail);

    const spec = normalise(raw);
    checkTypesAndRanges(spec, fail);
    checkCombinations(spec, fail);
    if (release) checkFieldsAgainstRelease(spec, release, fail);

    if (failures.length > 0) return { ok: false, failures };
    return { ok: true, spec: spec as ValidBgpPeerSpec };
}

type Fail = (field: string, value: unknown, reason: string) => void;

function checkName(input: BgpPeerToValidate, fail: Fail): void {
    if (input.name === undefined || input.name === null || input.name === "") {
        if (input.autoNamePrefix === undefined) return;
        const prefix = input.autoNamePrefix;
        const problem = nameProblem(`${prefix}-0123abcd`);
        if (problem) {
            fail(
                "metadata.name",
                `${prefix}-<random>`,
                `is auto-named "${prefix}-<8 hex digits>" from the resource name, and that name ${problem}; name the resource e.g. "${suggestName(prefix).slice(0, MAX_NAME_LENGTH - AUTO_NAME_SUFFIX_LENGTH)}" or set metadata.name`,
            );
        }
        return;
    }
    if (typeof input.name !== "string") {
        fail("metadata.name", input.name, "must be a string");
        return;
    }
    const problem = nameProblem(input.name);
    if (problem) fail("metadata.name", input.name, `${problem}; Calico rejects it. Use e.g. "${suggestName(input.name)}"`);
}

function checkRelease(version: unknown, fail: Fail): CalicoRelease | undefined {
    if (version === undefined || version === null || version === "") return undefined;
    const release = typeof version === "string" ? parseCalicoRelease(version) : undefined;
    if (!release) fail("calicoVersion", version, 'must be a Calico release such as "3.31.7", "v3.30.2" or "3.30"');
    return release;
}

function checkUnknownFields(raw: Record<string, unknown>, fail: Fail): void {
    const known = new Set<string>(BGP_PEER_FIELDS);
    for (const key of Object.keys(raw)) {
        if (known.has(key) || raw[key] === undefined) continue;
        if (ENTERPRISE_ONLY_FIELDS.includes(key)) {
            fail(`spec.${key}`, raw[key], "exists only in Calico Enterprise: Calico Open Source's API prunes it and calicoctl rejects it; remove it");
            continue;
        }
        const sameLetters = BGP_PEER_FIELDS.find((f) => f.toLowerCase() === key.toLowerCase()) ?? BGP_PEER_FIELDS.find((f) => editDistance(f.toLowerCase(), key.toLowerCase()) <= 2);
        fail(
            `spec.${key}`,
            raw[key],
            sameLetters
                ? `is not a BGPPeer field (Calico would drop it without a word); did you mean "${sameLetters}"?`
                : `is not a BGPPeer field (Calico would drop it without a word); the fields are ${BGP_PEER_FIELDS.join(", ")}`,
        );
    }
}

/** Drops what Calico treats as unset (undefined, null, "", [], keepOriginalNextHop: false), so state matches what the API returns. */
function normalise(raw: Record<string, unknown>): BgpPeerSpec {
    const out: Record<string, unknown> = {};
    for (const field of BGP_PEER_FIELDS) {
        const v = raw[field];
        if (v === undefined || v === null || v === "") continue;
        if (Array.isArray(v) && v.length === 0) continue;
        if (field === "keepOriginalNextHop" && v === false) continue;
        out[field] = v;
    }
    return out as BgpPeerSpec;
}

const ASN_TOO_LARGE =
    "is above 2147483647: Calico stores AS numbers as int32 and the API server rejects larger ones (\"must be of type integer with format int32\"), " +
    "so the private 4-byte range 4200000000-4294967294 cannot be used with Calico; use an AS number up to 2147483647, e.g. a private 2-byte AS 64512-65534";

function checkAsn(field: string, value: unknown, fail: Fail): void {
    if (typeof value !== "number" || !Number.isInteger(value)) {
        fail(field, value, "must be a whole number (an AS number such as 64512); read it with config.requireNumber");
    } else if (value < 1) {
        fail(field, value, "must be between 1 and 2147483647; 0 means \"unset\" to Calico");
    } else if (value > MAX_INT32) {
        fail(field, value, ASN_TOO_LARGE);
    }
}

function checkNameField(field: string, value: unknown, what: string, fail: Fail): void {
    if (typeof value !== "string") {
        fail(field, value, `must be a string: the name of ${what}`);
        return;
    }
    const problem = nameProblem(value);
    if (problem) fail(field, value, `${problem}, so no ${what} can have this name`);
}

function checkSelector(field: string, value: unknown, fail: Fail): void {
    if (typeof value !== "string") fail(field, value, "must be a Calico selector string such as \"rack == 'a'\" or \"all()\"");
    else if (value.trim() === "") fail(field, value, "is blank; leave it unset instead");
    else if (value.length > MAX_SELECTOR_LENGTH) {
        fail(field, `${value.slice(0, 40)}...`, `is ${value.length} characters long; Calico's newest CRDs accept at most ${MAX_SELECTOR_LENGTH}`);
    }
}

const GO_DURATION = /^\+?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

function checkDuration(field: string, value: unknown, fail: Fail): void {
    if (typeof value !== "string" || !(value === "0" || GO_DURATION.test(value))) {
        fail(
            field,
            value,
            'must be a Go duration such as "120s", "2m" or "1m30s"; calico-node cannot decode anything else and then stops reading every BGPPeer',
        );
    }
}

function checkEnum(field: string, value: unknown, allowed: readonly string[], fail: Fail): void {
    if (typeof value !== "string" || !allowed.includes(value)) {
        fail(field, value, `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
    }
}

/** `peerIP` as Calico parses it: `<IPv4>`, `<IPv4>:<port>`, `<IPv6>` or `[<IPv6>]:<port>`. */
export interface ParsedPeerIP {
    address: string;
    family: "ipv4" | "ipv6";
    port?: number;
}

/** Parses a `peerIP` the way Calico's `IP:port` validator does; a string reason if it is invalid. */
export function parsePeerIP(text: string): ParsedPeerIP | string {
    let host = text;
    let portText: string | undefined;
    const v6Port = /^\[([^\]]+)\]:(\d+)$/.exec(text);
    const v4Port = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(text);
    if (v6Port) {
        host = v6Port[1]!;
        portText = v6Port[2];
        if (!isIPv6(host)) return `"${host}" in brackets is not an IPv6 address`;
    } else if (v4Port) {
        host = v4Port[1]!;
        portText = v4Port[2];
    }
    const family = ipFamily(host);
    if (!family) return 'is not an IP address; use "10.0.0.1", "10.0.0.1:1179", "fd00::1" or "[fd00::1]:1179"';
    if (portText !== undefined) {
        const port = Number(portText);
        if (!Number.isInteger(port) || port < 1 || port > 65535) return `has port ${portText}; a port must be 1..65535`;
        return { address: host, family, port };
    }
    return { address: host, family };
}

function isIPv6(text: string): boolean {
    return !text.includes("%") && ipaddr.IPv6.isValid(text);
}

/** `ipv4` for a dotted quad, `ipv6` for an IPv6 address (no zone), undefined otherwise. */
export function ipFamily(text: string): "ipv4" | "ipv6" | undefined {
    if (ipaddr.IPv4.isValidFourPartDecimal(text)) return "ipv4";
    if (text.includes(":") && isIPv6(text)) return "ipv6";
    return undefined;
}

function checkTypesAndRanges(spec: BgpPeerSpec, fail: Fail): void {
    const s = spec as Record<keyof BgpPeerSpec, unknown>;
    if (s.node !== undefined) checkNameField("spec.node", s.node, "Calico node (the Kubernetes node name)", fail);
    if (s.nodeSelector !== undefined) checkSelector("spec.nodeSelector", s.nodeSelector, fail);
    if (s.peerSelector !== undefined) checkSelector("spec.peerSelector", s.peerSelector, fail);
    if (s.localWorkloadSelector !== undefined) checkSelector("spec.localWorkloadSelector", s.localWorkloadSelector, fail);
    if (s.peerIP !== undefined) {
        if (typeof s.peerIP !== "string") fail("spec.peerIP", s.peerIP, "must be a string such as \"10.0.0.1\"");
        else if (s.peerIP.length > MAX_ADDRESS_LENGTH) fail("spec.peerIP", s.peerIP, `is longer than ${MAX_ADDRESS_LENGTH} characters`);
        else {
            const parsed = parsePeerIP(s.peerIP);
            if (typeof parsed === "string") fail("spec.peerIP", s.peerIP, parsed);
        }
    }
    if (s.asNumber !== undefined) checkAsn("spec.asNumber", s.asNumber, fail);
    if (s.localASNumber !== undefined) checkAsn("spec.localASNumber", s.localASNumber, fail);
    if (s.numAllowedLocalASNumbers !== undefined) {
        const v = s.numAllowedLocalASNumbers;
        if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
            fail("spec.numAllowedLocalASNumbers", v, "must be a whole number of at least 0: how many times the local AS may appear in a received AS path");
        } else if (v > MAX_INT32) {
            fail(
                "spec.numAllowedLocalASNumbers",
                v,
                "is above 2147483647, which breaks calico-node's decoding of every BGPPeer (int32 field); it is a count of local-AS occurrences, not an AS number: use e.g. 1",
            );
        }
    }
    if (s.ttlSecurity !== undefined) {
        const v = s.ttlSecurity;
        if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 255) {
            fail("spec.ttlSecurity", v, "must be a hop count 0..255: Calico decodes it as uint8 and cannot read larger values");
        }
    }
    if (s.keepOriginalNextHop !== undefined && typeof s.keepOriginalNextHop !== "boolean") {
        fail("spec.keepOriginalNextHop", s.keepOriginalNextHop, "must be true or false");
    }
    if (s.nextHopMode !== undefined) checkEnum("spec.nextHopMode", s.nextHopMode, ["Auto", "Self", "Keep"], fail);
    if (s.sourceAddress !== undefined) checkEnum("spec.sourceAddress", s.sourceAddress, ["UseNodeIP", "None"], fail);
    if (s.reversePeering !== undefined) checkEnum("spec.reversePeering", s.reversePeering, ["Auto", "Manual"], fail);
    if (s.maxRestartTime !== undefined) checkDuration("spec.maxRestartTime", s.maxRestartTime, fail);
    if (s.keepaliveTime !== undefined) checkDuration("spec.keepaliveTime", s.keepaliveTime, fail);
    if (s.reachableBy !== undefined) {
        if (typeof s.reachableBy !== "string" || s.reachableBy.length > MAX_ADDRESS_LENGTH || !ipFamily(s.reachableBy)) {
            fail("spec.reachableBy", s.reachableBy, "must be the IP address of the gateway through which the peer is reached");
        }
    }
    if (s.filters !== undefined) {
        if (!Array.isArray(s.filters)) fail("spec.filters", s.filters, "must be a list of BGPFilter names");
        else s.filters.forEach((f, i) => checkNameField(`spec.filters[${i}]`, f, "BGPFilter", fail));
    }
    if (s.password !== undefined) checkPassword(s.password, fail);
}

function checkPassword(password: unknown, fail: Fail): void {
    const literal =
        "Calico reads BGP passwords only from a Secret in calico-node's namespace: set password.secretKeyRef {name, key} " +
        "and put the password in that Secret (CalicoAdcPeering's bgpPassword does this for you)";
    if (typeof password !== "object" || password === null || Array.isArray(password)) {
        fail("spec.password", typeof password === "string" ? "<literal value, not shown>" : password, literal);
        return;
    }
    const p = password as Record<string, unknown>;
    const extra = Object.keys(p).filter((k) => k !== "secretKeyRef" && p[k] !== undefined);
    if (extra.length > 0) fail(`spec.password.${extra[0]}`, "<not shown>", literal);
    const ref = p.secretKeyRef;
    if (typeof ref !== "object" || ref === null) {
        fail("spec.password.secretKeyRef", ref, literal);
        return;
    }
    const r = ref as Record<string, unknown>;
    checkNameField("spec.password.secretKeyRef.name", r.name, "Secret", fail);
    if (typeof r.key !== "string") fail("spec.password.secretKeyRef.key", r.key, "must be the key within the Secret that holds the password");
    else {
        const problem = secretKeyProblem(r.key);
        if (problem) fail("spec.password.secretKeyRef.key", r.key, `${problem}, so no Secret can have this key`);
    }
    if (r.optional !== undefined && typeof r.optional !== "boolean") fail("spec.password.secretKeyRef.optional", r.optional, "must be true or false");
    for (const k of Object.keys(r)) {
        if (!["name", "key", "optional"].includes(k) && r[k] !== undefined) {
            fail(`spec.password.secretKeyRef.${k}`, "<not shown>", `is not a secretKeyRef field (name, key, optional); ${literal}`);
        }
    }
}

function checkCombinations(spec: BgpPeerSpec, fail: Fail): void {
    const has = (f: keyof BgpPeerSpec) => spec[f] !== undefined;
    if (has("node") && has("nodeSelector")) {
        fail("spec.nodeSelector", spec.nodeSelector, `cannot be set together with spec.node ("${spec.node}"): use node for one node, nodeSelector for a set of nodes, neither for a global peer`);
    }
    if (has("peerIP") && has("peerSelector")) {
        fail("spec.peerSelector", spec.peerSelector, `cannot be set together with spec.peerIP ("${spec.peerIP}"): peerIP peers with an outside speaker, peerSelector with other Calico nodes`);
    }
    if (has("peerSelector") && has("asNumber")) {
        fail("spec.asNumber", spec.asNumber, "must be empty when spec.peerSelector is set: the remote AS comes from each selected Calico node");
    }
    if (has("localWorkloadSelector")) {
        if (has("peerIP")) fail("spec.peerIP", spec.peerIP, "must be empty when spec.localWorkloadSelector is set");
        if (has("peerSelector")) fail("spec.peerSelector", spec.peerSelector, "must be empty when spec.localWorkloadSelector is set");
        if (!has("asNumber")) fail("spec.asNumber", undefined, "is required when spec.localWorkloadSelector is set: set the workloads' AS number");
    }
    if (has("peerIP") && !has("asNumber")) {
        fail(
            "spec.asNumber",
            undefined,
            `is required with spec.peerIP ("${spec.peerIP}"): Calico accepts the peer, but then renders "neighbor ... as 0", BIRD refuses that configuration, ` +
                "and every node stops applying BGP changes until the peer is fixed; set asNumber to the peer's AS (e.g. the ADC's AS, 500 in the NetScaler runbook)",
        );
    }
    if (has("reachableBy")) {
        if (!has("peerIP")) fail("spec.reachableBy", spec.reachableBy, "needs spec.peerIP: it names the gateway to that address");
        else {
            const peer = typeof spec.peerIP === "string" ? parsePeerIP(spec.peerIP) : undefined;
            const gw = typeof spec.reachableBy === "string" ? ipFamily(spec.reachableBy) : undefined;
            if (peer && typeof peer !== "string" && gw && gw !== peer.family) {
                fail("spec.reachableBy", spec.reachableBy, `is ${gw === "ipv4" ? "IPv4" : "IPv6"} but spec.peerIP is ${peer.family === "ipv4" ? "IPv4" : "IPv6"}; use a gateway of the same family`);
            }
        }
    }
    if (spec.keepOriginalNextHop === true && has("nextHopMode")) {
        fail("spec.keepOriginalNextHop", true, `cannot be true when spec.nextHopMode ("${spec.nextHopMode}") is set: keepOriginalNextHop is deprecated; drop it and use nextHopMode "Keep"`);
    }
    if (!has("peerIP") && !has("peerSelector") && !has("localWorkloadSelector")) {
        fail("spec.peerIP", undefined, "is required: a BGPPeer needs peerIP (an outside speaker such as the ADC), peerSelector (Calico nodes) or localWorkloadSelector (local workloads)");
    }
}

function checkFieldsAgainstRelease(spec: BgpPeerSpec, release: CalicoRelease, fail: Fail): void {
    for (const field of BGP_PEER_FIELDS) {
        if (spec[field] === undefined) continue;
        const since = BGP_PEER_FIELD_SINCE[field];
        if (compareCalicoReleases(release, since) < 0) {
            fail(
                `spec.${field}`,
                spec[field],
                `needs Calico ${formatCalicoRelease(since)} or later; Calico ${formatCalicoRelease(release)} (calicoVersion) would drop it without a word. Upgrade Calico or remove the field`,
            );
        }
    }
    if (typeof spec.peerIP === "string" && compareCalicoReleases(release, [3, 16, 0]) < 0) {
        const parsed = parsePeerIP(spec.peerIP);
        if (typeof parsed !== "string" && parsed.port !== undefined) {
            fail("spec.peerIP", spec.peerIP, `a port in peerIP needs Calico 3.16.0 or later (calicoVersion is ${formatCalicoRelease(release)})`);
        }
    }
}
