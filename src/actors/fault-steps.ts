// Crashes and restarts. A crashed process keeps no state (its durable fields go to `disk` when
// it may restart), loses its timers, and is reported to the processes watching for crashes.
import { commit } from "./commit.ts";
import { crashNotice } from "./crash-notice.ts";
import type { Procs, State, Topology } from "./topology.ts";
import type { ProcessId } from "./types.ts";

export function crash(t: Topology, s: State, id: ProcessId): State | null {
  const crashed = s.crashed!;
  if (crashed.has(id) || crashed.size >= t.maxCrashed) return null;
  const role = t.role(id);
  const procs = s.procs as Procs;
  const st = procs[role.name]!.get(id);
  let out: State = {
    ...s,
    procs: { ...procs, [role.name]: procs[role.name]!.delete(id) },
    crashed: crashed.add(id),
  };
  if (s.timers !== undefined && s.timers.some((tm) => tm.process === id)) {
    out = { ...out, timers: s.timers.filter((tm) => tm.process !== id) };
  }
  // Without restarts nobody will read them: keep the state canonical.
  if (!t.restarts) out = { ...out, net: t.net.dropWhere(s.net, (e) => e.to === id) };
  const durable = role.def.durable ?? [];
  if (s.disk !== undefined && durable.length > 0) {
    out = { ...out, disk: s.disk.set(id, pick(st, durable)) };
  }
  if (s.notices !== undefined) {
    let notices = s.notices.filter((n) => n.watcher !== id);
    for (const watcher of t.roles) {
      if (watcher.def.onCrash === undefined) continue;
      for (const w of watcher.ids) {
        if (w !== id && !crashed.has(w)) notices = notices.add(crashNotice(w, id));
      }
    }
    out = { ...out, notices };
  }
  return out;
}

export function restart(t: Topology, s: State, id: ProcessId): State | null {
  const crashed = s.crashed!;
  if (!crashed.has(id)) return null;
  const role = t.role(id);
  const initial = role.def.init(id, t.index(id), t.params);
  const saved = s.disk?.get(id);
  const st = saved === undefined ? initial : { ...(initial as object), ...saved };
  const procs = s.procs as Procs;
  let out: State = {
    ...s,
    procs: { ...procs, [role.name]: procs[role.name]!.set(id, st) },
    crashed: crashed.delete(id),
  };
  if (saved !== undefined) out = { ...out, disk: s.disk!.delete(id) };
  const onRestart = role.def.onRestart ?? role.def.onStart;
  if (onRestart === undefined) return out;
  const log = t.context(id, out);
  return commit(t, out, role, id, onRestart(st, log), log, out.net);
}

function pick(state: unknown, keys: readonly string[]): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = (state as Record<string, unknown>)[k];
  return out;
}
