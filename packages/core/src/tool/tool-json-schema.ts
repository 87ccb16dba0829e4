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

/** Bounds that only restate "an integer" (zod's safe-integer bounds, the int32 range). */
const NOISE_INTEGER_BOUNDS = new Set([
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  2_147_483_647,
  -2_147_483_648,
]);

/**
 * String constraints of an input (`pattern`, `minLength`, `maxLength`) are validation details: a model
 * writes owner names, refs and queries the same way with or without them, and the pipeline still validates
 * every call with the zod schema and answers `invalid_input` naming the field. They are a sixth of a
 * connector's tools/list, so they are not advertised. Numeric ranges, array sizes, enums, formats, defaults
 * and `required` change what a model sends, and stay.
 */
const INPUT_VALIDATION_ONLY = new Set(["pattern", "minLength", "maxLength"]);

/** Longer patterns (in outputs) cost more tokens than they help a model. */
const MAX_ADVERTISED_PATTERN = 80;

/** Keywords whose value maps names to subschemas: the names are data, never keywords. */
const SCHEMA_MAP_KEYS = new Set(["properties", "patternProperties", "$defs", "definitions"]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isTypeOnly = (node: unknown): node is { type: string } =>
  isRecord(node) && Object.keys(node).length === 1 && typeof node.type === "string";

/**
 * Shortens unions without changing what they accept. A variant `{ type: "string", enum: [...] }` next to a
 * bare `{ type: "string" }` adds nothing (the bare one accepts it all), so it goes. Then
 * `anyOf: [{ type: "integer" }, { type: "null" }]`, which zod writes for every nullable number, becomes
 * `type: ["integer", "null"]`: the same in half the tokens. Only variants that are nothing but a `type` are
 * merged.
 */
function simplifyUnion(node: Record<string, unknown>): Record<string, unknown> {
  const variants = node.anyOf;
  if (node.type !== undefined || !Array.isArray(variants) || variants.length < 2) return node;
  const bare = new Set(variants.filter(isTypeOnly).map((variant) => variant.type));
  const kept = variants.filter((variant, index) =>
    isTypeOnly(variant)
      ? variants.findIndex((other) => isTypeOnly(other) && other.type === variant.type) === index
      : !(isRecord(variant) && typeof variant.type === "string" && bare.has(variant.type)),
  );
  const { anyOf: _anyOf, ...rest } = node;
  if (!kept.every(isTypeOnly)) return kept.length === variants.length ? node : { anyOf: kept, ...rest };
  const types = kept.map((variant) => variant.type);
  return { type: types.length === 1 ? types[0] : types, ...rest };
}

/**
 * Removes what costs tokens in tools/list without telling a model anything: `$schema`, integer bounds that
 * only say "integer", a regex next to a `format` that already says it (date-time), very long patterns,
 * `additionalProperties: false` on outputs, string validation details on inputs (`INPUT_VALIDATION_ONLY`),
 * and every `description` inside an output schema. Output descriptions were a fifth of tools/list, paid on
 * every model turn, while the result itself shows what each field holds; what a model must know about a
 * result belongs in the tool's description. Validation is unchanged: the pipeline validates input and
 * output with the zod schemas themselves, and the published schema still admits every output.
 */
function compactNode(node: unknown, io: "input" | "output"): unknown {
  if (Array.isArray(node)) return node.map((entry) => compactNode(entry, io));
  if (!isRecord(node)) return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema") continue;
    if ((key === "minimum" || key === "maximum") && NOISE_INTEGER_BOUNDS.has(value as number)) continue;
    if (key === "pattern" && (node.format !== undefined || String(value).length > MAX_ADVERTISED_PATTERN))
      continue;
    if (io === "input" && INPUT_VALIDATION_ONLY.has(key)) continue;
    if (io === "output" && key === "additionalProperties" && value === false) continue;
    if (io === "output" && key === "description" && typeof value === "string") continue;
    result[key] =
      SCHEMA_MAP_KEYS.has(key) && isRecord(value)
        ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, compactNode(sub, io)]))
        : compactNode(value, io);
  }
  return simplifyUnion(result);
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
