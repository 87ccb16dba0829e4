import {
  type CallEvent,
  ConnectorError,
  type ConnectorRuntimeOptions,
  type ErrorCode,
  isErrorCode,
} from "@switchyard/core";
import type { FaultSpec } from "@switchyard/sandbox";
import {
  type ContractConnector,
  RUN_ID,
  type ScenarioContext,
  TOOL_CLASSES,
  type ToolCase,
  type ToolClass,
} from "../connectors/contract-connector.js";
import { settleWithin } from "../harness/deadline.js";
import type { FaultableUpstream } from "../harness/fake-upstreams.js";
import {
  settleRejections,
  takeUncaughtExceptions,
  takeUnhandledRejections,
} from "../harness/unhandled-rejections.js";

/**
 * The fault matrix: connector × tool class × fault × persistence → the outcomes allowed. Every cell injects
 * one fault into the connector's fake (in-process under mock, over loopback HTTP under sandbox), calls the
 * class's representative tool under an explicit deadline and checks the contract:
 *
 * - the call settles before its deadline (no hang) with success or a typed ConnectorError whose code is in
 *   the cell's expected set;
 * - retries are bounded: at most maxRetries + 1 attempts, plus the one repeat after a credential refresh;
 * - no unhandled promise rejection appears while the cell runs;
 * - a non-idempotent write reaches the fake exactly once, unless the failure proves it was not applied (429,
 *   rate limits, 401), and is applied at most once either way.
 *
 * `once` faults hit the first request only (a transient failure: the retry may succeed); `always` faults hit
 * every request (the retry bound and the final error code show).
 */

export type Persistence = "once" | "always";
export const PERSISTENCES: readonly Persistence[] = ["once", "always"];

export type Outcome = "success" | ErrorCode;

/** A fault without its scope (count, fraction, route, method): the cell decides those. */
type FaultBody = FaultSpec extends infer Spec
  ? Spec extends FaultSpec
    ? Omit<Spec, "count" | "fraction" | "route" | "method">
    : never
  : never;

export interface MatrixFault {
  readonly id: string;
  readonly label: string;
  readonly spec: FaultBody;
  /** Allowed outcomes for reads, lists and idempotent writes. */
  readonly idempotent: Readonly<Record<Persistence, readonly Outcome[]>>;
  /** Allowed outcomes for non-idempotent writes. */
  readonly nonIdempotent: Readonly<Record<Persistence, readonly Outcome[]>>;
  /** The answer proves the upstream did not apply the request, so repeating a non-idempotent write is safe. */
  readonly provesNotApplied: boolean;
  /** The fault damages a real answer (the request was carried out): a write is applied despite the error. */
  readonly carriesOut?: boolean;
  /** The call's deadline for this fault (default `CELL_DEADLINE_MS`). */
  readonly deadlineMs?: number;
}

/** Deadline of a cell: room for one 1 s Retry-After, GitHub's 1 s write spacing and a few fast retries. */
export const CELL_DEADLINE_MS = 4_000;
/** The never-answering upstream ends at this deadline (short: the point is that it ends). */
export const TIMEOUT_CELL_DEADLINE_MS = 400;
export const CELL_MAX_RETRIES = 3;

const both = (outcomes: readonly Outcome[]) => ({ once: outcomes, always: outcomes });

