import { createHash } from "node:crypto";
import type { Credential, CredentialProvider } from "@switchyard/core";
import { ConnectorError, registerSecret } from "@switchyard/core";
import type pg from "pg";
import { loadPg } from "./client-libraries.js";
import { connectionLost, trackConnectionLoss } from "./connection-loss.js";
import { isPostgresError, PoolTimeoutError } from "./postgres-error.js";
import type { ConnectionTarget } from "./postgres-settings.js";

export interface PoolOptions {
  readonly target: ConnectionTarget;
  readonly max: number;
  readonly connectionTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxLifetimeSeconds: number;
  readonly maxUses: number | undefined;
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly idleInTransactionTimeoutMs: number;
  readonly applicationName: string;
  /** Sessions start with `default_transaction_read_only = on` (part of the read-only transaction layer). */
  readonly sessionReadOnly: boolean;
}

/** Counters for doctor and tests; never a secret. */
export interface PoolStats {
  readonly max: number;
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
  /** Connections refused with 28P01/28000 and retried once with a refreshed credential. */
  readonly authRetries: number;
  /** Times a new password value was seen (a rotation). */
  readonly rotations: number;
  /** Connections closed because they were opened with a password older than the current one. */
  readonly recycled: number;
  /** Connections that died: idle ones (the pool's `error` listener) and checked-out ones (closed on release). */
  readonly connectionErrors: number;
}

/**
 * One checked-out connection. `release` is idempotent; `release(true)` closes the connection instead of
 * pooling it, and a connection that died while checked out is always closed.
 */
export interface Lease {
  readonly client: pg.PoolClient;
  release(destroy?: boolean): void;
  readonly released: boolean;
}

const AUTH_FAILURES = new Set(["28P01", "28000"]);

/** Passwords are compared by hash, so the pool keeps no copy of old secrets. */
const passwordFingerprint = (value: string) => createHash("sha256").update(value).digest("base64url");

/** Which credential each connection attempt used, so a 28P01 invalidates exactly that one. */
const credentialOfClient = new WeakMap<object, Credential>();
const credentialOfError = new WeakMap<object, Credential>();

let credentialAwareClient: typeof pg.Client | undefined;

/**
 * pg's Client, with one addition: a failed connect remembers the credential it tried. pg-pool hands the
 * connect error to `pool.connect()` unchanged, so the pool can invalidate exactly the rejected value. Built
 * once pg is loaded (on the first connection, see client-libraries.ts).
 */
function credentialAwareClientOf(pgModule: typeof pg): typeof pg.Client {
  if (credentialAwareClient) return credentialAwareClient;
  class CredentialAwareClient extends pgModule.Client {}
  const baseConnect = pgModule.Client.prototype.connect as (
    this: pg.Client,
    callback?: (error?: Error) => void,
  ) => unknown;
  (CredentialAwareClient.prototype as unknown as { connect: typeof baseConnect }).connect = function (
    this: pg.Client,
    callback?: (error?: Error) => void,
  ) {
    if (!callback) return baseConnect.call(this);
    return baseConnect.call(this, (error?: Error) => {
      const credential = credentialOfClient.get(this);
      if (error && typeof error === "object" && credential) credentialOfError.set(error, credential);
      callback(error);
    });
  };
  credentialAwareClient = CredentialAwareClient;
  return CredentialAwareClient;
}

/**
 * A pg Pool with the settings an agent-facing connector needs: a bounded wait for a connection, an `error`
 * listener (an idle connection dying never crashes the process), per-session timeouts and application_name,
 * connection recycling, and a password asked from a CredentialProvider for every new connection. On 28P01
 * the rejected credential is invalidated and the connect retried once with a fresh one; once a new password
 * value is seen, connections opened with older values are closed at their next checkout or release.
 *
 * The pg Pool itself is created on the first `acquire`, when pg is imported: building the connector (and
 * listing its tools) loads no driver.
 */
