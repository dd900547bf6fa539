/**
 * Changes → vtysh configuration lines, and a model → `show running-config` text in the device's
 * layout (the latter proves the parser: parse(render(x)) = x).
 */
import { redactedForm } from "../device/redact";
import type { ConfigLine } from "../device/types";
import type { Change, NeighborAttribute } from "./changes";
import type { BgpRouter, Neighbor, RunningConfig, RunningNeighbor } from "./model";
import type { IpAddress } from "./values";

const KEYWORD: Record<NeighborAttribute, string> = {
    description: "description",
    password: "password",
    updateSource: "update-source",
    ebgpMultihop: "ebgp-multihop",
};

function attributeLine(address: IpAddress, attribute: NeighborAttribute, value: string | number | null): { text: string; redacted?: string } {
    const prefix = `neighbor ${address} ${KEYWORD[attribute]}`;
    const text = value === null ? `no ${prefix}` : `${prefix} ${value}`;
    const redacted = redactedForm(text);
    return redacted === undefined ? { text } : { text, redacted };
}

const ATTRIBUTES = Object.keys(KEYWORD) as NeighborAttribute[];

function neighborLines(n: Neighbor): { text: string; redacted?: string }[] {
    const lines: { text: string; redacted?: string }[] = [{ text: `neighbor ${n.address} remote-as ${n.remoteAsn}` }];
    for (const attribute of ATTRIBUTES) {
        const value = n[attribute];
        if (value !== null) lines.push(attributeLine(n.address, attribute, value));
    }
    return lines;
}

/** A plan as the device takes it: nscli commands before the vtysh lines, the lines, nscli commands after. */
export interface RenderedPlan {
    /** nscli commands that must run before the lines (enabling a feature vtysh needs). */
    readonly before: readonly string[];
    readonly lines: readonly ConfigLine[];
    /** nscli commands that may run only once the device shows the lines took (disabling a feature). */
    readonly after: readonly string[];
}

/** Renders a whole plan: see {@link RenderedPlan}. */
export function renderPlan(changes: readonly Change[]): RenderedPlan {
    const features = changes.filter((c): c is Extract<Change, { op: "set-feature" }> => c.op === "set-feature");
    return {
        before: features.filter((c) => c.enabled).map((c) => `enable ns feature ${c.feature}`),
        lines: renderChanges(changes),
        after: features.filter((c) => !c.enabled).map((c) => `disable ns feature ${c.feature}`),
    };
}

/** Renders changes as vtysh configuration lines: global lines first, then each router's lines. Feature changes are nscli commands: see {@link renderPlan}. */
export function renderChanges(changes: readonly Change[]): ConfigLine[] {
    const global: ConfigLine[] = [];
    const routerLines: ConfigLine[] = [];
    const removals: ConfigLine[] = [];
    // Deactivations before any router-level line (`no neighbor X` after its `no ... activate`),
    // activations after them all (a neighbor exists once its `remote-as` is in).
    const deactivations: ConfigLine[] = [];
    const activations: ConfigLine[] = [];
    // One context object per router: a create renders thousands of lines into the same block.
    const contexts = new Map<number, { readonly routerBgp: number }>();
    const contextOf = (asn: number) => contexts.get(asn) ?? contexts.set(asn, { routerBgp: asn }).get(asn)!;
    for (const c of changes) {
        const inRouter = (line: { text: string; redacted?: string }): void => {
            const context = contextOf((c as { asn: number }).asn);
            routerLines.push(line.redacted === undefined ? { context, text: line.text } : { context, text: line.text, redacted: line.redacted });
        };
        switch (c.op) {
            case "set-feature":
                break;
            case "set-route-install":
                global.push({ context: "global", text: `${c.present ? "" : "no "}ns route-install ${c.kind}` });
                break;
            case "create-router":
                inRouter({ text: "" });
                break;
            case "remove-router":
                removals.push({ context: "global", text: `no router bgp ${c.asn}` });
                break;
            case "set-router-id":
                inRouter({ text: c.value === null ? "no bgp router-id" : `bgp router-id ${c.value}` });
                break;
            case "set-max-paths":
                inRouter({ text: c.value === null ? `no max-paths ${c.kind}` : `max-paths ${c.kind} ${c.value}` });
                break;
            case "set-redistribute":
                inRouter({ text: `${c.present ? "" : "no "}redistribute ${c.source}` });
                break;
            case "set-graceful-restart":
                inRouter({ text: `${c.present ? "" : "no "}bgp graceful-restart` });
                break;
            case "add-neighbor":
                for (const line of neighborLines(c.neighbor)) inRouter(line);
                break;
            case "remove-neighbor":
                inRouter({ text: `no neighbor ${c.address}` });
                break;
            case "set-neighbor-remote-as":
                inRouter({ text: `neighbor ${c.address} remote-as ${c.remoteAsn}` });
                break;
            case "set-neighbor-attribute":
                inRouter(attributeLine(c.address, c.attribute, c.value));
                break;
            case "set-neighbor-activate":
                (c.active ? activations : deactivations).push({
                    context: { routerBgp: c.asn, addressFamily: c.family },
                    text: `${c.active ? "" : "no "}neighbor ${c.address} activate`,
                });
                break;
        }
    }
    // A bare "enter the block" line is only needed when nothing else enters it (router lines are
    // at router level, so the AS number names the block).
    const asnOf = (l: ConfigLine) => (l.context as { routerBgp: number }).routerBgp;
    const routers = new Set<number>();
    for (const l of routerLines) if (l.text !== "") routers.add(asnOf(l));
    const body = routerLines.filter((l) => l.text !== "" || !routers.has(asnOf(l)));
    return [...global, ...deactivations, ...body, ...activations, ...removals];
}