/** The faults of the matrix, in the sandbox's fault vocabulary (`@switchyard/sandbox` FAULT_KINDS). */
export const MATRIX_FAULTS: readonly MatrixFault[] = [
  {
    id: "429-retry-after",
    label: "429 with Retry-After: 1",
    spec: { kind: "rate_limit_429", retryAfterSeconds: 1 },
    // once: the 1 s wait is within maxRetryAfterMs (1.5 s) and the retry succeeds; always: maxRetryAfterMs is
    // 0.5 s, so the call ends at once with rate_limited and retryAfterMs.
    idempotent: { once: ["success"], always: ["rate_limited"] },
    nonIdempotent: { once: ["success"], always: ["rate_limited"] },
    provesNotApplied: true,
  },
  {
    id: "429-no-retry-after",
    label: "429 without Retry-After",
    spec: { kind: "rate_limit_429" },
    // GitHub reads a bare 429 as "wait a minute" (rate_limited at once); others back off and retry.
    idempotent: { once: ["success", "rate_limited"], always: ["rate_limited"] },
    nonIdempotent: { once: ["success", "rate_limited"], always: ["rate_limited"] },
    provesNotApplied: true,
  },
  {
    id: "403-secondary-limit",
    label: "403 secondary rate limit",
    spec: { kind: "secondary_rate_limit" },
    idempotent: { once: ["success", "rate_limited"], always: ["rate_limited"] },
    nonIdempotent: { once: ["success", "rate_limited"], always: ["rate_limited"] },
    provesNotApplied: true,
  },
  {
    id: "403-primary-limit",
    label: "403 primary limit (remaining 0)",
    spec: { kind: "primary_rate_limit", resetAfterSeconds: 60 },
    idempotent: both(["rate_limited"]),
    nonIdempotent: both(["rate_limited"]),
    provesNotApplied: true,
  },
  ...([500, 502, 503] as const).map(
    (status): MatrixFault => ({
      id: `${status}`,
      label: `HTTP ${status}`,
      spec: { kind: "server_error", status },
      idempotent: { once: ["success"], always: ["upstream_unavailable"] },
      // A 5xx does not say whether the write happened: it is never repeated.
      nonIdempotent: both(["upstream_unavailable"]),
      provesNotApplied: false,
    }),
  ),
  {
    id: "connection-reset",
    label: "connection reset",
    spec: { kind: "connection_reset" },
    idempotent: { once: ["success"], always: ["network"] },
    nonIdempotent: both(["network"]),
    provesNotApplied: false,
  },
  {
    id: "timeout",
    label: "no answer (timeout)",
    spec: { kind: "timeout" },
    idempotent: both(["timeout"]),
    nonIdempotent: both(["timeout"]),
    provesNotApplied: false,
    deadlineMs: TIMEOUT_CELL_DEADLINE_MS,
  },
  {
    id: "malformed-json",
    label: "malformed JSON (200)",
    spec: { kind: "malformed_json" },
    idempotent: both(["invalid_response"]),
    nonIdempotent: both(["invalid_response"]),
    provesNotApplied: false,
  },
  {
    id: "truncated-body",
    label: "truncated body",
    spec: { kind: "truncated_body" },
    // In-process the short body arrives as complete (unparseable JSON); over HTTP the socket closes mid-body,
    // which a client may report as a network failure and retry (reads).
    idempotent: { once: ["success", "invalid_response"], always: ["invalid_response", "network"] },
    nonIdempotent: both(["invalid_response", "network"]),
    provesNotApplied: false,
    carriesOut: true,
  },
  {
    id: "html-error",
    label: "HTML error page (502)",
    spec: { kind: "html_error", status: 502 },
    idempotent: { once: ["success"], always: ["upstream_unavailable"] },
    nonIdempotent: both(["upstream_unavailable"]),
    provesNotApplied: false,
  },
  {
    id: "expired-credential",
    label: "expired credential (401)",
    spec: { kind: "expired_credential" },
    // A 401 is repeated once after the credential is refreshed (proof the request was refused, not applied).
    // A refreshable credential is refreshed and the call repeated once (success); a static token cannot be
    // refreshed, so the call ends with unauthenticated after at most that one repeat.
    idempotent: { once: ["success", "unauthenticated"], always: ["unauthenticated"] },
    nonIdempotent: { once: ["success", "unauthenticated"], always: ["unauthenticated"] },
    provesNotApplied: true,
  },
];

/** What a violation broke; known violations are matched on it. */
export type ViolationCheck =
  | "hang"
  | "untyped"
  | "deadline"
  | "outcome"
  | "attempts"
  | "duplicate-write"
  | "false-not-applied"
  | "html-in-message"
  | "unhandled-rejection"
  | "uncaught-exception";

export interface Violation {
  readonly check: ViolationCheck;
  readonly message: string;
}

/**
 * Violations the suite knows about and that belong to another package's owner: reported in every run (the
 * markdown marks them "known"), but they do not fail the run until fixed. Remove an entry when it is fixed;
 * `fault-matrix --strict` fails on them too.
 */
export interface KnownViolation {
  readonly connector: string;
  readonly fault: string;
  /** Only cells of this tool class (default: every class). */
  readonly toolClass?: ToolClass;
  readonly check: ViolationCheck;
  readonly reason: string;
}

// None today. GitHub and Slack quoted a proxy's HTML error page in their messages until core's
// httpStatusError learnt to describe it (5bd4707). postgres_execute waited for its deadline (`timeout`) when its
// connection dropped mid-statement, because pg-cursor's close() waits for a ReadyForQuery a dead connection
// never sends; the connector no longer waits on a lost connection (packages/postgres/src/connection-loss.ts).
export const KNOWN_VIOLATIONS: readonly KnownViolation[] = [];

