import type { CallResult, ConnectorInstance, ConnectorRuntimeOptions } from "@switchyard/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import "../harness/contract-meta.js";
import { withinDeadline } from "../harness/deadline.js";
import type { FakeUpstream } from "../harness/fake-upstreams.js";
import { missingVariables } from "../harness/live-env.js";
import { type ContractTarget, contractTarget, describeForTargets } from "../harness/target.js";
import { useFakeUpstream } from "../harness/use-fake-upstream.js";
import { beginRecording, endRecording } from "../recording/recorder.js";
import {
  type ContractConnector,
  type ContractResource,
  RUN_ID,
  type ScenarioContext,
  type ToolCase,
} from "./contract-connector.js";

/** Deadline of one scenario call: generous for live, and the watchdog reports a hang beyond it. */
export const SCENARIO_DEADLINE_MS: Record<ContractTarget, number> = {
  mock: 10_000,
  sandbox: 10_000,
  live: 30_000,
};

/** Runtime options of scenario connectors: writes on, short backoffs on the fakes, core's defaults live. */
export function scenarioOptions(target: ContractTarget): ConnectorRuntimeOptions {
  return {
    allowWrites: true,
    deadlineMs: SCENARIO_DEADLINE_MS[target],
    ...(target === "live"
      ? { retry: { maxRetries: 2, maxRetryAfterMs: 10_000 } }
      : { retry: { baseDelayMs: 5, minDelayMs: 1, maxDelayMs: 20, maxRetryAfterMs: 2_000 } }),
  };
}

/** Why a tool case does not run against `target` (write variables missing, case-specific), or undefined. */
export function toolCaseSkipReason(
  connector: ContractConnector,
  toolCase: ToolCase,
  target: ContractTarget,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const own = toolCase.skip?.[target];
  if (own) return own;
  if (target === "live" && toolCase.liveEnv) {
    const missing = missingVariables(toolCase.liveEnv, env);
    if (missing.length > 0) return `set ${missing.join(", ")} to run it against CONTRACT_TARGET=live`;
  }
  if (target === "live" && toolCase.class === "write" && connector.live) {
    const missing = missingVariables(connector.live.write, env);
    if (missing.length > 0) {
      return `set ${missing.join(", ")} to run writes against CONTRACT_TARGET=live (writes go only to a test repository, channel or project)`;
    }
  }
  return undefined;
}

/** Calls one tool case: input, call under the watchdog, checks; cleanup in `finally`. */
export async function runToolCase(
  connector: ContractConnector,
  toolCase: ToolCase,
  instance: ConnectorInstance,
  context: ScenarioContext,
  deadlineMs: number,
): Promise<{ result: CallResult; latencyMs: number }> {
  let input: Record<string, unknown> | undefined;
  let result: CallResult | undefined;
  let outcome: { result: CallResult; latencyMs: number } | undefined;
  let failure: { error: unknown } | undefined;
  try {
    input = await toolCase.input(context, instance);
    const started = performance.now();
    if (context.target === "live" && context.fake === undefined) {
      beginRecording({
        upstream: connector.id,
        tool: toolCase.tool,
        scenario: `${toolCase.tool}: ${toolCase.title}`,
        baseUrl: connector.live?.apiBase(context.env) ?? "",
      });
    }
    try {
      result = await withinDeadline(instance.call(toolCase.tool, input, { deadlineMs }), deadlineMs);
    } finally {
      endRecording();
    }
    const latencyMs = Math.round(performance.now() - started);
    toolCase.check?.(result, context);
    outcome = { result, latencyMs };
  } catch (error) {
    failure = { error };
  }
  if (toolCase.cleanup) {
    try {
      await toolCase.cleanup(instance, context, {
        ...(input ? { input } : {}),
        ...(result ? { result } : {}),
      });
    } catch (cleanupError) {
      // A failed cleanup fails the scenario, but never hides the scenario's own failure.
      if (!failure) failure = { error: cleanupError };
      else console.error(`cleanup of ${toolCase.tool} failed too:`, cleanupError);
    }
  }
  if (failure || !outcome) throw failure?.error ?? new Error("no outcome");
  return outcome;
}

/**
 * The standard scenarios of a connector: every tool case against the current target. Mock and sandbox run
 * against the connector's fake; live against the real upstream when the connector's variables are set, and
 * otherwise every scenario is reported as SKIPPED with the variables to set. Writes against the fakes also
 * check that the write reached the fake exactly once.
 */
export function defineConnectorScenarios(
  connector: ContractConnector,
  extra?: (target: ContractTarget, fake: (() => FakeUpstream) | undefined) => void,
): void {
  const current = contractTarget();
  describeForTargets(
    `${connector.id} contract`,
    {
      targets: connector.targets,
      ...(current === "live" && connector.live ? { env: connector.live.read } : {}),
    },
    (target) => {
      const fake = target !== "live" && connector.fake ? useFakeUpstream(connector.fake, target) : undefined;
      let resource: ContractResource | undefined;
      if (target !== "live" && !fake && connector.resource) {
        const start = connector.resource;
        beforeAll(async () => {
          resource = await start(target);
        }, 60_000);
        afterAll(async () => {
          await resource?.close();
        });
      }
      const context = (): ScenarioContext => ({
        target,
        env: fake ? fake().env : (resource?.env ?? process.env),
        fake: fake?.(),
        runId: RUN_ID,
      });
      for (const toolCase of connector.tools) {
        const skipReason = toolCaseSkipReason(connector, toolCase, target);
        const title = `${toolCase.tool}: ${toolCase.title}${skipReason ? ` [SKIPPED: ${skipReason}]` : ""}`;
        const meta = {
          contract: {
            connector: connector.id,
            tool: toolCase.tool,
            toolClass: toolCase.class,
            target,
            kind: "scenario" as const,
            ...(skipReason ? { skipReason } : {}),
          },
        };
        it.skipIf(skipReason !== undefined)(title, { meta }, async ({ task }) => {
          const ctx = context();
          const instance = connector.create(ctx.env, scenarioOptions(target));
          try {
            const { result, latencyMs } = await runToolCase(
              connector,
              toolCase,
              instance,
              ctx,
              SCENARIO_DEADLINE_MS[target],
            );
            if (task.meta.contract) {
              task.meta.contract.latencyMs = latencyMs;
              task.meta.contract.attempts = result.metadata.attempts;
              task.meta.contract.outcome = "success";
            }
            if (ctx.fake && toolCase.applies) {
              // The write reached the fake exactly once.
              expect(ctx.fake.requests.count(toolCase.applies.method, toolCase.applies.path)).toBe(1);
            }
          } finally {
            await instance.close();
          }
        });
      }
      extra?.(target, fake);
    },
  );
}
