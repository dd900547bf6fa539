/**
 * A planned change to the device, as data. The planner produces these, the renderer turns them
 * into CLI lines, and {@link applyChanges} predicts their effect (used to prove the planner).
 */
import { emptyRouter, runningNeighbor, type BgpRouter, type Neighbor, type NeighborAttributes, type RunningConfig, type RunningNeighbor } from "./model";
import type { Asn, IpAddress } from "./values";

export type NeighborAttribute = keyof NeighborAttributes;

/** NetScaler features a resource turns on and off (nscli `enable|disable ns feature <name>`). */
export type Feature = "BGP";

export type Change =
    /** An nscli change, outside vtysh: enabling runs before the vtysh lines (vtysh needs it), disabling after them. */
    | { readonly op: "set-feature"; readonly feature: Feature; readonly enabled: boolean }
    | { readonly op: "set-route-install"; readonly kind: string; readonly present: boolean }
    | { readonly op: "create-router"; readonly asn: Asn }
    | { readonly op: "remove-router"; readonly asn: Asn }
    | { readonly op: "set-router-id"; readonly asn: Asn; readonly value: string | null }
    | { readonly op: "set-max-paths"; readonly asn: Asn; readonly kind: "ebgp" | "ibgp"; readonly value: number | null }
    | { readonly op: "set-redistribute"; readonly asn: Asn; readonly source: string; readonly present: boolean }
    /** `bgp graceful-restart` (NetScaler shows it without arguments) or its `no` form. */
    | { readonly op: "set-graceful-restart"; readonly asn: Asn; readonly present: boolean }
    | { readonly op: "add-neighbor"; readonly asn: Asn; readonly neighbor: Neighbor }
    | { readonly op: "remove-neighbor"; readonly asn: Asn; readonly address: IpAddress }
    | { readonly op: "set-neighbor-remote-as"; readonly asn: Asn; readonly address: IpAddress; readonly remoteAsn: Asn }
    /** `neighbor X activate` (or its `no` form) in the address family's section; only IPv6 unicast is planned. */
    | { readonly op: "set-neighbor-activate"; readonly asn: Asn; readonly address: IpAddress; readonly family: "ipv6"; readonly active: boolean }
    | {
          readonly op: "set-neighbor-attribute";
          readonly asn: Asn;
          readonly address: IpAddress;
          readonly attribute: NeighborAttribute;
          readonly value: string | number | null;
      };

function updateRouter(config: RunningConfig, asn: Asn, fn: (r: BgpRouter) => BgpRouter): RunningConfig {
    return { ...config, routers: config.routers.map((r) => (r.asn === asn && r.vrf === null ? fn(r) : r)) };
}

function updateNeighbor(r: BgpRouter, address: IpAddress, fn: (n: RunningNeighbor) => RunningNeighbor): BgpRouter {
    const n = r.neighbors.get(address);
    if (!n) return r;
    const neighbors = new Map(r.neighbors);
    neighbors.set(address, fn(n));
    return { ...r, neighbors };
}

/** The configuration the device should hold after `changes`, as the planner understands the CLI. */
export function applyChanges(config: RunningConfig, changes: readonly Change[]): RunningConfig {
    return changes.reduce(applyChange, config);
}

/** What ownership decisions read from the device: vtysh's running configuration and the nscli feature list. */
export interface DeviceView {
    readonly running: RunningConfig;
    /** Whether the BGP feature is on. */
    readonly bgpFeature: boolean;
}

/** The device after `changes`, features included. */
export function applyToDevice(device: DeviceView, changes: readonly Change[]): DeviceView {
    let bgpFeature = device.bgpFeature;
    for (const c of changes) if (c.op === "set-feature" && c.feature === "BGP") bgpFeature = c.enabled;
    return { running: applyChanges(device.running, changes), bgpFeature };
}

function applyChange(config: RunningConfig, c: Change): RunningConfig {
    switch (c.op) {
        case "set-feature":
            // Not part of the running configuration vtysh prints: see applyToDevice.
            return config;
        case "set-route-install": {
            const routeInstall = new Set(config.routeInstall);
            if (c.present) routeInstall.add(c.kind);
            else routeInstall.delete(c.kind);
            return { ...config, routeInstall };
        }
        case "create-router":
            if (config.routers.some((r) => r.asn === c.asn && r.vrf === null)) return config;
            return { ...config, routers: [...config.routers, emptyRouter(c.asn)] };
        case "remove-router":
            return { ...config, routers: config.routers.filter((r) => r.asn !== c.asn || r.vrf !== null) };
        case "set-router-id":
            return updateRouter(config, c.asn, (r) => ({ ...r, routerId: c.value }));
        case "set-max-paths":
            return updateRouter(config, c.asn, (r) => ({ ...r, maxPaths: { ...r.maxPaths, [c.kind]: c.value } }));
        case "set-graceful-restart":
            return updateRouter(config, c.asn, (r) => ({ ...r, gracefulRestart: c.present ? "" : null }));
        case "set-redistribute":
            return updateRouter(config, c.asn, (r) => {
                const redistribute = new Map(r.redistribute);
                if (c.present) redistribute.set(c.source, "");
                else redistribute.delete(c.source);
                return { ...r, redistribute };
            });
        case "add-neighbor":
            return updateRouter(config, c.asn, (r) => {
                const neighbors = new Map(r.neighbors);
                neighbors.set(c.neighbor.address, runningNeighbor(c.neighbor));
                return { ...r, neighbors };
            });
        case "remove-neighbor":
            return updateRouter(config, c.asn, (r) => {
                const neighbors = new Map(r.neighbors);
                neighbors.delete(c.address);
                // `no neighbor X` takes the neighbor out of every address family, as in Quagga.
                const active = new Set(r.ipv6.active);
                active.delete(c.address);
                const takenWith = new Map(r.takenWith);
                takenWith.delete(c.address);
                return { ...r, neighbors, ipv6: { ...r.ipv6, active }, takenWith };
            });
        case "set-neighbor-activate":
            return updateRouter(config, c.asn, (r) => {
                if (!r.neighbors.has(c.address)) return r;
                const active = new Set(r.ipv6.active);
                if (c.active) active.add(c.address);
                else active.delete(c.address);
                return { ...r, ipv6: { ...r.ipv6, active } };
            });
        case "set-neighbor-remote-as":
            return updateRouter(config, c.asn, (r) => updateNeighbor(r, c.address, (n) => ({ ...n, remoteAsn: c.remoteAsn })));
        case "set-neighbor-attribute":
            return updateRouter(config, c.asn, (r) => updateNeighbor(r, c.address, (n) => ({ ...n, [c.attribute]: c.value })));
    }
}
