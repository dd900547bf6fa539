/**
 * Rendered BGPPeers against a real kube-apiserver serving Calico's CRDs (crd.projectcalico.org/v1,
 * and the native projectcalico.org/v3 CRDs of 3.32): what the validator accepts is stored
 * unchanged; what it refuses is either refused by the apiserver too, or (worse) accepted by it.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { startKubeApiServer, KubeApiServer } from "../../../sandbox/kubeApiServer";
import { validateBgpPeer } from "../../../provider/calico/validate";
import { renderBgpPeer } from "../../../provider/calico/render";
import { BgpPeerSpec, CalicoApiVersion } from "../../../provider/calico/spec";
import { apiRefusal, createCalicoObject, deleteCalicoObject, installNativeV3Crds } from "./kubeHelpers";

const GROUPS: CalicoApiVersion[] = ["crd.projectcalico.org/v1", "projectcalico.org/v3"];

describe("rendered BGPPeers on a real kube-apiserver with Calico's CRDs", function () {
    this.timeout(180_000);
    let kube: KubeApiServer;
    let n = 0;
    before(async () => {
        kube = await startKubeApiServer({ calicoRelease: "v3.32.1" });
        await installNativeV3Crds(kube.kubeconfig, "v3.32.1");
    });
    after(async () => {
        await kube?.stop();
    });

    async function apply(apiVersion: CalicoApiVersion, spec: unknown): Promise<Record<string, any>> {
        const name = `peer-${++n}`;
        try {
            return await createCalicoObject(kube.kubeconfig, { apiVersion, kind: "BGPPeer", metadata: { name }, spec }, "bgppeers");
        } finally {
            await deleteCalicoObject(kube.kubeconfig, apiVersion, "bgppeers", name);
        }
    }

    async function refusal(apiVersion: CalicoApiVersion, spec: unknown): Promise<string> {
        try {
            await apply(apiVersion, spec);
        } catch (e) {
            return apiRefusal(e);
        }
        return "";
    }

    for (const apiVersion of GROUPS) {
        describe(apiVersion, () => {
            it("stores the runbook's peer exactly as rendered", async () => {
                const r = validateBgpPeer({ spec: { peerIP: "10.102.33.208", asNumber: 500 } });
                assert.ok(r.ok);
                const obj = renderBgpPeer(apiVersion, { name: "bgppeer-global-3040" }, r.spec);
                const stored = await createCalicoObject(kube.kubeconfig, obj, "bgppeers");
                try {
                    assert.equal(stored.apiVersion, apiVersion);
                    assert.deepEqual(stored.spec, { peerIP: "10.102.33.208", asNumber: 500 });
                } finally {
                    await deleteCalicoObject(kube.kubeconfig, apiVersion, "bgppeers", "bgppeer-global-3040");
                }
            });

            it("stores every spec the validator accepts unchanged (no field pruned or rewritten)", async () => {
                const specs = fc.sample(
                    fc.record(
                        {
                            peerIP: fc.constantFrom("10.102.33.208", "10.102.33.208:1179", "fd00::208", "[fd00::208]:179"),
                            asNumber: fc.integer({ min: 1, max: 2147483647 }),
                            localASNumber: fc.integer({ min: 1, max: 2147483647 }),
                            maxRestartTime: fc.constantFrom("120s", "2m"),
                            keepaliveTime: fc.constantFrom("10s", "1m"),
                            ttlSecurity: fc.integer({ min: 0, max: 255 }),
                            numAllowedLocalASNumbers: fc.integer({ min: 0, max: 5 }),
                            sourceAddress: fc.constantFrom("UseNodeIP", "None"),
                            nextHopMode: fc.constantFrom("Auto", "Self", "Keep"),
                            filters: fc.constant(["export-pods"]),
                            password: fc.constant({ secretKeyRef: { name: "bgp-password", key: "password" } }),
                            nodeSelector: fc.constant("rack == 'a'"),
                        },
                        { requiredKeys: ["peerIP", "asNumber"] },
                    ),
                    25,
                );
                for (const raw of specs) {
                    const r = validateBgpPeer({ spec: raw });
                    assert.ok(r.ok, JSON.stringify(raw));
                    const stored = await apply(apiVersion, renderBgpPeer(apiVersion, {}, r.spec).spec);
                    assert.deepEqual(stored.spec, { ...r.spec }, JSON.stringify(raw));
                }
            });

            it("refuses, like the validator, an AS number above int32", async () => {
                const spec = { peerIP: "10.102.33.208", asNumber: 4200000001 };
                assert.equal(validateBgpPeer({ spec }).ok, false);
                assert.match(await refusal(apiVersion, spec), /format int32 in spec\.asNumber/);
            });

            it("refuses, like the validator, node and nodeSelector together (3.32's CEL rule)", async () => {
                const spec: BgpPeerSpec = { peerIP: "10.102.33.208", asNumber: 500, node: "n1", nodeSelector: "all()" };
                assert.equal(validateBgpPeer({ spec }).ok, false);
                assert.match(await refusal(apiVersion, spec), /node and nodeSelector cannot both be set/);
            });

            it("ACCEPTS a peerIP peer without asNumber, which stalls BIRD on every node: only the validator stops it", async () => {
                const spec = { peerIP: "10.102.33.208" };
                assert.equal(await refusal(apiVersion, spec), "", "the apiserver stores it");
                const r = validateBgpPeer({ spec });
                assert.ok(!r.ok);
                assert.deepEqual(r.failures.map((f) => f.field), ["spec.asNumber"]);
            });

            it("refuses, like the validator, a numAllowedLocalASNumbers above int32 (calico#8565)", async () => {
                const spec = { peerIP: "10.102.33.208", asNumber: 500, numAllowedLocalASNumbers: 4200010201 };
                assert.equal(validateBgpPeer({ spec }).ok, false);
                assert.match(await refusal(apiVersion, spec), /format int32 in spec\.numAllowedLocalASNumbers/);
            });

            it("ACCEPTS a ttlSecurity calico-node cannot decode (uint8): only the validator stops it", async () => {
                const spec = { peerIP: "10.102.33.208", asNumber: 500, ttlSecurity: 300 };
                assert.equal(await refusal(apiVersion, spec), "");
                assert.equal(validateBgpPeer({ spec }).ok, false);
            });

            it("silently DROPS an Enterprise-only field: only the validator reports it", async () => {
                const stored = await apply(apiVersion, { peerIP: "10.102.33.208", asNumber: 500, failureDetectionMode: "BFDIfDirectlyConnected" });
                assert.deepEqual(stored.spec, { peerIP: "10.102.33.208", asNumber: 500 });
                assert.equal(validateBgpPeer({ spec: { peerIP: "10.102.33.208", asNumber: 500, failureDetectionMode: "BFDIfDirectlyConnected" } }).ok, false);
            });

            it("refuses, like the validator, a name that is not a DNS subdomain", async () => {
                assert.equal(validateBgpPeer({ name: "BGP_Peer", spec: { peerIP: "10.0.0.1", asNumber: 1 } }).ok, false);
                await assert.rejects(createCalicoObject(kube.kubeconfig, { apiVersion, kind: "BGPPeer", metadata: { name: "BGP_Peer" }, spec: { peerIP: "10.0.0.1", asNumber: 1 } }, "bgppeers"), (e: unknown) =>
                    /a lowercase RFC 1123 subdomain/.test(apiRefusal(e)),
                );
            });
        });
    }
});
