/**
 * Measurements the lab makes along the way (times to Established). They are reported, never
 * asserted: speed targets belong in a benchmark, the tests only bound their waits.
 */
const figures: [string, number | string][] = [];

export function recordFigure(name: string, value: number | string): void {
    figures.push([name, value]);
}

after(function () {
    if (figures.length === 0) return;
    console.log("\n  lab figures:");
    for (const [name, value] of figures) console.log(`    ${name}: ${value}`);
});
