import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  applyOutputBudget,
  createConnector,
  DEFAULT_OUTPUT_BUDGET,
  defineTool,
  hashQuery,
  mayContainSecret,
  RateLimiter,
  READ_ANNOTATIONS,
  redactStrings,
} from "@switchyard/core";
import { githubListIssues } from "@switchyard/github";
import { z } from "zod";
import type { ConnectorBench } from "../connectors/connector-bench.js";
import { githubBench } from "../connectors/github.js";
import { jiraBench } from "../connectors/jira.js";
import { slackBench } from "../connectors/slack.js";
import { analyzeCpuProfile } from "../lib/cpu-profile.js";
import { type BenchReport, type Section, table } from "../lib/markdown.js";
import { profileWhile } from "../lib/profiler.js";
import { ms, summarize } from "../lib/stats.js";
import { type BenchOptions, size } from "./bench-options.js";

const LIST_INPUT = { owner: "acme", repo: "api", limit: 30 };

/** Functions whose inclusive time (self + callees) the profile reports. */
const INCLUSIVE = [
  "schedule",
  "retryWithBackoff",
  "githubRequest",
  "safeParse",
  "parse",
  "redactStrings",
  "mayContainSecret",
  "applyOutputBudget",
  "measureOutput",
  "startCallSpan",
  "endCallSpan",
  "hashQuery",
  "createDeadline",
  "createToolContext",
  "toIssueSummary",
  "fetch",
  // Slack
  "slackRequest",
  "apiCall",
  "toChannel",
  "rememberAll",
  // Jira
  "jiraRequest",
  "sendJira",
  "sendRequestFullResponse",
  "plainHeaders",
  "observeResponse",
];

/** The calls profiled against the fixed-body server: one per connector with an HTTP upstream. */
const PROFILED: readonly {
  readonly bench: ConnectorBench;
  readonly scenario: string;
  readonly bare: string;
}[] = [
  { bench: githubBench, scenario: "github_list_issues", bare: "bare octokit" },
  { bench: slackBench, scenario: "slack_list_channels", bare: "bare WebClient" },
  { bench: jiraBench, scenario: "jira_search_issues", bare: "bare jira.js" },
];

