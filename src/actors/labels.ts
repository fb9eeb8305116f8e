// How the layer's action instances read in traces: `deliver(c1 → s2: Read{key: 1})`,
// `timeout(p2, election)`, `detect(m1, s3)`, `crash(s3)`.
import { formatValue } from "../values/format.ts";
import type { CrashNotice } from "./crash-notice.ts";
import type { Envelope } from "./envelope.ts";
import type { Timer } from "./timer.ts";

const bare = { bareStrings: true } as const;

export const envelopeLabel = (e: Envelope): string =>
  `${e.from} → ${e.to}: ${formatValue(e.msg, bare)}`;

export const timerLabel = (t: Timer): string => `${t.process}, ${t.name}`;

export const noticeLabel = (n: CrashNotice): string => `${n.watcher}, ${n.crashed}`;

export const processLabel = (id: string): string => id;
