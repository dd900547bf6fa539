/**
 * The providers' implementations, loaded by the serialized shims at call time (package subpath
 * `pulumi-calico-adc/dynamic`). Exported for tests and advanced users who want to call
 * check/diff/create/read/update/delete directly.
 */
import { adcBgpNeighborsProvider } from "./neighborsProvider";
import { adcBgpRouterProvider } from "./routerProvider";

export const providers = {
    adcBgpRouter: adcBgpRouterProvider,
    adcBgpNeighbors: adcBgpNeighborsProvider,
} as const;
