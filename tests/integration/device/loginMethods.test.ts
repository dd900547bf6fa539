/**
 * Login errors when the client offers its first method at once (without asking with `none`):
 * a server that takes none of the methods the connection can use says which it takes, so a
 * key-only server given a password does not read as a wrong password, and a password-only
 * server given a key asks for connection.password.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { AdcAuthenticationError, withAdcSession, type AdcConnection } from "../../../provider/device";
import { startSimulator, type AuthMethod, type Simulator } from "../../../simulator";

const quiet = { log: (): void => undefined };
const RIGHT = "Right-Ssh-Pw-77";
const WRONG = "Wrong-Ssh-Pw-123";

describe("login errors: the methods the server takes", function () {
    this.timeout(20_000);
    const started: Simulator[] = [];
    let dir = "";
    let clientKey = "";
    before(() => {
        dir = mkdtempSync(join(tmpdir(), "pca-auth-"));
        execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "client", "-f", join(dir, "client")]);
        clientKey = readFileSync(join(dir, "client"), "utf8");
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    afterEach(async () => {
        await Promise.all(started.splice(0).map((s) => s.close()));
    });
    /** The login's error against a server taking `methods`, given a password or (`"key"`) the client key alone. */
    const refusal = async (methods: AuthMethod[], given: string | "key"): Promise<AdcAuthenticationError> => {
        const sim = await startSimulator({ authMethods: methods, banner: [], users: [{ username: "nsroot", password: RIGHT }] });
        started.push(sim);
        const connection: AdcConnection = {
            host: sim.host,
            port: sim.port,
            username: "nsroot",
            ...(given === "key" ? { privateKey: clientKey } : { password: given }),
            hostKeyFingerprint: sim.hostKeyFingerprint,
            insecureIgnoreHostKey: false,
            connectTimeoutMs: 5000,
            commandTimeoutMs: 2000,
            connectRetries: 0,
        };
        const err = await withAdcSession(connection, (s) => s.cli("show ns version"), quiet).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(err instanceof AdcAuthenticationError, String(err));
        for (const secret of [RIGHT, WRONG, "PRIVATE KEY"]) assert.ok(!`${err.message}\n${err.stack}\n${JSON.stringify(err)}`.includes(secret), "no password or key in the error");
        return err;
    };

    it("a server that takes only public keys, given a password: the error says the server wants a key, not that the password is wrong", async () => {
        const keyOnly = await refusal(["publickey"], RIGHT);
        const wrongPassword = await refusal(["keyboard-interactive"], WRONG);
        assert.notEqual(keyOnly.message, wrongPassword.message, `both read:\n${keyOnly.message}`);
        assert.match(keyOnly.message, /publickey|public key|privateKey/, keyOnly.message);
        assert.match(keyOnly.message, /accepts only publickey/, keyOnly.message);
        assert.match(keyOnly.fix, /connection\.privateKey/, keyOnly.fix);
        assert.doesNotMatch(keyOnly.fix, /connection\.password/, "the password is not what to check");
    });

    it("a password-only server with a wrong password names both methods tried, without the password", async () => {
        const err = await refusal(["password"], WRONG);
        assert.match(err.message, /tried: keyboard-interactive, password/);
    });

    for (const methods of [["password"], ["keyboard-interactive", "password"]] as AuthMethod[][]) {
        it(`a key given to a server that takes ${methods.join(",")}: the fix asks for connection.password`, async () => {
            const err = await refusal(methods, "key");
            assert.match(err.message, new RegExp(`accepts only ${methods.join(", ")}`), err.message);
            assert.doesNotMatch(err.fix, /takes none of publickey, keyboard-interactive and password/, `message: ${err.message}\nfix: ${err.fix}`);
            assert.match(err.fix, /connection\.password/, `message: ${err.message}\nfix: ${err.fix}`);
        });
    }
});
