import { runDemo } from "../../demo/run-demo.js";
import type { CliIo } from "../cli-io.js";

export async function demoCommand(io: CliIo): Promise<number> {
  await runDemo(io.out);
  return 0;
}
