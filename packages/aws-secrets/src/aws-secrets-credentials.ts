import { createHash } from "node:crypto";
import { inspect } from "node:util";
import {
  GetSecretValueCommand,
  type SecretsManagerClient,
  type SecretsManagerClientConfig,
} from "@aws-sdk/client-secrets-manager";
import {
  ConnectorError,
  type Credential,
  type CredentialCoordinator,
  type CredentialProvider,
  createDeadline,
  DEFAULT_RETRY_POLICY,
  RetryExhaustedError,
  type RetryPolicy,
  refreshingCredentials,
  retryWithBackoff,
} from "@switchyard/core";
import { createSecretsManagerClient, resolveRegion } from "./aws-secrets-client.js";
import { mapSecretsManagerError, type SecretReadTarget } from "./aws-secrets-error.js";
import { selectSecretValue } from "./aws-secrets-value.js";

export const DEFAULT_TTL_MS = 5 * 60 * 1000;
export const DEFAULT_REFRESH_AHEAD_MS = 30 * 1000;
export const DEFAULT_READ_TIMEOUT_MS = 10 * 1000;

export interface AwsSecretsCredentialsOptions {
  /** The secret's name or full ARN (an ARN also selects the secret's region). */
  readonly secretId: string;
  /** A field of a JSON SecretString (`{"token": "..."}`) to hand out instead of the whole string. */
  readonly key?: string | undefined;
  /**
   * A client to use as it is. Give it `maxAttempts: 1`, or the SDK's retries multiply ours. When absent a
   * client is built from `clientConfig`.
   */
  readonly client?: SecretsManagerClient | undefined;
  /** Config for the client built here (region, credentials, endpoint...); `maxAttempts` is forced to 1. */
  readonly clientConfig?: SecretsManagerClientConfig | undefined;
  /** How long a value is served from cache before Secrets Manager is asked again. Default 5 minutes. */
  readonly ttlMs?: number | undefined;
  /**
   * The re-read starts this long before the TTL ends; if it fails, the cached value is still served until the
   * TTL really ends. Default 30 s (at most half the TTL).
   */
  readonly refreshAheadMs?: number | undefined;
  /** Shares reads between processes (core's Redis coordinator): one GetSecretValue per TTL for all of them. */
  readonly coordinator?: CredentialCoordinator | undefined;
  /** Clock for the cache (not for network timeouts). */
  readonly now?: (() => number) | undefined;
  /** Bound on one GetSecretValue, retries included (a rotation check reads two stages). Default 10 s. */
  readonly timeoutMs?: number | undefined;
  /** Backoff for throttling, 5xx and network failures; core's defaults (3 retries, 250 ms base). */
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Names the credential in errors; default names the secret and key. */
  readonly description?: string | undefined;
}

const CURRENT = "AWSCURRENT";
const PENDING = "AWSPENDING";

/**
 * Which version stage the next read hands out. Transitions (fp = a SHA-256 fingerprint of a value; the
 * provider never keeps a rejected value itself):
 *
 *   current          (start) the next read hands out AWSCURRENT.
 *     invalidate(the AWSCURRENT value last handed out)     -> suspect{rejected: fp}
 *
 *   suspect{rejected}  the consumer reported the AWSCURRENT value as refused. Forced re-read of AWSCURRENT:
 *     - its value differs from the rejected one (rotated, or fixed by hand)       -> hand it out, current
 *     - same value: single-user rotation may be mid-way (the upstream already has the AWSPENDING value,
 *       finishSecret has not moved AWSCURRENT yet). Read AWSPENDING:
 *         exists, differs from the rejected value, not rejected itself before    -> hand it out,
 *                                                                                    pending{rejectedCurrent: fp}
 *         missing, unreadable (not found / denied), or no different             -> hand AWSCURRENT out anyway
 *                                                                                    (nothing better; the consumer
 *                                                                                    fails it), current
 *       A throttled / failed AWSPENDING read fails the refresh and stays in suspect.
 *
 *   pending{rejectedCurrent}  the AWSPENDING value is being handed out. On every re-read (TTL, refresh-ahead):
 *     - AWSCURRENT differs from rejectedCurrent (rotation finished; usually it is the pending value now)
 *                                                                                 -> hand it out, current
 *     - AWSCURRENT is still the rejected value: re-read AWSPENDING and keep handing it out while it
 *       exists and differs (stay in pending); otherwise hand out AWSCURRENT, current
 *     invalidate(the AWSPENDING value)  the pending value is refused too: remember its fp (it is never
 *       handed out again) and go back to AWSCURRENT: the next read hands AWSCURRENT out as it is -> current
 *
 * invalidate() of a value this provider did not hand out last (a stale copy held by another call) changes
 * nothing. A read that fails leaves the state as it was.
 */
type RotationState =
  | { readonly kind: "current" }
  | { readonly kind: "suspect"; readonly rejected: string }
  | { readonly kind: "pending"; readonly rejectedCurrent: string };

interface ReadVersion {
  readonly value: string;
  readonly versionId: string | undefined;
  readonly stage: string;
}

