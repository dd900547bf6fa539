/**
 * TCP MD5 between the ADC (`neighbor X password`) and a Calico node (BGPPeer password from a
 * Secret, rendered as BIRD `password`): the kernel signs and checks every segment, inside the
 * namespaces.
 */
import { strict as assert } from "node:assert";
import { parseBgpSummary } from "../../provider/core/parseShowOutputs";
import { SessionsNotEstablishedError, waitForEstablished } from "../../provider/health/established";
import { waitFor } from "./support/exec";
import { Lab } from "./support/lab";
import { startLabSimulator, type LabSimulator } from "./support/labSimulator";
import { assertLabPrerequisites } from "./support/prerequisites";

describe("lab: BGP with a TCP MD5 password on both ends", function () {
    this.timeout(60_000);
    let lab: Lab;
    let adc: LabSimulator;

    const established = async () => ((await lab.nodes[0]!.status())[0]?.info === "Established" ? true : undefined);
    const readSessions = async () => parseBgpSummary(await adc.sim.device.vtysh("show ip bgp summary"));

    before(async function () {
        this.timeout(60_000);
        assertLabPrerequisites();
        lab = await Lab.start({ nodes: 1 });
        adc = await startLabSimulator(lab);
        await adc.sim.device.cli("enable ns feature BGP");
    });

    after(async function () {
        this.timeout(60_000);
        await adc?.close();
        await lab?.stop();
    });

    it("comes up when both ends have the same password", async () => {
        const node = lab.nodes[0]!;
        await lab.setPeer(lab.peer, { password: "lab-md5-secret" });
        await adc.sim.device.configure(["router bgp 500", `neighbor ${node.address} remote-as 64512`, `neighbor ${node.address} password lab-md5-secret`]);
        await waitFor("the signed session", established, { timeoutMs: 20_000 });
        assert.match(await lab.nodes[0]!.bird.birdc("show protocols all Global_203_0_113_1"), /BGP state: +Established/);
    });

    it("stays down with different passwords, and the health check names the passwords among the causes", async () => {
        const node = lab.nodes[0]!;
        await lab.setPeer(lab.peer, { password: "another-secret" });
        await waitFor("the session to drop", async () => ((await node.status())[0]?.info !== "Established" ? true : undefined), { timeoutMs: 20_000 });
        // Unsigned or wrongly signed segments are dropped by the kernel: nothing ever reaches BGP.
        await new Promise((r) => setTimeout(r, 3000));
        assert.notEqual((await node.status())[0]?.info, "Established");
        const err = await waitForEstablished({ host: "lab-adc", expected: [{ address: node.address, remoteAsn: 64512 }], readSessions, timeoutMs: 0 }).catch((e: unknown) => e);
        assert.ok(err instanceof SessionsNotEstablishedError);
        assert.match(err.problems[0]!.state, /^(Active|Connect|Idle)$/);
        assert.match(err.problems[0]!.hint, /MD5 passwords match on both ends/);
        assert.ok(!err.message.includes("another-secret") && !err.message.includes("lab-md5-secret"));

        await lab.setPeer(lab.peer, { password: "lab-md5-secret" });
        await waitFor("the session back with matching passwords", established, { timeoutMs: 30_000 });
    });
});
