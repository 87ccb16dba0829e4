import { BYTES_PER_TOKEN, DEFAULT_OUTPUT_BUDGET } from "@switchyard/core";
import { CONNECTORS, PENDING_CONNECTORS } from "../connectors/index.js";
import { type BenchReport, type Section, table, verdict } from "../lib/markdown.js";
import { type ListedTool, mcpToolsList } from "../lib/mcp-in-memory.js";
import { integer, percent } from "../lib/stats.js";
import { countTokens, jsonBytes, jsonTokens, TOKENIZER } from "../lib/tokens.js";
import type { BenchOptions } from "./bench-options.js";

/** Target: a connector's default tools/list in tokens. */
export const TOOLS_LIST_TARGET = 2500;

/** Removes every `description` keyword from a JSON Schema (property names stay). */
function withoutDescriptions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (schema === null || typeof schema !== "object") return schema;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` maps names to schemas: a property called "description" is a name, not the keyword.
    if (key === "description" && typeof value === "string") continue;
    result[key] = withoutDescriptions(value);
  }
  return result;
}

function firstSentence(text: string | undefined): string | undefined {
  if (!text) return text;
  const match = /^(.+?[.!?])(\s|$)/.exec(text);
  return match?.[1] ?? text;
}

/** Ways to make tools/list smaller, each applied to every tool, measured on the real entries. */
const REDUCTIONS: readonly { readonly name: string; readonly apply: (tool: ListedTool) => unknown }[] = [
  { name: "as published", apply: (tool) => tool },
  {
    name: "output schema without `description`s",
    apply: (tool) => ({ ...tool, outputSchema: withoutDescriptions(tool.outputSchema) }),
  },
  {
    name: "no output schema",
    apply: ({ outputSchema: _outputSchema, ...tool }) => tool,
  },
  {
    name: "tool descriptions cut to their first sentence",
    apply: (tool) => ({ ...tool, description: firstSentence(tool.description) }),
  },
  {
    name: "no `annotations.title` (repeats `title`)",
    apply: (tool) => {
      const { title: _title, ...annotations } = (tool.annotations ?? {}) as Record<string, unknown>;
      return { ...tool, annotations };
    },
  },
  {
    name: "all schema `description`s removed (input and output)",
    apply: (tool) => ({
      ...tool,
      inputSchema: withoutDescriptions(tool.inputSchema),
      outputSchema: withoutDescriptions(tool.outputSchema),
    }),
  },
  {
    name: "no output schema + input `description`s removed (names and types only)",
    apply: ({ outputSchema: _outputSchema, ...tool }) => ({
      ...tool,
      inputSchema: withoutDescriptions(tool.inputSchema),
    }),
  },
  {
    name: "no output schema + first-sentence descriptions + no annotations.title",
    apply: ({ outputSchema: _outputSchema, ...tool }) => {
      const { title: _title, ...annotations } = (tool.annotations ?? {}) as Record<string, unknown>;
      return { ...tool, description: firstSentence(tool.description), annotations };
    },
  },
];

type Item = Record<string, unknown>;

const isEmpty = (value: unknown) =>
  value === null || value === false || value === 0 || (Array.isArray(value) && value.length === 0);
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})T[\d:.]+(Z|[+-]\d{2}:\d{2})$/;

/** Ways to make a list result smaller, applied to its items; measured, not applied to any connector. */
const OUTPUT_REDUCTIONS: readonly { readonly name: string; readonly apply: (items: Item[]) => unknown }[] = [
  { name: "as returned", apply: (items) => items },
  {
    name: "omit null, false, 0 and [] fields",
    apply: (items) =>
      items.map((item) => Object.fromEntries(Object.entries(item).filter(([, value]) => !isEmpty(value)))),
  },
  {
    name: "drop link fields (keys ending in url/Url/link)",
    apply: (items) =>
      items.map((item) =>
        Object.fromEntries(Object.entries(item).filter(([key]) => !/(url|link)$/i.test(key))),
      ),
  },
  {
    name: "timestamps as dates (YYYY-MM-DD)",
    apply: (items) =>
      items.map((item) =>
        Object.fromEntries(
          Object.entries(item).map(([key, value]) => [
            key,
            typeof value === "string" ? value.replace(ISO_TIME, "$1") : value,
          ]),
        ),
      ),
  },
  {
    name: "columnar: keys once, items as arrays",
    apply: (items) => {
      const keys = [...new Set(items.flatMap((item) => Object.keys(item)))];
      return { columns: keys, rows: items.map((item) => keys.map((key) => item[key] ?? null)) };
    },
  },
];

export async function runTokens(options: BenchOptions): Promise<BenchReport> {
  const sections: Section[] = [];
  const summaryRows: string[][] = [];
  const perToolRows: string[][] = [];
  const reductionRows: string[][] = [];
  for (const connector of CONNECTORS) {
    options.log(`tokens: tools/list of ${connector.id}`);
    const instance = connector.listing();
    const tools = await mcpToolsList(instance);
    await instance.close();
    const total = jsonTokens(tools);
    let inputTotal = 0;
    let outputTotal = 0;
    for (const tool of tools) {
      const whole = jsonTokens(tool);
      const input = jsonTokens(tool.inputSchema);
      const output = tool.outputSchema ? jsonTokens(tool.outputSchema) : 0;
      const outputDescriptions = tool.outputSchema
        ? output - jsonTokens(withoutDescriptions(tool.outputSchema))
        : 0;
      inputTotal += input;
      outputTotal += output;
      perToolRows.push([
        connector.id,
        tool.name,
        integer(whole),
        integer(countTokens(tool.description ?? "")),
        integer(input),
        integer(output),
        integer(outputDescriptions),
      ]);
    }
    summaryRows.push([
      connector.id,
      String(tools.length),
      integer(total),
      integer(inputTotal),
      integer(outputTotal),
      integer(total - inputTotal - outputTotal),
      `≤ ${integer(TOOLS_LIST_TARGET)}`,
      verdict(total <= TOOLS_LIST_TARGET),
    ]);
    for (const reduction of REDUCTIONS) {
      const tokens = jsonTokens(tools.map(reduction.apply));
      reductionRows.push([
        connector.id,
        reduction.name,
        integer(tokens),
        percent(tokens / total - 1),
        verdict(tokens <= TOOLS_LIST_TARGET),
      ]);
    }
  }
  const pendingNotes = PENDING_CONNECTORS.map((pending) => `${pending.id}: not measured: ${pending.missing}`);
  sections.push({
    heading: "tools/list per connector (default read-only toolset)",
    table: table(
      [
        "connector",
        "tools",
        "tokens",
        "input schemas",
        "output schemas",
        "names, titles, descriptions, annotations",
        "target",
        "verdict",
      ],
      summaryRows,
    ),
    notes: [
      `Tokens by ${TOKENIZER}, the tokenizer \`switchyard list\` uses, over the compact JSON of the \`tools\` array a real MCP client receives from \`createServerFactory\` (in memory).`,
      "Schema columns count each schema serialized on its own; the last column is the rest of the entries (the sum differs from the total by a few tokens of JSON punctuation).",
      ...pendingNotes,
    ],
  });
  sections.push({
    heading: "Reduction options, measured on the same entries (no connector code changed)",
    table: table(["connector", "variant", "tokens", "change", "≤ 2,500"], reductionRows),
  });
  sections.push({
    heading: "tools/list per tool",
    table: table(
      [
        "connector",
        "tool",
        "tokens",
        "description",
        "input schema",
        "output schema",
        "of which output descriptions",
      ],
      perToolRows,
    ),
  });

  const outputRows: string[][] = [];
  const outputNotes: string[] = [];
  const outputReductionRows: string[][] = [];
  for (const connector of CONNECTORS) {
    if (!connector.outputs) {
      outputNotes.push(`${connector.id}: no output scenario yet.`);
      continue;
    }
    options.log(`tokens: outputs of ${connector.id}`);
    for (const measured of await connector.outputs()) {
      const tokens = jsonTokens(measured.output);
      const bytes = jsonBytes(measured.output);
      const rawTokens = countTokens(measured.rawUpstream);
      const rawBytes = Buffer.byteLength(measured.rawUpstream, "utf8");
      const withinBudget =
        bytes <= DEFAULT_OUTPUT_BUDGET.maxBytes &&
        Math.ceil(bytes / BYTES_PER_TOKEN) <= DEFAULT_OUTPUT_BUDGET.maxTokens;
      const met = measured.maxTokens === undefined ? undefined : tokens <= measured.maxTokens;
      const cursorTarget = measured.budgetTarget === true;
      outputRows.push([
        measured.call,
        integer(measured.items),
        measured.truncated ? "yes" : "no",
        measured.hasCursor ? "yes" : "no",
        integer(tokens),
        integer(measured.items > 0 ? tokens / measured.items : 0),
        integer(Math.ceil(bytes / BYTES_PER_TOKEN)),
        integer(bytes),
        integer(rawTokens),
        integer(rawBytes),
        percent(tokens / rawTokens),
        cursorTarget
          ? `within the budget (core's measure) with a cursor: ${verdict(withinBudget && measured.hasCursor)}; ${integer(tokens)} o200k tokens vs ${integer(DEFAULT_OUTPUT_BUDGET.maxTokens)}`
          : met === undefined
            ? "no target"
            : `≤ ${integer(measured.maxTokens ?? 0)}: ${verdict(met)}`,
      ]);
      outputNotes.push(...(measured.notes ?? []));
      const output = measured.output as { items?: unknown };
      if (Array.isArray(output.items)) {
        const items = output.items as Item[];
        const itemsTokens = jsonTokens(items);
        for (const reduction of OUTPUT_REDUCTIONS) {
          const reduced = jsonTokens(reduction.apply(items));
          const whole = tokens - itemsTokens + reduced;
          outputReductionRows.push([
            measured.call,
            reduction.name,
            integer(whole),
            percent(whole / tokens - 1),
            measured.maxTokens === undefined ? "" : verdict(whole <= measured.maxTokens),
          ]);
        }
      }
    }
  }
  for (const pending of PENDING_CONNECTORS)
    outputNotes.push(`${pending.id}: not measured: ${pending.missing}`);
  sections.push({
    heading: "Output tokens of big results vs the raw upstream JSON",
    table: table(
      [
        "call",
        "items",
        "cut by budget",
        "nextCursor",
        "tokens (o200k)",
        "tokens/item",
        "core estimate (bytes/3)",
        "bytes",
        "raw upstream tokens",
        "raw upstream bytes",
        "output/raw",
        "target",
      ],
      outputRows,
    ),
    notes: [
      "Tokens of the result's compact JSON (MCP's structuredContent; the text content block repeats it for older clients). Raw upstream: the response bodies the call was built from, as received.",
      `The output budget is core's default: ${integer(DEFAULT_OUTPUT_BUDGET.maxTokens)} estimated tokens (bytes/${BYTES_PER_TOKEN}) and ${integer(DEFAULT_OUTPUT_BUDGET.maxBytes)} bytes.`,
      ...outputNotes,
    ],
  });
  sections.push({
    heading: "Reduction options for list results, measured on the same results (no connector code changed)",
    table: table(
      ["call", "variant (applied to every item)", "tokens", "change", "target"],
      outputReductionRows,
    ),
    notes: [
      "Each variant changes only `items`; the rest of the result (nextCursor, columns, notes) is kept.",
    ],
  });
  return { name: "tokens", title: "3. Tokens: tools/list and results", sections };
}
