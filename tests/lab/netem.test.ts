/**
 * The lab with a real round-trip time: `tc netem` on both ends of the ADC namespace's veth.
 * Proves the delay is on the wire (a TCP handshake from a node to the ADC takes at least the
 * round trip) and that BGP comes up across it.
 */
import { strict as assert } from "node:assert";
import { runIn, waitFor } from "./support/exec";
import { Lab } from "./support/lab";
import { startLabSimulator, type LabSimulator } from "./support/labSimulator";
import { assertLabPrerequisites } from "./support/prerequisites";

const ONE_WAY_MS = 10;

/** Milliseconds of the first of `tries` TCP connects from `ns` to `host:port` to complete (a SYN, SYN-ACK round trip). */
const CONNECT_TIMER = `
const net = require("net");
const [host, port] = process.argv.slice(1);
const t0 = process.hrtime.bigint();
const s = net.connect(Number(port), host, () => { console.log(Number(process.hrtime.bigint() - t0) / 1e6); s.destroy(); });
s.on("error", () => { console.log(Number(process.hrtime.bigint() - t0) / 1e6); });
`;

describe("lab: a real round-trip time on the ADC's link (tc netem)", function () {
    this.timeout(90_000);
    let lab: Lab;
    let adc: LabSimulator;

    before(async function () {
        this.timeout(60_000);
        assertLabPrerequisites();
        try {
            lab = await Lab.start({ nodes: 1, adcLinkDelayMs: ONE_WAY_MS });
        } catch (e) {
            // Some kernels (minimal VM builds) lack sch_netem; nothing here can add it.
            if (/qdisc kind is unknown/.test(String(e))) {
                console.log("      skipped: this kernel has no netem qdisc (sch_netem); the simulator's networkDelayMs models the link instead");
                this.skip();
            }
            throw e;
        }
        adc = await startLabSimulator(lab);
    });

    after(async function () {
        this.timeout(60_000);
        await adc?.close();
        await lab?.stop();
    });

    it("puts netem on both ends of the ADC's veth; a TCP handshake from a node takes at least the round trip", async () => {
        const qdisc = await runIn(lab.adc.ns, "tc", ["qdisc", "show", "dev", "eth0"]);
        assert.match(qdisc.stdout, new RegExp(`netem .*delay ${ONE_WAY_MS}(\\.0)?ms`));
        const node = lab.nodes[0]!;
        // A refused connect (RST) is a round trip too: the BGP port is open only once bgpd listens.
        const r = await runIn(node.ns, process.execPath, ["-e", CONNECT_TIMER, lab.adc.address, "179"]);
        const ms = Number(r.stdout.trim());
        assert.ok(ms >= 2 * ONE_WAY_MS, `handshake took ${ms} ms`);
    });

    it("BGP comes up across the delay", async () => {
        const node = lab.nodes[0]!;
        await adc.sim.device.cli("enable ns feature BGP");
        await adc.sim.device.configure(["router bgp 500", `neighbor ${node.address} remote-as 64512`]);
        await waitFor("the session to be Established", async () => (/^Established/.test((await node.status())[0]?.info ?? "") ? true : undefined), { timeoutMs: 45_000 });
    });
});
