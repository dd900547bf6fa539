import { strict as assert } from "assert";
import { parseRunningConfig } from "../../../provider/core/parseRunningConfig";
import { NOTHING_OWNED, planRouter, planRouterRemoval, type RouterIntent } from "../../../provider/core/plan";
import { renderChanges } from "../../../provider/core/render";
import type { Asn } from "../../../provider/core/values";

const INTENT: RouterIntent = { asn: 500 as Asn, routerId: null, maxPaths: { ebgp: null, ibgp: null }, routeInstall: false, redistributeKernel: false, gracefulRestart: true };
const device = (...body: string[]) => parseRunningConfig(["router bgp 500", ...body.map((l) => ` ${l}`), "!", "end"].join("\n"));
const texts = (plan: { ok: boolean; changes?: readonly unknown[] }) => {
    assert.ok(plan.ok, JSON.stringify(plan));
    return renderChanges((plan as { changes: Parameters<typeof renderChanges>[0] }).changes).map((l) => l.text);
};

describe("bgp graceful-restart: planned, owned and removed like the router's other settings", () => {
    it("is read from the running config, with a restart-time form counted as on", () => {
        assert.equal(device("bgp graceful-restart").routers[0]!.gracefulRestart, "");
        assert.equal(device("bgp graceful-restart restart-time 120").routers[0]!.gracefulRestart, "restart-time 120");
        assert.equal(device("redistribute kernel").routers[0]!.gracefulRestart, null);
        assert.deepEqual(device("bgp graceful-restart").routers[0]!.otherLines, [], "not taken for someone else's line");
    });

    it("is added when asked and missing, and then owned; nothing when the device has it", () => {
        const plan = planRouter(device(), INTENT, { ...NOTHING_OWNED, router: true }, false);
        assert.deepEqual(texts(plan), ["bgp graceful-restart"]);
        assert.equal(plan.ok && plan.owned.gracefulRestart, true);
        assert.deepEqual(texts(planRouter(device("bgp graceful-restart"), INTENT, { ...NOTHING_OWNED, router: true, gracefulRestart: true }, false)), []);
    });

    it("one set by hand (any form) is left alone: not owned, never removed, and it keeps the router on delete", () => {
        const byHand = device("bgp graceful-restart restart-time 120");
        const plan = planRouter(byHand, INTENT, { ...NOTHING_OWNED, router: true }, false);
        assert.deepEqual(texts(plan), []);
        assert.equal(plan.ok && plan.owned.gracefulRestart, undefined);
        const removal = planRouterRemoval(byHand, 500 as Asn, { ...NOTHING_OWNED, router: true });
        assert.ok(removal.ok);
        assert.deepEqual(texts(removal), []);
        assert.match(removal.keptRouterBecause ?? "", /bgp graceful-restart restart-time 120/);
    });

    it("is removed when no longer asked (only if owned), and on delete", () => {
        const owned = { ...NOTHING_OWNED, router: true, gracefulRestart: true };
        assert.deepEqual(texts(planRouter(device("bgp graceful-restart", "neighbor 10.0.0.1 remote-as 64512"), { ...INTENT, gracefulRestart: false }, owned, false)), ["no bgp graceful-restart"]);
        const removal = planRouterRemoval(device("bgp graceful-restart", "neighbor 10.0.0.1 remote-as 64512"), 500 as Asn, owned);
        assert.deepEqual(texts(removal), ["no bgp graceful-restart"]);
        const alone = planRouterRemoval(device("bgp graceful-restart"), 500 as Asn, owned);
        assert.ok(alone.ok && alone.changes.some((c) => c.op === "remove-router"), "an owned router holding only its own setting goes");
    });
});
