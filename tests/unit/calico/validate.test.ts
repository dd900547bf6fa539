import { strict as assert } from "assert";
import { validateBgpPeer, ValidationFailure, parsePeerIP } from "../../../provider/calico/validate";
import { formatFailures, CalicoBgpPeerValidationError } from "../../../provider/calico/errors";
import { nameProblem, suggestName, isValidName } from "../../../provider/calico/names";
import { parseCalicoRelease } from "../../../provider/calico/spec";

const RUNBOOK = { peerIP: "10.102.33.208", asNumber: 500 };

function failures(spec: unknown, extra: { name?: unknown; calicoVersion?: unknown; autoNamePrefix?: string } = {}): ValidationFailure[] {
    const r = validateBgpPeer({ spec, ...extra });
    assert.equal(r.ok, false, `expected ${JSON.stringify(spec)} to be refused`);
    return r.ok ? [] : r.failures;
}

function only(spec: unknown, extra: { name?: unknown; calicoVersion?: unknown; autoNamePrefix?: string } = {}): ValidationFailure {
    const f = failures(spec, extra);
    assert.equal(f.length, 1, `expected exactly one failure, got:\n${formatFailures(f)}`);
    return f[0]!;
}

describe("validateBgpPeer", () => {
    it("accepts the runbook's global peer and returns it unchanged", () => {
        const r = validateBgpPeer({ name: "bgppeer-global-3040", spec: RUNBOOK });
        assert.ok(r.ok);
        assert.deepEqual({ ...r.spec }, RUNBOOK);
    });

    it("drops what Calico treats as unset, so the stored object matches what the API returns", () => {
        const r = validateBgpPeer({ spec: { ...RUNBOOK, node: "", filters: [], keepOriginalNextHop: false, nodeSelector: undefined, sourceAddress: null } });
        assert.ok(r.ok);
        assert.deepEqual({ ...r.spec }, RUNBOOK);
    });

    describe("peerIP without asNumber (Calico stores it, then BIRD stalls on every node)", () => {
        it("is refused with the consequence and the fix", () => {
            const f = only({ peerIP: "10.102.33.208" });
            assert.equal(f.field, "spec.asNumber");
            assert.equal(f.value, undefined);
            assert.match(f.reason, /is required with spec\.peerIP \("10\.102\.33\.208"\)/);
            assert.match(f.reason, /every node stops applying BGP changes/);
            assert.match(f.reason, /set asNumber to the peer's AS/);
        });
        it("treats asNumber 0 as unset", () => {
            const f = failures({ peerIP: "10.0.0.1", asNumber: 0 });
            assert.deepEqual(f.map((x) => x.field), ["spec.asNumber"]);
            assert.match(f[0]!.reason, /0 means "unset"/);
        });
    });

    describe("AS numbers Calico's int32 fields cannot hold", () => {
        for (const field of ["asNumber", "localASNumber"] as const) {
            it(`refuses ${field} 2147483648 and above, accepts 2147483647`, () => {
                const base = field === "asNumber" ? { peerIP: "10.0.0.1" } : RUNBOOK;
                const f = only({ ...base, [field]: 4200000001 });
                assert.equal(f.field, `spec.${field}`);
                assert.equal(f.value, 4200000001);
                assert.match(f.reason, /above 2147483647/);
                assert.match(f.reason, /must be of type integer with format int32/);
                assert.match(f.reason, /4200000000-4294967294 cannot be used/);
                assert.equal(only({ ...base, [field]: 2147483648 }).field, `spec.${field}`);
                assert.ok(validateBgpPeer({ spec: { ...base, [field]: 2147483647 } }).ok);
            });
        }
        it("refuses a numAllowedLocalASNumbers that is really an AS number above int32 (calico#8565)", () => {
            const f = only({ ...RUNBOOK, numAllowedLocalASNumbers: 4200010201 });
            assert.equal(f.field, "spec.numAllowedLocalASNumbers");
            assert.match(f.reason, /breaks calico-node's decoding of every BGPPeer/);
            assert.match(f.reason, /not an AS number: use e\.g\. 1/);
            assert.ok(validateBgpPeer({ spec: { ...RUNBOOK, numAllowedLocalASNumbers: 1 } }).ok);
        });
        it("refuses ttlSecurity outside a uint8", () => {
            assert.equal(only({ ...RUNBOOK, ttlSecurity: 256 }).field, "spec.ttlSecurity");
            assert.equal(only({ ...RUNBOOK, ttlSecurity: -1 }).field, "spec.ttlSecurity");
            assert.ok(validateBgpPeer({ spec: { ...RUNBOOK, ttlSecurity: 255 } }).ok);
        });
        it("refuses AS numbers given as strings (the CRD accepts integers only) and says how to read them", () => {
            const f = only({ peerIP: "10.0.0.1", asNumber: "500" });
            assert.equal(f.field, "spec.asNumber");
            assert.match(f.reason, /config\.requireNumber/);
            assert.equal(only({ peerIP: "10.0.0.1", asNumber: 500.5 }).field, "spec.asNumber");
        });
    });

    describe("names", () => {
        it("refuses names Calico rejects and suggests a valid one", () => {
            for (const bad of ["My_Peer", "peer_1", "-peer", "peer-", "Peer", "a..b", "x".repeat(254), ""]) {
                assert.ok(nameProblem(bad), bad);
            }
            const f = only(RUNBOOK, { name: "BGP_Peer.ADC" });
            assert.equal(f.field, "metadata.name");
            assert.equal(f.value, "BGP_Peer.ADC");
            assert.match(f.reason, /lower-case letters, digits, '-' and '\.'/);
            assert.match(f.reason, /Use e\.g\. "bgp-peer\.adc"/);
            assert.ok(isValidName(suggestName("BGP_Peer.ADC")));
        });
        it("accepts DNS-1123 subdomains up to 253 characters", () => {
            for (const good of ["a", "bgppeer-global-3040", "adc.example.com", "0-peer", "a".repeat(253)]) {
                assert.equal(nameProblem(good), undefined, good);
            }
        });
        it("checks the auto-generated name when no name is given", () => {
            const f = only(RUNBOOK, { autoNamePrefix: "ADC_Peer" });
            assert.equal(f.field, "metadata.name");
            assert.equal(f.value, "ADC_Peer-<random>");
            assert.match(f.reason, /auto-named "ADC_Peer-<8 hex digits>"/);
            assert.match(f.reason, /"adc-peer"/);
            assert.ok(validateBgpPeer({ spec: RUNBOOK, autoNamePrefix: "adc-peer" }).ok);
        });
        it("checks node, Secret and BGPFilter names", () => {
            assert.equal(only({ ...RUNBOOK, node: "Node_1" }).field, "spec.node");
            assert.equal(only({ ...RUNBOOK, filters: ["ok", "Not_OK"] }).field, "spec.filters[1]");
            assert.equal(only({ ...RUNBOOK, password: { secretKeyRef: { name: "BGP_Secret", key: "pw" } } }).field, "spec.password.secretKeyRef.name");
            assert.equal(only({ ...RUNBOOK, password: { secretKeyRef: { name: "bgp", key: "pw/1" } } }).field, "spec.password.secretKeyRef.key");
        });
        it("suggests valid names for any input", () => {
            for (const s of ["A", "__", "..a..", "Ä-Ö", "-x-", "a.-b", "x".repeat(400), ""]) assert.ok(isValidName(suggestName(s)), `${s} → ${suggestName(s)}`);
        });
    });

    describe("mutually exclusive fields", () => {
        const cases: [string, Record<string, unknown>, string, RegExp][] = [
            ["node and nodeSelector", { ...RUNBOOK, node: "n1", nodeSelector: "all()" }, "spec.nodeSelector", /cannot be set together with spec\.node \("n1"\)/],
            ["peerIP and peerSelector", { peerIP: "10.0.0.1", peerSelector: "rr == 'true'" }, "spec.peerSelector", /cannot be set together with spec\.peerIP/],
            ["asNumber and peerSelector", { peerSelector: "rr == 'true'", asNumber: 64512 }, "spec.asNumber", /must be empty when spec\.peerSelector is set/],
            ["peerIP and localWorkloadSelector", { peerIP: "10.0.0.1", asNumber: 65000, localWorkloadSelector: "vm == 'a'" }, "spec.peerIP", /must be empty when spec\.localWorkloadSelector/],
            ["peerSelector and localWorkloadSelector", { peerSelector: "a == 'b'", localWorkloadSelector: "vm == 'a'", asNumber: 1 }, "spec.peerSelector", /must be empty when spec\.localWorkloadSelector/],
            ["localWorkloadSelector without asNumber", { localWorkloadSelector: "vm == 'a'" }, "spec.asNumber", /is required when spec\.localWorkloadSelector/],
            ["keepOriginalNextHop and nextHopMode", { ...RUNBOOK, keepOriginalNextHop: true, nextHopMode: "Self" }, "spec.keepOriginalNextHop", /deprecated; drop it and use nextHopMode "Keep"/],
            ["reachableBy without peerIP", { peerSelector: "a == 'b'", reachableBy: "10.0.0.254" }, "spec.reachableBy", /needs spec\.peerIP/],
            ["reachableBy of the other family", { ...RUNBOOK, reachableBy: "fd00::1" }, "spec.reachableBy", /is IPv6 but spec\.peerIP is IPv4/],
            ["nothing to peer with", { asNumber: 500 }, "spec.peerIP", /needs peerIP .*, peerSelector .* or localWorkloadSelector/],
        ];
        for (const [what, spec, field, reason] of cases) {
            it(`refuses ${what}`, () => {
                const f = failures(spec);
                const hit = f.find((x) => x.field === field);
                assert.ok(hit, `no failure on ${field}:\n${formatFailures(f)}`);
                assert.match(hit.reason, reason);
            });
        }
        it("allows keepOriginalNextHop false with nextHopMode (as Calico does) and drops it", () => {
            const r = validateBgpPeer({ spec: { ...RUNBOOK, keepOriginalNextHop: false, nextHopMode: "Keep" } });
            assert.ok(r.ok);
            assert.equal(r.spec.keepOriginalNextHop, undefined);
        });
    });

    describe("field formats", () => {
        it("parses peerIP the way Calico's IP:port validator does", () => {
            assert.deepEqual(parsePeerIP("10.0.0.5"), { address: "10.0.0.5", family: "ipv4" });
            assert.deepEqual(parsePeerIP("10.0.0.5:1179"), { address: "10.0.0.5", family: "ipv4", port: 1179 });
            assert.deepEqual(parsePeerIP("fd00::5"), { address: "fd00::5", family: "ipv6" });
            assert.deepEqual(parsePeerIP("[fd00::5]:179"), { address: "fd00::5", family: "ipv6", port: 179 });
            for (const bad of ["10.0.0.5:0", "10.0.0.5:65536", "10.0.0", "adc.example.com", "[10.0.0.1]:179", "fe80::1%eth0", "10.0.0.256"]) {
                assert.equal(typeof parsePeerIP(bad), "string", bad);
                assert.equal(only({ peerIP: bad, asNumber: 500 }).field, "spec.peerIP", bad);
            }
        });
        it("refuses durations calico-node cannot decode", () => {
            for (const good of ["120s", "2m", "1m30s", "1.5h", "0"]) assert.ok(validateBgpPeer({ spec: { ...RUNBOOK, maxRestartTime: good } }).ok, good);
            for (const bad of ["120", "2 minutes", "-5s", "", " 5s"]) {
                if (bad === "") continue; // "" means unset
                const f = only({ ...RUNBOOK, keepaliveTime: bad });
                assert.equal(f.field, "spec.keepaliveTime", bad);
                assert.match(f.reason, /Go duration such as "120s"/);
            }
        });
        it("refuses values outside the enums", () => {
            assert.match(only({ ...RUNBOOK, nextHopMode: "self" }).reason, /must be one of "Auto", "Self", "Keep"/);
            assert.equal(only({ ...RUNBOOK, sourceAddress: "NodeIP" }).field, "spec.sourceAddress");
            assert.equal(only({ peerSelector: "a == 'b'", reversePeering: "auto" }).field, "spec.reversePeering");
        });
        it("refuses blank and over-long selectors", () => {
            assert.match(only({ ...RUNBOOK, nodeSelector: "  " }).reason, /is blank/);
            assert.match(only({ ...RUNBOOK, nodeSelector: "a == 'b' || ".repeat(100) + "all()" }).reason, /at most 1024/);
        });
    });

    describe("passwords", () => {
        it("accepts a secretKeyRef", () => {
            const spec = { ...RUNBOOK, password: { secretKeyRef: { name: "bgp-password", key: "password" } } };
            const r = validateBgpPeer({ spec });
            assert.ok(r.ok);
            assert.deepEqual(r.spec.password, spec.password);
        });
        it("refuses a literal password without echoing it", () => {
            for (const password of ["hunter2", { value: "hunter2" }, { secretKeyRef: { name: "s", key: "k", value: "hunter2" } }]) {
                const f = failures({ ...RUNBOOK, password });
                assert.match(f[0]!.reason, /only from a Secret/);
                assert.doesNotMatch(formatFailures(f), /hunter2/);
            }
        });
    });

    describe("unknown and Enterprise-only fields", () => {
        it("refuses Calico Enterprise fields with the reason", () => {
            const f = only({ ...RUNBOOK, failureDetectionMode: "BFDIfDirectlyConnected" });
            assert.equal(f.field, "spec.failureDetectionMode");
            assert.match(f.reason, /only in Calico Enterprise/);
        });
        it("refuses misspelt fields, suggesting the right spelling", () => {
            const f = only({ peerIp: "10.0.0.1", asNumber: 500, peerIP: "10.0.0.1" });
            assert.equal(f.field, "spec.peerIp");
            assert.match(f.reason, /did you mean "peerIP"\?/);
        });
    });

    describe("calicoVersion", () => {
        it("refuses fields the cluster's Calico would prune, naming the release that has them", () => {
            const f = only({ ...RUNBOOK, keepaliveTime: "10s" }, { calicoVersion: "3.31.7" });
            assert.equal(f.field, "spec.keepaliveTime");
            assert.match(f.reason, /needs Calico 3\.32\.0 or later; Calico 3\.31\.7/);
            assert.ok(validateBgpPeer({ spec: { ...RUNBOOK, keepaliveTime: "10s" }, calicoVersion: "v3.32.1" }).ok);
        });
        it("knows patch releases: nextHopMode arrived in 3.30.2, password in 3.16.2", () => {
            assert.equal(only({ ...RUNBOOK, nextHopMode: "Self" }, { calicoVersion: "3.30.1" }).field, "spec.nextHopMode");
            assert.ok(validateBgpPeer({ spec: { ...RUNBOOK, nextHopMode: "Self" }, calicoVersion: "3.30.2" }).ok);
            assert.ok(validateBgpPeer({ spec: { ...RUNBOOK, nextHopMode: "Self" }, calicoVersion: "3.30" }).ok, "3.30 means any 3.30.x");
            assert.equal(only({ ...RUNBOOK, password: { secretKeyRef: { name: "s", key: "k" } } }, { calicoVersion: "3.16.1" }).field, "spec.password");
        });
        it("refuses a peerIP port before 3.16", () => {
            assert.match(only({ peerIP: "10.0.0.1:1179", asNumber: 500 }, { calicoVersion: "3.15.5" }).reason, /port in peerIP needs Calico 3\.16\.0/);
        });
        it("refuses a calicoVersion it cannot read", () => {
            assert.equal(only(RUNBOOK, { calicoVersion: "latest" }).field, "calicoVersion");
            assert.deepEqual(parseCalicoRelease("v3.31.7"), [3, 31, 7]);
        });
    });

    it("reports every problem at once", () => {
        const f = failures({ peerIP: "10.0.0.1", asNumber: 4294967295, ttlSecurity: 300, node: "a", nodeSelector: "all()" }, { name: "Bad_Name" });
        assert.deepEqual(f.map((x) => x.field).sort(), ["metadata.name", "spec.asNumber", "spec.nodeSelector", "spec.ttlSecurity"]);
    });

    it("builds an error whose message names each field, the value and the fix", () => {
        const r = validateBgpPeer({ spec: { peerIP: "10.102.33.208", asNumber: 4200000001 } });
        assert.ok(!r.ok);
        const err = new CalicoBgpPeerValidationError("adc", r.failures);
        assert.equal(
            err.message.split("\n")[0],
            'CalicoBgpPeer "adc" refused before anything was applied (1 problem):',
        );
        assert.match(err.message, /^ {2}spec\.asNumber = 4200000001: is above 2147483647/m);
        assert.match(err.message, /use an AS number up to 2147483647/);
        assert.deepEqual(err.failures, r.failures);
    });

    it("refuses a spec that is not an object", () => {
        assert.equal(only("peerIP: 1.2.3.4").field, "spec");
        assert.equal(only(null).field, "spec");
    });
});
