// The spec's fairness assumptions as constraints over edge labels: one constraint per
// assumption on a whole action, one per instance for `each`. Built after the search, when
// every instance that occurs on some edge has a label; an instance that never occurs is never
// enabled, so its assumption holds trivially and it needs no constraint.
import type { Model, ModelFairness } from "../spec/model.ts";
import { ActionLabels } from "./action-labels.ts";

export const WEAK = 0;
export const STRONG = 1;

export interface FairnessTable {
  readonly count: number;
  /** WEAK or STRONG, per constraint. */
  readonly kinds: Uint8Array;
  /** The assumption each constraint comes from, and its instance label (-1: whole action). */
  readonly sources: readonly { readonly fairness: ModelFairness; readonly label: number }[];
  /** The constraints of each label: `list[offsets[l]..offsets[l+1])`. */
  readonly offsets: Uint32Array;
  readonly list: Uint32Array;
}

/** The labeller for a model's fairness, or null when it declares none. */
export function labelsFor<S>(model: Model<S>): ActionLabels | null {
  const fairness = model.fairness ?? [];
  if (fairness.length === 0) return null;
  const perInstance = model.actions.map((_, a) => fairness.some((f) => f.each && f.action === a));
  return new ActionLabels(model.actions.length, perInstance);
}

export function buildFairnessTable(
  fairness: readonly ModelFairness[],
  labels: ActionLabels | null,
): FairnessTable {
  const labelCount = labels?.size ?? 0;
  const sources: { fairness: ModelFairness; label: number }[] = [];
  const perLabel: number[][] = Array.from({ length: labelCount }, () => []);
  if (labels !== null) {
    for (const f of fairness) {
      if (!f.each) {
        const c = sources.length;
        sources.push({ fairness: f, label: -1 });
        for (let l = 0; l < labelCount; l++)
          if (labels.actionOf(l) === f.action) perLabel[l]!.push(c);
        continue;
      }
      for (let l = labels.actionCount; l < labelCount; l++) {
        if (labels.actionOf(l) !== f.action) continue;
        perLabel[l]!.push(sources.length);
        sources.push({ fairness: f, label: l });
      }
    }
  }
  const offsets = new Uint32Array(labelCount + 1);
  for (let l = 0; l < labelCount; l++) offsets[l + 1] = offsets[l]! + perLabel[l]!.length;
  const list = new Uint32Array(offsets[labelCount]!);
  for (let l = 0; l < labelCount; l++) list.set(perLabel[l]!, offsets[l]);
  const kinds = Uint8Array.from(sources, (s) => (s.fairness.kind === "weak" ? WEAK : STRONG));
  return { count: sources.length, kinds, sources, offsets, list };
}
