import { z } from "zod";
import type { AnyToolDefinition } from "./define-tool.js";
import type { ToolAnnotations } from "./tool-annotations.js";

export type JsonSchema = Record<string, unknown>;

export interface ToolDescription {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema: JsonSchema;
  readonly annotations: ToolAnnotations;
}

const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);
/** Longer patterns cost more tokens than they help a model; the pipeline still validates them. */
const MAX_ADVERTISED_PATTERN = 80;

/**
 * Removes what costs tokens in tools/list without telling a model anything: `$schema`, the safe-integer
 * bounds zod puts on every integer, a regex next to a `format` that already says it (date-time), very long
 * patterns, and `additionalProperties: false` on outputs. Input validation is unchanged: the pipeline
 * validates with the zod schema itself.
 */
function compactNode(node: unknown, io: "input" | "output"): unknown {
  if (Array.isArray(node)) return node.map((entry) => compactNode(entry, io));
  if (node === null || typeof node !== "object") return node;
  const result: Record<string, unknown> = {};
  const source = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(source)) {
    if (key === "$schema") continue;
    if ((key === "minimum" || key === "maximum") && SAFE_INTEGER_BOUNDS.has(value as number)) continue;
    if (key === "pattern" && (source.format !== undefined || String(value).length > MAX_ADVERTISED_PATTERN))
      continue;
    if (key === "additionalProperties" && value === false && io === "output") continue;
    result[key] = compactNode(value, io);
  }
  return result;
}

/** JSON Schema for a zod schema, compacted: every token in tools/list is paid on every model turn. */
export function compactJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  return compactNode(z.toJSONSchema(schema, { io, unrepresentable: "any" }), io) as JsonSchema;
}

/**
 * The output schema as published. Its top-level fields are not marked required: a failed call returns
 * `{ error: { code, ... } }` as structured content, and clients that validate every result against the
 * output schema (some do, even for `isError` results) must accept it. The pipeline still validates every
 * successful output against the full schema before it leaves the connector.
 */
function publishedOutputSchema(tool: AnyToolDefinition): JsonSchema {
  const { required: _required, ...rest } = compactJsonSchema(tool.publishedOutput, "output");
  return rest;
}

/** The published description of a tool: what MCP's tools/list and function-calling adapters hand out. */
export function describeTool(tool: AnyToolDefinition): ToolDescription {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: compactJsonSchema(tool.input, "input"),
    outputSchema: publishedOutputSchema(tool),
    annotations: tool.annotations,
  };
}
