import { ConnectorError, type JsonSchema } from "@switchyard/core";
import {
  type AdapterOptions,
  type CatalogTool,
  type Connectors,
  type InvokeOptions,
  ToolCatalog,
} from "./tool-catalog.js";
import { toolErrorContent } from "./tool-error.js";

/** OpenAI's limit on a function description (longer ones fail with `string_above_max_length`). */
export const OPENAI_MAX_DESCRIPTION_LENGTH = 1024;

/** A Chat Completions tool definition (`tools` of `chat.completions.create`). */
export interface ChatCompletionsFunctionTool {
  type: "function";
  function: {
    name: string;
    description: string;
    parameters: JsonSchema;
    strict: false;
  };
}

/** A Responses API function tool (`tools` of `responses.create`). */
export interface ResponsesFunctionTool {
  type: "function";
  name: string;
  description: string;
  parameters: JsonSchema;
  strict: false;
}

/**
 * A tool call from a Chat Completions assistant message (`message.tool_calls[i]`). `function` is optional in
 * this type only so the SDK's union with custom tool calls is accepted; a call without it is answered with
 * an error.
 */
export interface ChatCompletionsToolCall {
  readonly id: string;
  readonly type?: string;
  readonly function?: { readonly name: string; readonly arguments: string };
}

/** A `function_call` item from a Responses API `output`. */
export interface ResponsesFunctionCall {
  readonly type?: "function_call";
  readonly call_id: string;
  readonly name: string;
  readonly arguments: string;
}

/** The message to append after a Chat Completions tool call. */
export interface ChatCompletionsToolMessage {
  role: "tool";
  tool_call_id: string;
  content: string;
}

/** The input item to send after a Responses API function call. */
export interface ResponsesFunctionCallOutput {
  type: "function_call_output";
  call_id: string;
  output: string;
}

export interface OpenAiToolsOptions extends AdapterOptions {
  /** Descriptions longer than this are cut (with "…"). Default 1024, OpenAI's limit. */
  readonly maxDescriptionLength?: number;
}

/** What `dispatch` takes besides the tool call: cancellation and per-call overrides. */
export type DispatchOptions = InvokeOptions;

export interface OpenAiTools {
  /** Chat Completions `tools`. */
  readonly tools: ChatCompletionsFunctionTool[];
  /** Responses API `tools`. */
  readonly responsesTools: ResponsesFunctionTool[];
  /** The offered tool names, sorted. */
  readonly names: readonly string[];
  /**
   * Runs one tool call and returns the message to append: `{ role: "tool", tool_call_id, content }` for a
   * Chat Completions call, `{ type: "function_call_output", call_id, output }` for a Responses one. `content`
   * / `output` is the compact JSON of the tool's output, or of `{ error: { code, message, retryable,
   * retryAfterMs?, hint? } }`. Never rejects: bad JSON, an unknown tool and every connector failure become
   * such an error result, so the loop can always answer the model.
   */
  dispatch(call: ChatCompletionsToolCall, options?: DispatchOptions): Promise<ChatCompletionsToolMessage>;
  dispatch(call: ResponsesFunctionCall, options?: DispatchOptions): Promise<ResponsesFunctionCallOutput>;
  /** `dispatch` for every call of one model turn, concurrently, results in the same order. */
  dispatchAll(
    calls: readonly ChatCompletionsToolCall[] | null | undefined,
    options?: DispatchOptions,
  ): Promise<ChatCompletionsToolMessage[]>;
  dispatchAll(
    calls: readonly ResponsesFunctionCall[],
    options?: DispatchOptions,
  ): Promise<ResponsesFunctionCallOutput[]>;
}

