/**
 * The runbook's peering (ADC 10.102.33.208 in AS 500, cluster AS 64512) with a BGP MD5 password:
 *
 *   Kubernetes: Secret <name> in calico-node's namespace, a Role + RoleBinding letting calico-node
 *               read it, BGPPeer { peerIP, asNumber, password.secretKeyRef }
 *   ADC:        neighbor <node> password <pw> on every node neighbor
 *
 * The password stays a secret everywhere: in the config, the state, the Secret and the ADC
 * resources' inputs. Config keys: see README.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { CalicoAdcPeering, CalicoApiVersion, ClusterNodeArgs } from "pulumi-calico-adc";

const config = new pulumi.Config();
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
    bgpPassword: config.requireSecret("bgpPassword"),
    calicoNamespace: config.get("calicoNamespace"),
    waitForEstablished: waitFor === undefined ? undefined : waitFor === "true" ? true : waitFor === "false" ? false : Number(waitFor),
});

export const bgpPeer = peering.bgpPeer;
export const bgpPeerName = peering.bgpPeerName;
/** `hasPassword` is true on every neighbor once applied; the password itself is never an output. */
export const neighbors = peering.neighbors;
export const sessions = peering.sessions;
export const passwordSecret = peering.children.passwordSecret!.metadata.apply((m) => `${m.namespace}/${m.name}`);
