import type { Tracer } from "@opentelemetry/api";
import type { ApprovalOptions } from "../approval/approval.js";
import type { AuditTrail } from "../audit/audit-trail.js";
import type { Credential, CredentialProvider } from "../credentials/credential.js";
import type { ErrorMapper } from "../errors/to-connector-error.js";
import type { CallEventListener } from "../observability/call-events.js";
import type { OutputBudget } from "../output/output-budget.js";
import type { BucketSpecs } from "../rate-limit/bucket-spec.js";
import type { QuotaSpec } from "../rate-limit/tenant-quota.js";
import type { RedisOptions } from "../redis/redis-connection.js";
import type { ResilienceOptions } from "../resilience/circuit-breaker-spec.js";
import type { RetryPolicy } from "../retry/retry-policy.js";
import type { AnyToolDefinition } from "../tool/define-tool.js";
import type { ConnectorProbe } from "./diagnosis.js";

/** Settings every connector takes, whatever its upstream. */
export interface ConnectorRuntimeOptions {
  /** Write tools fail with `permission_denied` unless this is true. Default false. */
  readonly allowWrites?: boolean;
  /** Default time budget of one call. Default 30 s. */
  readonly deadlineMs?: number;
  /** Ceiling for a caller-given deadline. Default 120 s. */
  readonly maxDeadlineMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly outputBudget?: Partial<OutputBudget>;
  /** Share rate-limit buckets, pauses and tenant quotas with other processes through Redis. */
  readonly redis?: RedisOptions;
  /** Per-tenant call quotas. */
  readonly quota?: { readonly default?: QuotaSpec; readonly tenants?: Readonly<Record<string, QuotaSpec>> };
  /** HMAC key for list cursors; give all processes behind one load balancer the same key. */
  readonly cursorSecret?: string;
  /** Called with every call event (already redacted); for logs and metering. */
  readonly onEvent?: CallEventListener;
  /** Defaults to the global OpenTelemetry tracer provider (a no-op unless an SDK is registered). */
  readonly tracer?: Tracer;
  /** Clock, for tests. */
  readonly now?: () => number;
  /** Which destructive calls need a person's approval, and who is asked. */
  readonly approval?: ApprovalOptions;
  /** Records every call (redacted) to an audit sink; share one trail between connectors. */
  readonly audit?: AuditTrail;
  /** Circuit breaker and bulkhead per upstream; both on by default, `false` turns one off. */
  readonly resilience?: ResilienceOptions;
  /** Random source for backoff jitter, for tests. */
  readonly random?: () => number;
}

/** What a connector package hands to core to become a connector instance. */
export interface ConnectorDefinition<Client> {
  /** Lower-case id; every tool name starts with `<id>_`. */
  readonly id: string;
  readonly title: string;
  readonly tools: readonly AnyToolDefinition[];
  /** Rate-limit buckets tools draw from (`read`, `write`, `search`, ...). */
  readonly buckets: BucketSpecs;
  readonly credentials?: CredentialProvider | undefined;
  /** Builds the upstream client for a credential; called again only when the credential changes. */
  readonly client: (credential: Credential | undefined) => Client;
  /** Upstream-specific error classification (status codes, error bodies, SQLSTATEs). */
  readonly mapError?: ErrorMapper;
  /** The connector's own resilience defaults (e.g. one circuit per credential); runtime options override. */
  readonly resilience?: ResilienceOptions;
  /** Whether a target (a repository, channel, schema) is inside the connector's allowlists. */
  readonly isListed?: (target: string) => boolean;
  /** One cheap call that shows identity, scopes and remaining budget, for `switchyard doctor`. */
  readonly probe?: ConnectorProbe<Client>;
  /** Releases the connector's own resources (pools, sockets). */
  readonly close?: () => Promise<void>;
  readonly options?: ConnectorRuntimeOptions;
}
