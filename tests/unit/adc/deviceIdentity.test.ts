import { strict as assert } from "assert";
import { anotherDevice } from "../../../provider/adc/state";
import { UNKNOWN } from "../../../provider/adc/inputs";

const at = (host: string, port: number, hostKeyFingerprint: string | null) => ({ host, port, hostKeyFingerprint });
const KEY = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const OTHER = "SHA256:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

describe("device identity in the diff (adc/state anotherDevice)", () => {
    it("the same host key at another address or port is the same device", () => {
        assert.equal(anotherDevice(at("10.102.33.1", 22, KEY), at("adc1.example.net", 2222, KEY)), false);
    });
    it("another host key is another device, wherever it is reached", () => {
        assert.equal(anotherDevice(at("10.102.33.1", 22, KEY), at("10.102.33.1", 22, OTHER)), true);
    });
    it("without a key on both sides, another address or port cannot be proven the same device", () => {
        assert.equal(anotherDevice(at("10.102.33.1", 22, null), at("10.102.33.1", 2222, null)), true);
        assert.equal(anotherDevice(at("10.102.33.1", 22, null), at("10.102.33.2", 22, KEY)), true);
        assert.equal(anotherDevice(at("10.102.33.1", 22, null), at("10.102.33.1", 22, KEY)), false, "adding the key for the same address");
    });
    it("a key not known yet (preview) may be another device", () => {
        assert.equal(anotherDevice(at("10.102.33.1", 22, KEY), { host: "10.102.33.1", port: 22, hostKeyFingerprint: UNKNOWN }), true);
    });
});