function runningNeighborLines(r: BgpRouter, n: RunningNeighbor): string[] {
    const lines: string[] = [];
    const fromGroup = n.peerGroup !== null && r.peerGroups.get(n.peerGroup)?.remoteAsn != null;
    if (n.remoteAsn !== null && !fromGroup) lines.push(`neighbor ${n.address} remote-as ${n.remoteAsn}`);
    if (n.peerGroup !== null) lines.push(`neighbor ${n.address} peer-group ${n.peerGroup}`);
    for (const attribute of ATTRIBUTES) {
        const value = n[attribute];
        if (value !== null) lines.push(attributeLine(n.address, attribute, value).text);
    }
    return lines;
}

function renderRouter(r: BgpRouter): string[] {
    const lines = [`router bgp ${r.asn}${!r.vrf ? "" : r.vrf.startsWith("view ") ? ` ${r.vrf}` : ` vrf ${r.vrf}`}`];
    if (r.routerId !== null) lines.push(` bgp router-id ${r.routerId}`);
    if (r.gracefulRestart !== null) lines.push(` bgp graceful-restart${r.gracefulRestart ? ` ${r.gracefulRestart}` : ""}`);
    if (r.maxPaths.ebgp !== null) lines.push(` max-paths ebgp ${r.maxPaths.ebgp}`);
    if (r.maxPaths.ibgp !== null) lines.push(` max-paths ibgp ${r.maxPaths.ibgp}`);
    for (const [source, rest] of r.redistribute) lines.push(` redistribute ${source}${rest ? ` ${rest}` : ""}`);
    for (const n of r.neighbors.values()) {
        for (const l of runningNeighborLines(r, n)) lines.push(` ${l}`);
        for (const other of n.otherLines) lines.push(` neighbor ${n.address} ${other}`);
    }
    for (const other of r.otherLines) lines.push(` ${other}`);
    if (r.ipv6.active.size > 0 || r.ipv6.otherLines.length > 0) {
        // ZebOS on F5 prints the section after an inner ` !`, its lines as deep as its head.
        lines.push(" !", " address-family ipv6", ...[...r.ipv6.active].map((a) => ` neighbor ${a} activate`), ...r.ipv6.otherLines.map((l) => ` ${l}`), " exit-address-family");
    }
    return lines;
}

/** Renders a model in the layout of the device's `show running-config`. */
export function renderRunningConfig(config: RunningConfig): string {
    const sections: string[][] = [["log syslog", "log record-priority"]];
    if (config.routeInstall.size > 0) sections.push([...config.routeInstall].map((k) => `ns route-install ${k}`));
    for (const r of config.routers) sections.push(renderRouter(r));
    return ["!", ...sections.flatMap((s) => [...s, "!"]), "end", ""].join("\n");
}
