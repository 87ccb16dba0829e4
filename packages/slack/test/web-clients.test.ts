import type { WebClient } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { SlackWebClients } from "../src/slack-client.js";
import {
  API,
  CANARY_BOT_TOKEN,
  CANARY_USER_TOKEN,
  connector,
  failure,
  fixture,
  method,
  ok,
} from "./helpers.js";
import { server } from "./msw-server.js";

const facts = () => ({}) as { status?: number; requestId?: string; retryAfter?: string };
const signal = () => new AbortController().signal;

describe("SlackWebClients (WebClients reused across requests)", () => {
  it("reuses a client for the next request with the same token, never for another token", async () => {
    const pool = new SlackWebClients(`${API}/`);
    const used: WebClient[] = [];
    const take = (web: WebClient) => {
      used.push(web);
      return Promise.resolve();
    };
    await pool.run(CANARY_BOT_TOKEN, { signal: signal(), facts: facts() }, take);
    await pool.run(CANARY_BOT_TOKEN, { signal: signal(), facts: facts() }, take);
    await pool.run(CANARY_USER_TOKEN, { signal: signal(), facts: facts() }, take);
    expect(used[1]).toBe(used[0]);
    expect(used[2]).not.toBe(used[0]);
  });

  it("gives concurrent requests clients of their own", async () => {
    const pool = new SlackWebClients(`${API}/`);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const used: WebClient[] = [];
    const hold = async (web: WebClient) => {
      used.push(web);
      await held;
    };
    const both = Promise.all([
      pool.run(CANARY_BOT_TOKEN, { signal: signal(), facts: facts() }, hold),
      pool.run(CANARY_BOT_TOKEN, { signal: signal(), facts: facts() }, hold),
    ]);
    release();
    await both;
    expect(used).toHaveLength(2);
    expect(used[1]).not.toBe(used[0]);
  });

  it("sends each request with its own signal and fills its own facts, on a reused client", async () => {
    server.use(
      method("users.info", ({ form }) =>
        ok(fixture("users-info"), { "x-slack-req-id": `req-for-${form.get("user")}` }),
      ),
    );
    const pool = new SlackWebClients(`${API}/`);
    const first = facts();
    await pool.run(CANARY_BOT_TOKEN, { signal: signal(), facts: first }, (web) =>
      web.apiCall("users.info", { user: "U0FIRST001" }),
    );
    // An aborted signal fails the request on the same (reused) client, and leaves the client usable.
    const aborted = new AbortController();
    aborted.abort(new Error("cancelled by the test"));
    await expect(
      pool.run(CANARY_BOT_TOKEN, { signal: aborted.signal, facts: facts() }, (web) =>
        web.apiCall("users.info", { user: "U0ABORT001" }),
      ),
    ).rejects.toThrow();
    const third = facts();
    await pool.run(CANARY_BOT_TOKEN, { signal: signal(), facts: third }, (web) =>
      web.apiCall("users.info", { user: "U0THIRD001" }),
    );
    expect(first).toEqual({ status: 200, requestId: "req-for-U0FIRST001" });
    expect(third).toEqual({ status: 200, requestId: "req-for-U0THIRD001" });
  });
});

describe("the connector's pooled clients", () => {
  it("keeps request ids apart when calls overlap", async () => {
    // The first user's answer comes last: each call must still report its own request id.
    server.use(
      method("users.info", async ({ form }) => {
        const user = form.get("user");
        if (user === "U0SLOW0001") await new Promise((resolve) => setTimeout(resolve, 50));
        return ok(fixture("users-info"), { "x-slack-req-id": `req-for-${user}` });
      }),
    );
    const slack = connector();
    const [slow, fast] = await Promise.all([
      slack.call("slack_get_user", { user: "U0SLOW0001" }),
      slack.call("slack_get_user", { user: "U0FAST0001" }),
    ]);
    expect(slow.metadata.requestIds).toEqual(["req-for-U0SLOW0001"]);
    expect(fast.metadata.requestIds).toEqual(["req-for-U0FAST0001"]);
    // And again, on the clients the first two calls gave back.
    const again = await slack.call("slack_get_user", { user: "U0AGAIN001" });
    expect(again.metadata.requestIds).toEqual(["req-for-U0AGAIN001"]);
  });

  it("a call that timed out leaves its client usable for the next call", async () => {
    let calls = 0;
    server.use(
      method("users.info", async ({ request, form }) => {
        calls += 1;
        if (calls === 1) {
          await new Promise<void>((resolve) => request.signal.addEventListener("abort", () => resolve()));
        }
        return ok(fixture("users-info"), { "x-slack-req-id": `req-for-${form.get("user")}` });
      }),
    );
    const slack = connector();
    const failed = await failure(slack.call("slack_get_user", { user: "U0HELD0001" }, { deadlineMs: 100 }));
    expect(failed.code).toBe("timeout");
    const next = await slack.call("slack_get_user", { user: "U0NEXT0001" });
    expect(next.metadata.requestIds).toEqual(["req-for-U0NEXT0001"]);
  });

  it("sends a new token once the credential changes", async () => {
    const tokens: (string | undefined)[] = [];
    server.use(
      method("users.info", ({ token }) => {
        tokens.push(token);
        return ok(fixture("users-info"));
      }),
    );
    let current = CANARY_BOT_TOKEN;
    const rotated = `xoxb-1111111111-2222222222-${"R0tat3d".repeat(4)}`;
    const slack = connector({
      credentials: {
        description: "test",
        get: async () => ({ value: current }),
        invalidate: () => {},
      },
    });
    await slack.call("slack_get_user", { user: "U0ANA00001" });
    current = rotated;
    await slack.call("slack_get_user", { user: "U0BOB00001" });
    expect(tokens).toEqual([CANARY_BOT_TOKEN, rotated]);
  });
});
