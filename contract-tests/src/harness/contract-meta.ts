import type { ContractTarget } from "./target.js";

/**
 * What every contract test tells the health report (vitest's JSON reporter copies `task.meta` into its
 * output): which connector and tool it exercised, and how the call went. Set at collection time through the
 * test options, so skipped tests carry it too; latency and attempts are filled in when the test runs.
 */
export interface ContractMeta {
  readonly connector: string;
  readonly tool?: string | undefined;
  readonly toolClass?: string | undefined;
  readonly target: ContractTarget;
  /** `scenario` (a tool call against the target), `fault` (a fault-matrix cell), `check` (anything else). */
  readonly kind: "scenario" | "fault" | "check";
  /** Why it is skipped, with the variables to set. */
  readonly skipReason?: string | undefined;
  latencyMs?: number;
  attempts?: number;
  outcome?: string;
}

declare module "vitest" {
  interface TaskMeta {
    contract?: ContractMeta;
  }
}
