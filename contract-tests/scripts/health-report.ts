// The contract health report (markdown + JSON) from vitest's JSON reporter output, plus published-schema
// changes, upstream drift checks and recorded answers vs wire schemas.
//
//   pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=out/vitest-mock.json
//   pnpm --filter @switchyard/github drift > out/drift-github.md; echo $? > out/drift-github.exit
//   pnpm --filter @switchyard/contract-tests health-report --vitest out/vitest-mock.json \
//     [--vitest out/vitest-sandbox.json] [--drift github=out/drift-github.md] [--recordings recordings/] \
//     [--out-dir out/]           (writes health-report.md and health-report.json; prints the markdown)
//
// A drift file's exit code is read from <file minus .md>.exit when present. Exits 2 on bad arguments; 0
// otherwise: the report describes failures, the test and drift steps fail the job.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { schemaExports, validateRecordings } from "../src/drift/validate-recordings.js";
import { WIRE_SCHEMA_SOURCES } from "../src/drift/wire-schemas.js";
import { RECORDINGS_DIR, readRecordings } from "../src/recording/recorder.js";
import {
  buildHealthReport,
  driftSummary,
  type ExternalDrift,
  healthMarkdown,
  type SchemaClassification,
  type VitestJsonReport,
} from "../src/report/health-report.js";
import { classifyToolChanges } from "../src/schemas/classify-schema-change.js";
import {
  currentSnapshot,
  readSnapshot,
  SNAPSHOTTED_CONNECTORS,
} from "../src/schemas/tool-schema-snapshots.js";

function options(name: string): string[] {
  const values: string[] = [];
  process.argv.forEach((arg, index) => {
    if (arg === `--${name}` && process.argv[index + 1]) values.push(process.argv[index + 1] as string);
  });
  return values;
}

const vitestFiles = options("vitest");
if (vitestFiles.length === 0) {
  console.error("health-report: give at least one --vitest <vitest JSON reporter output>.");
  process.exit(2);
}
const vitest = vitestFiles.map((file) => JSON.parse(readFileSync(file, "utf8")) as VitestJsonReport);

const schemaChanges: SchemaClassification[] = [];
for (const { packageName, create } of SNAPSHOTTED_CONNECTORS) {
  const connector = create();
  const current = currentSnapshot(packageName, connector);
  await connector.close();
  const snapshot = readSnapshot(current.connector);
  const changes = snapshot ? classifyToolChanges(snapshot.tools, current.tools) : [];
  schemaChanges.push({
    connector: current.connector,
    packageName,
    classification: !snapshot
      ? "no snapshot"
      : changes.some((change) => change.kind === "breaking")
        ? "breaking"
        : changes.length > 0
          ? "additive"
          : "none",
    changes,
  });
}

const externalDrift: ExternalDrift[] = options("drift").map((spec) => {
  const [name = "drift", file = ""] = spec.split("=");
  const markdown = existsSync(file) ? readFileSync(file, "utf8") : "";
  const exitFile = file.replace(/\.md$/, ".exit");
  const exitCode = existsSync(exitFile) ? Number(readFileSync(exitFile, "utf8").trim()) : undefined;
  return {
    name,
    exitCode: markdown === "" && exitCode === undefined ? undefined : exitCode,
    summary: markdown === "" ? `no output at ${file}` : driftSummary(markdown),
    markdown,
  };
});

const recordingsDir = resolve(options("recordings")[0] ?? RECORDINGS_DIR);
const recordings = readRecordings(recordingsDir);
const report = buildHealthReport({
  vitest,
  schemaChanges,
  externalDrift,
  recordings: await Promise.all(WIRE_SCHEMA_SOURCES.map((source) => validateRecordings(source, recordings))),
  wireSchemaExports: await Promise.all(WIRE_SCHEMA_SOURCES.map(schemaExports)),
});
const markdown = healthMarkdown(report);
const outDir = options("out-dir")[0];
if (outDir) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "health-report.md"), markdown);
  writeFileSync(join(outDir, "health-report.json"), `${JSON.stringify(report, null, 2)}\n`);
}
process.stdout.write(markdown);
