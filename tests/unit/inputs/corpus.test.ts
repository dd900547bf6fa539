import { strict as assert } from "assert";
import { resolveNeighborsInputs, resolveRouterInputs, type Failure, type Resolved } from "../../../provider/adc/inputs";
import { requireSpec } from "../../../provider/adc/providerSupport";
import { CalicoBgpPeer } from "../../../provider/calico/calicoBgpPeer";
import { validateBgpPeer } from "../../../provider/calico/validate";
import { peeringArgsProblems } from "../../../provider/component/args";
import { planPeering } from "../../../provider/component/plan";
import { parseStatusArgs } from "../../../provider/health/statusCli";
import { EMPTY_CONFIG, emptyRouter, type RunningConfig } from "../../../provider/core/model";
import { NOTHING_OWNED, planNeighbors, planRouter } from "../../../provider/core/plan";
import { renderChanges } from "../../../provider/core/render";
import type { Asn, IpAddress } from "../../../provider/core/values";
import type { ConfigLine } from "../../../provider/device/types";
import { ABSENT, BGP_PASSWORD, CORPUS, FINGERPRINT, SSH_PASSWORD, type CorpusCase } from "./corpus";

const EMPTY: RunningConfig = EMPTY_CONFIG;
const WITH_ROUTER: RunningConfig = { ...EMPTY_CONFIG, routeInstall: new Set(["bgp"]), routers: [emptyRouter(500 as Asn)] };

function base(resource: CorpusCase["resource"]): Record<string, unknown> {
    const connection = { host: "10.102.33.1", password: SSH_PASSWORD, hostKeyFingerprint: FINGERPRINT };
    if (resource === "router") return { connection, localAsn: 500 };
    if (resource === "neighbors") return { connection, localAsn: 500, neighbors: [{ address: "10.102.33.202", remoteAsn: 64512 }] };
    return { adc: { connection, asn: 500, peerAddress: "10.102.33.208" }, cluster: { asn: 64512, nodes: [{ name: "worker-1", address: "10.102.33.202" }] } };
}

