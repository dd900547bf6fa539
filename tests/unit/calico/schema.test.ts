/**
 * Every BGPPeer the validator accepts must be accepted, unchanged, by Calico's CRDs of every
 * release that has its fields (openAPIV3Schema, CEL rules, no pruned field); every spec the CRDs'
 * CEL rules refuse must be refused by the validator too.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { validateBgpPeer, ValidBgpPeerSpec } from "../../../provider/calico/validate";
import { renderBgpPeer } from "../../../provider/calico/render";
import { BGP_PEER_FIELDS, BGP_PEER_FIELD_SINCE, BgpPeerSpec, CALICO_API_VERSIONS, compareCalicoReleases } from "../../../provider/calico/spec";
import { apiserverErrors, BgpPeerCrd, celViolations, loadBgpPeerCrds, loadCel, prunedFields } from "./crdSchemas";

function valid(spec: BgpPeerSpec): ValidBgpPeerSpec {
    const r = validateBgpPeer({ spec });
    if (!r.ok) throw new Error(`fixture refused: ${JSON.stringify(r.failures)}`);
    return r.spec;
}

/** CRDs whose release has every field of `spec`. */
function crdsFor(spec: BgpPeerSpec): BgpPeerCrd[] {
    return loadBgpPeerCrds().filter((crd) =>
        (Object.keys(spec) as (keyof BgpPeerSpec)[]).every((f) => compareCalicoReleases(crd.version, BGP_PEER_FIELD_SINCE[f]) >= 0),
    );
}

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."));
const ipv6 = fc.ipV6().filter((a) => !a.includes("."));
const name = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
const asn = fc.integer({ min: 1, max: 2147483647 });
const duration = fc.oneof(fc.constantFrom("120s", "2m", "1m30s", "90s", "1h"), fc.integer({ min: 1, max: 3600 }).map((n) => `${n}s`));

/** A global or node-scoped peer with an outside speaker, plus any mix of optional fields. */
const outsidePeer: fc.Arbitrary<BgpPeerSpec> = fc
    .record(
        {
            family: fc.constantFrom("ipv4", "ipv6"),
            v4: ipv4,
            v6: ipv6,
            port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
            asNumber: asn,
            scope: fc.oneof(fc.constant({}), name.map((node) => ({ node })), fc.constant({ nodeSelector: "rack == 'a'" })),
            localASNumber: fc.option(asn, { nil: undefined }),
            sourceAddress: fc.option(fc.constantFrom("UseNodeIP", "None") as fc.Arbitrary<"UseNodeIP" | "None">, { nil: undefined }),
            maxRestartTime: fc.option(duration, { nil: undefined }),
            keepaliveTime: fc.option(duration, { nil: undefined }),
            numAllowedLocalASNumbers: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
            ttlSecurity: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
            nextHop: fc.oneof(fc.constant({}), fc.constant({ keepOriginalNextHop: true }), fc.constantFrom("Auto", "Self", "Keep").map((m) => ({ nextHopMode: m }))),
            reachable: fc.boolean(),
            filters: fc.option(fc.array(name, { minLength: 1, maxLength: 3 }), { nil: undefined }),
            password: fc.option(fc.record({ name, key: fc.constantFrom("password", "bgp.password", "pw_1") }), { nil: undefined }),
        },
        { requiredKeys: ["family", "v4", "v6", "asNumber", "scope", "nextHop", "reachable"] },
    )
    .map((r) => {
        const ip = r.family === "ipv4" ? r.v4 : r.v6;
        const peerIP = r.port === undefined ? ip : r.family === "ipv4" ? `${ip}:${r.port}` : `[${ip}]:${r.port}`;
        const spec: Record<string, unknown> = { peerIP, asNumber: r.asNumber, ...r.scope, ...r.nextHop };
        for (const k of ["localASNumber", "sourceAddress", "maxRestartTime", "keepaliveTime", "numAllowedLocalASNumbers", "ttlSecurity", "filters"] as const) {
            if (r[k] !== undefined) spec[k] = r[k];
        }
        if (r.reachable) spec.reachableBy = r.family === "ipv4" ? "192.0.2.1" : "fd00::1";
        if (r.password) spec.password = { secretKeyRef: r.password };
        return spec as BgpPeerSpec;
    });

