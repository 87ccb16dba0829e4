import { z } from "zod";
import type { ToolAnnotations } from "./tool-annotations.js";
import type { ToolContext } from "./tool-context.js";
import { assertToolName } from "./tool-name.js";

/** Which rate-limit bucket a call draws from, and an optional sub-key (one channel, one issue). */
export interface ToolRateLimit<Input> {
  readonly bucket: string;
  readonly key?: (input: Input) => string | undefined;
}

export interface ToolSpec<InputSchema extends z.ZodType, OutputSchema extends z.ZodObject, Client> {
  readonly name: string;
  readonly title: string;
  /** Static text for a model: what the tool does and when to use it. Never upstream data. */
  readonly description: string;
  readonly input: InputSchema;
  readonly output: OutputSchema;
  readonly annotations: ToolAnnotations;
  /** Defaults to the `read` bucket for read-only tools and `write` for the others. */
  readonly rateLimit?: ToolRateLimit<z.output<InputSchema>>;
  /**
   * A one-line summary of a call and the targets it touches (`acme/api`, `#ops`), for approvals and the audit
   * trail. Optional: the default summary is the title and the redacted input.
   */
  readonly describeCall?: (input: z.output<InputSchema>) => { summary: string; targets?: readonly string[] };
  readonly execute: (
    input: z.output<InputSchema>,
    context: ToolContext<Client>,
  ) => Promise<z.input<OutputSchema>>;
}

/** The form the pipeline runs: the spec plus the output schema extended with the `truncated` marker. */
export interface ToolDefinition<
  InputSchema extends z.ZodType = z.ZodType,
  OutputSchema extends z.ZodObject = z.ZodObject,
  Client = unknown,
> extends ToolSpec<InputSchema, OutputSchema, Client> {
  /** The output schema as published: the tool's own, plus `truncated` for the output budget. */
  readonly publishedOutput: z.ZodObject;
  /** `list` when the output carries `items` + `nextCursor`, `write` when not read-only, else `read`. */
  readonly kind: "read" | "list" | "write";
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of every input/output/client type.
export type AnyToolDefinition = ToolDefinition<z.ZodType, z.ZodObject, any>;

/**
 * Declares one tool. The definition is plain data plus an `execute` function: it knows nothing about MCP or
 * any agent framework; adapters turn it into whatever their protocol wants.
 */
export function defineTool<InputSchema extends z.ZodType, OutputSchema extends z.ZodObject, Client>(
  spec: ToolSpec<InputSchema, OutputSchema, Client>,
): ToolDefinition<InputSchema, OutputSchema, Client> {
  assertToolName(spec.name);
  if (spec.annotations.readOnly && spec.annotations.destructive) {
    throw new TypeError(`Tool ${spec.name} cannot be both readOnly and destructive.`);
  }
  const shape = spec.output.shape as Record<string, unknown>;
  const isList = "items" in shape && "nextCursor" in shape;
  const publishedOutput =
    "truncated" in shape
      ? spec.output
      : spec.output.extend({
          truncated: z
            .boolean()
            .optional()
            .describe("Present and true when the output budget cut this result; see nextCursor."),
        });
  return {
    ...spec,
    publishedOutput,
    kind: !spec.annotations.readOnly ? "write" : isList ? "list" : "read",
  };
}