export class PostgresPool {
  private pool: pg.Pool | undefined;
  private creating: Promise<pg.Pool> | undefined;
  private readonly options: PoolOptions;
  private readonly credentials: CredentialProvider | undefined;
  private readonly max: number;
  private readonly connectionTimeoutMs: number;
  /** Fingerprint (sha256) of the newest password seen; older ones are retired and never current again. */
  private currentPassword: string | undefined;
  private readonly retiredPasswords = new Set<string>();
  private counters = { authRetries: 0, rotations: 0, recycled: 0, connectionErrors: 0 };
  private ended = false;

  constructor(options: PoolOptions) {
    this.options = options;
    this.credentials = options.target.credentials;
    this.max = options.max;
    this.connectionTimeoutMs = options.connectionTimeoutMs;
  }

  /** The pg Pool, created once pg is loaded. Rejects with a ConnectorError (`internal`) if pg cannot be. */
  private poolReady(): Promise<pg.Pool> {
    if (this.pool) return Promise.resolve(this.pool);
    this.creating ??= loadPg().then(
      ({ pg: pgModule }) => {
        this.pool ??= this.createPool(pgModule);
        return this.pool;
      },
      (error: unknown) => {
        this.creating = undefined;
        throw error;
      },
    );
    return this.creating;
  }

  private createPool(pgModule: typeof pg): pg.Pool {
    const { options } = this;
    const { target } = options;
    const sessionOptions = ["-c DateStyle=ISO"];
    if (options.sessionReadOnly) sessionOptions.push("-c default_transaction_read_only=on");
    const owner = this;
    const config: pg.PoolConfig = {
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      ssl: target.ssl,
      max: options.max,
      connectionTimeoutMillis: options.connectionTimeoutMs,
      idleTimeoutMillis: options.idleTimeoutMs,
      maxLifetimeSeconds: options.maxLifetimeSeconds,
      ...(options.maxUses ? { maxUses: options.maxUses } : {}),
      allowExitOnIdle: true,
      application_name: options.applicationName,
      statement_timeout: options.statementTimeoutMs,
      lock_timeout: options.lockTimeoutMs,
      idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs,
      options: sessionOptions.join(" "),
      Client: credentialAwareClientOf(pgModule),
    };
    if (this.credentials) {
      const provider = this.credentials;
      // pg calls this as a method of the connecting Client, once per new connection.
      config.password = async function (this: pg.Client) {
        const credential = await provider.get();
        registerSecret(credential.value);
        credentialOfClient.set(this, credential);
        owner.notePassword(credential.value);
        return credential.value;
      } as unknown as () => Promise<string>;
    }
    const pool = new pgModule.Pool(config);
    // Without a listener, an idle connection that dies (restart, failover, network loss) crashes the process.
    pool.on("error", () => {
      this.counters.connectionErrors += 1;
    });
    // The pool's listener covers idle clients only. A connection that dies while checked out (mid-statement)
    // emits `error` on its client, which without a listener ends the process: every client gets one, which
    // also records the loss, so nothing waits on a dead connection (see connection-loss.ts) and the lease
    // closes it instead of pooling it. The statement's own promise rejects; the error mapping says `network`.
    pool.on("connect", (client) => trackConnectionLoss(client));
    return pool;
  }

  /** Notes the password a new connection is about to use; a value never seen before is a rotation. */
  private notePassword(value: string): void {
    const fingerprint = passwordFingerprint(value);
    if (fingerprint === this.currentPassword || this.retiredPasswords.has(fingerprint)) return;
    if (this.currentPassword !== undefined) {
      this.retiredPasswords.add(this.currentPassword);
      this.counters.rotations += 1;
    }
    this.currentPassword = fingerprint;
  }

  /** A connection opened with a password older than the newest one seen. */
  private isStale(client: pg.PoolClient): boolean {
    const used = credentialOfClient.get(client);
    return used !== undefined && this.retiredPasswords.has(passwordFingerprint(used.value));
  }

