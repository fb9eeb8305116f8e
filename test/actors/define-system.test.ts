// defineSystem: roles and their ids, role actions, variants, terminal states, obsolete
// messages, message types, and the errors a spec author can make.
import { Map as ImmutableMap } from "immutable";
import { describe, expect, it } from "vitest";
import { defineSystem, envelope, messageType, type MessageOf } from "../../src/actors/index.ts";
import { buildModel, fingerprintHex, isSpec, param } from "../../src/index.ts";
import { formatValue } from "../../src/values/format.ts";
import { check, labels } from "./check-system.ts";

const Req = messageType("Req", { n: 0 });
const Ack = messageType("Ack", { n: 0 });
const Done = messageType("Done");
type Msg = MessageOf<typeof Req> | MessageOf<typeof Ack> | MessageOf<typeof Done>;

/** A client sends Req{1..rounds} to every server, one round at a time; servers answer. */
const rounds = defineSystem<{
  msg: Msg;
  roles: { server: object; client: { round: number; acks: number } };
}>()({
  params: {
    servers: param.int({ default: 2 }),
    rounds: param.int({ default: 2 }),
  },
  roles: {
    server: {
      count: (p) => p.servers,
      prefix: "s",
      init: () => ({}),
      onMessage: (s, from, msg, ctx) => {
        if (msg.type === "Req") ctx.send(from, Ack({ n: msg.n }));
        return s;
      },
    },
    client: {
      ids: ["c"],
      init: () => ({ round: 0, acks: 0 }),
      actions: {
        next: (s, ctx) => {
          if (s.round >= ctx.params.rounds || (s.round > 0 && s.acks < 1)) return null;
          ctx.broadcast("server", Req({ n: s.round + 1 }));
          return { round: s.round + 1, acks: 0 };
        },
      },
      // A round is over after the first answer.
      onMessage: (s, _from, msg) =>
        msg.type === "Ack" && msg.n === s.round ? { ...s, acks: s.acks + 1 } : s,
    },
  },
});

describe("defineSystem", () => {
  it("is a spec: it builds a model with the layer's actions", () => {
    expect(isSpec(rounds)).toBe(true);
    const model = buildModel(rounds, { servers: 3 });
    expect(model.actions.map((a) => a.name)).toEqual(["next", "deliver"]);
    const init = model.init() as { procs: { server: ImmutableMap<string, unknown> } };
    expect([...init.procs.server.keys()]).toEqual(["s1", "s2", "s3"]);
  });

  it("explores a small system", async () => {
    const r = await check(rounds);
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(55); // pinned
  });

  it("obsolete messages are removed, and the state space shrinks", async () => {
    const lean = rounds.variant({
      roles: {
        client: { stale: (s, _from, msg) => msg.type === "Ack" && (msg.n < s.round || s.acks > 0) },
      },
      // An old request only produces an ignored answer.
      obsolete: (s, e) => {
        const c = s.procs.client.get("c");
        return e.msg.type === "Req" && c !== undefined && (e.msg.n < c.round || c.acks > 0);
      },
    });
    const r = await check(lean);
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(11); // pinned
    expect(r.stats.distinct).toBeLessThan(55);
    // A lost answer is never missed: the first answer of each round still arrives.
    const done = (s: Parameters<NonNullable<typeof lean.system.terminal>>[0]): boolean => {
      const c = s.procs.client.get("c")!;
      return c.round === 2 && c.acks > 0;
    };
    expect((await check(lean.variant({ terminal: done }))).kind).toBe("ok");
  });

  it("variants replace role handlers by name and keep the rest", async () => {
    const silent = rounds.variant({ roles: { server: { onMessage: (s) => s } } });
    expect(silent.system.roles.server.prefix).toBe("s");
    // Nobody answers: the client waits in round 1 with nothing in flight, a quiescent state.
    const r = await check(silent);
    expect(r.kind).toBe("ok");
    const strict = silent.variant({ terminal: (s) => s.procs.client.get("c")!.round === 2 });
    const d = await check(strict);
    expect(d.kind).toBe("violation");
    if (d.kind !== "violation") return;
    expect(d.violation.kind).toBe("deadlock");
  });

  it("merges role actions of the same name into one action over their processes", () => {
    const Tick = messageType("Tick");
    expect(Tick().type).toBe("Tick");
    const sys = defineSystem<{ msg: MessageOf<typeof Tick>; roles: { a: object; b: object } }>()({
      roles: {
        a: { count: 2, init: () => ({}), actions: { go: (s) => s } },
        b: { init: () => ({}), actions: { go: (s) => s, stop: () => null } },
      },
    });
    const model = buildModel(sys);
    expect(model.actions.map((a) => [a.name, a.domain])).toEqual([
      ["go", ["a1", "a2", "b1"]],
      ["stop", ["b1"]],
      ["deliver", expect.any(Function)],
    ]);
  });

  it("reports an author's mistakes", async () => {
    const toNobody = rounds.variant({
      roles: { client: { onStart: (s, ctx) => (ctx.send("nobody", Done()), s) } },
    });
    const r = await check(toNobody);
    expect(r.kind).toBe("specError");
    if (r.kind === "specError") expect(r.error.message).toMatch(/unknown process nobody/);
    const deaf = rounds.variant({ roles: { server: { onMessage: undefined } } });
    const d = await check(deaf);
    expect(d.kind).toBe("specError");
    if (d.kind === "specError") {
      expect(d.error.message).toMatch(
        /c sent Req\{n: 1\} to s1, whose role server has no onMessage/,
      );
    }
    const clash = rounds.variant({ roles: { client: { actions: { crash: () => null } } } });
    expect(() => buildModel(clash)).toThrow(/cannot be called crash/);
    const twice = rounds.variant({ roles: { client: { ids: ["s1"] } } });
    expect(() => buildModel(twice)).toThrow(/process id s1 is used twice/);
  });
});

describe("messageType", () => {
  it("makes records compared and hashed by value, printed with their type", () => {
    const a = Req({ n: 1 });
    expect(a.type).toBe("Req");
    expect(Req.type).toBe("Req");
    expect(a.equals(Req({ n: 1 }))).toBe(true);
    expect(a.equals(Ack({ n: 1 }))).toBe(false);
    expect(Done()).toBe(Done());
    expect(formatValue(a)).toBe("Req{n: 1}");
    expect(formatValue(Done())).toBe("Done{}");
    expect(fingerprintHex(a)).toBe(fingerprintHex(Req({ n: 1 })));
    expect(fingerprintHex(a)).not.toBe(fingerprintHex(Ack({ n: 1 })));
    const e = envelope("c1", "s2", a);
    expect(e.equals(envelope("c1", "s2", Req({ n: 1 })))).toBe(true);
    expect(ImmutableMap([[e, 1]]).get(envelope("c1", "s2", Req({ n: 1 })))).toBe(1);
    expect(formatValue(e, { bareStrings: true })).toBe(
      "Envelope{from: c1, to: s2, msg: Req{n: 1}}",
    );
  });

  it("labels deliveries with the envelope", async () => {
    const spec = rounds.variant({
      invariants: { NoAck: (s) => s.procs.client.get("c")!.acks === 0 },
    });
    expect(labels(await check(spec))).toEqual([
      "Init",
      "next(c)",
      "deliver(c → s1: Req{n: 1})",
      "deliver(s1 → c: Ack{n: 1})",
    ]);
  });
});
