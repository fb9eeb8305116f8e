// The client history: invocations and returns recorded as a real-time partial order, and
// turned back into checker operations with that same order.
import fc from "fast-check";
import { is } from "immutable";
import { describe, expect, it } from "vitest";
import {
  defineSystem,
  explainHistory,
  historyOf,
  linearizable,
  messageType,
  sequentiallyConsistent,
  type MessageOf,
} from "../../src/actors/index.ts";
import {
  emptyHistory,
  historyOps,
  recordInvoke,
  recordRespond,
  type ClientHistory,
} from "../../src/actors/client-history.ts";
import { register } from "../../src/lincheck/index.ts";
import { fingerprintHex } from "../../src/index.ts";
import { check, labels } from "./check-system.ts";

type Event = readonly ["invoke" | "respond", string];

function replay(events: readonly Event[]): ClientHistory {
  let h = emptyHistory;
  for (const [kind, p] of events) {
    h = kind === "invoke" ? recordInvoke(h, p, "read", null) : recordRespond(h, p, 0);
  }
  return h;
}

/** For each pair of ops (by process and index), whether the first returned before the second began. */
function precedence(events: readonly Event[]): Map<string, boolean> {
  const call = new Map<string, number>();
  const ret = new Map<string, number>();
  const count = new Map<string, number>();
  events.forEach(([kind, p], t) => {
    if (kind === "invoke") {
      const k = count.get(p) ?? 0;
      count.set(p, k + 1);
      call.set(`${p}#${k}`, t);
    } else ret.set(`${p}#${(count.get(p) ?? 1) - 1}`, t);
  });
  const out = new Map<string, boolean>();
  for (const [a] of call) {
    for (const [b, cb] of call) out.set(`${a} < ${b}`, (ret.get(a) ?? Infinity) < cb);
  }
  return out;
}

function synthesized(h: ClientHistory): Map<string, boolean> {
  const ops = historyOps(h);
  const keyed = new Map<string, (typeof ops)[number]>();
  const count = new Map<string, number>();
  for (const op of [...ops].sort((x, y) => x.call - y.call || x.id - y.id)) {
    const p = String(op.process);
    const k = count.get(p) ?? 0;
    count.set(p, k + 1);
    keyed.set(`${p}#${k}`, op);
  }
  const out = new Map<string, boolean>();
  for (const [a, oa] of keyed)
    for (const [b, ob] of keyed) out.set(`${a} < ${b}`, oa.ret < ob.call);
  return out;
}

/** Random well-formed event sequences over three clients. */
const events = fc.array(fc.constantFrom("c1", "c2", "c3"), { maxLength: 14 }).map((ps) => {
  const pending = new Set<string>();
  return ps.map((p): Event => {
    if (pending.has(p)) {
      pending.delete(p);
      return ["respond", p];
    }
    pending.add(p);
    return ["invoke", p];
  });
});

describe("client history", () => {
  it("keeps exactly the real-time order of the operations", () => {
    fc.assert(
      fc.property(events, (evs) => {
        expect(synthesized(replay(evs))).toEqual(precedence(evs));
      }),
      { numRuns: 300 },
    );
  });

  it("is the same value for event orders with the same real-time order", () => {
    const a = replay([
      ["invoke", "c1"],
      ["invoke", "c2"],
      ["respond", "c1"],
      ["respond", "c2"],
    ]);
    const b = replay([
      ["invoke", "c2"],
      ["invoke", "c1"],
      ["respond", "c2"],
      ["respond", "c1"],
    ]);
    expect(is(a, b)).toBe(true);
    expect(fingerprintHex(a)).toBe(fingerprintHex(b));
    const c = replay([
      ["invoke", "c1"],
      ["respond", "c1"],
      ["invoke", "c2"],
      ["respond", "c2"],
    ]);
    expect(fingerprintHex(a)).not.toBe(fingerprintHex(c));
  });

  it("turns pending operations into incomplete ones", () => {
    const h = recordInvoke(recordInvoke(emptyHistory, "c1", "write", 1), "c2", "read", null);
    const ops = historyOps(recordRespond(h, "c2", 1));
    expect(ops.map((op) => [op.process, op.f, op.status, op.ret])).toEqual([
      ["c1", "write", "info", Infinity],
      ["c2", "read", "ok", 1],
    ]);
    expect(historyOf({})).toEqual([]);
  });

  it("rejects an invocation while one is pending, and a response without one", () => {
    const h = recordInvoke(emptyHistory, "c1", "read", null);
    expect(() => recordInvoke(h, "c1", "read", null)).toThrow(/c1 invokes read while its read/);
    expect(() => recordRespond(emptyHistory, "c1", 0)).toThrow(/without a pending operation/);
  });
});

