import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type ApprovalRequest,
  type ConnectorError,
  type ConnectorRuntimeOptions,
  createConnector,
  defineTool,
  fromValue,
} from "../src/index.js";

const SECRET = "approval-secret-token-123";

function harness(options: ConnectorRuntimeOptions = {}) {
  const sent: string[] = [];
  const post = defineTool({
    name: "chat_post_message",
    title: "Post a message",
    description: "Posts to a channel.",
    input: z.object({ channel: z.string(), text: z.string() }),
    output: z.object({ ok: z.boolean() }),
    annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
    describeCall: (input) => ({
      summary: `Post to ${input.channel}: "${input.text}"`,
      targets: [input.channel],
    }),
    async execute(input, context) {
      if (!["#ops", ...context.approvedTargets].includes(input.channel)) throw new Error("not allowlisted");
      sent.push(`${input.channel}: ${input.text}`);
      return { ok: true };
    },
  });
  const connector = createConnector({
    id: "chat",
    title: "Chat",
    tools: [post],
    buckets: {},
    credentials: fromValue(SECRET),
    client: () => undefined,
    isListed: (target) => target === "#ops",
    options: { allowWrites: true, ...options },
  });
  return { connector, sent };
}

describe("approval for destructive calls", () => {
  it("asks the approver with tool, redacted input and a one-line summary, and proceeds when approved", async () => {
    const seen: ApprovalRequest[] = [];
    const { connector, sent } = harness({
      approval: {
        destructiveDefault: "always",
        approve: async (request) => {
          seen.push(request);
          return { approved: true, by: "alice" };
        },
      },
    });
    const result = await connector.call("chat_post_message", { channel: "#ops", text: `token ${SECRET}` });
    expect(sent).toEqual([`#ops: token ${SECRET}`]);
    expect(seen[0]).toMatchObject({
      tool: "chat_post_message",
      summary: 'Post to #ops: "token [REDACTED]"',
      input: { channel: "#ops", text: "token [REDACTED]" },
      targets: ["#ops"],
      unlistedTargets: [],
      policy: "always",
    });
    expect(result.metadata.approval).toEqual({ policy: "always", decision: "approved", by: "alice" });
  });

  it("redacts what the approver wrote before it is kept", async () => {
    const { connector } = harness({
      approval: {
        destructiveDefault: "always",
        approve: async () => ({ approved: false, by: "bob", reason: `leaked ${SECRET}` }),
      },
    });
    const error = (await connector
      .call("chat_post_message", { channel: "#ops", text: "hi" })
      .catch((caught: unknown) => caught)) as ConnectorError;
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain("leaked [REDACTED]");
  });

  it("refuses with permission_denied when denied, and nothing reaches the upstream", async () => {
    const { connector, sent } = harness({
      approval: {
        destructiveDefault: "always",
        approve: async () => ({ approved: false, by: "bob", reason: "not today" }),
      },
    });
    const error = (await connector
      .call("chat_post_message", { channel: "#ops", text: "hi" })
      .catch((caught: unknown) => caught)) as ConnectorError;
    expect(error.code).toBe("permission_denied");
    expect(error.message).toContain("not today");
    expect(error.retryable).toBe(false);
    expect(sent).toEqual([]);
  });

  it("refuses clearly when approval is required but nobody can be asked", async () => {
    const { connector, sent } = harness({ approval: { policies: { "chat_*": "always" } } });
    const error = (await connector
      .call("chat_post_message", { channel: "#ops", text: "hi" })
      .catch((caught: unknown) => caught)) as ConnectorError;
    expect(error.code).toBe("permission_denied");
    expect(error.details).toMatchObject({ approval: "unavailable" });
    expect(sent).toEqual([]);
  });

  it("when-unlisted asks only for targets outside the allowlists, and an approval lets the call reach them", async () => {
    const asked: string[] = [];
    const { connector, sent } = harness({
      approval: {
        policies: { chat_post_message: "when-unlisted" },
        approve: async (request) => {
          asked.push(...request.unlistedTargets);
          return true;
        },
      },
    });
    const listed = await connector.call("chat_post_message", { channel: "#ops", text: "a" });
    expect(listed.metadata.approval).toEqual({ policy: "when-unlisted", decision: "not_required" });
    const unlisted = await connector.call("chat_post_message", { channel: "#random", text: "b" });
    expect(unlisted.metadata.approval?.decision).toBe("approved");
    expect(asked).toEqual(["#random"]);
    expect(sent).toEqual(["#ops: a", "#random: b"]);
  });

  it("prefers the per-call approver (MCP elicitation) and ends a hung approver at the deadline", async () => {
    const { connector } = harness({
      deadlineMs: 100,
      approval: { destructiveDefault: "always", approve: async () => true },
    });
    const error = (await connector
      .call("chat_post_message", { channel: "#ops", text: "x" }, { approve: () => new Promise(() => {}) })
      .catch((caught: unknown) => caught)) as ConnectorError;
    expect(error.code).toBe("timeout");
  });
});
