/**
 * Round trips per call, counted on the wire by a TCP proxy in front of the real server (test/support/fault-proxy.ts):
 * the server's ReadyForQuery messages, one per simple query and per Sync, that is one per round trip the client
 * waits for before it may send its next statement, and the frontend's messages by type.
 *
 * The connector's own statements around a read are batched (read-only-transaction.ts): one simple-protocol
 * message begins (BEGIN READ ONLY, SET TRANSACTION READ ONLY, SET LOCAL timeouts, identity), one ends (identity
 * check, ROLLBACK, the session reset). A read was 9 round trips (BEGIN, SET TRANSACTION, SET LOCAL, identity,
 * the statement, identity, ROLLBACK, ROLLBACK, DISCARD ALL); it is 3. These tests pin the counts, so the gain
 * cannot silently regress, and show that the caller's statement still goes alone through the extended protocol.
 */
import { ConnectorError } from "@switchyard/core";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PostgresConnector, PostgresTestingOptions } from "../src/index.js";
import {
  closeConnectors,
  connector,
  createTestSchema,
  databaseUrl,
  onlyLayers,
  sleep,
  type TestSchema,
} from "./support/database.js";
import { countOf, FaultProxy } from "./support/fault-proxy.js";

let db: TestSchema;
let proxy: FaultProxy;
let proxiedUrl: string;

beforeAll(async () => {
  db = await createTestSchema(
    "sy_round_trips",
    `CREATE TABLE $schema.items (id int PRIMARY KEY, name text NOT NULL);
     INSERT INTO $schema.items SELECT g, 'item ' || g FROM generate_series(1, 50) g;
     CREATE TABLE $schema.notes (id serial PRIMARY KEY, body text NOT NULL);
     CREATE FUNCTION $schema.hold_lock() RETURNS int LANGUAGE sql VOLATILE AS
       'SELECT pg_catalog.pg_advisory_lock(4711); SELECT 1';`,
  );
  const url = new URL(databaseUrl());
  proxy = new FaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
  proxiedUrl = await proxy.start(databaseUrl());
});

afterEach(async () => {
  await closeConnectors();
});

afterAll(async () => {
  await proxy.close();
  await db.drop();
});

const POINT = () => `SELECT id, name FROM ${db.name}.items WHERE id = $1`;

function throughProxy(testing: PostgresTestingOptions = {}): PostgresConnector {
  return connector({ connectionString: proxiedUrl, max: 1, allowWrites: true, schemas: [db.name] }, testing);
}

interface Traffic {
  /** Round trips: ReadyForQuery messages. */
  readonly roundTrips: number;
  /** Simple queries (Q), parses (P: extended protocol), syncs (S). */
  readonly simple: number;
  readonly parsed: number;
  readonly syncs: number;
  /** The texts of those Q and P messages, in order. */
  readonly statements: string[];
}

/** What `work` sent and waited for, once the connection is warm (pool connected, parser loaded, types named). */
async function measure(work: () => Promise<unknown>): Promise<Traffic> {
  proxy.traffic.clear();
  const seen = proxy.statements.length;
  await work();
  return {
    roundTrips: proxy.traffic.readyForQuery,
    simple: countOf(proxy.traffic, "Q"),
    parsed: countOf(proxy.traffic, "P"),
    syncs: countOf(proxy.traffic, "S"),
    statements: proxy.statements.slice(seen),
  };
}

const BEGIN =
  /^BEGIN READ ONLY; SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = \d+; SET LOCAL lock_timeout = \d+; SET LOCAL idle_in_transaction_session_timeout = \d+; SELECT pg_catalog\.current_setting\('transaction_read_only'\)/;
const IDENTITY = /^SELECT pg_catalog\.current_setting\('transaction_read_only'\) AS read_only,/;
const RESET =
  "ROLLBACK; CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DEALLOCATE ALL; UNLISTEN *; SELECT pg_catalog.pg_advisory_unlock_all(); DISCARD PLANS; DISCARD TEMP; DISCARD SEQUENCES";

