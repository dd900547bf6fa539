/**
 * Calico's BGPPeer CRDs as the API server applies them: the openAPIV3Schema through ajv (with
 * the int32 format the apiserver enforces), the x-kubernetes-validations CEL rules through a CEL
 * evaluator, and the pruning of fields a release does not know.
 *
 * The CRD files are verbatim copies from projectcalico/calico, vendored in
 * `tests/fixtures/calico-crds/` (provenance in its README and SOURCES.tsv); `$CALICO_CRDS_DIR`
 * points at another folder of the same layout.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv, { ValidateFunction } from "ajv";
import * as YAML from "yaml";
import { CalicoRelease, parseCalicoRelease } from "../../../provider/calico/spec";

/** The repository root: the nearest folder up from here whose package.json is this package. */
export function repoRoot(): string {
    let dir = __dirname;
    for (;;) {
        const pj = path.join(dir, "package.json");
        if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, "utf8")).name === "pulumi-calico-adc") return dir;
        const up = path.dirname(dir);
        if (up === dir) throw new Error(`no pulumi-calico-adc package.json above ${__dirname}`);
        dir = up;
    }
}

/** Where the CRD folders are. Throws (never skips) when they are missing. */
export function crdsDir(): string {
    const dir = process.env.CALICO_CRDS_DIR ?? path.join(repoRoot(), "tests", "fixtures", "calico-crds");
    if (!fs.existsSync(dir)) {
        throw new Error(`Calico CRDs not found at ${dir}; set CALICO_CRDS_DIR to a folder with one sub-folder per Calico release, or unset it to use tests/fixtures/calico-crds`);
    }
    return dir;
}

/** One CEL rule of a CRD. */
export interface CelRule {
    rule: string;
    message: string;
}

/** One BGPPeer CRD version as served by the apiserver. */
export interface BgpPeerCrd {
    /** Release folder, e.g. `v3.31.7` or `master`. */
    release: string;
    /** Release triple; master counts as newer than every tag. */
    version: CalicoRelease;
    apiVersion: string;
    file: string;
    /** Spec property names the CRD keeps (anything else is pruned). */
    specFields: Set<string>;
    celRules: CelRule[];
    /** Validates a whole object (apiVersion, kind, metadata, spec) against openAPIV3Schema. */
    validate: ValidateFunction;
}

const INT32 = { min: -2147483648, max: 2147483647 };

function newAjv(): Ajv {
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    for (const k of ["x-kubernetes-validations", "x-kubernetes-map-type", "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string"]) {
        ajv.addKeyword(k);
    }
    ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max });
    ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
    return ajv;
}

let cache: BgpPeerCrd[] | undefined;

/** Every BGPPeer CRD in every release folder (v1 CRDs everywhere, native v3 CRDs from 3.32). */
export function loadBgpPeerCrds(): BgpPeerCrd[] {
    if (cache) return cache;
    const root = crdsDir();
    const out: BgpPeerCrd[] = [];
    for (const release of fs.readdirSync(root).sort()) {
        const dir = path.join(root, release);
        if (!fs.statSync(dir).isDirectory()) continue;
        const version = release === "master" ? ([99, 0, 0] as const) : parseCalicoRelease(release);
        if (!version) continue;
        for (const name of ["crd.projectcalico.org_bgppeers.yaml", "projectcalico.org_bgppeers.yaml"]) {
            const file = path.join(dir, name);
            if (!fs.existsSync(file)) continue;
            const crd = YAML.parse(fs.readFileSync(file, "utf8"));
            for (const v of crd.spec.versions) {
                const schema = v.schema.openAPIV3Schema;
                const spec = schema.properties.spec;
                out.push({
                    release,
                    version,
                    apiVersion: `${crd.spec.group}/${v.name}`,
                    file,
                    specFields: new Set(Object.keys(spec.properties)),
                    celRules: (spec["x-kubernetes-validations"] ?? []).map((r: CelRule) => ({ rule: r.rule, message: r.message.replace(/\s+/g, " ") })),
                    validate: newAjv().compile(schema),
                });
            }
        }
    }
    if (out.length === 0) throw new Error(`no BGPPeer CRDs under ${root}`);
    cache = out;
    return out;
}

/** Integers become CEL ints (BigInt), as the apiserver sees JSON integers. */
function toCel(value: unknown): unknown {
    if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
    if (Array.isArray(value)) return value.map(toCel);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
    return value;
}

type Cel = typeof import("@marcbachmann/cel-js", { with: { "resolution-mode": "import" } });
let celModule: Cel | undefined;

/** Loads the CEL evaluator (an ES module); call once in a `before` hook. */
export async function loadCel(): Promise<void> {
    celModule ??= await import("@marcbachmann/cel-js");
}

/** The messages of the CEL rules `spec` breaks. Needs {@link loadCel} first. */
export function celViolations(crd: BgpPeerCrd, spec: Record<string, unknown>): string[] {
    if (!celModule) throw new Error("call loadCel() in a before hook first");
    const self = toCel(spec);
    const evaluate = celModule.evaluate;
    return crd.celRules.filter((r) => evaluate(r.rule, { self }) !== true).map((r) => r.message);
}

/** Spec fields the apiserver would prune from `spec` (the CRD does not know them). */
export function prunedFields(crd: BgpPeerCrd, spec: Record<string, unknown>): string[] {
    return Object.keys(spec).filter((k) => !crd.specFields.has(k));
}

/** Everything the apiserver would say about `obj`: schema errors and CEL messages. */
export function apiserverErrors(crd: BgpPeerCrd, obj: { spec: Record<string, unknown> }): string[] {
    const schemaOk = crd.validate(obj);
    const schema = schemaOk ? [] : (crd.validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    return [...schema, ...celViolations(crd, obj.spec)];
}
