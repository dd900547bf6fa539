import { strict as assert } from "assert";
import fc from "fast-check";
import { resolveNeighborsInputs, resolveRouterInputs, type Failure } from "../../../provider/adc/inputs";
import { applyChanges } from "../../../provider/core/changes";
import { EMPTY_CONFIG, emptyRouter, type RunningConfig } from "../../../provider/core/model";
import { parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { NOTHING_OWNED, planNeighbors, planRouter } from "../../../provider/core/plan";
import { renderChanges, renderRunningConfig } from "../../../provider/core/render";
import type { Asn, IpAddress } from "../../../provider/core/values";
import { FINGERPRINT, SSH_PASSWORD } from "./corpus";

const EMPTY: RunningConfig = EMPTY_CONFIG;
const WITH_ROUTER: RunningConfig = { ...EMPTY_CONFIG, routeInstall: new Set(["bgp"]), routers: [emptyRouter(500 as Asn)] };
const connection = { host: "10.102.33.1", password: SSH_PASSWORD, hostKeyFingerprint: FINGERPRINT };

/** What no accepted value may hold, and no message may show: invisible code points and CLI metacharacters. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|[^\P{Zs} ]/u;
const METACHARACTERS = /[;?"'\\`]/;

/** Any text: lone surrogates, controls, separators, and the characters of addresses and names. */
const anyText = fc.oneof(
    fc.string({ unit: "binary", maxLength: 90 }),
    fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEFx.:/%-_ ;?\"'\\`\u0000\u0085\u00a0\u200b\u2028\u2029\ud800\ufeff"), maxLength: 45 }),
    fc.string({ unit: "grapheme", maxLength: 40 }),
);
/** Any number-ish value: integers of any size, fractions, NaN, infinities, -0, digit strings, text. */
const anyNumber = fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 32, 2 ** 53), fc.stringMatching(/^-?\d{0,11}(\.\d)?$/), fc.string({ maxLength: 5 }));

function setAt(root: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
    const copy = structuredClone(root);
    let at: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]] = value;
    return copy;
}

function refusedAt(failures: readonly Failure[], field: string, secret?: string): void {
    assert.ok(failures.some((f) => f.property === field), `refused elsewhere: ${JSON.stringify(failures)}`);
    const text = JSON.stringify(failures);
    for (const f of failures) assert.ok(!INVISIBLE.test(f.reason), `an invisible character in the message: ${text}`);
    if (secret !== undefined && secret.length >= 4) assert.ok(!text.includes(secret), `the secret is shown: ${text}`);
}

/** The neighbor lines converge: applied, shown in the device's layout and read back, nothing is left to do. */
function converges(neighbors: ReturnType<typeof resolveNeighborsInputs>): void {
    assert.ok(neighbors.ok);
    const spec = neighbors.value;
    const plan = planNeighbors(WITH_ROUTER, spec.asn, spec.neighbors, new Set<IpAddress>(), false);
    assert.ok(plan.ok);
    for (const line of renderChanges(plan.changes)) {
        assert.ok(!INVISIBLE.test(line.text) && !METACHARACTERS.test(line.text), JSON.stringify(line.text));
    }
    const device = parseRunningConfig(renderRunningConfig(applyChanges(WITH_ROUTER, plan.changes)));
    const again = planNeighbors(device, spec.asn, spec.neighbors, plan.owned, true);
    assert.ok(again.ok);
    assert.deepEqual(again.changes, [], "applied lines read back differently");
}

const NEIGHBOR_TEXT_FIELDS = ["address", "description", "password", "updateSource"] as const;
const CONNECTION_TEXT_FIELDS = ["host", "username", "password", "privateKey", "privateKeyPassphrase", "hostKeyFingerprint"] as const;

