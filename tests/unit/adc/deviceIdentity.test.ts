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
    const pair = (a: ReturnType<typeof at>, b: ReturnType<typeof at>) => ({ nodes: [a, b] });
    const THIRD = "SHA256:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
    it("an HA pair is both its keys: a node given as its pair, the nodes swapped, or one node re-keyed stay the same device", () => {
        const both = pair(at("10.102.33.1", 22, KEY), at("10.102.33.2", 22, OTHER));
        assert.equal(anotherDevice(at("10.102.33.1", 22, KEY), both), false, "a single node becomes its pair");
        assert.equal(anotherDevice(at("10.102.33.9", 22, OTHER), both), false, "a shared address that presented the other node's key");
        assert.equal(anotherDevice(both, pair(at("10.102.33.2", 22, OTHER), at("10.102.33.1", 22, KEY))), false);
        assert.equal(anotherDevice(both, pair(at("10.102.33.1", 22, KEY), at("10.102.33.3", 22, THIRD))), false, "a replaced secondary");
        assert.equal(anotherDevice(both, at("10.102.33.2", 22, OTHER)), false, "the pair narrowed to one of its nodes");
    });
    it("a pair sharing no key with the stored device is another device; without keys, other addresses are", () => {
        assert.equal(anotherDevice(at("10.102.33.1", 22, KEY), pair(at("10.102.33.1", 22, OTHER), at("10.102.33.2", 22, THIRD))), true);
        assert.equal(anotherDevice(pair(at("10.102.33.1", 22, null), at("10.102.33.2", 22, null)), pair(at("10.102.33.1", 22, null), at("10.102.33.3", 22, null))), true);
        assert.equal(anotherDevice(pair(at("10.102.33.1", 22, null), at("10.102.33.2", 22, null)), pair(at("10.102.33.1", 22, null), at("10.102.33.2", 22, null))), false);
        assert.equal(anotherDevice(pair(at("10.102.33.1", 22, KEY), at("10.102.33.2", 22, OTHER)), pair(at("10.102.33.1", 22, KEY), at("10.102.33.2", 22, UNKNOWN))), true, "a key not known yet");
    });
    it("a key not known yet (preview) may be another device", () => {
        assert.equal(anotherDevice(at("10.102.33.1", 22, KEY), { host: "10.102.33.1", port: 22, hostKeyFingerprint: UNKNOWN }), true);
    });
});
