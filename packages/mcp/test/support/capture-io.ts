import type { CliIo } from "../../src/index.js";

export function captureIo(
  env: NodeJS.ProcessEnv = {},
  cwd = process.cwd(),
): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: (text) => stdout.push(text), err: (text) => stderr.push(text), env, cwd, stdout, stderr };
}
