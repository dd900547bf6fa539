/**
 * A pager prompt during type-ahead: the channel refuses the batch (the typed-ahead lines may have
 * been taken for keys) and throws from the middle of the read, with the rest of that batch's
 * answers on the screen and on their way. The failure path reads the device again on the same
 * session first (observeAfterFailure): that read must fail (so a new session is used) or show
 * the device's whole configuration, never a leftover of the refused batch.
 */
import { strict as assert } from "assert";
import { openFake } from "./support";

const RUNNING = ["!", "router bgp 500", " neighbor 10.0.0.1 remote-as 64512", " neighbor 10.0.0.2 remote-as 64512", " neighbor 10.0.0.3 remote-as 64512", "!", "end"];
const pages = [RUNNING.slice(0, 3), RUNNING.slice(3)].map((p) => p.map((l) => `${l}\r\n`).join(""));
const pager = " --More-- ";
const erase = `\r${" ".repeat(10)}\r`;
const router = (text: string) => ({ context: { routerBgp: 500 }, text });

describe("the same session after a pager met type-ahead", function () {
    this.timeout(20_000);
    for (const echo of ["line", "typeahead"] as const) {
        it(`${echo} echo: the read after the refusal fails or shows the whole running config`, async () => {
            const { session } = await openFake({
                echo,
                device: { runningAsn: 500, shows: { "show running-config": { pages, pager, erase }, "show ip bgp summary": "BGP router identifier 10.0.0.1, local AS number 500\r\n", "show bgp ipv6 summary": "" } },
            });
            try {
                await session.vtyshShow("show ip bgp summary");
                const refused = await session.configure([router("neighbor 10.0.0.3 remote-as 64512")], ["show running-config", "show ip bgp summary", "show bgp ipv6 summary"]).then(
                    () => undefined,
                    (e: unknown) => e,
                );
                assert.ok(refused instanceof Error && /paged its answer/.test(refused.message), String(refused));
                // What observeAfterFailure does next, on the same session.
                const again = await session.vtyshShows(["show running-config", "show ip bgp summary", "show bgp ipv6 summary"]).then(
                    (answers) => answers,
                    (e: unknown) => e as Error,
                );
                if (again instanceof Error) return; // the caller falls back to a new session: fine
                assert.equal(again[0].failure, undefined, `the running config read answered ${JSON.stringify(again[0])}`);
                assert.equal(again[0].output, RUNNING.join("\n"), `the read taken for the running config: ${JSON.stringify(again.map((a) => a.output))}`);
            } finally {
                await session.close();
            }
        });
    }
});
