import { listInputShape, listOutputSchema, nextFromKeyset } from "@switchyard/core";
import { z } from "zod";
import { definePostgresTool, POSTGRES_READ_ANNOTATIONS } from "../postgres-tool.js";

const schemaOutput = z.object({
  name: z.string(),
  owner: z.string(),
  comment: z.string().nullable(),
  tables: z.number().int().describe("Tables, views, materialized views and foreign tables in the schema."),
  writable: z
    .boolean()
    .describe("postgres_execute may write here without an approval (a listed write schema)."),
});

interface SchemaRow extends Record<string, unknown> {
  name: string;
  owner: string;
  comment: string | null;
  tables: number;
}

export const postgresListSchemas = definePostgresTool({
  name: "postgres_list_schemas",
  title: "List schemas",
  description:
    "List the database's schemas (system schemas hidden unless includeSystem), with owner, comment and table count. Start here, then use postgres_list_tables.",
  input: z.object({
    includeSystem: z
      .boolean()
      .default(false)
      .describe("Include pg_catalog, information_schema and pg_toast."),
    ...listInputShape(200, 100),
  }),
  output: listOutputSchema(schemaOutput),
  annotations: POSTGRES_READ_ANNOTATIONS,
  async execute(input, ctx) {
    return ctx.list<z.input<typeof schemaOutput>, string>({
      limit: input.limit,
      cursor: input.cursor,
      start: "",
      maxPageSize: 200,
      fetchPage: async (after, pageSize, signal) => {
        const rows = await ctx.client.catalog({ signal, deadlineAt: ctx.deadlineAt }, (query) =>
          query<SchemaRow>(
            `SELECT n.nspname::text AS name, pg_catalog.pg_get_userbyid(n.nspowner)::text AS owner,
               pg_catalog.obj_description(n.oid, 'pg_namespace') AS comment,
               (SELECT count(*)::int FROM pg_catalog.pg_class c
                 WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')) AS tables
             FROM pg_catalog.pg_namespace n
             WHERE n.nspname::text COLLATE "C" > $1::text
               AND ($2::boolean OR (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'))
             ORDER BY n.nspname::text COLLATE "C"
             LIMIT $3`,
            [after, input.includeSystem, pageSize],
          ),
        );
        const items = rows.map((row) => ({ ...row, writable: ctx.client.isWriteSchemaListed(row.name) }));
        return { items, next: nextFromKeyset(items, (item) => item.name, pageSize) };
      },
    });
  },
});
