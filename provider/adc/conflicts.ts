/**
 * Planner conflicts → errors that say what is on the device and what to do about it.
 */
import { AdcConflictError } from "../device/errors";
import { REDACTED, redactSecretShapes } from "../device/redact";
import type { Conflict } from "../core/plan";
import { markedDescription, type MarkToken } from "../core/marks";
import { LIST_HEAD, type FilterConflict } from "../core/prefixFilter";

type QuotedLine = { readonly lineNo: number; readonly text: string };

/**
 * A quoted line that directly follows one whose secret runs to the end of the line is that
 * secret's rest when the terminal wrapped it (the doubt such regions report): it is not shown.
 */
function quotedText(line: QuotedLine, before: QuotedLine | undefined): string {
    const wrappedSecret = before !== undefined && before.lineNo > 0 && line.lineNo === before.lineNo + 1 && redactSecretShapes(before.text).endsWith(REDACTED) && !before.text.endsWith(REDACTED);
    return wrappedSecret ? `${REDACTED} (the rest of the line above, wrapped)` : line.text;
}

/**
 * What a conflict is on the device, and what to do about it, with every secret the quoted lines
 * hold redacted: the texts reach outputs (an HA pair's `secondary`) as well as errors.
 */
export function describeConflict(c: Conflict | FilterConflict): { message: string; fix: string } {
    const { message, fix } = conflictText(c);
    return { message: redactSecretShapes(message), fix: redactSecretShapes(fix) };
}

