import { strict as assert } from "node:assert";
import { bgpRoutes, parseShowRoute, prefixLength, routeCidr } from "../../../provider/health/showRoute";
import { AdcCommandError } from "../../../provider/device/errors";
import type { ShowAnswer } from "../../../provider/device/types";
import { buildStatus, parseSummaryHeader, readable, renderStatus, statusAnswers, type StatusAnswers } from "../../../provider/health/status";
import { parseStatusArgs } from "../../../provider/health/statusCli";
import { renderTable } from "../../../provider/health/table";

describe("health: tables as calicoctl node status draws them", () => {
    it("reproduces calicoctl's documented table byte for byte", () => {
        // docs: calico/reference/calicoctl/node/status.mdx
        const expected = [
            "+--------------+-------------------+-------+----------+-------------+",
            "| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |    INFO     |",
            "+--------------+-------------------+-------+----------+-------------+",
            "| 172.17.8.102 | node-to-node mesh | up    | 23:30:04 | Established |",
            "+--------------+-------------------+-------+----------+-------------+",
        ].join("\n");
        assert.equal(renderTable(["Peer address", "Peer type", "State", "Since", "Info"], [["172.17.8.102", "node-to-node mesh", "up", "23:30:04", "Established"]]), expected);
    });

    it("widens a column to its longest cell and centres the header over it (issue projectcalico/calico#2961)", () => {
        const expected = [
            "+---------------+-----------+-------+----------+----------------------------+",
            "| PEER ADDRESS  | PEER TYPE | STATE |  SINCE   |            INFO            |",
            "+---------------+-----------+-------+----------+----------------------------+",
            "| xxx.xxx.xx.48 | global    | start | 23:54:24 | Idle Received: Bad peer AS |",
            "| xxx.xxx.xx.50 | global    | start | 23:54:14 | Idle Received: Bad peer AS |",
            "+---------------+-----------+-------+----------+----------------------------+",
        ].join("\n");
        const rows = [
            ["xxx.xxx.xx.48", "global", "start", "23:54:24", "Idle Received: Bad peer AS"],
            ["xxx.xxx.xx.50", "global", "start", "23:54:14", "Idle Received: Bad peer AS"],
        ];
        assert.equal(renderTable(["Peer address", "Peer type", "State", "Since", "Info"], rows), expected);
    });
});

const SHOW_ROUTE = [
    "        Network          Netmask          Gateway/OwnedIP  State   Traffic Domain  Type",
    "        -------          -------          ---------------  -----   --------------  ----",
    "1)      0.0.0.0          0.0.0.0          192.0.2.254      UP      0               STATIC",
    "2)      127.0.0.0        255.0.0.0        127.0.0.1        UP      0               PERMANENT",
    "3)      192.0.2.0        255.255.255.0    192.0.2.1        UP      0               DIRECT",
    "4)      192.168.10.0     255.255.255.192  192.0.2.11       UP      0               BGP",
    "5)      192.168.20.0     255.255.255.192  192.0.2.12       UP      0               BGP",
    " Done",
].join("\n");

const SUMMARY = [
    "BGP router identifier 192.0.2.1, local AS number 500",
    "BGP table version is 1",
    "0 BGP AS-PATH entries",
    "0 BGP community entries",
    "",
    "Neighbor        V         AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
    "192.0.2.11      4      64512       4       6        1    0    0 00:00:03        1",
    "192.0.2.12      4      64512       4       6        1    0    0 00:00:03        1",
    "192.0.2.13      4      64513       1       4        0    0    0 never    Active",
    "",
    "Total number of neighbors 3",
].join("\n");

