import {
  type BucketSpecs,
  ConnectorError,
  type ConnectorInstance,
  type ConnectorRuntimeOptions,
  type CredentialProvider,
  createConnector,
  defineTool,
  fromValue,
  httpStatusError,
  listInputShape,
  listOutputSchema,
  networkError,
  nextFromLinkHeader,
  parseEpochSecondsReset,
  parseRetryAfter,
  READ_ANNOTATIONS,
  type ToolContext,
} from "@switchyard/core";
import { z } from "zod";

/**
 * A small fetch-based connector for a fake upstream, built only from core's public API. It is what a real
 * connector looks like (rate-limit headers, request ids, status mapping, link-header pagination) without an
 * SDK in between, so the contract tests exercise core's pipeline and nothing else.
 */

export const DEMO_API = "https://api.demo.test";
export const DEMO_AUTH = "https://auth.demo.test";
/** The largest page the demo upstream serves. */
export const DEMO_MAX_PAGE_SIZE = 50;
export const DEMO_STATIC_TOKEN = "demo-static-token-0001";

export const DEMO_BUCKETS: BucketSpecs = {
  read: { maxConcurrent: 4 },
  write: { minTimeMs: 20 },
};

export interface DemoClient {
  readonly baseUrl: string;
  readonly token: string | undefined;
}

type Context = ToolContext<DemoClient>;

const wireItem = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["open", "closed"]).default("open"),
  description: z.string().optional(),
});

const wireList = z.object({ items: z.array(wireItem) });

export const demoItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["open", "closed"]),
  description: z.string().optional(),
});

export type DemoItem = z.infer<typeof demoItemSchema>;

function toItem(wire: z.infer<typeof wireItem>): DemoItem {
  return {
    id: wire.id,
    name: wire.name,
    status: wire.status,
    ...(wire.description === undefined ? {} : { description: wire.description }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

interface DemoRequest {
  readonly method: "GET" | "POST" | "PUT";
  /** A path under the API, or an absolute URL on the API's origin (a `Link` header target). */
  readonly path: string;
  readonly body?: unknown;
}

interface DemoResponse {
  readonly data: unknown;
  readonly headers: Headers;
}

function integerHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name)?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Feeds `x-ratelimit-*` to the limiter, on every answer, errors included. */
function observeRateLimit(context: Context, headers: Headers): void {
  const limit = integerHeader(headers, "x-ratelimit-limit");
  const remaining = integerHeader(headers, "x-ratelimit-remaining");
  const resetAt = parseEpochSecondsReset(headers.get("x-ratelimit-reset"));
  if (limit === undefined && remaining === undefined && resetAt === undefined) return;
  context.observeRateLimit({ limit, remaining, resetAt });
}

interface ErrorBody {
  readonly message?: string | undefined;
  readonly code?: string | undefined;
}

/** Reads `{message, code}` (or `{error, error_description}`) from an error body; anything else gives nothing. */
function parseErrorBody(text: string): ErrorBody {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return {};
  try {
    const body = JSON.parse(trimmed) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value : undefined);
    const nested =
      body.error && typeof body.error === "object" ? (body.error as Record<string, unknown>) : {};
    return {
      message: text(body.message) ?? text(body.error_description) ?? text(nested.message) ?? text(body.error),
      code: text(body.code) ?? text(nested.code) ?? (text(body.message) ? text(body.error) : undefined),
    };
  } catch {
    return {};
  }
}

function statusError(response: Response, text: string): ConnectorError {
  const { headers, status } = response;
  const contentType = headers.get("content-type") ?? "";
  const body = parseErrorBody(text);
  const remaining = integerHeader(headers, "x-ratelimit-remaining");
  const resetAt = parseEpochSecondsReset(headers.get("x-ratelimit-reset"));
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"));
  const untilReset = remaining === 0 && resetAt !== undefined ? Math.max(0, resetAt - Date.now()) : undefined;
  // GitHub-style: a 403 can be a rate limit (secondary limit, or an exhausted primary budget).
  const secondary = status === 403 && /secondary rate limit/i.test(body.message ?? "");
  const rateLimited = status === 429 || secondary || (status === 403 && remaining === 0);
  const message =
    body.message ??
    (text.trim() === ""
      ? undefined
      : `the error body is ${contentType.split(";")[0] || "not JSON"}, not a JSON error document`);
  return httpStatusError({
    status,
    message,
    upstreamCode: body.code,
    requestId: headers.get("x-request-id") ?? undefined,
    // Without Retry-After, a secondary limit asks for at least a minute (GitHub's documented advice).
    retryAfterMs: rateLimited
      ? (retryAfterMs ?? untilReset ?? (secondary ? 60_000 : undefined))
      : retryAfterMs,
    code: rateLimited ? "rate_limited" : undefined,
  });
}

function parseJsonBody(response: Response, text: string): unknown {
  const upstream = { status: response.status, requestId: response.headers.get("x-request-id") ?? undefined };
  const contentType = response.headers.get("content-type") ?? "";
  if (!/\bjson\b/i.test(contentType)) {
    throw new ConnectorError({
      code: "invalid_response",
      message: `The demo API answered HTTP ${response.status} with ${contentType.split(";")[0] || "no content type"} instead of JSON.`,
      upstream,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConnectorError({
      code: "invalid_response",
      message: "The demo API's answer is not valid JSON (cut off or malformed).",
      upstream,
      cause: error,
    });
  }
}

/** A failure of fetch itself or of reading the body: a transport problem, whatever fetch called it. */
function transportError(error: unknown): ConnectorError {
  return (
    networkError(error) ??
    new ConnectorError({
      code: "network",
      message: "The request to the demo API failed before a complete answer arrived.",
      cause: error,
    })
  );
}

async function demoRequest(context: Context, request: DemoRequest): Promise<DemoResponse> {
  const base = new URL(context.client.baseUrl);
  const url = new URL(request.path, base);
  if (url.origin !== base.origin) {
    throw new ConnectorError({
      code: "invalid_response",
      message: `The demo API pointed to ${url.origin}, outside its own origin.`,
    });
  }
  const headers: Record<string, string> = { accept: "application/json" };
  if (context.client.token) headers.authorization = `Bearer ${context.client.token}`;
  if (request.body !== undefined) headers["content-type"] = "application/json";

  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: context.signal,
    });
  } catch (error) {
    // Deadline or cancellation: the pipeline names it from its own signal.
    if (context.signal.aborted) throw error;
    throw transportError(error);
  }
  context.recordRequestId(response.headers.get("x-request-id"));
  observeRateLimit(context, response.headers);

  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (context.signal.aborted) throw error;
    throw transportError(error);
  }
  if (!response.ok) throw statusError(response, text);
  return { data: parseJsonBody(response, text), headers: response.headers };
}

