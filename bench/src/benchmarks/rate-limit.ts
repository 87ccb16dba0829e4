import { fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { BucketSpec } from "@switchyard/core";
import { Redis } from "ioredis";
import { githubBench } from "../connectors/github.js";
import { startChildServer } from "../lib/child-server.js";
import { REDIS_URL, TSX_EXEC_ARGV } from "../lib/environment.js";
import { type BenchReport, type Section, table, verdict } from "../lib/markdown.js";
import {
  burst,
  coreRateConnector,
  githubRateConnector,
  naiveRetryLoop,
  RATE_PATH,
  throttledOctokit,
} from "../lib/rate-clients.js";
import { percent } from "../lib/stats.js";
import type { RateLimitedServerConfig, RateWindowStats } from "../servers/rate-limited-server.js";
import type { RateWorkerConfig } from "../workers/rate-limit-worker.js";
import { type BenchOptions, size } from "./bench-options.js";

/** Target: at least this share of the allowed rate. */
export const THROUGHPUT_TARGET = 0.95;

interface Outcome {
  readonly ok: number;
  readonly errors: number;
  readonly errorKinds: Record<string, number>;
  readonly wallMs: number;
}

/** The bucket spec for "N requests per sliding second": one call start every 1000/N ms, at most N a second. */
export function bucketFor(requestsPerSecond: number): BucketSpec {
  return {
    minTimeMs: Math.ceil(1000 / requestsPerSecond),
    reservoir: { amount: requestsPerSecond, intervalMs: 1000 },
  };
}

async function timed(
  run: () => Promise<{ ok: number; errors: number; errorKinds: Record<string, number> }>,
): Promise<Outcome> {
  const started = performance.now();
  const result = await run();
  return { ...result, wallMs: performance.now() - started };
}

/** Forks `processes` workers sharing (or not) one Redis budget and fires their bursts at the same moment. */
export async function multiProcess(
  config: Omit<RateWorkerConfig, "calls">,
  processes: number,
  total: number,
  beforeGo: () => Promise<void>,
): Promise<Outcome> {
  const workers = Array.from({ length: processes }, () =>
    fork(new URL("../workers/rate-limit-worker.ts", import.meta.url), [], {
      execArgv: TSX_EXEC_ARGV,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  const waitFor = <T>(type: string) =>
    Promise.all(
      workers.map(
        (worker) =>
          new Promise<T>((resolve, reject) => {
            const onMessage = (message: { type: string; result?: T }) => {
              if (message.type === type) {
                worker.off("message", onMessage);
                resolve(message.result as T);
              }
            };
            worker.on("message", onMessage);
            worker.once("exit", (code) => {
              if (code !== 0) reject(new Error(`rate-limit worker exited with ${code}`));
            });
          }),
      ),
    );
  const ready = waitFor<undefined>("ready");
  const share = Math.ceil(total / processes);
  workers.forEach((worker, index) => {
    worker.send({ type: "config", config: { ...config, calls: Math.min(share, total - share * index) } });
  });
  await ready;
  await beforeGo();
  const done = waitFor<{ ok: number; errors: number; errorKinds: Record<string, number> }>("done");
  const started = performance.now();
  for (const worker of workers) worker.send({ type: "go" });
  const results = await done;
  const wallMs = performance.now() - started;
  const errorKinds: Record<string, number> = {};
  for (const result of results)
    for (const [kind, count] of Object.entries(result.errorKinds))
      errorKinds[kind] = (errorKinds[kind] ?? 0) + count;
  return {
    ok: results.reduce((sum, result) => sum + result.ok, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    errorKinds,
    wallMs,
  };
}

export async function runRateLimit(options: BenchOptions): Promise<BenchReport> {
  const rate = size(options, 100, 20);
  const total = size(options, 1000, 40);
  const retries = 5;
  // GitHub's "get a repository" answer, so octokit and the GitHub connector parse a real body.
  const body = await recordedRepository();
  const server = await startChildServer(new URL("../servers/rate-limited-server.ts", import.meta.url), {
    requestsPerSecond: rate,
    body,
  } satisfies RateLimitedServerConfig);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  const reset = () => server.ask<null>("reset").then(() => {});
  const prefix = `switchyard-bench-${process.pid}-${Date.now()}`;
  const spec = bucketFor(rate);
  const rows: string[][] = [];
  const notes: string[] = [];
  // A burst bigger than the bulkhead's default (32 running + 256 queued) is refused before it reaches the
  // limiter; the target rows give the bulkhead room for the whole burst (see the first row for the default).
  const bulkhead = { maxQueued: total };
  const margin: BucketSpec = { minTimeMs: Math.ceil(1000 / rate) + 1 };
  const core = (bucket: BucketSpec, bulkheadSpec?: { maxQueued: number }) => async () => {
    const connector = coreRateConnector(server.url, bucket, undefined, bulkheadSpec);
    const outcome = await timed(() => burst(total, () => connector.call("ratebench_get_repository", {})));
    await connector.close();
    return outcome;
  };
  const variants: { name: string; processes: number; target: boolean; run: () => Promise<Outcome> }[] = [
    {
      name: `Switchyard core connector, bucket ${JSON.stringify(spec)}, default bulkhead (32 + 256 queued)`,
      processes: 1,
      target: false,
      run: core(spec),
    },
    {
      name: `Switchyard core connector, bucket ${JSON.stringify(spec)}, bulkhead queue ${total}`,
      processes: 1,
      target: true,
      run: core(spec, bulkhead),
    },
    {
      name: `Switchyard GitHub connector (read bucket { maxConcurrent: 10 }, no reservoir: learns from 429 + Retry-After), bulkhead queue ${total}`,
      processes: 1,
      target: false,
      run: async () => {
        const connector = githubRateConnector(server.url, bulkhead);
        const outcome = await timed(() =>
          burst(total, () => connector.call("github_get_repository", { owner: "acme", repo: "api" })),
        );
        await connector.close();
        return outcome;
      },
    },
    {
      name: `octokit + @octokit/plugin-throttling 11.0.5 (retries ≤ ${retries})`,
      processes: 1,
      target: false,
      run: () => timed(() => burst(total, throttledOctokit(server.url, retries))),
    },
    {
      name: `naive retry loop (fetch, wait Retry-After, retries ≤ ${retries}, no coordination)`,
      processes: 1,
      target: false,
      run: () => timed(() => burst(total, naiveRetryLoop(server.url, retries))),
    },
    {
      name: `4 processes, Switchyard core connector, one Redis budget, bucket ${JSON.stringify(spec)}`,
      processes: 4,
      target: true,
      run: () =>
        multiProcess(
          { baseUrl: server.url, spec, bulkhead, redis: { url: REDIS_URL, prefix: `${prefix}-a` } },
          4,
          total,
          reset,
        ),
    },
    {
      name: `4 processes, one Redis budget, bucket with a margin ${JSON.stringify(margin)}`,
      processes: 4,
      target: true,
      run: () =>
        multiProcess(
          { baseUrl: server.url, spec: margin, bulkhead, redis: { url: REDIS_URL, prefix: `${prefix}-b` } },
          4,
          total,
          reset,
        ),
    },
    {
      name: `4 processes, bucket ${JSON.stringify(spec)}, no Redis (each process its own budget)`,
      processes: 4,
      target: false,
      run: () => multiProcess({ baseUrl: server.url, spec, bulkhead }, 4, total, reset),
    },
  ];
  try {
    for (const variant of variants) {
      options.log(`rate-limit: ${variant.name}`);
      await reset();
      const outcome = await variant.run();
      const stats = await server.ask<RateWindowStats>("stats");
      const throughput = outcome.ok / (outcome.wallMs / 1000) / rate;
      const neverAbove = stats.maxArrivalsPerSlidingSecond <= rate;
      const met = throughput >= THROUGHPUT_TARGET && outcome.errors === 0 && neverAbove;
      rows.push([
        variant.name,
        String(variant.processes),
        `${outcome.ok} / ${total}`,
        `${(outcome.wallMs / 1000).toFixed(2)} s`,
        percent(throughput),
        String(stats.rejected),
        outcome.errors === 0
          ? "0"
          : `${outcome.errors} (${Object.entries(outcome.errorKinds)
              .map(([kind, count]) => `${kind}: ${count}`)
              .join(", ")})`,
        `${stats.maxArrivalsPerSlidingSecond} / ${rate}`,
        `${stats.maxArrivalsPer100MsBeforeFirst429} / ${stats.maxArrivalsPer100Ms}`,
        stats.arrivalsPerSecond.join(" "),
        variant.target ? verdict(met) : "(comparison)",
      ]);
    }
  } finally {
    await server.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  const ideal = (total - rate) / rate;
  notes.push(
    `Upstream: ${rate} requests per sliding second on GET ${RATE_PATH}, 429 + Retry-After (whole seconds, at least 1) beyond it, worded as GitHub's secondary rate limit; a separate process counts every arrival.`,
    `Burst: ${total} calls submitted at once. Throughput = successful calls / wall time / ${rate}. A sliding window lets the first ${rate} through at once, so the ideal is ${ideal.toFixed(1)} s (${percent(total / ideal / rate)}).`,
    "Max per sliding second counts arrivals (accepted or refused): the clients' own pace, which the target says must never exceed the limit. At an even pace 100 ms hold a tenth of the limit; far more is a burst.",
    `Targets (rows marked met/MISSED): ≥ ${percent(THROUGHPUT_TARGET)} of the allowed rate, no error surfaced, never above the limit.`,
  );
  const sections: Section[] = [
    {
      heading: `A burst of ${total} calls against ${rate} requests per second`,
      table: table(
        [
          "client",
          "processes",
          "succeeded",
          "wall time",
          "throughput / allowed",
          "429s received",
          "errors surfaced",
          "max per sliding second",
          "max per 100 ms (before first 429 / overall)",
          "arrivals per second",
          "target",
        ],
        rows,
      ),
      notes,
    },
  ];
  return { name: "rate-limit", title: "2. Rate-limit efficiency", sections };
}

/** The fixed-body server's answer for GET /repos/acme/api, taken from the sandbox. */
async function recordedRepository(): Promise<string> {
  const setup = await githubBench.overhead?.({ fixedServer: true });
  if (!setup) throw new Error("github has no overhead scenario");
  try {
    const scenario = setup.scenarios[0];
    const result = (await scenario?.bare()) as { data: unknown };
    return JSON.stringify(result.data);
  } finally {
    await setup.close();
  }
}
