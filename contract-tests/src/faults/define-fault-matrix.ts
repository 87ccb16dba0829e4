import { afterAll, beforeAll, expect, it } from "vitest";
import "../harness/contract-meta.js";
import type { ContractConnector } from "../connectors/contract-connector.js";
import type { FakeTarget, FaultableUpstream } from "../harness/fake-upstreams.js";
import { describeForTargets } from "../harness/target.js";
import { useFakeUpstream } from "../harness/use-fake-upstream.js";
import { cellTitle, hasFaultInjection, matrixCells, runCell } from "./fault-matrix.js";

/** The connector's faultable upstream for the file: its HTTP fake, or its own fault injection. */
function useFaultable(connector: ContractConnector, target: FakeTarget): () => FaultableUpstream {
  if (connector.fake) return useFakeUpstream(connector.fake, target);
  const injection = connector.faultInjection;
  if (!injection) throw new Error(`${connector.id} has no fault injection.`);
  let upstream: (FaultableUpstream & { close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    upstream = await injection.start(target);
  }, 60_000);
  afterAll(async () => {
    await upstream?.close();
  });
  return () => {
    if (!upstream) throw new Error(`The ${connector.id} fault injection is not running.`);
    return upstream;
  };
}

/**
 * The vitest form of one connector's fault matrix (the markdown form: `pnpm --filter
 * @switchyard/contract-tests fault-matrix`). Faults are injected into the fake, so the matrix runs under mock
 * and sandbox; under live its cells are still collected, so the report lists them as skipped with the reason.
 * Cells whose fault does not exist for the connector are collected as skipped, with why.
 */
export function defineFaultMatrix(connector: ContractConnector): void {
  if (!hasFaultInjection(connector)) return;
  describeForTargets(`fault matrix: ${connector.id}`, { targets: ["mock", "sandbox"] }, (target) => {
    const upstream = target !== "live" ? useFaultable(connector, target) : undefined;
    for (const cell of matrixCells([connector])) {
      const skipReason = cell.notApplicable;
      const meta = {
        contract: {
          connector: connector.id,
          tool: cell.toolCase.tool,
          toolClass: cell.toolClass,
          target,
          kind: "fault" as const,
          ...(skipReason ? { skipReason } : {}),
        },
      };
      const title = `${cellTitle(cell)}${skipReason ? ` [SKIPPED: ${skipReason}]` : ""}`;
      it.skipIf(skipReason !== undefined)(title, { meta }, async ({ task, annotate }) => {
        if (!upstream) throw new Error("The fault matrix runs against a fake (mock or sandbox).");
        const result = await runCell(cell, upstream());
        if (task.meta.contract) {
          task.meta.contract.latencyMs = result.durationMs;
          if (result.attempts !== undefined) task.meta.contract.attempts = result.attempts;
          task.meta.contract.outcome = result.outcome;
        }
        for (const known of result.knownViolations) {
          await annotate(`known violation (${known.check}): ${known.message}`, "known-violation");
        }
        expect(result.violations, JSON.stringify(result)).toEqual([]);
      });
    }
  });
}