describe("rendered BGPPeers against Calico's CRDs", () => {
    before(loadCel);

    it("has CRDs for every supported release and both API groups", () => {
        const crds = loadBgpPeerCrds();
        const releases = new Set(crds.map((c) => c.release));
        for (const r of ["v3.28.5", "v3.29.7", "v3.30.7", "v3.31.7", "v3.32.1", "master"]) assert.ok(releases.has(r), r);
        for (const v of CALICO_API_VERSIONS) assert.ok(crds.some((c) => c.apiVersion === v), v);
    });

    it("knows exactly the fields each release's CRD has (the 'since' table matches the CRDs)", () => {
        for (const crd of loadBgpPeerCrds()) {
            const expected = BGP_PEER_FIELDS.filter((f) => compareCalicoReleases(crd.version, BGP_PEER_FIELD_SINCE[f]) >= 0);
            assert.deepEqual([...crd.specFields].sort(), [...expected].sort(), `${crd.release} ${crd.apiVersion}`);
        }
    });

    it("renders the runbook's peer so that every release accepts it through both groups", () => {
        const spec = valid({ peerIP: "10.102.33.208", asNumber: 500 });
        for (const crd of loadBgpPeerCrds()) {
            const obj = renderBgpPeer(crd.apiVersion as (typeof CALICO_API_VERSIONS)[number], { name: "bgppeer-global-3040" }, spec);
            assert.deepEqual(obj, {
                apiVersion: crd.apiVersion,
                kind: "BGPPeer",
                metadata: { name: "bgppeer-global-3040" },
                spec: { peerIP: "10.102.33.208", asNumber: 500 },
            });
            assert.deepEqual(apiserverErrors(crd, obj), [], `${crd.release} ${crd.apiVersion}`);
        }
    });

    it("every spec the validator accepts passes the CRDs (schema, CEL, nothing pruned) of each release that has its fields", () => {
        let checked = 0;
        fc.assert(
            fc.property(outsidePeer, (raw) => {
                const r = validateBgpPeer({ spec: raw });
                assert.ok(r.ok, JSON.stringify(!r.ok && r.failures));
                for (const crd of crdsFor(r.spec)) {
                    const obj = renderBgpPeer(crd.apiVersion as (typeof CALICO_API_VERSIONS)[number], { name: "p" }, r.spec);
                    assert.deepEqual(apiserverErrors(crd, obj), [], `${crd.release} ${crd.apiVersion}: ${JSON.stringify(obj.spec)}`);
                    assert.deepEqual(prunedFields(crd, obj.spec), []);
                    checked++;
                }
            }),
            { numRuns: 300 },
        );
        assert.ok(checked > 300);
    });

    it("a spec with a field older releases lack is flagged as pruned there, and calicoVersion refuses it", () => {
        const spec = valid({ peerIP: "10.0.0.1", asNumber: 500, localASNumber: 64512 });
        const v331 = loadBgpPeerCrds().find((c) => c.release === "v3.31.7")!;
        const v330 = loadBgpPeerCrds().find((c) => c.release === "v3.30.7")!;
        assert.deepEqual(prunedFields(v331, { ...spec }), []);
        assert.deepEqual(prunedFields(v330, { ...spec }), ["localASNumber"]);
        assert.equal(validateBgpPeer({ spec, calicoVersion: "3.30.7" }).ok, false);
    });

    it("the schema really rejects what the validator calls int32 overflow (so the rule is not invented)", () => {
        const crd = loadBgpPeerCrds().find((c) => c.release === "v3.31.7")!;
        const errors = apiserverErrors(crd, { apiVersion: crd.apiVersion, kind: "BGPPeer", metadata: { name: "p" }, spec: { peerIP: "10.0.0.1", asNumber: 4200000001 } } as never);
        assert.equal(errors.length, 1);
        assert.match(errors[0]!, /asNumber must match format "int32"/);
        assert.equal(validateBgpPeer({ spec: { peerIP: "10.0.0.1", asNumber: 4200000001 } }).ok, false);
    });

    describe("CEL rules (x-kubernetes-validations) of the 3.32 and master CRDs", () => {
        /** A spec breaking each known rule; a rule not listed here fails the next test. */
        const breaking: Record<string, BgpPeerSpec> = {
            "node and nodeSelector cannot both be set": { peerIP: "10.0.0.1", asNumber: 1, node: "n", nodeSelector: "all()" },
            "peerIP and peerSelector cannot both be set": { peerIP: "10.0.0.1", peerSelector: "all()" },
            "asNumber must be empty when peerSelector is set": { peerSelector: "all()", asNumber: 64512 },
            "peerIP must be empty when localWorkloadSelector is set": { localWorkloadSelector: "a == 'b'", peerIP: "10.0.0.1", asNumber: 1 },
            "peerSelector must be empty when localWorkloadSelector is set": { localWorkloadSelector: "a == 'b'", peerSelector: "all()", asNumber: 1 },
            "asNumber is required when localWorkloadSelector is set": { localWorkloadSelector: "a == 'b'" },
            "reachableBy must be empty when peerIP is empty": { peerSelector: "all()", reachableBy: "10.0.0.254" },
            "keepOriginalNextHop and nextHopMode cannot both be set; keepOriginalNextHop is deprecated, use nextHopMode instead": {
                peerIP: "10.0.0.1",
                asNumber: 1,
                keepOriginalNextHop: true,
                nextHopMode: "Self",
            },
        };

        it("every CEL rule in the CRDs is one the validator knows", () => {
            const all = new Set(loadBgpPeerCrds().flatMap((c) => c.celRules.map((r) => r.message)));
            assert.ok(all.size >= 6);
            for (const message of all) assert.ok(message in breaking, `new CEL rule in Calico's CRDs, not covered by validateBgpPeer: ${message}`);
        });

        it("the validator refuses every spec a CEL rule refuses", () => {
            for (const crd of loadBgpPeerCrds().filter((c) => c.celRules.length > 0)) {
                for (const rule of crd.celRules) {
                    const spec = breaking[rule.message]!;
                    assert.ok(celViolations(crd, spec as Record<string, unknown>).includes(rule.message), `${crd.release}: fixture does not break "${rule.message}"`);
                    assert.equal(validateBgpPeer({ spec }).ok, false, `${crd.release}: validator accepts what "${rule.message}" refuses`);
                }
            }
        });

        it("for random field mixes, CEL refusal implies validator refusal", () => {
            const crds = loadBgpPeerCrds().filter((c) => c.celRules.length > 0);
            const mix = fc.record(
                {
                    node: fc.constant("n1"),
                    nodeSelector: fc.constant("all()"),
                    peerIP: fc.constant("10.0.0.1"),
                    peerSelector: fc.constant("rr == 'true'"),
                    asNumber: fc.constantFrom(0, 500),
                    localWorkloadSelector: fc.constant("vm == 'a'"),
                    reachableBy: fc.constant("10.0.0.254"),
                    keepOriginalNextHop: fc.boolean(),
                    nextHopMode: fc.constantFrom("Auto", "Self", "Keep"),
                },
                { requiredKeys: [] },
            );
            fc.assert(
                fc.property(mix, (spec) => {
                    const refusedByCel = crds.some((crd) => celViolations(crd, spec).length > 0);
                    if (refusedByCel) assert.equal(validateBgpPeer({ spec }).ok, false, JSON.stringify(spec));
                }),
                { numRuns: 500 },
            );
        });
    });
});
