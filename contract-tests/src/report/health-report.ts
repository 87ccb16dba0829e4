import type { SchemaExports, ValidationSummary } from "../drift/validate-recordings.js";
import { driftMarkdown } from "../drift/validate-recordings.js";
import { KNOWN_VIOLATIONS, knownViolationLines } from "../faults/fault-matrix.js";
import type { SchemaChange } from "../schemas/classify-schema-change.js";

/**
 * The contract health report: per connector and tool, what passed, failed or was skipped against each
 * target (with latency and attempts), the fault matrix per connector, published-schema changes (additive or
 * breaking), GitHub's OpenAPI drift check and recorded answers vs wire schemas. Built from vitest's JSON
 * reporter output, whose `meta` carries each contract test's connector, tool and measurements
 * (src/harness/contract-meta.ts).
 */

export type TestStatus = "passed" | "failed" | "skipped";

/** The part of vitest's JSON reporter output the report reads. */
export interface VitestJsonReport {
  readonly startTime?: number;
  readonly success?: boolean;
  readonly testResults: readonly {
    readonly name: string;
    readonly status?: string;
    readonly message?: string;
    readonly assertionResults: readonly {
      readonly ancestorTitles: readonly string[];
      readonly title: string;
      readonly fullName?: string;
      readonly status: string;
      readonly duration?: number | null;
      readonly failureMessages?: readonly string[];
      readonly meta?: Record<string, unknown>;
    }[];
  }[];
}

export interface ContractTestMeta {
  readonly connector: string;
  readonly tool?: string;
  readonly toolClass?: string;
  readonly target: string;
  readonly kind: "scenario" | "fault" | "check";
  readonly skipReason?: string;
  readonly latencyMs?: number;
  readonly attempts?: number;
  readonly outcome?: string;
}

export interface ToolResult {
  readonly target: string;
  readonly title: string;
  readonly status: TestStatus;
  readonly latencyMs: number | undefined;
  readonly attempts: number | undefined;
  /** Why it was skipped (with the variables to set), or the first line of the failure. */
  readonly note: string | undefined;
}

export interface ToolHealth {
  readonly tool: string;
  readonly toolClass: string | undefined;
  readonly scenarios: readonly ToolResult[];
}

export interface FaultMatrixHealth {
  readonly target: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failures: readonly string[];
}

export interface ConnectorHealth {
  readonly connector: string;
  readonly tools: readonly ToolHealth[];
  readonly faultMatrix: readonly FaultMatrixHealth[];
}

export interface SchemaClassification {
  readonly connector: string;
  readonly packageName: string;
  /** `none`, or the most severe kind among the changes. */
  readonly classification: "none" | "additive" | "breaking" | "no snapshot";
  readonly changes: readonly SchemaChange[];
}

export interface ExternalDrift {
  readonly name: string;
  /** Exit code of the drift command; undefined when it did not run. */
  readonly exitCode: number | undefined;
  readonly summary: string;
  readonly markdown: string;
}

export interface HealthReport {
  readonly generatedAt: string;
  readonly targets: readonly string[];
  readonly totals: Readonly<Record<TestStatus, number>>;
  readonly connectors: readonly ConnectorHealth[];
  /** Tests without contract meta (harness, core's scenarios, schema checks), by file. */
  readonly otherTests: readonly {
    readonly file: string;
    readonly passed: number;
    readonly failed: number;
    readonly skipped: number;
  }[];
  /** Test files that failed to load or run (a syntax error, a failing hook). */
  readonly brokenFiles: readonly { readonly file: string; readonly message: string }[];
  readonly schemaChanges: readonly SchemaClassification[];
  readonly externalDrift: readonly ExternalDrift[];
  readonly recordings: readonly ValidationSummary[];
  readonly wireSchemaExports: readonly SchemaExports[];
}

function normalizeStatus(status: string): TestStatus {
  if (status === "passed") return "passed";
  if (status === "failed") return "failed";
  return "skipped";
}

function contractMeta(meta: Record<string, unknown> | undefined): ContractTestMeta | undefined {
  const contract = meta?.contract as ContractTestMeta | undefined;
  return contract && typeof contract.connector === "string" ? contract : undefined;
}

/** `… [SKIPPED: set GITHUB_TOKEN to run against CONTRACT_TARGET=live]` → the reason. */
function skipReason(titles: readonly string[]): string | undefined {
  for (const title of [...titles].reverse()) {
    const match = title.match(/\[SKIPPED: (.+)\]$/);
    if (match) return match[1];
  }
  return undefined;
}

