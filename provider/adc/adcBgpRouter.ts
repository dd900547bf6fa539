import * as pulumi from "@pulumi/pulumi";
import type { AdcBgpNeighborState, AdcBgpRouterArgs, BgpSessionState } from "./args";
import { splitConnection, withSecretOutputs } from "./secretInputs";
import { refuseImport } from "./importOption";
import { dynamicType, serializedShim } from "./shim";

/** The same text for every resource of the kind: built once. */
const provider = serializedShim("adcBgpRouter");

/**
 * The ADC's device-level BGP settings: the BGP feature, `router bgp <localAsn>`, router id,
 * `max-paths`, `ns route-install bgp` and `redistribute kernel`, applied over SSH in vtysh and
 * saved.
 *
 * - `pulumi preview` never connects to the device.
 * - Changing `localAsn` (or the device) replaces the router, deleting first: the device runs one
 *   BGP instance.
 * - Deleting it removes only what it added: a `router bgp` that still holds neighbors of another
 *   stack, or that existed before (`adoptExisting`), stays.
 *
 * @example
 * ```ts
 * const router = new AdcBgpRouter("adc-bgp", {
 *     connection: { host: "10.102.33.208", password: cfg.requireSecret("adcPassword"), hostKeyFingerprint: cfg.require("adcHostKey") },
 *     localAsn: 500,
 * });
 * ```
 */
export class AdcBgpRouter extends pulumi.CustomResource {
    /** The ADC the router lives on. */
    declare readonly host: pulumi.Output<string>;
    declare readonly port: pulumi.Output<number>;
    /** `router bgp <localAsn>`. */
    declare readonly localAsn: pulumi.Output<number>;
    /** Whether `router bgp <localAsn>` was found on the device at the last read. */
    declare readonly routerPresent: pulumi.Output<boolean>;
    /** Whether the BGP feature was enabled at the last read. */
    declare readonly bgpFeatureEnabled: pulumi.Output<boolean>;
    /** Every neighbor in the router block (this stack's and others'), as read from the device. */
    declare readonly configuredNeighbors: pulumi.Output<AdcBgpNeighborState[]>;
    /** Every BGP session the device reports (`show ip bgp summary`). */
    declare readonly sessions: pulumi.Output<BgpSessionState[]>;
    /**
     * True when the device may hold changes of this resource that are not saved yet (the last
     * save failed or was cut off): `pulumi refresh` shows it, and the next `pulumi up` saves.
     */
    declare readonly savePending: pulumi.Output<boolean>;
    /** For an HA pair (`connection.nodes`): whether the secondary showed what this resource owns on the primary, at the last `up` or `refresh`. */
    declare readonly secondaryInSync: pulumi.Output<boolean | undefined>;
    /** For an HA pair: the node read as the secondary, and the lines it differed by (passwords redacted). */
    declare readonly secondary: pulumi.Output<{ host: string; port: number; differences: string[] } | undefined>;

    constructor(name: string, args: AdcBgpRouterArgs, opts?: pulumi.CustomResourceOptions) {
        refuseImport("AdcBgpRouter", name, opts);
        // Registered as pulumi.dynamic.Resource registers it (its type token, `__provider`), with
        // the provider's text written out rather than serialized from a closure (see serializedShim).
        super(
            dynamicType("AdcBgpRouter"),
            name,
            {
                __provider: provider,
                ...splitConnection(args.connection),
                localAsn: args.localAsn,
                routerId: args.routerId,
                maxPaths: args.maxPaths,
                routeInstall: args.routeInstall,
                routeInstallIpv6: args.routeInstallIpv6,
                redistributeKernel: args.redistributeKernel,
                gracefulRestart: args.gracefulRestart,
                saveConfig: args.saveConfig,
                adoptExisting: args.adoptExisting,
                host: undefined,
                port: undefined,
                routerPresent: undefined,
                bgpFeatureEnabled: undefined,
                configuredNeighbors: undefined,
                sessions: undefined,
                savePending: undefined,
                secondaryInSync: undefined,
                secondary: undefined,
            },
            withSecretOutputs(opts, ["credentials"]),
        );
    }
}
