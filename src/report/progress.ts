// The progress line written to stderr while a search runs.
import type { Stats } from "../engine/result.ts";
import { clock, count, rate } from "./numbers.ts";

export function progressLine(s: Stats): string {
  return (
    `${clock(s.elapsedMs)}  depth ${s.depth}  distinct ${count(s.distinct)}  ` +
    `generated ${count(s.generated)}  queue ${count(s.queue)}  ` +
    `${rate(s.distinct, s.elapsedMs)} distinct/s`
  );
}
