import { canonicalAddress } from "../model/addresses";
import { BgpRoute, BgpRoutingConfig, BgpSessionState, BgpSessionStatus, RoutingConfig, RoutingEngine, RoutingFamily } from "./engine";

/** What a test says about one neighbor's session (see {@link InMemoryRoutingEngine.setSession}). */
export interface SessionOverride {
    readonly state: BgpSessionState;
    /**
     * Prefixes received (shown in `show ip bgp summary` when Established). Defaults to the number
     * of `routes`; when only this is given, that many /32 routes are invented (198.51.100.1, ...).
     */
    readonly prefixes?: number;
    /** Prefixes learned from this neighbor, e.g. `["10.244.1.0/26"]`; next hop = the neighbor. */
    readonly routes?: readonly string[];
}

export interface InMemoryRoutingEngineOptions {
    /** State of every configured neighbor without an override. Default `Active` (no peer answers). */
    readonly defaultState?: BgpSessionState;
    /** Clock in milliseconds, for session timers. Default `Date.now`. */
    readonly now?: () => number;
}

/**
 * A routing engine without a BGP daemon: sessions sit in a configurable state (default `Active`,
 * since no peer is really there) and tests decide per neighbor which ones are Established and
 * what they learned.
 */
export class InMemoryRoutingEngine implements RoutingEngine {
    private config: BgpRoutingConfig | null = null;
    private readonly overrides = new Map<string, { override: SessionOverride; since: number }>();
    private readonly configuredSince = new Map<string, number>();
    private readonly defaultState: BgpSessionState;
    private readonly now: () => number;

    constructor(options: InMemoryRoutingEngineOptions = {}) {
        this.defaultState = options.defaultState ?? "Active";
        this.now = options.now ?? Date.now;
    }

    async apply(config: RoutingConfig): Promise<void> {
        const t = this.now();
        const present = new Set(config.bgp?.neighbors.map((n) => n.address) ?? []);
        for (const address of this.configuredSince.keys()) if (!present.has(address)) this.configuredSince.delete(address);
        for (const address of present) if (!this.configuredSince.has(address)) this.configuredSince.set(address, t);
        this.config = config.bgp;
    }

    /**
     * Sets the session of `address` (any spelling of the address). Applies while that neighbor is
     * configured and BGP runs; survives its removal and re-creation.
     */
    setSession(address: string, override: SessionOverride): void {
        this.overrides.set(normalise(address), { override, since: this.now() });
    }

    /** Returns `address` to the default state. */
    clearSession(address: string): void {
        this.overrides.delete(normalise(address));
    }

    async sessions(family: RoutingFamily = "ipv4"): Promise<readonly BgpSessionStatus[]> {
        if (!this.config) return [];
        const t = this.now();
        const inFamily = (prefix: string) => prefix.includes(":") === (family === "ipv6");
        return this.config.neighbors
            .filter((n) => family === "ipv4" || n.ipv6Active === true)
            .map((n) => {
                const o = this.overrides.get(n.address);
                const state = o?.override.state ?? this.defaultState;
                const since = Math.max(o?.since ?? 0, this.configuredSince.get(n.address) ?? t);
                const seconds = Math.max(0, Math.floor((t - since) / 1000));
                const established = state === "Established";
                const own = this.routesOf(n.address);
                const prefixes = established ? own.filter(inFamily).length : 0;
                // A count without routes stands for IPv4 prefixes.
                const counted = o?.override.routes === undefined && family === "ipv4" ? o?.override.prefixes : undefined;
                return {
                    address: n.address,
                    remoteAs: n.remoteAs,
                    state,
                    prefixesReceived: established ? (counted ?? prefixes) : 0,
                    // An open, an update per prefix and a keepalive a minute, roughly what a real peer exchanges.
                    messagesReceived: established ? 3 + Math.floor(seconds / 60) + prefixes : 0,
                    messagesSent: established ? 3 + Math.floor(seconds / 60) : 0,
                    ...(established ? { upDownSeconds: seconds } : {}),
                };
            });
    }

    async routes(): Promise<readonly BgpRoute[]> {
        if (!this.config) return [];
        const t = this.now();
        const out: BgpRoute[] = [];
        for (const n of this.config.neighbors) {
            const o = this.overrides.get(n.address);
            if (o?.override.state !== "Established") continue;
            const age = Math.max(0, Math.floor((t - Math.max(o.since, this.configuredSince.get(n.address) ?? t)) / 1000));
            for (const prefix of this.routesOf(n.address)) {
                out.push({ prefix, nextHop: n.address, peer: n.address, internal: n.remoteAs === this.config.asn, ageSeconds: age });
            }
        }
        return out;
    }

    async close(): Promise<void> {
        this.config = null;
    }

    private routesOf(address: string): readonly string[] {
        const o = this.overrides.get(address)?.override;
        if (!o) return [];
        if (o.routes) return o.routes;
        return Array.from({ length: o.prefixes ?? 0 }, (_, i) => `198.51.100.${(i % 254) + 1}/32`);
    }
}

function normalise(address: string): string {
    return canonicalAddress(address) ?? address;
}