function conflictText(c: Conflict | FilterConflict): { message: string; fix: string } {
    switch (c.kind) {
        case "foreign-prefix-list":
            return {
                message: `"${LIST_HEAD[c.family]} ${c.name}" already exists on the device (${c.entries.length} entr${c.entries.length === 1 ? "y" : "ies"}) and was not created by this resource`,
                fix: `if another stack or person owns it, give this resource another prefixFilter.name; to take it over (its entries are replaced by this resource's), set adoptExisting: true`,
            };
        case "no-neighbor":
            return {
                message: `neighbor ${c.address} is not on the device, so its prefix filter cannot be attached`,
                fix: `run \`pulumi up\` again (the neighbor is created in the same batch); if it persists, check \`show running-config\` in vtysh on the ADC`,
            };
        case "list-used-by-foreign-neighbor":
            return {
                message: `"${LIST_HEAD[c.family]} ${c.name}", which this resource created and would now remove, is also applied to neighbor ${c.address}, which this resource does not own${
                    c.description === null ? "" : ` (its description there is "${c.description}")`
                }; removing the list would change that neighbor's filter, so nothing was changed`,
                fix: `on the ADC${c.family === "ipv6" ? ", in address-family ipv6 of the router," : ""} give neighbor ${c.address} a list of its own (\`neighbor ${c.address} prefix-list <its own list> in\`) or remove the reference (\`no neighbor ${c.address} prefix-list ${c.name} in\`) if it was left over, then retry`,
            };
        case "list-referenced-elsewhere":
            return {
                message: `"${LIST_HEAD[c.family]} ${c.name}", which this resource created and would now remove, is also used by lines this resource does not own (${c.lines
                    .map((l) => `line ${l.lineNo}: ${l.text}`)
                    .join("; ")}); removing the list would change what they do, so nothing was changed`,
                fix: `on the ADC, point those lines at a list of their own, or remove them if they were left over, then retry`,
            };
        case "family-unfiltered":
            return {
                message: `neighbor ${c.address} is ${c.family === "ipv6" ? "IPv6" : "IPv4"}, and the inbound filter ${c.name} has no ${c.family === "ipv6" ? "IPv6" : "IPv4"} entry ("${c.family === "ipv6" ? "ipv6" : "ip"} prefix-list ${c.name}"), so the neighbor would accept its routes unfiltered`,
                fix: `add the ${c.family === "ipv6" ? "IPv6" : "IPv4"} prefixes the neighbor may advertise to prefixFilter.entries (CalicoAdcPeering takes them from the IP pools of that family), or set prefixFilter: null (adc.prefixFilter: false on CalicoAdcPeering) to peer without an inbound filter, knowingly`,
            };
        case "other-router":
            return {
                message: `the device already runs "router bgp ${c.existing}", and ZebOS runs a single BGP instance, so "router bgp ${c.wanted}" cannot be added`,
                fix: `use localAsn ${c.existing} (the ADC's existing AS), or remove "router bgp ${c.existing}" from the ADC by hand if nothing depends on it`,
            };
        case "router-exists":
            return {
                message: `"router bgp ${c.asn}" is already configured on the device and was not created by this stack`,
                fix: `set adoptExisting: true to manage it (settings it had before stay on delete), or remove it from the ADC first`,
            };
        case "no-router":
            return {
                message: `"router bgp ${c.asn}" is not configured on the device`,
                fix: `create an AdcBgpRouter with localAsn ${c.asn} and make the neighbors depend on it (CalicoAdcPeering does this), or check localAsn`,
            };
        case "foreign-neighbor":
            return {
                message: `neighbor ${c.address}${c.remoteAsn === null ? "" : ` (remote-as ${c.remoteAsn})`} already exists on the device and is not owned by this resource${
                    c.description === null ? "" : `; its description there, which names its owner when another stack made it, is "${c.description}"`
                }`,
                fix: `if it belongs to another stack or cluster, remove it from this one's list; to take it over, set adoptExisting: true`,
            };
        case "peer-group-member":
            return {
                message: `neighbor ${c.address} is a member of peer group ${c.group} on the device, so part of its configuration is the group's, which this resource does not manage`,
                fix: `remove ${c.address} from this resource's list, or take it out of the peer group on the ADC (no neighbor ${c.address} peer-group ${c.group}) if the stack should manage it`,
            };
        case "neighbor-elsewhere":
            return {
                message: `${c.address} is not a neighbor of the main "router bgp" but the device uses it elsewhere: ${c.lines.join("; ")}`,
                fix: `remove ${c.address} from this resource's list, or remove those lines on the ADC if they are left over`,
            };
        case "marked-neighbor":
            return {
                message: `neighbor ${c.address} belongs to another resource: its description on the device, "${markedDescription(c.token as MarkToken, c.description)}", carries the mark of the AdcBgpNeighbors resource whose id ends in /${c.token} (\`pulumi stack --show-ids\` lists ids), in this stack or another`,
                fix: `remove ${c.address} from this resource's list; if that resource's stack is gone for good (its state lost), remove the neighbor on the ADC (no neighbor ${c.address}) and run again`,
            };
        case "foreign-lines":
            return {
                message: `neighbor ${c.address} is this resource's, but the device also holds lines for it that this resource did not write, which removing it (no neighbor ${c.address}) would take with it: ${c.lines.join("; ")}`,
                fix: `remove those lines on the ADC (${c.lines.map((l) => `no ${l}`).join("; ")}) and run again, or keep ${c.address} in the list`,
            };
        case "lost-race":
            return {
                message: `another writer configured neighbor ${c.address} at the same time as this operation${
                    c.token === null ? (c.description === null ? "" : ` (description "${c.description}")`) : `: its description "${markedDescription(c.token as MarkToken, c.description)}" carries the mark of the AdcBgpNeighbors resource whose id ends in /${c.token}`
                }, so it is that writer's; what this operation overwrote of it was restored${c.notRestored.length > 0 ? `, except (check them on the ADC): ${c.notRestored.join(", ")}` : ""}`,
                fix: `remove ${c.address} from this resource's list (the other writer owns it), then run again`,
            };
        case "uncertain":
            return {
                message: `the device's running configuration does not show with certainty which lines belong to "router bgp" (or to its prefix lists), so nothing was added, claimed or removed:\n${c.regions
                    .map((r) => `    ${r.reason}:\n${r.lines.map((l, i) => `      ${l.lineNo > 0 ? `line ${l.lineNo}: ` : ""}${quotedText(l, r.lines[i - 1])}`).join("\n")}`)
                    .join("\n")}`,
                fix: `look at "show running-config" in vtysh on the ADC: if the output was cut or wrapped by the terminal, set "terminal length 0" and a wider terminal and retry; if the configuration really reads like this, report the device's build and this output in an issue`,
            };
    }
}

/** One error for all conflicts, so a user sees every problem at once. */
export function conflictError(host: string, conflicts: readonly (Conflict | FilterConflict)[]): AdcConflictError {
    const parts = conflicts.map(describeConflict);
    if (parts.length === 1) return new AdcConflictError(host, parts[0]!.message, parts[0]!.fix);
    return new AdcConflictError(
        host,
        `${parts.length} conflicts, nothing was changed:\n${parts.map((p) => `  - ${p.message}`).join("\n")}`,
        parts.map((p) => p.fix).filter((f, i, all) => all.indexOf(f) === i).join("; "),
    );
}
