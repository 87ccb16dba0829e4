import { z } from "zod";
import {
  type ConnectorRuntimeOptions,
  type CredentialProvider,
  createConnector,
  defineTool,
  listInputShape,
  listOutputSchema,
  READ_ANNOTATIONS,
  type ToolContext,
} from "../../src/index.js";

/** An in-memory upstream: the tests script its answers and count its calls. */
export interface FakeUpstream {
  items: { id: number; title: string }[];
  calls: { tool: string; credential: string | undefined; input: unknown }[];
  /** Runs before each upstream call; throw to simulate a failure. */
  before?: (call: { tool: string; credential: string | undefined; attempt: number }) => void | Promise<void>;
}

export function fakeUpstream(count = 0): FakeUpstream {
  return {
    items: Array.from({ length: count }, (_, index) => ({ id: index + 1, title: `item ${index + 1}` })),
    calls: [],
  };
}

type Client = FakeUpstream;

async function hit(context: ToolContext<Client>, input: unknown) {
  const upstream = context.client;
  upstream.calls.push({ tool: context.tool, credential: context.credential?.value, input });
  await upstream.before?.({
    tool: context.tool,
    credential: context.credential?.value,
    attempt: context.attempt,
  });
}

export const getItem = defineTool({
  name: "fake_get_item",
  title: "Get item",
  description: "Gets one item by id.",
  input: z.object({ id: z.number().int().positive() }),
  output: z.object({ id: z.number(), title: z.string() }),
  annotations: READ_ANNOTATIONS,
  async execute(input, context: ToolContext<Client>) {
    await hit(context, input);
    const item = context.client.items.find((candidate) => candidate.id === input.id);
    if (!item) throw new Error("no such item");
    return item;
  },
});

export const listItems = defineTool({
  name: "fake_list_items",
  title: "List items",
  description: "Lists items, paginated by offset.",
  input: z.object({ ...listInputShape(100, 10), prefix: z.string().optional() }),
  output: listOutputSchema(z.object({ id: z.number(), title: z.string() })),
  annotations: READ_ANNOTATIONS,
  async execute(input, context: ToolContext<Client>) {
    return context.list({
      limit: input.limit,
      cursor: input.cursor,
      start: 0,
      maxPageSize: 7,
      fetchPage: async (offset: number, pageSize) => {
        await hit(context, { offset, pageSize });
        const page = context.client.items.slice(offset, offset + pageSize);
        const next = offset + pageSize < context.client.items.length ? offset + pageSize : null;
        return { items: page, next };
      },
    });
  },
});

export const echoText = defineTool({
  name: "fake_echo_text",
  title: "Echo text",
  description: "Returns the given text, repeated.",
  input: z.object({ text: z.string(), times: z.number().int().min(1).max(100_000).default(1) }),
  output: z.object({ text: z.string() }),
  annotations: READ_ANNOTATIONS,
  async execute(input, context: ToolContext<Client>) {
    await hit(context, input);
    return { text: input.text.repeat(input.times) };
  },
});

export const createItem = defineTool({
  name: "fake_create_item",
  title: "Create item",
  description: "Creates an item.",
  input: z.object({ title: z.string().min(1) }),
  output: z.object({ id: z.number(), title: z.string() }),
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  async execute(input, context: ToolContext<Client>) {
    await hit(context, input);
    const item = { id: context.client.items.length + 1, title: input.title };
    context.client.items.push(item);
    return item;
  },
});

export const badOutput = defineTool({
  name: "fake_bad_output",
  title: "Bad output",
  description: "Returns output that breaks its own schema.",
  input: z.object({}),
  output: z.object({ count: z.number() }),
  annotations: READ_ANNOTATIONS,
  async execute(_input, context: ToolContext<Client>) {
    await hit(context, {});
    return { count: "many" } as unknown as { count: number };
  },
});

export function fakeConnector(
  upstream: FakeUpstream,
  options: ConnectorRuntimeOptions & { credentials?: CredentialProvider } = {},
) {
  const { credentials, ...runtime } = options;
  return createConnector({
    id: "fake",
    title: "Fake",
    tools: [getItem, listItems, echoText, createItem, badOutput],
    buckets: { read: { maxConcurrent: 10 }, write: { maxConcurrent: 1 } },
    credentials,
    client: () => upstream,
    options: { retry: { baseDelayMs: 1, minDelayMs: 1, maxDelayMs: 5 }, ...runtime },
  });
}
