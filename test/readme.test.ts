// The README's example spec must stay a working spec: it is extracted and checked here.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { buildModel, checkModel, isSpec } from "../src/index.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
const file = new URL("./.readme-example.ts", import.meta.url);

afterAll(() => rmSync(file, { force: true }));

it("the README's example spec checks: 2^3 vote sets plus the decided state", async () => {
  expect(example).toBeDefined();
  writeFileSync(file, example!);
  const mod = (await import(file.href)) as { default: unknown };
  expect(isSpec(mod.default)).toBe(true);
  if (!isSpec(mod.default)) return;
  const r = await checkModel(buildModel(mod.default, { voters: 3 }));
  expect(r.kind).toBe("ok");
  expect(r.stats.distinct).toBe(9);
  expect(r.stats.depth).toBe(5);
});
