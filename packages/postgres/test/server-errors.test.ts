/**
 * Server-side failures the fault matrix does not inject (its proxy breaks the transport), raised by the real
 * server: a session ended by pg_terminate_backend (57P01) during a read and during a write, a serialization
 * failure between two serializable transactions (40001), a deadlock (40P01), and no free connection slot
 * (53300). Each must end at once with a typed code and the right retryability: reads retryable; writes only
 * when the failure proves nothing was applied (the transaction was rolled back, or never started).
 *
 * Sessions are found by application_name and their state polled in pg_stat_activity; nothing here races
 * against a fixed delay, and the (generous) deadlines only bound a failure: a call that waited for one would
 * end with `timeout`, which the assertions on the code rule out.
 */
import type { CallResult } from "@switchyard/core";
import { ConnectorError } from "@switchyard/core";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PostgresSettings } from "../src/index.js";
import {
  closeConnectors,
  connector,
  createTestSchema,
  type TestSchema,
  uniqueName,
} from "./support/database.js";

const DEADLINE_MS = 20_000;

let db: TestSchema;
let t: string;

beforeAll(async () => {
  db = await createTestSchema(
    "sy_srv_err",
    `CREATE TABLE $schema.accounts (id int PRIMARY KEY, balance int NOT NULL);
     INSERT INTO $schema.accounts VALUES (1, 0), (2, 0);
     CREATE TABLE $schema.events (id serial PRIMARY KEY, body text NOT NULL);`,
  );
  t = db.name;
});

afterEach(async () => {
  await closeConnectors();
});

afterAll(async () => {
  await db.drop();
});

/** A connector whose sessions carry a unique application_name; lock waits are bounded by the deadline only. */
function named(settings: PostgresSettings & { maxRetries?: number } = {}) {
  const applicationName = uniqueName("sy_srv_err");
  const { maxRetries = 0, ...rest } = settings;
  const postgres = connector({
    applicationName,
    allowWrites: true,
    schemas: [t],
    max: 1,
    lockTimeoutMs: DEADLINE_MS,
    statementTimeoutMs: DEADLINE_MS,
    retry: { maxRetries, baseDelayMs: 1, minDelayMs: 1, maxDelayMs: 5 },
    ...rest,
  });
  return { postgres, applicationName };
}

async function settle(
  call: Promise<CallResult>,
): Promise<{ result?: CallResult; error?: ConnectorError; attempts?: number }> {
  try {
    const result = await call;
    return { result, attempts: result.metadata.attempts };
  } catch (error) {
    if (!ConnectorError.isInstance(error)) throw error;
    return { error };
  }
}

