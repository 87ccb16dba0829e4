import { ToolMessage } from "@langchain/core/messages";
import { type DynamicStructuredTool, type ToolRunnableConfig, tool } from "@langchain/core/tools";
import { type AdapterOptions, type Connectors, ToolCatalog } from "./tool-catalog.js";
import { toolErrorContent } from "./tool-error.js";

export interface LangChainToolsOptions extends AdapterOptions {
  /**
   * What a failed call does.
   *
   * - `"return"` (default): the tool answers with the compact JSON of `{ error: { code, message, retryable,
   *   retryAfterMs?, hint } }`; invoked with a tool call, as a `ToolMessage` with `status: "error"`.
   * - `"throw"`: the tool rejects with the `ConnectorError` (LangGraph's `ToolNode` then applies its own
   *   error handling).
   */
  readonly onError?: "return" | "throw";
}

// biome-ignore lint/suspicious/noExplicitAny: the JSON-Schema tool's generic arguments are not worth spelling out.
export type SwitchyardLangChainTool = DynamicStructuredTool<any>;

/**
 * The tools of one or more connectors as LangChain structured tools (`model.bindTools(tools)`, LangGraph's
 * `ToolNode`, `createAgent`). The result is the compact JSON of the tool's output. LangChain checks the
 * arguments against the JSON Schema before the call; the connector then validates them again with its real
 * schema. The run's `signal` cancels the upstream request.
 */
export function toLangChainTools(
  connectors: Connectors,
  options: LangChainToolsOptions = {},
): SwitchyardLangChainTool[] {
  const catalog = new ToolCatalog(connectors, options);
  const throwErrors = options.onError === "throw";
  return catalog.tools.map((entry) =>
    tool(
      async (input: unknown, config: ToolRunnableConfig) => {
        const outcome = await catalog.invoke(entry.name, input, { signal: config?.signal });
        if (outcome.ok) return JSON.stringify(outcome.output);
        if (throwErrors) throw outcome.error;
        const content = JSON.stringify(toolErrorContent(outcome.error));
        const toolCallId = config?.toolCall?.id;
        return toolCallId
          ? new ToolMessage({ content, tool_call_id: toolCallId, name: entry.name, status: "error" })
          : content;
      },
      { name: entry.name, description: entry.description.description, schema: entry.parameters },
    ),
  ) as SwitchyardLangChainTool[];
}

export type { AdapterOptions, Connectors } from "./tool-catalog.js";
export { ToolSelectionError } from "./tool-catalog.js";
export type { ToolErrorContent } from "./tool-error.js";
