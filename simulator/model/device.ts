import { Ipv4Cidr, networkOf } from "./addresses";
import { DEFAULT_ENABLED_FEATURES, FEATURES } from "./features";
import { InterfaceConfig, renderRunningConfig, RenderOptions } from "./renderRunningConfig";
import { cloneZebos, effectiveMaxPaths, emptyZebosConfig, REDISTRIBUTE_SOURCES, ROUTE_INSTALL_KINDS, ZebosConfig } from "./zebos";
import { BgpRoute, BgpSessionStatus, RoutingConfig, RoutingEngine, RoutingFamily } from "../routing/engine";
import { nodeState, NodeState } from "./node";
import type { SyncFilesMode } from "./ha";

/**
 * What an HA pair's primary carries to its secondary. nscli configuration is synced (HA sync
 * copies the primary's running nscli configuration: documented); whether the ZebOS (vtysh)
 * configuration follows is not documented, so it is a setting: `synced` copies it after every
 * change and with every sync, `on-sync` only with `force ha sync` and `sync ha files` (see
 * `ha.ts`), `not-synced` never, leaving the secondary's as it was.
 */
export type HaPropagation = "synced" | "on-sync" | "not-synced";

/** What both devices of a simulated HA pair share about the pair. */
export interface HaLinkSettings {
    propagation: HaPropagation;
    /** The `sync ha files` modes whose files include ZebOS.conf (undocumented). */
    readonly zebosFileModes: readonly SyncFilesMode[];
}

/** The link between the two devices of a simulated HA pair, shared by both. */
export interface HaLink {
    readonly peer: Device;
    readonly settings: HaLinkSettings;
}

/** Everything about the simulated appliance that does not change while it runs. */
export interface DeviceSettings {
    /** vtysh prompt host part (`ns#`). */
    readonly hostname: string;
    /** nscli prompt without the trailing space (`>`). */
    readonly cliPrompt: string;
    readonly interfaceAddress: Ipv4Cidr;
    readonly interfaceName: string;
    /** IPv6 link-local address of that interface (derived from its MAC on a real appliance). */
    readonly linkLocalAddress: string;
    readonly defaultGateway: string;
    readonly defaultMaxPaths: number | null;
    readonly passwordDisplay: "clear" | "encrypted";
    readonly ipv6Section: { readonly innerSeparator: boolean; readonly exitLine: boolean };
    readonly ipv6RouteInstallSupport: boolean;
    readonly ipv6SummaryCommand: string;
    readonly bgpRouteTypeLabel: string;
    readonly unknownCommandError: string;
    readonly bgpNotEnabledError: string;
    readonly saveConfigIncludesZebos: boolean;
    readonly parentModeFallback: boolean;
    /** Whether vtysh takes `ip prefix-list` and `neighbor X prefix-list NAME in|out`. */
    readonly prefixListSupport: boolean;
    /** Whether vtysh takes `ipv6 prefix-list` and, under `address-family ipv6`, `neighbor X prefix-list NAME in|out`. */
    readonly ipv6PrefixListSupport: boolean;
    /** Whether vtysh takes `neighbor X maximum-prefix N`. */
    readonly maximumPrefixSupport: boolean;
    /** How nscli's HA commands answer where the appliance's behaviour is unconfirmed (see `SimulatorOptions.haCli`). */
    readonly haCli: HaCliSettings;
}

/** The unconfirmed parts of nscli's HA commands. */
export interface HaCliSettings {
    /** The question `force ha failover` asks without `-force`; null for none. */
    readonly failoverPrompt: string | null;
    /** Whether the secondary takes `force ha failover` (it never takes the sync commands). */
    readonly failoverOnSecondary: boolean;
    /** Error text (after `ERROR: `) of an HA command the secondary does not take. */
    readonly secondaryError: string;
    /** Error text (after `ERROR: `) of an HA command on a node without an HA peer. */
    readonly standaloneError: string;
}

/** Behaviour a test switches on and off while the simulator runs. */
export interface DeviceFaults {
    bgpNotLicensed: boolean;
}

/** The saved (startup) configuration: what survives a reboot. */
export interface SavedConfig {
    /** Acronyms of enabled features, in `show ns feature` order. */
    readonly enabledFeatures: readonly string[];
    /** The saved ZebOS.conf, in `show running-config` layout. */
    readonly zebos: string;
}

/**
 * The simulated appliance: nscli state (features), ZebOS configuration, saved copies of both,
 * and the routing engine the BGP configuration is applied to. Shared by every session.
 */
