import { writeFile } from "node:fs/promises";
import { BENCHMARK_NAMES, type BenchmarkName } from "./benchmark-names.js";
import type { BenchOptions } from "./benchmarks/bench-options.js";
import { runMcpServer } from "./benchmarks/mcp-server.js";
import { runMemory } from "./benchmarks/memory.js";
import { runOverhead } from "./benchmarks/overhead.js";
import { runProfile } from "./benchmarks/profile.js";
import { runRateLimit } from "./benchmarks/rate-limit.js";
import { runTokens } from "./benchmarks/tokens.js";
import { machineLine } from "./lib/environment.js";
import { type BenchReport, renderReport } from "./lib/markdown.js";

const BENCHMARKS: Readonly<Record<BenchmarkName, (options: BenchOptions) => Promise<BenchReport>>> = {
  overhead: runOverhead,
  profile: runProfile,
  "rate-limit": runRateLimit,
  tokens: runTokens,
  mcp: runMcpServer,
  memory: runMemory,
};

const USAGE = `node --import tsx src/main.ts <all|${BENCHMARK_NAMES.join("|")}>... [--quick] [--out FILE]`;

const isBenchmark = (name: string): name is BenchmarkName =>
  (BENCHMARK_NAMES as readonly string[]).includes(name);

async function main(argv: string[]): Promise<number> {
  const quick = argv.includes("--quick");
  const outIndex = argv.indexOf("--out");
  const out = outIndex >= 0 ? argv[outIndex + 1] : undefined;
  const names = argv.filter(
    (arg, index) => !arg.startsWith("--") && (outIndex < 0 || index !== outIndex + 1),
  );
  const selected = names.length === 0 || names.includes("all") ? [...BENCHMARK_NAMES] : names;
  const unknown = selected.filter((name) => !isBenchmark(name));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown benchmark(s): ${unknown.join(", ")}\nUsage: ${USAGE}\n`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const started = Date.now();
  const header = `# Switchyard benchmarks\n\n${new Date().toISOString()}: ${machineLine()}${quick ? " (--quick: tiny counts, the numbers mean nothing)" : ""}\n`;
  process.stdout.write(`${header}\n`);
  const parts = [header];
  for (const name of selected.filter(isBenchmark)) {
    const benchStarted = Date.now();
    const report = await BENCHMARKS[name]({ quick, log });
    const text = renderReport(report);
    log(`${name} took ${((Date.now() - benchStarted) / 1000).toFixed(1)} s`);
    process.stdout.write(`${text}\n`);
    parts.push(text);
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (out) await writeFile(out, parts.join("\n"));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
