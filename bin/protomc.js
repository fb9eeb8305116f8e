#!/usr/bin/env node
// Entry point: registers tsx so both protomc's sources and the user's spec files load as
// TypeScript without a build step, then hands over to the CLI.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
