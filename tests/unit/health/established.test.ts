import { strict as assert } from "node:assert";
import type { BgpSessionState } from "../../../provider/adc/args";
import { parseBgpSummary } from "../../../provider/core/parseShowOutputs";
import { AdcError } from "../../../provider/device/errors";
import { hintForState, NOT_CONFIGURED, sessionProblems, SessionsNotEstablishedError, waitForEstablished } from "../../../provider/health/established";

const session = (address: string, state: string, remoteAsn = 64512): BgpSessionState => ({
    address,
    remoteAsn,
    state,
    prefixesReceived: state === "Established" ? 1 : null,
    upDown: state === "Established" ? "00:01:00" : "never",
});

const expected = [
    { address: "192.0.2.11", remoteAsn: 64512 },
    { address: "192.0.2.12", remoteAsn: 64512 },
    { address: "192.0.2.13", remoteAsn: 64512 },
];

/** A clock that only moves when the wait sleeps. */
function fakeTime() {
    let t = 0;
    const sleeps: number[] = [];
    return {
        now: () => t,
        sleep: async (ms: number) => {
            sleeps.push(ms);
            t += ms;
        },
        sleeps,
    };
}

describe("health: session states and hints", () => {
    it("points Active and Connect at TCP 179 and the node's BGPPeer", () => {
        for (const state of ["Active", "Connect"]) {
            const hint = hintForState(state, "192.0.2.12", 64512);
            assert.match(hint, /TCP port 179/);
            assert.match(hint, /BGPPeer with peerIP = the ADC's address/);
            // The ADC cannot see why a node closes the connection; the node's side names a wrong BGPPeer asNumber.
            const both = hintForState(state, "192.0.2.12", 64512, { localAsn: 500 });
            assert.match(both, /"BGP Error: Bad peer AS", the node refused the ADC's AS: the Calico BGPPeer's asNumber must be the ADC's `router bgp` AS \(500\)/);
            assert.match(both, /"Received: Bad peer AS" means the ADC refused the node's AS: the ADC's `neighbor 192\.0\.2\.12 remote-as` \(64512\) must be the node's AS/);
        }
    });

    it("points Idle and OpenSent/OpenConfirm at the AS numbers of both ends, naming them when known", () => {
        for (const state of ["Idle", "OpenSent", "OpenConfirm"]) {
            const hint = hintForState(state, "192.0.2.13", 64512, { localAsn: 500 });
            assert.match(hint, /AS number/);
            assert.match(hint, /neighbor 192\.0\.2\.13 remote-as`? \(64512\)/);
            assert.match(hint, /BGPPeer's asNumber must be the ADC's `router bgp` AS \(500\)/);
        }
        assert.match(hintForState("OpenSent", "192.0.2.13", 64512), /OPEN was not accepted/);
    });

    it("tells an administrative shutdown and a missing neighbor apart from AS problems", () => {
        assert.match(hintForState("Idle (Admin)", "192.0.2.11", 64512), /no neighbor 192\.0\.2\.11 shutdown/);
        assert.match(hintForState(NOT_CONFIGURED, "192.0.2.11", 64512), /the ADC has no neighbor 192\.0\.2\.11/);
    });

    it("finds no problem when every expected neighbor is Established, and ignores extra neighbors", () => {
        const sessions = [...expected.map((e) => session(e.address, "Established")), session("198.51.100.9", "Active")];
        assert.deepEqual(sessionProblems(expected, sessions), []);
    });

    it("lists each expected neighbor that is not Established with its state, and one the ADC lacks", () => {
        const problems = sessionProblems(expected, [session("192.0.2.11", "Established"), session("192.0.2.12", "Active")]);
        assert.deepEqual(
            problems.map((p) => [p.address, p.state]),
            [
                ["192.0.2.12", "Active"],
                ["192.0.2.13", NOT_CONFIGURED],
            ],
        );
    });

    it("flags a neighbor whose remote-as differs from the node's AS even when its session is up", () => {
        const problems = sessionProblems([{ address: "192.0.2.11", remoteAsn: 64512 }], [session("192.0.2.11", "Established", 64513)]);
        assert.equal(problems.length, 1);
        assert.match(problems[0]!.hint, /remote-as 64513.*node runs AS 64512/);
    });
});

describe("health: waitForEstablished", () => {
    it("reads until every session is Established and returns that read", async () => {
        const reads = [
            [session("192.0.2.11", "Connect"), session("192.0.2.12", "Active"), session("192.0.2.13", "Idle")],
            [session("192.0.2.11", "Established"), session("192.0.2.12", "OpenSent"), session("192.0.2.13", "Active")],
            expected.map((e) => session(e.address, "Established")),
        ];
        let n = 0;
        const clock = fakeTime();
        const result = await waitForEstablished({ host: "adc", expected, readSessions: async () => reads[n++]!, timeoutMs: 10_000, intervalMs: 500, ...clock });
        assert.equal(n, 3);
        assert.deepEqual(clock.sleeps, [500, 500]);
        assert.ok(result.every((s) => s.state === "Established"));
    });

    it("with a first interval, waits that long after the first read and doubles it up to the interval", async () => {
        const clock = fakeTime();
        let n = 0;
        const up = expected.map((e) => session(e.address, "Established"));
        const down = expected.map((e) => session(e.address, "Active"));
        const result = await waitForEstablished({ host: "adc", expected, readSessions: async () => (++n === 7 ? up : down), timeoutMs: 10_000, firstIntervalMs: 100, ...clock });
        assert.equal(n, 7);
        assert.deepEqual(clock.sleeps, [100, 200, 400, 800, 1000, 1000]);
        assert.ok(result.length === 3 && result.every((s) => s.state === "Established"));
    });

    it("gives up at the deadline with an error that names each failing neighbor, its state and what to check", async () => {
        const clock = fakeTime();
        const read = async () => [session("192.0.2.11", "Established"), session("192.0.2.12", "Active"), session("192.0.2.13", "Idle", 64512)];
        const err = await waitForEstablished({ host: "adc.example", expected, readSessions: read, timeoutMs: 3000, intervalMs: 1000, localAsn: 500, ...clock }).then(
            () => assert.fail("should not be healthy"),
            (e: unknown) => e,
        );
        assert.ok(err instanceof SessionsNotEstablishedError);
        assert.ok(err instanceof AdcError);
        assert.equal(err.host, "adc.example");
        assert.deepEqual(
            err.problems.map((p) => p.address),
            ["192.0.2.12", "192.0.2.13"],
        );
        assert.match(err.message, /^adc\.example: 2 of 3 BGP session\(s\) not Established after 3 s:/);
        assert.match(err.message, /192\.0\.2\.12: Active\n {4}no BGP session over TCP port 179/);
        assert.match(err.message, /192\.0\.2\.13: Idle\n {4}.*AS number mismatch/);
        assert.doesNotMatch(err.message, /192\.0\.2\.11/);
        assert.match(err.fix, /pulumi-calico-adc-status --host adc\.example/);
        // The last sleep is cut to the deadline rather than overshooting it.
        assert.deepEqual(clock.sleeps, [1000, 1000, 1000]);
    });

    it("lets a failing read end the wait with its own error", async () => {
        const clock = fakeTime();
        await assert.rejects(
            waitForEstablished({ host: "adc", expected, readSessions: async () => Promise.reject(new Error("connection reset")), timeoutMs: 5000, ...clock }),
            /connection reset/,
        );
    });

    it("works on what the package's summary parser makes of the device's summary", async () => {
        // `show ip bgp summary` as the simulator printed it over the lab's bgpd: three Calico nodes, one with a wrong remote-as.
        const text = [
            "BGP router identifier 192.0.2.1, local AS number 500",
            "BGP table version is 1",
            "0 BGP AS-PATH entries",
            "0 BGP community entries",
            "",
            "Neighbor        V         AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
            "192.0.2.11      4      64512       4       6        1    0    0 00:00:03        2",
            "192.0.2.12      4      64512       4       6        1    0    0 00:00:03        1",
            "192.0.2.13      4      64513       1       4        0    0    0 never    Idle",
            "",
            "Total number of neighbors 3",
        ].join("\n");
        const clock = fakeTime();
        const err = await waitForEstablished({ host: "adc", expected, readSessions: async () => parseBgpSummary(text), timeoutMs: 1000, ...clock }).catch((e: unknown) => e);
        assert.ok(err instanceof SessionsNotEstablishedError);
        assert.deepEqual(
            err.problems.map((p) => [p.address, p.state]),
            [["192.0.2.13", "Idle"]],
        );
        assert.match(err.problems[0]!.hint, /remote-as 64513.*AS 64512/);
    });
});
