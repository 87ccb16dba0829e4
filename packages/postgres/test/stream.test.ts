import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ConnectorError } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminPool, closeConnectors, connector } from "./support/database.js";

const ROWS = 200_000;
const SQL = `SELECT g AS id, md5(g::text) AS digest, g * 2::bigint AS doubled
             FROM generate_series(1, ${ROWS}) g ORDER BY g`;

let admin: ReturnType<typeof adminPool>;

beforeAll(() => {
  admin = adminPool();
});

afterAll(async () => {
  await closeConnectors();
  await admin.end();
});

describe("streamQuery", () => {
  it(`streams ${ROWS.toLocaleString("en")} rows through a server-side cursor, a batch at a time`, async () => {
    const postgres = connector({ applicationName: "sy-pg-stream" });
    const stream = postgres.streamQuery(SQL, [], { batchSize: 2000 });
    let expected = 1;
    let sum = 0;
    let batchesWhenFirstRowArrived = -1;
    let cursorSeenOnServer = false;
    for await (const row of stream) {
      if (expected === 1) {
        batchesWhenFirstRowArrived = stream.stats.batches;
        // While the first rows are consumed, the backend is still inside the statement (a suspended portal in
        // its transaction), with the rest of the rows not yet produced.
        const activity = await admin.query(
          `SELECT a.state, a.query, a.xact_start IS NOT NULL AS in_transaction
           FROM pg_stat_activity a WHERE a.pid = $1`,
          [stream.stats.backendPid],
        );
        const backend = activity.rows[0];
        cursorSeenOnServer =
          backend?.in_transaction === true &&
          String(backend?.query).includes(`generate_series(1, ${ROWS})`) &&
          backend?.state !== "idle";
      }
      expect(row.id).toBe(expected);
      sum += row.doubled as number;
      expected += 1;
    }
    expect(expected - 1).toBe(ROWS);
    expect(sum).toBe(ROWS * (ROWS + 1));
    expect(stream.columns()?.map((column) => [column.name, column.type])).toEqual([
      ["id", "integer"],
      ["digest", "text"],
      ["doubled", "bigint"],
    ]);
    // The first row arrived after one batch, not after all of them: rows are not accumulated.
    expect(batchesWhenFirstRowArrived).toBe(1);
    expect(stream.stats.batches).toBe(ROWS / 2000);
    expect(stream.stats.peakBufferedRows).toBe(2000);
    expect(cursorSeenOnServer).toBe(true);
    // The connection went back clean.
    expect(postgres.poolStats()).toMatchObject({ total: 1, idle: 1 });
  });

  it("works as a Node object-mode stream with backpressure", async () => {
    const postgres = connector();
    const stream = postgres.streamQuery("SELECT g AS n FROM generate_series(1, 20000) g", [], {
      batchSize: 500,
    });
    let count = 0;
    await pipeline(
      stream.toReadable(),
      new Writable({
        objectMode: true,
        highWaterMark: 4,
        write(row: { n: number }, _encoding, done) {
          count += 1;
          expect(row.n).toBe(count);
          setImmediate(done);
        },
      }),
    );
    expect(count).toBe(20_000);
    expect(stream.stats.batches).toBe(40);
  });

  it("stopping early closes the cursor and returns the connection", async () => {
    const postgres = connector({ max: 1 });
    const stream = postgres.streamQuery(SQL, [], { batchSize: 100 });
    let seen = 0;
    for await (const _row of stream) {
      seen += 1;
      if (seen === 150) break;
    }
    expect(stream.stats.batches).toBe(2);
    const { output } = await postgres.call("postgres_query", {
      sql: "SELECT current_setting('transaction_read_only') AS ro, (SELECT count(*)::int FROM pg_cursors WHERE name <> '') AS cursors",
    });
    expect(output.items).toEqual([{ ro: "on", cursors: 1 }]);
  });

  it("goes through the same read-only layers and maps errors", async () => {
    const postgres = connector();
    const drain = async (sql: string, params: unknown[] = []) => {
      for await (const _row of postgres.streamQuery(sql, params)) {
        // draining
      }
    };
    await expect(drain("DELETE FROM pg_class")).rejects.toMatchObject({ code: "permission_denied" });
    await expect(drain("SELECT pg_read_file('/etc/hostname')")).rejects.toMatchObject({
      details: { layer: "function-deny-list" },
    });
    await expect(drain("SELECT * FROM missing_table_for_stream")).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(drain("SELECT $1::int + 1 AS x", ["nope"])).rejects.toBeInstanceOf(ConnectorError);
    const controller = new AbortController();
    const stream = postgres.streamQuery(SQL, [], { batchSize: 10, signal: controller.signal });
    let seen = 0;
    await expect(
      (async () => {
        for await (const _row of stream) {
          seen += 1;
          if (seen === 5) controller.abort();
        }
      })(),
    ).rejects.toBeDefined();
    expect(seen).toBeLessThan(100);
  });
});
