import { listInputShape, listOutputSchema, nextFromKeyset } from "@switchyard/core";
import { z } from "zod";
import { definePostgresTool, identifier, POSTGRES_READ_ANNOTATIONS } from "../postgres-tool.js";

const KINDS: Readonly<Record<string, string>> = {
  r: "table",
  p: "partitioned table",
  v: "view",
  m: "materialized view",
  f: "foreign table",
};

const tableOutput = z.object({
  schema: z.string(),
  name: z.string(),
  kind: z.enum(["table", "partitioned table", "view", "materialized view", "foreign table"]),
  rowEstimate: z
    .number()
    .nullable()
    .describe(
      "The planner's estimate (pg_class.reltuples); null when the table was never analyzed. Not a count.",
    ),
  comment: z.string().nullable(),
  readable: z.boolean().describe("This role may SELECT from it."),
});

interface TableRow extends Record<string, unknown> {
  schema: string;
  name: string;
  kind: string;
  row_estimate: number | null;
  comment: string | null;
  readable: boolean;
}

export const postgresListTables = definePostgresTool({
  name: "postgres_list_tables",
  title: "List tables",
  description:
    "List tables, views, materialized views and foreign tables, by schema and name, with estimated row counts (from statistics, not counted) and comments. Use postgres_describe_table for columns and keys.",
  input: z.object({
    schema: identifier
      .optional()
      .describe("Only this schema (exact name). Default: every non-system schema."),
    includeViews: z.boolean().default(true),
    ...listInputShape(200, 100),
  }),
  output: listOutputSchema(tableOutput),
  annotations: POSTGRES_READ_ANNOTATIONS,
  async execute(input, ctx) {
    const kinds = input.includeViews ? ["r", "p", "v", "m", "f"] : ["r", "p", "f"];
    return ctx.list<z.input<typeof tableOutput>, [string, string]>({
      limit: input.limit,
      cursor: input.cursor,
      start: ["", ""],
      maxPageSize: 200,
      fetchPage: async ([afterSchema, afterName], pageSize, signal) => {
        const rows = await ctx.client.catalog({ signal, deadlineAt: ctx.deadlineAt }, (query) =>
          query<TableRow>(
            `SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind,
               CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::float8 END AS row_estimate,
               pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
               pg_catalog.has_table_privilege(c.oid, 'SELECT') AS readable
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind::text = ANY($1::text[]) AND NOT c.relispartition
               AND (CASE WHEN $2::text IS NULL THEN n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
                    ELSE n.nspname = $2::text END)
               AND (n.nspname::text COLLATE "C" > $3::text
                    OR (n.nspname::text = $3::text AND c.relname::text COLLATE "C" > $4::text))
             ORDER BY n.nspname::text COLLATE "C", c.relname::text COLLATE "C"
             LIMIT $5`,
            [kinds, input.schema ?? null, afterSchema, afterName, pageSize],
          ),
        );
        const items = rows.map((row) => ({
          schema: row.schema,
          name: row.name,
          kind: (KINDS[row.kind] ?? "table") as z.input<typeof tableOutput>["kind"],
          rowEstimate: row.row_estimate,
          comment: row.comment,
          readable: row.readable,
        }));
        return {
          items,
          next: nextFromKeyset(items, (item) => [item.schema, item.name] as [string, string], pageSize),
        };
      },
    });
  },
});
