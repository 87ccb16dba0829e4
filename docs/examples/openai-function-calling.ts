// OpenAI function calling with a Switchyard connector, without MCP.
//
//   node --import tsx docs/examples/openai-function-calling.ts      (from the repository root, after pnpm build)
//
// Self-contained and offline: the connector is a fake in-process issue tracker and the model is a
// deterministic stand-in for `openai.chat.completions.create` that returns canned tool calls. Swap in
// `createGithubConnector(...)` and the real client (see docs/native-tools.md) and the loop stays the same.
import { toOpenAiTools } from "@switchyard/adapters";
import { ConnectorError, createConnector, defineTool, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";

// --- A fake connector: two read tools and one write tool over an in-memory list -------------------------
const issues = [
  { number: 41, title: "Crash on empty config", state: "closed" },
  { number: 42, title: "Login fails on Safari", state: "open" },
];
const issueSchema = z.object({ number: z.number(), title: z.string(), state: z.string() });
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
      output: issueSchema,
      annotations: READ_ANNOTATIONS,
      async execute({ number }) {
        const issue = issues.find((candidate) => candidate.number === number);
        if (!issue) throw new ConnectorError({ code: "not_found", message: `No issue #${number}.` });
        return issue;
      },
    }),
    defineTool({
      name: "tracker_search_issues",
      title: "Search issues",
      description: "Finds issues whose title contains the query.",
      input: z.object({ query: z.string().min(1) }),
      output: z.object({ items: z.array(issueSchema) }),
      annotations: READ_ANNOTATIONS,
      async execute({ query }) {
        return { items: issues.filter((issue) => issue.title.toLowerCase().includes(query.toLowerCase())) };
      },
    }),
    defineTool({
      name: "tracker_close_issue",
      title: "Close an issue",
      description: "Closes an issue.",
      input: z.object({ number: z.number().int().positive() }),
      output: issueSchema,
      annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
      async execute({ number }) {
        const issue = issues.find((candidate) => candidate.number === number);
        if (!issue) throw new ConnectorError({ code: "not_found", message: `No issue #${number}.` });
        issue.state = "closed";
        return issue;
      },
    }),
  ],
  // allowWrites is off: tracker_close_issue is not offered to the model at all.
});

// --- The adapter: tools for the request, dispatch for the model's tool calls ----------------------------
const { tools, responsesTools, dispatch, dispatchAll } = toOpenAiTools([tracker], {
  tenant: "acme", // quotas and the audit trail are per tenant
  deadlineMs: 10_000, // time budget of each tool call
});
console.log(`offered tools: ${tools.map((tool) => tool.function.name).join(", ")}`);
console.log(`parameters of tracker_get_issue: ${JSON.stringify(tools[0]?.function.parameters)}`);

// --- A deterministic stand-in for openai.chat.completions.create -----------------------------------------
type Message =
  | { role: "user" | "system"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: ToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };
type ToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };

async function createChatCompletion(request: { model: string; messages: Message[]; tools: typeof tools }) {
  const toolMessages = request.messages.filter((message) => message.role === "tool");
  const message: Extract<Message, { role: "assistant" }> =
    toolMessages.length === 0
      ? {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "tracker_search_issues", arguments: '{"query":"login"}' },
            },
            {
              id: "call_2",
              type: "function",
              function: { name: "tracker_get_issue", arguments: '{"number":404}' },
            },
            {
              id: "call_3",
              type: "function",
              function: { name: "tracker_close_issue", arguments: '{"number":42}' },
            },
            {
              id: "call_4",
              type: "function",
              function: { name: "tracker_get_issue", arguments: '{"number": 42' },
            },
          ],
        }
      : { role: "assistant", content: summarise(toolMessages) };
  return {
    id: "chatcmpl-demo",
    object: "chat.completion",
    model: request.model,
    choices: [{ index: 0, message }],
  };
}

/** What a model would make of the tool results: it reads the JSON, including the structured errors. */
function summarise(results: Message[]): string {
  return results
    .map((result) => {
      const body = JSON.parse(result.content as string);
      if (body.error)
        return `${body.error.code}${body.error.retryable ? " (retryable)" : ""}: ${body.error.message}`;
      return `found ${body.items.map((issue: { number: number; title: string }) => `#${issue.number} "${issue.title}"`).join(", ")}`;
    })
    .join("; ");
}

// --- The agent loop, exactly as with the real client -----------------------------------------------------
const messages: Message[] = [{ role: "user", content: "Is there an open login bug? Close it if so." }];
for (let turn = 1; turn <= 5; turn++) {
  const completion = await createChatCompletion({ model: "gpt-4.1", messages, tools });
  const message = completion.choices[0]?.message;
  if (!message) break;
  messages.push(message);
  if (!message.tool_calls?.length) {
    console.log(`assistant: ${message.content}`);
    break;
  }
  const results = await dispatchAll(message.tool_calls);
  message.tool_calls.forEach((call, index) => {
    console.log(`call ${call.function.name}(${call.function.arguments}) -> ${results[index]?.content}`);
  });
  messages.push(...results);
}

// --- The Responses API: same adapter, other shapes -------------------------------------------------------
console.log(`responses tool: ${JSON.stringify({ ...responsesTools[0], parameters: "..." })}`);
const output = await dispatch({
  type: "function_call",
  call_id: "call_9",
  name: "tracker_get_issue",
  arguments: '{"number":41}',
});
console.log(`responses output: ${JSON.stringify(output)}`);
