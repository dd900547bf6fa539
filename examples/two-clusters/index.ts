/**
 * Two clusters, one ADC. The ADC runs one BGP instance, so one `router bgp <asn>` is shared; each
 * cluster gets its own global BGPPeer (in its own cluster) and its own set of ADC neighbors. Each
 * neighbor set owns only its nodes' addresses: adding, removing or destroying one cluster's
 * peering never touches the other's neighbors. Config keys: see README.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { AdcBgpRouter, CalicoAdcPeering, CalicoApiVersion, ClusterNodeArgs } from "pulumi-calico-adc";

const config = new pulumi.Config();
const isSet = (key: string) => pulumi.runtime.getConfig(`${pulumi.getProject()}:${key}`) !== undefined;

const connection = {
    host: config.require("adcHost"),
    port: config.getNumber("adcPort"),
    username: config.get("adcUsername"),
    password: config.requireSecret("adcPassword"),
    hostKeyFingerprint: config.get("adcHostKey"),
    insecureIgnoreHostKey: config.getBoolean("adcInsecureIgnoreHostKey"),
};
const asn = config.getNumber("adcAsn") ?? 500;
const peerAddress = config.get("adcPeerAddress") ?? "10.102.33.208";
const calicoApi = config.get("calicoApi") as CalicoApiVersion | undefined;

/** The one router bgp both clusters' neighbors live in. */
const router = new AdcBgpRouter("adc-router", { connection, localAsn: asn, routeInstall: true });

/** One cluster's peering; `cluster` is `clusterA` or `clusterB` (the config key prefix). */
function peer(cluster: "clusterA" | "clusterB", name: string): CalicoAdcPeering {
    return new CalicoAdcPeering(name, {
        adc: { connection, asn, peerAddress, router },
        cluster: {
            asn: config.getNumber(`${cluster}Asn`),
            nodes: config.getObject<ClusterNodeArgs[]>(`${cluster}Nodes`),
            kubeconfig: isSet(`${cluster}Kubeconfig`) ? config.requireSecret(`${cluster}Kubeconfig`) : undefined,
            context: config.get(`${cluster}Context`),
        },
        calicoApi: (config.get(`${cluster}CalicoApi`) as CalicoApiVersion | undefined) ?? calicoApi,
    });
}

const a = peer("clusterA", "cluster-a");
const b = peer("clusterB", "cluster-b");

export const clusterA = { bgpPeer: a.bgpPeer, neighbors: a.neighbors, sessions: a.sessions };
export const clusterB = { bgpPeer: b.bgpPeer, neighbors: b.neighbors, sessions: b.sessions };
