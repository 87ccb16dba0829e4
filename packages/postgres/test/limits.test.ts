import { type CallEvent, ConnectorError } from "@switchyard/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeConnectors, connector, createTestSchema, type TestSchema } from "./support/database.js";

let db: TestSchema;
let s: string;

beforeAll(async () => {
  db = await createTestSchema(
    "sy_limits",
    `CREATE TABLE $schema.items (id int PRIMARY KEY, label text);
     INSERT INTO $schema.items SELECT g, 'item ' || g FROM generate_series(1, 10) g;`,
  );
  s = db.name;
});

afterEach(async () => {
  await closeConnectors();
});

afterAll(async () => {
  await db.drop();
});

async function failure(promise: Promise<unknown>): Promise<{ error: ConnectorError; elapsedMs: number }> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    expect(ConnectorError.isInstance(error)).toBe(true);
    return { error: error as ConnectorError, elapsedMs: Date.now() - started };
  }
  throw new Error("expected the call to fail");
}

/** Whether a promise has settled yet, without waiting for it. */
function settledFlag(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  return () => settled;
}

/** Backends of this run's database still running a statement that matches `pattern`. */
async function running(pattern: string): Promise<number> {
  const result = await db.admin.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()`,
    [pattern],
  );
  return result.rows[0].n;
}

describe("timeouts", () => {
  it("pg_sleep past statement_timeout ends with a timeout (57014), not a hang, and is not retried", async () => {
    const events: CallEvent[] = [];
    const postgres = connector({
      statementTimeoutMs: 300,
      retry: { maxRetries: 3 },
      onEvent: (event) => events.push(event),
    });
    // Not a hang: the call settles (the test timeout is the backstop), ended by the server's statement_timeout.
    const { error } = await failure(postgres.call("postgres_query", { sql: "SELECT pg_sleep(3)" }));
    expect(error.code).toBe("timeout");
    expect(error.upstream?.code).toBe("57014");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("300 ms statement_timeout");
    // Not retried: one attempt, no retry scheduled.
    expect(events.map((event) => event.type)).toEqual(["call.start", "call.end"]);
    expect(events.at(-1)).toMatchObject({ outcome: "timeout", metadata: { attempts: 1 } });
  });

  it("a call's deadline caps statement_timeout, and the server stops the statement too", async () => {
    // A statement that would run a minute under the configured statement_timeout.
    const postgres = connector({ statementTimeoutMs: 60_000, maxSleepSeconds: 60 });
    const marker = "sy_deadline_marker";
    const { error } = await failure(
      postgres.call("postgres_query", { sql: `SELECT pg_sleep(60), '${marker}'` }, { deadlineMs: 700 }),
    );
    expect(error.code).toBe("timeout");
    if (error.upstream?.code === "57014") {
      // The server's cancel came first: its statement_timeout was the deadline's remainder, not the minute.
      const appliedMs = Number(/after its (\d+) ms statement_timeout/.exec(error.message)?.[1]);
      expect(appliedMs).toBeGreaterThan(0);
      expect(appliedMs).toBeLessThanOrEqual(700);
    }
    // The server stops the statement long before its minute is up: only the capped statement_timeout can stop
    // it (a closed client socket does not interrupt pg_sleep; client_connection_check_interval is off).
    await expect.poll(() => running(`%${marker}%`), { timeout: 10_000 }).toBe(0);
  });

  it("lock_timeout turns a blocked read into a retryable conflict (55P03)", async () => {
    const holder = await db.admin.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`LOCK TABLE ${s}.items IN ACCESS EXCLUSIVE MODE`);
      const postgres = connector({ lockTimeoutMs: 200 });
      // The lock is held until the finally below: only the server's lock_timeout (55P03) can end the call.
      const { error } = await failure(
        postgres.call("postgres_query", { sql: `SELECT count(*) FROM ${s}.items` }),
      );
      expect(error.code).toBe("conflict");
      expect(error.upstream?.code).toBe("55P03");
      expect(error.retryable).toBe(true);
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
  });
});

describe("pool", () => {
  it("an exhausted pool answers a typed error within the call's deadline, then recovers", async () => {
    const postgres = connector({
      max: 1,
      connectionTimeoutMs: 300,
      statementTimeoutMs: 60_000,
      lockTimeoutMs: 60_000,
      retry: { maxRetries: 3, baseDelayMs: 50 },
    });
    // Hold the only connection with a statement blocked on a lock the test holds until it lets go.
    const blocker = await db.admin.connect();
    let holding: ReturnType<typeof postgres.call> | undefined;
    try {
      await blocker.query("BEGIN");
      await blocker.query(`LOCK TABLE ${s}.items IN ACCESS EXCLUSIVE MODE`);
      holding = postgres.call("postgres_query", {
        sql: `SELECT count(*)::int AS n, 'sy_pool_holder' AS marker FROM ${s}.items`,
      });
      const holderDone = settledFlag(holding);
      await expect.poll(() => running("%sy_pool_holder%"), { timeout: 10_000 }).toBe(1);
      const { error } = await failure(
        postgres.call("postgres_query", { sql: "SELECT 1 AS one" }, { deadlineMs: 1500 }),
      );
      // The pool wait or the deadline ended the call: it did not wait for the connection, still held.
      expect(["upstream_unavailable", "timeout"]).toContain(error.code);
      expect(error.retryable).toBe(true);
      expect(holderDone()).toBe(false);
      if (error.code === "upstream_unavailable") {
        expect(error.notApplied).toBe(true);
        expect(error.message).toMatch(/No PostgreSQL connection became available/);
      }
    } finally {
      await blocker.query("ROLLBACK");
      blocker.release();
    }
    expect((await holding)?.output.items).toEqual([{ n: 10, marker: "sy_pool_holder" }]);
    const { output } = await postgres.call("postgres_query", { sql: "SELECT 1 AS one" });
    expect(output.items).toEqual([{ one: 1 }]);
    expect(postgres.poolStats().total).toBeLessThanOrEqual(1);
  });

  it("without retries the pool wait alone decides: upstream_unavailable after connectionTimeoutMs", async () => {
    const postgres = connector({ max: 1, connectionTimeoutMs: 250 });
    const stream = postgres.streamQuery("SELECT g FROM generate_series(1, 100000) g", [], { batchSize: 10 });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next(); // the stream now holds the only connection
    const { error, elapsedMs } = await failure(postgres.call("postgres_query", { sql: "SELECT 1" }));
    // upstream_unavailable, not timeout: the pool wait ended the call, not its (30 s) deadline.
    expect(error.code).toBe("upstream_unavailable");
    expect(error.notApplied).toBe(true);
    expect(error.message).toMatch(/No PostgreSQL connection became available/);
    expect(elapsedMs).toBeGreaterThanOrEqual(200);
    await stream.close();
    await expect(postgres.call("postgres_query", { sql: "SELECT 1 AS one" })).resolves.toBeDefined();
  });

  it("an idle connection killed by the server is caught by the pool's error listener; the process lives on", async () => {
    const postgres = connector({ applicationName: "sy-pg-idle-kill" });
    await postgres.call("postgres_query", { sql: "SELECT 1" });
    expect(postgres.poolStats().idle).toBe(1);
    await db.admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sy-pg-idle-kill' AND datname = current_database()",
    );
    await expect.poll(() => postgres.poolStats().connectionErrors, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(postgres.poolStats().connectionErrors).toBe(1);
    const { output } = await postgres.call("postgres_query", { sql: "SELECT 2 AS two" });
    expect(output.items).toEqual([{ two: 2 }]);
  });

  it("sessions carry application_name, statement_timeout, lock_timeout and idle_in_transaction_session_timeout", async () => {
    const postgres = connector({
      statementTimeoutMs: 4321,
      lockTimeoutMs: 321,
      idleInTransactionTimeoutMs: 6543,
    });
    const { output } = await postgres.call("postgres_query", {
      sql: `SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS st,
              current_setting('lock_timeout') AS lt, current_setting('idle_in_transaction_session_timeout') AS it,
              current_setting('transaction_read_only') AS ro`,
    });
    expect(output.items).toEqual([
      { app: "switchyard-postgres", st: "4321ms", lt: "321ms", it: "6543ms", ro: "on" },
    ]);
  });

  it("a server that refuses connections is a network failure that proves nothing was sent", async () => {
    // Port 1 on loopback: nothing listens there, the connect is refused at once.
    const postgres = connector({
      connectionString: "postgres://postgres@127.0.0.1:1/x",
      connectionTimeoutMs: 1000,
    });
    const { error } = await failure(postgres.call("postgres_query", { sql: "SELECT 1" }));
    expect(error.code).toBe("network");
    expect(error.notApplied).toBe(true);
  });
});
