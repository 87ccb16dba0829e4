import type { Credential } from "../credentials/credential.js";
import type { BulkheadLoad } from "../resilience/bulkhead.js";
import type { CircuitStatus } from "../resilience/circuit-breakers.js";

/** What a connector's own probe found out about its upstream and credential. */
export interface ProbeResult {
  /** Who the credential acts as (`octocat`, `app installation 42`, `U123 in T456`). */
  readonly identity?: string | undefined;
  /** Scopes or permissions the credential carries, when the upstream tells. */
  readonly scopes?: readonly string[] | undefined;
  readonly rateLimit?:
    | {
        readonly limit?: number | undefined;
        readonly remaining?: number | undefined;
        readonly resetAt?: number | undefined;
      }
    | undefined;
  /** Anything the probe found wrong that did not throw (a missing scope the tools need). */
  readonly problems?: readonly DiagnosisProblem[] | undefined;
}

export interface DiagnosisProblem {
  readonly message: string;
  /** What the operator should do. */
  readonly fix: string;
}

/** A health report for `switchyard doctor`. Never contains a secret. */
export interface Diagnosis extends ProbeResult {
  /** The upstream's circuit (shared through Redis when configured). */
  readonly circuit?: CircuitStatus | undefined;
  /** This process's bulkhead load for the upstream. */
  readonly bulkhead?: BulkheadLoad | undefined;
  readonly connector: string;
  readonly credentialsFound: boolean;
  /** Where credentials are read from, e.g. "the GITHUB_TOKEN environment variable". */
  readonly credentialSource?: string;
  readonly reachable: boolean;
  readonly problems: readonly DiagnosisProblem[];
  readonly durationMs: number;
}

/** A connector's probe: one cheap identity call, run with the connector's client and credential. */
export type ConnectorProbe<Client> = (context: {
  readonly client: Client;
  readonly credential: Credential | undefined;
  readonly signal: AbortSignal;
}) => Promise<ProbeResult>;
