import { randomUUID } from "node:crypto";
import type { ApprovalRecord } from "../approval/approval.js";
import { type Credential, credentialKey } from "../credentials/credential.js";
import { createDeadline } from "../deadline/deadline.js";
import { raceSignal } from "../deadline/race-signal.js";
import { ConnectorError } from "../errors/connector-error.js";
import { invalidInputError, toConnectorError } from "../errors/to-connector-error.js";
import type { CallEvent, CallEventListener } from "../observability/call-events.js";
import { endCallSpan, startCallSpan } from "../observability/call-span.js";
import { applyOutputBudget, DEFAULT_OUTPUT_BUDGET, type OutputBudget } from "../output/output-budget.js";
import { createCursorCodec, hashQuery } from "../pagination/cursor-codec.js";
import { type BucketState, RateLimiter } from "../rate-limit/rate-limiter.js";
import { type QuotaState, TenantQuota } from "../rate-limit/tenant-quota.js";
import { mayContainSecret, redactStrings, redactText, redactValue } from "../redaction/redactor.js";
import { assertRedisOptions, connectRedis, type RedisHandle } from "../redis/redis-connection.js";
import { Bulkhead, type BulkheadLoad } from "../resilience/bulkhead.js";
import { CircuitBreakers, type CircuitStatus, isCircuitOpenError } from "../resilience/circuit-breakers.js";
import { resolveResilience } from "../resilience/resolve-resilience.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../retry/retry-policy.js";
import { RetryExhaustedError, retryWithBackoff } from "../retry/retry-with-backoff.js";
import type { AnyToolDefinition } from "../tool/define-tool.js";
import { describeTool, type ToolDescription } from "../tool/tool-json-schema.js";
import { assertToolName } from "../tool/tool-name.js";
import { type ApprovalPreview, approveIfNeeded, previewApproval } from "./approve-if-needed.js";
import { auditRecord } from "./audit-record-for-call.js";
import { type CallRecorder, createToolContext } from "./call-context.js";
import type { CallMetadata } from "./call-metadata.js";
import type { CallOptions, CallResult } from "./call-options.js";
import type { ConnectorDefinition } from "./connector-options.js";
import { diagnoseConnector } from "./diagnose-connector.js";
import type { Diagnosis } from "./diagnosis.js";

const DEFAULT_DEADLINE_MS = 30_000;
const DEFAULT_MAX_DEADLINE_MS = 120_000;
const DEFAULT_TENANT = "default";

/** A configured connector: its tools, and one pipeline that runs every call. */
export interface ConnectorInstance {
  readonly id: string;
  readonly title: string;
  /** Every tool the connector registers, writes included. */
  readonly tools: readonly AnyToolDefinition[];
  readonly writesAllowed: boolean;
  /** Tools callable with the current settings: write tools only when writes are allowed. */
  enabledTools(): AnyToolDefinition[];
  /** JSON Schema descriptions of the enabled tools, in a stable order. */
  describeTools(): ToolDescription[];
  /**
   * Runs one tool call: input validation -> deadline -> quota -> rate limit -> retry -> upstream -> error
   * mapping -> output validation -> output budget. Resolves with the output and metadata, or rejects with a
   * ConnectorError.
   */
  call(toolName: string, rawInput: unknown, options?: CallOptions): Promise<CallResult>;
  /**
   * Whether a call would need approval, and what the approver would see, without running it (MCP uses it to
   * ask through elicitation first). Undefined for an unknown tool or invalid input: the call itself says why.
   */
  previewApproval(toolName: string, rawInput: unknown): ApprovalPreview | undefined;
  /** Circuit states and bulkhead load of this process, for doctor and metrics. */
  resilience(): { readonly circuits: CircuitStatus[]; readonly bulkhead: BulkheadLoad | undefined };
  /** Checks credentials and reachability; never throws, never includes a secret. */
  diagnose(options?: { readonly deadlineMs?: number }): Promise<Diagnosis>;
  /** Closes the rate limiter, the Redis connection it opened and the upstream client. Idempotent. */
  close(): Promise<void>;
}

