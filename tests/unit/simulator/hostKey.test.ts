import { strict as assert } from "assert";
import { loadHostKey } from "../../../simulator/hostKey";

describe("simulator host key", () => {
    it("every throw-away key loads (ssh2's generator alone makes an unparsable one about 3 times in 1000)", () => {
        const fingerprints = new Set<string>();
        for (let i = 0; i < 1000; i++) fingerprints.add(loadHostKey(undefined).fingerprint);
        assert.equal(fingerprints.size, 1000, "each one new");
    });
});
