import { runDemo } from "../../demo/run-demo.js";
import type { CliIo } from "../cli-io.js";

export const DEMO_HELP = `switchyard demo

The quick start: starts the sandbox, runs \`switchyard serve github\` over stdio, drives it with a
real MCP client and prints a transcript: the tools, a paginated listing, a rate-limit wait handled,
a credential rotated mid-run, and a refused write in read-only mode. Needs no credentials.`;

export async function demoCommand(io: CliIo): Promise<number> {
  await runDemo(io.out);
  return 0;
}
