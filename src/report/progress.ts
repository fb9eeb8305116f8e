// The progress line written to stderr while a search runs.
import type { Stats } from "../engine/result.ts";
import { clock, count, rate } from "./numbers.ts";

export function progressLine(s: Stats): string {
  return (
    `${clock(s.elapsedMs)}  depth ${s.depth}  distinct ${count(s.distinct)}  ` +
    `generated ${count(s.generated)}  queue ${count(s.queue)}  ` +
    `${rate(s.distinct, s.elapsedMs)} distinct/s` +
    estimateText(s)
  );
}

function estimateText(s: Stats): string {
  const total = s.estimate;
  if (total === undefined || total === null || total <= s.distinct) return "";
  const perMs = s.distinct / Math.max(1, s.elapsedMs);
  const leftMs = (total - s.distinct) / Math.max(perMs, 1e-9);
  return `  ~${count(total)} total, ~${clock(leftMs)} left`;
}
