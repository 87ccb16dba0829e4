import type { CallResult, ConnectorInstance, ConnectorRuntimeOptions } from "@switchyard/core";
import type { FakeTarget, FakeUpstreamDefinition, FaultableUpstream } from "../harness/fake-upstreams.js";
import type { ContractTarget } from "../harness/target.js";

/**
 * What the contract suite needs to know about a connector. Adding a connector is one object of this type
 * (usually 100-150 lines in `src/connectors/<id>-contract.ts`) plus a line in `registry.ts`: the scenarios,
 * the fault matrix, schema snapshots, live-host allowlisting and the health report all follow from it.
 */

export type ToolClass = "read" | "list" | "write";
export const TOOL_CLASSES: readonly ToolClass[] = ["read", "list", "write"];

export interface ScenarioContext {
  readonly target: ContractTarget;
  /**
   * The variables the connector is built from: the fake's (`GITHUB_API_URL`, `GITHUB_TOKEN` of the sandbox)
   * under mock/sandbox, the process environment under live.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The fake under mock/sandbox; undefined under live. */
  readonly fake: FaultableUpstream | undefined;
  /** A unique marker for this run (titles of created issues, message texts) so cleanup finds what it made. */
  readonly runId: string;
}

export interface ToolCase {
  readonly tool: string;
  readonly class: ToolClass;
  /** Scenario title after the tool name. */
  readonly title: string;
  /**
   * The input. Under mock/sandbox it names seeded data; under live, the repository/channel/project from the
   * environment. May call the connector (a live read of "the newest issue" to get a number).
   */
  input(context: ScenarioContext, connector: ConnectorInstance): Promise<Record<string, unknown>>;
  /** Extra checks on a successful result (the output already passed the tool's own schema). */
  check?(result: CallResult, context: ScenarioContext): void;
  /**
   * Writes only: undoes what the scenario created (closes the issue, deletes the message), with the connector
   * the scenario used. Runs in `finally`, also when the call or a check failed; `result` is absent then, so
   * cleanups find their records by `context.runId` rather than trusting the result.
   */
  cleanup?(
    connector: ConnectorInstance,
    context: ScenarioContext,
    outcome: { readonly input?: Record<string, unknown>; readonly result?: CallResult },
  ): Promise<void>;
  /**
   * Writes only: the request that applies the write (method + path below the API root), so the fault matrix
   * can count how often it reached the fake. Set for non-idempotent writes.
   */
  readonly applies?: { readonly method: string; readonly path: RegExp };
  /**
   * Writes only, where the fake's data can be read directly: how many records this case's writes have left in
   * it (e.g. rows carrying the run id). The fault matrix counts before and after each cell, so "applied at
   * most once" and an error's `notApplied` are checked against the data, not only against requests sent.
   */
  appliedCount?(context: ScenarioContext): Promise<number>;
  /** True when repeating the call changes nothing more (reads, PUT/PATCH-like writes). */
  readonly idempotent: boolean;
  /** Variables this case needs against live besides the connector's (a channel to read, a project). */
  readonly liveEnv?: readonly string[];
  /** Targets this case cannot run against, with why (e.g. a seeded-only fixture). */
  readonly skip?: Partial<Record<ContractTarget, string>>;
}

export interface FaultOverride {
  readonly idempotent?: Readonly<Record<"once" | "always", readonly string[]>>;
  readonly nonIdempotent?: Readonly<Record<"once" | "always", readonly string[]>>;
  readonly carriesOut?: boolean;
  /** The fault proves a non-idempotent write was not applied (so repeating it is no duplicate). */
  readonly provesNotApplied?: boolean;
  readonly why: string;
}

export interface ContractResource {
  /** The variables the connector is built from (like a fake's env). */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface LiveRequirements {
  /** Variables a live read needs (any one credential of a set is expressed by `credentials`). */
  readonly read: readonly string[];
  /** Variables a live write additionally needs (the test repository, channel, project). */
  readonly write: readonly string[];
  /** The real API root (`https://api.github.com`, or GITHUB_API_URL): recordings are made below it. */
  apiBase(env: Readonly<Record<string, string | undefined>>): string;
  /** The real hosts the live network guard must let through, derived from the environment. */
  hosts(env: Readonly<Record<string, string | undefined>>): string[];
}

export interface ContractConnector {
  /** The connector id (`github`), also the recordings folder and the snapshot name. */
  readonly id: string;
  readonly packageName: string;
  /** The fake for mock/sandbox; undefined for a connector with no HTTP fake (PostgreSQL). */
  readonly fake: FakeUpstreamDefinition<any> | undefined;
  /**
   * For a connector without an HTTP fake: what mock/sandbox run against instead (a scratch schema in a local
   * PostgreSQL, the sandbox's embedded PGlite), started once per scenario file.
   */
  readonly resource?: (target: FakeTarget) => Promise<ContractResource>;
  /**
   * For a connector without an HTTP fake: how the fault matrix injects faults (the PostgreSQL TCP proxy), and
   * which of the matrix's fault kinds exist for it. Connectors with a fake use the fake and every kind.
   */
  readonly faultInjection?: {
    readonly kinds: readonly string[];
    /** Why the other kinds do not apply (shown on their skipped cells). */
    readonly notApplicable: string;
    /**
     * Expected outcomes (and whether the statement was carried out) where the connector's protocol differs
     * from HTTP, by matrix fault id.
     */
    readonly overrides?: Readonly<Record<string, FaultOverride>>;
    start(target: FakeTarget): Promise<FaultableUpstream & { close(): Promise<void> }>;
  };
  /** Targets the connector's scenarios run against. */
  readonly targets: readonly ContractTarget[];
  readonly live: LiveRequirements | undefined;
  /** Builds the connector from `env` plus runtime options (retry, deadline, allowWrites). */
  create(
    env: Readonly<Record<string, string | undefined>>,
    options: ConnectorRuntimeOptions,
  ): ConnectorInstance;
  /** One or more cases per tool class; the first of each class is the fault matrix's representative. */
  readonly tools: readonly ToolCase[];
}

/** A short unique id per process: created records carry it, so a cleanup can find them. */
export const RUN_ID = `contract-${new Date()
  .toISOString()
  .replace(/[-:.TZ]/g, "")
  .slice(0, 14)}-${process.pid}`;
