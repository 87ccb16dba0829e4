// Errors

export type { Allowlist } from "./allowlist/allowlist.js";
export { createAllowlist, parseAllowlist } from "./allowlist/allowlist.js";
export type {
  ApprovalCallback,
  ApprovalDecision,
  ApprovalOptions,
  ApprovalPolicy,
  ApprovalRecord,
  ApprovalRequest,
} from "./approval/approval.js";
// Approval for destructive calls
export { policyFor } from "./approval/approval.js";
export { requestApproval } from "./approval/request-approval.js";
export type { AuditFilter } from "./audit/audit-query.js";
export { matchesAuditFilter, parseSince, queryJsonLinesAudit } from "./audit/audit-query.js";
// Audit trail
export type { AuditRecord, AuditSink } from "./audit/audit-record.js";
export type { AuditTrailOptions, AuditTrailStats } from "./audit/audit-trail.js";
export { AuditTrail } from "./audit/audit-trail.js";
export { jsonLinesAuditSink } from "./audit/json-lines-sink.js";
export type { ApprovalPreview } from "./connector/approve-if-needed.js";
export type { CallMetadata } from "./connector/call-metadata.js";
export type { CallOptions, CallResult } from "./connector/call-options.js";
export type { ConnectorDefinition, ConnectorRuntimeOptions } from "./connector/connector-options.js";
export type { ConnectorInstance } from "./connector/create-connector.js";
// Connector instance and pipeline
export { createConnector } from "./connector/create-connector.js";
export type { ConnectorProbe, Diagnosis, DiagnosisProblem, ProbeResult } from "./connector/diagnosis.js";
export type { Credential, CredentialProvider, GetCredentialOptions } from "./credentials/credential.js";
// Credentials
export { credentialKey } from "./credentials/credential.js";
export type {
  CredentialReference,
  CredentialResolver,
  CredentialResolverContext,
} from "./credentials/credential-references.js";
export {
  credentialFromSetting,
  parseCredentialReference,
  registerCredentialResolver,
} from "./credentials/credential-references.js";
export type {
  CredentialCoordinator,
  RedisCredentialCoordinatorOptions,
} from "./credentials/redis-credential-coordinator.js";
export { redisCredentialCoordinator } from "./credentials/redis-credential-coordinator.js";
export type { RefreshingCredentialsOptions } from "./credentials/refreshing-credentials.js";
export { refreshingCredentials } from "./credentials/refreshing-credentials.js";
export type { FromEnvOptions } from "./credentials/static-credentials.js";
export { credentialsMissing, fromEnv, fromValue } from "./credentials/static-credentials.js";
export type { Deadline, DeadlineOptions } from "./deadline/deadline.js";
// Deadlines and retry
export { createDeadline, sleep } from "./deadline/deadline.js";
export type {
  ConnectorErrorJson,
  ConnectorErrorOptions,
  ErrorCauseSummary,
  UpstreamErrorInfo,
} from "./errors/connector-error.js";
export { ConnectorError, summarizeCause } from "./errors/connector-error.js";
export type { ErrorCode, ErrorCodeInfo, ErrorFault } from "./errors/error-codes.js";
export { ERROR_CODE_INFO, ERROR_CODES, isErrorCode } from "./errors/error-codes.js";
export type { ErrorMapper } from "./errors/to-connector-error.js";
export { invalidInputError, toConnectorError } from "./errors/to-connector-error.js";
export type { HttpStatusErrorInput } from "./http/http-status-error.js";
// HTTP helpers for connectors
export { cleanUpstreamMessage, codeForHttpStatus, httpStatusError } from "./http/http-status-error.js";
export { networkError } from "./http/network-error.js";
export { parseEpochSecondsReset, parseIsoReset, parseRetryAfter } from "./http/parse-retry-after.js";
export type { CallEvent, CallEventListener } from "./observability/call-events.js";
export type { OutputSize } from "./output/measure-output.js";
export { BYTES_PER_TOKEN, measureOutput } from "./output/measure-output.js";
export type { BudgetedOutput, ContinueAt, OutputBudget } from "./output/output-budget.js";
// Output budget
export { applyOutputBudget, DEFAULT_OUTPUT_BUDGET } from "./output/output-budget.js";
export type { CollectedPage, CollectPageOptions } from "./pagination/collect-page.js";
export { collectPage } from "./pagination/collect-page.js";
export type {
  CursorBinding,
  CursorCodec,
  CursorCodecOptions,
  CursorState,
} from "./pagination/cursor-codec.js";
// Pagination
export { createCursorCodec, hashQuery } from "./pagination/cursor-codec.js";
export type { FetchPage, Page, PageWithPosition, PaginateOptions } from "./pagination/paginate.js";
export { paginate } from "./pagination/paginate.js";
export type { OffsetPage } from "./pagination/strategies.js";
export {
  nextFromCursorToken,
  nextFromKeyset,
  nextFromLinkHeader,
  nextFromOffset,
} from "./pagination/strategies.js";
export type { BucketBudget, BucketSpec, BucketSpecs } from "./rate-limit/bucket-spec.js";
export type {
  BucketState,
  RateLimiterOptions,
  Scheduled,
  ScheduleOptions,
} from "./rate-limit/rate-limiter.js";
// Rate limits and quotas
export { RateLimiter } from "./rate-limit/rate-limiter.js";
export type { QuotaSpec, QuotaState, TenantQuotaOptions } from "./rate-limit/tenant-quota.js";
export { TenantQuota } from "./rate-limit/tenant-quota.js";
// Redaction and observability
export {
  forgetSecret,
  mayContainSecret,
  redactStrings,
  redactText,
  redactValue,
  registerSecret,
} from "./redaction/redactor.js";
export type { TokenPattern } from "./redaction/token-patterns.js";
export { TOKEN_PATTERNS } from "./redaction/token-patterns.js";
export type { RedisHandle, RedisHandleSource, RedisOptions } from "./redis/redis-connection.js";
export { connectRedis } from "./redis/redis-connection.js";
export type { BulkheadLoad } from "./resilience/bulkhead.js";
export { Bulkhead } from "./resilience/bulkhead.js";
export type {
  BulkheadSpec,
  CircuitBreakerSpec,
  ResilienceOptions,
} from "./resilience/circuit-breaker-spec.js";
// Resilience: circuit breakers and bulkheads
export { BREAKER_FAILURE_CODES } from "./resilience/circuit-breaker-spec.js";
export type {
  CircuitBreakersOptions,
  CircuitStateName,
  CircuitStatus,
} from "./resilience/circuit-breakers.js";
export { CircuitBreakers, isCircuitOpenError } from "./resilience/circuit-breakers.js";
export type { RetryPolicy } from "./retry/retry-policy.js";
export { backoffDelay, DEFAULT_RETRY_POLICY } from "./retry/retry-policy.js";
export type { RetryEvent, RetryOptions, RetryOutcome } from "./retry/retry-with-backoff.js";
export { RetryExhaustedError, retryWithBackoff } from "./retry/retry-with-backoff.js";
// Settings
export { nonEmptySetting, parseUrlSetting } from "./settings/setting-values.js";
export type { AnyToolDefinition, ToolDefinition, ToolRateLimit, ToolSpec } from "./tool/define-tool.js";
// Tools
export { defineTool } from "./tool/define-tool.js";
export { listInputShape, listOutputSchema } from "./tool/list-output.js";
export type { ToolAnnotations } from "./tool/tool-annotations.js";
export { READ_ANNOTATIONS } from "./tool/tool-annotations.js";
export type { ListOptions, ListResult, ProgressUpdate, ToolContext } from "./tool/tool-context.js";
export type { JsonSchema, ToolDescription } from "./tool/tool-json-schema.js";
export { compactJsonSchema, describeTool } from "./tool/tool-json-schema.js";
export { assertToolName, MAX_TOOL_NAME_LENGTH } from "./tool/tool-name.js";
// Untrusted content and allowlists
export {
  markUntrusted,
  sanitizeUntrustedText,
  UNTRUSTED_CLOSE,
  UNTRUSTED_OPEN,
} from "./untrusted/untrusted-text.js";
