import { z } from "zod";
import { definePostgresTool, POSTGRES_WRITE_ANNOTATIONS, sqlParams, sqlText } from "../postgres-tool.js";
import { describeWriteSync } from "../read-only/sql-guard.js";
import { columnOutput } from "./postgres-query.js";

const output = z.object({
  command: z.string().describe("INSERT, UPDATE, DELETE or MERGE."),
  rowsAffected: z.number().int(),
  schemas: z.array(z.string()).describe("The schemas the statement wrote to."),
  columns: z.array(columnOutput).describe("Columns of the RETURNING rows (empty without RETURNING)."),
  returning: z.array(z.record(z.string(), z.unknown())).describe("RETURNING rows, at most returningLimit."),
  returningTruncated: z.boolean(),
});

/**
 * postgres_execute for a connector whose unqualified names resolve in `defaultSchema`: the approval summary
 * and targets (describeCall, which sees only the input) must name the same schema the write will use.
 */
export function createPostgresExecuteTool(defaultSchema = "public") {
  return definePostgresTool({
    name: "postgres_execute",
    title: "Execute a write",
    description:
      "Run one INSERT, UPDATE, DELETE or MERGE in its own transaction and report the rows affected (and up to returningLimit RETURNING rows). Only schemas the operator allowed (or approved for this call) may be written; unqualified table names resolve in the default schema. Not idempotent: after a timeout, read the data before retrying. Schema changes and multiple statements are refused.",
    input: z.object({
      sql: sqlText,
      params: sqlParams,
      returningLimit: z.number().int().min(0).max(100).default(20).describe("RETURNING rows to include."),
    }),
    output,
    annotations: POSTGRES_WRITE_ANNOTATIONS,
    describeCall: (input) => {
      const described = describeWriteSync(input.sql, defaultSchema);
      if (!described) {
        // Unparsed SQL counts as touching an unlisted target: approval policies then ask, or the call is refused.
        return { summary: `Execute SQL: ${input.sql.slice(0, 120)}`, targets: ["(unparsed statement)"] };
      }
      return {
        summary: `${described.command} on ${described.tables.join(", ") || "(no table)"}`,
        targets: described.schemas,
      };
    },
    async execute(input, ctx) {
      const outcome = await ctx.client.write({
        sql: input.sql,
        params: input.params,
        approvedSchemas: ctx.approvedTargets,
        returningLimit: input.returningLimit,
        signal: ctx.signal,
        deadlineAt: ctx.deadlineAt,
      });
      return {
        ...outcome,
        columns: outcome.columns.map(({ name, key, type }) => ({ name, key, type })),
      };
    },
  });
}

/** postgres_execute with unqualified names in `public`. */
export const postgresExecute = createPostgresExecuteTool();
