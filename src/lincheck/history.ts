// Histories: what clients invoked, what they got back, and in which order things happened.
//
// Time is an abstract position (usually the index of the event in the log): nothing here
// needs wall-clock time, only the order of invocations and responses. Op `a` precedes op `b`
// in real time iff `a.ret < b.call`; equal positions count as concurrent.
import { isValue, showValue, type Value } from "./values.ts";

export type ProcessId = number | string;

/**
 * How an operation ended. `ok`: it took effect with the recorded output. `fail`: it did not
 * take effect (kept only on request, see `FailedOps`). `info`: the outcome is unknown (a crash,
 * a timeout, or no response at all), so it may take effect at any point after its invocation,
 * or never.
 */
export type OpStatus = "ok" | "fail" | "info";

export interface Operation {
  /** Index of the operation in its history. */
  readonly id: number;
  readonly process: ProcessId;
  /** The operation's kind, Jepsen's `:f`: read, write, cas, get, put, append, ... */
  readonly f: string;
  /** The key for key-value operations; absent for single-register histories. */
  readonly key?: string | undefined;
  readonly input: Value;
  /** The recorded result; `undefined` exactly when `status` is `info`. */
  readonly output: Value | undefined;
  readonly status: OpStatus;
  /** Position of the invocation. */
  readonly call: number;
  /** Position of the response; `Infinity` exactly when `status` is `info`. */
  readonly ret: number;
}

export type History = readonly Operation[];

export type EventType = "invoke" | OpStatus;

/** One line of a Jepsen-style history: an invocation or a completion. */
export interface HistoryEvent {
  readonly process: ProcessId;
  readonly type: EventType;
  readonly f: string;
  readonly key?: string | undefined;
  /** For `invoke`, the input; for `ok`, the output; ignored for `fail` and `info`. */
  readonly value: Value;
}

/**
 * What to do with `fail` completions. `drop` (Jepsen and Knossos): the op did not happen, so
 * it is removed. `keep` (Porcupine's etcd tests): the op stays in the history with status
 * `fail`, and the model decides what the failure tells us (a failed cas saw a different value).
 */
export type FailedOps = "drop" | "keep";

