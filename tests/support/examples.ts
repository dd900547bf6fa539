/**
 * Runs an example program (examples/<name>/index.ts, compiled with the package) as the body of
 * an Automation API inline program, exactly as `pulumi up` would run it in its own directory:
 * its top level builds the resources, its exports become the stack outputs.
 */
import * as path from "node:path";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { repoRoot } from "../../sandbox/pulumiEngine";

export function exampleProgram(name: string): PulumiFn {
    const entry = path.join(repoRoot, "bin", "examples", name, "index.js");
    return async () => {
        // A program's top level runs once per deployment: load it afresh every time.
        delete require.cache[require.resolve(entry)];
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        return { ...require(entry) };
    };
}
