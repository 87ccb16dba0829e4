import { createPostgresConnector } from "@switchyard/postgres";
import pg from "pg";
import { createBenchDatabase, ITEM_ROWS } from "../lib/database.js";
import { DATABASE_URL } from "../lib/environment.js";
import type {
  ConnectorBench,
  OutputMeasurement,
  OverheadScenario,
  OverheadSetup,
} from "./connector-bench.js";

const POINT = "SELECT id, name, email, country, score, created_at FROM public.items WHERE id = $1";
const HUNDRED =
  "SELECT id, name, email, country, score, created_at FROM public.items WHERE id <= 100 ORDER BY id";
const ALL_ROWS = "SELECT id, name, email, country, score, created_at FROM public.items ORDER BY id";

const LAYERS_OFF = {
  singleStatement: false,
  readOnlyTransaction: false,
  sqlGuard: false,
  functionDenyList: false,
  sessionReset: false,
} as const;

export const postgresBench: ConnectorBench = {
  id: "postgres",
  packageName: "@switchyard/postgres",
  listing: () => createPostgresConnector({ connectionString: DATABASE_URL }),

  // A database is the same server either way: always the real PostgreSQL 15.
  async overhead(): Promise<OverheadSetup> {
    const database = await createBenchDatabase();
    const connector = createPostgresConnector({ connectionString: database.url });
    const layersOff = createPostgresConnector({ connectionString: database.url }, { layers: LAYERS_OFF });
    const pool = new pg.Pool({ connectionString: database.url, max: 5 });
    let id = 0;
    const nextId = () => (id = (id % ITEM_ROWS) + 1);
    const scenarios: OverheadScenario[] = [
      {
        name: "postgres_query (1 row by primary key)",
        bareClient: "pg.Pool query",
        switchyard: () => connector.call("postgres_query", { sql: POINT, params: [nextId()] }),
        bare: () => pool.query(POINT, [nextId()]),
      },
      {
        name: "postgres_query (1 row), read-only layers off",
        bareClient: "pg.Pool query",
        switchyard: () => layersOff.call("postgres_query", { sql: POINT, params: [nextId()] }),
        bare: () => pool.query(POINT, [nextId()]),
      },
      {
        name: "postgres_query (100 rows)",
        bareClient: "pg.Pool query",
        switchyard: () => connector.call("postgres_query", { sql: HUNDRED, limit: 100 }),
        bare: () => pool.query(HUNDRED),
      },
    ];
    return {
      upstream: "PostgreSQL 15 on 127.0.0.1",
      scenarios,
      notes: [
        "postgres: every postgres_query runs the read-only layers (libpg-query parse; BEGIN READ ONLY, SET LOCAL limits and an identity check in one message; the statement; the identity check, ROLLBACK and a session reset equal to DISCARD ALL in one message): 3 round trips where the bare `pool.query` makes 1. The `layers off` row (the connector's testing option, never for production) separates the shared pipeline from those layers.",
      ],
      async close() {
        await connector.close();
        await layersOff.close();
        await pool.end();
        await database.drop();
      },
    };
  },

  async outputs(): Promise<OutputMeasurement[]> {
    const database = await createBenchDatabase();
    const connector = createPostgresConnector({ connectionString: database.url });
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const first = await connector.call("postgres_query", { sql: ALL_ROWS, limit: 1000 });
      // Follow the cursor to the end: every page within the budget, every row exactly once.
      let calls = 1;
      let rows = (first.output.items as unknown[]).length;
      let largestTokens = first.metadata.outputTokens;
      let cursor = first.output.nextCursor as string | null;
      while (cursor) {
        const page = await connector.call("postgres_query", { sql: ALL_ROWS, limit: 1000, cursor });
        calls += 1;
        rows += (page.output.items as unknown[]).length;
        largestTokens = Math.max(largestTokens, page.metadata.outputTokens);
        cursor = page.output.nextCursor as string | null;
      }
      const raw = await pool.query(ALL_ROWS);
      return [
        {
          call: `postgres_query (${ITEM_ROWS.toLocaleString("en-US")}-row result, limit 1000)`,
          items: (first.output.items as unknown[]).length,
          truncated: first.metadata.truncated,
          hasCursor: typeof first.output.nextCursor === "string",
          output: first.output,
          rawUpstream: JSON.stringify(raw.rows),
          budgetTarget: true,
          notes: [
            `postgres: following nextCursor read all ${rows.toLocaleString("en-US")} of ${ITEM_ROWS.toLocaleString("en-US")} rows in ${calls} calls; the largest page was ${largestTokens.toLocaleString("en-US")} tokens by core's estimate (budget 8,000 estimated tokens / 32 KiB).`,
          ],
        },
      ];
    } finally {
      await connector.close();
      await pool.end();
      await database.drop();
    }
  },
};