/** `path` is `a.b[0].c`; ABSENT removes the key. Intermediate objects are created. */
function withValue(root: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
    const copy = structuredClone(root);
    const keys = path.split(/\.|\[(\d+)\]\.?/).filter((k) => k !== undefined && k !== "");
    let at: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) {
        if (at[key] === null || typeof at[key] !== "object") at[key] = {};
        at = at[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (value === ABSENT) delete at[last];
    else at[last] = value;
    return copy;
}

/** A line as the device receives it (a bare line that only enters `router bgp` shows as that). */
const deviceLine = (l: ConfigLine): string => (l.context !== "global" && l.text === "" ? `router bgp ${l.context.routerBgp}` : l.text);

/** Outcome of one case: failures (property, reason) or the lines planned on a fresh device. */
function outcome(c: CorpusCase, raw: Record<string, unknown>): { failures: readonly Failure[]; message: string } | { lines: string[] } {
    if (c.resource === "peering") {
        const problems = peeringArgsProblems(raw);
        if (problems.length > 0) return { failures: problems.map((p) => ({ property: p.field, reason: p.reason })), message: problems.map((p) => `${p.field}: ${p.reason} ${JSON.stringify(p.value)}`).join("\n") };
        const adc = raw.adc as Record<string, unknown>;
        const cluster = raw.cluster as { asn: number; nodes: { name: string; address: string; asn?: number }[] };
        const planned = planPeering({
            name: "cluster-a",
            adc: { ...adc, router: "create" } as never,
            cluster: { asn: cluster.asn, asnSource: "cluster.asn", nodes: cluster.nodes, nodesSource: "cluster.nodes" },
            calicoApi: "projectcalico.org/v3",
            routeSafety: {
                calicoRelease: { value: "3.31.7", source: "calicoVersion" },
                ipPools: { listed: [{ cidr: "192.168.0.0/16" }], source: "cluster.ipPools" },
                fieldManager: "pulumi-calico-adc-corpus",
            },
        });
        assert.ok(planned.ok, JSON.stringify(!planned.ok && planned.problems));
        return outcome({ ...c, resource: "neighbors" }, { connection: adc.connection, localAsn: planned.plan.neighbors.localAsn, neighbors: planned.plan.neighbors.neighbors });
    }
    const resolved: Resolved<unknown> = c.resource === "router" ? resolveRouterInputs(raw) : resolveNeighborsInputs(raw);
    if (!resolved.ok) {
        let message = "";
        try {
            requireSpec(resolved);
        } catch (e) {
            message = `${(e as Error).message}\n${(e as Error).stack}`;
        }
        return { failures: resolved.failures, message };
    }
    if (c.resource === "router") {
        const spec = requireSpec(resolveRouterInputs(raw));
        const plan = planRouter(EMPTY, spec.intent, NOTHING_OWNED, false);
        assert.ok(plan.ok);
        return { lines: renderChanges(plan.changes).map(deviceLine) };
    }
    const spec = requireSpec(resolveNeighborsInputs(raw));
    const plan = planNeighbors(WITH_ROUTER, spec.asn, spec.neighbors, new Set<IpAddress>(), false);
    assert.ok(plan.ok);
    return { lines: renderChanges(plan.changes).map(deviceLine) };
}

/** A refusal says what to do, not only what is wrong. */
const FIX = /\b(give|use|remove|set|write|leave|shorten|did you mean|run|must be|is required|add)\b/i;

describe("inputs: the bad-input corpus", () => {
    it("has at least 250 cases over every input field of the three resources", () => {
        assert.ok(CORPUS.length >= 250, `${CORPUS.length} cases`);
        const fields = new Set(CORPUS.map((c) => `${c.resource}:${c.path.replace(/\[\d+\]/g, "[]")}`));
        for (const f of [
            "router:connection.host", "router:connection.port", "router:connection.username", "router:connection.password", "router:connection.privateKey",
            "router:connection.privateKeyPassphrase", "router:connection.hostKeyFingerprint", "router:connection.insecureIgnoreHostKey",
            "router:connection.connectTimeoutMs", "router:connection.commandTimeoutMs", "router:connection.connectRetries", "router:credentials",
            "router:localAsn", "router:routerId", "router:maxPaths", "router:routeInstall", "router:redistributeKernel", "router:saveConfig", "router:adoptExisting",
            "neighbors:neighbors", "neighbors:neighbors[].address", "neighbors:neighbors[].remoteAsn", "neighbors:neighbors[].description", "neighbors:neighbors[].password",
            "neighbors:neighbors[].updateSource", "neighbors:neighbors[].ebgpMultihop", "neighbors:neighborPasswords", "neighbors:waitForEstablishedSeconds",
            "peering:adc", "peering:cluster", "peering:cluster.nodes",
        ]) {
            assert.ok(fields.has(f), `no case for ${f}`);
        }
    });

    for (const c of CORPUS) {
        const shown = c.value === ABSENT ? "(absent)" : typeof c.value === "string" ? JSON.stringify(c.value) : (JSON.stringify(c.value) ?? String(c.value));
        const title = "refused" in c.expect ? `${c.resource} ${c.path} = ${shown}: refused at ${c.expect.refused}` : `${c.resource} ${c.path} = ${shown}: accepted`;
        it(title, () => {
            const result = outcome(c, withValue(base(c.resource), c.path, c.value));
            if ("refused" in c.expect) {
                const refused = c.expect.refused;
                assert.ok("failures" in result, `accepted; planned ${JSON.stringify("lines" in result && result.lines)}`);
                const failure = result.failures.find((f) => f.property === refused);
                assert.ok(failure, `no failure at ${refused}: ${JSON.stringify(result.failures)}`);
                assert.match(failure.reason, FIX, "the reason says what to do");
                const everything = `${JSON.stringify(result.failures)}\n${result.message}`;
                for (const secret of [SSH_PASSWORD, BGP_PASSWORD]) assert.ok(!everything.includes(secret), `a secret in: ${everything}`);
                if (c.path.endsWith("password")) assert.ok(typeof c.value !== "string" || c.value.length < 4 || !everything.includes(c.value), everything);
                // Every character of the message is visible, so nothing in it hides or breaks a line.
                assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u.test(everything.replace(/\n/g, "")), JSON.stringify(everything));
            } else {
                assert.ok("lines" in result, `refused: ${"failures" in result ? JSON.stringify(result.failures) : ""}`);
                assert.deepEqual(result.lines, c.expect.lines);
            }
        });
    }
});

describe("inputs: CalicoBgpPeer refuses unknown keys too", () => {
    it("a typo in its arguments or its spec names the key and the one meant", () => {
        assert.throws(
            () => new CalicoBgpPeer("adc", { spec: { peerIP: "10.102.33.208", asNumber: 500 }, calicoVerison: "3.31.7" } as never),
            (e: Error) => /calicoVerison/.test(e.message) && /did you mean "calicoVersion"/.test(e.message),
        );
        const checked = validateBgpPeer({ name: "adc", spec: { peerIP: "10.102.33.208", asNumber: 500, keepOrignalNextHop: true } });
        assert.ok(!checked.ok);
        assert.ok(checked.failures.some((f) => f.field === "spec.keepOrignalNextHop" && /did you mean "keepOriginalNextHop"/.test(f.reason)), JSON.stringify(checked.failures));
    });
});

describe("inputs: the status command reads --host by the same rule", () => {
    it("refuses a number the resolver reads as another address, and takes a canonical address or a name", () => {
        for (const [host, reached] of [["010.0.0.1", "8.0.0.1"], ["127.1", "127.0.0.1"], ["2130706433", "127.0.0.1"]]) {
            const r = parseStatusArgs(["--host", host, "--insecure-ignore-host-key"], {});
            assert.equal(r.kind, "error");
            assert.match(r.kind === "error" ? r.message : "", new RegExp(`--host .*reads as ${reached.replace(/\./g, "\\.")}`));
        }
        for (const host of ["10.102.33.1", "adc.example.com", "fd00::1"]) {
            const r = parseStatusArgs(["--host", host, "--insecure-ignore-host-key"], {});
            assert.equal(r.kind, "run", JSON.stringify(r));
        }
    });
});
