/**
 * A connection that gives only a private key, to a server that takes passwords only: the error
 * says which methods the server accepts, and its fix asks for connection.password.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { AdcAuthenticationError, withAdcSession, type AdcConnection } from "../../../provider/device";
import { startSimulator, type AuthMethod, type Simulator } from "../../../simulator";

const quiet = { log: (): void => undefined };

describe("login errors: a key given to a password-only server", function () {
    this.timeout(20_000);
    let dir = "";
    let clientKey = "";
    const started: Simulator[] = [];
    before(() => {
        dir = mkdtempSync(join(tmpdir(), "pca-auth-"));
        execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "client", "-f", join(dir, "client")]);
        clientKey = readFileSync(join(dir, "client"), "utf8");
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    afterEach(async () => {
        await Promise.all(started.splice(0).map((s) => s.close()));
    });

    for (const methods of [["password"], ["keyboard-interactive", "password"]] as AuthMethod[][]) {
        it(`server takes ${methods.join(",")}: the fix asks for connection.password, not that the server takes no password`, async () => {
            const sim = await startSimulator({ authMethods: methods, banner: [], users: [{ username: "nsroot", password: "Right-Ssh-Pw-77" }] });
            started.push(sim);
            const connection: AdcConnection = {
                host: sim.host,
                port: sim.port,
                username: "nsroot",
                privateKey: clientKey,
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
            assert.ok(!`${err.message}${err.stack}`.includes("PRIVATE KEY"), "no key in the error");
            // The server does take a password: a fix that says it takes none is wrong.
            assert.doesNotMatch(err.fix, /takes none of publickey, keyboard-interactive and password/, `message: ${err.message}\nfix: ${err.fix}`);
            assert.match(err.fix, /connection\.password/, `message: ${err.message}\nfix: ${err.fix}`);
        });
    }
});
