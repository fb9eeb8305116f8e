// Type tests for the message-passing layer: the message, role-state and timer types are
// written once, as defineSystem's type argument, and reach every handler without annotations.
import type { Map as ImmutableMap } from "immutable";
import { describe, expectTypeOf, it } from "vitest";
import {
  defineSystem,
  inFlight,
  messageType,
  type Context,
  type Envelope,
  type MessageOf,
  type ProcessId,
  type SystemState,
  type SystemStateOf,
} from "../../src/actors/index.ts";
import { buildModel, param, type AnySpec } from "../../src/index.ts";

const Ping = messageType("Ping", { n: 0 });
const Pong = messageType("Pong", { n: 0, by: "" });
const Stop = messageType("Stop");
type Msg = MessageOf<typeof Ping> | MessageOf<typeof Pong> | MessageOf<typeof Stop>;

interface Server {
  readonly phase: "up" | "down";
  readonly served: number;
}
interface Client {
  readonly sent: number;
}
type Types = { msg: Msg; roles: { server: Server; client: Client }; timer: "retry" };

describe("defineSystem", () => {
  it("types handlers from the declared types and params", () => {
    const sys = defineSystem<Types>()({
      params: { servers: param.int({ default: 2 }), eager: param.bool({ default: false }) },
      roles: {
        server: {
          count: (p) => {
            expectTypeOf(p.servers).toEqualTypeOf<number>();
            return p.servers;
          },
          init: (id, index, p) => {
            expectTypeOf(id).toEqualTypeOf<ProcessId>();
            expectTypeOf(index).toEqualTypeOf<number>();
            expectTypeOf(p.eager).toEqualTypeOf<boolean>();
            return { phase: "up", served: 0 };
          },
          onMessage: (s, from, msg, ctx) => {
            expectTypeOf(s).toEqualTypeOf<Server>();
            expectTypeOf(from).toEqualTypeOf<ProcessId>();
            expectTypeOf(msg).toEqualTypeOf<Msg>();
            expectTypeOf(ctx.params.servers).toEqualTypeOf<number>();
            switch (msg.type) {
              case "Ping":
                expectTypeOf(msg.n).toEqualTypeOf<number>();
                ctx.send(from, Pong({ n: msg.n, by: ctx.self }));
                return { ...s, served: s.served + 1 };
              case "Stop":
                // A literal phase needs no annotation: the return type is the role's state.
                return { ...s, phase: "down" };
              default:
                expectTypeOf(msg.type).toEqualTypeOf<"Pong">();
                return s;
            }
          },
        },
        client: {
          init: () => ({ sent: 0 }),
          onStart: (s, ctx) => {
            expectTypeOf(ctx).toEqualTypeOf<
              Context<Types, { readonly servers: number; readonly eager: boolean }>
            >();
            ctx.broadcast("server", Ping({ n: 0 }));
            ctx.setTimer("retry");
            // @ts-expect-error -- not a declared timer
            ctx.setTimer("election");
            // @ts-expect-error -- not a role
            ctx.broadcast("servers", Stop());
            // @ts-expect-error -- not a message of this system
            ctx.send("s1", { type: "Ping", n: 1 });
            return s;
          },
          onTimeout: (s, timer) => {
            expectTypeOf(timer).toEqualTypeOf<"retry">();
            return { sent: s.sent + 1 };
          },
          actions: {
            ping: (s, ctx) => {
              expectTypeOf(s).toEqualTypeOf<Client>();
              ctx.invoke("read");
              return s.sent > 2 ? null : { sent: s.sent + 1 };
            },
          },
          durable: ["sent"],
        },
      },
      invariants: {
        Served: (s, p) => {
          expectTypeOf(s.procs.server).toEqualTypeOf<ImmutableMap<ProcessId, Server>>();
          expectTypeOf(s.procs.client).toEqualTypeOf<ImmutableMap<ProcessId, Client>>();
          expectTypeOf(inFlight(s)).toEqualTypeOf<Envelope<Msg>[]>();
          return s.procs.server.size <= p.servers;
        },
      },
      obsolete: (s, e) => {
        expectTypeOf(e.msg).toEqualTypeOf<Msg>();
        return e.msg.type === "Pong" && s.procs.client.get(e.to)?.sent === 0;
      },
    });
    expectTypeOf<SystemStateOf<typeof sys>>().toEqualTypeOf<SystemState<Types>>();
    // A system is a spec.
    expectTypeOf(sys).toExtend<AnySpec>();
    buildModel(sys, { servers: 3 });
    sys.variant({ roles: { server: { onMessage: (s) => ({ ...s, phase: "down" }) } } });
  });

  it("rejects a state that does not match the role's type", () => {
    defineSystem<Types>()({
      roles: {
        // @ts-expect-error -- phase must be "up" or "down"
        server: { init: () => ({ phase: "sideways", served: 0 }) },
        client: {
          init: () => ({ sent: 0 }),
          // @ts-expect-error -- not a field of Client
          durable: ["missing"],
        },
      },
    });
  });
});

describe("messageType", () => {
  it("builds records whose type narrows a union", () => {
    expectTypeOf(Ping({ n: 1 }).type).toEqualTypeOf<"Ping">();
    expectTypeOf(Stop).parameters.toEqualTypeOf<[]>();
    // @ts-expect-error -- a field is missing
    Pong({ n: 1 });
  });
});
