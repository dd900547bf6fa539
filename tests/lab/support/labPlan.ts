/**
 * CalicoAdcPeering's plan for a lab cluster, as the component makes it from its arguments: the
 * ADC at the lab's address in AS 500, the lab's nodes in AS 64512, the lab's pool, Calico 3.32.1.
 * For a dual-stack lab each node's IPv6 address and the IPv6 pool too; the test then gives
 * `adc.ipv6PeerAddress`.
 */
import { strict as assert } from "node:assert";
import { planPeering, type PeeringPlan, type ResolvedPeering } from "../../../provider/component/plan";
import { Lab, LAB_ADC_ADDRESS, LAB_POOL, LAB_POOL6 } from "./lab";

/** The plan, with `adc` and `routeSafety` settings added to the lab's; fails the test on a problem. */
export function planLabPeering(lab: Lab, extra: { adc?: Partial<ResolvedPeering["adc"]>; routeSafety?: Partial<ResolvedPeering["routeSafety"]> } = {}): PeeringPlan {
    const planned = planPeering({
        name: "lab",
        adc: { asn: 500, peerAddress: LAB_ADC_ADDRESS, router: "create", ...extra.adc },
        cluster: {
            asn: 64512,
            asnSource: "cluster.asn",
            nodes: lab.nodes.map((n) => ({ name: n.name, address: n.address, ...(n.ipv6 ? { ipv6Address: n.ipv6.address } : {}) })),
            nodesSource: "cluster.nodes",
        },
        calicoApi: "projectcalico.org/v3",
        routeSafety: {
            calicoRelease: { value: "v3.32.1", source: "calicoVersion" },
            ipPools: { listed: [{ cidr: LAB_POOL }, ...(lab.nodes.some((n) => n.ipv6) ? [{ cidr: LAB_POOL6 }] : [])], source: "cluster.ipPools" },
            fieldManager: "pulumi-calico-adc-lab",
            // The lab's BIRD rendering has no BGPFilters; the reverse direction is proved on the API server.
            acceptFromAdc: false,
            ...extra.routeSafety,
        },
    });
    assert.ok(planned.ok, JSON.stringify(!planned.ok && planned.problems));
    return planned.plan;
}
