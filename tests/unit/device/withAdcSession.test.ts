import { strict as assert } from "assert";
import * as sinon from "sinon";
import { AdcAuthenticationError, AdcConnectionError, AdcSession, OpenShell, withAdcSession } from "../../../provider/device";
import { fakeNetScaler, ScriptedShell } from "./scriptedShell";
import { CONNECTION } from "./support";

/** A transport that fails the first `failures` attempts with `error`, then opens a scripted shell. */
function flakyTransport(failures: number, error: () => Error): { openShell: OpenShell; attempts: () => number; shells: ScriptedShell[] } {
    let attempts = 0;
    const shells: ScriptedShell[] = [];
    const openShell: OpenShell = async () => {
        attempts++;
        if (attempts <= failures) throw error();
        const device = fakeNetScaler();
        const shell = new ScriptedShell({ greeting: device.greeting, respond: device.respond });
        shells.push(shell);
        return { stream: shell, close: () => shell.hangUp() };
    };
    return { openShell, attempts: () => attempts, shells };
}

const refused = (): AdcConnectionError => new AdcConnectionError("10.0.0.1", "connection refused at 10.0.0.1 port 22", "check the port", true);

describe("device/withAdcSession", () => {
    it("retries transient connection failures with exponential backoff, then runs fn once", async () => {
        const t = flakyTransport(2, refused);
        const logs: string[] = [];
        let calls = 0;
        const result = await withAdcSession(
            { ...CONNECTION, connectRetries: 2 },
            async (s) => {
                calls++;
                return s.cli("save ns config");
            },
            { openShell: t.openShell, log: (l) => logs.push(l), retryDelayMs: 10 },
        );
        assert.equal(result, "");
        assert.equal(t.attempts(), 3);
        assert.equal(calls, 1);
        assert.deepEqual(logs, [
            "adc 10.0.0.1: connection refused at 10.0.0.1 port 22; retrying in 10 ms (1 of 2)",
            "adc 10.0.0.1: connection refused at 10.0.0.1 port 22; retrying in 20 ms (2 of 2)",
            "adc 10.0.0.1: connected as nsroot",
        ]);
    });

    it("gives up after connectRetries and throws the connection error", async () => {
        const t = flakyTransport(10, refused);
        await assert.rejects(
            withAdcSession({ ...CONNECTION, connectRetries: 1 }, async () => 1, { openShell: t.openShell, log: () => undefined, retryDelayMs: 1 }),
            (e: unknown) => e instanceof AdcConnectionError && e.transient,
        );
        assert.equal(t.attempts(), 2);
    });

    it("does not retry failures that will not pass by themselves", async () => {
        for (const error of [
            () => new AdcAuthenticationError("10.0.0.1", "nsroot", ["keyboard-interactive"]),
            () => new AdcConnectionError("10.0.0.1", "cannot resolve", "check connection.host", false),
        ]) {
            const t = flakyTransport(10, error);
            await assert.rejects(withAdcSession({ ...CONNECTION, connectRetries: 3 }, async () => 1, { openShell: t.openShell, log: () => undefined, retryDelayMs: 1 }));
            assert.equal(t.attempts(), 1);
        }
    });

    it("closes the session when fn succeeds and when it throws, and never retries fn", async () => {
        const t = flakyTransport(0, refused);
        let seen: AdcSession | undefined;
        assert.equal(await withAdcSession(CONNECTION, async (s) => ((seen = s), 42), { openShell: t.openShell, log: () => undefined }), 42);
        assert.ok(seen);
        assert.equal(t.shells[0].destroyed || t.shells[0].writableEnded, true);

        let calls = 0;
        await assert.rejects(
            withAdcSession(
                { ...CONNECTION, connectRetries: 3 },
                async () => {
                    calls++;
                    throw refused();
                },
                { openShell: t.openShell, log: () => undefined, retryDelayMs: 1 },
            ),
            AdcConnectionError,
        );
        assert.equal(calls, 1);
        assert.equal(t.shells.length, 2);
        assert.equal(t.shells[1].writableEnded, true);
    });

    describe("progress lines", () => {
        let log: sinon.SinonStub;
        beforeEach(() => {
            log = sinon.stub(console, "log");
        });
        afterEach(() => {
            log.restore();
            delete process.env.PULUMI_CALICO_ADC_QUIET;
        });

        it("prints one line per connection and per batch on the console, without secrets", async () => {
            const t = flakyTransport(0, refused);
            await withAdcSession(CONNECTION, (s) => s.configure([{ context: { routerBgp: 500 }, text: "neighbor 10.0.0.1 password pw-9", redacted: "neighbor 10.0.0.1 password <redacted>" }]), {
                openShell: t.openShell,
            });
            const lines = log.getCalls().map((c) => c.args.join(" "));
            assert.deepEqual(lines, ["adc 10.0.0.1: connected as nsroot", "adc 10.0.0.1: applying 1 configuration line"]);
        });

        it("prints nothing with PULUMI_CALICO_ADC_QUIET=1", async () => {
            process.env.PULUMI_CALICO_ADC_QUIET = "1";
            const t = flakyTransport(0, refused);
            await withAdcSession(CONNECTION, (s) => s.configure([{ context: "global", text: "ns route-install bgp" }]), { openShell: t.openShell });
            assert.equal(log.callCount, 0);
        });
    });
});
