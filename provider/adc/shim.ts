import type * as pulumi from "@pulumi/pulumi";

export type ProviderKind = "adcBgpRouter" | "adcBgpNeighbors";

/**
 * The provider object each resource's state holds (`__provider`). It holds no logic and captures
 * nothing but `kind`: every call loads the installed package by name. So the state never holds
 * credentials or code, and upgrading the package fixes `read` and `delete` for resources created
 * by older versions (the engine runs those two with the stored provider).
 *
 * Self-contained on purpose (it uses nothing but its argument, `require` and `process`): its own
 * source is the text the resources register, see {@link serializedShim}. `require` resolves in
 * the engine's provider process, from its working directory (the project directory).
 */
export function shim(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
    /**
     * `require("pulumi-calico-adc/dynamic").providers`, or an error that says why the package
     * cannot be found from the provider process's working directory and what to change.
     */
    const loadProviders = (): Record<ProviderKind, Required<pulumi.dynamic.ResourceProvider>> => {
        try {
            return require("pulumi-calico-adc/dynamic").providers;
        } catch (err) {
            const e = err as NodeJS.ErrnoException;
            if (e.code !== "MODULE_NOT_FOUND" || !String(e.message).includes("'pulumi-calico-adc/dynamic'")) throw err;
            const fs = require("fs");
            const path = require("path");
            const cwd = process.cwd();
            const ancestors: string[] = [];
            for (let d = cwd; ancestors[ancestors.length - 1] !== d; d = path.dirname(d)) ancestors.push(d);
            const find = (...parts: string[]) => ancestors.map((d) => path.join(d, ...parts)).find((p) => fs.existsSync(p));
            const pnpStore = find("node_modules", ".pnpm");
            const pnp = find(".pnp.cjs") ?? find(".pnp.js");
            let fix: string;
            if (pnp) {
                fix =
                    `Yarn Plug'n'Play (${pnp}) is not loaded in the engine's provider process, so it cannot find packages. ` +
                    `Install with a node_modules folder: put "nodeLinker: node-modules" in .yarnrc.yml and run yarn install.`;
            } else if (pnpStore && fs.readdirSync(pnpStore).some((n: string) => n.startsWith("pulumi-calico-adc@"))) {
                fix =
                    `pnpm installed pulumi-calico-adc only as a dependency of another package (${pnpStore}), where the provider process cannot see it. ` +
                    `Add it as a direct dependency of the project: pnpm add pulumi-calico-adc (or set public-hoist-pattern[]=pulumi-calico-adc in .npmrc and reinstall).`;
            } else if (!find("package.json")) {
                fix =
                    `No package.json in or above it: an Automation API inline program runs its providers in a temporary directory unless given one. ` +
                    `Pass workDir (a directory whose node_modules holds pulumi-calico-adc) to LocalWorkspace.createOrSelectStack(..., { workDir }), or run pulumi in the project directory.`;
            } else {
                fix =
                    `Install it in the project (npm install pulumi-calico-adc) and run pulumi from the project directory; ` +
                    `an Automation API program must pass that directory as workDir.`;
            }
            throw new Error(`pulumi-calico-adc: the dynamic provider cannot load the package "pulumi-calico-adc" from ${cwd}, the directory the Pulumi engine runs it in. ${fix}`);
        }
    };
    return {
        check: (olds, news) => loadProviders()[kind].check(olds, news),
        diff: (id, olds, news) => loadProviders()[kind].diff(id, olds, news),
        create: (inputs) => loadProviders()[kind].create(inputs),
        read: (id, props) => loadProviders()[kind].read(id, props),
        update: (id, olds, news) => loadProviders()[kind].update(id, olds, news),
        delete: (id, props) => loadProviders()[kind].delete(id, props),
    };
}

/**
 * The module text the engine's dynamic-provider host loads for `kind` (it evaluates `__provider`
 * and calls its `handler()`): {@link shim}'s own compiled source, applied to `kind`.
 *
 * Written out instead of handing the provider object to `pulumi.dynamic.Resource`, whose closure
 * serializer would load its parser and inspect the functions' scopes in every program run (about
 * a second on a loaded machine, before the first resource registers) to produce the same thing.
 * The text is the same for every resource of a kind, and across runs of one package version.
 */
export function serializedShim(kind: ProviderKind): string {
    return `exports.handler = function () {\n    return (${shim.toString()})(${JSON.stringify(kind)});\n};\n`;
}

/** Type token of a dynamic resource of this package: what `pulumi.dynamic.Resource` would register. */
export function dynamicType(type: "AdcBgpRouter" | "AdcBgpNeighbors"): string {
    return `pulumi-nodejs:dynamic/pulumi-calico-adc:${type}`;
}
