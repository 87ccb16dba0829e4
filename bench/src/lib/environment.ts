import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The real PostgreSQL the database benchmarks use (each run creates and drops its own database). */
export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/** The real Redis the shared rate-limit benchmark uses (keys under a per-run prefix, deleted afterwards). */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export const BENCH_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const REPO_ROOT = path.resolve(BENCH_DIR, "..");
export const CLI_BIN = path.join(REPO_ROOT, "packages/mcp/bin/switchyard.mjs");

/** One line describing where the numbers came from, printed above every run. */
export function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Child processes run the TypeScript sources through tsx, like the runner itself. */
export const TSX_EXEC_ARGV = ["--import", "tsx"];
