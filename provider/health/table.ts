/**
 * Tables drawn the way `calicoctl node status` draws them (olekukonko/tablewriter defaults:
 * `+---+` borders, upper-case centred headers, left-aligned cells, one space of padding), so the
 * ADC's side of the peering reads like the Calico side. Pure.
 */

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const border = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
    const centre = (text: string, w: number) => {
        const extra = w - text.length;
        return `${" ".repeat(Math.floor(extra / 2))}${text}${" ".repeat(Math.ceil(extra / 2))}`;
    };
    const line = (cells: readonly string[], align: (t: string, w: number) => string) => `| ${cells.map((c, i) => align(c, widths[i]!)).join(" | ")} |`;
    return [
        border,
        line(
            headers.map((h) => h.toUpperCase()),
            centre,
        ),
        border,
        ...rows.map((r) => line(headers.map((_, i) => r[i] ?? ""), (t, w) => t.padEnd(w))),
        border,
    ].join("\n");
}
