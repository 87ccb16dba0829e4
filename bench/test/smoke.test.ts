// Keeps the benchmarks from rotting: each one runs with tiny counts (--quick) and must print its markdown
// tables. Nothing here looks at a number: timings on a shared machine are not something a test can assert.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BENCHMARK_NAMES } from "../src/benchmark-names.js";

const benchDir = fileURLToPath(new URL("..", import.meta.url));

function runBenchmark(name: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts", name, "--quick"],
      { cwd: benchDir, maxBuffer: 16 * 1024 * 1024, timeout: 230_000 },
      (error, stdout, stderr) =>
        error ? reject(Object.assign(error, { stdout, stderr })) : resolve({ stdout, stderr }),
    );
  });
}

describe("benchmarks (--quick)", () => {
  it.each(BENCHMARK_NAMES)("%s prints markdown tables", async (name) => {
    const { stdout } = await runBenchmark(name);
    expect(stdout).toMatch(/^## /m);
    expect(stdout).toMatch(/^\| .+ \|$/m);
    expect(stdout).toMatch(/^\| --- \|/m);
  });
});
