import { createConnector, defineTool, READ_ANNOTATIONS } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type ChatCompletionsToolMessage, ToolSelectionError, toOpenAiTools } from "../src/index.js";
import { createNotesConnector } from "./support/fake-connector.js";

/** A Chat Completions response as the API returns it when the model calls tools (no network involved). */
function completionWithToolCalls(calls: { id: string; name: string; arguments: string }[]) {
  return {
    id: "chatcmpl-test",
    object: "chat.completion" as const,
    created: 1_700_000_000,
    model: "gpt-test",
    choices: [
      {
        index: 0,
        finish_reason: "tool_calls" as const,
        logprobs: null,
        message: {
          role: "assistant" as const,
          content: null,
          refusal: null,
          tool_calls: calls.map((call) => ({
            id: call.id,
            type: "function" as const,
            function: { name: call.name, arguments: call.arguments },
          })),
        },
      },
    ],
  };
}

const parse = (message: ChatCompletionsToolMessage) => JSON.parse(message.content);

describe("toOpenAiTools: tool definitions", () => {
  it("exports every enabled tool in Chat Completions and Responses format, sorted, strict false", () => {
    const { connector } = createNotesConnector();
    const { tools, responsesTools, names } = toOpenAiTools([connector]);
    expect(names).toEqual(["notes_get_limited", "notes_get_note", "notes_search_notes", "notes_wait_slowly"]);
    expect(tools.map((tool) => tool.function.name)).toEqual(names);
    const getNote = tools.find((tool) => tool.function.name === "notes_get_note");
    expect(getNote).toEqual({
      type: "function",
      function: {
        name: "notes_get_note",
        description: "Gets one note by its numeric id.",
        parameters: {
          type: "object",
          properties: { id: { type: "integer", exclusiveMinimum: 0, description: "The note id." } },
          required: ["id"],
        },
        strict: false,
      },
    });
    expect(responsesTools).toEqual(tools.map((tool) => ({ type: "function", ...tool.function })));
    for (const tool of tools) {
      expect(tool.function.parameters.type).toBe("object");
      expect(tool.function.parameters).toHaveProperty("properties");
      expect(JSON.stringify(tool.function.parameters)).not.toContain("$schema");
    }
    // An input without fields still has `properties` (OpenAI: "object schema missing properties").
    expect(tools.find((tool) => tool.function.name === "notes_get_limited")?.function.parameters).toEqual({
      type: "object",
      properties: {},
    });
  });

  it("accepts a single connector and offers write tools only when the connector allows writes", () => {
    expect(toOpenAiTools(createNotesConnector().connector).names).not.toContain("notes_add_note");
    expect(toOpenAiTools(createNotesConnector({ allowWrites: true }).connector).names).toContain(
      "notes_add_note",
    );
  });

  it("narrows by names and globs, comma lists included, and fails loudly on a pattern that matches nothing", () => {
    const { connector } = createNotesConnector({ allowWrites: true });
    expect(toOpenAiTools(connector, { tools: ["notes_get_*"] }).names).toEqual([
      "notes_get_limited",
      "notes_get_note",
    ]);
    expect(toOpenAiTools(connector, { tools: "notes_search_notes, notes_add_note" }).names).toEqual([
      "notes_add_note",
      "notes_search_notes",
    ]);
    expect(() => toOpenAiTools(connector, { tools: ["notes_get_*", "notes_delete_*"] })).toThrow(
      ToolSelectionError,
    );
    expect(() => toOpenAiTools(connector, { tools: "notes_delete_*" })).toThrow(/matches no tool/);
    const readOnly = createNotesConnector().connector;
    expect(() => toOpenAiTools(readOnly, { tools: "notes_add_*" })).toThrow(/only write tools.*allowWrites/);
  });

  it("refuses two connectors that offer the same tool name", () => {
    expect(() => toOpenAiTools([createNotesConnector().connector, createNotesConnector().connector])).toThrow(
      /provided by two connectors/,
    );
    const two = toOpenAiTools([
      createNotesConnector().connector,
      createNotesConnector({ id: "memo" }).connector,
    ]);
    expect(two.names).toContain("memo_get_note");
    expect(two.names).toContain("notes_get_note");
  });

  it("cuts descriptions to OpenAI's 1024-character limit", () => {
    const long = defineTool({
      name: "wordy_get_thing",
      title: "Wordy",
      description: "word ".repeat(400),
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      annotations: READ_ANNOTATIONS,
      execute: async () => ({ ok: true }),
    });
    const connector = createConnector({
      id: "wordy",
      title: "Wordy",
      tools: [long],
      buckets: {},
      client: () => undefined,
    });
    const [tool] = toOpenAiTools(connector).tools;
    expect(tool?.function.description.length).toBeLessThanOrEqual(1024);
    expect(tool?.function.description.endsWith("…")).toBe(true);
    expect(toOpenAiTools(connector, { maxDescriptionLength: 5000 }).tools[0]?.function.description).toBe(
      "word ".repeat(400),
    );
  });
});