/** The backend pid of the session named `applicationName` once it waits on a lock. */
async function waitingBackend(applicationName: string): Promise<number> {
  let pid: number | undefined;
  await expect
    .poll(
      async () => {
        const result = await db.admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
           WHERE application_name = $1 AND datname = current_database() AND wait_event_type = 'Lock'`,
          [applicationName],
        );
        pid = result.rows[0]?.pid;
        return pid;
      },
      { timeout: DEADLINE_MS, interval: 20 },
    )
    .toBeDefined();
  return pid as number;
}

/** An admin transaction on its own connection (BEGIN ... ROLLBACK/COMMIT by the test). */
async function adminTransaction(begin = "BEGIN"): Promise<pg.PoolClient> {
  const client = await db.admin.connect();
  await client.query(begin);
  return client;
}

const terminate = (pid: number) => db.admin.query("SELECT pg_terminate_backend($1)", [pid]);
const balance = async (id: number) =>
  (await db.admin.query(`SELECT balance FROM ${t}.accounts WHERE id = $1`, [id])).rows[0].balance as number;
const events = async (body: string) =>
  (await db.admin.query(`SELECT count(*)::int AS n FROM ${t}.events WHERE body = $1`, [body])).rows[0]
    .n as number;

describe("57P01: the session is terminated (pg_terminate_backend) mid-statement", () => {
  it("a read fails at once with upstream_unavailable, retryable; with retries it succeeds on a new connection", async () => {
    for (const maxRetries of [0, 2]) {
      const { postgres, applicationName } = named({ maxRetries });
      const locker = await adminTransaction();
      try {
        // ACCESS EXCLUSIVE makes the read wait, so it is mid-statement when its session is terminated.
        await locker.query(`LOCK TABLE ${t}.accounts IN ACCESS EXCLUSIVE MODE`);
        const call = settle(
          postgres.call(
            "postgres_query",
            { sql: `SELECT id FROM ${t}.accounts ORDER BY id` },
            { deadlineMs: DEADLINE_MS },
          ),
        );
        await terminate(await waitingBackend(applicationName));
        if (maxRetries === 0) {
          const { error } = await call;
          expect(error).toMatchObject({
            code: "upstream_unavailable",
            retryable: true,
            upstream: { code: "57P01" },
          });
          expect(error?.hint).toMatch(/pg_terminate_backend/);
        } else {
          // The repeat waits for the lock on a new connection; releasing it lets the read through.
          await locker.query("ROLLBACK");
          const { result, attempts } = await call;
          expect(result?.output.items).toEqual([{ id: 1 }, { id: 2 }]);
          expect(attempts).toBe(2);
        }
        // The terminated connection was closed, not pooled.
        expect(postgres.poolStats().connectionErrors).toBe(1);
      } finally {
        await locker.query("ROLLBACK").catch(() => {});
        locker.release();
      }
    }
  });

  it("a write fails at once, not applied (its transaction never committed); with retries it is applied exactly once", async () => {
    for (const maxRetries of [0, 2]) {
      const body = `terminated-write-${maxRetries}`;
      const { postgres, applicationName } = named({ maxRetries });
      const locker = await adminTransaction();
      try {
        await locker.query(`LOCK TABLE ${t}.events IN ACCESS EXCLUSIVE MODE`);
        const call = settle(
          postgres.call(
            "postgres_execute",
            { sql: `INSERT INTO ${t}.events (body) VALUES ($1)`, params: [body] },
            { deadlineMs: DEADLINE_MS },
          ),
        );
        await terminate(await waitingBackend(applicationName));
        if (maxRetries === 0) {
          const { error } = await call;
          expect(error).toMatchObject({
            code: "upstream_unavailable",
            retryable: true,
            notApplied: true,
            upstream: { code: "57P01" },
          });
          await locker.query("ROLLBACK");
          expect(await events(body)).toBe(0);
        } else {
          await locker.query("ROLLBACK");
          const { result, attempts } = await call;
          expect(result?.output.rowsAffected).toBe(1);
          expect(attempts).toBe(2);
          expect(await events(body)).toBe(1);
        }
        expect(postgres.poolStats().connectionErrors).toBe(1);
      } finally {
        await locker.query("ROLLBACK").catch(() => {});
        locker.release();
      }
    }
  });
});

describe("40001 and 40P01: the server rolled the write's transaction back", () => {
  let serializable: string;
  beforeAll(async () => {
    // postgres_execute runs at the session's isolation level: a role whose default is SERIALIZABLE.
    serializable = uniqueName("sy_srv_serial");
    const role = pg.escapeIdentifier(serializable);
    await db.admin.query(`CREATE ROLE ${role} LOGIN`);
    await db.admin.query(`GRANT USAGE ON SCHEMA ${t} TO ${role}`);
    await db.admin.query(`GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ${t} TO ${role}`);
    await db.admin.query(`ALTER ROLE ${role} SET default_transaction_isolation = 'serializable'`);
  });
  afterAll(async () => {
    const role = pg.escapeIdentifier(serializable);
    await db.admin.query(`DROP OWNED BY ${role}`);
    await db.admin.query(`DROP ROLE IF EXISTS ${role}`);
  });

  it("40001 between two serializable transactions: conflict, not applied, retryable; with retries applied once", async () => {
    for (const maxRetries of [0, 2]) {
      const before = await balance(1);
      const { postgres, applicationName } = named({ maxRetries, user: serializable });
      const other = await adminTransaction("BEGIN ISOLATION LEVEL SERIALIZABLE");
      try {
        await other.query(`UPDATE ${t}.accounts SET balance = balance + 1 WHERE id = 1`);
        const call = settle(
          postgres.call(
            "postgres_execute",
            { sql: `UPDATE ${t}.accounts SET balance = balance + 10 WHERE id = 1` },
            { deadlineMs: DEADLINE_MS },
          ),
        );
        // The write's snapshot predates the other transaction's commit: once that commits, the server
        // refuses the write's update of the same row ("could not serialize access due to concurrent update").
        await waitingBackend(applicationName);
        await other.query("COMMIT");
        const { result, error, attempts } = await call;
        if (maxRetries === 0) {
          expect(error).toMatchObject({
            code: "conflict",
            retryable: true,
            notApplied: true,
            upstream: { code: "40001" },
          });
          expect(await balance(1)).toBe(before + 1);
        } else {
          expect(result?.output.rowsAffected).toBe(1);
          expect(attempts).toBe(2);
          expect(await balance(1)).toBe(before + 11);
        }
        // A serialization failure leaves a healthy connection: it is reset and pooled, not closed.
        expect(postgres.poolStats()).toMatchObject({ connectionErrors: 0, idle: 1 });
      } finally {
        await other.query("ROLLBACK").catch(() => {});
        other.release();
      }
    }
  });

  it("40P01 (deadlock): conflict, not applied, retryable", async () => {
    const before = [await balance(1), await balance(2)];
    const { postgres, applicationName } = named();
    const other = await adminTransaction();
    try {
      // The admin session never runs the deadlock check first (superuser-only setting), so the write does.
      await other.query("SET LOCAL deadlock_timeout = '60s'");
      await other.query(`UPDATE ${t}.accounts SET balance = balance + 1 WHERE id = 2`);
      const call = settle(
        postgres.call(
          "postgres_execute",
          { sql: `UPDATE ${t}.accounts SET balance = balance + 10 WHERE id IN (1, 2)` },
          { deadlineMs: DEADLINE_MS },
        ),
      );
      // The write holds row 1 and waits for row 2; the admin now waits for row 1: a deadlock.
      await waitingBackend(applicationName);
      const crossing = other.query(`UPDATE ${t}.accounts SET balance = balance + 1 WHERE id = 1`);
      const { error } = await call;
      await crossing;
      expect(error).toMatchObject({
        code: "conflict",
        retryable: true,
        notApplied: true,
        upstream: { code: "40P01" },
      });
      await other.query("ROLLBACK");
      expect([await balance(1), await balance(2)]).toEqual(before);
    } finally {
      await other.query("ROLLBACK").catch(() => {});
      other.release();
    }
  });
});

describe("an ERROR at COMMIT", () => {
  it("a deferred constraint refused at COMMIT: rolled back, not applied, and the connection is pooled again", async () => {
    const table = `${t}.${uniqueName("deferred")}`;
    await db.admin.query(
      `CREATE TABLE ${table} (code text, CONSTRAINT code_unique UNIQUE (code) DEFERRABLE INITIALLY DEFERRED);
       INSERT INTO ${table} VALUES ('taken')`,
    );
    const { postgres } = named();
    const { error } = await settle(
      postgres.call(
        "postgres_execute",
        { sql: `INSERT INTO ${table} VALUES ('taken')` },
        { deadlineMs: DEADLINE_MS },
      ),
    );
    // The server answered COMMIT with an ERROR on a live connection: it proves the rollback.
    expect(error).toMatchObject({ code: "conflict", notApplied: true, upstream: { code: "23505" } });
    expect(error?.details?.outcome).toBeUndefined();
    expect((await db.admin.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(1);
    expect(postgres.poolStats()).toMatchObject({ connectionErrors: 0, idle: 1 });
  });
});

describe("53300: no free connection slot", () => {
  let limited: string;
  beforeAll(async () => {
    limited = uniqueName("sy_srv_limited");
    await db.admin.query(`CREATE ROLE ${pg.escapeIdentifier(limited)} LOGIN CONNECTION LIMIT 0`);
  });
  afterAll(async () => {
    await db.admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(limited)}`);
  });

  it("reads and writes fail with upstream_unavailable, retryable and not applied (nothing was sent)", async () => {
    const { postgres } = named({ user: limited });
    const read = await settle(
      postgres.call("postgres_query", { sql: "SELECT 1" }, { deadlineMs: DEADLINE_MS }),
    );
    expect(read.error).toMatchObject({
      code: "upstream_unavailable",
      retryable: true,
      notApplied: true,
      upstream: { code: "53300" },
    });
    const write = await settle(
      postgres.call(
        "postgres_execute",
        { sql: `INSERT INTO ${t}.events (body) VALUES ('limited')` },
        { deadlineMs: DEADLINE_MS },
      ),
    );
    expect(write.error).toMatchObject({
      code: "upstream_unavailable",
      notApplied: true,
      upstream: { code: "53300" },
    });
  });

  it("with retries a write is repeated (it provably never ran) within the retry bound", async () => {
    const attempts: number[] = [];
    const { postgres } = named({
      user: limited,
      maxRetries: 2,
      onEvent: (event) => {
        if (event.type === "call.end") attempts.push(event.metadata.attempts);
      },
    });
    const { error } = await settle(
      postgres.call(
        "postgres_execute",
        { sql: `INSERT INTO ${t}.events (body) VALUES ('limited')` },
        { deadlineMs: DEADLINE_MS },
      ),
    );
    expect(error?.code).toBe("upstream_unavailable");
    expect(attempts).toEqual([3]);
    expect(await events("limited")).toBe(0);
  });
});