  /**
   * Checks out a connection within `min(connectionTimeoutMs, time left)`. Fails with PoolTimeoutError when
   * none frees up or connecting takes too long, with the signal's reason when the call is cancelled.
   */
  async acquire(
    options: { signal?: AbortSignal | undefined; deadlineAt?: number | undefined } = {},
  ): Promise<Lease> {
    if (this.ended) throw closedError();
    const pool = this.pool ?? (await this.poolReady());
    if (this.ended) throw closedError();
    options.signal?.throwIfAborted();
    let authRetried = false;
    // A few stale connections may sit in the pool after a rotation; each is closed and the next one tried.
    for (let round = 0; round < this.max + 3; round += 1) {
      let client: pg.PoolClient;
      try {
        client = await this.connectOnce(pool, options);
      } catch (error) {
        const rejected = isPostgresError(error) && AUTH_FAILURES.has(error.code);
        if (!rejected || authRetried || !this.credentials) throw error;
        authRetried = true;
        this.counters.authRetries += 1;
        const used = credentialOfError.get(error as object) ?? (await this.credentials.get());
        this.credentials.invalidate(used);
        continue;
      }
      if (this.isStale(client)) {
        this.counters.recycled += 1;
        client.release(true);
        continue;
      }
      return this.lease(client);
    }
    throw new PoolTimeoutError("only stale connections were available", 0);
  }

  private lease(client: pg.PoolClient): Lease {
    let released = false;
    return {
      client,
      get released() {
        return released;
      },
      release: (destroy = false) => {
        if (released) return;
        released = true;
        // A connection that died while checked out is closed, never pooled, whatever the caller asked for.
        const lost = connectionLost(client);
        if (lost) {
          this.counters.connectionErrors += 1;
          client.release(lost);
          return;
        }
        const stale = !destroy && this.isStale(client);
        if (stale) this.counters.recycled += 1;
        client.release(destroy || stale);
      },
    };
  }

  private connectOnce(
    pool: pg.Pool,
    options: { signal?: AbortSignal | undefined; deadlineAt?: number | undefined },
  ) {
    const remaining =
      options.deadlineAt === undefined ? Number.POSITIVE_INFINITY : options.deadlineAt - Date.now();
    const waitMs = Math.max(0, Math.min(this.connectionTimeoutMs, remaining));
    const started = Date.now();
    const pending = pool.connect();
    return new Promise<pg.PoolClient>((resolve, reject) => {
      let settled = false;
      const finish = (action: () => void) => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        action();
        return true;
      };
      const giveUp = (error: unknown) => {
        // The request stays queued in pg-pool; hand the connection back if it arrives after all.
        finish(() => reject(error));
        pending.then(
          (late) => late.release(),
          () => {},
        );
      };
      const onAbort = () => giveUp(options.signal?.reason);
      const timer = setTimeout(
        () => giveUp(new PoolTimeoutError("timeout exceeded when trying to connect", Date.now() - started)),
        waitMs,
      );
      timer.unref?.();
      if (options.signal?.aborted) {
        onAbort();
        return;
      }
      options.signal?.addEventListener("abort", onAbort, { once: true });
      pending.then(
        (client) => {
          if (!finish(() => resolve(client))) return;
        },
        (error: unknown) => {
          const message = (error as { message?: unknown } | null)?.message;
          const timedOut =
            typeof message === "string" &&
            /timeout exceeded when trying to connect|connection terminated due to connection timeout/i.test(
              message,
            );
          finish(() =>
            reject(
              timedOut
                ? new PoolTimeoutError(message as string, Date.now() - started, { cause: error })
                : error,
            ),
          );
        },
      );
    });
  }

  stats(): PoolStats {
    return {
      max: this.max,
      total: this.pool?.totalCount ?? 0,
      idle: this.pool?.idleCount ?? 0,
      waiting: this.pool?.waitingCount ?? 0,
      ...this.counters,
    };
  }

  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    // A pool still being created (pg loading) is ended once it exists; one never created has nothing to end.
    const pool = this.pool ?? (await this.creating?.catch(() => undefined));
    await pool?.end();
  }
}

function closedError(): ConnectorError {
  return new ConnectorError({ code: "internal", message: "The PostgreSQL connector was closed." });
}
