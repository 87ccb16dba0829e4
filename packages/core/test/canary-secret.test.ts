import { inspect } from "node:util";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type CallEvent,
  ConnectorError,
  createConnector,
  defineTool,
  fromValue,
  httpStatusError,
  READ_ANNOTATIONS,
  refreshingCredentials,
  type ToolContext,
} from "../src/index.js";

/** A registered secret, and token-shaped strings nobody registered: none may surface anywhere. */
const CANARY = "canary-9f8e7d6c5b4a39281706";
const PATTERN_CANARIES = [
  "ghp_CanaryCanaryCanaryCanaryCanary123456",
  "github_pat_11CANARY0000_CanaryCanaryCanaryCanary",
  "xoxb-1234567890-canary-slack-token",
  "postgres://app:canary-db-password@db.internal:5432/app",
];

type Scenario = (context: ToolContext<unknown>) => Promise<never>;

const scenarios: Record<string, Scenario> = {
  "upstream error echoing the token": async () => {
    throw httpStatusError({
      status: 401,
      message: `Bad credentials: token ${CANARY} and ${PATTERN_CANARIES[0]}`,
    });
  },
  "plain error with nested causes": async () => {
    throw new Error(`request to https://x:${CANARY}@api.example.test failed`, {
      cause: new Error(`Authorization: Bearer ${CANARY}`, {
        cause: { message: PATTERN_CANARIES[2], code: "E" },
      }),
    });
  },
  "network failure": async () => {
    throw Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error(`connect ECONNREFUSED ${PATTERN_CANARIES[3]}`), {
        code: "ECONNREFUSED",
      }),
    });
  },
  "a connector error with details": async () => {
    throw new ConnectorError({
      code: "permission_denied",
      message: `missing scope for ${PATTERN_CANARIES[1]}`,
      hint: `token ${CANARY} lacks repo`,
      details: { token: CANARY, header: `Bearer ${CANARY}`, nested: { note: PATTERN_CANARIES[0] } },
      upstream: { status: 403, code: CANARY },
    });
  },
  "wire schema mismatch": async () => {
    z.object({ id: z.number() }).parse({ id: CANARY });
    throw new Error("unreachable");
  },
  timeout: () => new Promise(() => {}),
};

const leakingTool = defineTool({
  name: "canary_run_scenario",
  title: "Run scenario",
  description: "Fails in a chosen way.",
  input: z.object({ scenario: z.string(), note: z.string().optional() }),
  output: z.object({ text: z.string() }),
  annotations: READ_ANNOTATIONS,
  async execute(input, context) {
    const scenario = scenarios[input.scenario];
    if (scenario) return scenario(context);
    return { text: `echo ${input.note ?? ""}` };
  },
});

const badOutputTool = defineTool({
  name: "canary_bad_output",
  title: "Bad output",
  description: "Returns output that breaks its schema, secret included.",
  input: z.object({}),
  output: z.object({ count: z.number() }),
  annotations: READ_ANNOTATIONS,
  execute: async () => ({ count: CANARY }) as unknown as { count: number },
});

describe("a canary secret pushed through every error path", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const events: CallEvent[] = [];
  const connector = createConnector({
    id: "canary",
    title: "Canary",
    tools: [leakingTool, badOutputTool],
    buckets: { read: {} },
    credentials: fromValue(CANARY),
    client: () => undefined,
    options: {
      deadlineMs: 200,
      retry: { maxRetries: 1, baseDelayMs: 1, minDelayMs: 1 },
      tracer: provider.getTracer("canary"),
      onEvent: (event) => events.push(event),
    },
  });
  const texts: string[] = [];

  const collect = (error: unknown) => {
    texts.push(
      String((error as Error).message),
      String((error as Error).stack),
      JSON.stringify(error),
      inspect(error, { depth: 20 }),
      String(error),
    );
  };

  afterAll(async () => {
    await connector.close();
  });

  for (const name of Object.keys(scenarios)) {
    it(`stays hidden: ${name}`, async () => {
      const error = await connector
        .call("canary_run_scenario", { scenario: name })
        .catch((caught: unknown) => caught);
      expect(ConnectorError.isInstance(error)).toBe(true);
      collect(error);
    });
  }

  it("stays hidden: invalid input carrying the secret", async () => {
    collect(
      await connector
        .call("canary_run_scenario", { scenario: 42, note: CANARY })
        .catch((caught: unknown) => caught),
    );
    collect(await connector.call(`canary_${CANARY}`, {}).catch((caught: unknown) => caught));
  });

  it("stays hidden: output that breaks its schema", async () => {
    collect(await connector.call("canary_bad_output", {}).catch((caught: unknown) => caught));
  });

  it("stays hidden: a successful output echoing the secret", async () => {
    const result = await connector.call("canary_run_scenario", {
      scenario: "echo",
      note: `${CANARY} ${PATTERN_CANARIES.join(" ")}`,
    });
    texts.push(JSON.stringify(result));
  });

  it("stays hidden: a failing credential refresh", async () => {
    const failing = createConnector({
      id: "canary",
      title: "Canary",
      tools: [leakingTool],
      buckets: {},
      credentials: refreshingCredentials({
        description: "test",
        refresh: async () => {
          throw new Error(`token endpoint rejected client_secret=${CANARY}&refresh_token=${CANARY}`);
        },
      }),
      client: () => undefined,
      options: { onEvent: (event) => events.push(event), retry: { maxRetries: 0 } },
    });
    collect(
      await failing.call("canary_run_scenario", { scenario: "echo" }).catch((caught: unknown) => caught),
    );
    await failing.close();
  });

  it("never appears in errors, events or spans", () => {
    texts.push(JSON.stringify(events));
    for (const span of exporter.getFinishedSpans())
      texts.push(JSON.stringify(span.attributes), JSON.stringify(span.status));
    const everything = texts.join("\n");
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(CANARY);
    for (const canary of PATTERN_CANARIES) expect(everything).not.toContain(canary);
    expect(everything).not.toContain("canary-db-password");
    expect(everything).toContain("[REDACTED]");
  });
});
