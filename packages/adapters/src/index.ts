// OpenAI function calling (Chat Completions and Responses). The Vercel AI SDK and LangChain adapters live in
// the `@switchyard/adapters/vercel-ai` and `@switchyard/adapters/langchain` entry points, so this one needs
// neither `ai` nor `@langchain/core` installed.

export type { FunctionParameters } from "./function-parameters.js";
export { toFunctionParameters, WRAPPED_INPUT_KEY } from "./function-parameters.js";
export type {
  ChatCompletionsFunctionTool,
  ChatCompletionsToolCall,
  ChatCompletionsToolMessage,
  DispatchOptions,
  OpenAiTools,
  OpenAiToolsOptions,
  ResponsesFunctionCall,
  ResponsesFunctionCallOutput,
  ResponsesFunctionTool,
} from "./openai-tools.js";
export { OPENAI_MAX_DESCRIPTION_LENGTH, toOpenAiTools } from "./openai-tools.js";
export type {
  AdapterOptions,
  CatalogTool,
  Connectors,
  InvokeOptions,
  ToolOutcome,
} from "./tool-catalog.js";
export { ToolCatalog, ToolSelectionError } from "./tool-catalog.js";
export type { ToolErrorContent } from "./tool-error.js";
export { asConnectorError, toolErrorContent } from "./tool-error.js";