describe("postgres_query", () => {
  it("takes 3 round trips with every layer on (was 9), against 1 for pg.Pool's query", async () => {
    const postgres = throughProxy();
    await postgres.call("postgres_query", { sql: POINT(), params: [1] });
    const traffic = await measure(() => postgres.call("postgres_query", { sql: POINT(), params: [2] }));
    expect(traffic).toMatchObject({ roundTrips: 3, simple: 2, parsed: 1, syncs: 1 });
    const [begin, statement, end] = traffic.statements;
    expect(begin).toMatch(BEGIN);
    // The caller's statement alone, through the extended protocol (Parse), its parameter bound.
    expect(statement).toBe(`SELECT * FROM (\n${POINT()}\n) AS switchyard_page LIMIT 101 OFFSET 0`);
    // The check after it, ROLLBACK and the session reset: one message.
    expect(end).toMatch(IDENTITY);
    expect(end?.endsWith(`; ${RESET}`)).toBe(true);

    const bare = new pg.Pool({ connectionString: proxiedUrl, max: 1 });
    try {
      await bare.query(POINT(), [1]);
      expect(await measure(() => bare.query(POINT(), [2]))).toMatchObject({ roundTrips: 1, parsed: 1 });
    } finally {
      await bare.end();
    }
  });

  it("checks the transaction in a round trip of its own only before queries of the connector's own", async () => {
    // ORDER BY: the unique keys of the table are looked up (after the check), then ROLLBACK and the reset.
    const postgres = throughProxy();
    const sql = `SELECT id, name FROM ${db.name}.items WHERE id > $1 ORDER BY id`;
    await postgres.call("postgres_query", { sql, params: [0], limit: 5 });
    const traffic = await measure(() => postgres.call("postgres_query", { sql, params: [10], limit: 5 }));
    expect(traffic).toMatchObject({ roundTrips: 5, simple: 3, parsed: 2 });
    const [begin, statement, check, uniqueKeys, end] = traffic.statements;
    expect(begin).toMatch(BEGIN);
    expect(statement).toContain("ORDER BY id");
    expect(check).toMatch(IDENTITY);
    expect(check).not.toContain("ROLLBACK");
    expect(uniqueKeys).toContain("pg_catalog.pg_index");
    expect(end).toBe(RESET);
  });

  it("a failed statement costs the same 3: no check after it, then ROLLBACK and the reset", async () => {
    const postgres = throughProxy();
    await postgres.call("postgres_query", { sql: POINT(), params: [1] });
    let failure: unknown;
    const traffic = await measure(() =>
      postgres
        .call("postgres_query", { sql: "SELECT 1 / (id - id) FROM generate_series(1, 1) id" })
        .catch((error: unknown) => {
          failure = error;
        }),
    );
    expect(ConnectorError.isInstance(failure) && failure.upstream?.code).toBe("22012");
    expect(traffic).toMatchObject({ roundTrips: 3, simple: 2, parsed: 1 });
    expect(traffic.statements.at(-1)).toBe(RESET);
    // The connection was pooled clean: the next call runs on it.
    const { output } = await postgres.call("postgres_query", { sql: POINT(), params: [3] });
    expect(output.items).toEqual([{ id: 3, name: "item 3" }]);
    expect(postgres.poolStats()).toMatchObject({ total: 1, connectionErrors: 0 });
  });

  it("with the layers off the connector sends what the bare client sends: one round trip", async () => {
    const postgres = throughProxy(onlyLayers());
    await postgres.call("postgres_query", { sql: POINT(), params: [1] });
    expect(await measure(() => postgres.call("postgres_query", { sql: POINT(), params: [2] }))).toMatchObject(
      { roundTrips: 1, simple: 0, parsed: 1 },
    );
  });

  it("each layer alone still sends its own statements", async () => {
    // Layer 2 alone: begin, statement, check + ROLLBACK (no reset).
    const transactionOnly = throughProxy(onlyLayers("readOnlyTransaction"));
    await transactionOnly.call("postgres_query", { sql: POINT(), params: [1] });
    const layer2 = await measure(() => transactionOnly.call("postgres_query", { sql: POINT(), params: [2] }));
    expect(layer2.roundTrips).toBe(3);
    expect(layer2.statements.at(-1)).toMatch(IDENTITY);
    expect(layer2.statements.at(-1)?.endsWith("; ROLLBACK")).toBe(true);
    // Layer 5 alone: statement, then ROLLBACK and the reset.
    const resetOnly = throughProxy(onlyLayers("sessionReset"));
    await resetOnly.call("postgres_query", { sql: POINT(), params: [1] });
    const layer5 = await measure(() => resetOnly.call("postgres_query", { sql: POINT(), params: [2] }));
    expect(layer5.roundTrips).toBe(2);
    expect(layer5.statements.at(-1)).toBe(RESET);
  });
});