describe("toOpenAiTools: dispatch", () => {
  it("runs the tool calls of a chat completion and returns the tool messages to append", async () => {
    const { connector, log } = createNotesConnector();
    const { dispatch, dispatchAll } = toOpenAiTools([connector]);
    const completion = completionWithToolCalls([
      { id: "call_1", name: "notes_get_note", arguments: '{"id":2}' },
      { id: "call_2", name: "notes_search_notes", arguments: '{"query":"MILK"}' },
    ]);
    const message = completion.choices[0]!.message;
    const messages: unknown[] = [{ role: "user", content: "What is note 2?" }, message];
    messages.push(...(await dispatchAll(message.tool_calls)));

    expect(messages.slice(2)).toEqual([
      { role: "tool", tool_call_id: "call_1", content: '{"id":2,"text":"Ship the adapters"}' },
      { role: "tool", tool_call_id: "call_2", content: '{"items":[{"id":1,"text":"Buy milk"}]}' },
    ]);
    expect(log.calls.map((call) => [call.tool, call.input])).toEqual([
      ["notes_get_note", { id: 2 }],
      ["notes_search_notes", { query: "MILK", limit: 10 }],
    ]);
    // One call at a time works too.
    const single = await dispatch(message.tool_calls[0]!);
    expect(single).toEqual({
      role: "tool",
      tool_call_id: "call_1",
      content: '{"id":2,"text":"Ship the adapters"}',
    });
    expect(await dispatchAll(undefined)).toEqual([]);
  });

  it("answers a Responses API function_call item with a function_call_output item", async () => {
    const { connector } = createNotesConnector();
    const { dispatch, dispatchAll } = toOpenAiTools(connector);
    const item = {
      type: "function_call" as const,
      id: "fc_1",
      call_id: "call_9",
      name: "notes_get_note",
      arguments: '{"id":1}',
      status: "completed" as const,
    };
    expect(await dispatch(item)).toEqual({
      type: "function_call_output",
      call_id: "call_9",
      output: '{"id":1,"text":"Buy milk"}',
    });
    const outputs = await dispatchAll([item, { ...item, call_id: "call_10", arguments: "{bad" }]);
    expect(outputs.map((output) => output.call_id)).toEqual(["call_9", "call_10"]);
    expect(JSON.parse(outputs[1]!.output).error.code).toBe("invalid_input");
  });

  it("turns an unknown tool into an invalid_input result and routes nothing", async () => {
    const { connector, log } = createNotesConnector();
    const { dispatch } = toOpenAiTools(connector);
    const result = await dispatch({
      id: "call_1",
      type: "function",
      function: { name: "notes_drop_everything", arguments: "{}" },
    });
    expect(result.tool_call_id).toBe("call_1");
    expect(parse(result)).toEqual({
      error: {
        code: "invalid_input",
        message: 'Unknown tool "notes_drop_everything".',
        retryable: false,
        hint: expect.stringContaining("notes_get_note"),
      },
    });
    expect(log.calls).toEqual([]);
  });

  it("never routes to a tool that is registered but not offered (write tools, filtered tools)", async () => {
    const readOnly = createNotesConnector();
    const hiddenWrite = await toOpenAiTools(readOnly.connector).dispatch({
      id: "call_1",
      type: "function",
      function: { name: "notes_add_note", arguments: '{"text":"sneaky"}' },
    });
    expect(parse(hiddenWrite).error).toMatchObject({
      code: "permission_denied",
      message: "notes_add_note changes data and writes are not allowed for connector notes.",
      retryable: false,
    });
    expect(readOnly.log.calls).toEqual([]);
    expect(readOnly.log.notes).toHaveLength(2);

    const writable = createNotesConnector({ allowWrites: true });
    const filtered = toOpenAiTools(writable.connector, { tools: "notes_get_*" });
    const result = await filtered.dispatch({
      id: "call_2",
      type: "function",
      function: { name: "notes_add_note", arguments: '{"text":"sneaky"}' },
    });
    expect(parse(result).error).toMatchObject({
      code: "invalid_input",
      message: 'Tool "notes_add_note" is not offered here.',
      hint: "Call one of the offered tools: notes_get_limited, notes_get_note.",
    });
    expect(writable.log.calls).toEqual([]);

    const allowed = await toOpenAiTools(writable.connector).dispatch({
      id: "call_3",
      type: "function",
      function: { name: "notes_add_note", arguments: '{"text":"welcome"}' },
    });
    expect(parse(allowed)).toEqual({ id: 3, text: "welcome" });
  });

  it("answers bad JSON arguments with invalid_input instead of throwing", async () => {
    const { connector, log } = createNotesConnector();
    const { dispatch } = toOpenAiTools(connector);
    const result = await dispatch({
      id: "call_1",
      type: "function",
      function: { name: "notes_get_note", arguments: '{"id": 2' },
    });
    const { error } = parse(result);
    expect(error.code).toBe("invalid_input");
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^The arguments for notes_get_note are not valid JSON/);
    expect(error.hint).toMatch(/JSON object/);
    expect(log.calls).toEqual([]);
  });

  it("treats empty arguments as no arguments, and passes schema failures back as invalid_input", async () => {
    const { connector } = createNotesConnector();
    const { dispatch } = toOpenAiTools(connector);
    const empty = await dispatch({
      id: "call_1",
      type: "function",
      function: { name: "notes_search_notes", arguments: "" },
    });
    expect(parse(empty).error).toMatchObject({ code: "invalid_input", retryable: false });
    expect(parse(empty).error.message).toContain("query");

    const wrongType = await dispatch({
      id: "call_2",
      type: "function",
      function: { name: "notes_get_note", arguments: '{"id":"two"}' },
    });
    expect(parse(wrongType).error.code).toBe("invalid_input");
  });

  it("shapes ConnectorErrors like the MCP server: code, message, retryable, retryAfterMs, hint", async () => {
    const { connector } = createNotesConnector();
    const { dispatch } = toOpenAiTools(connector);
    const missing = await dispatch({
      id: "call_1",
      type: "function",
      function: { name: "notes_get_note", arguments: '{"id":99}' },
    });
    expect(missing.content).toBe(
      '{"error":{"code":"not_found","message":"No note 99.","retryable":false,"hint":"Search the notes to find ids."}}',
    );
    const limited = await dispatch({ call_id: "c2", name: "notes_get_limited", arguments: "{}" });
    expect(JSON.parse(limited.output)).toEqual({
      error: {
        code: "rate_limited",
        message: "Slow down.",
        retryable: true,
        retryAfterMs: 30_000,
        hint: expect.any(String),
      },
    });
  });

  it("answers a non-function (custom) tool call with an error", async () => {
    const { connector } = createNotesConnector();
    const { dispatch } = toOpenAiTools(connector);
    const customCall = { id: "call_1", type: "custom", custom: { name: "notes_get_note", input: "1" } };
    const result = await dispatch(customCall);
    expect(result.tool_call_id).toBe("call_1");
    expect(parse(result).error.code).toBe("invalid_input");
  });

  it("passes the abort signal through: cancelling stops the upstream call and returns `cancelled`", async () => {
    const { connector, log } = createNotesConnector();
    const { dispatch } = toOpenAiTools(connector);
    const controller = new AbortController();
    const pending = dispatch(
      { id: "call_1", type: "function", function: { name: "notes_wait_slowly", arguments: "{}" } },
      { signal: controller.signal },
    );
    await expect.poll(() => log.calls.length, { timeout: 10_000 }).toBe(1);
    controller.abort();
    const result = await pending;
    expect(parse(result).error.code).toBe("cancelled");
    expect(log.aborted).toEqual(["notes_wait_slowly"]);
  });

  it("passes tenant and deadline: adapter-wide defaults, overridden per dispatch", async () => {
    const { connector, log } = createNotesConnector();
    const { dispatch } = toOpenAiTools(connector, { tenant: "acme", deadlineMs: 5_000 });
    const call = { id: "c", type: "function", function: { name: "notes_get_note", arguments: '{"id":1}' } };
    await dispatch(call);
    await dispatch(call, { tenant: "globex", deadlineMs: 2_000 });
    await toOpenAiTools(connector).dispatch(call);
    expect(log.calls.map((entry) => entry.tenant)).toEqual(["acme", "globex", "default"]);
    const [first, second, third] = log.calls.map((entry) => entry.deadlineInMs);
    expect(first).toBeGreaterThan(2_000);
    expect(first).toBeLessThanOrEqual(5_000);
    expect(second).toBeLessThanOrEqual(2_000);
    expect(third).toBeGreaterThan(5_000); // the connector's own 10 s default
  });

  it("times out with a structured `timeout` error when the deadline passes", async () => {
    const { connector } = createNotesConnector();
    const { dispatch } = toOpenAiTools(connector, { deadlineMs: 50 });
    const result = await dispatch({ call_id: "c1", name: "notes_wait_slowly", arguments: "{}" });
    expect(JSON.parse(result.output).error).toMatchObject({ code: "timeout", retryable: true });
  });
});