describe("health: show route and the status report", () => {
    it("reads every numbered row of show route, in both known layouts, and picks the BGP ones", () => {
        const routes = parseShowRoute(SHOW_ROUTE);
        assert.equal(routes.length, 5);
        assert.deepEqual(
            bgpRoutes(routes).map((r) => [routeCidr(r), r.gateway, r.state]),
            [
                ["192.168.10.0/26", "192.0.2.11", "UP"],
                ["192.168.20.0/26", "192.0.2.12", "UP"],
            ],
        );
        // The 10.x-12.0 reference layout: no State and Traffic Domain columns.
        assert.deepEqual(parseShowRoute("1)  0.0.0.0  0.0.0.0  10.11.0.254  STATIC"), [
            { network: "0.0.0.0", netmask: "0.0.0.0", gateway: "10.11.0.254", state: "", trafficDomain: "", type: "STATIC" },
        ]);
        assert.deepEqual(
            bgpRoutes(parseShowRoute(SHOW_ROUTE.replace(/ BGP$/gm, " DYNAMIC")), "DYNAMIC").map((r) => r.network),
            ["192.168.10.0", "192.168.20.0"],
        );
    });

    it("turns netmasks into prefix lengths and refuses non-contiguous ones", () => {
        assert.equal(prefixLength("255.255.255.192"), 26);
        assert.equal(prefixLength("0.0.0.0"), 0);
        assert.equal(prefixLength("255.255.255.255"), 32);
        assert.equal(prefixLength("255.0.255.0"), undefined);
    });

    it("reads the router id and local AS from the summary header", () => {
        assert.deepEqual(parseSummaryHeader(SUMMARY), { routerId: "192.0.2.1", localAsn: 500 });
        assert.deepEqual(parseSummaryHeader("% BGP instance not found"), { routerId: undefined, localAsn: undefined });
    });

    it("reports sessions, installed routes and, per failing neighbor, what to check", () => {
        const status = buildStatus("adc.example", answers(SUMMARY), { expected: ["192.0.2.11", "192.0.2.12", "192.0.2.13", "192.0.2.14"].map((address) => ({ address, remoteAsn: 64512 })) });
        assert.deepEqual(
            status.problems.map((p) => [p.address, p.state]),
            [
                ["192.0.2.13", "Active"],
                ["192.0.2.14", "not configured"],
            ],
        );
        const text = renderStatus(status);
        assert.match(text, /^ADC adc\.example: router bgp 500, router id 192\.0\.2\.1\n\nIPv4 BGP status\n\+-+/);
        assert.match(text, /\| 192\.0\.2\.11 +\| 64512 +\| eBGP +\| up +\| 00:00:03 \| Established \| 1 +\|/);
        assert.match(text, /\| 192\.0\.2\.13 +\| 64513 +\| eBGP +\| start +\| never +\| Active +\| +\|/);
        assert.match(text, /\| 192\.168\.20\.0 +\| 255\.255\.255\.192 \| 192\.0\.2\.12 \| UP +\|/);
        assert.match(text, /2 session\(s\) not Established:\n {2}192\.0\.2\.13: Active\n {4}the ADC has `neighbor 192\.0\.2\.13 remote-as 64513` but the node runs AS 64512/);
        assert.match(text, /192\.0\.2\.14: not configured\n {4}the ADC has no neighbor 192\.0\.2\.14/);
    });

    it("says so when BGP does not run or nothing is installed", () => {
        const text = renderStatus(buildStatus("adc", answers("", "", SHOW_ROUTE.replace(/^[45]\).*\n/gm, ""))));
        assert.match(text, /BGP is not running/);
        assert.match(text, /IPv4 BGP status\nNo IPv4 peers found\.\n\nIPv6 BGP status\nNo IPv6 peers found\.\n/);
        assert.match(text, /No BGP routes installed\. Without `ns route-install bgp`/);
    });

    it("shows IPv4 and IPv6 peers each in its family's table, from its family's summary, as calicoctl splits them", () => {
        // With `bgp default ipv4-unicast`, the IPv4 summary lists IPv6 neighbors too: their IPv6 routes count only in the IPv6 one.
        const ipv4 = SUMMARY.replace("\n\nTotal", "\nfd00:6::1       4      64512       9       9        1    0    0 00:01:00        0\n\nTotal");
        const status = buildStatus("adc", answers(ipv4, SUMMARY_V6));
        assert.deepEqual(
            status.sessions.map((s) => [s.address, s.state, s.prefixesReceived]),
            [
                ["192.0.2.11", "Established", 1],
                ["192.0.2.12", "Established", 1],
                ["192.0.2.13", "Active", null],
                ["fd00:6::1", "Established", 2],
                ["fd00:6::2", "Connect", null],
            ],
        );
        const text = renderStatus(status);
        const [v4, v6] = text.split("IPv6 BGP status\n") as [string, string];
        assert.match(v4, /IPv4 BGP status\n\+/);
        assert.doesNotMatch(v4, /fd00/);
        assert.equal(
            v6.slice(0, v6.indexOf("\n\n")),
            [
                "+--------------+---------+-----------+-------+----------+-------------+----------+",
                "| PEER ADDRESS | PEER AS | PEER TYPE | STATE |  SINCE   |    INFO     | PREFIXES |",
                "+--------------+---------+-----------+-------+----------+-------------+----------+",
                "| fd00:6::1    | 64512   | eBGP      | up    | 00:01:00 | Established | 2        |",
                "| fd00:6::2    | 64512   | eBGP      | start | never    | Connect     |          |",
                "+--------------+---------+-----------+-------+----------+-------------+----------+",
            ].join("\n"),
        );
        assert.deepEqual(
            status.problems.map((p) => [p.address, p.state]),
            [
                ["192.0.2.13", "Active"],
                ["fd00:6::2", "Connect"],
            ],
        );
    });

    it("keeps the IPv4 report whole when the ADC refuses the IPv6 summary, names the command once, and calls expected IPv6 neighbors unknown, not missing", () => {
        const refused = answers(SUMMARY, { output: "", failure: "% Unknown command." });
        const status = buildStatus("adc", refused, { expected: [{ address: "192.0.2.11" }, { address: "fd00:6::1" }] });
        assert.deepEqual(status.ipv6Refused, { command: "show bgp ipv6 summary", answer: "% Unknown command." });
        assert.deepEqual(
            status.problems.map((p) => [p.address, p.state]),
            [["fd00:6::1", "unknown"]],
        );
        assert.deepEqual(readable([{ address: "192.0.2.11" }, { address: "FD00:6::1" }], status.ipv6Refused), [{ address: "192.0.2.11" }]);
        const text = renderStatus(status);
        assert.match(text, /\| 192\.0\.2\.11 +\| 64512 +\| eBGP +\| up +\|/);
        assert.equal(text.match(/show bgp ipv6 summary/g)?.length, 2, "the line, and the unknown neighbor's hint pointing at it");
        assert.match(
            text,
            /IPv6 BGP status\nIPv6 sessions unknown: the ADC answered `show bgp ipv6 summary` with "% Unknown command\.": the ADC's vtysh does not list IPv6 sessions with this command, so their state cannot be read here; check the IPv6 neighbors on the ADC by hand\.\n\n/,
        );
        assert.doesNotMatch(text, /not configured/);
        // Without --expect, only the sessions the ADC could list are expected: IPv4 ones.
        assert.deepEqual(buildStatus("adc", refused).problems.map((p) => p.address), ["192.0.2.13"]);
    });

    it("fails with the command and the answer when the IPv4 summary or show route is refused", () => {
        assert.throws(() => buildStatus("adc", answers({ output: "", failure: "% Permission denied" })), (e: Error) => e instanceof AdcCommandError && /show ip bgp summary/.test(e.message) && /Permission denied/.test(e.message));
        assert.throws(() => buildStatus("adc", answers(SUMMARY, SUMMARY_V6, { output: "", failure: "ERROR: Not authorized to execute this command" })), (e: Error) => e instanceof AdcCommandError && /show route/.test(e.message));
    });
});

