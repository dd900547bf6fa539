import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { expectProgramFailure, installMocks, Registration, valueOf, find } from "./pulumiMocks";
import { CalicoBgpPeer } from "../../../provider/calico/calicoBgpPeer";
import { CalicoBgpPeerValidationError } from "../../../provider/calico/errors";
import { loadBgpPeerCrds, apiserverErrors, loadCel } from "./crdSchemas";


describe("CalicoBgpPeer (Pulumi resource)", () => {
    let regs: Registration[];
    before(loadCel);
    beforeEach(() => {
        regs = installMocks();
    });

    it("registers a projectcalico.org/v3 BGPPeer by default, with the rendered object as inputs", async () => {
        const peer = new CalicoBgpPeer("adc", { metadata: { name: "bgppeer-global-3040" }, spec: { peerIP: "10.102.33.208", asNumber: 500 } });
        await valueOf(peer.urn);
        const r = find(regs, "kubernetes:projectcalico.org/v3:BGPPeer", "adc");
        assert.deepEqual(r.inputs, {
            apiVersion: "projectcalico.org/v3",
            kind: "BGPPeer",
            metadata: { name: "bgppeer-global-3040", annotations: { "pulumi.com/patchForce": "true" } },
            spec: { peerIP: "10.102.33.208", asNumber: 500 },
        });
        assert.equal(await valueOf(peer.peerName), "bgppeer-global-3040");
        assert.deepEqual(await valueOf(peer.spec), { peerIP: "10.102.33.208", asNumber: 500 });
    });

    it("writes crd.projectcalico.org/v1 on request, same spec", async () => {
        const peer = new CalicoBgpPeer("adc", { apiVersion: "crd.projectcalico.org/v1", spec: { peerIP: "10.102.33.208", asNumber: 500 } });
        await valueOf(peer.urn);
        const r = find(regs, "kubernetes:crd.projectcalico.org/v1:BGPPeer", "adc");
        assert.equal(r.inputs.apiVersion, "crd.projectcalico.org/v1");
        assert.deepEqual(r.inputs.metadata, { annotations: { "pulumi.com/patchForce": "true" } }, "no name: the Kubernetes provider auto-names it");
        const crd = loadBgpPeerCrds().find((c) => c.release === "v3.28.5" && c.apiVersion === "crd.projectcalico.org/v1")!;
        assert.deepEqual(apiserverErrors(crd, r.inputs as never), []);
    });

    it("throws at construction, before registering anything, when the known spec is invalid", () => {
        assert.throws(
            () => new CalicoBgpPeer("adc", { spec: { peerIP: "10.102.33.208" } }),
            (e: unknown) => {
                assert.ok(e instanceof CalicoBgpPeerValidationError);
                assert.ok(pulumi.RunError.isInstance(e), "printed by pulumi without a stack trace");
                assert.deepEqual(e.failures.map((f) => f.field), ["spec.asNumber"]);
                assert.match(e.message, /CalicoBgpPeer "adc" refused before anything was applied/);
                return true;
            },
        );
        assert.equal(regs.length, 0);
    });

    it("refuses an unknown apiVersion", () => {
        assert.throws(() => new CalicoBgpPeer("adc", { apiVersion: "projectcalico.org/v1" as never, spec: { peerIP: "10.0.0.1", asNumber: 1 } }), /apiVersion = "projectcalico.org\/v1": must be "projectcalico.org\/v3" or "crd.projectcalico.org\/v1"/);
    });

    it("validates values that are not known yet as soon as they resolve, and never registers the bad peer", async () => {
        const asn = pulumi.output(Promise.resolve(4200000001));
        // The Pulumi runtime reports a failed registration as an unhandled rejection, which the
        // language host turns into a failed `pulumi up`/`preview`.
        const failure = expectProgramFailure();
        new CalicoBgpPeer("adc", { spec: { peerIP: "10.102.33.208", asNumber: asn } });
        const e = await failure;
        assert.ok(e instanceof CalicoBgpPeerValidationError, String(e));
        assert.match(e.message, /spec\.asNumber = 4200000001: is above 2147483647/);
        assert.equal(regs.filter((r) => r.type.endsWith(":BGPPeer")).length, 0);
    });

    it("accepts outputs that resolve to a valid spec", async () => {
        const name = pulumi.output(Promise.resolve("bgp-password"));
        const peer = new CalicoBgpPeer("adc", {
            metadata: { name: "adc-peer" },
            spec: { peerIP: pulumi.output("10.102.33.208"), asNumber: 500, password: name.apply((n) => ({ secretKeyRef: { name: n, key: "password" } })) },
        });
        await valueOf(peer.urn);
        const r = find(regs, "kubernetes:projectcalico.org/v3:BGPPeer", "adc");
        assert.deepEqual(r.inputs.spec, { peerIP: "10.102.33.208", asNumber: 500, password: { secretKeyRef: { name: "bgp-password", key: "password" } } });
    });

    it("lets the stack overwrite manual edits by default, and leaves conflicts to fail when asked", async () => {
        const kept = new CalicoBgpPeer("strict", { metadata: { name: "strict-peer" }, spec: { peerIP: "10.0.0.1", asNumber: 500 }, overwriteManualEdits: false });
        await valueOf(kept.urn);
        assert.deepEqual(find(regs, "kubernetes:projectcalico.org/v3:BGPPeer", "strict").inputs.metadata, { name: "strict-peer" });
    });

    it("checks the auto-generated name from the resource name", () => {
        assert.throws(() => new CalicoBgpPeer("ADC_Peer", { spec: { peerIP: "10.0.0.1", asNumber: 500 } }), /metadata\.name = "ADC_Peer-<random>"/);
    });

    it("reads an existing BGPPeer by name without validating or managing a spec", async () => {
        const peer = CalicoBgpPeer.getPeer("runbook-peer", "bgppeer-global-3040", { apiVersion: "crd.projectcalico.org/v1" });
        await valueOf(peer.urn);
        const r = find(regs, "kubernetes:crd.projectcalico.org/v1:BGPPeer", "runbook-peer");
        assert.equal(r.inputs.spec, undefined);
        assert.equal(r.inputs.metadata, undefined);
    });

    it("passes resource options through (provider, parent, protect)", async () => {
        const parent = new pulumi.ComponentResource("test:index:Parent", "p", {}, { protect: true });
        const peer = new CalicoBgpPeer("adc", { spec: { peerIP: "10.0.0.1", asNumber: 500 } }, { parent });
        await valueOf(peer.urn);
        assert.match(await valueOf(peer.urn), /test:index:Parent\$kubernetes:projectcalico\.org\/v3:BGPPeer::adc$/);
        assert.equal((peer as unknown as { __protect: boolean }).__protect, true);
    });
});
