/**
 * Calico's service advertisement: the three BGPConfiguration `default` fields that make every
 * node advertise Service IPs, and the check that another field manager does not own them with
 * other values (server-side apply would refuse such a change with a conflict, or, forced, take
 * the fields from another tool).
 */
import { isDeepStrictEqual } from "node:util";

/** The BGPConfiguration fields this package may manage, nothing else of `default`. */
export const SERVICE_ADVERTISEMENT_FIELDS = ["serviceClusterIPs", "serviceExternalIPs", "serviceLoadBalancerIPs"] as const;

/** One of {@link SERVICE_ADVERTISEMENT_FIELDS}. */
export type ServiceAdvertisementField = (typeof SERVICE_ADVERTISEMENT_FIELDS)[number];

/** The fields as written to the BGPConfiguration (each an atomic list of `{cidr}`). */
export type ServiceAdvertisementSpec = Partial<Record<ServiceAdvertisementField, { cidr: string }[]>>;

/** Another field manager owns a field this package would change. */
export interface ServiceFieldConflict {
    field: ServiceAdvertisementField;
    /** The other field manager (`kubectl-edit`, `calicoctl`, another stack's manager, ...). */
    manager: string;
    /** Its operation: `Apply` (server-side apply) or `Update` (create, edit, replace, patch). */
    operation: string;
    /** The value it holds now. */
    current: unknown;
}

/**
 * The manager the apiserver names for fields written while an object had no managedFields
 * (updates to such an object are not tracked; the first server-side apply then attributes every
 * existing field to this name and conflicts with it).
 */
export const BEFORE_FIRST_APPLY = "before-first-apply";

interface ManagedFieldsEntry {
    manager?: string;
    operation?: string;
    fieldsV1?: { "f:spec"?: Record<string, unknown> };
}

/**
 * The fields of `wanted` that a manager other than `ownManager` owns in `bgpConfiguration` (the
 * object as read, with `metadata.managedFields`) with a value other than the wanted one. An
 * equal value is shared ownership in server-side apply, not a conflict. An object without
 * managedFields (its last manager released it, or it was restored without them) holds its fields
 * untracked: server-side apply conflicts with them as {@link BEFORE_FIRST_APPLY}'s.
 */
export function serviceFieldConflicts(bgpConfiguration: unknown, wanted: ServiceAdvertisementSpec, ownManager: string): ServiceFieldConflict[] {
    const obj = (bgpConfiguration ?? {}) as { metadata?: { managedFields?: ManagedFieldsEntry[] }; spec?: Record<string, unknown> };
    const conflicts: ServiceFieldConflict[] = [];
    for (const field of SERVICE_ADVERTISEMENT_FIELDS) {
        const want = wanted[field];
        if (want === undefined) continue;
        const current = obj.spec?.[field];
        if (isDeepStrictEqual(current ?? [], want)) continue;
        const entries = obj.metadata?.managedFields ?? [];
        if (entries.length === 0 && current !== undefined) conflicts.push({ field, manager: BEFORE_FIRST_APPLY, operation: "Update", current });
        for (const entry of entries) {
            if (entry.manager === ownManager) continue;
            if (entry.fieldsV1?.["f:spec"]?.[`f:${field}`] === undefined) continue;
            conflicts.push({ field, manager: entry.manager ?? "(unnamed)", operation: entry.operation ?? "", current });
        }
    }
    return conflicts;
}