/** Quagga's `show bgp ipv6 summary` layout (the same columns as the IPv4 summary). */
const SUMMARY_V6 = [
    "BGP router identifier 192.0.2.1, local AS number 500",
    "BGP table version is 1",
    "",
    "Neighbor        V         AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
    "fd00:6::1       4      64512       9       9        1    0    0 00:01:00        2",
    "fd00:6::2       4      64512       0       0        0    0    0 never    Connect",
    "",
    "Total number of neighbors 2",
].join("\n");

/** The answers to STATUS_SHOWS: `show route`, then the IPv4 and IPv6 summaries. */
function answers(ipv4: string | ShowAnswer, ipv6: string | ShowAnswer = SUMMARY_V6.replace(/^fd00.*\n/gm, ""), showRoute: string | ShowAnswer = SHOW_ROUTE): StatusAnswers {
    const answer = (a: string | ShowAnswer): ShowAnswer => (typeof a === "string" ? { output: a } : a);
    return statusAnswers([answer(showRoute), answer(ipv4), answer(ipv6)]);
}

const errorOf = (r: ReturnType<typeof parseStatusArgs>): string => (r.kind === "error" ? r.message : `(no error: ${r.kind})`);

describe("health: status command arguments", () => {
    it("takes flags, falls back to environment variables, and applies defaults", () => {
        const r = parseStatusArgs(["--host", "10.0.0.5", "--fingerprint=SHA256:abc", "--expect", "192.0.2.11, 192.0.2.12", "--node-asn", "64512"], { ADC_USER: "admin", ADC_PORT: "2222" });
        assert.equal(r.kind, "run");
        if (r.kind !== "run") return;
        assert.equal(r.args.host, "10.0.0.5");
        assert.equal(r.args.port, 2222);
        assert.equal(r.args.user, "admin");
        assert.equal(r.args.fingerprint, "SHA256:abc");
        assert.deepEqual(r.args.expected, [{ address: "192.0.2.11" }, { address: "192.0.2.12" }]);
        assert.equal(r.args.nodeAsn, 64512);
        assert.equal(r.args.waitSeconds, 0);
        const fromEnv = parseStatusArgs([], { ADC_HOST: "adc", ADC_FINGERPRINT: "SHA256:x" });
        assert.equal(fromEnv.kind === "run" && fromEnv.args.host, "adc");
    });

    it("has no password flag, and says why", () => {
        for (const argv of [["--host", "a", "--password", "x"], ["--host", "a", "--password=x"], ["-p", "x"]]) {
            const r = parseStatusArgs(argv, {});
            assert.equal(r.kind, "error");
            assert.match(r.kind === "error" ? r.message : "", /no --password flag \(it would be kept in shell history and shown by ps\): set ADC_PASSWORD/);
        }
    });

    it("requires a host and a host key fingerprint unless told to skip the check", () => {
        assert.match(errorOf(parseStatusArgs([], {})), /--host \(or ADC_HOST\) is required/);
        assert.match(errorOf(parseStatusArgs(["--host", "a"], {})), /--fingerprint \(or ADC_FINGERPRINT\) is required/);
        assert.equal(parseStatusArgs(["--host", "a", "--insecure-ignore-host-key"], {}).kind, "run");
    });

    it("refuses values it cannot use", () => {
        const base = ["--host", "a", "--insecure-ignore-host-key"];
        assert.match(errorOf(parseStatusArgs([...base, "--port", "70000"], {})), /--port must be 1\.\.65535/);
        assert.match(errorOf(parseStatusArgs([...base, "--wait", "soon"], {})), /--wait must be a number of seconds/);
        assert.match(errorOf(parseStatusArgs([...base, "--expect", "node-1"], {})), /--expect takes IP addresses/);
        assert.match(errorOf(parseStatusArgs([...base, "--node-asn", "0"], {})), /--node-asn must be an AS number/);
        assert.match(errorOf(parseStatusArgs([...base, "--bogus"], {})), /unknown argument "--bogus"/);
        assert.match(errorOf(parseStatusArgs([...base, "--user"], {})), /--user needs a value/);
        assert.equal(parseStatusArgs(["--help"], {}).kind, "help");
    });
});
