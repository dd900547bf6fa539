/**
 * The repository as a Pulumi project (`Pulumi.yaml` beside this file): the runbook's peering,
 * the program in examples/runbook, under the config keys and defaults that Pulumi.yaml documents.
 * `npm run demo` runs it against the bundled simulator and a local API server; with a real ADC
 * and cluster, `pulumi stack init`, set the config, `npm run build`, `pulumi up`.
 *
 * This file is not the package's entry point (that is provider/index.ts) and is not published.
 */
export * from "./examples/runbook";
