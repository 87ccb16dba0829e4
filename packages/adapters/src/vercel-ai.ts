import { jsonSchema, type Tool, tool } from "ai";
import { type AdapterOptions, type Connectors, ToolCatalog } from "./tool-catalog.js";
import { type ToolErrorContent, toolErrorContent } from "./tool-error.js";

/** The JSON Schema type `jsonSchema()` takes (JSONSchema7), without importing its types package. */
type AiJsonSchema = Exclude<Parameters<typeof jsonSchema>[0], PromiseLike<unknown> | (() => unknown)>;

export interface VercelAiToolsOptions extends AdapterOptions {
  /**
   * What `execute` does when a call fails.
   *
   * - `"return"` (default): resolves with `{ error: { code, message, retryable, retryAfterMs?, hint } }`. The
   *   SDK hands that to the model as the tool result, so it can branch on `code`/`retryable` and recover
   *   (fix the arguments, wait, pick another target), the same content the MCP server returns.
   * - `"throw"`: rejects with the `ConnectorError`. The AI SDK records a `tool-error` part (visible in
   *   `steps`, `onStepFinish` and the UI stream) and shows the model only the error message.
   */
  readonly onError?: "return" | "throw";
}

/** A connector tool for the AI SDK: input is the tool's arguments, output its result or `{ error }`. */
export type SwitchyardAiTool = Tool<Record<string, unknown>, Record<string, unknown> | ToolErrorContent>;

/**
 * The tools of one or more connectors as an AI SDK tool set (`generateText({ tools })`, `streamText`,
 * agents), built with the SDK's own `tool()` and `jsonSchema()`. Every call runs through the connector's
 * pipeline; the SDK's `abortSignal` cancels the upstream request.
 *
 * The SDK does not validate arguments against the schema here: the connector does, so a bad argument comes
 * back as a structured `invalid_input` result with the offending fields rather than an SDK exception.
 */
export function toVercelAiTools(
  connectors: Connectors,
  options: VercelAiToolsOptions = {},
): Record<string, SwitchyardAiTool> {
  const catalog = new ToolCatalog(connectors, options);
  const throwErrors = options.onError === "throw";
  const tools: Record<string, SwitchyardAiTool> = {};
  for (const entry of catalog.tools) {
    tools[entry.name] = tool<Record<string, unknown>, Record<string, unknown> | ToolErrorContent>({
      title: entry.description.title,
      description: entry.description.description,
      inputSchema: jsonSchema<Record<string, unknown>>(entry.parameters as AiJsonSchema),
      execute: async (input, { abortSignal }) => {
        const outcome = await catalog.invoke(entry.name, input, { signal: abortSignal });
        if (outcome.ok) return outcome.output;
        if (throwErrors) throw outcome.error;
        return toolErrorContent(outcome.error);
      },
    });
  }
  return tools;
}

export type { AdapterOptions, Connectors } from "./tool-catalog.js";
export { ToolSelectionError } from "./tool-catalog.js";
export type { ToolErrorContent } from "./tool-error.js";
