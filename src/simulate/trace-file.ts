// A simulation's counterexample as a trace file, in the same format `check` writes, so that
// `protomc replay` re-executes it.
import type { Violation } from "../engine/result.ts";
import { buildTraceFile, type TraceFile } from "../itf/trace-file.ts";
import type { Model } from "../spec/model.ts";
import { fingerprintHex } from "../values/fingerprint.ts";

/** Null when the model has no source file to name in the trace. */
export function violationTraceFile<S>(
  model: Model<S>,
  v: Violation<S>,
  description?: string,
): TraceFile | null {
  if (model.source === null) return null;
  const view = model.view;
  return buildTraceFile({
    spec: { path: model.source.path, export: model.source.exportName },
    params: { ...model.params },
    property: v.property,
    kind: v.kind,
    states: v.trace.map((s) => s.state),
    actions: v.trace.map((s) => s.label),
    loopIndex: v.loopIndex,
    // The checker's fingerprints: of the view, when the spec has one.
    fingerprints: v.trace.map((s) => fingerprintHex(view === null ? s.state : view(s.state))),
    ...(description !== undefined ? { description } : {}),
  });
}
