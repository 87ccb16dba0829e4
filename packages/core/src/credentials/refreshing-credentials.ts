import { registerSecret } from "../redaction/redactor.js";
import type { Credential, CredentialProvider, GetCredentialOptions } from "./credential.js";
import type { CredentialCoordinator } from "./redis-credential-coordinator.js";

export interface RefreshingCredentialsOptions {
  readonly description: string;
  /**
   * Obtains a new credential (exchange a JWT, call a refresh endpoint, read a secret store). The signal is the
   * refresh's own timeout, never one caller's cancellation: every waiting caller shares the result, and a
   * rotating refresh token must not be lost because the first caller gave up.
   */
  readonly refresh: (signal?: AbortSignal) => Promise<Credential>;
  /** Bound on one refresh. Default 30 s. */
  readonly refreshTimeoutMs?: number;
  /** Refresh this long before `expiresAt`. Default 5 minutes. */
  readonly refreshAheadMs?: number;
  /** Cache lifetime for credentials without an expiry (a secret-store read). Default: forever. */
  readonly ttlMs?: number;
  /** Coordinates refreshes across processes (Redis lock + shared value), so they refresh once, not once each. */
  readonly coordinator?: CredentialCoordinator;
  readonly now?: () => number;
}

/**
 * A cached credential that refreshes ahead of expiry and on demand, single-flight: however many calls need a
 * new credential at once, exactly one refresh runs and all of them get its result.
 */
export function refreshingCredentials(options: RefreshingCredentialsOptions): CredentialProvider {
  const now = options.now ?? Date.now;
  const refreshAheadMs = options.refreshAheadMs ?? 5 * 60 * 1000;
  let current: { credential: Credential; fetchedAt: number } | undefined;
  let inFlight: Promise<Credential> | undefined;
  /** The value last reported as rejected: a shared (Redis) copy of it must not be taken as the fix. */
  let rejected: Credential | undefined;

  const isFresh = (entry: { credential: Credential; fetchedAt: number }) => {
    const { expiresAt } = entry.credential;
    if (expiresAt !== undefined && now() >= expiresAt - refreshAheadMs) return false;
    if (options.ttlMs !== undefined && now() - entry.fetchedAt >= options.ttlMs) return false;
    return true;
  };

  const ownSignal = () => AbortSignal.timeout(options.refreshTimeoutMs ?? 30_000);

  const startRefresh = (stale: Credential | undefined): Promise<Credential> => {
    inFlight ??= (async () => {
      try {
        const credential = options.coordinator
          ? await options.coordinator.refresh({ stale, refresh: () => options.refresh(ownSignal()) })
          : await options.refresh(ownSignal());
        registerSecret(credential.value);
        current = { credential, fetchedAt: now() };
        return credential;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  return {
    description: options.description,
    async get(getOptions: GetCredentialOptions = {}) {
      if (inFlight) return inFlight;
      if (current && !getOptions.forceRefresh && isFresh(current)) return current.credential;
      const previous = current;
      try {
        // The caller's signal bounds its own wait (the pipeline races it), not the shared refresh.
        return await startRefresh(previous?.credential ?? rejected);
      } catch (error) {
        // A failed refresh-ahead still leaves a usable credential until it really expires.
        const expiresAt = previous?.credential.expiresAt;
        if (!getOptions.forceRefresh && previous && (expiresAt === undefined || now() < expiresAt)) {
          return previous.credential;
        }
        throw error;
      }
    },
    invalidate(credential) {
      // Only the value that was rejected is dropped: a call holding an older value must not discard a newer one.
      if (current?.credential.value === credential.value) {
        current = undefined;
        rejected = credential;
      }
    },
  };
}
