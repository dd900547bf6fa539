#!/usr/bin/env node
/**
 * `pulumi-calico-adc-simulator [--port 2222] [--host 127.0.0.1] [--config file.json|yaml]
 * [--host-key-path file]`: runs the NetScaler CLI simulator until Ctrl-C. The config file holds
 * {@link SimulatorOptions} (users, initialConfig, faults, ...) as JSON or YAML.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { defaultHostKeyPath } from "./hostKey";
import { startSimulator } from "./server";
import { SimulatorOptions } from "./options";

const USAGE = `usage: pulumi-calico-adc-simulator [--port 2222] [--host 127.0.0.1] [--config options.json|yaml] [--host-key-path file]

Runs an SSH server that behaves like a Citrix ADC / NetScaler CLI (nscli and vtysh).
The config file holds SimulatorOptions: users, authMethods, initialConfig, interfaceAddress, faults, ...
The host key is kept in --host-key-path, by default ${defaultHostKeyPath()}, so its fingerprint survives restarts.`;

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            port: { type: "string", default: "2222" },
            host: { type: "string" },
            config: { type: "string" },
            "host-key-path": { type: "string" },
            help: { type: "boolean", short: "h" },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return;
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port}: not a port number`);
    const fromFile: SimulatorOptions = values.config ? (parseYaml(readFileSync(values.config, "utf8")) as SimulatorOptions) ?? {} : {};
    const options: SimulatorOptions = {
        ...fromFile,
        port,
        ...(values.host ? { host: values.host } : {}),
        // A person reconnects to the same simulator across restarts, so its key is kept (and its
        // fingerprint stays in known_hosts); library callers get a throw-away key instead.
        hostKeyPath: values["host-key-path"] ?? fromFile.hostKeyPath ?? defaultHostKeyPath(),
    };
    const sim = await startSimulator(options);
    const users = options.users ?? [{ username: "nsroot", password: "nsroot" }];
    console.log(`NetScaler CLI simulator listening on ${sim.host}:${sim.port}`);
    for (const u of users) console.log(`  login: ${u.username}${u.password !== undefined ? ` / ${u.password}` : " (public key)"}`);
    console.log(`  host key: ${sim.hostKeyAlgorithm} ${sim.hostKeyFingerprint}`);
    console.log(`  try: ssh -p ${sim.port} ${users[0]?.username ?? "nsroot"}@${sim.host}`);
    console.log("Ctrl-C to stop.");
    const stop = () => {
        void sim.close().then(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
    console.error(`pulumi-calico-adc-simulator: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
});
