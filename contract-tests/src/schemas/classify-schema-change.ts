import type { JsonSchema, ToolDescription } from "@switchyard/core";

/** One difference between a tool's published schema before and after, and what it means for callers. */
export interface SchemaChange {
  readonly tool: string;
  /** `breaking`: an existing caller or consumer can fail. `additive`: nothing that worked stops working. */
  readonly kind: "breaking" | "additive";
  /** Where: `input.owner`, `output.items[].title`, `annotations.readOnly`, `tool`. */
  readonly path: string;
  readonly what: string;
}

type Side = "input" | "output";

function typesOf(schema: JsonSchema): string[] {
  const type = schema.type;
  if (Array.isArray(type)) return [...type].map(String).sort();
  if (typeof type === "string") return [type];
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants) return [...new Set(variants.flatMap(typesOf))].sort();
  return [];
}

const asRecord = (value: unknown): Record<string, JsonSchema> =>
  value && typeof value === "object" ? (value as Record<string, JsonSchema>) : {};

/**
 * Compares two JSON Schemas the way a caller (input) or a consumer (output) experiences them. Input may
 * widen (new optional fields, looser bounds, more enum values); output may grow (new fields, fewer enum
 * values, no new null). Anything else can break someone.
 */
function compare(
  before: JsonSchema,
  after: JsonSchema,
  side: Side,
  path: string,
  add: (kind: SchemaChange["kind"], path: string, what: string) => void,
): void {
  const beforeTypes = typesOf(before);
  const afterTypes = typesOf(after);
  const removedTypes = beforeTypes.filter((type) => !afterTypes.includes(type));
  const addedTypes = afterTypes.filter((type) => !beforeTypes.includes(type));
  if (removedTypes.length > 0 || addedTypes.length > 0) {
    // Accepting more input types, or producing fewer output types, is safe; the opposite is not.
    const narrowing = side === "input" ? removedTypes.length > 0 : addedTypes.length > 0;
    add(
      narrowing ? "breaking" : "additive",
      path,
      `type ${beforeTypes.join("|") || "any"} -> ${afterTypes.join("|") || "any"}`,
    );
  }

  const beforeEnum = before.enum as unknown[] | undefined;
  const afterEnum = after.enum as unknown[] | undefined;
  if (beforeEnum || afterEnum) {
    const dropped = (beforeEnum ?? []).filter((value) => !(afterEnum ?? []).includes(value));
    const gained = (afterEnum ?? []).filter((value) => !(beforeEnum ?? []).includes(value));
    if (side === "input") {
      if (dropped.length > 0 || (afterEnum && !beforeEnum))
        add("breaking", path, `enum no longer accepts ${JSON.stringify(dropped)}`);
      if (gained.length > 0 && beforeEnum)
        add("additive", path, `enum also accepts ${JSON.stringify(gained)}`);
    } else {
      if (gained.length > 0 || (beforeEnum && !afterEnum))
        add("breaking", path, `enum may now produce ${JSON.stringify(gained)}`);
      if (dropped.length > 0) add("additive", path, `enum no longer produces ${JSON.stringify(dropped)}`);
    }
  }

  if (side === "input") {
    for (const [key, tighter] of [
      ["maximum", (a: number, b: number) => b < a],
      ["maxLength", (a: number, b: number) => b < a],
      ["maxItems", (a: number, b: number) => b < a],
      ["minimum", (a: number, b: number) => b > a],
      ["minLength", (a: number, b: number) => b > a],
      ["minItems", (a: number, b: number) => b > a],
    ] as const) {
      const a = before[key] as number | undefined;
      const b = after[key] as number | undefined;
      if (a === b) continue;
      if (b !== undefined && (a === undefined || tighter(a, b)))
        add("breaking", path, `${key} ${a ?? "none"} -> ${b}`);
      else add("additive", path, `${key} ${a} -> ${b ?? "none"}`);
    }
    if (before.pattern !== after.pattern) {
      // A new or different pattern may refuse input that passed; no pattern refuses nothing more.
      add(
        after.pattern === undefined ? "additive" : "breaking",
        path,
        `pattern ${String(before.pattern ?? "none")} -> ${String(after.pattern ?? "none")}`,
      );
    }
  }

  const beforeProps = asRecord(before.properties);
  const afterProps = asRecord(after.properties);
  const beforeRequired = new Set((before.required as string[] | undefined) ?? []);
  const afterRequired = new Set((after.required as string[] | undefined) ?? []);
  for (const name of Object.keys(beforeProps)) {
    const child = `${path}.${name}`;
    const next = afterProps[name];
    if (!next) {
      add("breaking", child, side === "input" ? "input field removed" : "output field removed");
      continue;
    }
    compare(beforeProps[name] as JsonSchema, next, side, child, add);
    if (side === "input" && !beforeRequired.has(name) && afterRequired.has(name))
      add("breaking", child, "became required");
    if (side === "input" && beforeRequired.has(name) && !afterRequired.has(name))
      add("additive", child, "became optional");
    if (side === "output" && beforeRequired.has(name) && !afterRequired.has(name))
      add("breaking", child, "may now be absent");
  }
  for (const name of Object.keys(afterProps)) {
    if (beforeProps[name]) continue;
    const child = `${path}.${name}`;
    if (side === "input" && afterRequired.has(name)) add("breaking", child, "new required input field");
    else add("additive", child, side === "input" ? "new optional input field" : "new output field");
  }

  if (before.items && after.items)
    compare(before.items as JsonSchema, after.items as JsonSchema, side, `${path}[]`, add);
  if (before.description !== after.description) add("additive", path, "description changed");
}

/** Every difference between two published tool sets of one connector, classified. */
export function classifyToolChanges(
  before: readonly ToolDescription[],
  after: readonly ToolDescription[],
): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const byName = new Map(after.map((tool) => [tool.name, tool]));
  for (const old of before) {
    const current = byName.get(old.name);
    if (!current) {
      changes.push({ tool: old.name, kind: "breaking", path: "tool", what: "tool removed" });
      continue;
    }
    const add = (kind: SchemaChange["kind"], path: string, what: string) =>
      changes.push({ tool: old.name, kind, path, what });
    compare(old.inputSchema, current.inputSchema, "input", "input", add);
    compare(old.outputSchema, current.outputSchema, "output", "output", add);
    if (old.annotations.readOnly && !current.annotations.readOnly)
      add("breaking", "annotations.readOnly", "now writes");
    if (!old.annotations.destructive && current.annotations.destructive)
      add("breaking", "annotations.destructive", "now destructive");
    if (old.annotations.idempotent && !current.annotations.idempotent)
      add("breaking", "annotations.idempotent", "no longer idempotent");
    if (old.description !== current.description || old.title !== current.title)
      add("additive", "tool", "title or description changed");
  }
  for (const tool of after) {
    if (!before.some((old) => old.name === tool.name)) {
      changes.push({ tool: tool.name, kind: "additive", path: "tool", what: "new tool" });
    }
  }
  return changes;
}
