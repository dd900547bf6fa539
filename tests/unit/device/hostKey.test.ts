import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { hostKeyFingerprint, hostKeyMatches, parseHostKeyFingerprint } from "../../../provider/device/hostKey";

/** Generates a key with ssh-keygen and returns its public blob and what `ssh-keygen -lf` prints. */
let generated = 0;
function generate(dir: string, type: string, bits?: string): { blob: Buffer; printed: string } {
    const file = join(dir, `key-${type}-${++generated}`);
    execFileSync("ssh-keygen", ["-q", "-t", type, ...(bits ? ["-b", bits] : []), "-N", "", "-C", "test", "-f", file]);
    const blob = Buffer.from(readFileSync(`${file}.pub`, "utf8").split(" ")[1], "base64");
    const printed = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", `${file}.pub`], { encoding: "utf8" }).split(" ")[1];
    return { blob, printed };
}

describe("device/hostKey: fingerprints as ssh-keygen prints them", () => {
    let dir: string;
    before(() => {
        dir = mkdtempSync(join(tmpdir(), "adc-hostkey-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    for (const [type, bits] of [["ed25519"], ["ecdsa", "256"], ["rsa", "2048"]] as const) {
        it(`computes the same fingerprint as ssh-keygen -lf for ${type}`, () => {
            const { blob, printed } = generate(dir, type, bits);
            assert.match(printed, /^SHA256:[A-Za-z0-9+/]{43}$/);
            assert.equal(hostKeyFingerprint(blob), printed);
            const digest = parseHostKeyFingerprint(printed);
            assert.ok(digest);
            assert.ok(hostKeyMatches(blob, digest));
        });
    }

    it("accepts the fingerprint with or without the SHA256: prefix and with or without padding", () => {
        const { blob, printed } = generate(dir, "ed25519");
        const body = printed.slice("SHA256:".length);
        for (const form of [printed, body, `${printed}=`, `${body}=`]) {
            const digest = parseHostKeyFingerprint(form);
            assert.ok(digest, form);
            assert.ok(hostKeyMatches(blob, digest), form);
        }
    });

    it("rejects every other form", () => {
        const { printed } = generate(dir, "ecdsa");
        const body = printed.slice("SHA256:".length);
        const urlSafe = body.replace(/\+/g, "-").replace(/\//g, "_");
        const bad = [
            "",
            "sha256:" + body,
            "SHA256: " + body,
            ` ${printed}`,
            `${printed}\n`,
            `${printed}==`,
            body.slice(0, 42),
            body + "A",
            "MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48",
            "16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48",
            // Non-canonical last character: decodes to the same bytes but is not what ssh-keygen prints.
            body.slice(0, 42) + "B",
        ];
        if (urlSafe !== body) bad.push(urlSafe);
        for (const form of bad) assert.equal(parseHostKeyFingerprint(form), undefined, JSON.stringify(form));
    });

    it("does not match another key", () => {
        const a = generate(dir, "ed25519");
        const b = generate(dir, "ed25519");
        assert.equal(hostKeyMatches(a.blob, parseHostKeyFingerprint(b.printed) as Buffer), false);
    });
});