export function createConnector<Client>(definition: ConnectorDefinition<Client>): ConnectorInstance {
  const options = definition.options ?? {};
  const now = options.now ?? Date.now;
  const toolsByName = new Map<string, AnyToolDefinition>();
  for (const tool of definition.tools) {
    assertToolName(tool.name, definition.id);
    if (toolsByName.has(tool.name)) throw new TypeError(`Tool ${tool.name} is registered twice.`);
    toolsByName.set(tool.name, tool);
  }
  const sortedTools = [...toolsByName.values()].sort((a, b) => a.name.localeCompare(b.name));
  const writesAllowed = options.allowWrites === true;
  const retryPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const resilience = resolveResilience(definition.resilience, options.resilience);
  const budget: OutputBudget = { ...DEFAULT_OUTPUT_BUDGET, ...options.outputBudget };
  // With Redis, the handle starts opening now (loading ioredis: only then); the limiter, circuit breakers and
  // quotas wait for it on first use. Options that name no Redis are refused here, as before.
  if (options.redis) assertRedisOptions(options.redis);
  const redis: Promise<RedisHandle> | undefined = options.redis ? connectRedis(options.redis) : undefined;
  // A handle that fails to open fails the calls that need it (and close() skips it): never unhandled.
  redis?.catch(() => {});
  const limiter = new RateLimiter({
    namespace: definition.id,
    buckets: definition.buckets,
    redis,
    // Only an injected clock: by default the limiter spaces calls on a sub-millisecond monotonic clock.
    ...(options.now ? { now: options.now } : {}),
  });
  const breakers = resilience.circuitBreaker
    ? new CircuitBreakers({ namespace: definition.id, spec: resilience.circuitBreaker, redis, now })
    : undefined;
  const bulkhead = resilience.bulkhead ? new Bulkhead(definition.id, resilience.bulkhead) : undefined;
  const quota = new TenantQuota({
    namespace: definition.id,
    default: options.quota?.default,
    tenants: options.quota?.tenants,
    redis,
    now,
  });
  const cursors = createCursorCodec({ secret: options.cursorSecret, now });
  /** Set by the first close(); later ones wait for the same shutdown instead of closing anything twice. */
  let closing: Promise<void> | undefined;
  let cachedClient: { credential: Credential | undefined; client: Client } | undefined;

  const clientFor = (credential: Credential | undefined): Client => {
    if (!cachedClient || cachedClient.credential?.value !== credential?.value) {
      cachedClient = { credential, client: definition.client(credential) };
    }
    return cachedClient.client;
  };

  const emit = (listener: CallEventListener | undefined, event: CallEvent) => {
    if (!listener) return;
    try {
      listener(redactValue(event));
    } catch {
      // Logging must never fail the call it describes.
    }
  };

  const enabledTools = () => sortedTools.filter((tool) => writesAllowed || tool.annotations.readOnly);

  async function call(
    toolName: string,
    rawInput: unknown,
    callOptions: CallOptions = {},
  ): Promise<CallResult> {
    const tool = toolsByName.get(toolName);
    // The name of an unknown tool is caller input: it goes into spans, events and the audit trail redacted.
    const toolLabel = tool ? toolName : redactText(String(toolName)).slice(0, 128);
    const refusal = (): ConnectorError | undefined => {
      if (!tool) {
        return new ConnectorError({
          code: "invalid_input",
          message: `Unknown tool "${toolName}" for connector ${definition.id}.`,
          hint: `Use one of: ${enabledTools()
            .map((candidate) => candidate.name)
            .join(", ")}.`,
          connector: definition.id,
        });
      }
      if (!tool.annotations.readOnly && !writesAllowed) {
        return new ConnectorError({
          code: "permission_denied",
          message: `${toolName} changes data and writes are not allowed for connector ${definition.id}.`,
          hint: "This connector is read-only here; do not retry. The operator can enable writes (allowWrites / --allow-writes).",
          notApplied: true,
          connector: definition.id,
          tool: toolName,
        });
      }
      return undefined;
    };

    const tenant = callOptions.tenant ?? DEFAULT_TENANT;
    const callId = randomUUID();
    const startedAt = now();
    const span = startCallSpan(options.tracer, { connector: definition.id, tool: toolLabel, tenant });
    const base = { connector: definition.id, tool: toolLabel, tenant, callId };
    emit(options.onEvent, { type: "call.start", ...base });

    const recorder: CallRecorder = {
      pages: 0,
      requestIds: [],
      continueAt: undefined,
      listedCount: undefined,
    };
    let attempts = 0;
    let rateLimitWaitMs = 0;
    let rateLimitState: BucketState | undefined;
    let quotaState: QuotaState | undefined;
    let credentialRefreshed = false;
    let circuitState: CircuitStatus | undefined;
    let approvalRecord: ApprovalRecord | undefined;
    let auditedInput: unknown = redactValue(rawInput);

    const metadata = (extra: {
      outputBytes: number;
      outputTokens: number;
      truncated: boolean;
    }): CallMetadata => ({
      callId,
      attempts,
      durationMs: now() - startedAt,
      rateLimitWaitMs,
      pages: recorder.pages,
      requestIds: [...recorder.requestIds],
      rateLimit: rateLimitState,
      quota: quotaState,
      credentialRefreshed,
      approval: approvalRecord,
      circuit: circuitState,
      bulkhead: bulkhead?.load(),
      ...extra,
    });

    const timeoutMs = Math.min(
      callOptions.deadlineMs ?? options.deadlineMs ?? DEFAULT_DEADLINE_MS,
      options.maxDeadlineMs ?? DEFAULT_MAX_DEADLINE_MS,
    );
    const deadline = createDeadline({ timeoutMs, parent: callOptions.signal, now });
    const classify = (error: unknown): ConnectorError => {
      // Whatever the upstream client threw while being aborted, or at the deadline itself (its own timeout set to
      // the same instant can fire before ours), the real story is the deadline or the caller.
      return deadline.reason() ?? toConnectorError(error, definition.mapError);
    };

    try {
      const refused = refusal();
      if (refused || !tool) throw refused;
      const parsed = tool.input.safeParse(rawInput ?? {});
      if (!parsed.success) throw invalidInputError(parsed.error, toolName);
      const input = parsed.data;
      auditedInput = redactValue(input);
      const approvedTargets = await approveIfNeeded({
        tool,
        input,
        tenant,
        connectorId: definition.id,
        isListed: definition.isListed,
        options: options.approval,
        approve: callOptions.approve,
        signal: deadline.signal,
        onRecord: (record) => {
          approvalRecord = record;
        },
      });
      quotaState = await quota.take(tenant);

      const bucket = tool.rateLimit?.bucket ?? (tool.annotations.readOnly ? "read" : "write");
      const limited = limiter.hasBucket(bucket);
      const subKey = tool.rateLimit?.key?.(input);
      const queryHash = hashQuery(input);

      const runAttempt = async (attempt: number, credential: Credential | undefined) => {
        const parentKey = credentialKey(credential);
        const key = subKey ? `${parentKey}:${subKey}` : parentKey;
        const context = createToolContext({
          client: clientFor(credential),
          credential,
          signal: deadline.signal,
          deadlineAt: deadline.at,
          tenant,
          connector: definition.id,
          tool: toolName,
          attempt,
          approvedTargets,
          queryHash,
          cursors,
          recorder,
          // Upstream headers describe the credential's budget, so they apply to every sub-key of it.
          observe: (observed, observedBucket) =>
            limiter.observe(observedBucket ?? bucket, parentKey, observed),
          onProgress: callOptions.onProgress,
        });
        const execute = () => raceSignal(tool.execute(input, context), deadline.signal);
        // The bulkhead bounds requests in flight to the upstream; calls waiting for their rate limit wait in
        // the limiter's queue instead, so a burst the limiter paces is not turned away by a full bulkhead.
        const bulkheaded = bulkhead ? () => bulkhead.run(deadline.signal, execute) : execute;
        // An upstream's 429 pauses every caller of the bucket. The pause is set inside the scheduled call, before
        // its slot goes back to the limiter, so the calls queued behind it are held by it rather than sent (the
        // limiter starts the next call as soon as a slot is free). The limiter's own refusals (no room before a
        // call's deadline) come from outside the scheduled call and pause nothing.
        const pausingOn429 = async () => {
          try {
            return await bulkheaded();
          } catch (error) {
            const mapped = classify(error);
            if (mapped.code === "rate_limited" && mapped.retryAfterMs !== undefined) {
              limiter.pauseUntil(bucket, key, now() + mapped.retryAfterMs);
            }
            throw mapped;
          }
        };
        const limitedExecute = async () => {
          if (!limited) return await bulkheaded();
          const scheduled = await limiter.schedule(
            {
              bucket,
              key,
              parentKey: subKey ? parentKey : undefined,
              signal: deadline.signal,
              deadlineAt: deadline.at,
              onStart: (waitedMs) => {
                rateLimitWaitMs += waitedMs;
              },
            },
            pausingOn429,
          );
          return scheduled.value;
        };
        // Order: circuit (fail fast) -> rate limit -> bulkhead (bounded slots) -> upstream. The breaker only
        // ever sees classified errors, so it can tell an upstream failure from a caller mistake.
        const classified = async () => {
          try {
            return await limitedExecute();
          } catch (error) {
            throw classify(error);
          }
        };
        const circuitKey = resilience.circuitBreaker?.perCredential ? parentKey : "upstream";
        try {
          return await (breakers ? breakers.run(circuitKey, deadline.signal, classified) : classified());
        } finally {
          if (limited) rateLimitState = limiter.state(bucket, key, subKey ? parentKey : undefined);
          circuitState = breakers?.state(circuitKey);
        }
      };

      const outcome = await retryWithBackoff(
        async ({ attempt }) => {
          attempts = attempt;
          // A credential refresh is shared and bounded on its own; this call stops waiting at its deadline.
          const credential = definition.credentials
            ? await raceSignal(definition.credentials.get({ signal: deadline.signal }), deadline.signal)
            : undefined;
          try {
            return await runAttempt(attempt, credential);
          } catch (error) {
            const mapped = classify(error);
            // One fresh credential per call: an expired token is refreshed once, a wrong one fails fast.
            if (
              mapped.code !== "unauthenticated" ||
              !definition.credentials ||
              !credential ||
              credentialRefreshed
            ) {
              throw mapped;
            }
            definition.credentials.invalidate(credential);
            const fresh = await raceSignal(
              definition.credentials.get({ signal: deadline.signal }),
              deadline.signal,
            );
            // A provider with nothing newer (a fixed token) would only be rejected again.
            if (fresh.value === credential.value) throw mapped;
            credentialRefreshed = true;
            emit(options.onEvent, { type: "call.credential_refreshed", ...base });
            return await runAttempt(attempt, fresh);
          }
        },
        {
          policy: retryPolicy,
          deadlineAt: deadline.at,
          signal: deadline.signal,
          idempotent: tool.annotations.readOnly || tool.annotations.idempotent,
          mayRetry: (error) => !isCircuitOpenError(error),
          classify,
          ...(options.random ? { random: options.random } : {}),
          now,
          onRetry: ({ attempt, error, delayMs }) => {
            // Waiting out an upstream rate limit is rate-limit wait too, not just the limiter's queue.
            if (error.code === "rate_limited") rateLimitWaitMs += delayMs;
            emit(options.onEvent, { type: "call.retry", ...base, attempt, code: error.code, delayMs });
          },
        },
      );

      const validated = tool.publishedOutput.safeParse(outcome.value);
      if (!validated.success) {
        throw new ConnectorError({
          code: "internal",
          message: `${toolName} produced output that does not match its own schema.`,
          cause: validated.error,
        });
      }
      const validOutput = validated.data as Record<string, unknown>;
      // Redacting string by string costs per string; one scan of the serialized result says whether to.
      const output = mayContainSecret(JSON.stringify(validOutput)) ? redactStrings(validOutput) : validOutput;
      const callBudget: OutputBudget = callOptions.maxOutputTokens
        ? { ...budget, maxTokens: Math.min(budget.maxTokens, callOptions.maxOutputTokens) }
        : budget;
      const items = output.items;
      const canCutList = Array.isArray(items) && recorder.listedCount === items.length;
      const budgeted = applyOutputBudget(output, callBudget, canCutList ? recorder.continueAt : undefined);
      const result: CallResult = {
        output: budgeted.output,
        metadata: metadata({
          outputBytes: budgeted.size.bytes,
          outputTokens: budgeted.size.tokens,
          truncated: budgeted.truncated,
        }),
      };
      emit(options.onEvent, { type: "call.end", ...base, outcome: "ok", metadata: result.metadata });
      options.audit?.record(auditRecord({ base, startedAt, input: auditedInput, metadata: result.metadata }));
      endCallSpan(span, result.metadata, undefined);
      return result;
    } catch (thrown) {
      const failure = thrown instanceof RetryExhaustedError ? thrown.error : classify(thrown);
      const error = failure.withContext({ connector: definition.id, tool: toolLabel });
      const failed = metadata({ outputBytes: 0, outputTokens: 0, truncated: false });
      emit(options.onEvent, {
        type: "call.end",
        ...base,
        outcome: error.code,
        metadata: failed,
        error: { code: error.code, message: error.message, retryable: error.retryable },
      });
      endCallSpan(span, failed, error);
      options.audit?.record(auditRecord({ base, startedAt, input: auditedInput, metadata: failed, error }));
      throw error;
    } finally {
      deadline.dispose();
    }
  }

  return {
    id: definition.id,
    title: definition.title,
    tools: sortedTools,
    writesAllowed,
    enabledTools,
    describeTools: () => enabledTools().map(describeTool),
    call,
    previewApproval(toolName, rawInput) {
      const tool = toolsByName.get(toolName);
      const parsed = tool?.input.safeParse(rawInput ?? {});
      if (!tool || !parsed?.success) return undefined;
      return previewApproval(tool, parsed.data, definition.isListed, options.approval);
    },
    resilience: () => ({ circuits: breakers?.all() ?? [], bulkhead: bulkhead?.load() }),
    diagnose: async (diagnoseOptions) => ({
      ...(await diagnoseConnector({
        id: definition.id,
        credentials: definition.credentials,
        probe: definition.probe,
        clientFor,
        deadlineMs: diagnoseOptions?.deadlineMs ?? 10_000,
        classify: (error) => toConnectorError(error, definition.mapError),
        now,
      })),
      circuit: await breakers?.inspect("upstream"),
      bulkhead: bulkhead?.load(),
    }),
    close() {
      closing ??= (async () => {
        // The limiter first: it refuses the calls still waiting and closes its own Redis clients. Then the
        // handle's client, which this connector opened and alone closes (a client passed in is left open).
        await limiter.close();
        await (await redis?.catch(() => undefined))?.close();
        await definition.close?.();
      })();
      return closing;
    },
  };
}
