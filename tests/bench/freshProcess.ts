/** Runs one operation in a fresh process (`providerCallProcess.ts`) and gives back what it measured. */
import { fork } from "child_process";
import { join } from "path";
import type { ProviderCall, ProviderCallResult } from "./providerCallProcess";

export type { ProviderCall, ProviderCallResult };

export function inFreshProcess(call: ProviderCall): Promise<ProviderCallResult> {
    return new Promise((resolve, reject) => {
        // Advanced serialization: the outputs of 20,000 neighbors cross without a JSON text of their own.
        const child = fork(join(__dirname, "providerCallProcess.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"], serialization: "advanced" });
        let result: ProviderCallResult | undefined;
        child.once("message", (m: ProviderCallResult) => (result = m));
        child.once("exit", (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the ${call.op} process exited with ${code}`))));
        child.send(call);
    });
}
