import { CONNECTORS, PENDING_CONNECTORS } from "../connectors/index.js";
import { type BenchReport, type Section, table, verdict } from "../lib/markdown.js";
import { ms, ratio, summarize } from "../lib/stats.js";
import { compareSequential } from "../lib/timing.js";
import { type BenchOptions, size } from "./bench-options.js";

/** Target: p50 within 1.15x of the bare client, or under 0.3 ms added. */
export const OVERHEAD_RATIO_TARGET = 1.15;
export const OVERHEAD_ADDED_TARGET_MS = 0.3;

interface Row {
  readonly cells: string[];
  readonly met: boolean;
}

/** Upstream requests one call of each side causes, so a reader can see both do the same work. */
async function requestsPerCall(
  count: () => Promise<number>,
  run: () => Promise<unknown>,
  calls = 5,
): Promise<number> {
  const before = await count();
  for (let index = 0; index < calls; index += 1) await run();
  return ((await count()) - before) / calls;
}

export async function runOverhead(options: BenchOptions): Promise<BenchReport> {
  const warmup = size(options, 300, 5);
  const iterations = size(options, 2000, 20);
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const connector of CONNECTORS) {
    if (!connector.overhead) {
      notes.push(`${connector.id}: no overhead scenario yet.`);
      continue;
    }
    for (const fixedServer of connector.compareWithSandbox ? [true, false] : [true]) {
      const setup = await connector.overhead({ fixedServer });
      try {
        for (const scenario of setup.scenarios) {
          options.log(`overhead: ${scenario.name} against ${setup.upstream}`);
          let requests = "";
          if (setup.upstreamRequests) {
            const sy = await requestsPerCall(setup.upstreamRequests, scenario.switchyard);
            const bare = await requestsPerCall(setup.upstreamRequests, scenario.bare);
            requests = `${sy} / ${bare}`;
          }
          const { samples } = await compareSequential(
            { bare: scenario.bare, switchyard: scenario.switchyard },
            { warmup, iterations },
          );
          const bare = summarize(samples.bare ?? []);
          const sy = summarize(samples.switchyard ?? []);
          const p50Ratio = sy.p50 / bare.p50;
          const added = sy.p50 - bare.p50;
          const met = p50Ratio <= OVERHEAD_RATIO_TARGET || added < OVERHEAD_ADDED_TARGET_MS;
          rows.push({
            met,
            cells: [
              scenario.name,
              setup.upstream,
              scenario.bareClient,
              requests || "n/a",
              String(iterations),
              ms(bare.p50),
              ms(bare.p95),
              ms(sy.p50),
              ms(sy.p95),
              ratio(p50Ratio),
              ratio(sy.p95 / bare.p95),
              ms(added),
              verdict(met),
            ],
          });
        }
        notes.push(...(setup.notes ?? []));
      } finally {
        await setup.close();
      }
    }
  }
  for (const pending of PENDING_CONNECTORS) notes.push(`${pending.id}: not measured: ${pending.missing}`);
  notes.push(
    "The sandbox rows answer through MSW in the benchmark's own process: a slower upstream, so ratios look better while the added milliseconds stay the same.",
  );
  const sections: Section[] = [
    {
      heading: "Tool call vs bare client, one call in flight",
      table: table(
        [
          "call",
          "upstream",
          "bare client",
          "requests/call (sy / bare)",
          "N",
          "bare p50",
          "bare p95",
          "switchyard p50",
          "switchyard p95",
          "p50 ratio",
          "p95 ratio",
          "added p50",
          `target (≤${OVERHEAD_RATIO_TARGET}x or <${OVERHEAD_ADDED_TARGET_MS} ms)`,
        ],
        rows.map((row) => row.cells),
      ),
      notes: [
        `Warm-up ${warmup} calls per side, then ${iterations} measured calls per side in alternating blocks of 100, sequential (one call in flight).`,
        ...notes,
      ],
    },
  ];
  return { name: "overhead", title: "1. Overhead: Switchyard tool call vs the bare client", sections };
}
