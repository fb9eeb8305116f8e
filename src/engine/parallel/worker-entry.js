// The entry point of a parallel-search worker thread. Plain JavaScript: a worker starts
// without the loader of the thread that created it (under `node bin/protomc.js`, tsx is
// registered through its API, which does not reach workers; under vitest, modules go through
// vite), so it registers tsx itself to load protomc's sources and the spec as TypeScript.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