// A register server and two clients; the buggy server answers reads from a cache that writes
// do not update.
const Write = messageType("Write", { value: 0 });
const Read = messageType("Read");
const Ok = messageType("Ok", { value: 0 });
type Msg = MessageOf<typeof Write> | MessageOf<typeof Read> | MessageOf<typeof Ok>;
interface Server {
  readonly value: number;
  readonly cache: number;
}
interface Client {
  readonly busy: boolean;
  readonly done: boolean;
}

function registerSystem(cached: boolean) {
  return defineSystem<{ msg: Msg; roles: { server: Server; client: Client } }>()({
    roles: {
      server: {
        init: () => ({ value: 0, cache: 0 }),
        onMessage: (s, from, msg, ctx) => {
          if (msg.type === "Write") {
            ctx.send(from, Ok({ value: msg.value }));
            return { ...s, value: msg.value };
          }
          ctx.send(from, Ok({ value: cached ? s.cache : s.value }));
          return s;
        },
      },
      client: {
        count: 2,
        prefix: "c",
        init: () => ({ busy: false, done: false }),
        actions: {
          write: (s, ctx) => {
            if (s.busy || s.done) return null;
            ctx.invoke("write", 1);
            ctx.send("server1", Write({ value: 1 }));
            return { ...s, busy: true };
          },
          read: (s, ctx) => {
            if (s.busy || s.done) return null;
            ctx.invoke("read");
            ctx.send("server1", Read());
            return { ...s, busy: true };
          },
        },
        onMessage: (_s, _from, msg, ctx) => {
          ctx.respond(msg.type === "Ok" ? msg.value : null);
          return { busy: false, done: true };
        },
      },
    },
    history: true,
    invariants: {
      Linearizable: linearizable(register(0)),
      SequentiallyConsistent: sequentiallyConsistent(register(0)),
    },
  });
}

describe("consistency invariants", () => {
  it("hold for a correct register", async () => {
    const r = await check(registerSystem(false));
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(81); // pinned, not derived
  });

  it("catch a stale read, with an explanation", async () => {
    const r = await check(registerSystem(true));
    expect(labels(r)).toEqual([
      "Init",
      "write(c1)",
      "deliver(c1 → server1: Write{value: 1})",
      "deliver(server1 → c1: Ok{value: 1})",
      "read(c2)",
      "deliver(c2 → server1: Read{})",
      "deliver(server1 → c2: Ok{value: 0})",
    ]);
    if (r.kind !== "violation") return;
    expect(r.violation.property).toBe("Linearizable");
    const last = r.violation.trace.at(-1)!.state;
    expect(explainHistory(last, register(0))).toMatch(/cannot be placed next: #1 process c2: read/);
    expect(explainHistory(r.violation.trace[1]!.state, register(0))).toBeNull();
  });

  it("rejects history events in a system that keeps no history", async () => {
    const r = await check(registerSystem(false).variant({ history: false }));
    expect(r.kind).toBe("specError");
    if (r.kind !== "specError") return;
    expect(r.error.message).toMatch(/declare the system with history: true/);
  });
});
