/**
 * Password rotation against a real password check: a private cluster with scram-sha-256 authentication
 * (the shared server trusts everyone, so a wrong password would pass there). The credential provider is a
 * plain in-memory one with a cache, like a secret-store client: it keeps handing out the old password until
 * it is told the password was rejected.
 */
import type { Credential } from "@switchyard/core";
import { ConnectorError, refreshingCredentials } from "@switchyard/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresConnector, type PostgresConnector } from "../src/index.js";
import { type PrivateCluster, privateClusterUnavailable, startPrivateCluster } from "../src/testing/index.js";

const unavailable = privateClusterUnavailable();
if (unavailable) console.warn(`rotation tests skipped: ${unavailable}`);

let cluster: PrivateCluster;
let admin: pg.Client;

/** A secret store in memory: `value` is what it returns now; `fetches` counts reads. */
function memorySecret(initial: string) {
  const store = { value: initial, fetches: 0 };
  const provider = refreshingCredentials({
    description: "an in-memory rotating secret",
    refresh: async (): Promise<Credential> => {
      store.fetches += 1;
      return { value: store.value };
    },
  });
  return { store, provider };
}

describe.skipIf(unavailable !== undefined)("password rotation (private scram-sha-256 cluster)", () => {
  const open: PostgresConnector[] = [];
  const connect = (
    credentials: ReturnType<typeof memorySecret>["provider"],
    extra: Record<string, unknown> = {},
  ) => {
    const instance = createPostgresConnector({
      host: cluster.host,
      port: cluster.port,
      database: "postgres",
      user: "app",
      credentials,
      retry: { maxRetries: 0 },
      ...extra,
    });
    open.push(instance);
    return instance;
  };

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    admin = new pg.Client({
      host: cluster.host,
      port: cluster.port,
      user: cluster.superuser,
      password: cluster.superuserPassword,
      database: "postgres",
    });
    await admin.connect();
    await admin.query(`CREATE ROLE app LOGIN PASSWORD 'first-password'`);
    await admin.query(
      "CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 100)",
    );
    await admin.query("GRANT SELECT ON items TO app");
  }, 60_000);

  afterAll(async () => {
    await Promise.all(open.map((instance) => instance.close()));
    await admin?.end().catch(() => {});
    await cluster?.stop();
  }, 30_000);

  it("the server really checks passwords here", async () => {
    const { provider } = memorySecret("wrong-password");
    const postgres = connect(provider);
    const error = await postgres
      .call("postgres_query", { sql: "SELECT 1" })
      .catch((thrown: unknown) => thrown);
    expect(ConnectorError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "unauthenticated", upstream: { code: "28P01" }, notApplied: true });
    expect((error as ConnectorError).message).not.toContain("wrong-password");
  });

  it("28P01 at connect: the rejected credential is invalidated and the connect retried once with a fresh one", async () => {
    const secret = memorySecret("stale-password");
    const postgres = connect(secret.provider);
    // The store has the new value, but the provider's cache still holds the old one.
    await secret.provider.get();
    secret.store.value = "first-password";
    const { output, metadata } = await postgres.call("postgres_query", {
      sql: "SELECT current_user::text AS who",
    });
    expect(output.items).toEqual([{ who: "app" }]);
    expect(postgres.poolStats().authRetries).toBe(1);
    expect(secret.store.fetches).toBe(2);
    // The pool fixed it at connect time: core's own credential refresh was not needed.
    expect(metadata.credentialRefreshed).toBe(false);
  });

  it("a password that stays wrong fails fast: one refresh, no loop", async () => {
    const secret = memorySecret("still-wrong");
    const postgres = connect(secret.provider);
    await expect(postgres.call("postgres_query", { sql: "SELECT 1" })).rejects.toMatchObject({
      code: "unauthenticated",
    });
    expect(secret.store.fetches).toBeLessThanOrEqual(3);
  });

  it("1,000 queries at concurrency 20 across ALTER ROLE ... PASSWORD: zero failures, old sessions recycled", async () => {
    const secret = memorySecret("first-password");
    const postgres = connect(secret.provider, { max: 5, maxUses: 40, applicationName: "sy-rotation-load" });
    const TOTAL = 1000;
    const CONCURRENCY = 20;
    let started = 0;
    let completed = 0;
    const failures: unknown[] = [];
    let rotatedAt: Date | undefined;
    let rotation: Promise<void> | undefined;
    let refreshedByCore = 0;

    const rotate = async () => {
      // The secret store gets the new value first, then the database: until a connection is refused,
      // the provider's cache still hands out the old password.
      secret.store.value = "second-password";
      await admin.query(`ALTER ROLE app PASSWORD 'second-password'`);
      rotatedAt = (await admin.query<{ now: Date }>("SELECT clock_timestamp() AS now")).rows[0]?.now;
    };

    const worker = async () => {
      while (started < TOTAL) {
        started += 1;
        try {
          const { output, metadata } = await postgres.call("postgres_query", {
            sql: "SELECT count(*)::int AS n FROM items",
          });
          expect(output.items).toEqual([{ n: 100 }]);
          if (metadata.credentialRefreshed) refreshedByCore += 1;
        } catch (error) {
          failures.push(error);
        }
        completed += 1;
        if (completed === 300) rotation = rotate();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await rotation;

    expect(failures).toEqual([]);
    expect(completed).toBe(TOTAL);
    const stats = postgres.poolStats();
    expect(stats.authRetries).toBeGreaterThanOrEqual(1);
    expect(stats.rotations).toBe(1);
    expect(stats.recycled).toBeGreaterThanOrEqual(1);
    expect(refreshedByCore).toBe(0);
    // No session opened with the old password is left.
    const sessions = await admin.query<{ started: Date }>(
      "SELECT backend_start AS started FROM pg_stat_activity WHERE application_name = 'sy-rotation-load'",
    );
    expect(sessions.rows.length).toBeGreaterThan(0);
    for (const session of sessions.rows)
      expect(session.started.getTime()).toBeGreaterThan(rotatedAt!.getTime());
    // And the old password no longer works at all.
    const old = memorySecret("first-password");
    await expect(connect(old.provider).call("postgres_query", { sql: "SELECT 1" })).rejects.toMatchObject({
      code: "unauthenticated",
    });
  }, 60_000);
});