/** ANSI colour codes in vitest's failure messages. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

function firstLine(messages: readonly string[] | undefined): string | undefined {
  const text = messages?.[0];
  if (!text) return undefined;
  return text.replace(ANSI_COLOUR, "").split("\n")[0]?.slice(0, 300);
}

export interface BuildInput {
  readonly vitest: readonly VitestJsonReport[];
  readonly schemaChanges?: readonly SchemaClassification[];
  readonly externalDrift?: readonly ExternalDrift[];
  readonly recordings?: readonly ValidationSummary[];
  readonly wireSchemaExports?: readonly SchemaExports[];
  readonly now?: Date;
}

export function buildHealthReport(input: BuildInput): HealthReport {
  const totals: Record<TestStatus, number> = { passed: 0, failed: 0, skipped: 0 };
  const connectors = new Map<
    string,
    {
      tools: Map<string, ToolHealth & { scenarios: ToolResult[] }>;
      matrix: Map<string, FaultMatrixHealth & { failures: string[] }>;
    }
  >();
  const other = new Map<string, { file: string; passed: number; failed: number; skipped: number }>();
  const brokenFiles: { file: string; message: string }[] = [];
  const targets = new Set<string>();

  for (const report of input.vitest) {
    for (const file of report.testResults) {
      const relative = file.name.replace(/^.*?contract-tests\//, "");
      if (file.status === "failed" && file.assertionResults.length === 0) {
        brokenFiles.push({ file: relative, message: firstLine([file.message ?? "failed to run"]) ?? "" });
      }
      for (const test of file.assertionResults) {
        const status = normalizeStatus(test.status);
        totals[status] += 1;
        const meta = contractMeta(test.meta);
        if (!meta) {
          const entry = other.get(relative) ?? { file: relative, passed: 0, failed: 0, skipped: 0 };
          entry[status] += 1;
          other.set(relative, entry);
          continue;
        }
        targets.add(meta.target);
        const connector = connectors.get(meta.connector) ?? { tools: new Map(), matrix: new Map() };
        connectors.set(meta.connector, connector);
        if (meta.kind === "fault") {
          const cell = connector.matrix.get(meta.target) ?? {
            target: meta.target,
            passed: 0,
            failed: 0,
            skipped: 0,
            failures: [],
          };
          cell[status] += 1;
          if (status === "failed")
            cell.failures.push(`${test.title}: ${firstLine(test.failureMessages) ?? ""}`);
          connector.matrix.set(meta.target, cell);
          continue;
        }
        const toolName = meta.tool ?? "(connector)";
        const tool = connector.tools.get(toolName) ?? {
          tool: toolName,
          toolClass: meta.toolClass,
          scenarios: [],
        };
        tool.scenarios.push({
          target: meta.target,
          title: test.title.replace(/ \[SKIPPED: .+\]$/, ""),
          status,
          latencyMs: meta.latencyMs,
          attempts: meta.attempts,
          note:
            status === "skipped"
              ? (meta.skipReason ?? skipReason([...test.ancestorTitles, test.title]))
              : status === "failed"
                ? firstLine(test.failureMessages)
                : undefined,
        });
        connector.tools.set(toolName, tool);
      }
    }
  }

  return {
    generatedAt: (input.now ?? new Date()).toISOString(),
    targets: [...targets].sort(),
    totals,
    connectors: [...connectors.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([connector, entry]) => ({
        connector,
        tools: [...entry.tools.values()],
        faultMatrix: [...entry.matrix.values()],
      })),
    otherTests: [...other.values()].sort((a, b) => a.file.localeCompare(b.file)),
    brokenFiles,
    schemaChanges: input.schemaChanges ?? [],
    externalDrift: input.externalDrift ?? [],
    recordings: input.recordings ?? [],
    wireSchemaExports: input.wireSchemaExports ?? [],
  };
}

const STATUS_MARK: Record<TestStatus, string> = { passed: "pass", failed: "**FAIL**", skipped: "skipped" };

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export function healthMarkdown(report: HealthReport): string {
  const lines: string[] = [
    "# Contract health report",
    "",
    `Generated ${report.generatedAt} · targets: ${report.targets.join(", ") || "none"} · ${report.totals.passed} passed, ${report.totals.failed} failed, ${report.totals.skipped} skipped`,
    "",
  ];
  if (report.brokenFiles.length > 0) {
    lines.push("## Test files that did not run", "");
    for (const broken of report.brokenFiles) lines.push(`- \`${broken.file}\`: ${broken.message}`);
    lines.push("");
  }
  lines.push("## Tools", "");
  lines.push(
    "| connector | tool | class | target | result | latency ms | attempts | note |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const connector of report.connectors) {
    for (const tool of connector.tools) {
      for (const scenario of tool.scenarios) {
        lines.push(
          `| ${connector.connector} | \`${tool.tool}\` | ${tool.toolClass ?? "–"} | ${scenario.target} | ${STATUS_MARK[scenario.status]} | ${scenario.latencyMs ?? "–"} | ${scenario.attempts ?? "–"} | ${(scenario.note ?? "").replaceAll("|", "\\|")} |`,
        );
      }
    }
  }
  lines.push("", "## Fault matrix", "");
  lines.push("| connector | target | cells passed | failed | skipped |", "| --- | --- | --- | --- | --- |");
  for (const connector of report.connectors) {
    for (const matrix of connector.faultMatrix) {
      lines.push(
        `| ${connector.connector} | ${matrix.target} | ${matrix.passed} | ${matrix.failed} | ${matrix.skipped} |`,
      );
    }
  }
  const failures = report.connectors.flatMap((connector) =>
    connector.faultMatrix.flatMap((matrix) => matrix.failures),
  );
  if (failures.length > 0) {
    lines.push("", "Failing cells:", "");
    for (const failure of failures) lines.push(`- ${failure}`);
  }
  const known = KNOWN_VIOLATIONS.filter((entry) =>
    report.connectors.some((connector) => connector.connector === entry.connector),
  );
  if (known.length > 0) {
    lines.push("", "Known violations (reported, not failing; listed in src/faults/fault-matrix.ts):", "");
    lines.push(...knownViolationLines(known));
  }
  const latencies = report.connectors.flatMap((connector) =>
    connector.tools.flatMap((tool) =>
      tool.scenarios.flatMap((scenario) => (scenario.latencyMs === undefined ? [] : [scenario.latencyMs])),
    ),
  );
  if (latencies.length > 0)
    lines.push("", `Median scenario latency: ${median(latencies)} ms over ${latencies.length} calls.`);

  lines.push("", "## Published tool schemas vs snapshots", "");
  if (report.schemaChanges.length === 0) lines.push("Not checked in this run.");
  else {
    lines.push("| connector | package | classification | changes |", "| --- | --- | --- | --- |");
    for (const entry of report.schemaChanges) {
      lines.push(
        `| ${entry.connector} | ${entry.packageName} | ${entry.classification} | ${entry.changes.length} |`,
      );
    }
    const changes = report.schemaChanges.flatMap((entry) => entry.changes);
    if (changes.length > 0) {
      lines.push("", "| kind | tool | path | what |", "| --- | --- | --- | --- |");
      for (const change of changes)
        lines.push(`| ${change.kind} | \`${change.tool}\` | \`${change.path}\` | ${change.what} |`);
    }
  }

  lines.push("", "## Upstream drift", "");
  if (report.externalDrift.length === 0) lines.push("No drift check ran in this run.", "");
  for (const drift of report.externalDrift) {
    lines.push(
      `### ${drift.name}: ${drift.exitCode === undefined ? "not run" : drift.exitCode === 0 ? "ok" : `**drift (exit ${drift.exitCode})**`}`,
      "",
      drift.summary,
      "",
      "<details><summary>full output</summary>",
      "",
      drift.markdown.trim(),
      "",
      "</details>",
      "",
    );
  }
  lines.push(driftMarkdown(report.recordings).replace(/^## /, "### "));
  if (report.wireSchemaExports.length > 0) {
    lines.push("| upstream | package | wire schemas exported | missing |", "| --- | --- | --- | --- |");
    for (const entry of report.wireSchemaExports) {
      lines.push(
        `| ${entry.upstream} | ${entry.packageName} | ${entry.exported}/${entry.schemas} | ${entry.loadError ? `cannot load: ${entry.loadError}` : entry.missing.join(", ") || "–"} |`,
      );
    }
  }
  if (report.otherTests.length > 0) {
    lines.push(
      "",
      "## Other checks",
      "",
      "| file | passed | failed | skipped |",
      "| --- | --- | --- | --- |",
    );
    for (const entry of report.otherTests)
      lines.push(`| \`${entry.file}\` | ${entry.passed} | ${entry.failed} | ${entry.skipped} |`);
  }
  return `${lines.join("\n")}\n`;
}

/** The last meaningful line of a drift command's output ("No drift: …" or "3 drift problems …"). */
export function driftSummary(markdown: string, stderr = ""): string {
  const lines = `${markdown}\n${stderr}`
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("|") && !line.startsWith(">"));
  return lines.at(-1) ?? "(no output)";
}