export function isKnownViolation(
  connector: string,
  fault: string,
  toolClass: ToolClass,
  violation: Violation,
): boolean {
  return KNOWN_VIOLATIONS.some(
    (known) =>
      known.connector === connector &&
      known.fault === fault &&
      known.check === violation.check &&
      (known.toolClass === undefined || known.toolClass === toolClass),
  );
}

export interface MatrixCell {
  readonly connector: ContractConnector;
  readonly toolClass: ToolClass;
  readonly toolCase: ToolCase;
  readonly fault: MatrixFault;
  readonly persistence: Persistence;
  /** Why the fault does not exist for this connector (the cell is reported, skipped). */
  readonly notApplicable?: string;
}

/** Connectors the matrix covers: those with an HTTP fake or their own fault injection. */
export function hasFaultInjection(connector: ContractConnector): boolean {
  return connector.fake !== undefined || connector.faultInjection !== undefined;
}

export interface CellResult {
  readonly connector: string;
  readonly toolClass: ToolClass;
  readonly tool: string;
  readonly fault: string;
  readonly faultLabel: string;
  readonly persistence: Persistence;
  readonly expected: readonly Outcome[];
  /** `success`, an error code, `hang`, or `untyped` (a throw that is not a ConnectorError). */
  readonly outcome: string;
  readonly attempts: number | undefined;
  /** Requests that reached the fake during the call. */
  readonly requests: number;
  /** Non-idempotent writes: requests that reached the write endpoint. */
  readonly writes: number | undefined;
  readonly durationMs: number;
  readonly deadlineMs: number;
  /** Contract violations that fail the cell. */
  readonly violations: readonly Violation[];
  /** Violations listed in KNOWN_VIOLATIONS: reported, not failing (unless --strict). */
  readonly knownViolations: readonly Violation[];
}

/** The representative tool case of each class: the first case of that class. */
export function representativeCases(connector: ContractConnector): Map<ToolClass, ToolCase> {
  const cases = new Map<ToolClass, ToolCase>();
  for (const toolClass of TOOL_CLASSES) {
    const found = connector.tools.find((candidate) => candidate.class === toolClass);
    if (found) cases.set(toolClass, found);
  }
  return cases;
}

/** Every cell for these connectors (those with a fake), optionally filtered. */
export function matrixCells(
  connectors: readonly ContractConnector[],
  filter: { readonly connector?: string | undefined; readonly fault?: string | undefined } = {},
): MatrixCell[] {
  const cells: MatrixCell[] = [];
  for (const connector of connectors) {
    if (!hasFaultInjection(connector) || (filter.connector && connector.id !== filter.connector)) continue;
    const injection = connector.fake ? undefined : connector.faultInjection;
    for (const [toolClass, toolCase] of representativeCases(connector)) {
      for (const fault of MATRIX_FAULTS) {
        if (filter.fault && fault.id !== filter.fault) continue;
        const notApplicable =
          injection && !injection.kinds.includes(fault.spec.kind) ? injection.notApplicable : undefined;
        for (const persistence of PERSISTENCES) {
          cells.push({
            connector,
            toolClass,
            toolCase,
            fault,
            persistence,
            ...(notApplicable ? { notApplicable } : {}),
          });
        }
      }
    }
  }
  return cells;
}

export function cellTitle(cell: MatrixCell): string {
  return `${cell.connector.id} × ${cell.toolClass} (${cell.toolCase.tool}) × ${cell.fault.label} × ${cell.persistence}`;
}

/** Runtime options of a cell's connector: tiny backoffs, Retry-After cap by persistence (see MATRIX_FAULTS). */
export function cellOptions(
  persistence: Persistence,
  onEvent: (event: CallEvent) => void,
): ConnectorRuntimeOptions {
  return {
    allowWrites: true,
    retry: {
      maxRetries: CELL_MAX_RETRIES,
      baseDelayMs: 5,
      minDelayMs: 1,
      maxDelayMs: 20,
      maxRetryAfterMs: persistence === "once" ? 1_500 : 500,
    },
    onEvent,
  };
}

