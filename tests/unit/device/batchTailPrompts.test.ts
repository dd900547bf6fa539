/**
 * The prompts of the incomplete last line of a batch: over every echo style and chunking of the
 * scripted fake, a batch cut at the fourth line lists exactly the three before it, and a
 * successful batch answers each line with its own output; a stray prompt (one with no echo before
 * it, which the whole-line path discards) in the tail at a drop is not taken for an answer.
 */
import { strict as assert } from "assert";
import { AdcDisconnectedError, type AdcSession } from "../../../provider/device";
import { openFake, TERMINALS } from "./support";

const ctx = { routerBgp: 500 };
const lines = [1, 2, 3, 4, 5].map((i) => ({ context: ctx, text: `neighbor 10.1.0.${i} remote-as 64512` }));

const SHOWS = { "show running-config": "!\r\nrouter bgp 500\r\n!\r\nend\r\n" };

/** A read, then the lines, on a device that cuts the connection during them: the disconnect. */
async function cutShort(session: AdcSession): Promise<AdcDisconnectedError> {
    await session.vtyshShow("show running-config");
    const err = await session.configure(lines).then(
        () => undefined,
        (e: unknown) => e,
    );
    assert.ok(err instanceof AdcDisconnectedError, String(err));
    return err;
}

describe("prompts in the incomplete last line of a batch", function () {
    this.timeout(20_000);
    for (const t of TERMINALS) {
        it(`${t.name}: a drop at the fourth line lists the three before it`, async () => {
            const { session } = await openFake({ echo: t.echo, chunkSize: t.chunkSize, device: { runningAsn: 500, shows: SHOWS, dropOn: (l) => l === lines[3].text } });
            try {
                const err = await cutShort(session);
                assert.equal(err.command, lines[3].text);
                assert.deepEqual(err.applied, lines.slice(0, 3).map((l) => l.text));
            } finally {
                await session.close();
            }
        });

        it(`${t.name}: a successful batch with shows answers each with its own output`, async () => {
            const { session } = await openFake({
                echo: t.echo,
                chunkSize: t.chunkSize,
                device: { runningAsn: 500, shows: { "show ip bgp summary": "BGP router identifier 10.0.0.1, local AS number 500\r\n", "show bgp ipv6 summary": "v6 line\r\n" } },
            });
            try {
                const answers = await session.configure(lines, ["show ip bgp summary", "show bgp ipv6 summary"]);
                assert.deepEqual(
                    answers.map((a) => a.output),
                    ["BGP router identifier 10.0.0.1, local AS number 500", "v6 line"],
                );
            } finally {
                await session.close();
            }
        });
    }

    it("line echo: a stray prompt in the tail at a drop is not taken for the answer to the line in flight", async () => {
        let shellRef: { print(text: string): void; hangUp(): void } | undefined;
        const { session, shell } = await openFake({
            echo: "line",
            device: {
                runningAsn: 500,
                shows: SHOWS,
                // The second line is answered by its prompt and one extra prompt (no echo between:
                // the whole-line path would discard it as stray), then the connection drops.
                silentOn: (l) => {
                    if (l !== lines[1].text) return false;
                    shellRef!.print("ns(config-router)# ns(config-router)# ");
                    shellRef!.hangUp();
                    return true;
                },
            },
        });
        shellRef = shell;
        try {
            const err = await cutShort(session);
            assert.equal(err.command, lines[2].text, `cut at ${err.command}, applied ${JSON.stringify(err.applied)}`);
            assert.deepEqual(err.applied, lines.slice(0, 2).map((l) => l.text));
        } finally {
            await session.close();
        }
    });
});
