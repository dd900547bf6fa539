/**
 * Which BGPPeer field makes every node send the ADC its own blocks with itself as next hop (and
 * the blocks it learned over the node-to-node mesh with their owner's address), by Calico release.
 */
import { BGP_PEER_FIELD_SINCE, BgpPeerSpec, CalicoRelease, compareCalicoReleases } from "./spec";

/**
 * How the ADC should learn next hops:
 * - `keep` (default): each block via the node that owns it (`nextHopMode: Keep`, or
 *   `keepOriginalNextHop: true` on releases before 3.30.2);
 * - `runbook`: the runbook's exact BGPPeer, Calico's default next hop (with the mesh, every node
 *   also offers every other node's blocks).
 */
export type NextHopPolicy = "keep" | "runbook";

/** The BGPPeer fields for `policy`, and why they were chosen. */
export interface NextHopFields {
    fields: Pick<BgpPeerSpec, "nextHopMode" | "keepOriginalNextHop">;
    /** Shown in the component's outputs and messages. */
    reason: string;
}

/**
 * The fields for `policy` on `release`. Without a known release, `keepOriginalNextHop` is the
 * one choice that works on every release that can keep the next hop at all (3.16 onwards, still
 * honoured after `nextHopMode` replaced it); releases before 3.16 prune it and behave as the runbook.
 */
export function nextHopFields(policy: NextHopPolicy, release: CalicoRelease | undefined): NextHopFields {
    if (policy === "runbook") return { fields: {}, reason: "nextHop runbook: Calico's default next hop" };
    if (release === undefined) return { fields: { keepOriginalNextHop: true }, reason: "Calico release unknown: keepOriginalNextHop (3.16+)" };
    // `3.30` means any 3.30.x: decide on its oldest patch, since 3.30.0 and 3.30.1 lack nextHopMode.
    const oldest: CalicoRelease = [release[0], release[1], release[2] === Number.MAX_SAFE_INTEGER ? 0 : release[2]];
    if (compareCalicoReleases(oldest, BGP_PEER_FIELD_SINCE.nextHopMode) >= 0) return { fields: { nextHopMode: "Keep" }, reason: "nextHopMode Keep (Calico 3.30.2+)" };
    if (compareCalicoReleases(oldest, BGP_PEER_FIELD_SINCE.keepOriginalNextHop) >= 0) return { fields: { keepOriginalNextHop: true }, reason: "keepOriginalNextHop (Calico 3.16 to 3.30.1)" };
    return { fields: {}, reason: "Calico before 3.16 cannot keep the next hop: Calico's default next hop" };
}
