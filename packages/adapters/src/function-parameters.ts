import type { JsonSchema } from "@switchyard/core";

/** The argument name a non-object input schema is wrapped under (see `toFunctionParameters`). */
export const WRAPPED_INPUT_KEY = "input";

/** Keywords OpenAI refuses at the root of function `parameters` ("must have type 'object' and not have ..."). */
const ROOT_FORBIDDEN = ["anyOf", "oneOf", "allOf", "enum", "const", "not"] as const;

/** Keywords whose value is one subschema. */
const SUBSCHEMA_KEYS = [
  "items",
  "additionalProperties",
  "unevaluatedProperties",
  "propertyNames",
  "contains",
  "not",
  "if",
  "then",
  "else",
] as const;
/** Keywords whose value is a list of subschemas. */
const SUBSCHEMA_LIST_KEYS = ["anyOf", "oneOf", "allOf", "prefixItems"] as const;
/** Keywords whose value maps names to subschemas. */
const SUBSCHEMA_MAP_KEYS = [
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
] as const;

export interface FunctionParameters {
  /** An object JSON Schema that function-calling APIs accept as `parameters`. */
  readonly parameters: JsonSchema;
  /**
   * True when the tool's input is not an object: `parameters` then has one property, `input`, holding the
   * real schema, and the adapter passes `arguments.input` to the connector.
   */
  readonly wrapped: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const hasType = (schema: Record<string, unknown>, type: string): boolean =>
  schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));

/**
 * Cleans one schema node and everything under it: no `$schema`/`$id` anywhere, every object schema has
 * `properties` and every array schema has `items` (OpenAI answers "object schema missing properties" and
 * "array schema missing items" otherwise). Returns a new object; the input is not touched.
 */
function cleanNode(node: unknown): unknown {
  if (!isRecord(node)) return structuredClone(node);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema" || key === "$id") continue;
    if ((SUBSCHEMA_KEYS as readonly string[]).includes(key)) {
      out[key] = cleanNode(value);
    } else if ((SUBSCHEMA_LIST_KEYS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map(cleanNode);
    } else if ((SUBSCHEMA_MAP_KEYS as readonly string[]).includes(key) && isRecord(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, cleanNode(sub)]));
    } else {
      out[key] = structuredClone(value);
    }
  }
  if (hasType(out, "object") && out.properties === undefined) out.properties = {};
  if (hasType(out, "array") && out.items === undefined && out.prefixItems === undefined) out.items = {};
  return out;
}

/** Resolves a local `#/$defs/X` (or `#/definitions/X`) reference against the root; anything else as is. */
function resolveLocalRef(node: unknown, root: Record<string, unknown>): unknown {
  if (!isRecord(node) || typeof node.$ref !== "string") return node;
  const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(node.$ref);
  const table = match ? root[match[1] as string] : undefined;
  return isRecord(table) && match ? (table[match[2] as string] ?? node) : node;
}

/** A schema that only objects satisfy, or that constrains only object keywords (`{ required: [...] }`). */
function isObjectVariant(node: unknown): node is Record<string, unknown> {
  if (!isRecord(node)) return false;
  if (node.type !== undefined) return node.type === "object";
  if (node.enum !== undefined || node.const !== undefined) return false;
  return isRecord(node.properties) || Array.isArray(node.required);
}

const requiredOf = (node: Record<string, unknown>): string[] =>
  Array.isArray(node.required)
    ? node.required.filter((name): name is string => typeof name === "string")
    : [];

/**
 * Turns a tool's input JSON Schema into function-calling `parameters` that OpenAI (and the providers behind
 * the Vercel AI SDK and LangChain) accept:
 *
 * - `$schema`/`$id` are dropped everywhere; object schemas get `properties`, array schemas get `items`.
 * - The root must be `type: "object"` without `anyOf`/`oneOf`/`allOf`/`enum`/`const`/`not`. A root union
 *   whose variants are all objects is merged into one object: every variant's properties (a property the
 *   variants describe differently becomes an `anyOf`), required = what every `anyOf`/`oneOf` variant
 *   requires plus what any `allOf` part requires. `enum`/`const`/`not` on an object root are dropped.
 * - Any other root (a string, an array, a union with non-object variants) is wrapped as
 *   `{ type: "object", properties: { input: <schema> }, required: ["input"] }` with `$defs` hoisted so
 *   references still resolve; `wrapped: true` tells the adapter to unwrap the arguments.
 *
 * Merging loosens the schema a little. That is safe: the connector validates every call against its real
 * zod schema and answers `invalid_input` with the offending fields.
 */
export function toFunctionParameters(inputSchema: JsonSchema): FunctionParameters {
  const root = cleanNode(inputSchema) as Record<string, unknown>;
  const forbidden = ROOT_FORBIDDEN.filter((key) => root[key] !== undefined);
  if (root.type === "object" && forbidden.length === 0) return { parameters: root, wrapped: false };

  const unions = (["anyOf", "oneOf", "allOf"] as const).flatMap((key) =>
    Array.isArray(root[key])
      ? [{ key, variants: (root[key] as unknown[]).map((v) => resolveLocalRef(v, root)) }]
      : [],
  );
  const objectRoot =
    root.type === "object" ||
    (root.type === undefined &&
      root.enum === undefined &&
      root.const === undefined &&
      (unions.length > 0
        ? unions.every(({ variants }) => variants.length > 0 && variants.every(isObjectVariant))
        : isRecord(root.properties)));

  if (objectRoot) {
    const properties: Record<string, unknown[]> = {};
    const addProperties = (node: Record<string, unknown>) => {
      for (const [name, sub] of Object.entries(isRecord(node.properties) ? node.properties : {})) {
        const known = properties[name] ?? [];
        if (!known.some((candidate) => JSON.stringify(candidate) === JSON.stringify(sub))) known.push(sub);
        properties[name] = known;
      }
    };
    addProperties(root);
    const required = new Set(requiredOf(root));
    for (const { key, variants } of unions) {
      // Under `type: "object"` a non-object variant can never match; it adds nothing.
      const objects = variants.filter(isObjectVariant);
      objects.forEach(addProperties);
      const lists = objects.map(requiredOf);
      const names =
        key === "allOf"
          ? lists.flat()
          : (lists[0] ?? []).filter((name) => lists.every((list) => list.includes(name)));
      for (const name of names) required.add(name);
    }
    const { anyOf: _a, oneOf: _o, allOf: _l, enum: _e, const: _c, not: _n, required: _r, ...rest } = root;
    return {
      parameters: {
        ...rest,
        type: "object",
        properties: Object.fromEntries(
          Object.entries(properties).map(([name, known]) => [
            name,
            known.length === 1 ? known[0] : { anyOf: known },
          ]),
        ),
        ...(required.size > 0 ? { required: [...required] } : {}),
      },
      wrapped: false,
    };
  }

  const { $defs, definitions, ...inner } = root;
  return {
    parameters: {
      type: "object",
      properties: { [WRAPPED_INPUT_KEY]: inner },
      required: [WRAPPED_INPUT_KEY],
      additionalProperties: false,
      ...($defs === undefined ? {} : { $defs }),
      ...(definitions === undefined ? {} : { definitions }),
    },
    wrapped: true,
  };
}
