/**
 * `pulumi-calico-adc/simulator`: an SSH server that behaves like a Citrix ADC / NetScaler CLI
 * (nscli and the vtysh routing shell), to try the package without an appliance and to test
 * against. It keeps its own device model and command parsing.
 */
export { startSimulator, Simulator } from "./server";
export type { SimulatorCounters, ReceivedLine } from "./server";
export type { SimulatorOptions, SimulatorUser, SimulatorFaults, ErrorReply, InitialConfig, AuthMethod, HaRole, NodeOptions, HaCliOptions } from "./options";
export type { NodeState } from "./model/node";
export type { EchoMode } from "./session/terminal";
export type { ModeName } from "./session/shell";
export { startHaPair, HaPair } from "./haPair";
export type { HaPairOptions } from "./haPair";
export type { HaPropagation } from "./model/device";
export { SYNC_FILES_MODES } from "./model/ha";
export type { SyncFilesMode } from "./model/ha";
export { DeviceControl, DeviceCommandError } from "./control";
export type { DeviceState, NeighborState } from "./control";
export type { SavedConfig } from "./model/device";
export { InMemoryRoutingEngine } from "./routing/inMemoryEngine";
export type { SessionOverride, InMemoryRoutingEngineOptions } from "./routing/inMemoryEngine";
export type { RoutingEngine, RoutingConfig, BgpRoutingConfig, BgpNeighborConfig, BgpSessionState, BgpSessionStatus, BgpRoute } from "./routing/engine";
export { defaultHostKeyPath, fingerprintOf, generateEd25519KeyPair } from "./hostKey";