/** Runs one cell against a running fake (reset before and after) and checks the contract. */
export async function runCell(cell: MatrixCell, fake: FaultableUpstream): Promise<CellResult> {
  const { connector, toolCase, persistence } = cell;
  const override = connector.fake ? undefined : connector.faultInjection?.overrides?.[cell.fault.id];
  const fault = (override ? { ...cell.fault, ...override } : cell.fault) as MatrixFault;
  fake.reset();
  takeUnhandledRejections();
  takeUncaughtExceptions();
  const deadlineMs = fault.deadlineMs ?? CELL_DEADLINE_MS;
  const expected = toolCase.idempotent ? fault.idempotent[persistence] : fault.nonIdempotent[persistence];
  let attempts: number | undefined;
  const instance = connector.create(
    fake.env,
    cellOptions(persistence, (event) => {
      if (event.type === "call.end") attempts = event.metadata.attempts;
    }),
  );
  const context: ScenarioContext = { target: fake.target, env: fake.env, fake, runId: RUN_ID };
  const found: Violation[] = [];
  const violate = (check: ViolationCheck, message: string) => found.push({ check, message });
  let outcome = "untyped";
  let durationMs = 0;
  let requests = 0;
  let writes: number | undefined;
  try {
    const input = await toolCase.input(context, instance);
    const appliedBefore =
      !toolCase.idempotent && toolCase.appliedCount ? await toolCase.appliedCount(context) : undefined;
    fake.requests.clear();
    fake.faults.set(
      { ...fault.spec, ...(persistence === "once" ? { count: 1 } : {}) },
      toolCase.idempotent ? undefined : toolCase.applies,
    );
    const faultId = fake.faults.list()[0]?.id;
    const settled = await settleWithin(instance.call(toolCase.tool, input, { deadlineMs }), deadlineMs);
    durationMs = settled.durationMs;
    const faultAnswered =
      persistence === "once"
        ? Math.min(1, fake.requests.entries.length)
        : (fake.faults.list().find((status) => status.id === faultId)?.applied ?? 0);
    fake.faults.clear();
    requests = fake.requests.entries.length;

    if (settled.state === "hung") {
      outcome = "hang";
      violate("hang", `did not settle within ${deadlineMs} ms + grace`);
    } else if (settled.state === "fulfilled") {
      outcome = "success";
      attempts = settled.value.metadata.attempts;
    } else if (ConnectorError.isInstance(settled.error) && isErrorCode(settled.error.code)) {
      outcome = settled.error.code;
      if (/<html|<!DOCTYPE/i.test(settled.error.message)) {
        violate("html-in-message", "the error message carries the HTML page");
      }
    } else {
      violate("untyped", `untyped failure: ${String(settled.error)}`);
    }
    if (outcome !== "hang" && durationMs > deadlineMs + 250) {
      violate("deadline", `took ${durationMs} ms, past its ${deadlineMs} ms deadline`);
    }
    if (outcome !== "hang" && outcome !== "untyped" && !(expected as readonly string[]).includes(outcome)) {
      violate("outcome", `outcome ${outcome}, expected ${expected.join(" or ")}`);
    }
    const attemptBound = CELL_MAX_RETRIES + 2;
    if (attempts !== undefined && attempts > attemptBound) {
      violate("attempts", `${attempts} attempts, bound ${attemptBound}`);
    }
    if (!toolCase.idempotent && toolCase.applies) {
      writes = fake.requests.count(toolCase.applies.method, toolCase.applies.path);
      const applied = fault.carriesOut ? writes : Math.max(0, writes - faultAnswered);
      if (!fault.provesNotApplied && writes !== 1) {
        violate(
          "duplicate-write",
          `the write reached the upstream ${writes} times after a failure that does not prove it was not applied`,
        );
      }
      if (fault.provesNotApplied && writes > attemptBound)
        violate("duplicate-write", `${writes} write requests`);
      if (applied > 1) violate("duplicate-write", `the write was applied ${applied} times`);
    }
    if (appliedBefore !== undefined && toolCase.appliedCount) {
      // What the data says, whatever was sent: at most once, exactly once on success, never after notApplied.
      const inData = (await toolCase.appliedCount(context)) - appliedBefore;
      if (inData > 1 || (settled.state === "fulfilled" && inData !== 1)) {
        violate("duplicate-write", `the data shows the write applied ${inData} times (outcome ${outcome})`);
      }
      if (
        inData > 0 &&
        settled.state === "rejected" &&
        ConnectorError.isInstance(settled.error) &&
        settled.error.notApplied
      ) {
        violate("false-not-applied", "the error says notApplied, but the data shows the write applied");
      }
    }
    await settleRejections();
    const rejections = takeUnhandledRejections();
    if (rejections.length > 0) {
      violate("unhandled-rejection", rejections.map((reason) => String(reason)).join("; "));
    }
    const exceptions = takeUncaughtExceptions();
    if (exceptions.length > 0) {
      violate(
        "uncaught-exception",
        `${exceptions.length} uncaught exception(s), e.g. ${String(exceptions[0])} (an 'error' event nobody listens to: it ends a real process)`,
      );
    }
  } finally {
    fake.faults.clear();
    await instance.close();
  }
  return {
    connector: connector.id,
    toolClass: cell.toolClass,
    tool: toolCase.tool,
    fault: fault.id,
    faultLabel: fault.label,
    persistence,
    expected,
    outcome,
    attempts,
    requests,
    writes,
    durationMs,
    deadlineMs,
    violations: found.filter(
      (violation) => !isKnownViolation(connector.id, fault.id, cell.toolClass, violation),
    ),
    knownViolations: found.filter((violation) =>
      isKnownViolation(connector.id, fault.id, cell.toolClass, violation),
    ),
  };
}

