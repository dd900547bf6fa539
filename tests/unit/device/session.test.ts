import { strict as assert } from "assert";
import { AdcCommandError, AdcDisconnectedError, AdcModeError, AdcTimeoutError } from "../../../provider/device/errors";
import type { ConfigLine } from "../../../provider/device/types";
import { openFake, TERMINALS } from "./support";

/** The nscli questions about the node (HA state, cluster, partitions) that go with the first exchange. */
const NODE_FACTS = "show ha node\nshow cluster instance\nshow ns partition\n";

const ROUTE_TABLE = [
    "        Network          Netmask          Gateway/OwnedIP  State   Traffic Domain  Type",
    "        -------          -------          ---------------  -----   --------------  ----",
    "1)      0.0.0.0          0.0.0.0          192.168.255.1    UP      0              STATIC",
    "2)      10.244.1.0       255.255.255.0    10.102.33.198    UP      0              BGP",
];

const RUNNING = ["!", "log syslog", "!", "router bgp 500", " neighbor 10.0.0.1 remote-as 64512", "!", "end"];

const router = (text: string, asn = 500): ConfigLine => ({ context: { routerBgp: asn }, text });
const global = (text: string): ConfigLine => ({ context: "global", text });

describe("device/session over a scripted terminal", function () {
    this.timeout(10_000);

    for (const t of TERMINALS) {
        describe(t.name, () => {
            it("opens past the banner and lands at the nscli prompt without a round trip of its own; paging goes off with the first command", async () => {
                const { session, shell, logs } = await openFake({ echo: t.echo, chunkSize: t.chunkSize });
                try {
                    assert.equal(session.currentMode, "cli");
                    assert.deepEqual(shell.lines, []);
                    assert.deepEqual(logs, ["adc 10.0.0.1: connected as nsroot"]);
                    await session.cli("save ns config");
                    // A write as the first command asks which node this is first (a read would carry the questions).
                    assert.deepEqual(shell.writes, [`set cli mode -page OFF\n${NODE_FACTS}`, "save ns config\n"]);
                    assert.deepEqual(session.stats, { linesSent: 5, configLinesSent: 0, exchanges: 2 });
                } finally {
                    await session.close();
                }
            });

            it("returns nscli output exactly, without echo, Done or prompt", async () => {
                const { session } = await openFake({
                    echo: t.echo,
                    chunkSize: t.chunkSize,
                    device: { shows: { "show route": ROUTE_TABLE.map((l) => `${l}\r\n`).join("") + " Done\r\n" }, ansiPrompts: true },
                });
                try {
                    assert.equal(await session.cli("show route"), ROUTE_TABLE.join("\n"));
                } finally {
                    await session.close();
                }
            });

            const pagers = [
                { pager: " --More-- ", erase: `\r${" ".repeat(10)}\r` },
                { pager: "--More--", erase: "\b".repeat(8) + " ".repeat(8) + "\b".repeat(8) },
                { pager: "\x1b[7m--More--\x1b[m", erase: "\r\x1b[K" },
            ];
            for (const { pager, erase } of pagers) {
                it(`returns vtysh show output exactly, answering the pager ${JSON.stringify(pager)}`, async () => {
                    const pages = [RUNNING.slice(0, 3), RUNNING.slice(3, 5), RUNNING.slice(5)].map((p) => p.map((l) => `${l}\r\n`).join(""));
                    const { session, shell } = await openFake({
                        echo: t.echo,
                        chunkSize: t.chunkSize,
                        device: { shows: { "show running-config": { pages, pager, erase } } },
                    });
                    try {
                        assert.equal(await session.vtyshShow("show running-config"), RUNNING.join("\n"));
                        assert.equal(session.currentMode, "vtysh");
                        assert.equal(shell.writes.filter((w) => w === " ").length, 2, "each pager was answered with one space");
                    } finally {
                        await session.close();
                    }
                });
            }

            it("applies a batch in one write, with the moves and context changes generated from the lines, and ends at ns#", async () => {
                const { session, shell, device, logs } = await openFake({ echo: t.echo, chunkSize: t.chunkSize });
                try {
                    const before = shell.writes.length;
                    await session.configure([
                        global("ns route-install bgp"),
                        router("neighbor 10.0.0.1 remote-as 64512"),
                        router("neighbor 10.0.0.2 remote-as 64512"),
                        global("ns route-install default"),
                    ]);
                    const writes = shell.writes.slice(before);
                    assert.deepEqual(writes, [
                        `set cli mode -page OFF\n${NODE_FACTS}`,
                        "vtysh\nconfigure terminal\n" +
                            "ns route-install bgp\nrouter bgp 500\nneighbor 10.0.0.1 remote-as 64512\nneighbor 10.0.0.2 remote-as 64512\nexit\nns route-install default\nend\n",
                    ]);
                    assert.deepEqual(device.state.applied, [
                        "ns route-install bgp",
                        "router bgp 500",
                        "neighbor 10.0.0.1 remote-as 64512",
                        "neighbor 10.0.0.2 remote-as 64512",
                        "ns route-install default",
                    ]);
                    assert.equal(device.state.mode, "vtysh");
                    assert.equal(session.currentMode, "vtysh");
                    assert.deepEqual(session.stats, { linesSent: 4 + 2 + 6 + 1, configLinesSent: 4, exchanges: 2 });
                    assert.deepEqual(logs.slice(1), ["adc 10.0.0.1: applying 4 configuration lines"]);
                } finally {
                    await session.close();
                }
            });

            it("names the rejected line with the device's answer, the lines accepted before and after, and still ends at ns#", async () => {
                const { session, device } = await openFake({
                    echo: t.echo,
                    chunkSize: t.chunkSize,
                    device: { reject: (l) => (l.includes("10.0.0.2") ? "% Invalid input detected at '^' marker." : undefined) },
                });
                try {
                    const err = await session
                        .configure([router("neighbor 10.0.0.1 remote-as 1"), router("neighbor 10.0.0.2 remote-as 1"), router("neighbor 10.0.0.3 remote-as 1")])
                        .then(() => undefined, (e: unknown) => e);
                    assert.ok(err instanceof AdcCommandError, String(err));
                    assert.equal(err.command, "neighbor 10.0.0.2 remote-as 1");
                    assert.equal(err.answer, "% Invalid input detected at '^' marker.");
                    assert.deepEqual(err.applied, ["neighbor 10.0.0.1 remote-as 1"]);
                    assert.deepEqual(err.appliedAfter, ["neighbor 10.0.0.3 remote-as 1"]);
                    assert.match(err.message, /the device rejected "neighbor 10\.0\.0\.2 remote-as 1": % Invalid input/);
                    assert.match(err.fix, /accepted 1/);
                    assert.equal(session.currentMode, "vtysh");
                    assert.equal(device.state.mode, "vtysh");
                    assert.equal(await session.cli("save ns config"), "");
                } finally {
                    await session.close();
                }
            });
        });
    }

    it("reads a stray prompt before the echo as nothing and attributes output to the right command", async () => {
        const { session, shell } = await openFake({ device: { shows: { "show ns version": "\tNetScaler NS14.1: Build 25.56.nc\r\n Done\r\n" } } });
        try {
            shell.print("\r\n> ");
            assert.equal(await session.cli("show ns version"), "\tNetScaler NS14.1: Build 25.56.nc");
        } finally {
            await session.close();
        }
    });

    it("sends one empty line when no prompt follows the banner, and ignores the extra prompt it may cause", async () => {
        const { session, shell } = await openFake({ greeting: "Welcome\r\n", session: { nudgeAfterMs: 20 }, device: { shows: { "show ns version": "\tNetScaler NS14.1\r\n Done\r\n" } } });
        try {
            assert.deepEqual(shell.lines, [""]);
            shell.print("\r\n> ");
            assert.equal(await session.cli("show ns version"), "\tNetScaler NS14.1");
        } finally {
            await session.close();
        }
    });

    it("does not end a vtysh answer at an output line that looks like the nscli prompt", async () => {
        const bgpTable = "   Network          Next Hop            Metric LocPrf Weight Path\r\n*> 10.244.1.0/24    10.0.0.1                 0             0 64512 i\r\n";
        for (const chunkSize of [1, 2, 3, 5, 7]) {
            const { session } = await openFake({ chunkSize, device: { shows: { "show ip bgp": bgpTable } } });
            try {
                assert.equal(await session.vtyshShow("show ip bgp"), bgpTable.replace(/\r\n$/, "").replace(/\r/g, ""));
            } finally {
                await session.close();
            }
        }
    });

    it("does not end an nscli answer at an output line that ends in >", async () => {
        const text = "Greeting: <hello>\r\nadd responder action a1 respondwith <b>\r\n";
        for (const chunkSize of [1, 2, 3, 5, 7]) {
            const { session } = await openFake({ chunkSize, device: { shows: { "show ns runningConfig": `${text} Done\r\n` } } });
            try {
                assert.equal(await session.cli("show ns runningConfig"), text.replace(/\r\n$/, "").replace(/\r/g, ""));
            } finally {
                await session.close();
            }
        }
    });

    it("tolerates a customised nscli prompt and another vtysh host name", async () => {
        const { session } = await openFake({ device: { cliPrompt: "lb-ns1 15:16>", hostname: "adc-1.example" }, chunkSize: 2 });
        try {
            await session.configure([router("neighbor 10.0.0.1 remote-as 64512")]);
            assert.equal(session.currentPrompt, "adc-1.example#");
            await session.save();
            assert.equal(session.currentPrompt, "lb-ns1 15:16> ");
        } finally {
            await session.close();
        }
    });

    it("walks from a config sub-mode back to nscli when it logs in there", async () => {
        const { session, shell } = await openFake({ device: { startMode: "af" } });
        try {
            assert.deepEqual(shell.lines, ["end", "exit", "set cli mode -page OFF", ...NODE_FACTS.trim().split("\n")]);
            assert.equal(shell.writes.length, 1, "walked in one exchange");
            assert.equal(session.currentMode, "cli");
        } finally {
            await session.close();
        }
    });

    it("gives up after a bounded number of steps when the prompts never lead to the target mode", async () => {
        // A device whose `exit` at ns# does nothing.
        const { session, shell } = await openFake({ device: { reject: (l, mode) => (mode === "vtysh" && l === "exit" ? "" : undefined) } });
        try {
            await session.vtyshShow("show ip bgp summary").catch(() => undefined);
            const err = await session.cli("show route").then(() => undefined, (e: unknown) => e);
            assert.ok(err instanceof AdcModeError, String(err));
            assert.equal(err.from, "vtysh");
            assert.equal(err.to, "cli");
            assert.ok(shell.lines.filter((l) => l === "exit").length <= 12);
        } finally {
            await session.close();
        }
    });

    it("reports another running ASN as the rejected `router bgp` with what to do", async () => {
        const { session } = await openFake({ device: { runningAsn: 500 } });
        try {
            const err = await session.configure([router("neighbor 10.0.0.1 remote-as 1", 600)]).then(() => undefined, (e: unknown) => e);
            assert.ok(err instanceof AdcCommandError, String(err));
            assert.equal(err.command, "router bgp 600");
            assert.match(err.answer, /BGP is already running; AS is 500/);
            assert.match(err.fix, /localAsn 500/);
            assert.deepEqual(err.applied, []);
            assert.equal(session.currentMode, "vtysh");
        } finally {
            await session.close();
        }
    });

    it("counts a prompt of the wrong mode as a failure even without a `%` line", async () => {
        // `router bgp 600` refused with a bare message: the prompt stays ns(config)#.
        const { session } = await openFake({ device: { reject: (l) => (l === "router bgp 600" ? "BGP instance 500 exists" : undefined) } });
        try {
            const err = await session.configure([router("", 600)]).then(() => undefined, (e: unknown) => e);
            assert.ok(err instanceof AdcCommandError, String(err));
            assert.equal(err.command, "router bgp 600");
            assert.match(err.answer, /BGP instance 500 exists\n\(the device went to config mode instead of configRouter mode\)/);
        } finally {
            await session.close();
        }
    });

    it("creates a bare router from a routerBgp line with empty text", async () => {
        const { session, shell } = await openFake();
        try {
            await session.configure([router("", 65000)]);
            assert.deepEqual(shell.lines.slice(-2), ["router bgp 65000", "end"]);
        } finally {
            await session.close();
        }
    });

    it("sends nothing for an empty batch", async () => {
        const { session, shell } = await openFake();
        try {
            const before = shell.writes.length;
            await session.configure([]);
            assert.equal(shell.writes.length, before);
        } finally {
            await session.close();
        }
    });

    it("refuses lines that would break the batch's mode tracking before sending anything", async () => {
        const { session, shell } = await openFake();
        try {
            const before = shell.writes.length;
            for (const bad of [global("exit"), global("end"), global("router bgp 1"), global("a\nb"), global(""), router("x", 0)]) {
                await assert.rejects(session.configure([bad]), /cannot be sent/);
            }
            assert.equal(shell.writes.length, before);
        } finally {
            await session.close();
        }
    });

    it("saves with write in vtysh, then save ns config", async () => {
        const { session, shell } = await openFake();
        try {
            await session.save();
            assert.deepEqual(shell.lines.slice(4), ["vtysh", "terminal length 0", "write", "exit", "save ns config"]);
            assert.equal(shell.writes.length, 2, "which node this is, then one exchange");
        } finally {
            await session.close();
        }
    });

    it("falls back to write memory when the device does not know write", async () => {
        const { session, shell } = await openFake({ device: { reject: (l) => (l === "write" ? "% Unknown command." : undefined) } });
        try {
            await session.save();
            // `save ns config` went out with `write` and runs again after `write memory`: it is idempotent.
            assert.deepEqual(shell.lines.slice(4), ["vtysh", "terminal length 0", "write", "exit", "save ns config", "vtysh", "write memory", "exit", "save ns config"]);
        } finally {
            await session.close();
        }
    });

    it("turns ERROR: into AdcCommandError with the answer and advice", async () => {
        const { session } = await openFake({ device: { reject: (l) => (l.startsWith("enable") ? "ERROR: Feature(s) not licensed" : undefined) } });
        try {
            const err = await session.cli("enable ns feature BGP").then(() => undefined, (e: unknown) => e);
            assert.ok(err instanceof AdcCommandError);
            assert.equal(err.command, "enable ns feature BGP");
            assert.equal(err.answer, "ERROR: Feature(s) not licensed");
            assert.match(err.fix, /license/);
        } finally {
            await session.close();
        }
    });

    it("only runs show commands through vtyshShow", async () => {
        const { session, shell } = await openFake();
        try {
            await assert.rejects(session.vtyshShow("configure terminal"), /only runs show commands/);
            assert.deepEqual(shell.lines, []);
        } finally {
            await session.close();
        }
    });

    it("times out with the command and the last output when no prompt comes", async () => {
        const { session } = await openFake({ device: { silentOn: (l) => l === "show route" }, connection: { commandTimeoutMs: 150 } });
        try {
            const err = await session.cli("show route").then(() => undefined, (e: unknown) => e);
            assert.ok(err instanceof AdcTimeoutError, String(err));
            assert.equal(err.command, "show route");
            assert.match(err.lastOutput, /show route/);
            assert.match(err.message, /no prompt within 150 ms after "show route"/);
            // The late answer could be taken for the next command's: the session refuses to go on.
            await assert.rejects(session.cli("show ns version"), (e: unknown) => e === err);
        } finally {
            await session.close();
        }
    });

    it("reports a connection dropped mid-batch with the line in flight and the lines confirmed", async () => {
        const { session } = await openFake({ device: { dropOn: (l) => l.includes("10.0.0.3") } });
        const err = await session
            .configure([router("neighbor 10.0.0.1 remote-as 1"), router("neighbor 10.0.0.2 remote-as 1"), router("neighbor 10.0.0.3 remote-as 1"), router("neighbor 10.0.0.4 remote-as 1")])
            .then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof AdcDisconnectedError, String(err));
        assert.equal(err.command, "neighbor 10.0.0.3 remote-as 1");
        assert.deepEqual(err.applied, ["neighbor 10.0.0.1 remote-as 1", "neighbor 10.0.0.2 remote-as 1"]);
        await assert.rejects(session.cli("show route"), AdcDisconnectedError);
        await session.close();
    });

    describe("redaction", () => {
        const SECRET = "Md5-Secret-77";
        const line: ConfigLine = { context: { routerBgp: 500 }, text: `neighbor 10.0.0.1 password ${SECRET}`, redacted: "neighbor 10.0.0.1 password <redacted>" };

        it("never puts a line's secret or the login password in errors, logs or the trace", async () => {
            const { session, logs, traces } = await openFake({
                device: { reject: (l) => (l.includes("password") ? `% Invalid password ${SECRET} for Login-Secret-42` : undefined) },
            });
            try {
                const err = await session.configure([line, router("neighbor 10.0.0.2 remote-as 1")]).then(() => undefined, (e: unknown) => e);
                assert.ok(err instanceof AdcCommandError, String(err));
                assert.equal(err.command, "neighbor 10.0.0.1 password <redacted>");
                const everything = [err.message, err.answer, err.fix, ...err.applied, ...err.appliedAfter, ...logs, ...traces].join("\n");
                assert.ok(everything.includes("<redacted>"));
                assert.ok(!everything.includes(SECRET), everything);
                assert.ok(!everything.includes("Login-Secret-42"), everything);
                assert.ok(traces.length > 0);
            } finally {
                await session.close();
            }
        });

        it("never puts a secret in a timeout's last output or a disconnect", async () => {
            const { session } = await openFake({ device: { silentOn: (l) => l.includes("password") }, connection: { commandTimeoutMs: 150 } });
            try {
                const err = await session.configure([line]).then(() => undefined, (e: unknown) => e);
                assert.ok(err instanceof AdcTimeoutError, String(err));
                assert.ok(!`${err.message}${err.lastOutput}${err.command}`.includes(SECRET));
                assert.match(err.lastOutput, /<redacted>/);
            } finally {
                await session.close();
            }
            const dropped = await openFake({ device: { dropOn: (l) => l.includes("password") } });
            const err2 = await dropped.session.configure([line]).then(() => undefined, (e: unknown) => e);
            assert.ok(err2 instanceof AdcDisconnectedError, String(err2));
            assert.ok(!err2.message.includes(SECRET));
            await dropped.session.close();
        });
    });
});
