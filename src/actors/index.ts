// Public surface of the message-passing layer (re-exported from src/index.ts).
export { defineSystem } from "./define-system.ts";
export type { System, SystemStateOf } from "./define-system.ts";
export type { FaultOptions, Roles, SystemChanges, SystemDefinition } from "./definition.ts";
export type { RoleDef } from "./role.ts";
export type { Context } from "./context.ts";
export type { ProcessId, RoleName, SystemTypes, TimerName } from "./types.ts";
export type { NetworkOptions, Network } from "./network.ts";
export type { ProcessStates, SystemState } from "./system-state.ts";
export { inFlight, isCrashed } from "./system-state.ts";
export { messageType } from "./message-type.ts";
export type { Message, MessageFactory, MessageOf } from "./message-type.ts";
export { envelope } from "./envelope.ts";
export type { Channel, Envelope } from "./envelope.ts";
export type { Timer } from "./timer.ts";
export type { CrashNotice } from "./crash-notice.ts";
export { historyOf } from "./client-history.ts";
export type { ClientHistory, ClientOp } from "./client-history.ts";
export { explainHistory, linearizable, sequentiallyConsistent } from "./consistency.ts";
