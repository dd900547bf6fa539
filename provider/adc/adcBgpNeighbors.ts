import * as pulumi from "@pulumi/pulumi";
import type { AdcBgpNeighborState, AdcBgpNeighborsArgs, BgpSessionState } from "./args";
import { splitConnection, splitNeighbors, withSecretOutputs } from "./secretInputs";
import { refuseImport } from "./importOption";
import { dynamicType, serializedShim } from "./shim";

/** The same text for every resource of the kind: built once. */
const provider = serializedShim("adcBgpNeighbors");

/**
 * A set of BGP neighbors on the ADC under `router bgp <localAsn>`, owned by this resource: one
 * per Kubernetes node, typically.
 *
 * - Adding or removing one neighbor changes only that neighbor on the device, and
 *   `pulumi preview` shows exactly that without connecting to it.
 * - Neighbors it does not own (another cluster's, hand-made ones) are never touched; listing one
 *   fails unless `adoptExisting` is set.
 * - `pulumi refresh` reads the device: a neighbor removed or changed by hand shows as drift, and
 *   the next `pulumi up` restores it.
 * - Passwords are stored as secrets and never appear in outputs or messages.
 * - With `prefixFilter` and `maximumPrefix`, every neighbor gets the inbound filter and limit in
 *   the same batch that creates it; the list is owned like the neighbors.
 */
export class AdcBgpNeighbors extends pulumi.CustomResource {
    declare readonly host: pulumi.Output<string>;
    declare readonly port: pulumi.Output<number>;
    declare readonly localAsn: pulumi.Output<number>;
    /** The neighbor addresses this resource owns on the device. */
    declare readonly owned: pulumi.Output<string[]>;
    /** This resource's neighbors as read from the device (passwords only as `hasPassword`). */
    declare readonly configuredNeighbors: pulumi.Output<AdcBgpNeighborState[]>;
    /** This resource's neighbors' BGP sessions, as the device reports them. */
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
    /** The prefix lists this resource created (or adopted) on the ADC, and the neighbors whose `maximum-prefix` it set. */
    declare readonly filterOwned: pulumi.Output<{ lists: string[]; ipv6Lists: string[]; limits: string[] }>;
    /** After `pulumi refresh`: how the device's inbound filter differs from the inputs, one sentence a difference. */
    declare readonly filterDrift: pulumi.Output<string[]>;

    constructor(name: string, args: AdcBgpNeighborsArgs, opts?: pulumi.CustomResourceOptions) {
        refuseImport("AdcBgpNeighbors", name, opts);
        // Registered as pulumi.dynamic.Resource registers it (its type token, `__provider`), with
        // the provider's text written out rather than serialized from a closure (see serializedShim).
        super(
            dynamicType("AdcBgpNeighbors"),
            name,
            {
                __provider: provider,
                ...splitConnection(args.connection),
                ...splitNeighbors(args.neighbors),
                localAsn: args.localAsn,
                saveConfig: args.saveConfig,
                adoptExisting: args.adoptExisting,
                waitForEstablishedSeconds: args.waitForEstablishedSeconds,
                prefixFilter: args.prefixFilter,
                maximumPrefix: args.maximumPrefix,
                host: undefined,
                port: undefined,
                owned: undefined,
                configuredNeighbors: undefined,
                sessions: undefined,
                savePending: undefined,
                secondaryInSync: undefined,
                secondary: undefined,
                filterOwned: undefined,
                filterDrift: undefined,
            },
            withSecretOutputs(opts, ["credentials", "neighborPasswords", "passwordForms"]),
        );
    }
}
