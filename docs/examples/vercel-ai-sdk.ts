// The Vercel AI SDK with a Switchyard connector, without MCP.
//
//   node --import tsx docs/examples/vercel-ai-sdk.ts      (from the repository root, after pnpm build)
//
// Self-contained and offline: the connector is a fake in-process issue tracker and the model is the AI SDK's
// own MockLanguageModelV3 from `ai/test`, scripted to call tools and then answer from their results. Swap in
// `createGithubConnector(...)` and a real model (`openai("gpt-4.1")`, see docs/native-tools.md) and the
// `generateText` call stays the same.
import { toVercelAiTools } from "@switchyard/adapters/vercel-ai";
import { ConnectorError, createConnector, defineTool, READ_ANNOTATIONS } from "@switchyard/core";
import { generateText, stepCountIs } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { z } from "zod";

// --- A fake connector: one read tool over an in-memory list ----------------------------------------------
const issues = [
  { number: 41, title: "Crash on empty config", state: "closed" },
  { number: 42, title: "Login fails on Safari", state: "open" },
];
const tracker = createConnector({
  id: "tracker",
  title: "Issue tracker",
  buckets: {},
  client: () => undefined,
  tools: [
    defineTool({
      name: "tracker_get_issue",
      title: "Get an issue",
      description: "Gets one issue by number.",
      input: z.object({ number: z.number().int().positive() }),
      output: z.object({ number: z.number(), title: z.string(), state: z.string() }),
      annotations: READ_ANNOTATIONS,
      async execute({ number }, context) {
        console.log(`  connector: tracker_get_issue #${number} for tenant ${context.tenant}`);
        const issue = issues.find((candidate) => candidate.number === number);
        if (!issue) throw new ConnectorError({ code: "not_found", message: `No issue #${number}.` });
        return issue;
      },
    }),
  ],
});

// --- A scripted model: turn 1 calls the tool twice, turn 2 answers from the tool results it was sent ------
const usage = {
  inputTokens: { total: 20, noCache: 20, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 10, text: 10, reasoning: undefined },
};
type IssueOrError = { number?: number; state?: string; error?: { code: string; message: string } };
const model = new MockLanguageModelV3({
  doGenerate: async ({ prompt }) => {
    const results = prompt.flatMap((message) =>
      message.role === "tool" ? message.content.filter((part) => part.type === "tool-result") : [],
    );
    if (results.length === 0) {
      return {
        content: [
          { type: "tool-call", toolCallId: "call_1", toolName: "tracker_get_issue", input: '{"number":42}' },
          { type: "tool-call", toolCallId: "call_2", toolName: "tracker_get_issue", input: '{"number":404}' },
        ],
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        usage,
        warnings: [],
      };
    }
    const lines = results.map((part) => {
      const value = (part.output.type === "json" ? part.output.value : {}) as IssueOrError;
      return value.error
        ? `${value.error.code}: ${value.error.message}`
        : `#${value.number} is ${value.state}`;
    });
    return {
      content: [{ type: "text", text: `Summary: ${lines.join("; ")}` }],
      finishReason: { unified: "stop", raw: "stop" },
      usage,
      warnings: [],
    };
  },
});

// --- generateText with the connector's tools --------------------------------------------------------------
const result = await generateText({
  model,
  tools: toVercelAiTools([tracker], { tenant: "acme", deadlineMs: 10_000 }),
  stopWhen: stepCountIs(5),
  prompt: "What is the state of issues 42 and 404?",
  onStepFinish: (step) => {
    for (const call of step.toolCalls)
      console.log(`tool call: ${call.toolName}(${JSON.stringify(call.input)})`);
    for (const toolResult of step.toolResults) {
      console.log(`tool result: ${toolResult.toolName} -> ${JSON.stringify(toolResult.output)}`);
    }
  },
});
console.log(`steps: ${result.steps.length}`);
console.log(`text: ${result.text}`);
