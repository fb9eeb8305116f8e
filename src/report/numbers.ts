// Number formatting for reports: grouped digits, rates and durations a person reads at a glance.

export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function clock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, "0");
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function rate(n: number, ms: number): string {
  return ms <= 0 ? "-" : count((n * 1000) / ms);
}

export function probability(p: number): string {
  if (p === 0) return "0";
  if (p < 1e-3) return p.toExponential(1);
  return p.toPrecision(2);
}
