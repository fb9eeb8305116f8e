// The recorded state graph: rows, labels, predicate bits, and what is not an edge.
import { describe, expect, it } from "vitest";
import { ActionLabels } from "../../src/liveness/action-labels.ts";
import { StateGraph } from "../../src/liveness/state-graph.ts";

function recorder(perInstance: boolean[] | null) {
  const cursor = { actionIndex: 0, arg: undefined as unknown };
  const labels = perInstance === null ? null : new ActionLabels(perInstance.length, perInstance);
  const graph = new StateGraph<number>(
    cursor,
    [{ name: "even", test: (s) => s % 2 === 0 }],
    labels,
  );
  return { graph, cursor };
}

describe("StateGraph", () => {
  it("packs each state's successors into rows, without stutters", () => {
    const { graph } = recorder(null);
    graph.addInit(0, 10, 1, 1);
    graph.addSuccessor(0, 1, 11, 1, 2);
    graph.addSuccessor(0, 2, 12, 1, 3);
    graph.edgeToSeen(1, 1, 1);
    graph.edgeToSeen(1, 1, 2); // back to itself: a stutter, not an edge
    graph.edgeToSeen(1, 1, 3);
    graph.finish();
    expect(graph.states).toBe(3);
    expect(graph.edges).toBe(4);
    expect([...graph.offsets]).toEqual([0, 2, 4, 4]);
    expect([...graph.targets]).toEqual([1, 2, 0, 2]);
    expect(graph.labels).toBeNull();
    expect([0, 1, 2].map((u) => graph.holds(0, u))).toEqual([true, false, true]);
    expect(graph.inits).toEqual([0]);
  });

  it("refuses a state whose edges are not contiguous", () => {
    const { graph } = recorder(null);
    graph.addInit(0, 0, 1, 1);
    graph.addSuccessor(0, 1, 1, 1, 2);
    graph.edgeToSeen(1, 1, 1);
    expect(() => graph.edgeToSeen(0, 1, 2)).toThrow(/expanded twice/);
  });

  it("labels edges per action, or per instance by the argument's value", () => {
    const { graph, cursor } = recorder([false, true]);
    graph.addInit(0, 0, 1, 1);
    graph.addSuccessor(0, 1, 1, 1, 2);
    const steps: [number, unknown][] = [
      [0, "x"],
      [1, { m: 1 }],
      [1, { m: 1 }], // an equal value: the same instance
      [1, { m: 2 }],
    ];
    for (const [a, arg] of steps) {
      cursor.actionIndex = a;
      cursor.arg = arg;
      graph.edgeToSeen(0, 1, 2);
    }
    graph.finish();
    // Action 0 as a whole is label 0; action 1's instances are labels 2 and 3.
    expect([...graph.labels!]).toEqual([0, 0, 2, 2, 3]);
    expect(graph.labels).toBeInstanceOf(Uint16Array);
    const labels = graph.actionLabels!;
    expect(labels.size).toBe(4);
    expect(labels.actionOf(3)).toBe(1);
    expect(labels.argOf(3)).toEqual({ m: 2 });
  });

  it("widens labels past 65,535 instances", () => {
    const { graph, cursor } = recorder([true]);
    const n = 70_000;
    cursor.actionIndex = 0;
    cursor.arg = -1;
    graph.addInit(0, 0, 7, 7);
    graph.addSuccessor(0, 1, 1, 7, 8);
    for (let i = 0; i < n; i++) {
      cursor.arg = i;
      graph.edgeToSeen(1, 7, 7);
    }
    graph.finish();
    expect(graph.labels).toBeInstanceOf(Uint32Array);
    expect(graph.labels![0]).toBe(1);
    expect(graph.labels![1]).toBe(2);
    expect(graph.labels![n]).toBe(n + 1);
  });
});
