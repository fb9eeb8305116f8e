// Terminal styling that switches itself off when the output is not a terminal (or NO_COLOR).

export interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly cyan: (s: string) => string;
}

const wrap =
  (open: number, close: number) =>
  (s: string): string =>
    `\u001b[${open}m${s}\u001b[${close}m`;

const COLOR: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};

const id = (s: string): string => s;
const PLAIN: Style = { bold: id, dim: id, red: id, green: id, yellow: id, cyan: id };

export function styleFor(stream: { isTTY?: boolean }): Style {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return PLAIN;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return COLOR;
  return stream.isTTY === true ? COLOR : PLAIN;
}

export const plainStyle = PLAIN;
