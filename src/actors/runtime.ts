// The spec a system compiles to, for one set of params: the initial state and the action
// table. Every action is a pure function from a system state to the next one.
import { Map as ImmutableMap, Set as ImmutableSet } from "immutable";
import { forEach, type ActionDef, type DomainAction } from "../spec/action.ts";
import type { ParamDecls } from "../spec/params.ts";
import { emptyHistory } from "./client-history.ts";
import { commit } from "./commit.ts";
import type { CrashNotice } from "./crash-notice.ts";
import type { SystemDefinition } from "./definition.ts";
import type { Envelope } from "./envelope.ts";
import { crash, restart } from "./fault-steps.ts";
import { envelopeLabel, noticeLabel, processLabel, timerLabel } from "./labels.ts";
import { deliver, detect, drop, local, timeout } from "./steps.ts";
import type { Timer } from "./timer.ts";
import { Topology, type State } from "./topology.ts";
import type { ProcessId, SystemTypes } from "./types.ts";

/** The built-in actions, in the order the engine runs them (after the roles' own actions). */
export const BUILT_IN_ACTIONS = [
  "deliver",
  "redeliver",
  "drop",
  "timeout",
  "detect",
  "crash",
  "restart",
] as const;

type Step<X> = (s: State, x: X) => State | null;

/** An action instance over a domain, with a label function for its argument. */
function labeled<X>(
  over: DomainAction<State, X>["over"],
  step: Step<X>,
  label: (x: X) => string,
): ActionDef<State> {
  // `label` is read by engines that support custom labels and ignored by others.
  return Object.assign(forEach(over, step), { label });
}

const byId = (id: ProcessId): ProcessId => id;
const toOf = (e: Envelope): ProcessId => e.to;
const processOf = (tm: Timer): ProcessId => tm.process;
const watcherOf = (n: CrashNotice): ProcessId => n.watcher;

export class SystemRuntime {
  private readonly t: Topology;

  constructor(def: SystemDefinition<SystemTypes, ParamDecls>, params: unknown) {
    this.t = new Topology(def, params);
  }

  ids(role: string): readonly ProcessId[] {
    return this.t.ids(role);
  }

  init(): State {
    const t = this.t;
    const procs: Record<string, ImmutableMap<ProcessId, unknown>> = {};
    for (const role of t.roles) {
      procs[role.name] = ImmutableMap(
        role.ids.map((id, i) => [id, role.def.init(id, i, t.params)] as const),
      );
    }
    let s: State = { procs: procs, net: t.net.empty };
    if (t.usesTimers) s = { ...s, timers: ImmutableSet() };
    if (t.maxCrashed > 0) s = { ...s, crashed: ImmutableSet() };
    if (t.restarts && t.roles.some((r) => (r.def.durable?.length ?? 0) > 0)) {
      s = { ...s, disk: ImmutableMap() };
    }
    if (t.watchesCrashes) s = { ...s, notices: ImmutableSet() };
    if (t.keepsHistory) s = { ...s, history: emptyHistory };
    for (const role of t.roles) {
      const onStart = role.def.onStart;
      if (onStart === undefined) continue;
      for (const id of role.ids) {
        const log = t.context(id, s);
        s = commit(t, s, role, id, onStart(t.stateOf(s, role, id), log), log, s.net);
      }
    }
    return this.collect(s);
  }

  /** The actions of the compiled spec, by name, in a fixed order. */
  actions(): Record<string, ActionDef<State>> {
    const t = this.t;
    const table: Record<string, ActionDef<State>> = {};
    for (const [name, ids] of this.localActions()) {
      if ((BUILT_IN_ACTIONS as readonly string[]).includes(name)) {
        throw new Error(`a role action cannot be called ${name}: the layer defines it`);
      }
      const step = this.collecting<ProcessId>((s, id) => local(t, name, s, id), byId);
      table[name] = labeled(ids, step, processLabel);
    }
    const deliverable = (s: State): Iterable<Envelope> => t.net.deliverable(s.net);
    const consume = this.collecting<Envelope>((s, e) => deliver(t, s, e, true), toOf);
    table.deliver = labeled(deliverable, consume, envelopeLabel);
    if (t.network.duplicating === true) {
      const keep = this.collecting<Envelope>((s, e) => deliver(t, s, e, false), toOf);
      table.redeliver = labeled(deliverable, keep, envelopeLabel);
    }
    if (t.network.lossy === true || t.lossOnCrash) {
      const anywhere = t.network.lossy === true;
      const losable = (s: State): Iterable<Envelope> => t.net.losable(s.net, anywhere);
      // Losing a message changes no process: it cannot make another obsolete.
      table.drop = labeled(losable, (s, e: Envelope) => drop(t, s, e), envelopeLabel);
    }
    if (t.usesTimers) {
      const step = this.collecting<Timer>((s, tm) => timeout(t, s, tm), processOf);
      table.timeout = labeled((s: State) => s.timers!, step, timerLabel);
    }
    if (t.watchesCrashes) {
      const step = this.collecting<CrashNotice>((s, n) => detect(t, s, n), watcherOf);
      table.detect = labeled((s: State) => s.notices!, step, noticeLabel);
    }
    if (t.maxCrashed > 0) {
      const step = this.collecting<ProcessId>((s, id) => crash(t, s, id), byId);
      table.crash = labeled(t.crashable, step, processLabel);
      if (t.restarts) {
        const back = this.collecting<ProcessId>((s, id) => restart(t, s, id), byId);
        table.restart = labeled(t.crashable, back, processLabel);
      }
    }
    return table;
  }

  /** Each role action name with the processes that have it, in role order. */
  private localActions(): Map<string, ProcessId[]> {
    const out = new Map<string, ProcessId[]>();
    for (const role of this.t.roles) {
      for (const name of Object.keys(role.def.actions ?? {})) {
        out.set(name, [...(out.get(name) ?? []), ...role.ids]);
      }
    }
    return out;
  }

  /**
   * A step followed by the removal of the envelopes it made obsolete. Only the process `actor`
   * ran (or crashed), so only envelopes from or to it can have become obsolete: that keeps the
   * check cheap, and every state still holds no obsolete envelope as long as `obsolete`
   * depends only on an envelope and the states of its two ends (as documented).
   */
  private collecting<X>(step: Step<X>, actor: (x: X) => ProcessId): Step<X> {
    if (this.t.obsolete === undefined) return step;
    return (s, x) => {
      const next = step(s, x);
      return next === null ? null : this.collect(next, actor(x));
    };
  }

  /** Removes the obsolete envelopes from or to `actor` (all of them without an actor). */
  private collect(s: State, actor?: ProcessId): State {
    const obsolete = this.t.obsolete;
    if (obsolete === undefined) return s;
    const net = this.t.net.dropWhere(
      s.net,
      actor === undefined
        ? (e) => obsolete(s, e)
        : (e) => (e.from === actor || e.to === actor) && obsolete(s, e),
    );
    return net === s.net ? s : { ...s, net };
  }

  /** Nothing in flight and no crash left to detect. */
  quiescent(s: State): boolean {
    return this.t.net.isEmpty(s.net) && (s.notices === undefined || s.notices.size === 0);
  }
}