// ---------------------------------------------------------------------------------------------------------------
// Tools

const itemOutput = z.object({ item: demoItemSchema });
const itemFields = {
  name: z.string().min(1).max(200).describe("Item name."),
  description: z.string().max(2000).optional().describe("Free text."),
};

export const demoGetItem = defineTool({
  name: "demo_get_item",
  title: "Get a demo item",
  description: "Reads one item of the demo upstream by id.",
  input: z.object({ id: z.string().min(1).max(100).describe("Item id.") }),
  output: itemOutput,
  annotations: READ_ANNOTATIONS,
  async execute(input, context: Context) {
    const { data } = await demoRequest(context, {
      method: "GET",
      path: `/items/${encodeURIComponent(input.id)}`,
    });
    return { item: toItem(wireItem.parse(data)) };
  },
});

/** A link-header list tool over `path` (two of them, so cursors can be replayed across tools). */
function defineListTool(name: string, path: string, title: string, description: string) {
  return defineTool({
    name,
    title,
    description,
    input: z.object({
      ...listInputShape(100, 30),
      status: z.enum(["open", "closed"]).optional().describe("Only items in this state."),
    }),
    output: listOutputSchema(demoItemSchema),
    annotations: READ_ANNOTATIONS,
    async execute(input, context: Context) {
      const first = new URLSearchParams({ page: "1" });
      if (input.status) first.set("status", input.status);
      return context.list<DemoItem, string>({
        limit: input.limit,
        cursor: input.cursor,
        start: `${path}?${first}`,
        maxPageSize: DEMO_MAX_PAGE_SIZE,
        async fetchPage(position, pageSize) {
          const url = new URL(position, context.client.baseUrl);
          url.searchParams.set("per_page", String(pageSize));
          const { data, headers } = await demoRequest(context, { method: "GET", path: url.href });
          return {
            items: wireList.parse(data).items.map(toItem),
            next: nextFromLinkHeader(headers.get("link")),
          };
        },
      });
    },
  });
}

export const demoListItems = defineListTool(
  "demo_list_items",
  "/items",
  "List demo items",
  "Lists items of the demo upstream, oldest first; pass nextCursor back as cursor to continue.",
);

export const demoListArchivedItems = defineListTool(
  "demo_list_archived_items",
  "/archive/items",
  "List archived demo items",
  "Lists archived items of the demo upstream, oldest first; pass nextCursor back as cursor to continue.",
);

export const demoCreateItem = defineTool({
  name: "demo_create_item",
  title: "Create a demo item",
  description: "Creates an item in the demo upstream. Not idempotent: each call creates a new item.",
  input: z.object(itemFields),
  output: itemOutput,
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  async execute(input, context: Context) {
    const { data } = await demoRequest(context, { method: "POST", path: "/items", body: input });
    return { item: toItem(wireItem.parse(data)) };
  },
});

export const demoPutItem = defineTool({
  name: "demo_put_item",
  title: "Replace a demo item",
  description: "Creates or replaces the item with this id. Idempotent: repeating it changes nothing more.",
  input: z.object({ id: z.string().min(1).max(100).describe("Item id."), ...itemFields }),
  output: itemOutput,
  annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: true },
  async execute({ id, ...fields }, context: Context) {
    const { data } = await demoRequest(context, {
      method: "PUT",
      path: `/items/${encodeURIComponent(id)}`,
      body: fields,
    });
    return { item: toItem(wireItem.parse(data)) };
  },
});

export const DEMO_TOOLS = [demoGetItem, demoListItems, demoListArchivedItems, demoCreateItem, demoPutItem];

// ---------------------------------------------------------------------------------------------------------------
// Connector

export interface DemoConnectorOptions {
  /** Default: a static token (`DEMO_STATIC_TOKEN`). */
  readonly credentials?: CredentialProvider;
  readonly options?: ConnectorRuntimeOptions;
  readonly baseUrl?: string;
  readonly buckets?: BucketSpecs;
}

/** A fresh demo connector: its own limiter, pauses and cursor key, so scenarios never share state. */
export function createDemoConnector(options: DemoConnectorOptions = {}): ConnectorInstance {
  const baseUrl = options.baseUrl ?? DEMO_API;
  return createConnector<DemoClient>({
    id: "demo",
    title: "Demo upstream (contract tests)",
    tools: DEMO_TOOLS,
    buckets: options.buckets ?? DEMO_BUCKETS,
    credentials:
      options.credentials ??
      fromValue(DEMO_STATIC_TOKEN, { description: "the demo upstream's static token" }),
    client: (credential) => ({ baseUrl, token: credential?.value }),
    ...(options.options ? { options: options.options } : {}),
  });
}
