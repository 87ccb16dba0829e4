import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import { describe, expect, it } from "vitest";
import { toLangChainTools } from "../src/langchain.js";
import { createNotesConnector } from "./support/fake-connector.js";

/** A chat model that answers from a script and records what it was sent (LangChain's fakes cannot do both). */
class ScriptedChatModel extends BaseChatModel {
  readonly prompts: BaseMessage[][] = [];
  boundTools: unknown[] = [];

  constructor(private readonly script: AIMessage[]) {
    super({});
  }

  _llmType(): string {
    return "scripted";
  }

  override bindTools(tools: StructuredToolInterface[]): this {
    this.boundTools = tools.map((tool) => convertToOpenAITool(tool));
    return this;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.prompts.push([...messages]);
    const message = this.script.shift();
    if (!message) throw new Error("The script has no more turns.");
    return { generations: [{ text: typeof message.content === "string" ? message.content : "", message }] };
  }
}

describe("toLangChainTools", () => {
  it("builds structured tools whose OpenAI form carries the sanitised schema; writes only when allowed", () => {
    const tools = toLangChainTools(createNotesConnector().connector);
    expect(tools.map((tool) => tool.name)).toEqual([
      "notes_get_limited",
      "notes_get_note",
      "notes_search_notes",
      "notes_wait_slowly",
    ]);
    const getNote = tools.find((tool) => tool.name === "notes_get_note")!;
    expect(convertToOpenAITool(getNote)).toMatchObject({
      type: "function",
      function: {
        name: "notes_get_note",
        description: "Gets one note by its numeric id.",
        parameters: { type: "object", properties: { id: { type: "integer" } }, required: ["id"] },
      },
    });
    expect(
      toLangChainTools(createNotesConnector({ allowWrites: true }).connector).map((t) => t.name),
    ).toContain("notes_add_note");
  });

  it("runs a tool-calling loop with a fake chat model: the call goes through the connector", async () => {
    const { connector, log } = createNotesConnector();
    const tools = toLangChainTools(connector, { tenant: "acme" });
    const scripted = new ScriptedChatModel([
      new AIMessage({
        content: "",
        tool_calls: [
          { id: "call_1", name: "notes_search_notes", args: { query: "milk" }, type: "tool_call" },
        ],
      }),
      new AIMessage("Note 1: Buy milk."),
    ]);
    const model = scripted.bindTools(tools);

    const messages: BaseMessage[] = [new HumanMessage("Any notes about milk?")];
    const first = await model.invoke(messages);
    messages.push(first);
    for (const call of first.tool_calls ?? []) {
      const tool = tools.find((candidate) => candidate.name === call.name)!;
      messages.push(await tool.invoke({ ...call, type: "tool_call" }));
    }
    const answer = await model.invoke(messages);

    expect(answer.content).toBe("Note 1: Buy milk.");
    const toolMessage = messages[2] as ToolMessage;
    expect(toolMessage).toBeInstanceOf(ToolMessage);
    expect(toolMessage.tool_call_id).toBe("call_1");
    expect(toolMessage.status).toBe("success");
    expect(toolMessage.content).toBe('{"items":[{"id":1,"text":"Buy milk"}]}');
    expect(log.calls).toMatchObject([
      { tool: "notes_search_notes", input: { query: "milk" }, tenant: "acme" },
    ]);
    // The model was offered our tools and saw the connector's output in its second turn.
    expect(scripted.boundTools).toHaveLength(4);
    expect(scripted.prompts[1]?.at(-1)?.content).toBe('{"items":[{"id":1,"text":"Buy milk"}]}');
  });

  it("returns failures as { error } content, as an error ToolMessage when invoked with a tool call", async () => {
    const { connector } = createNotesConnector();
    const getNote = toLangChainTools(connector).find((tool) => tool.name === "notes_get_note")!;
    const content =
      '{"error":{"code":"not_found","message":"No note 99.","retryable":false,"hint":"Search the notes to find ids."}}';
    expect(await getNote.invoke({ id: 99 })).toBe(content);
    const message = await getNote.invoke({
      id: "call_7",
      name: "notes_get_note",
      args: { id: 99 },
      type: "tool_call",
    });
    expect(message).toBeInstanceOf(ToolMessage);
    expect(message).toMatchObject({ tool_call_id: "call_7", status: "error", content });
  });

  it('with onError: "throw", rejects with the ConnectorError', async () => {
    const { connector } = createNotesConnector();
    const limited = toLangChainTools(connector, { onError: "throw" }).find(
      (tool) => tool.name === "notes_get_limited",
    )!;
    await expect(limited.invoke({})).rejects.toMatchObject({ name: "ConnectorError", code: "rate_limited" });
  });

  it("passes the run's signal to the connector", async () => {
    const { connector, log } = createNotesConnector();
    const wait = toLangChainTools(connector).find((tool) => tool.name === "notes_wait_slowly")!;
    const controller = new AbortController();
    const pending = wait.invoke({}, { signal: controller.signal });
    await expect.poll(() => log.calls.length, { timeout: 10_000 }).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => log.aborted, { timeout: 10_000 }).toEqual(["notes_wait_slowly"]);
  });
});
