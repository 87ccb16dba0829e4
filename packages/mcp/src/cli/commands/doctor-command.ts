import type { Diagnosis } from "@switchyard/core";
import { redisRuntime } from "../../config/build-connectors.js";
import { createConnectorFrom, findConnector, visibleConnectors } from "../../config/connector-registry.js";
import type { SwitchyardConfig } from "../../config/switchyard-config.js";
import type { CliIo } from "../cli-io.js";
import { renderTable } from "../render-table.js";

function describeBudget(diagnosis: Diagnosis): string {
  const budget = diagnosis.rateLimit;
  if (!budget || budget.remaining === undefined) return "-";
  return budget.limit === undefined ? String(budget.remaining) : `${budget.remaining}/${budget.limit}`;
}

function describeCircuit(diagnosis: Diagnosis): string {
  const circuit = diagnosis.circuit;
  if (!circuit) return "-";
  if (circuit.state !== "open" || circuit.openUntil === undefined) return circuit.state;
  return `open ${Math.max(1, Math.ceil((circuit.openUntil - Date.now()) / 1000))}s`;
}

export async function doctorCommand(
  io: CliIo,
  config: SwitchyardConfig,
  options: { ids: string[]; json: boolean },
): Promise<number> {
  const entries = options.ids.length > 0 ? options.ids.map(findConnector) : visibleConnectors();
  const reports = await Promise.all(
    entries.map(async (entry) => {
      const settings = config.connectors?.[entry.id] ?? {};
      if (!entry.configured(io.env, settings) && options.ids.length === 0)
        return { entry, diagnosis: undefined };
      // With the shared Redis when configured: the circuit column then shows what every process sees.
      const connector = await createConnectorFrom(entry, io.env, settings, redisRuntime(config, io.env));
      try {
        return { entry, diagnosis: await connector.diagnose() };
      } finally {
        await connector.close();
      }
    }),
  );
  if (options.json) {
    io.out(
      JSON.stringify(
        reports.map(({ entry, diagnosis }) => ({ connector: entry.id, diagnosis: diagnosis ?? null })),
        null,
        2,
      ),
    );
  } else {
    io.out(
      renderTable(
        ["connector", "credentials", "identity", "scopes", "rate limit", "reachable", "circuit", "status"],
        reports.map(({ entry, diagnosis }) =>
          diagnosis
            ? [
                entry.id,
                diagnosis.credentialsFound ? "found" : "missing",
                diagnosis.identity ?? "-",
                diagnosis.scopes?.join(" ") || "-",
                describeBudget(diagnosis),
                diagnosis.reachable ? "yes" : "no",
                describeCircuit(diagnosis),
                diagnosis.problems.length === 0 ? "ok" : "PROBLEM",
              ]
            : [entry.id, "not configured", "-", "-", "-", "-", "-", "skipped"],
        ),
      ),
    );
    for (const { entry, diagnosis } of reports) {
      if (!diagnosis) {
        io.out(`\n${entry.id}: not configured; set ${entry.variables[0]} to use it.`);
        continue;
      }
      for (const problem of diagnosis.problems)
        io.out(`\n${entry.id}: ${problem.message}\n  fix: ${problem.fix}`);
    }
  }
  return reports.some(({ diagnosis }) => diagnosis && diagnosis.problems.length > 0) ? 1 : 0;
}
