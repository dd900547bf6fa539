/**
 * The inputs and the running configuration's reader agree: every address the inputs accept as
 * a neighbor is read back, from the line the device then shows, as that same neighbor.
 * Otherwise the stack's own line makes the block doubtful, and every plan in it (its own
 * removal included) is refused from then on.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { parseNeighborRef, parsePeerAddress } from "../../../provider/core/values";

describe("neighbor addresses: accepted in the inputs means read back as the same neighbor", () => {
    it("refuses IPv4-compatible IPv6 addresses, which the reader takes as doubtful", () => {
        for (const address of ["::b", "::2", "::10.0.0.1", "::a00:1", "0:0:0:0:0:0:c000:2c9"]) {
            const parsed = parsePeerAddress(address);
            assert.equal(parsed.ok, false, address);
            assert.match(!parsed.ok ? parsed.reason : "", /IPv4/, address);
        }
    });

    it("property: any address parsePeerAddress accepts reads back as that address", () => {
        const zeroHeavy = fc
            .tuple(fc.integer({ min: 0, max: 7 }), fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }))
            .map(([zeros, groups]) => groups.map((g, i) => (i < zeros ? 0 : g).toString(16)).join(":"));
        fc.assert(
            fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), zeroHeavy), (address) => {
                const parsed = parsePeerAddress(address);
                if (!parsed.ok) return;
                assert.deepEqual(parseNeighborRef(parsed.value), { kind: "address", address: parsed.value });
            }),
            { numRuns: 3000 },
        );
    });
});
