/**
 * The NetScaler ingress controller's Calico runbook in one program:
 *
 *   Kubernetes: BGPPeer { peerIP: 10.102.33.208, asNumber: 500 } (global: every node peers)
 *   ADC:        en feature bgp; router bgp 500; neighbor <node> remote-as 64512 (one per node);
 *               ns route-install bgp; saved
 *
 * The nodes and the cluster's AS are read from the cluster at program time, so `pulumi preview`
 * shows the exact neighbors, and nodes that join or leave are added or removed by the next
 * `pulumi up`. Config keys: see README.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { CalicoAdcPeering, CalicoApiVersion, ClusterNodeArgs } from "pulumi-calico-adc";

const config = new pulumi.Config();
/** Whether a key is set, without reading it (reading a secret with get() warns). */
const isSet = (key: string) => pulumi.runtime.getConfig(`${pulumi.getProject()}:${key}`) !== undefined;
const waitFor = config.get("waitForEstablished");

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
    },
    cluster: {
        asn: config.getNumber("clusterAsn"),
        nodes: config.getObject<ClusterNodeArgs[]>("nodes"),
        kubeconfig: isSet("kubeconfig") ? config.requireSecret("kubeconfig") : undefined,
        context: config.get("kubeContext"),
    },
    calicoApi: config.get("calicoApi") as CalicoApiVersion | undefined,
    bgpPeerName: config.get("bgpPeerName"),
    waitForEstablished: waitFor === undefined ? undefined : waitFor === "true" ? true : waitFor === "false" ? false : Number(waitFor),
});

/** `calicoctl get bgppeer`: NAME PEERIP NODE ASN. */
export const bgpPeer = peering.bgpPeer;
export const bgpPeerName = peering.bgpPeerName;
/** The ADC's neighbors for this cluster, as read back from `show running-config`. */
export const neighbors = peering.neighbors;
/** Each node's session as the ADC reports it (`show ip bgp summary`): what `calicoctl node status` shows per node. */
export const sessions = peering.sessions;
export const clusterAsn = peering.clusterAsn;
export const nodes = peering.nodes;