function cutDescription(description: string, max: number): string {
  if (description.length <= max) return description;
  return `${description.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

const isResponsesCall = (
  call: ChatCompletionsToolCall | ResponsesFunctionCall,
): call is ResponsesFunctionCall => typeof (call as ResponsesFunctionCall).call_id === "string";

/** Parses the model's `arguments`; an empty string means no arguments (some models send that). */
function parseArguments(
  tool: string,
  text: string,
): { ok: true; value: unknown } | { ok: false; error: ConnectorError } {
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (thrown) {
    return {
      ok: false,
      error: new ConnectorError({
        code: "invalid_input",
        message: `The arguments for ${tool} are not valid JSON (${(thrown as Error).message}).`,
        hint: "Send the arguments as one JSON object that matches the tool's parameters, then call again.",
        notApplied: true,
        tool,
      }),
    };
  }
}

/**
 * The tools of one or more connectors for OpenAI function calling, and the dispatcher that runs the model's
 * tool calls through the connectors' pipelines (validation, deadlines, retries, rate limits, budgets,
 * redaction).
 *
 * ```ts
 * const { tools, dispatchAll } = toOpenAiTools([github], { tools: "github_list_*,github_get_*" });
 * const completion = await openai.chat.completions.create({ model, messages, tools });
 * const message = completion.choices[0].message;
 * messages.push(message, ...(await dispatchAll(message.tool_calls)));
 * ```
 */
export function toOpenAiTools(connectors: Connectors, options: OpenAiToolsOptions = {}): OpenAiTools {
  const catalog = new ToolCatalog(connectors, options);
  const maxDescription = options.maxDescriptionLength ?? OPENAI_MAX_DESCRIPTION_LENGTH;
  const describe = (tool: CatalogTool) => ({
    name: tool.name,
    description: cutDescription(tool.description.description, maxDescription),
    parameters: tool.parameters,
    strict: false as const,
  });

  async function run(name: string, text: string, dispatchOptions: DispatchOptions): Promise<string> {
    if (!catalog.get(name)) return JSON.stringify(toolErrorContent(catalog.unknownTool(name)));
    const parsed = parseArguments(name, text);
    if (!parsed.ok) return JSON.stringify(toolErrorContent(parsed.error));
    const outcome = await catalog.invoke(name, parsed.value, dispatchOptions);
    return JSON.stringify(outcome.ok ? outcome.output : toolErrorContent(outcome.error));
  }

  async function dispatchOne(
    call: ChatCompletionsToolCall | ResponsesFunctionCall,
    dispatchOptions: DispatchOptions = {},
  ): Promise<ChatCompletionsToolMessage | ResponsesFunctionCallOutput> {
    if (isResponsesCall(call)) {
      const output = await run(String(call.name), String(call.arguments ?? ""), dispatchOptions);
      return { type: "function_call_output", call_id: call.call_id, output };
    }
    if (!call.function) {
      const error = new ConnectorError({
        code: "invalid_input",
        message: `Tool call ${call.id} is of type "${call.type}"; only function tools are offered.`,
        hint: "Call one of the offered function tools.",
        notApplied: true,
      });
      return { role: "tool", tool_call_id: call.id, content: JSON.stringify(toolErrorContent(error)) };
    }
    const content = await run(
      String(call.function.name),
      String(call.function.arguments ?? ""),
      dispatchOptions,
    );
    return { role: "tool", tool_call_id: call.id, content };
  }

  return {
    tools: catalog.tools.map((tool) => ({ type: "function", function: describe(tool) })),
    responsesTools: catalog.tools.map((tool) => ({ type: "function", ...describe(tool) })),
    names: catalog.tools.map((tool) => tool.name),
    dispatch: dispatchOne as OpenAiTools["dispatch"],
    dispatchAll: ((
      calls: readonly (ChatCompletionsToolCall | ResponsesFunctionCall)[] | null | undefined,
      dispatchOptions?: DispatchOptions,
    ) =>
      Promise.all(
        (calls ?? []).map((call) => dispatchOne(call, dispatchOptions)),
      )) as OpenAiTools["dispatchAll"],
  };
}