export class Device {
    readonly features = new Map<string, boolean>();
    zebos: ZebosConfig = emptyZebosConfig();
    /** True after an nscli change not yet saved with `save ns config`. */
    nsConfigChanged = false;
    cliPaging = false;
    /** True while an initial configuration file is loaded (ZebOS.conf loads whether or not bgpd runs). */
    loadingConfig = false;
    /** Bumped by every configuration change; sessions re-apply routing when it moved. */
    generation = 0;
    readonly faults: DeviceFaults = { bgpNotLicensed: false };
    /** HA role, cluster membership and partition (see {@link NodeState}). */
    node: NodeState = nodeState();
    /** The other node of an HA pair, when this device is one (see `haPair.ts`). */
    haLink: HaLink | null = null;
    /**
     * BGP sessions the configuration has reset since start: a neighbor removed, its remote AS
     * changed, or the whole router removed or switched off, each counting once per neighbor.
     * Counted when the routing engine is brought up to the configuration (once per pipelined
     * batch), so a neighbor removed and re-added in one batch with the same AS is not counted.
     */
    sessionsReset = 0;
    private lastNeighbors = new Map<string, number>();
    private savedFeatures: readonly string[];
    private savedZebos: ZebosConfig = emptyZebosConfig();
    private routingChain: Promise<void> = Promise.resolve();
    private routingError: unknown;
    /** The {@link generation} the routing engine was last given (or is being given). */
    private routedGeneration = -1;

    constructor(
        readonly settings: DeviceSettings,
        readonly engine: RoutingEngine,
    ) {
        for (const f of FEATURES) this.features.set(f.acronym, DEFAULT_ENABLED_FEATURES.includes(f.acronym));
        this.savedFeatures = this.enabledFeatures();
    }

    /** Records a configuration change (see {@link generation}). */
    changed(): void {
        this.generation++;
    }

    get bgpEnabled(): boolean {
        return this.features.get("BGP") === true;
    }

    /** Whether vtysh accepts BGP configuration now. */
    get bgpConfigurable(): boolean {
        return this.bgpEnabled || this.loadingConfig;
    }

    enabledFeatures(): string[] {
        return FEATURES.filter((f) => this.features.get(f.acronym)).map((f) => f.acronym);
    }

    interfaces(): InterfaceConfig[] {
        const a = this.settings.interfaceAddress;
        return [
            // The seed transcript's `ip adress` and `fe80: :1` are typos of its author; this is the corrected block.
            { name: "lo0", lines: ["ip address 127.0.0.1/8", "ipv6 address fe80::1/64", "ipv6 address ::1/128"] },
            { name: this.settings.interfaceName, lines: [`ip address ${a.address}/${a.prefixLength}`, `ipv6 address ${this.settings.linkLocalAddress}/64`] },
        ];
    }

    private renderOptions(): RenderOptions {
        return { interfaces: this.interfaces(), passwordDisplay: this.settings.passwordDisplay, ipv6Section: this.settings.ipv6Section, defaultMaxPaths: this.settings.defaultMaxPaths };
    }

    /** max-paths in effect (configured, else the default). */
    maxPaths(): { ebgp?: number; ibgp?: number } {
        return this.zebos.bgp ? effectiveMaxPaths(this.zebos.bgp, this.settings.defaultMaxPaths) : {};
    }

    runningConfig(): string[] {
        return renderRunningConfig(this.zebos, this.renderOptions());
    }

    /** `save ns config`: saves the nscli configuration (and ZebOS.conf when so configured). */
    saveNsConfig(): void {
        this.savedFeatures = this.enabledFeatures();
        this.nsConfigChanged = false;
        if (this.settings.saveConfigIncludesZebos) this.writeZebos();
    }

    /** vtysh `write`: saves ZebOS.conf. */
    writeZebos(): void {
        this.savedZebos = cloneZebos(this.zebos);
    }

    /** A copy of the saved ZebOS.conf (what a file sync carries). */
    savedZebosCopy(): ZebosConfig {
        return cloneZebos(this.savedZebos);
    }

    /** ZebOS.conf replaced by another node's file, and run: saved and running alike. */
    loadSavedZebos(config: ZebosConfig): void {
        this.savedZebos = cloneZebos(config);
        this.zebos = cloneZebos(config);
    }

    /** Makes the current state the saved one (after loading an initial configuration). */
    markAllSaved(): void {
        this.savedFeatures = this.enabledFeatures();
        this.savedZebos = cloneZebos(this.zebos);
        this.nsConfigChanged = false;
    }

    /** Boots from the saved configuration: what was not saved is lost. */
    reboot(): Promise<void> {
        for (const f of FEATURES) this.features.set(f.acronym, this.savedFeatures.includes(f.acronym));
        this.zebos = cloneZebos(this.savedZebos);
        this.nsConfigChanged = false;
        this.changed();
        return this.syncRouting();
    }