describe("the other paths share the batching", () => {
  it("postgres_explain: 3 round trips", async () => {
    const postgres = throughProxy();
    await postgres.call("postgres_explain", { sql: POINT(), params: [1] });
    const traffic = await measure(() => postgres.call("postgres_explain", { sql: POINT(), params: [2] }));
    expect(traffic).toMatchObject({ roundTrips: 3, simple: 2, parsed: 1 });
  });

  it("streamQuery: 3 round trips however many batches it reads", async () => {
    const postgres = throughProxy();
    const sql = `SELECT id, name FROM ${db.name}.items ORDER BY id`;
    let rows = 0;
    const traffic = await measure(async () => {
      const stream = postgres.streamQuery(sql, [], { batchSize: 10 });
      for await (const _row of stream) rows += 1;
      expect(stream.stats.batches).toBe(5);
    });
    expect(rows).toBe(50);
    // Begin, the portal (its batches are Execute + Flush, read without a Sync; one Sync when it closes), end.
    expect(traffic).toMatchObject({ roundTrips: 3, simple: 2, parsed: 1 });
    expect(traffic.statements.at(-1)).toMatch(IDENTITY);
  });

  it("postgres_execute: the write's set-up is one round trip and its reset one (was 10 round trips, now 6)", async () => {
    const postgres = throughProxy();
    const insert = (body: string) => ({
      sql: `INSERT INTO ${db.name}.notes (body) VALUES ($1)`,
      params: [body],
    });
    await postgres.call("postgres_execute", insert("warm"));
    const traffic = await measure(() => postgres.call("postgres_execute", insert("counted")));
    // BEGIN READ WRITE + SET LOCAL + search_path + identity; the target's schema; the INSERT; the check;
    // COMMIT (alone, as always); ROLLBACK + reset.
    expect(traffic.roundTrips).toBe(6);
    expect(traffic.statements[0]).toMatch(
      /^BEGIN READ WRITE; SET LOCAL statement_timeout = \d+; .*SET LOCAL search_path TO /,
    );
    expect(traffic.statements.at(-2)).toBe("COMMIT");
    expect(traffic.statements.at(-1)).toBe(RESET);
  });
});

describe("the session reset is never skipped", () => {
  it("a session advisory lock taken inside a function survives a read-only, rolled-back call; the reset releases it", async () => {
    // pg_advisory_lock is not a write, and the deny list sees the call to hold_lock(), not what it does.
    const held = async () =>
      (
        await db.admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 4711
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )
      ).rows[0]?.n;
    const postgres = throughProxy();
    const { output } = await postgres.call("postgres_query", { sql: `SELECT ${db.name}.hold_lock() AS x` });
    expect(output.items).toEqual([{ x: 1 }]);
    expect(await held()).toBe(0);
    // Control: every layer but the reset. The transaction was rolled back, and the lock is still held.
    const noReset = throughProxy({
      layers: {
        singleStatement: true,
        readOnlyTransaction: true,
        sqlGuard: true,
        functionDenyList: true,
        sessionReset: false,
      },
    });
    await noReset.call("postgres_query", { sql: `SELECT ${db.name}.hold_lock() AS x` });
    expect(await held()).toBe(1);
    // Only the end of the session releases it then.
    await noReset.close();
    for (let attempt = 0; attempt < 50 && (await held()) !== 0; attempt += 1) await sleep(20);
    expect(await held()).toBe(0);
  });
});
