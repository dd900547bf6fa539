/**
 * Login errors when the client offers its first method at once (without asking with `none`):
 * a server that takes none of the methods the connection can use says which it takes, so a
 * key-only server given a password does not read as a wrong password.
 */
import { strict as assert } from "assert";
import { AdcAuthenticationError, withAdcSession, type AdcConnection } from "../../../provider/device";
import { startSimulator, type AuthMethod, type Simulator } from "../../../simulator";

const quiet = { log: (): void => undefined };
const RIGHT = "Right-Ssh-Pw-77";
const WRONG = "Wrong-Ssh-Pw-123";

describe("login errors: the methods the server takes", function () {
    this.timeout(20_000);
    const started: Simulator[] = [];
    afterEach(async () => {
        await Promise.all(started.splice(0).map((s) => s.close()));
    });
    const refusal = async (methods: AuthMethod[], password: string): Promise<AdcAuthenticationError> => {
        const sim = await startSimulator({ authMethods: methods, banner: [], users: [{ username: "nsroot", password: RIGHT }] });
        started.push(sim);
        const connection: AdcConnection = {
            host: sim.host,
            port: sim.port,
            username: "nsroot",
            password,
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
        for (const secret of [RIGHT, WRONG]) assert.ok(!`${err.message}\n${err.stack}\n${JSON.stringify(err)}`.includes(secret), "no password in the error");
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
});
