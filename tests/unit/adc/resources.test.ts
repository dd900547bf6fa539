import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

const registered: Registered[] = [];

pulumi.runtime.setMocks(
    {
        newResource(args) {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs });
            // What the provider would return: the inputs plus outputs read from the device.
            return { id: `${args.name}-id`, state: { ...args.inputs, host: args.inputs.connection?.host, sessions: [], configuredNeighbors: [] } };
        },
        call: () => ({}),
    },
    "project",
    "stack",
    false,
);

// Imported after setMocks, as Pulumi's testing guide requires.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { AdcBgpNeighbors, AdcBgpRouter } = require("../../../provider") as typeof import("../../../provider");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { serializedShim } = require("../../../provider/adc/shim") as typeof import("../../../provider/adc/shim");

function value<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply(resolve));
}

async function isSecret<T>(o: pulumi.Output<T>): Promise<boolean> {
    return pulumi.isSecret(o);
}

/** How the engine receives a secret input: wrapped with Pulumi's secret signature. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function unwrapSecret(v: any): unknown {
    assert.equal(v?.[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270", `not sent as a secret: ${JSON.stringify(v)}`);
    return v.value;
}

describe("ADC resources under Pulumi mocks", () => {
    const connection = {
        host: "10.102.33.208",
        password: pulumi.secret("adc-secret-pw"),
        hostKeyFingerprint: "SHA256:" + "A".repeat(43),
    };

    it("registers the router with its type token, the serialized shim, and credentials apart from the connection", async () => {
        const router = new AdcBgpRouter("adc-bgp", { connection, localAsn: 500 });
        await value(router.urn);
        const r = registered.find((x) => x.name === "adc-bgp")!;
        assert.equal(r.type, "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpRouter");
        assert.match(r.inputs.__provider, /require\("pulumi-calico-adc\/dynamic"\)/);
        assert.ok(!r.inputs.__provider.includes("adc-secret-pw"));
        assert.deepEqual(r.inputs.connection, { host: "10.102.33.208", hostKeyFingerprint: "SHA256:" + "A".repeat(43) });
        assert.deepEqual(unwrapSecret(r.inputs.credentials), { password: "adc-secret-pw", privateKey: null, privateKeyPassphrase: null });
        assert.equal(r.inputs.localAsn, 500);
        assert.equal(await value(router.host), "10.102.33.208");
    });

    it("registers, for every resource of a kind, the one provider text the host evaluates (not a closure serialized per program run)", async () => {
        const routers = [new AdcBgpRouter("adc-bgp-a", { connection, localAsn: 500 }), new AdcBgpRouter("adc-bgp-b", { connection, localAsn: 501 })];
        const neighbors = new AdcBgpNeighbors("nodes-a", { connection, localAsn: 500, neighbors: [{ address: "10.102.33.198", remoteAsn: 64512 }] });
        await Promise.all([...routers.map((r) => value(r.urn)), value(neighbors.urn)]);
        const text = (name: string) => registered.find((x) => x.name === name)!.inputs.__provider as string;
        assert.equal(text("adc-bgp-a"), serializedShim("adcBgpRouter"));
        assert.equal(text("adc-bgp-b"), serializedShim("adcBgpRouter"));
        assert.equal(text("nodes-a"), serializedShim("adcBgpNeighbors"));
        assert.notEqual(serializedShim("adcBgpRouter"), serializedShim("adcBgpNeighbors"));
        // What pulumi.dynamic.Resource's closure serializer writes starts `exports.handler = __f0;`.
        assert.match(text("nodes-a"), /^exports\.handler = function \(\) \{/);
    });

    it("keeps the neighbor list readable while the passwords travel as a secret", async () => {
        const n = new AdcBgpNeighbors("nodes", {
            connection,
            localAsn: 500,
            neighbors: [
                { address: "10.102.33.198", remoteAsn: 64512, password: pulumi.secret("bgp-md5-pw") },
                { address: "10.102.33.202", remoteAsn: 64512 },
            ],
        });
        await value(n.urn);
        const r = registered.find((x) => x.name === "nodes")!;
        assert.equal(r.type, "pulumi-nodejs:dynamic/pulumi-calico-adc:AdcBgpNeighbors");
        assert.deepEqual(r.inputs.neighbors, [
            { address: "10.102.33.198", remoteAsn: 64512 },
            { address: "10.102.33.202", remoteAsn: 64512 },
        ]);
        assert.deepEqual(unwrapSecret(r.inputs.neighborPasswords), { "10.102.33.198": "bgp-md5-pw" });
        assert.equal(await isSecret(n.sessions), false, "sessions are not secret");
        assert.equal(await isSecret(n.configuredNeighbors), false, "the neighbors read back are not secret");
    });

    it("sends credentials as a secret even when the user passed a plain string", async () => {
        const plain = new AdcBgpRouter("plain", { connection: { ...connection, password: "plain-pw" }, localAsn: 500 });
        await value(plain.urn);
        const r = registered.find((x) => x.name === "plain")!;
        assert.deepEqual(unwrapSecret(r.inputs.credentials), { password: "plain-pw", privateKey: null, privateKeyPassphrase: null });
        assert.ok(!JSON.stringify(r.inputs.connection).includes("plain-pw"));
    });

    it("passes resource options through: a parent shows in the URN", async () => {
        const router = new AdcBgpRouter("r2", { connection, localAsn: 500 }, { protect: true });
        const n = new AdcBgpNeighbors("n2", { connection, localAsn: 500, neighbors: [] }, { dependsOn: [router], parent: router });
        await value(n.urn);
        assert.match(await value(n.urn), /AdcBgpRouter\$pulumi-nodejs:dynamic\/pulumi-calico-adc:AdcBgpNeighbors::n2$/);
    });
});
