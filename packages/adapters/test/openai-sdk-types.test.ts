// The adapter's shapes against the official `openai` SDK's types (type imports only: no client, no network).
// `pnpm typecheck` fails if the tools, tool calls or returned messages stop fitting the SDK.
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type {
  Response,
  ResponseCreateParamsNonStreaming,
  ResponseFunctionToolCall,
  ResponseInputItem,
} from "openai/resources/responses/responses";
import { describe, expect, it } from "vitest";
import { toOpenAiTools } from "../src/index.js";
import { createNotesConnector } from "./support/fake-connector.js";

describe("toOpenAiTools against the openai SDK types", () => {
  it("fits chat.completions.create: tools in, tool_calls out, tool messages back in", async () => {
    const { connector } = createNotesConnector();
    const { tools, dispatchAll } = toOpenAiTools([connector]);
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "Read note 1." }];
    const request: ChatCompletionCreateParamsNonStreaming = { model: "gpt-test", messages, tools };
    expect(request.tools).toHaveLength(4);

    const completion: ChatCompletion = {
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "gpt-test",
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          logprobs: null,
          message: {
            role: "assistant",
            content: null,
            refusal: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "notes_get_note", arguments: '{"id":1}' } },
            ],
          },
        },
      ],
    };
    const message = completion.choices[0]!.message;
    messages.push(message, ...(await dispatchAll(message.tool_calls)));
    expect(messages.at(-1)).toEqual({
      role: "tool",
      tool_call_id: "call_1",
      content: '{"id":1,"text":"Buy milk"}',
    });
  });

  it("fits responses.create: tools in, function_call items out, function_call_output items back in", async () => {
    const { connector } = createNotesConnector();
    const { responsesTools, dispatchAll } = toOpenAiTools(connector);
    const input: ResponseInputItem[] = [{ role: "user", content: "Find milk." }];
    const request: ResponseCreateParamsNonStreaming = { model: "gpt-test", input, tools: responsesTools };
    expect(request.tools).toHaveLength(4);

    const output: Response["output"] = [
      {
        type: "function_call",
        id: "fc_1",
        call_id: "call_1",
        name: "notes_search_notes",
        arguments: '{"query":"milk"}',
        status: "completed",
      },
    ];
    const calls = output.filter((item): item is ResponseFunctionToolCall => item.type === "function_call");
    input.push(...calls, ...(await dispatchAll(calls)));
    expect(input.at(-1)).toEqual({
      type: "function_call_output",
      call_id: "call_1",
      output: '{"items":[{"id":1,"text":"Buy milk"}]}',
    });
  });
});
