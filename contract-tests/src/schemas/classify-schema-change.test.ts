import type { ToolDescription } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import { classifyToolChanges } from "./classify-schema-change.js";

function tool(overrides: Partial<ToolDescription> = {}): ToolDescription {
  return {
    name: "x_list_things",
    title: "List things",
    description: "Lists things.",
    inputSchema: {
      type: "object",
      properties: {
        owner: { type: "string", maxLength: 39 },
        state: { type: "string", enum: ["open", "closed"] },
        limit: { type: "integer", minimum: 1, maximum: 100 },
      },
      required: ["owner"],
    },
    outputSchema: {
      type: "object",
      properties: {
        items: {
          type: "array",
          items: {
            type: "object",
            properties: { id: { type: "integer" }, title: { type: "string" } },
            required: ["id", "title"],
          },
        },
        nextCursor: { type: ["string", "null"] },
      },
    },
    annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
    ...overrides,
  };
}

const kinds = (before: ToolDescription, after: ToolDescription) =>
  classifyToolChanges([before], [after]).map((change) => `${change.kind} ${change.path}: ${change.what}`);

describe("classifyToolChanges", () => {
  it("finds nothing when nothing changed", () => {
    expect(classifyToolChanges([tool()], [tool()])).toEqual([]);
  });

  it("calls new tools and new optional input or new output fields additive", () => {
    const base = tool();
    const wider = tool({
      inputSchema: {
        ...base.inputSchema,
        properties: { ...(base.inputSchema.properties as object), label: { type: "string" } },
      },
      outputSchema: {
        ...base.outputSchema,
        properties: { ...(base.outputSchema.properties as object), note: { type: "string" } },
      },
    });
    expect(kinds(base, wider)).toEqual([
      "additive input.label: new optional input field",
      "additive output.note: new output field",
    ]);
    expect(classifyToolChanges([base], [base, tool({ name: "x_get_thing" })])).toEqual([
      { tool: "x_get_thing", kind: "additive", path: "tool", what: "new tool" },
    ]);
  });

  it("calls dropped descriptions, patterns and string bounds additive, and optional output fields breaking", () => {
    const base = tool({
      inputSchema: {
        type: "object",
        properties: {
          owner: { type: "string", maxLength: 39, pattern: "^[a-z]+$", description: "Owner." },
        },
        required: ["owner"],
      },
      outputSchema: {
        type: "object",
        properties: {
          id: { type: "integer", description: "Id." },
          closedAt: { type: ["string", "null"] },
        },
        required: ["id", "closedAt"],
      },
    });
    const compact = tool({
      inputSchema: { type: "object", properties: { owner: { type: "string" } }, required: ["owner"] },
      outputSchema: {
        type: "object",
        properties: { id: { type: "integer" }, closedAt: { type: "string" } },
        required: ["id"],
      },
    });
    expect(kinds(base, compact)).toEqual([
      "additive input.owner: maxLength 39 -> none",
      "additive input.owner: pattern ^[a-z]+$ -> none",
      "additive input.owner: description changed",
      "additive output.id: description changed",
      "additive output.closedAt: type null|string -> string",
      "breaking output.closedAt: may now be absent",
    ]);
  });

  it("calls removals, new required inputs, tighter bounds, narrower enums and retyped outputs breaking", () => {
    const base = tool();
    const input = base.inputSchema as { properties: Record<string, object>; required: string[] };
    const narrower = tool({
      inputSchema: {
        type: "object",
        properties: {
          owner: { type: "string", maxLength: 20 },
          state: { type: "string", enum: ["open"] },
          limit: input.properties.limit as object,
          repo: { type: "string" },
        },
        required: ["owner", "repo"],
      },
      outputSchema: {
        type: "object",
        properties: {
          items: {
            type: "array",
            items: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
          },
          nextCursor: { type: ["string", "null"] },
        },
      },
    });
    expect(kinds(base, narrower)).toEqual([
      "breaking input.owner: maxLength 39 -> 20",
      'breaking input.state: enum no longer accepts ["closed"]',
      "breaking input.repo: new required input field",
      "breaking output.items[].id: type integer -> string",
      "breaking output.items[].title: output field removed",
    ]);
    expect(classifyToolChanges([base], [])).toEqual([
      { tool: "x_list_things", kind: "breaking", path: "tool", what: "tool removed" },
    ]);
  });

  it("treats a read tool that starts writing, and output that may become null, as breaking", () => {
    const base = tool();
    const writes = tool({ annotations: { ...base.annotations, readOnly: false } });
    expect(kinds(base, writes)).toEqual(["breaking annotations.readOnly: now writes"]);
    const nullable = tool({
      outputSchema: {
        ...base.outputSchema,
        properties: {
          ...(base.outputSchema.properties as object),
          nextCursor: { type: ["string", "null", "integer"] },
        },
      },
    });
    expect(kinds(base, nullable)).toEqual([
      "breaking output.nextCursor: type null|string -> integer|null|string",
    ]);
  });
});