function fingerprint(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/** The stable, non-secret identity of a secret reference: rate limits and caches key on it. */
export function awsSecretCredentialId(secretId: string, key?: string): string {
  return `aws-sm:${secretId}${key === undefined ? "" : `#${key}`}`;
}

/** Keeps `console.log(credential)` and `util.inspect` from printing the value (JSON is left alone: the
 * Redis coordinator stores credentials as JSON). */
function hideValueFromInspect(credential: Credential): Credential {
  Object.defineProperty(credential, inspect.custom, {
    enumerable: false,
    value: () => ({ ...credential, value: "[REDACTED]" }),
  });
  return credential;
}

/**
 * A CredentialProvider backed by one AWS Secrets Manager secret (or one key of a JSON secret): cached for a
 * TTL with refresh-ahead, single-flight (however many calls need the value, one GetSecretValue runs), re-read
 * when the consumer reports it refused, and AWSPENDING-aware during a rotation (see RotationState).
 */
export function awsSecretsCredentials(options: AwsSecretsCredentialsOptions): CredentialProvider {
  const { secretId, key } = options;
  if (!secretId) throw new TypeError("awsSecretsCredentials: secretId is required");
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const refreshAheadMs = Math.min(options.refreshAheadMs ?? DEFAULT_REFRESH_AHEAD_MS, ttlMs / 2);
  const timeoutMs = options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? Date.now;
  const id = awsSecretCredentialId(secretId, key);
  const description =
    options.description ??
    `AWS Secrets Manager secret "${secretId}"${key === undefined ? "" : ` (key "${key}")`}`;
  let client = options.client;
  const getClient = () => {
    client ??= createSecretsManagerClient(
      options.clientConfig,
      resolveRegion(secretId, options.clientConfig),
    );
    return client;
  };

  let state: RotationState = { kind: "current" };
  /** fps of AWSPENDING values the consumer refused: never handed out again. */
  const rejectedPending = new Set<string>();
  /** The credential last handed out, to recognise an invalidate() that is about it. */
  let lastHandedOut: Credential | undefined;

  /** One GetSecretValue for a stage, with bounded retries under one deadline; the value is selected and registered. */
  const read = async (stage: string, signal: AbortSignal | undefined): Promise<ReadVersion> => {
    const target: SecretReadTarget = { secretId, key, stage };
    const deadline = createDeadline({ timeoutMs, parent: signal });
    const classify = (error: unknown): ConnectorError => {
      if (deadline.signal.aborted) {
        const reason = ConnectorError.isInstance(signal?.reason) ? signal.reason : deadline.reason();
        if (reason) return reason.with({ message: `${reason.message} (reading ${description})` });
      }
      return mapSecretsManagerError(error, target);
    };
    try {
      const { value: output } = await retryWithBackoff(
        () =>
          getClient().send(
            new GetSecretValueCommand({
              SecretId: secretId,
              ...(stage === CURRENT ? {} : { VersionStage: stage }),
            }),
            { abortSignal: deadline.signal },
          ),
        { policy, deadlineAt: deadline.at, signal: deadline.signal, idempotent: true, classify },
      );
      const value = selectSecretValue(
        { secretString: output.SecretString, secretBinary: output.SecretBinary },
        target,
      );
      return { value, versionId: output.VersionId, stage };
    } catch (error) {
      if (error instanceof RetryExhaustedError) {
        const exhausted = error.error;
        if (error.attempts <= 1 || !exhausted.retryable) throw exhausted;
        throw exhausted.with({
          message: `${exhausted.message} (gave up after ${error.attempts} attempts)`,
          details: { ...exhausted.details, attempts: error.attempts },
        });
      }
      throw classify(error);
    } finally {
      deadline.dispose();
    }
  };

  /** AWSPENDING if it can be read; undefined when it does not exist or may not be read. */
  const readPending = async (signal: AbortSignal | undefined): Promise<ReadVersion | undefined> => {
    try {
      return await read(PENDING, signal);
    } catch (error) {
      if (
        ConnectorError.isInstance(error) &&
        ["credentials_missing", "permission_denied", "invalid_response"].includes(error.code)
      ) {
        return undefined;
      }
      throw error;
    }
  };

  const issue = (version: ReadVersion, next: RotationState, startedIn: RotationState): Credential => {
    // An invalidate() that arrived during the read wins over the read's conclusion.
    if (state === startedIn) state = next;
    return hideValueFromInspect({
      value: version.value,
      id,
      expiresAt: now() + ttlMs,
      attributes: {
        source: "aws-secrets-manager",
        versionStage: version.stage,
        ...(version.versionId ? { versionId: version.versionId } : {}),
      },
    });
  };

  const refresh = async (signal?: AbortSignal): Promise<Credential> => {
    const startedIn = state;
    const current = await read(CURRENT, signal);
    if (startedIn.kind === "current") return issue(current, { kind: "current" }, startedIn);
    const rejected = startedIn.kind === "suspect" ? startedIn.rejected : startedIn.rejectedCurrent;
    if (fingerprint(current.value) !== rejected) return issue(current, { kind: "current" }, startedIn);
    const pending = await readPending(signal);
    if (pending) {
      const pendingFp = fingerprint(pending.value);
      if (pendingFp !== rejected && !rejectedPending.has(pendingFp)) {
        return issue(pending, { kind: "pending", rejectedCurrent: rejected }, startedIn);
      }
    }
    return issue(current, { kind: "current" }, startedIn);
  };

  // The TTL is carried as the credential's expiresAt, so core refreshes `refreshAheadMs` before it and keeps
  // serving the cached value if that early re-read fails, until the TTL really ends.
  const cache = refreshingCredentials({
    description,
    refresh,
    refreshAheadMs,
    now,
    ...(options.coordinator ? { coordinator: options.coordinator } : {}),
  });

  return {
    description,
    async get(getOptions) {
      const credential = await cache.get(getOptions);
      lastHandedOut = credential;
      return credential;
    },
    invalidate(credential) {
      if (lastHandedOut && credential.value === lastHandedOut.value) {
        const stage = credential.attributes?.versionStage;
        if (stage === PENDING) {
          if (rejectedPending.size >= 16) rejectedPending.clear();
          rejectedPending.add(fingerprint(credential.value));
          state = { kind: "current" };
        } else {
          state = { kind: "suspect", rejected: fingerprint(credential.value) };
        }
      }
      cache.invalidate(credential);
    },
  };
}
