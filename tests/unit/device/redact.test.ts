import * as assert from "assert";
import fc from "fast-check";
import { PassThrough } from "stream";
import { utils } from "ssh2";
import { Channel } from "../../../provider/device/channel";
import { AdcTimeoutError } from "../../../provider/device/errors";
import { compilePlatform, NETSCALER } from "../../../provider/device/platform";
import { REDACTED, Redactor, redactedForm, redactSecretShapes } from "../../../provider/device/redact";
import { renderChanges, renderRunningConfig } from "../../../provider/core/render";
import { EMPTY_CONFIG, emptyRouter } from "../../../provider/core/model";
import type { Asn, IpAddress } from "../../../provider/core/values";
import { parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { planNeighbors } from "../../../provider/core/plan";
import { conflictError } from "../../../provider/adc/conflicts";

/**
 * Lines in the forms devices print them, each with the secret it carries. The vtysh forms are
 * ZebOS/FRR/Quagga running-config syntax (`neighbor X password`, Cisco-style type 7 and 8
 * encrypted forms, OSPF/RIP/IS-IS keys). The nscli forms are those of a NetScaler ns.conf:
 * secrets saved encrypted as `-password <hex> -encrypted -encryptmethod ENCMTHD_3` (as on
 * `set ns rpcNode`, `-ldapBindDnPassword` on `add authentication ldapAction`, `-radKey` on
 * `add authentication radiusAction`, `-keyValue` on `set ns encryptionParams`, documented in the
 * NetScaler command reference), system users' hashes as `set system user nsroot <hash> -encrypted`.
 */
const SECRET_LINES: readonly { line: string; secret: string }[] = [
    { line: " neighbor 10.102.33.202 password Md5-Clear-1", secret: "Md5-Clear-1" },
    { line: " neighbor 10.102.33.203 password 7 0822455D0A16", secret: "0822455D0A16" },
    { line: " neighbor 10.102.33.204 password 8 3f0a9b1c2d3e4f5061728394a5b6c7d8", secret: "3f0a9b1c2d3e4f5061728394a5b6c7d8" },
    { line: " neighbor PEERS password Group-Secret", secret: "Group-Secret" },
    { line: "no neighbor 10.0.0.1 password Old-Secret", secret: "Old-Secret" },
    { line: "ns(config-router)#neighbor 10.0.0.9 password Echoed-Secret", secret: "Echoed-Secret" },
    { line: " neighbor fd00::2 password v6-Secret", secret: "v6-Secret" },
    { line: " ip ospf authentication-key OspfKey1", secret: "OspfKey1" },
    { line: " ip ospf message-digest-key 1 md5 OspfMd5Key", secret: "OspfMd5Key" },
    { line: " ip rip authentication string RipKey9", secret: "RipKey9" },
    { line: "  key-string ChainKey7", secret: "ChainKey7" },
    { line: " area-password IsisArea", secret: "IsisArea" },
    { line: " domain-password IsisDomain", secret: "IsisDomain" },
    { line: " isis password IsisCircuit", secret: "IsisCircuit" },
    { line: "enable password EnablePw", secret: "EnablePw" },
    { line: " password VtyPassword", secret: "VtyPassword" },
    {
        line: "set ns rpcNode 172.16.249.202 -password 1685ead5159743b00482fc955a35c5e0d896e312e5c7 -encrypted -encryptmethod ENCMTHD_3 -srcIP 172.16.249.202",
        secret: "1685ead5159743b00482fc955a35c5e0d896e312e5c7",
    },
    { line: "set ns rpcNode 10.0.0.2 -password RpcPlain -secure YES", secret: "RpcPlain" },
    { line: 'add authentication ldapAction ad -serverIP 10.0.0.5 -ldapBindDn "cn=svc,dc=x" -ldapBindDnPassword de965bf774348634d64c -encrypted', secret: "de965bf774348634d64c" },
    { line: "add authentication radiusAction r1 -serverIP 10.0.0.6 -radKey f8e4f532e9d4e6bebab1 -encrypted", secret: "f8e4f532e9d4e6bebab1" },
    { line: "set ns encryptionParams -method AES256 -keyValue 759d44c48277ff90e256 -encrypted -encryptmethod ENCMTHD_3", secret: "759d44c48277ff90e256" },
    { line: 'add ssl certKey c1 -cert c1.pfx -inform PFX -passcrypt "PfxPassCrypt" -encrypted', secret: "PfxPassCrypt" },
    { line: "add ssl certKey c2 -cert c2.pem -key c2.key -passplain PfxPlain", secret: "PfxPlain" },
    { line: "set system user nsroot 3bb5d2fcab40405ab6d31cf1b33c1995 -encrypted", secret: "3bb5d2fcab40405ab6d31cf1b33c1995" },
    { line: 'add system user svc_monitor "9f1c2b7a0d5e4c3b8a6f" -encrypted -encryptmethod ENCMTHD_3 -timeout 900', secret: "9f1c2b7a0d5e4c3b8a6f" },
    { line: "add system user ops OpsPlain1", secret: "OpsPlain1" },
    { line: "set system user ops -password OpsPlain2", secret: "OpsPlain2" },
    { line: "add snmp community Comm-Secret ALL", secret: "Comm-Secret" },
    { line: "shell nscli -s -U :nsroot:NsrootPw show ns version", secret: "NsrootPw" },
    { line: "Password: Typed-Ahead", secret: "Typed-Ahead" },
    { line: "Enter old password: Old-Login", secret: "Old-Login" },
    { line: "New password: New-Login", secret: "New-Login" },
];

/** Lines that hold no secret and must come back exactly as they were. */
const PLAIN_LINES: readonly string[] = [
    " neighbor 10.102.33.202 remote-as 64512",
    " neighbor 10.102.33.202 description worker-1",
    " bgp router-id 10.102.33.208",
    "service password-encryption",
    "Password: ",
    "% Invalid input detected at '^' marker.",
    "set system parameter -forcePasswordChange ENABLED",
    "bind ssl service nshttps-127.0.0.1-443 -certkeyName ns-server-certificate",
    "login as \"nsroot\" was refused (tried: password)",
    "  fix: check connection.username and connection.password / connection.privateKey",
    "there is no --password flag (it would be kept in shell history and shown by ps)",
    "run `ssh-keyscan <host> | ssh-keygen -lf -` and check it",
    "neighbors[0].password: the value is not text",
];

describe("device/redact: the one redactor", () => {
    it("replaces the secret of every password form a device prints, and keeps the rest of the line", () => {
        for (const { line, secret } of SECRET_LINES) {
            const out = redactSecretShapes(line);
            assert.ok(!out.includes(secret), `${line} -> ${out}`);
            assert.ok(out.includes(REDACTED), `${line} -> ${out}`);
            // What identifies the line stays readable (the neighbor, the command).
            assert.equal(out.split(/\s+/)[0], line.split(/\s+/)[0], out);
        }
    });

    it("keeps nscli options after a secret option", () => {
        assert.equal(
            redactSecretShapes("set ns rpcNode 10.0.0.2 -password 9a9a -encrypted -srcIP 10.0.0.1"),
            `set ns rpcNode 10.0.0.2 -password ${REDACTED} -encrypted -srcIP 10.0.0.1`,
        );
        assert.equal(redactSecretShapes("add x -password a1 -secret b2 -radKey c3"), `add x -password ${REDACTED} -secret ${REDACTED} -radKey ${REDACTED}`);
    });

    it("leaves lines without a secret untouched", () => {
        for (const line of PLAIN_LINES) assert.equal(redactSecretShapes(line), line);
    });

    it("redacts a whole running config, another stack's neighbors included, whatever the passwords", () => {
        fc.assert(
            fc.property(fc.array(fc.stringMatching(/^[!-~]{1,40}$/), { minLength: 1, maxLength: 5 }), fc.boolean(), (passwords, encrypted) => {
                const text = [
                    "!",
                    "router bgp 500",
                    ...passwords.flatMap((pw, i) => [` neighbor 10.0.0.${i + 1} remote-as 64512`, ` neighbor 10.0.0.${i + 1} password ${encrypted ? `7 ${pw}` : pw}`]),
                    "!",
                    "end",
                ].join("\n");
                const out = redactSecretShapes(text);
                assert.equal(out.split("\n").length, text.split("\n").length);
                for (const [i] of passwords.entries()) assert.ok(out.includes(` neighbor 10.0.0.${i + 1} password ${REDACTED}`), out);
                assert.equal(out.split("\n").filter((l) => l.includes("password")).every((l) => l.endsWith(REDACTED)), true);
            }),
        );
    });

    it("is idempotent: redacted text stays as it is", () => {
        for (const { line } of SECRET_LINES) {
            const once = redactSecretShapes(line);
            assert.equal(redactSecretShapes(once), once);
        }
    });

    it("gives the display form of the lines the resources send, the same the trace shows for their echo", () => {
        const lines = renderChanges([
            { op: "add-neighbor", asn: 500 as never, neighbor: { address: "10.0.0.1" as IpAddress, remoteAsn: 64512 as never, description: "n1", password: "Sent-Secret", updateSource: null, ebgpMultihop: null } },
        ]);
        const pw = lines.find((l) => l.text.includes("password"))!;
        assert.equal(pw.redacted, `neighbor 10.0.0.1 password ${REDACTED}`);
        assert.equal(redactedForm(pw.text), pw.redacted);
        assert.equal(redactSecretShapes(`ns(config-router)#${pw.text}`), `ns(config-router)#${pw.redacted}`);
        assert.ok(lines.filter((l) => l !== pw).every((l) => l.redacted === undefined));
    });

    it("Redactor: known secrets anywhere, plus the shapes", () => {
        const r = new Redactor();
        r.addSecret("Ssh-Login-Pw");
        // A throw-away key made for this test: the redactor must hide each line of a private key it was given.
        const privateKey = utils.generateKeyPairSync("ed25519").private;
        const keyLine = privateKey.split("\n")[1]!;
        r.addSecret(privateKey);
        const config = renderRunningConfig({
            ...EMPTY_CONFIG,
            routeInstall: new Set(["bgp"]),
            routers: [
                {
                    ...emptyRouter(500 as Asn),
                    neighbors: new Map([
                        ["10.0.0.7" as IpAddress, { address: "10.0.0.7" as IpAddress, remoteAsn: 65001 as Asn, peerGroup: null, description: null, password: "Foreign-Secret", updateSource: null, ebgpMultihop: null, otherLines: [] }],
                    ]),
                },
            ],
        });
        const out = r.redact(`${config}\n% bad Ssh-Login-Pw\nkey ${keyLine}`);
        for (const s of ["Foreign-Secret", "Ssh-Login-Pw", keyLine]) assert.ok(!out.includes(s), out);
        assert.ok(out.includes("neighbor 10.0.0.7 remote-as 65001"), out);
    });
});

describe("device/redact: a read cut off in the middle of the running config", () => {
    it("the timeout quotes the last output with every password form redacted, the one cut in half too", async () => {
        const stream = new PassThrough();
        const traces: string[] = [];
        const channel = new Channel(stream, { host: "adc", commandTimeoutMs: 150, platform: compilePlatform(NETSCALER), redactor: new Redactor(), trace: (_d, t) => traces.push(t) });
        stream.write("ns#");
        await channel.waitForPrompt("(first prompt)", 1000);
        const reading = channel.send("show running-config", "show running-config", "vtysh");
        stream.write(
            [
                "!",
                "router bgp 500",
                " neighbor 10.0.0.7 remote-as 65001",
                " neighbor 10.0.0.7 password Foreign-Clear-1",
                " neighbor 10.0.0.8 password 7 0822455D0A16",
                " neighbor 10.0.0.9 password Cut-In-Ha",
            ].join("\n"),
        );
        const error = await reading.then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(error instanceof AdcTimeoutError, String(error));
        const everything = `${error.message}\n${error.stack}\n${error.lastOutput}\n${traces.join("\n")}`;
        for (const secret of ["Foreign-Clear-1", "0822455D0A16", "Cut-In-Ha"]) assert.ok(!everything.includes(secret), everything);
        assert.match(error.lastOutput, /neighbor 10\.0\.0\.9 password <redacted>$/);
        channel.close();
    });

    it("the quoted output starts at a line: a long password line whose start falls before the quote is hidden too", async () => {
        // Another stack's passwords, long ones after it: redacted, they shorten the text, and the quote reaches back into the first.
        const first = `Foreign-Bgp-Secret-${"Q7".repeat(30)}x`;
        const stream = new PassThrough();
        const channel = new Channel(stream, { host: "adc", commandTimeoutMs: 150, platform: compilePlatform(NETSCALER), redactor: new Redactor() });
        stream.write("ns#");
        await channel.waitForPrompt("(first prompt)", 1000);
        const reading = channel.send("show running-config", "show running-config", "vtysh");
        stream.write(["router bgp 500", ` neighbor 10.9.9.1 password ${first}`, ...[2, 3, 4].map((i) => ` neighbor 10.9.9.${i} password Other-Bgp-Secret-${String(i).repeat(63)}`), ""].join("\r\n"));
        const error = await reading.then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(error instanceof AdcTimeoutError, String(error));
        const shown = `${error.message}\n${error.lastOutput}\n${JSON.stringify(error)}`;
        for (let i = 0; i + 8 <= first.length; i++) assert.ok(!shown.includes(first.slice(i, i + 8)), `${JSON.stringify(first.slice(i, i + 8))} of the password shows:\n${shown}`);
        channel.close();
    });
});

describe("device/redact: a password line the terminal wrapped", () => {
    it("the refusal that quotes the wrapped line shows neither half of the password", () => {
        const password = "Foreign-Secret-0123456789-abcdefghijklmnopqrstuvwxyz-TAIL";
        const line = ` neighbor 10.100.100.100 password ${password}`;
        const config = parseRunningConfig(["router bgp 500", " neighbor 10.100.100.100 remote-as 64999", line.slice(0, 80), line.slice(80), " neighbor 10.0.0.1 remote-as 1", "!", "end"].join("\n"));
        const plan = planNeighbors(config, 500 as Asn, [], new Set(), false);
        assert.ok(!plan.ok, "the wrapped line makes the block doubtful");
        const message = conflictError("adc1", plan.conflicts).message;
        assert.match(message, /line 3: neighbor 10\.100\.100\.100 password <redacted>/);
        assert.match(message, /line 4: <redacted>/);
        assert.ok(!message.includes(line.slice(80)) && !message.includes(password.slice(0, 20)), message);
        // Whether a secret was cut cannot be told: the line right after one ending in a secret is never shown.
        const whole = parseRunningConfig(["router bgp 500", " neighbor 10.0.0.1 password short", "foo", " neighbor 10.0.0.2 remote-as 1", "!", "end"].join("\n"));
        const refused = planNeighbors(whole, 500 as Asn, [], new Set(), false);
        assert.ok(!refused.ok);
        assert.match(conflictError("adc1", refused.conflicts).message, /line 3: <redacted>/);
    });
});

describe("device/redact: a secret that starts with the placeholder", () => {
    it("is still redacted, in clear and in nscli options, and redacted text stays as it is", () => {
        const lines = [
            " neighbor 10.0.0.9 password <redacted>TopSecret9",
            " neighbor 10.0.0.9 password <redacted>)TopSecret9",
            " neighbor 10.0.0.9 password <redacted>],TopSecret9",
            "add authentication ldapAction x -ldapBindDnPassword <redacted>TopSecret9 -encrypted",
        ];
        for (const line of lines) {
            const once = redactSecretShapes(line);
            assert.ok(!once.includes("TopSecret9"), once);
            assert.equal(redactSecretShapes(once), once);
        }
    });
});

describe("device/redact: a known secret inside a longer one the redactor does not know", () => {
    it("hides the whole longer secret, not the known part alone", () => {
        const r = new Redactor();
        r.addSecret("nsroot");
        assert.equal(r.redact("neighbor 10.9.9.9 password nsroot).;"), "neighbor 10.9.9.9 password <redacted>");
        assert.equal(r.redact(" key-string nsroot hunter2-rest"), " key-string <redacted>");
        assert.equal(r.redact("login as nsroot, done"), "login as <redacted>, done");
        // A known secret that is part of a shape's keyword, or a prefix of a longer secret the shapes find: both hidden.
        const short = new Redactor();
        short.addSecret("pass");
        short.addSecret("key");
        assert.equal(short.redact(" neighbor 10.0.0.9 password 7 0822455D0A16"), " neighbor 10.0.0.9 <redacted>word <redacted>");
        assert.equal(short.redact(" key-string ChainKey7"), " <redacted>-string <redacted>");
        const line = new Redactor();
        line.addLine("neighbor 10.0.0.1 password foo", "neighbor 10.0.0.1 password <redacted>");
        assert.equal(line.redact(" neighbor 10.0.0.1 password foo bar-secret"), " neighbor 10.0.0.1 password <redacted>");
        assert.equal(line.redact("ns(config-router)# neighbor 10.0.0.1 password foo"), "ns(config-router)# neighbor 10.0.0.1 password <redacted>");
        // A known secret of several words, where a shape takes one word: hidden whole.
        r.addSecret("my pass phrase");
        assert.equal(r.redact("set system user x -password my pass phrase -timeout 5"), "set system user x -password <redacted> -timeout 5");
    });
});

describe("device/redact: a message that goes on after a redacted secret", () => {
    it("keeps what follows the placeholder on the same line", () => {
        const message = "still missing neighbor 10.0.0.1 password <redacted>; the new password of neighbor 10.0.0.1 (the device still shows the previous one)";
        assert.equal(redactSecretShapes(message), message);
    });
});
