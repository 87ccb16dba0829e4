import { generateText, stepCountIs } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { describe, expect, it } from "vitest";
import { toVercelAiTools } from "../src/vercel-ai.js";
import { createNotesConnector } from "./support/fake-connector.js";

type GenerateResult = Awaited<ReturnType<MockLanguageModelV3["doGenerate"]>>;

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** A model turn that calls one tool. */
const toolCallTurn = (toolName: string, input: string, toolCallId = "call_1"): GenerateResult => ({
  content: [{ type: "tool-call", toolCallId, toolName, input }],
  finishReason: { unified: "tool-calls", raw: "tool_calls" },
  usage,
  warnings: [],
});

/** A model turn that answers with text. */
const textTurn = (text: string): GenerateResult => ({
  content: [{ type: "text", text }],
  finishReason: { unified: "stop", raw: "stop" },
  usage,
  warnings: [],
});

/** The tool-result parts the model was shown in its second call. */
function toolResultsSent(model: MockLanguageModelV3): unknown[] {
  const prompt = model.doGenerateCalls[1]?.prompt ?? [];
  return prompt.flatMap((message) =>
    message.role === "tool" ? message.content.filter((part) => part.type === "tool-result") : [],
  );
}

describe("toVercelAiTools", () => {
  it("builds AI SDK tools with the sanitised JSON Schema, write tools only when allowed", () => {
    const tools = toVercelAiTools(createNotesConnector().connector);
    expect(Object.keys(tools)).toEqual([
      "notes_get_limited",
      "notes_get_note",
      "notes_search_notes",
      "notes_wait_slowly",
    ]);
    const getNote = tools.notes_get_note!;
    expect(getNote.description).toBe("Gets one note by its numeric id.");
    expect(getNote.title).toBe("Get a note");
    expect((getNote.inputSchema as { jsonSchema: unknown }).jsonSchema).toEqual({
      type: "object",
      properties: { id: { type: "integer", exclusiveMinimum: 0, description: "The note id." } },
      required: ["id"],
    });
    expect(Object.keys(toVercelAiTools(createNotesConnector({ allowWrites: true }).connector))).toContain(
      "notes_add_note",
    );
    expect(
      Object.keys(toVercelAiTools(createNotesConnector().connector, { tools: "notes_search_*" })),
    ).toEqual(["notes_search_notes"]);
  });

  it("runs a real generateText loop: the model's tool call goes through the connector and the result is fed back", async () => {
    const { connector, log } = createNotesConnector();
    const model = new MockLanguageModelV3({
      doGenerate: [toolCallTurn("notes_get_note", '{"id":2}'), textTurn("Note 2 says: Ship the adapters.")],
    });
    const result = await generateText({
      model,
      tools: toVercelAiTools([connector], { tenant: "acme" }),
      stopWhen: stepCountIs(3),
      prompt: "What does note 2 say?",
    });

    expect(result.text).toBe("Note 2 says: Ship the adapters.");
    expect(log.calls).toEqual([
      { tool: "notes_get_note", input: { id: 2 }, tenant: "acme", deadlineInMs: expect.any(Number) },
    ]);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.toolResults).toMatchObject([
      { toolName: "notes_get_note", toolCallId: "call_1", output: { id: 2, text: "Ship the adapters" } },
    ]);
    // The tool offered to the model carried our schema...
    const offered = model.doGenerateCalls[0]?.tools?.find((tool) => tool.name === "notes_get_note");
    expect(offered).toMatchObject({ type: "function", inputSchema: { type: "object", required: ["id"] } });
    // ...and the second model call saw the connector's output as the tool result.
    expect(toolResultsSent(model)).toEqual([
      expect.objectContaining({
        toolCallId: "call_1",
        toolName: "notes_get_note",
        output: { type: "json", value: { id: 2, text: "Ship the adapters" } },
      }),
    ]);
  });

  it("feeds a connector failure back to the model as the structured { error } result by default", async () => {
    const { connector } = createNotesConnector();
    const model = new MockLanguageModelV3({
      doGenerate: [toolCallTurn("notes_get_note", '{"id":99}'), textTurn("There is no note 99.")],
    });
    const result = await generateText({
      model,
      tools: toVercelAiTools(connector),
      stopWhen: stepCountIs(3),
      prompt: "Read note 99.",
    });
    const error = {
      error: {
        code: "not_found",
        message: "No note 99.",
        retryable: false,
        hint: "Search the notes to find ids.",
      },
    };
    expect(result.steps[0]?.toolResults[0]?.output).toEqual(error);
    expect(toolResultsSent(model)).toEqual([
      expect.objectContaining({ output: { type: "json", value: error } }),
    ]);
  });

  it("leaves argument validation to the connector: a wrong type comes back as invalid_input", async () => {
    const { connector, log } = createNotesConnector();
    const model = new MockLanguageModelV3({
      doGenerate: [toolCallTurn("notes_get_note", '{"id":"two"}'), textTurn("Sorry.")],
    });
    const result = await generateText({
      model,
      tools: toVercelAiTools(connector),
      stopWhen: stepCountIs(3),
      prompt: "Read note two.",
    });
    expect(result.steps[0]?.toolResults[0]?.output).toMatchObject({
      error: { code: "invalid_input", retryable: false },
    });
    expect(log.calls).toEqual([]);
  });

  it("malformed JSON from the model never reaches the connector: the SDK reports it as a tool-error", async () => {
    const { connector, log } = createNotesConnector();
    const model = new MockLanguageModelV3({
      doGenerate: [toolCallTurn("notes_get_note", '{"id": 2'), textTurn("Let me retry.")],
    });
    const result = await generateText({
      model,
      tools: toVercelAiTools(connector),
      stopWhen: stepCountIs(3),
      prompt: "Read note 2.",
    });
    expect(result.steps[0]?.content.find((part) => part.type === "tool-error")).toMatchObject({
      toolName: "notes_get_note",
      error: expect.stringContaining("JSON parsing failed"),
    });
    expect(log.calls).toEqual([]);
  });

  it('with onError: "throw", rejects with the ConnectorError and the SDK records a tool-error', async () => {
    const { connector } = createNotesConnector();
    const model = new MockLanguageModelV3({
      doGenerate: [toolCallTurn("notes_get_limited", "{}"), textTurn("Rate limited; try later.")],
    });
    const result = await generateText({
      model,
      tools: toVercelAiTools(connector, { onError: "throw" }),
      stopWhen: stepCountIs(3),
      prompt: "Go.",
    });
    const toolError = result.steps[0]?.content.find((part) => part.type === "tool-error");
    expect(toolError).toMatchObject({
      toolName: "notes_get_limited",
      error: { name: "ConnectorError", code: "rate_limited", retryable: true, retryAfterMs: 30_000 },
    });
    expect(toolResultsSent(model)).toEqual([
      expect.objectContaining({ output: { type: "error-text", value: "Slow down." } }),
    ]);
  });

  it("passes the SDK's abortSignal to the connector: aborting cancels the upstream call", async () => {
    const { connector, log } = createNotesConnector();
    const tools = toVercelAiTools(connector);
    const controller = new AbortController();
    const pending = tools.notes_wait_slowly!.execute!(
      {},
      { toolCallId: "call_1", messages: [], abortSignal: controller.signal },
    );
    await expect.poll(() => log.calls.length, { timeout: 10_000 }).toBe(1);
    controller.abort();
    expect(await pending).toMatchObject({ error: { code: "cancelled" } });
    expect(log.aborted).toEqual(["notes_wait_slowly"]);
  });

  it("aborting generateText itself reaches the connector too", async () => {
    const { connector, log } = createNotesConnector();
    const controller = new AbortController();
    const model = new MockLanguageModelV3({
      doGenerate: [toolCallTurn("notes_wait_slowly", "{}"), textTurn("unreachable")],
    });
    const pending = generateText({
      model,
      tools: toVercelAiTools(connector),
      stopWhen: stepCountIs(3),
      prompt: "Wait.",
      abortSignal: controller.signal,
    });
    await expect.poll(() => log.calls.length, { timeout: 10_000 }).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(log.aborted).toEqual(["notes_wait_slowly"]);
  });
});
