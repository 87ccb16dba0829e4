import { describe } from "vitest";

/**
 * Where contract scenarios run:
 * - `mock` (default): MSW serves every upstream; no credential, no network.
 * - `sandbox`: a disposable upstream account or local emulator (credentials from the environment).
 * - `live`: the real upstream with real credentials, read-only scenarios only.
 */
export const CONTRACT_TARGETS = ["mock", "sandbox", "live"] as const;

export type ContractTarget = (typeof CONTRACT_TARGETS)[number];

function isContractTarget(value: string): value is ContractTarget {
  return (CONTRACT_TARGETS as readonly string[]).includes(value);
}

/** Reads CONTRACT_TARGET; unset or empty means `mock`, anything unknown is an error, never a silent mock run. */
export function contractTarget(env: NodeJS.ProcessEnv = process.env): ContractTarget {
  const raw = env.CONTRACT_TARGET?.trim();
  if (raw === undefined || raw === "") return "mock";
  if (isContractTarget(raw)) return raw;
  throw new Error(
    `CONTRACT_TARGET=${JSON.stringify(raw)} is not a contract target: use one of ${CONTRACT_TARGETS.join(", ")} ` +
      "(or leave it unset for mock).",
  );
}

/** What a scenario file declares about where it can run. */
export interface ScenarioSupport {
  /** Targets the scenario can run against. */
  readonly targets: readonly ContractTarget[];
  /**
   * Environment variables the scenario needs against sandbox or live (tokens, base URLs, test repo names).
   * Missing ones make the scenario SKIPPED with their names in the title, never silently passed.
   */
  readonly env?: readonly string[];
}

export interface ScenarioPlan {
  readonly target: ContractTarget;
  readonly run: boolean;
  /** Why the scenario is skipped; it becomes part of the reported title. */
  readonly reason?: string;
}

/** Decides whether a scenario runs against the current target, and why not. */
export function planScenario(
  support: ScenarioSupport,
  target: ContractTarget = contractTarget(),
  env: NodeJS.ProcessEnv = process.env,
): ScenarioPlan {
  if (!support.targets.includes(target)) {
    return {
      target,
      run: false,
      reason: `not supported against CONTRACT_TARGET=${target} (supports ${support.targets.join(", ")})`,
    };
  }
  if (target === "mock") return { target, run: true };
  const missing = (support.env ?? []).filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    return {
      target,
      run: false,
      reason: `set ${missing.join(", ")} to run against CONTRACT_TARGET=${target}`,
    };
  }
  return { target, run: true };
}

/** The title a scenario is reported under: the target it runs against, or the reason it is skipped. */
export function scenarioTitle(name: string, plan: ScenarioPlan): string {
  return plan.run ? `${name} [${plan.target}]` : `${name} [SKIPPED: ${plan.reason}]`;
}

/**
 * `describe` for a contract scenario: runs it when the current CONTRACT_TARGET is supported and its
 * environment is set, and otherwise reports it as skipped with the reason (and the variables to set) in its
 * title.
 */
export function describeForTargets(
  name: string,
  support: ScenarioSupport,
  body: (target: ContractTarget) => void,
): void {
  const plan = planScenario(support);
  describe.skipIf(!plan.run)(scenarioTitle(name, plan), () => body(plan.target));
}
