import type { ToolAnnotations, ToolDefinition, ToolSpec } from "@switchyard/core";
import { defineTool, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import type { PostgresClient } from "./postgres-client.js";

/** core's defineTool with the client type fixed, so every tool's `ctx.client` is a PostgresClient. */
export function definePostgresTool<InputSchema extends z.ZodType, OutputSchema extends z.ZodObject>(
  spec: ToolSpec<InputSchema, OutputSchema, PostgresClient>,
): ToolDefinition<InputSchema, OutputSchema, PostgresClient> {
  return defineTool(spec);
}

/** Reads: the database is the operator's own system, not the open world. */
export const POSTGRES_READ_ANNOTATIONS: ToolAnnotations = { ...READ_ANNOTATIONS, openWorld: false };

/** postgres_execute: changes or deletes rows, and running it twice may apply it twice. */
export const POSTGRES_WRITE_ANNOTATIONS: ToolAnnotations = {
  readOnly: false,
  destructive: true,
  idempotent: false,
  openWorld: false,
};

/** A bind parameter ($1, $2, ...): JSON values; arrays become PostgreSQL arrays, objects JSON text. */
export const sqlParam = z.union([
  z.string().max(100_000),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()])).max(10_000),
  z.record(z.string(), z.unknown()),
]);

export const sqlText = z
  .string()
  .min(1)
  .max(100_000)
  .describe("One SQL statement. Pass values as params ($1, $2, ...), never spliced into the text.");

export const sqlParams = z.array(sqlParam).max(100).default([]).describe("Values for $1, $2, ... in order.");

/** A PostgreSQL identifier as the catalog stores it (case-sensitive, unquoted). */
export const identifier = z.string().min(1).max(63);
