// Applies a handler's result to the system state: the process's next state, then its
// effects (sends, timers, client history) in the order the handler made them.
import { recordInvoke, recordRespond } from "./client-history.ts";
import type { EffectLog } from "./context.ts";
import { envelope } from "./envelope.ts";
import type { Network } from "./network.ts";
import { timer } from "./timer.ts";
import type { Procs, RoleRuntime, State, Topology } from "./topology.ts";
import type { ProcessId } from "./types.ts";

export function commit(
  t: Topology,
  s: State,
  role: RoleRuntime,
  id: ProcessId,
  next: unknown,
  log: EffectLog,
  net: Network,
): State {
  const procs = s.procs as Procs;
  const map = procs[role.name]!;
  const out: { -readonly [K in keyof State]: State[K] } = { ...s, net };
  if (map.get(id) !== next) {
    out.procs = { ...procs, [role.name]: map.set(id, next) };
  }
  for (const e of log.effects) {
    switch (e.kind) {
      case "send": {
        t.role(e.to);
        // Without restarts nobody will ever receive it: keep the state canonical.
        if (!t.restarts && s.crashed?.has(e.to) === true) break;
        out.net = t.net.add(out.net, envelope(id, e.to, e.msg));
        break;
      }
      case "setTimer":
      case "cancelTimer": {
        if (out.timers === undefined) {
          throw new Error(`${id} uses timer ${e.name}, but its role ${role.name} has no onTimeout`);
        }
        const tm = timer(id, e.name);
        out.timers = e.kind === "setTimer" ? out.timers.add(tm) : out.timers.delete(tm);
        break;
      }
      case "invoke":
      case "respond": {
        if (out.history === undefined) {
          throw new Error(
            `${id} records a client ${e.kind}: declare the system with history: true`,
          );
        }
        out.history =
          e.kind === "invoke"
            ? recordInvoke(out.history, id, e.f, e.input)
            : recordRespond(out.history, id, e.output);
        break;
      }
    }
  }
  return out;
}
