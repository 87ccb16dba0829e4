import { z } from "zod";
import { definePostgresTool, POSTGRES_READ_ANNOTATIONS, sqlParams, sqlText } from "../postgres-tool.js";

/** Plans larger than this (serialized) are returned as text, which the output budget can shorten. */
const MAX_PLAN_JSON_BYTES = 20_000;

const summaryOutput = z.object({
  nodeType: z.string().nullable(),
  startupCost: z.number().nullable(),
  totalCost: z.number().nullable(),
  planRows: z.number().nullable().describe("The planner's row estimate for the whole statement."),
  planWidth: z.number().nullable(),
  relations: z.array(z.string()).describe("Tables and indexes the plan reads."),
});

const output = z.object({
  summary: summaryOutput,
  plan: z
    .unknown()
    .describe("EXPLAIN (FORMAT JSON) output: the plan tree. Null when it was too large; see planText."),
  planText: z.string().nullable().describe("The plan as JSON text, only when too large for `plan`."),
});

type PlanNode = Record<string, unknown>;

function collectRelations(node: PlanNode, into: Set<string>, depth = 0): void {
  if (depth > 100) return;
  const relation = node["Relation Name"];
  if (typeof relation === "string") {
    const schema = node.Schema;
    into.add(typeof schema === "string" ? `${schema}.${relation}` : relation);
  }
  const index = node["Index Name"];
  if (typeof index === "string") into.add(`index ${index}`);
  const children = node.Plans;
  if (Array.isArray(children))
    for (const child of children) collectRelations(child as PlanNode, into, depth + 1);
}

const numberOrNull = (value: unknown) => (typeof value === "number" ? value : null);

export const postgresExplain = definePostgresTool({
  name: "postgres_explain",
  title: "Explain a query plan",
  description:
    "Show PostgreSQL's plan for one SELECT, INSERT, UPDATE, DELETE or MERGE without running it (EXPLAIN (FORMAT JSON), never ANALYZE): estimated cost, rows and the tables and indexes it would use. Pass the bare statement.",
  input: z.object({ sql: sqlText, params: sqlParams }),
  output,
  annotations: POSTGRES_READ_ANNOTATIONS,
  async execute(input, ctx) {
    const explained = await ctx.client.explain({
      sql: input.sql,
      params: input.params,
      signal: ctx.signal,
      deadlineAt: ctx.deadlineAt,
    });
    const root = Array.isArray(explained)
      ? ((explained[0] as PlanNode | undefined)?.Plan as PlanNode | undefined)
      : undefined;
    const relations = new Set<string>();
    if (root) collectRelations(root, relations);
    const text = JSON.stringify(explained);
    const small = Buffer.byteLength(text) <= MAX_PLAN_JSON_BYTES;
    return {
      summary: {
        nodeType: typeof root?.["Node Type"] === "string" ? (root["Node Type"] as string) : null,
        startupCost: numberOrNull(root?.["Startup Cost"]),
        totalCost: numberOrNull(root?.["Total Cost"]),
        planRows: numberOrNull(root?.["Plan Rows"]),
        planWidth: numberOrNull(root?.["Plan Width"]),
        relations: [...relations].slice(0, 100),
      },
      plan: small ? explained : null,
      planText: small ? null : text,
    };
  },
});
