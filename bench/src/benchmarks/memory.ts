import { fork } from "node:child_process";
import { Octokit } from "@octokit/rest";
import { GITHUB_SANDBOX_TOKEN, startSandbox } from "@switchyard/sandbox";
import { startChildServer } from "../lib/child-server.js";
import { createBenchDatabase } from "../lib/database.js";
import { TSX_EXEC_ARGV } from "../lib/environment.js";
import { type BenchReport, table, verdict } from "../lib/markdown.js";
import { integer, megabytes } from "../lib/stats.js";
import type { IssuesServerConfig } from "../servers/issues-server.js";
import type { MemoryReport, MemoryScenario } from "../workers/memory-worker.js";
import { type BenchOptions, size } from "./bench-options.js";

/** Target: RSS growth while streaming or paging, in bytes. */
export const MEMORY_TARGET_BYTES = 50 * 1024 * 1024;

function runWorker(scenario: MemoryScenario): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL("../workers/memory-worker.ts", import.meta.url), [], {
      execArgv: [...TSX_EXEC_ARGV, "--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.once("message", (message: { ok: boolean; report?: MemoryReport; error?: string }) =>
      message.ok && message.report ? resolve(message.report) : reject(new Error(message.error)),
    );
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`memory worker exited with ${code}`));
    });
    child.send(scenario);
  });
}

/** One issue as GitHub returns it, from the sandbox, as the stub's template. */
async function issueTemplate(): Promise<Record<string, unknown>> {
  const sandbox = await startSandbox({ upstreams: ["github"] });
  try {
    const octokit = new Octokit({ auth: GITHUB_SANDBOX_TOKEN, baseUrl: sandbox.urls.github });
    const { data } = await octokit.rest.issues.listForRepo({ owner: "acme", repo: "api", per_page: 1 });
    return data[0] as unknown as Record<string, unknown>;
  } finally {
    await sandbox.close();
  }
}

export async function runMemory(options: BenchOptions): Promise<BenchReport> {
  const rows = size(options, 1_000_000, 20_000);
  const issues = size(options, 10_000, 500);
  const tableRows: string[][] = [];
  const line = (what: string, report: MemoryReport, target: boolean) => {
    const growth = report.peakRss - report.baselineRss;
    tableRows.push([
      what,
      integer(report.items),
      report.calls === undefined ? "" : integer(report.calls),
      `${report.seconds.toFixed(1)} s`,
      megabytes(report.baselineRss),
      megabytes(report.peakRss),
      megabytes(growth),
      megabytes(report.peakHeap - report.baselineHeap),
      megabytes(report.finalHeap - report.baselineHeap),
      target ? `< 50 MB: ${verdict(growth < MEMORY_TARGET_BYTES)}` : "(comparison)",
    ]);
  };

  options.log(`memory: streaming ${rows} rows from PostgreSQL`);
  const database = await createBenchDatabase();
  try {
    line(
      `@switchyard/postgres streamQuery, ${integer(rows)} rows (batches of 1,000)`,
      await runWorker({ kind: "postgres-stream", databaseUrl: database.url, rows }),
      true,
    );
    line(
      `bare pg + pg-cursor, ${integer(rows)} rows (batches of 1,000)`,
      await runWorker({ kind: "pg-cursor", databaseUrl: database.url, rows }),
      false,
    );
  } finally {
    await database.drop();
  }

  options.log(`memory: paging ${issues} issues`);
  const notes: string[] = [];
  const stub = await startChildServer(new URL("../servers/issues-server.ts", import.meta.url), {
    template: await issueTemplate(),
    issues,
  } satisfies IssuesServerConfig);
  try {
    const paged = await runWorker({
      kind: "github-paging",
      apiUrl: `${stub.url}/github`,
      token: GITHUB_SANDBOX_TOKEN,
      limit: 100,
    });
    line(
      `github_list_issues, limit 100, following nextCursor through ${integer(issues)} issues`,
      paged,
      true,
    );
    // One request was the worker's warm-up call.
    const pages = (await stub.ask<number>("requests")) - 1;
    notes.push(
      `github: ${integer(paged.calls ?? 0)} calls for ${integer(paged.items)} issues (the output budget cut each 100-issue page to about ${integer(paged.items / (paged.calls ?? 1))}), reading ${integer(pages)} upstream pages of 100 for ${integer(Math.ceil(issues / 100))} pages of data: a call that resumes inside a page fetches that page again.`,
    );
  } finally {
    await stub.close();
  }
  return {
    name: "memory",
    title: "5. Memory while streaming and paging",
    sections: [
      {
        heading:
          "RSS and heap in a fresh process (--expose-gc), sampled every 10 ms and every 10,000 rows / every call",
        table: table(
          [
            "scenario",
            "items",
            "calls",
            "time",
            "RSS before",
            "RSS peak",
            "RSS growth",
            "heap growth (peak)",
            "heap after, vs before (gc)",
            "target",
          ],
          tableRows,
        ),
        notes: [
          "Baseline after setup (pool connected, connector built, one warm-up call) and two forced GCs; growth = peak − baseline. Processes run the TypeScript sources through tsx, which adds to the baseline, not the growth.",
          "PostgreSQL 15 on 127.0.0.1 generates the rows (`generate_series`: id, text, md5 digest, timestamp). The GitHub stub is a node:http server in its own process serving 10,000 issues stamped from a sandbox issue, with GitHub's Link-header pagination.",
          ...notes,
        ],
      },
    ],
  };
}
