/**
 * A connection that drops mid-call, through a real TCP proxy in front of the real server. The call must end
 * at once with a typed error (not wait for its deadline), close the dead connection instead of pooling it,
 * and say what happened to a write: before COMMIT was sent the transaction was rolled back (not applied, so
 * core may repeat it); once COMMIT was sent the outcome is unknown (never repeated).
 *
 * Deadlines are generous (20 s) and never the subject: a call that waited for its deadline would end with
 * `timeout`, so asserting the code (and the attempts) is what proves it ended at once.
 */
import type { CallResult } from "@switchyard/core";
import { ConnectorError } from "@switchyard/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PostgresConnector } from "../src/index.js";
import {
  closeConnectors,
  connector,
  createTestSchema,
  databaseUrl,
  type TestSchema,
} from "./support/database.js";
import { FaultProxy } from "./support/fault-proxy.js";

const DEADLINE_MS = 20_000;

let db: TestSchema;
let proxy: FaultProxy;
let proxiedUrl: string;

beforeAll(async () => {
  db = await createTestSchema(
    "sy_conn_loss",
    `CREATE TABLE $schema.notes (id serial PRIMARY KEY, body text NOT NULL);
     INSERT INTO $schema.notes (body) SELECT 'seed ' || g FROM generate_series(1, 5) g;`,
  );
  const url = new URL(databaseUrl());
  proxy = new FaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
  proxiedUrl = await proxy.start(databaseUrl());
});

afterEach(async () => {
  proxy.set(undefined);
  await closeConnectors();
});

afterAll(async () => {
  await proxy.close();
  await db.drop();
});

const INSERT = /^\s*INSERT\b/i;

function throughProxy(maxRetries: number): PostgresConnector {
  return connector({
    connectionString: proxiedUrl,
    allowWrites: true,
    schemas: [db.name],
    max: 1,
    retry: { maxRetries, baseDelayMs: 1, minDelayMs: 1, maxDelayMs: 5 },
  });
}

/** Runs a call and returns its outcome and attempts (from the call.end event), never throwing. */
async function outcome(
  postgres: PostgresConnector,
  tool: string,
  input: Record<string, unknown>,
): Promise<{ result?: CallResult; error?: ConnectorError; attempts: number | undefined }> {
  try {
    const result = await postgres.call(tool, input, { deadlineMs: DEADLINE_MS });
    return { result, attempts: result.metadata.attempts };
  } catch (error) {
    if (!ConnectorError.isInstance(error)) throw error;
    return { error, attempts: undefined };
  }
}

const rowsWith = async (body: string) =>
  (await db.admin.query(`SELECT count(*)::int AS n FROM ${db.name}.notes WHERE body = $1`, [body])).rows[0]
    .n as number;

const insert = (body: string) => ({
  sql: `INSERT INTO ${db.name}.notes (body) VALUES ($1) RETURNING id`,
  params: [body],
});

describe("a write whose connection drops before COMMIT is sent", () => {
  it("fails at once with network, not applied, and the dead connection is closed, not pooled", async () => {
    for (const kind of ["reset", "cut"] as const) {
      const body = `drop-before-commit-${kind}`;
      const postgres = throughProxy(0);
      proxy.set({ kind, match: INSERT });
      const { error } = await outcome(postgres, "postgres_execute", insert(body));
      expect(error, kind).toBeDefined();
      expect(error?.code, kind).toBe("network");
      expect(error, kind).toMatchObject({
        retryable: true,
        notApplied: true,
        details: { outcome: "not_applied" },
      });
      expect(error?.message).toMatch(/COMMIT was never sent.*nothing was applied/);
      // reset: the INSERT never reached the server; cut: it ran, but its transaction was never committed.
      expect(await rowsWith(body), kind).toBe(0);
      // The dead connection was closed on release (counted), and the next call gets a new, working one.
      expect(postgres.poolStats()).toMatchObject({ connectionErrors: 1, idle: 0 });
      const again = await postgres.call("postgres_execute", insert(body), { deadlineMs: DEADLINE_MS });
      expect(again.output.rowsAffected).toBe(1);
      expect(await rowsWith(body)).toBe(1);
    }
  });

  it("is repeated once by core on a new connection and applied exactly once", async () => {
    for (const kind of ["reset", "cut"] as const) {
      const body = `retried-${kind}`;
      const postgres = throughProxy(3);
      proxy.statements.length = 0;
      proxy.set({ kind, match: INSERT });
      const { result, attempts } = await outcome(postgres, "postgres_execute", insert(body));
      expect(result?.output.rowsAffected, kind).toBe(1);
      expect(attempts, kind).toBe(2);
      expect(proxy.count(INSERT), kind).toBe(2);
      expect(await rowsWith(body), kind).toBe(1);
    }
  });
});

describe("a write whose connection drops after COMMIT was sent", () => {
  it("fails at once with network and an unknown outcome, and is never repeated", async () => {
    // reset: COMMIT never reached the server (nothing applied); cut: COMMIT ran and its answer was lost
    // (applied). The client cannot tell these apart, so both say "unknown" and neither is repeated.
    for (const [kind, applied] of [
      ["reset", 0],
      ["cut", 1],
    ] as const) {
      const body = `drop-at-commit-${kind}`;
      const postgres = throughProxy(3);
      proxy.statements.length = 0;
      proxy.set({ kind, match: /^COMMIT\b/ });
      const { error } = await outcome(postgres, "postgres_execute", insert(body));
      expect(error?.code, kind).toBe("network");
      expect(error, kind).toMatchObject({
        retryable: false,
        notApplied: false,
        details: { outcome: "unknown" },
      });
      expect(error?.message).toMatch(/outcome of the write is unknown/);
      expect(error?.hint).toMatch(/read the rows/);
      expect(proxy.count(INSERT), kind).toBe(1);
      expect(await rowsWith(body), kind).toBe(applied);
      expect(postgres.poolStats().connectionErrors, kind).toBe(1);
    }
  });
});

describe("a read whose connection drops mid-statement", () => {
  const SELECT = /notes/;
  const read = () => ({ sql: `SELECT id, body FROM ${db.name}.notes ORDER BY id`, limit: 3 });

  it("fails at once with network without retries, and succeeds on a new connection with them", async () => {
    for (const kind of ["reset", "cut"] as const) {
      const once = throughProxy(0);
      proxy.set({ kind, match: SELECT });
      const { error } = await outcome(once, "postgres_query", read());
      expect(error?.code, kind).toBe("network");
      expect(error?.retryable, kind).toBe(true);
      expect(once.poolStats().connectionErrors, kind).toBe(1);

      const retried = throughProxy(3);
      proxy.set({ kind, match: SELECT });
      const { result, attempts } = await outcome(retried, "postgres_query", read());
      expect(result?.output.items, kind).toHaveLength(3);
      expect(attempts, kind).toBe(2);
    }
  });

  it("a streaming export fails with network instead of waiting on the dead connection", async () => {
    const postgres = throughProxy(0);
    proxy.set({ kind: "cut", match: /generate_series/ });
    const stream = postgres.streamQuery("SELECT g FROM generate_series(1, 100000) g", [], { batchSize: 10 });
    const rows: unknown[] = [];
    const failure = await (async () => {
      for await (const row of stream) rows.push(row);
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(ConnectorError.isInstance(failure) && failure.code).toBe("network");
    expect(postgres.poolStats().connectionErrors).toBe(1);
  });
});