/** A structurally invalid history. `index` is the offending event or op (0-based). */
export class HistoryError extends Error {
  override readonly name = "HistoryError";
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

/**
 * Pairs invocations with completions. Each event's position is its index, so the event order
 * is the real-time order. A process has at most one pending operation; operations still
 * pending at the end, or completed with `info`, become incomplete (`ret = Infinity`).
 */
export function historyFromEvents(
  events: readonly HistoryEvent[],
  failed: FailedOps = "drop",
): Operation[] {
  const pending = new Map<ProcessId, { at: number; event: HistoryEvent }>();
  const ops: Omit<Operation, "id">[] = [];
  events.forEach((e, i) => {
    const open = pending.get(e.process);
    if (e.type === "invoke") {
      if (open) {
        throw new HistoryError(
          `process ${e.process} invokes ${e.f} while its ${open.event.f} (event ${open.at}) is still pending`,
          i,
        );
      }
      pending.set(e.process, { at: i, event: e });
      return;
    }
    if (!open) throw new HistoryError(`process ${e.process} completes ${e.f} it never invoked`, i);
    const inv = open.event;
    if (inv.f !== e.f || (e.key !== undefined && e.key !== inv.key)) {
      throw new HistoryError(
        `process ${e.process} completes ${e.f}${keyText(e.key)} but invoked ${inv.f}${keyText(inv.key)}`,
        i,
      );
    }
    pending.delete(e.process);
    const base = { process: e.process, f: inv.f, key: inv.key, input: inv.value, call: open.at };
    if (e.type === "ok") ops.push({ ...base, output: e.value, status: "ok", ret: i });
    else if (e.type === "fail") {
      if (failed === "keep") ops.push({ ...base, output: e.value, status: "fail", ret: i });
    } else ops.push({ ...base, output: undefined, status: "info", ret: Infinity });
  });
  for (const { at, event } of pending.values()) {
    const base = { process: event.process, f: event.f, key: event.key, input: event.value };
    ops.push({ ...base, output: undefined, status: "info", call: at, ret: Infinity });
  }
  ops.sort((a, b) => a.call - b.call);
  return ops.map((op, id) => withId(op, id));
}

/** An operation as written by hand or in the JSON op format; see docs/lincheck.md. */
export interface OpSpec {
  readonly process: ProcessId;
  readonly f: string;
  readonly key?: string | undefined;
  readonly input?: Value | undefined;
  readonly output?: Value | undefined;
  readonly call: number;
  /** `null`, `undefined` or `Infinity`: the op never returned (status `info`). */
  readonly ret?: number | null | undefined;
  /** Defaults to `ok` when `ret` is finite and to `info` otherwise. */
  readonly status?: OpStatus | undefined;
}

/** Validates and normalises ops given directly; ids follow the given order. */
export function historyFromOps(specs: readonly OpSpec[], failed: FailedOps = "drop"): Operation[] {
  const ops: Operation[] = [];
  specs.forEach((s, i) => {
    const ret = s.ret ?? Infinity;
    const status = s.status ?? (ret === Infinity ? "info" : "ok");
    const bad = (what: string): never => {
      throw new HistoryError(`op ${i}: ${what}`, i);
    };
    if (typeof s.process !== "number" && typeof s.process !== "string")
      bad("process must be a number or a string");
    if (typeof s.f !== "string" || s.f === "") bad("f must be a non-empty string");
    if (s.key !== undefined && typeof s.key !== "string") bad("key must be a string");
    if (!Number.isFinite(s.call)) bad("call must be a finite number");
    if (Number.isNaN(ret) || ret === -Infinity) bad("ret must be a number, null or absent");
    if (ret < s.call) bad(`ret ${ret} is before call ${s.call}`);
    if ((status === "info") !== (ret === Infinity)) {
      bad(status === "info" ? "an info op cannot have a finite ret" : `a ${status} op needs a ret`);
    }
    if (!["ok", "fail", "info"].includes(status)) bad(`unknown status ${String(status)}`);
    const input = s.input ?? null;
    if (!isValue(input)) bad("input must be null, a boolean, a number, a string or an array");
    if (s.output !== undefined && !isValue(s.output)) bad("output must be a JSON-like value");
    if (status === "fail" && failed === "drop") return;
    const output = status === "info" ? undefined : (s.output ?? null);
    const base = {
      process: s.process,
      f: s.f,
      key: s.key,
      input,
      output,
      status,
      call: s.call,
      ret,
    };
    ops.push(withId(base, ops.length));
  });
  return ops;
}

/**
 * Operations per process in program order. Throws unless each process runs one op at a time
 * and an incomplete op is its process's last (a crashed process never comes back).
 */
export function programOrder(history: History): Map<ProcessId, Operation[]> {
  const byProcess = new Map<ProcessId, Operation[]>();
  for (const op of history) {
    const list = byProcess.get(op.process);
    if (list) list.push(op);
    else byProcess.set(op.process, [op]);
  }
  for (const list of byProcess.values()) {
    list.sort((a, b) => a.call - b.call);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1] as Operation;
      const op = list[i] as Operation;
      if (!(prev.ret < op.call)) {
        const why = prev.status === "info" ? "after its incomplete op" : "while its op is pending";
        throw new HistoryError(
          `process ${op.process} invokes op ${op.id} ${why} (op ${prev.id})`,
          op.id,
        );
      }
    }
  }
  return byProcess;
}

/** E.g. `#7 process 3: cas [1 2] -> ok (events 12..15)`. */
export function describeOp(op: Operation): string {
  const head = `#${op.id} process ${op.process}: ${op.f}${keyText(op.key)} ${showValue(op.input)}`;
  if (op.status === "info") return `${head} -> ? (incomplete, invoked at ${op.call})`;
  const out = op.status === "fail" ? "fail" : showValue(op.output);
  return `${head} -> ${out} (events ${op.call}..${op.ret})`;
}

function keyText(key: string | undefined): string {
  return key === undefined ? "" : ` key=${JSON.stringify(key)}`;
}

function withId(op: Omit<Operation, "id">, id: number): Operation {
  const { process, f, key, input, output, status, call, ret } = op;
  return key === undefined
    ? { id, process, f, input, output, status, call, ret }
    : { id, process, f, key, input, output, status, call, ret };
}
