export { CalicoAdcPeering, CALICO_ADC_PEERING_TYPE, BgpPeerRow } from "./calicoAdcPeering";
export { CalicoAdcPeeringArgs, AdcPeeringArgs, ClusterPeeringArgs, ClusterNodeArgs, BgpPeerOptions } from "./args";
export { discoverCluster, DiscoverClusterArgs, ClusterDiscovery, ClusterAsnSource, CALICO_DEFAULT_ASN, CALICO_NODE_NAMESPACES } from "./discovery";
export { ClusterDiscoveryError, PeeringInputError, PeeringInputProblem } from "./errors";
export { NodeBgpEndpoint, NodeAddressSource, KubeNode, nodeBgpEndpoint, parseAsNumber } from "./nodeAddresses";
export { planPeering, PeeringPlan, PeeringPlanResult, ResolvedPeering, ResolvedNode, PeeredNode, PlannedNeighbor } from "./plan";
export { bgpPasswordProblem } from "./bgpPassword";
export { isKubeconfigContents } from "./kubeconfig";