    saved(): SavedConfig {
        return {
            enabledFeatures: [...this.savedFeatures],
            zebos: renderRunningConfig(this.savedZebos, this.renderOptions()).join("\n"),
        };
    }

    running(): SavedConfig {
        return { enabledFeatures: this.enabledFeatures(), zebos: this.runningConfig().join("\n") };
    }

    /** The router id in effect: configured, else the interface address (ZebOS picks an interface address). */
    effectiveRouterId(): string {
        return this.zebos.bgp?.routerId ?? this.settings.interfaceAddress.address;
    }

    routingConfig(): RoutingConfig {
        const bgp = this.zebos.bgp;
        return {
            interfaceAddress: `${this.settings.interfaceAddress.address}/${this.settings.interfaceAddress.prefixLength}`,
            routeInstall: ROUTE_INSTALL_KINDS.filter((k) => this.zebos.routeInstall.has(k)),
            prefixLists: [...this.zebos.prefixLists].map(([name, entries]) => ({ name, entries: entries.map((e) => ({ ...e })) })),
            ipv6PrefixLists: [...this.zebos.ipv6PrefixLists].map(([name, entries]) => ({ name, entries: entries.map((e) => ({ ...e })) })),
            bgp:
                bgp && this.bgpEnabled
                    ? {
                          asn: bgp.asn,
                          routerId: this.effectiveRouterId(),
                          maxPaths: this.maxPaths(),
                          redistribute: REDISTRIBUTE_SOURCES.filter((r) => bgp.redistribute.has(r)),
                          neighbors: [...bgp.neighbors.values()].map((n) => ({ ...n, ...(n.maximumPrefix ? { maximumPrefix: { ...n.maximumPrefix } } : {}) })),
                      }
                    : null,
        };
    }

    /**
     * Applies the current configuration to the routing engine, after any apply already in flight.
     * Engine failures do not break the CLI (a real appliance's CLI keeps answering when bgpd has
     * trouble); the last one is kept for {@link lastRoutingError}.
     */
    syncRouting(): Promise<void> {
        this.routedGeneration = this.generation;
        const config = this.routingConfig();
        this.countResets(config);
        this.propagate();
        this.routingChain = this.routingChain.then(() =>
            this.engine.apply(config).then(
                () => {
                    this.routingError = undefined;
                },
                (err: unknown) => {
                    this.routingError = err;
                },
            ),
        );
        return this.routingChain;
    }

    /**
     * Brings the routing engine up to the configuration, applying it only if it changed since the
     * last apply, and waits for any apply in flight. Lines of a pipelined batch are applied once,
     * when the batch is answered (each apply hands the engine the whole configuration, so one per
     * line would make a batch quadratic); every read of the engine settles first.
     */
    settleRouting(): Promise<void> {
        return this.generation === this.routedGeneration ? this.routingChain : this.syncRouting();
    }

    /** The engine's sessions in `family` (default IPv4 unicast), once it runs the current configuration. */
    async sessions(family?: RoutingFamily): Promise<readonly BgpSessionStatus[]> {
        await this.settleRouting();
        return this.engine.sessions(family);
    }

    /** The engine's learned routes, once it runs the current configuration. */
    async routes(): Promise<readonly BgpRoute[]> {
        await this.settleRouting();
        return this.engine.routes();
    }

    private countResets(config: RoutingConfig): void {
        const now = new Map((config.bgp?.neighbors ?? []).map((n) => [n.address, n.remoteAs] as const));
        for (const [address, remoteAs] of this.lastNeighbors) if (now.get(address) !== remoteAs) this.sessionsReset++;
        this.lastNeighbors = now;
    }

    /**
     * On a primary linked to its secondary: what HA sync carries goes across (see {@link HaPropagation}).
     * Two nodes that both claim primary (a split brain) have lost each other: nothing goes across.
     */
    private propagate(): void {
        const link = this.haLink;
        if (link === null || this.node.role !== "primary" || link.peer.node.role !== "secondary") return;
        const peer = link.peer;
        for (const [acronym, on] of this.features) peer.features.set(acronym, on);
        if (link.settings.propagation === "synced") peer.zebos = cloneZebos(this.zebos);
        peer.changed();
        void peer.syncRouting();
    }

    get lastRoutingError(): unknown {
        return this.routingError;
    }

    /** Network and gateway for the nscli route table. */
    connectedNetwork(): string {
        return networkOf(this.settings.interfaceAddress);
    }
}