describe("inputs: fuzzing every string and number field", () => {
    for (const field of NEIGHBOR_TEXT_FIELDS) {
        it(`neighbors[0].${field}: any text is refused there or converges on the device`, () => {
            fc.assert(
                fc.property(anyText, (value) => {
                    const neighbor = { address: "10.102.33.202", remoteAsn: 64512, [field]: value };
                    const r = resolveNeighborsInputs({ connection, localAsn: 500, neighbors: [neighbor] });
                    if (!r.ok) return refusedAt(r.failures, `neighbors[0].${field}`, field === "password" ? value : undefined);
                    converges(r);
                }),
                { numRuns: 400 },
            );
        });
    }

    for (const field of CONNECTION_TEXT_FIELDS) {
        it(`connection.${field}: any text is refused there or kept free of invisible characters`, () => {
            fc.assert(
                fc.property(anyText, (value) => {
                    const r = resolveRouterInputs({ connection: { ...connection, [field]: value }, localAsn: 500 });
                    const secret = ["password", "privateKey", "privateKeyPassphrase"].includes(field) ? value : undefined;
                    if (!r.ok) return refusedAt(r.failures, `connection.${field}`, secret);
                    const kept = String(r.value.connection[field as keyof typeof r.value.connection]);
                    assert.ok(!INVISIBLE.test(kept.replace(/[\r\n]/g, "")), JSON.stringify(kept));
                    if (field === "host") assert.ok(!/^[\d.]+$/.test(kept) || /^(?:(?:0|[1-9]\d{0,2})\.){3}(?:0|[1-9]\d{0,2})$/.test(kept), `ambiguous host ${kept}`);
                }),
                { numRuns: 300 },
            );
        });
    }

    it("routerId: any text is refused there or becomes exactly one bgp router-id line", () => {
        fc.assert(
            fc.property(anyText, (value) => {
                const r = resolveRouterInputs({ connection, localAsn: 500, routerId: value });
                if (!r.ok) return refusedAt(r.failures, "routerId");
                const plan = planRouter(EMPTY, r.value.intent, NOTHING_OWNED, false);
                assert.ok(plan.ok);
                const lines = renderChanges(plan.changes).map((l) => l.text);
                assert.deepEqual(lines.filter((l) => l.startsWith("bgp router-id")), [`bgp router-id ${r.value.intent.routerId}`]);
                assert.notEqual(r.value.intent.routerId, "0.0.0.0");
            }),
            { numRuns: 300 },
        );
    });

    const numberFields: { field: string; min: number; max: number; put: (v: unknown) => Record<string, unknown>; read: (raw: Record<string, unknown>) => number | undefined }[] = [
        { field: "connection.port", min: 1, max: 65535, put: (v) => ({ connection: { ...connection, port: v }, localAsn: 500 }), read: (raw) => ok(resolveRouterInputs(raw))?.connection.port },
        { field: "connection.connectTimeoutMs", min: 100, max: 600000, put: (v) => ({ connection: { ...connection, connectTimeoutMs: v }, localAsn: 500 }), read: (raw) => ok(resolveRouterInputs(raw))?.connection.connectTimeoutMs },
        { field: "connection.commandTimeoutMs", min: 100, max: 600000, put: (v) => ({ connection: { ...connection, commandTimeoutMs: v }, localAsn: 500 }), read: (raw) => ok(resolveRouterInputs(raw))?.connection.commandTimeoutMs },
        { field: "connection.connectRetries", min: 0, max: 10, put: (v) => ({ connection: { ...connection, connectRetries: v }, localAsn: 500 }), read: (raw) => ok(resolveRouterInputs(raw))?.connection.connectRetries },
        { field: "localAsn", min: 1, max: 4294967295, put: (v) => ({ connection, localAsn: v }), read: (raw) => ok(resolveRouterInputs(raw))?.intent.asn },
        { field: "maxPaths.ebgp", min: 1, max: 64, put: (v) => setAt({ connection, localAsn: 500 }, ["maxPaths", "ebgp"], v), read: (raw) => ok(resolveRouterInputs(raw))?.intent.maxPaths.ebgp ?? undefined },
        { field: "maxPaths.ibgp", min: 1, max: 64, put: (v) => setAt({ connection, localAsn: 500 }, ["maxPaths", "ibgp"], v), read: (raw) => ok(resolveRouterInputs(raw))?.intent.maxPaths.ibgp ?? undefined },
        { field: "neighbors[0].remoteAsn", min: 1, max: 4294967295, put: (v) => ({ connection, localAsn: 500, neighbors: [{ address: "10.0.0.1", remoteAsn: v }] }), read: (raw) => ok(resolveNeighborsInputs(raw))?.neighbors[0].remoteAsn },
        { field: "neighbors[0].ebgpMultihop", min: 1, max: 255, put: (v) => ({ connection, localAsn: 500, neighbors: [{ address: "10.0.0.1", remoteAsn: 1, ebgpMultihop: v }] }), read: (raw) => ok(resolveNeighborsInputs(raw))?.neighbors[0].ebgpMultihop ?? undefined },
        { field: "waitForEstablishedSeconds", min: 0, max: 3600, put: (v) => ({ connection, localAsn: 500, neighbors: [], waitForEstablishedSeconds: v }), read: (raw) => ok(resolveNeighborsInputs(raw))?.waitForEstablishedSeconds },
    ];
    for (const { field, min, max, put, read } of numberFields) {
        it(`${field}: any number or text is refused there or is a whole number in ${min}..${max}`, () => {
            fc.assert(
                fc.property(anyNumber, (value) => {
                    const raw = put(value);
                    const parsed = read(raw);
                    if (parsed === undefined) {
                        const r = field.startsWith("neighbors") || field === "waitForEstablishedSeconds" ? resolveNeighborsInputs(raw) : resolveRouterInputs(raw);
                        assert.ok(!r.ok);
                        return refusedAt(r.failures, field);
                    }
                    assert.ok(Number.isInteger(parsed) && parsed >= min && parsed <= max && !Object.is(parsed, -0), `${String(value)} -> ${parsed}`);
                    assert.equal(parsed, Number(typeof value === "string" ? value.trim() : value) + 0);
                }),
                { numRuns: 300 },
            );
        });
    }
});

function ok<T>(r: { ok: true; value: T } | { ok: false }): T | undefined {
    return r.ok ? r.value : undefined;
}
