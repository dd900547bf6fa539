import { strict as assert } from "assert";
import * as fc from "fast-check";
import { EMPTY_CONFIG, emptyRouter, runningNeighbor, type Neighbor, type RunningConfig, type RunningNeighbor } from "../../../provider/core/model";
import { planNeighbors } from "../../../provider/core/plan";
import { digestMatches, passwordDigest, passwordsSent, readRememberedPasswords, rememberAfterApply, samePassword } from "../../../provider/core/passwords";
import type { Asn, IpAddress } from "../../../provider/core/values";

const ip = (s: string) => s as IpAddress;
const A = ip("10.0.0.1");

function neighbor(password: string | null): Neighbor {
    return { address: A, remoteAsn: 64512 as Asn, description: null, password, updateSource: null, ebgpMultihop: null };
}
function shown(password: string | null): ReadonlyMap<IpAddress, RunningNeighbor> {
    return new Map([[A, runningNeighbor(neighbor(password))]]);
}
/** The device as the planner sees it: router bgp 500 with one neighbor showing `form`. */
function device(form: string | null): RunningConfig {
    return { ...EMPTY_CONFIG, routers: [{ ...emptyRouter(500 as Asn), neighbors: shown(form) }] };
}

describe("password identity (core/passwords)", () => {
    it("a digest matches exactly the password it was made from, and holds only a key and a digest", () => {
        fc.assert(
            fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (p, q) => {
                const d = passwordDigest(p);
                assert.equal(digestMatches(d, p), true);
                assert.equal(digestMatches(d, q), p === q);
                assert.match(d, /^hmac-sha256:[0-9a-f]{32}:[0-9a-f]{64}$/, "key and digest only");
            }),
        );
    });

    it("two digests of one password differ (each has its own key), and a digest of another shape matches nothing", () => {
        assert.notEqual(passwordDigest("pw"), passwordDigest("pw"));
        for (const bad of ["", "pw", "sha256:00", `hmac-sha256:${"0".repeat(32)}:zz`]) assert.equal(digestMatches(bad, "pw"), false);
    });

    it("the planner sends a changed password although the device still shows the form it showed after the old one", () => {
        for (const form of ["old-pw", "8 0123456789abcdef0123456789abcdef"]) {
            const remembered = { [A]: { shown: form, digest: passwordDigest("old-pw") } };
            const unchanged = planNeighbors(device(form), 500 as Asn, [neighbor("old-pw")], new Set([A]), false, samePassword(remembered));
            assert.ok(unchanged.ok);
            assert.deepEqual(unchanged.changes, [], `same password, form ${form}: nothing to send`);
            const changed = planNeighbors(device(form), 500 as Asn, [neighbor("new-pw")], new Set([A]), false, samePassword(remembered));
            assert.ok(changed.ok);
            assert.deepEqual(changed.changes, [{ op: "set-neighbor-attribute", asn: 500, address: A, attribute: "password", value: "new-pw" }]);
        }
    });

    it("a form the device shows that is not the remembered one is drift, whatever password is wanted", () => {
        const same = samePassword({ [A]: { shown: "8 aaaa", digest: passwordDigest("pw") } });
        assert.equal(same(A, "8 bbbb", "pw"), false);
        assert.equal(same(A, "8 aaaa", "pw"), true);
        assert.equal(same(A, "pw", "pw"), true, "in clear");
    });

    it("after an apply: a sent password the device still shows in its previous form was not taken", () => {
        const prev = { [A]: { shown: "8 aaaa", digest: passwordDigest("old") } };
        const notTaken = rememberAfterApply([neighbor("new")], shown("8 aaaa"), shown("8 aaaa"), new Set([A]), prev);
        assert.deepEqual(notTaken.notTaken, [A]);
        assert.equal(notTaken.remembered[A], prev[A], "keeps what the form stands for");

        const taken = rememberAfterApply([neighbor("new")], shown("8 aaaa"), shown("8 cccc"), new Set([A]), prev);
        assert.deepEqual(taken.notTaken, []);
        assert.equal(taken.remembered[A]!.shown, "8 cccc");
        assert.ok(digestMatches(taken.remembered[A]!.digest, "new"));

        const clear = rememberAfterApply([neighbor("new")], shown("old"), shown("new"), new Set([A]), {});
        assert.deepEqual(clear.notTaken, [], "in clear, the new password shown is proof");

        const quiet = rememberAfterApply([neighbor("old")], shown("8 aaaa"), shown("8 aaaa"), new Set(), prev);
        assert.equal(quiet.remembered[A], prev[A], "an unchanged entry is kept as it was (no churn in the state)");
    });

    it("knows which changes send a password", () => {
        const sent = passwordsSent([
            { op: "add-neighbor", asn: 500 as Asn, neighbor: { ...neighbor("x"), address: ip("10.0.0.2") } },
            { op: "add-neighbor", asn: 500 as Asn, neighbor: { ...neighbor(null), address: ip("10.0.0.3") } },
            { op: "set-neighbor-attribute", asn: 500 as Asn, address: A, attribute: "password", value: "y" },
            { op: "set-neighbor-attribute", asn: 500 as Asn, address: ip("10.0.0.4"), attribute: "password", value: null },
        ]);
        assert.deepEqual([...sent].sort(), ["10.0.0.1", "10.0.0.2"]);
    });

    it("reads state of every version: records, bare forms (standing for the stored password), and junk", () => {
        const record = { shown: "8 aa", digest: passwordDigest("p") };
        const read = readRememberedPasswords({ "10.0.0.1": record, "10.0.0.2": "8 bb", "10.0.0.3": "8 cc", "10.0.0.4": 7 }, { "10.0.0.2": "q" });
        assert.deepEqual(Object.keys(read).sort(), ["10.0.0.1", "10.0.0.2"]);
        assert.deepEqual(read["10.0.0.1"], record);
        assert.equal(read["10.0.0.2"]!.shown, "8 bb");
        assert.ok(digestMatches(read["10.0.0.2"]!.digest, "q"));
        assert.deepEqual(readRememberedPasswords(undefined), {});
    });
});
