import { compactJsonSchema, createConnector, defineTool, READ_ANNOTATIONS } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toFunctionParameters, toOpenAiTools } from "../src/index.js";

/** What OpenAI checks on function `parameters` before it answers `invalid_function_parameters`. */
function expectOpenAiAcceptable(parameters: Record<string, unknown>): void {
  expect(parameters.type).toBe("object");
  expect(parameters).toHaveProperty("properties");
  for (const key of ["anyOf", "oneOf", "allOf", "enum", "const", "not"])
    expect(parameters).not.toHaveProperty(key);
  expect(JSON.stringify(parameters)).not.toContain('"$schema"');
}

describe("toFunctionParameters", () => {
  it("keeps an object schema as it is, minus $schema, and does not touch its input", () => {
    const input = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { q: { type: "string" } },
      required: ["q"],
      additionalProperties: false,
    };
    const copy = structuredClone(input);
    const { parameters, wrapped } = toFunctionParameters(input);
    expect(wrapped).toBe(false);
    expect(parameters).toEqual({
      type: "object",
      properties: { q: { type: "string" } },
      required: ["q"],
      additionalProperties: false,
    });
    expect(input).toEqual(copy);
  });

  it("adds `properties` to object schemas and `items` to array schemas, nested ones included", () => {
    const { parameters } = toFunctionParameters({
      type: "object",
      properties: {
        meta: { type: "object", additionalProperties: { type: "string" } },
        list: { type: "array" },
        pair: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }] },
        nested: { anyOf: [{ type: "object", $schema: "x" }, { type: "null" }] },
      },
    });
    expect(parameters.properties).toEqual({
      meta: { type: "object", additionalProperties: { type: "string" }, properties: {} },
      list: { type: "array", items: {} },
      pair: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }] },
      nested: { anyOf: [{ type: "object", properties: {} }, { type: "null" }] },
    });
    expect(toFunctionParameters({ type: "object" }).parameters).toEqual({ type: "object", properties: {} });
  });

  it("does not mistake a property called $schema for the keyword", () => {
    const { parameters } = toFunctionParameters({
      type: "object",
      properties: { $schema: { type: "string" } },
    });
    expect(parameters.properties).toEqual({ $schema: { type: "string" } });
  });

  it("merges a root union of objects (zod discriminated union) into one object", () => {
    const schema = z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("issue"), number: z.number().int(), repo: z.string() }),
      z.object({ kind: z.literal("search"), query: z.string(), repo: z.string() }),
    ]);
    const json = compactJsonSchema(schema, "input");
    expect(json).not.toHaveProperty("type"); // what zod emits: a bare union at the root
    const { parameters, wrapped } = toFunctionParameters(json);
    expect(wrapped).toBe(false);
    expectOpenAiAcceptable(parameters);
    expect(parameters.properties).toEqual({
      kind: {
        anyOf: [
          { type: "string", const: "issue" },
          { type: "string", const: "search" },
        ],
      },
      number: { type: "integer" },
      repo: { type: "string" },
      query: { type: "string" },
    });
    // Only what every variant requires stays required.
    expect(new Set(parameters.required as string[])).toEqual(new Set(["kind", "repo"]));
  });

  it("merges an object root that also has anyOf/oneOf/allOf/not, keeping the root's own fields", () => {
    const { parameters } = toFunctionParameters({
      type: "object",
      description: "Read one file or several.",
      properties: { encoding: { type: "string" } },
      required: ["encoding"],
      oneOf: [{ required: ["path"] }, { required: ["paths"] }],
      allOf: [
        { type: "object", properties: { path: { type: "string" } } },
        { properties: { paths: { type: "array", items: { type: "string" } } }, required: ["paths"] },
      ],
      not: { required: ["both"] },
    });
    expectOpenAiAcceptable(parameters);
    expect(parameters).toEqual({
      type: "object",
      description: "Read one file or several.",
      properties: {
        encoding: { type: "string" },
        path: { type: "string" },
        paths: { type: "array", items: { type: "string" } },
      },
      required: ["encoding", "paths"],
    });
  });

  it("resolves local $refs of union variants", () => {
    const { parameters } = toFunctionParameters({
      anyOf: [{ $ref: "#/$defs/A" }, { $ref: "#/$defs/B" }],
      $defs: {
        A: { type: "object", properties: { a: { type: "string" } }, required: ["a", "x"] },
        B: { type: "object", properties: { b: { type: "string" } }, required: ["x"] },
      },
    });
    expectOpenAiAcceptable(parameters);
    expect(Object.keys(parameters.properties as object)).toEqual(["a", "b"]);
    expect(parameters.required).toEqual(["x"]);
  });

  it("wraps a non-object root under `input`, hoisting $defs so references still resolve", () => {
    expect(toFunctionParameters({ type: "string", minLength: 1 })).toEqual({
      parameters: {
        type: "object",
        properties: { input: { type: "string", minLength: 1 } },
        required: ["input"],
        additionalProperties: false,
      },
      wrapped: true,
    });
    const union = toFunctionParameters({
      anyOf: [{ type: "string" }, { $ref: "#/$defs/Obj" }],
      $defs: { Obj: { type: "object", properties: { a: { type: "number" } } } },
    });
    expect(union.wrapped).toBe(true);
    expectOpenAiAcceptable(union.parameters);
    expect(union.parameters.$defs).toEqual({
      Obj: { type: "object", properties: { a: { type: "number" } } },
    });
    expect(toFunctionParameters({ enum: ["a", "b"] }).wrapped).toBe(true);
    expect(toFunctionParameters({ type: ["object", "null"], properties: {} }).wrapped).toBe(true);
  });

  it("unwraps the arguments of a wrapped tool before the connector sees them", async () => {
    const seen: unknown[] = [];
    const say = defineTool({
      name: "echo_say_text",
      title: "Say",
      description: "Echoes a string.",
      input: z.string().min(1),
      output: z.object({ said: z.string() }),
      annotations: READ_ANNOTATIONS,
      async execute(input) {
        seen.push(input);
        return { said: input };
      },
    });
    const connector = createConnector({
      id: "echo",
      title: "Echo",
      tools: [say],
      buckets: {},
      client: () => undefined,
    });
    const { tools, dispatch } = toOpenAiTools(connector);
    expect(tools[0]?.function.parameters).toEqual({
      type: "object",
      // minLength is not advertised (core's compact schema); the pipeline still refuses "" below.
      properties: { input: { type: "string" } },
      required: ["input"],
      additionalProperties: false,
    });
    const result = await dispatch({ call_id: "c1", name: "echo_say_text", arguments: '{"input":"hello"}' });
    expect(result.output).toBe('{"said":"hello"}');
    expect(seen).toEqual(["hello"]);
    const bad = await dispatch({ call_id: "c2", name: "echo_say_text", arguments: '{"input":""}' });
    expect(JSON.parse(bad.output).error.code).toBe("invalid_input");
  });
});
