/**
 * pulumi-calico-adc: peer a Calico Kubernetes cluster with a Citrix ADC / NetScaler over BGP.
 *
 * - {@link AdcBgpRouter}, {@link AdcBgpNeighbors}: the ADC side, over SSH.
 * - `providers`: their provider objects, to call check/diff/create/read/update/delete directly.
 * - {@link CalicoBgpPeer}: Calico's BGPPeer, typed and validated.
 * - {@link CalicoAdcPeering}: the whole peering (BGPPeer, router, one neighbor per node) in one resource.
 *
 * The simulator is a separate entry point: `pulumi-calico-adc/simulator`.
 */
export * from "./adc/args";
export { AdcBgpRouter } from "./adc/adcBgpRouter";
export { AdcBgpNeighbors } from "./adc/adcBgpNeighbors";
export { providers } from "./adc/providers";
export * from "./device/errors";
export * from "./calico";
export * from "./component";
