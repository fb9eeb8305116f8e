// The steps of live processes: role actions, deliveries, losses, timeouts, crash detection.
// Each returns the next state, or null when the event cannot happen in `s`.
import { formatValue } from "../values/format.ts";
import { commit } from "./commit.ts";
import type { CrashNotice } from "./crash-notice.ts";
import type { Envelope } from "./envelope.ts";
import type { Timer } from "./timer.ts";
import type { State, Topology } from "./topology.ts";
import type { ProcessId } from "./types.ts";

export function local(t: Topology, name: string, s: State, id: ProcessId): State | null {
  const role = t.role(id);
  const fn = role.def.actions?.[name];
  const st = t.stateOf(s, role, id);
  if (fn === undefined || st === undefined) return null;
  const log = t.context(id, s);
  const next = fn(st, log);
  return next === null ? null : commit(t, s, role, id, next, log, s.net);
}

/** Delivers `e`; `consume` false leaves it in flight (a duplicating network's redelivery). */
export function deliver(t: Topology, s: State, e: Envelope, consume: boolean): State | null {
  if (!t.net.canDeliver(s.net, e)) return null;
  const role = t.role(e.to);
  const st = t.stateOf(s, role, e.to);
  if (st === undefined) return null; // crashed, and it may restart: the message waits
  const onMessage = role.def.onMessage;
  if (onMessage === undefined) {
    throw new Error(
      `${e.from} sent ${formatValue(e.msg)} to ${e.to}, whose role ${role.name} has no onMessage`,
    );
  }
  const log = t.context(e.to, s);
  const next = onMessage(st, e.from, e.msg, log);
  if (next === null) return null;
  return commit(t, s, role, e.to, next, log, consume ? t.net.remove(s.net, e) : s.net);
}

/** Loses `e`: anywhere on a lossy network, else only a message of a crashed sender. */
export function drop(t: Topology, s: State, e: Envelope): State | null {
  const anywhere = t.network.lossy === true;
  if (!anywhere && s.crashed?.has(e.from) !== true) return null;
  if (!t.net.canLose(s.net, e, anywhere)) return null;
  return { ...s, net: t.net.lose(s.net, e, anywhere) };
}

export function timeout(t: Topology, s: State, tm: Timer): State | null {
  const timers = s.timers;
  if (timers === undefined || !timers.has(tm)) return null;
  const role = t.role(tm.process);
  const st = t.stateOf(s, role, tm.process);
  if (st === undefined) return null;
  const log = t.context(tm.process, s);
  const next = role.def.onTimeout!(st, tm.name, log);
  if (next === null) return null;
  return commit(t, { ...s, timers: timers.delete(tm) }, role, tm.process, next, log, s.net);
}

export function detect(t: Topology, s: State, n: CrashNotice): State | null {
  const notices = s.notices;
  if (notices === undefined || !notices.has(n)) return null;
  const role = t.role(n.watcher);
  const st = t.stateOf(s, role, n.watcher);
  if (st === undefined) return null;
  const log = t.context(n.watcher, s);
  const next = role.def.onCrash!(st, n.crashed, log);
  if (next === null) return null;
  return commit(t, { ...s, notices: notices.delete(n) }, role, n.watcher, next, log, s.net);
}
