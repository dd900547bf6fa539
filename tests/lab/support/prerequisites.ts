import { accessSync, constants } from "node:fs";

const NEEDED = ["/usr/lib/frr/zebra", "/usr/lib/frr/bgpd", "/usr/bin/vtysh", "/usr/sbin/bird", "/usr/sbin/birdc"];

/** Throws what is missing (the lab phase fails rather than skips: a skipped lab proves nothing). */
export function assertLabPrerequisites(): void {
    if (process.getuid?.() !== 0) throw new Error("the lab tests need root (network namespaces); run them as root, e.g. in CI");
    const missing = NEEDED.filter((p) => {
        try {
            accessSync(p, constants.X_OK);
            return false;
        } catch {
            return true;
        }
    });
    if (missing.length > 0) throw new Error(`missing ${missing.join(", ")}: run scripts/prepare-lab.sh (installs frr and bird)`);
}
