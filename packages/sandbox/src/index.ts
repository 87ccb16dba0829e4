// The sandbox server

export * from "./aws-secrets/index.js";
export type { ControlTarget } from "./control/control-handlers.js";
export { createControlHandlers } from "./control/control-handlers.js";
export type { FaultFlavor } from "./faults/fault-flavor.js";
export { genericFaultFlavor } from "./faults/fault-flavor.js";
export type { FaultHandlerOptions } from "./faults/fault-handler.js";
// Faults
export { createFaultHandler } from "./faults/fault-handler.js";
export type { FaultKind, FaultScope, FaultSpec, FaultStatus } from "./faults/fault-spec.js";
export { FAULT_KINDS, FaultSpecError, parseFaultSpec } from "./faults/fault-spec.js";
export { SandboxFaults, UnknownUpstreamError } from "./faults/sandbox-faults.js";
export type { FaultDecision, UpstreamFaultsOptions } from "./faults/upstream-faults.js";
export { UpstreamFaults } from "./faults/upstream-faults.js";
export { SANDBOX_APP_CLIENT_ID, verifyAppJwt } from "./github/github-app-jwt.js";
export type { GithubSandbox, GithubSandboxOptions } from "./github/github-handlers.js";
// GitHub
export { createGithubSandboxHandlers, GITHUB_ROUTES } from "./github/github-handlers.js";
export type { GithubRoute, RouteResult, ValidationErrorItem } from "./github/github-http.js";
export { GithubContext, GithubError, SUPPORTED_API_VERSIONS } from "./github/github-http.js";
export type { Principal } from "./github/github-model.js";
export type { RateBudget, RateLimitSettings, RateResource } from "./github/github-rate-limit.js";
export { RateLimitLedger } from "./github/github-rate-limit.js";
export {
  API_ISSUE_COUNT,
  APP_BOT_LOGIN,
  DEFAULT_LOGIN,
  OUTSIDER_LOGIN,
  SANDBOX_APP_ID,
  SANDBOX_INSTALLATION_ID,
} from "./github/github-seed.js";
export type { GithubStateOptions, SandboxAppCredentials } from "./github/github-state.js";
export { GithubSandboxState } from "./github/github-state.js";
export type { GithubUpstreamOptions } from "./github/github-upstream.js";
export { GITHUB_SANDBOX_TOKEN, githubUpstream } from "./github/github-upstream.js";
export type {
  HandlerSource,
  MswHttpServer,
  MswRequestListener,
  MswRequestListenerOptions,
  ServeMswHandlersOptions,
} from "./http/msw-http-server.js";
// Low-level HTTP adapter: any MSW handlers over real loopback HTTP
export {
  createMswRequestListener,
  serveMswHandlers,
  toWebRequest,
  writeWebResponse,
} from "./http/msw-http-server.js";
export * from "./jira/index.js";
export * from "./postgres/index.js";
export type { Sandbox, StartSandboxOptions } from "./sandbox.js";
export { startSandbox } from "./sandbox.js";
export * from "./slack/index.js";
export type { SandboxUpstream, UpstreamInstance, UpstreamSetup } from "./upstream.js";
export type { SandboxUpstreamOptions, SandboxUpstreamStates, UpstreamName } from "./upstreams.js";
// Registry
export { isUpstreamName, SANDBOX_UPSTREAMS, UPSTREAM_NAMES } from "./upstreams.js";
