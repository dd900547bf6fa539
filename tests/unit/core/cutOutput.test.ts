/**
 * A `show running-config` answer that stops before its closing `end` (the connection dropped,
 * a pager or a prompt-like text ended the read early) is never taken as the device's whole
 * configuration: what the cut hid may be a neighbor of another cluster, or the rest of the
 * router block. The planner refuses, quoting the last lines and saying to read again.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { readFileSync } from "fs";
import { join } from "path";
import { parseConfigTree } from "../../../provider/core/configTree";
import { bgpRouter, parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { doubts, NOTHING_OWNED, planNeighbors, planNeighborsRemoval, planRouter, planRouterRemoval } from "../../../provider/core/plan";
import { conflictError } from "../../../provider/adc/conflicts";
import { filterView, NO_FILTER_OWNED, planPrefixFilterRemoval } from "../../../provider/core/prefixFilter";
import type { Asn, IpAddress } from "../../../provider/core/values";

const asn = (n: number) => n as Asn;
const ip = (a: string) => a as IpAddress;
const DIR = join(__dirname, "..", "..", "..", "..", "tests", "fixtures", "running-configs");
/** The NetScaler Calico guide's `show running-config`, verbatim (entry 42 of the corpus). */
const WHOLE = readFileSync(join(DIR, "42-netscaler-calico-network-doc.conf"), "utf8");

/** Whether every planner refuses on the text, with an uncertain region quoting lines. */
function refusedEverywhere(text: string): boolean {
    const config = parseRunningConfig(text);
    const a = asn(bgpRouter(config)?.asn ?? 500);
    const ours = new Set([ip("10.102.33.198")]);
    const refused = (p: { readonly ok: true } | { readonly ok: false; readonly conflicts: readonly ({ readonly kind: string } & Partial<{ readonly regions: readonly { readonly lines: readonly unknown[] }[] }>)[] }) =>
        !p.ok && p.conflicts.some((c) => c.kind === "uncertain" && (c.regions ?? []).every((r) => r.lines.length > 0));
    return [
        planNeighbors(config, a, [{ address: ip("10.102.33.250"), remoteAsn: asn(64512), description: null, password: null, updateSource: null, ebgpMultihop: null }], new Set(), true),
        planNeighborsRemoval(config, a, ours),
        planRouterRemoval(config, a, { ...NOTHING_OWNED, router: true, routerId: true }),
        planRouter(config, { asn: a, routerId: null, maxPaths: { ebgp: null, ibgp: null }, routeInstall: true, routeInstallIpv6: false, redistributeKernel: true }, NOTHING_OWNED, true),
        // The prefix filter too: a list cut short must not be taken for the whole list.
        planPrefixFilterRemoval(filterView(text, config), a, { ...NO_FILTER_OWNED, lists: new Set(["CALICO-PODS"]) }, ours),
    ].every(refused);
}

describe("a running-config read that was cut", () => {
    it("takes the whole answer, closed by 'end' (with or without a final line break, CRLF, blanks after it), as complete", () => {
        for (const text of [WHOLE, WHOLE.trimEnd(), WHOLE.replace(/\n/g, "\r\n"), `${WHOLE}\n\n   \n`]) {
            assert.equal(parseConfigTree(text).cut, null);
            assert.deepEqual(doubts(parseRunningConfig(text)), []);
        }
    });

    it("refuses an answer cut before 'end', mid-block, or mid-line, quoting its last lines and saying to read again", () => {
        const lines = WHOLE.trimEnd().split("\n");
        const routerAt = lines.indexOf("router bgp 500");
        const cuts = {
            "no end": lines.slice(0, -1).join("\n"),
            "after the router's lines, before its '!'": lines.slice(0, routerAt + 4).join("\n"),
            "right after 'router bgp'": lines.slice(0, routerAt + 1).join("\n"),
            "mid-line": `${lines.slice(0, routerAt + 3).join("\n")}\n neighbor 10.102.33.1`,
            "a partial 'end'": `${lines.slice(0, -1).join("\n")}\nen`,
            "a pager prompt last": `${lines.slice(0, routerAt + 3).join("\n")}\n--More--`,
            "nothing": "",
            "blanks only": "\r\n  \n",
            "'end' indented": `${lines.slice(0, -1).join("\n")}\n end`,
        };
        for (const [what, text] of Object.entries(cuts)) {
            assert.ok(refusedEverywhere(text), what);
            const cut = parseConfigTree(text).cut!;
            assert.match(cut.reason, /read was cut.*run it again/, what);
            const last = text.trimEnd().split("\n").pop()!.trim();
            if (last !== "") assert.ok(cut.lines.some((l) => l.text.endsWith(last.replace(/^--More--/, ""))), `${what}: quotes ${JSON.stringify(last)}`);
        }
        // The user sees where the read stopped.
        const plan = planNeighbors(parseRunningConfig(cuts["mid-line"]), asn(500), [], new Set(), false);
        assert.ok(!plan.ok);
        assert.match(conflictError("adc1", plan.conflicts).message, /read was cut[^]*line \d+: neighbor 10\.102\.33\.1$/m);
    });

    it("never shows a password in the lines it quotes, whether the cut fell after it or inside it", () => {
        const secret = "Foreign-Secret-0123456789";
        const before = ["!", "router bgp 500", " neighbor 10.9.9.9 remote-as 65000", ` neighbor 10.9.9.9 password ${secret}`];
        for (const text of [before.join("\n"), `${before.join("\n").slice(0, -6)}`, [...before, "!", "end"].join("\n").replace("10.9.9.9 password", "010.9.9.9 password")]) {
            const plan = planNeighbors(parseRunningConfig(text), asn(500), [], new Set(), false);
            assert.ok(!plan.ok, text);
            const message = conflictError("adc1", plan.conflicts).message;
            assert.match(message, /password <redacted>/, message);
            assert.ok(!message.includes(secret.slice(0, 12)), message);
        }
    });

    it("property: the guide's answer and every corpus entry, cut at any character short of its 'end', is refused by every planner", () => {
        const index: { entries: { file: string }[] } = JSON.parse(readFileSync(join(DIR, "index.json"), "utf8"));
        const texts = index.entries.map((e) => readFileSync(join(DIR, e.file), "utf8")).map((t) => (/(?:^|\n)end\s*$/.test(t) ? t.trimEnd() : `${t.trimEnd()}\nend`));
        fc.assert(
            fc.property(fc.constantFrom(...texts), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (text, where) => {
                // Anywhere before the last character of the final "end".
                const cut = text.slice(0, Math.floor(where * (text.length - 1)));
                assert.ok(refusedEverywhere(cut), JSON.stringify(cut.slice(-200)));
            }),
            { numRuns: 400 },
        );
    });
});
