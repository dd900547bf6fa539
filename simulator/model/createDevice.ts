import { SimulatorOptions } from "../options";
import { InMemoryRoutingEngine } from "../routing/inMemoryEngine";
import { firstHost, parseIpv4Cidr } from "./addresses";
import { Device, DeviceSettings } from "./device";
import { featureAcronym, FEATURES } from "./features";
import { loadNscli, loadZebos } from "./loadConfig";
import { nodeState } from "./node";

/** The device settings for `options`, defaults filled in. */
export function deviceSettings(options: SimulatorOptions): DeviceSettings {
    const interfaceAddress = parseIpv4Cidr(options.interfaceAddress ?? "10.102.33.208/24");
    return {
        hostname: options.hostname ?? "ns",
        cliPrompt: options.cliPrompt ?? ">",
        interfaceAddress,
        interfaceName: options.interfaceName ?? "vlan0",
        linkLocalAddress: options.linkLocalAddress ?? "fe80::2cf6:beff:fe94:9f63",
        defaultGateway: options.defaultGateway ?? firstHost(interfaceAddress),
        defaultMaxPaths: options.defaultMaxPaths === undefined ? 8 : options.defaultMaxPaths,
        passwordDisplay: options.passwordDisplay ?? "clear",
        ipv6Section: { innerSeparator: options.ipv6Section?.innerSeparator ?? true, exitLine: options.ipv6Section?.exitLine ?? true },
        ipv6RouteInstallSupport: options.ipv6RouteInstallSupport ?? true,
        ipv6SummaryCommand: options.ipv6SummaryCommand ?? "show bgp ipv6 summary",
        bgpRouteTypeLabel: options.bgpRouteTypeLabel ?? "BGP",
        unknownCommandError: options.unknownCommandError ?? "No such command",
        bgpNotEnabledError: options.bgpNotEnabledError ?? "% BGP is not enabled",
        saveConfigIncludesZebos: options.saveConfigIncludesZebos ?? false,
        parentModeFallback: options.parentModeFallback ?? false,
        prefixListSupport: options.prefixListSupport ?? true,
        ipv6PrefixListSupport: options.ipv6PrefixListSupport ?? true,
        maximumPrefixSupport: options.maximumPrefixSupport ?? true,
        haCli: {
            failoverPrompt: options.haCli?.failoverPrompt === undefined ? "Please confirm whether you want force-failover (Y/N)? [N]: " : options.haCli.failoverPrompt,
            failoverOnSecondary: options.haCli?.failoverOnSecondary ?? false,
            secondaryError: options.haCli?.secondaryError ?? "Operation not permitted on secondary",
            standaloneError: options.haCli?.standaloneError ?? "HA is not configured",
        },
    };
}

/** A device as `options` describe it, its initial configuration loaded, saved and applied to the routing engine. */
export async function createDevice(options: SimulatorOptions = {}): Promise<Device> {
    const device = new Device(deviceSettings(options), options.routing ?? new InMemoryRoutingEngine());
    device.faults.bgpNotLicensed = options.faults?.bgpNotLicensed === true;
    device.node = nodeState(options.node);
    const initial = options.initialConfig ?? {};
    if (initial.enabledFeatures) {
        const on = new Set(
            initial.enabledFeatures.map((f) => {
                const acronym = featureAcronym(f);
                if (!acronym) throw new Error(`initialConfig.enabledFeatures: unknown feature "${f}" (known: ${FEATURES.map((x) => x.acronym).join(", ")})`);
                return acronym;
            }),
        );
        for (const f of FEATURES) device.features.set(f.acronym, on.has(f.acronym));
    }
    if (initial.nscli) await loadNscli(device, initial.nscli);
    if (initial.zebos) await loadZebos(device, initial.zebos);
    device.markAllSaved();
    await device.syncRouting();
    return device;
}
