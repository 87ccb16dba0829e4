import { listOutputSchema, nextFromOffset } from "@switchyard/core";
import { z } from "zod";
import type { ReadPage } from "../postgres-client.js";
import { MAX_ROWS_CEILING } from "../postgres-settings.js";
import { definePostgresTool, POSTGRES_READ_ANNOTATIONS, sqlParams, sqlText } from "../postgres-tool.js";

export const columnOutput = z.object({
  name: z.string().describe("The column name PostgreSQL returned."),
  key: z.string().describe("Its key in each row (the name, or name_2, name_3 for repeated names)."),
  type: z.string().describe("PostgreSQL type, e.g. integer, numeric(10,2), timestamp with time zone."),
});

const rowOutput = z
  .record(z.string(), z.unknown())
  .describe(
    "One row keyed by column key. NULL is null; integers and numerics are numbers while exactly representable, otherwise strings (bigint beyond 2^53, long decimals); booleans; json/jsonb parsed; timestamps ISO 8601 strings; bytea {base64, bytes, truncated}; arrays as arrays; other types as PostgreSQL's text.",
  );

const output = listOutputSchema(rowOutput, {
  columns: z.array(columnOutput),
  orderIsTotal: z
    .boolean()
    .describe(
      "True when the ORDER BY makes the row order total, so nextCursor returns every row exactly once. False: pages may repeat or skip rows (see notes).",
    ),
  notes: z.array(z.string()).describe("Why orderIsTotal is false, when the result spans more than one page."),
});

export const postgresQuery = definePostgresTool({
  name: "postgres_query",
  title: "Run a read-only query",
  description:
    "Run one read-only statement (SELECT, VALUES, TABLE, WITH ... SELECT, or EXPLAIN of those) and get typed rows, at most `limit` per call; pass nextCursor to continue. Writes, transaction control, SET, COPY, DO, CALL, locking clauses and side-effecting functions are refused. For exact paging, ORDER BY a unique key (orderIsTotal says whether it is).",
  input: z.object({
    sql: sqlText,
    params: sqlParams,
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_ROWS_CEILING)
      .default(100)
      .describe("The output budget may return fewer rows, with nextCursor."),
    cursor: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe("nextCursor of the previous call with the same sql and params."),
  }),
  output,
  annotations: POSTGRES_READ_ANNOTATIONS,
  async execute(input, ctx) {
    let last: ReadPage | undefined;
    const limit = Math.min(input.limit, ctx.client.settings.maxRows);
    const page = await ctx.list<Record<string, unknown>, number>({
      limit,
      cursor: input.cursor,
      start: 0,
      maxPageSize: ctx.client.settings.maxRows,
      maxPages: 3,
      fetchPage: async (offset, pageSize, signal) => {
        last = await ctx.client.read({
          sql: input.sql,
          params: input.params,
          offset,
          pageSize,
          signal,
          deadlineAt: ctx.deadlineAt,
        });
        return {
          items: last.rows,
          next: nextFromOffset({ offset, count: last.rows.length, pageSize, isLast: !last.hasMore }),
        };
      },
    });
    return {
      items: page.items,
      nextCursor: page.nextCursor,
      columns: (last?.columns ?? []).map(({ name, key, type }) => ({ name, key, type })),
      orderIsTotal: last?.orderIsTotal ?? true,
      // The order only matters across pages: a result that came back whole needs no warning.
      notes: page.nextCursor !== null || input.cursor !== undefined ? (last?.notes ?? []) : [],
    };
  },
});
