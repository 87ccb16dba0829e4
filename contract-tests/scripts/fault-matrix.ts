// The fault matrix as a markdown table: connector × tool class × fault × persistence, with the outcome code,
// attempts, requests, writes and duration of every cell. Exits 1 on a contract violation (hang, untyped or
// unexpected error, unbounded retries, duplicated write, unhandled rejection, HTML in a message) that is not
// in KNOWN_VIOLATIONS; with --strict on known ones too.
//
//   pnpm --filter @switchyard/contract-tests fault-matrix [--connector github] [--fault 500] [--json out.json] [--strict]
//   CONTRACT_TARGET=sandbox pnpm --filter @switchyard/contract-tests fault-matrix      (over loopback HTTP)

import { writeFileSync } from "node:fs";
import { installNetworkGuard, removeNetworkGuard, takeNetworkAttempts } from "@switchyard/core/testing";
import { CONTRACT_CONNECTORS } from "../src/connectors/registry.js";
import {
  type CellResult,
  matrixCells,
  matrixMarkdown,
  notApplicableResult,
  runCell,
} from "../src/faults/fault-matrix.js";
import { type FaultableUpstream, startFakeUpstream } from "../src/harness/fake-upstreams.js";
import { server, takeUnhandledRequests } from "../src/harness/msw-server.js";
import { contractTarget } from "../src/harness/target.js";
import {
  catchUncaughtExceptions,
  installUnhandledRejectionTracking,
  removeUnhandledRejectionTracking,
} from "../src/harness/unhandled-rejections.js";

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const target = contractTarget();
if (target === "live") {
  console.error(
    "The fault matrix injects faults into the fakes: run it with CONTRACT_TARGET=mock or sandbox.",
  );
  process.exit(2);
}
const strict = process.argv.includes("--strict");
const filter = {
  ...(option("connector") ? { connector: option("connector") } : {}),
  ...(option("fault") ? { fault: option("fault") } : {}),
};

installNetworkGuard();
installUnhandledRejectionTracking();
catchUncaughtExceptions();
if (target === "mock") server.listen({ onUnhandledRequest: "error" });

const results: CellResult[] = [];
try {
  for (const connector of CONTRACT_CONNECTORS) {
    const cells = matrixCells([connector], filter);
    if (cells.length === 0) continue;
    const fake = connector.fake ? await startFakeUpstream(connector.fake, target) : undefined;
    const upstream: (FaultableUpstream & { close(): Promise<void> }) | undefined =
      fake ?? (await connector.faultInjection?.start(target));
    if (!upstream) continue;
    try {
      if (fake && target === "mock") server.use(...(fake.handlers as Parameters<typeof server.use>));
      for (const cell of cells) {
        results.push(cell.notApplicable ? notApplicableResult(cell) : await runCell(cell, upstream));
        process.stderr.write(".");
      }
    } finally {
      if (fake && target === "mock") server.resetHandlers();
      await upstream.close();
    }
  }
} finally {
  process.stderr.write("\n");
  if (target === "mock") server.close();
  removeNetworkGuard();
  removeUnhandledRejectionTracking();
}

const escaped = [...takeNetworkAttempts(), ...takeUnhandledRequests()];
process.stdout.write(matrixMarkdown(results, target));
const jsonPath = option("json");
if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify({ target, results }, null, 2)}\n`);

const failing = results.filter(
  (result) => result.violations.length > 0 || (strict && result.knownViolations.length > 0),
);
if (escaped.length > 0) {
  console.error(`The matrix left the sandbox: ${JSON.stringify(escaped)}`);
  process.exitCode = 1;
}
if (results.length === 0) {
  console.error(`No cell matched ${JSON.stringify(filter)}.`);
  process.exitCode = 1;
}
if (failing.length > 0) {
  console.error(
    `${failing.length} cell(s) violate the contract${strict ? " (strict: known violations count)" : ""}.`,
  );
  process.exitCode = 1;
}