/** The row of a cell whose fault does not exist for the connector. */
export function notApplicableResult(cell: MatrixCell): CellResult {
  return {
    connector: cell.connector.id,
    toolClass: cell.toolClass,
    tool: cell.toolCase.tool,
    fault: cell.fault.id,
    faultLabel: cell.fault.label,
    persistence: cell.persistence,
    expected: [],
    outcome: "n/a",
    attempts: undefined,
    requests: 0,
    writes: undefined,
    durationMs: 0,
    deadlineMs: 0,
    violations: [],
    knownViolations: [],
  };
}

const cellText = (value: string | number | undefined) => (value === undefined ? "–" : String(value));

function verdict(result: CellResult): string {
  if (result.outcome === "n/a") return "not applicable";
  if (result.violations.length > 0) {
    return `**VIOLATION**: ${[...result.violations, ...result.knownViolations].map((v) => v.message).join("; ")}`;
  }
  if (result.knownViolations.length > 0) {
    return `known: ${result.knownViolations.map((v) => v.message).join("; ")}`;
  }
  return "ok";
}

/** Known violations as markdown bullets, one per connector, check and reason (the faults joined). */
export function knownViolationLines(list: readonly KnownViolation[] = KNOWN_VIOLATIONS): string[] {
  const groups = new Map<string, { entry: KnownViolation; faults: string[] }>();
  for (const entry of list) {
    const key = `${entry.connector}|${entry.check}|${entry.toolClass ?? ""}|${entry.reason}`;
    const group = groups.get(key) ?? { entry, faults: [] };
    group.faults.push(entry.fault);
    groups.set(key, group);
  }
  return [...groups.values()].map(
    ({ entry, faults }) =>
      `- ${entry.connector} × ${faults.join(", ")}${entry.toolClass ? ` × ${entry.toolClass}` : ""} (${entry.check}): ${entry.reason}`,
  );
}

/** The matrix as a markdown table (one row per cell) with a summary line. */
export function matrixMarkdown(results: readonly CellResult[], target: string): string {
  const failing = results.filter((result) => result.violations.length > 0).length;
  const known = results.filter(
    (result) => result.violations.length === 0 && result.knownViolations.length > 0,
  );
  const skipped = results.filter((result) => result.outcome === "n/a").length;
  const lines = [
    `## Fault matrix (CONTRACT_TARGET=${target})`,
    "",
    `${results.length} cells: ${results.length - failing - known.length - skipped} ok, ${failing} violating the contract, ${known.length} with a known violation, ${skipped} not applicable.`,
    "",
    "| connector | class | tool | fault | mode | expected | outcome | attempts | requests | writes | ms | verdict |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const result of results) {
    lines.push(
      `| ${result.connector} | ${result.toolClass} | \`${result.tool}\` | ${result.faultLabel} | ${result.persistence} | ${result.expected.join(", ")} | ${result.outcome} | ${cellText(result.attempts)} | ${result.requests} | ${cellText(result.writes)} | ${result.durationMs} | ${verdict(result)} |`,
    );
  }
  const knownList = KNOWN_VIOLATIONS.filter((entry) =>
    results.some((result) => result.connector === entry.connector && result.fault === entry.fault),
  );
  if (knownList.length > 0) {
    lines.push("", "Known violations (reported, not failing; `--strict` fails on them):", "");
    lines.push(...knownViolationLines(knownList));
  }
  return `${lines.join("\n")}\n`;
}
