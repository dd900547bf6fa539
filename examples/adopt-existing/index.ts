/**
 * An ADC already peered by hand from the runbook: `router bgp 500`, `neighbor <node> remote-as
 * 64512` lines, `ns route-install bgp`. With `adoptExisting`, the first `pulumi up` takes over the
 * router and the node neighbors that are already there instead of failing on them, and only adds
 * what is missing (a node that joined since, the Calico BGPPeer). Anything else in the router
 * (other neighbors, settings it had) is left alone, also on destroy; adopted node neighbors are
 * owned from then on, and destroy removes them.
 * Config keys: see README.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { CalicoAdcPeering, CalicoApiVersion, ClusterNodeArgs } from "pulumi-calico-adc";

const config = new pulumi.Config();
const isSet = (key: string) => pulumi.runtime.getConfig(`${pulumi.getProject()}:${key}`) !== undefined;

const peering = new CalicoAdcPeering("runbook", {
    adc: {
        connection: {
            host: config.require("adcHost"),
            port: config.getNumber("adcPort"),
            username: config.get("adcUsername"),
            password: config.requireSecret("adcPassword"),
            hostKeyFingerprint: config.get("adcHostKey"),
            insecureIgnoreHostKey: config.getBoolean("adcInsecureIgnoreHostKey"),
        },
        asn: config.getNumber("adcAsn") ?? 500,
        peerAddress: config.get("adcPeerAddress") ?? "10.102.33.208",
        adoptExisting: config.getBoolean("adoptExisting") ?? true,
    },
    cluster: {
        asn: config.getNumber("clusterAsn"),
        nodes: config.getObject<ClusterNodeArgs[]>("nodes"),
        kubeconfig: isSet("kubeconfig") ? config.requireSecret("kubeconfig") : undefined,
        context: config.get("kubeContext"),
    },
    calicoApi: config.get("calicoApi") as CalicoApiVersion | undefined,
    // The runbook's BGPPeer was created with kubectl under this name: keep it so the peer is the same.
    bgpPeerName: config.get("bgpPeerName"),
});

export const bgpPeer = peering.bgpPeer;
export const neighbors = peering.neighbors;
export const sessions = peering.sessions;