/** Mean and p50 of `iterations` sequential runs, plus CPU per run. */
async function timeSequential(run: () => unknown, iterations: number, warmup: number) {
  for (let index = 0; index < warmup; index += 1) await run();
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  for (let index = 0; index < iterations; index += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  return { ...summarize(samples), cpuMs: (used.user + used.system) / 1000 / iterations };
}

export async function runProfile(options: BenchOptions): Promise<BenchReport> {
  const iterations = size(options, 500, 20);
  const warmup = size(options, 200, 5);
  const sections: Section[] = [];

  // The real result of github_list_issues (30 issues), from the fixed-body server.
  const setup = await githubBench.overhead?.({ fixedServer: true });
  if (!setup) throw new Error("github has no overhead scenario");
  const listScenario = setup.scenarios.find((scenario) => scenario.name.startsWith("github_list_issues"));
  if (!listScenario) throw new Error("no github_list_issues scenario");
  const recorded = (await listScenario.switchyard()) as { output: Record<string, unknown> };
  await setup.close();

  // 1. The pipeline without I/O: a tool that returns at once, with parts of the pipeline switched on.
  options.log("profile: pipeline stages without I/O");
  const tiny = defineTool({
    name: "bench_ping",
    title: "Ping",
    description: "Returns at once.",
    input: githubListIssues.input,
    output: z.object({ ok: z.boolean() }),
    annotations: READ_ANNOTATIONS,
    execute: async () => ({ ok: true }),
  });
  const issues = defineTool({
    name: "bench_list_issues",
    title: "List issues",
    description: "Returns the recorded 30-issue result at once.",
    input: githubListIssues.input,
    output: githubListIssues.output,
    annotations: READ_ANNOTATIONS,
    execute: async () => structuredClone(recorded.output) as never,
  });
  const noResilience = { circuitBreaker: false, bulkhead: false } as const;
  const variants = [
    {
      name: "tiny output, no bucket, breaker and bulkhead off",
      tool: tiny,
      buckets: {},
      resilience: noResilience,
    },
    {
      name: "tiny output, no bucket, breaker and bulkhead on (default)",
      tool: tiny,
      buckets: {},
      resilience: undefined,
    },
    {
      name: "tiny output, `read` bucket { maxConcurrent: 10 } (GitHub's), breaker and bulkhead on",
      tool: tiny,
      buckets: { read: { maxConcurrent: 10 } },
      resilience: undefined,
    },
    {
      name: "30-issue output, no bucket, breaker and bulkhead on",
      tool: issues,
      buckets: {},
      resilience: undefined,
    },
    {
      name: "30-issue output, `read` bucket, breaker and bulkhead on (= GitHub minus I/O)",
      tool: issues,
      buckets: { read: { maxConcurrent: 10 } },
      resilience: undefined,
    },
  ];
  const stageRows: string[][] = [];
  for (const variant of variants) {
    const connector = createConnector({
      id: "bench",
      title: "Bench",
      tools: [variant.tool],
      buckets: variant.buckets,
      client: () => ({}),
      ...(variant.resilience ? { options: { resilience: variant.resilience } } : {}),
    });
    const timed = await timeSequential(
      () => connector.call(variant.tool.name, LIST_INPUT),
      iterations,
      warmup,
    );
    await connector.close();
    stageRows.push([variant.name, ms(timed.p50), ms(timed.p95), ms(timed.cpuMs)]);
  }
  sections.push({
    heading: "Core pipeline without I/O (a tool that returns at once), one call in flight",
    table: table(["configuration", "p50", "p95", "CPU per call"], stageRows),
    notes: [
      "`wall p50 − CPU per call` is time spent waiting on timers, not computing.",
      "The bucket rows are the RateLimiter path every GitHub read takes (in process: core's LocalBucket scheduler).",
    ],
  });

  // 2. Single steps of the pipeline on the real 30-issue result.
  options.log("profile: single steps");
  const parsedInput = githubListIssues.input.parse(LIST_INPUT);
  const limiter = new RateLimiter({ namespace: "bench", buckets: { read: { maxConcurrent: 10 } } });
  const controller = new AbortController();
  const steps: { name: string; run: () => unknown }[] = [
    {
      name: "input: zod safeParse (github_list_issues input)",
      run: () => githubListIssues.input.safeParse(LIST_INPUT),
    },
    {
      name: "output: zod safeParse of the 30-issue result (publishedOutput)",
      run: () => githubListIssues.publishedOutput.safeParse(recorded.output),
    },
    {
      name: "output: mayContainSecret(JSON.stringify(result)) (the redaction check every call runs)",
      run: () => mayContainSecret(JSON.stringify(recorded.output)),
    },
    {
      name: "output: redactStrings (30 issues; only when the check finds a secret)",
      run: () => redactStrings(recorded.output),
    },
    {
      name: "output: applyOutputBudget (30 issues, fits: one JSON.stringify)",
      run: () => applyOutputBudget(recorded.output, DEFAULT_OUTPUT_BUDGET),
    },
    { name: "hashQuery(input) (cursor binding)", run: () => hashQuery(parsedInput) },
    { name: "randomUUID() (call id)", run: () => randomUUID() },
    {
      name: "RateLimiter.schedule of a no-op job, `read` bucket (in process)",
      run: () =>
        limiter.schedule(
          { bucket: "read", key: "token", signal: controller.signal, deadlineAt: Date.now() + 30_000 },
          async () => 1,
        ),
    },
  ];
  const stepRows: string[][] = [];
  for (const step of steps) {
    const timed = await timeSequential(step.run, iterations, warmup);
    stepRows.push([step.name, ms(timed.p50), ms(timed.cpuMs)]);
  }
  await limiter.close();
  sections.push({
    heading: "Single steps on the real github_list_issues result",
    table: table(["step", "wall p50", "CPU per run"], stepRows),
  });

  // 3. V8 CPU profiles of the real calls against the fixed-body server, one connector after another.
  const calls = size(options, 1000, 20);
  for (const target of PROFILED) {
    options.log(`profile: CPU profiles of ${target.scenario}`);
    const caseSetup = await target.bench.overhead?.({ fixedServer: true });
    if (!caseSetup) throw new Error(`${target.bench.id} has no overhead scenario`);
    try {
      const scenario = caseSetup.scenarios.find((entry) => entry.name.startsWith(target.scenario));
      if (!scenario) throw new Error(`no ${target.scenario} scenario`);
      sections.push(
        ...(await profileScenario(target.scenario, target.bare, scenario, calls, warmup, options)),
      );
    } finally {
      await caseSetup.close();
    }
  }
  return { name: "profile", title: "1b. Where the overhead goes", sections };
}

/** Profiled calls per block; the sides alternate block by block, as in the overhead benchmark. */
const PROFILE_BLOCK = 100;

type Breakdown = ReturnType<typeof analyzeCpuProfile>;

/** Sums the breakdowns of several profiles of the same side. */
function mergeBreakdowns(parts: readonly Breakdown[]): Breakdown {
  const sum = (entries: readonly { key: string; ms: number }[]) => {
    const totals = new Map<string, number>();
    for (const entry of entries) totals.set(entry.key, (totals.get(entry.key) ?? 0) + entry.ms);
    return totals;
  };
  const areas = sum(parts.flatMap((part) => part.byArea.map((entry) => ({ key: entry.area, ms: entry.ms }))));
  const areaOfFunction = new Map(
    parts.flatMap((part) => part.byFunction.map((entry) => [entry.name, entry.area])),
  );
  const functions = sum(
    parts.flatMap((part) => part.byFunction.map((entry) => ({ key: entry.name, ms: entry.ms }))),
  );
  const inclusive = sum(
    parts.flatMap((part) => part.inclusive.map((entry) => ({ key: entry.name, ms: entry.ms }))),
  );
  return {
    busyMs: parts.reduce((total, part) => total + part.busyMs, 0),
    idleMs: parts.reduce((total, part) => total + part.idleMs, 0),
    byArea: [...areas].map(([area, ms]) => ({ area, ms })).sort((a, b) => b.ms - a.ms),
    byFunction: [...functions]
      .map(([name, ms]) => ({ name, area: areaOfFunction.get(name) ?? "other", ms }))
      .sort((a, b) => b.ms - a.ms),
    inclusive: [...inclusive].map(([name, ms]) => ({ name, ms })),
  };
}

/**
 * CPU profiles of `calls` sequential calls per side, in alternating blocks (so a change in the machine's load
 * hits both sides alike), as three tables: by area, inclusive, top self time.
 */
async function profileScenario(
  label: string,
  bareLabel: string,
  scenario: { readonly bare: () => Promise<unknown>; readonly switchyard: () => Promise<unknown> },
  calls: number,
  warmup: number,
  options: BenchOptions,
): Promise<Section[]> {
  const sides = ["bare", "switchyard"] as const;
  const parts: Record<(typeof sides)[number], Breakdown[]> = { bare: [], switchyard: [] };
  const files: string[] = [];
  for (const side of sides) for (let index = 0; index < warmup; index += 1) await scenario[side]();
  const started = performance.now();
  for (let done = 0; done < calls; done += PROFILE_BLOCK) {
    const block = Math.min(PROFILE_BLOCK, calls - done);
    for (const side of sides) {
      const run = scenario[side];
      // The first block of each side is saved for DevTools or speedscope.
      const { profile, file } = await profileWhile(
        `${label.replace(/_/g, "-")}-${side}`,
        async () => {
          for (let index = 0; index < block; index += 1) await run();
        },
        { save: done === 0 },
      );
      if (file) files.push(file);
      parts[side].push(analyzeCpuProfile(profile, INCLUSIVE));
    }
  }
  options.log(
    `profile: ${label} ${calls} calls per side in ${(performance.now() - started).toFixed(0)} ms (${files.join(", ")})`,
  );
  const profiled = { bare: mergeBreakdowns(parts.bare), switchyard: mergeBreakdowns(parts.switchyard) };
  const bare = profiled.bare;
  const sy = profiled.switchyard;
  const perCall = (value: number) => ms(value / calls);
  const areas = [
    ...new Set([...sy.byArea.map((entry) => entry.area), ...bare.byArea.map((entry) => entry.area)]),
  ];
  const areaRows = areas
    .map((area) => {
      const s = sy.byArea.find((entry) => entry.area === area)?.ms ?? 0;
      const b = bare.byArea.find((entry) => entry.area === area)?.ms ?? 0;
      return { area, s, b };
    })
    .sort((x, y) => y.s - y.b - (x.s - x.b))
    .map(({ area, s, b }) => [area, perCall(b), perCall(s), perCall(s - b)]);
  areaRows.push([
    "**busy (not idle), total**",
    perCall(bare.busyMs),
    perCall(sy.busyMs),
    perCall(sy.busyMs - bare.busyMs),
  ]);
  areaRows.push([
    "idle (waiting: I/O, timers)",
    perCall(bare.idleMs),
    perCall(sy.idleMs),
    perCall(sy.idleMs - bare.idleMs),
  ]);
  return [
    {
      heading: `Where a ${label} call spends its time (V8 CPU profile, ${calls} calls per side in alternating blocks of ${PROFILE_BLOCK}, self time per call)`,
      table: table(["area", bareLabel, "switchyard", "difference"], areaRows),
      notes: [
        `Profiles of the first block of each side (open in Chrome DevTools or speedscope): ${files.map((file) => `\`${file}\``).join(", ")}.`,
      ],
    },
    {
      heading: `Inclusive time per call of pipeline functions (${label}, switchyard profile)`,
      table: table(
        ["function", "inclusive per call"],
        sy.inclusive
          .filter((entry) => entry.ms > 0)
          .sort((a, b) => b.ms - a.ms)
          .map((entry) => [`\`${entry.name}\``, perCall(entry.ms)]),
      ),
      notes: [
        "Inclusive: samples with the function anywhere on the stack. `parse`/`safeParse` are zod (wire schemas in the connector, input and output schemas in core); `schedule` is RateLimiter.schedule (in process: core's LocalBucket).",
      ],
    },
    {
      heading: `Top self-time functions (${label}, switchyard profile)`,
      table: table(
        ["function", "area", "self per call"],
        sy.byFunction.slice(0, 15).map((entry) => [`\`${entry.name}\``, entry.area, perCall(entry.ms)]),
      ),
    },
  ];
}
