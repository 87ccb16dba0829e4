import type { CallEvent } from "@switchyard/core";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  CANARY_BOT_TOKEN,
  CANARY_USER_TOKEN,
  connector,
  failure,
  fixture,
  method,
  ok,
  slackError,
  slackHeaders,
} from "./helpers.js";
import { seen, server } from "./msw-server.js";

const getUser = { user: "U0ANA00001" };

/** Answers users.info with an ok:false body, counting requests. */
function failingUsersInfo(error: string, extra: Record<string, unknown> = {}) {
  const counter = { calls: 0 };
  server.use(
    method("users.info", () => {
      counter.calls += 1;
      return slackError(error, extra);
    }),
  );
  return counter;
}

describe("ok:false error mapping", () => {
  it.each([
    ["invalid_auth", "unauthenticated"],
    ["not_authed", "unauthenticated"],
    ["token_revoked", "unauthenticated"],
    ["token_expired", "unauthenticated"],
    ["account_inactive", "unauthenticated"],
    ["channel_not_found", "not_found"],
    ["user_not_found", "not_found"],
    ["users_not_found", "not_found"],
    ["invalid_arguments", "invalid_input"],
    ["msg_too_long", "invalid_input"],
    ["no_permission", "permission_denied"],
    ["not_allowed_token_type", "permission_denied"],
    ["is_archived", "conflict"],
    ["some_future_error", "invalid_input"],
  ] as const)("%s -> %s, not retried, marked as not applied", async (slackCode, code) => {
    const counter = failingUsersInfo(slackCode);
    const failed = await failure(connector().call("slack_get_user", getUser));
    expect(failed.code).toBe(code);
    expect(failed.retryable).toBe(false);
    expect(failed.notApplied).toBe(true);
    expect(failed.upstream).toMatchObject({
      status: 200,
      code: slackCode,
      requestId: expect.stringMatching(/^req-/),
    });
    expect(failed.message).toContain(slackCode);
    expect(failed.message).toContain("users.info");
    expect(counter.calls).toBe(1);
  });

  it.each(["internal_error", "fatal_error", "service_unavailable"])(
    "%s -> upstream_unavailable, retried by core for reads",
    async (slackCode) => {
      const counter = failingUsersInfo(slackCode);
      const failed = await failure(connector().call("slack_get_user", getUser));
      expect(failed.code).toBe("upstream_unavailable");
      expect(failed.retryable).toBe(true);
      expect(counter.calls).toBe(4);
    },
  );

  it("ratelimited -> rate_limited with the Retry-After wait", async () => {
    server.use(
      method("users.info", () =>
        HttpResponse.json(
          { ok: false, error: "ratelimited" },
          { headers: slackHeaders({ "retry-after": "45" }) },
        ),
      ),
    );
    const failed = await failure(connector().call("slack_get_user", getUser));
    expect(failed.code).toBe("rate_limited");
    expect(failed.retryAfterMs).toBe(45_000);
    expect(failed.notApplied).toBe(true);
  });

  it("missing_scope -> permission_denied naming the needed scope", async () => {
    server.use(
      method("conversations.history", () =>
        HttpResponse.json(fixture("missing-scope"), { headers: slackHeaders() }),
      ),
    );
    const failed = await failure(connector().call("slack_get_channel_history", { channel: "C0OPS00001" }));
    expect(failed.code).toBe("permission_denied");
    expect(failed.message).toContain("channels:history");
    expect(failed.hint).toContain("Ask the operator to add the scope channels:history");
    expect(failed.details).toMatchObject({
      slackError: "missing_scope",
      needed: "channels:history",
      provided: "channels:read,users:read",
    });
  });

  it("not_in_channel -> permission_denied with a hint to invite the app", async () => {
    server.use(method("conversations.history", () => slackError("not_in_channel")));
    const failed = await failure(connector().call("slack_get_channel_history", { channel: "C0OPS00001" }));
    expect(failed.code).toBe("permission_denied");
    expect(failed.hint).toContain("/invite");
  });

  it("invalid_arguments carries Slack's explanation", async () => {
    server.use(
      method("conversations.history", () =>
        HttpResponse.json(fixture("invalid-arguments"), { headers: slackHeaders() }),
      ),
    );
    const failed = await failure(connector().call("slack_get_channel_history", { channel: "C0OPS00001" }));
    expect(failed.code).toBe("invalid_input");
    expect(failed.message).toContain("missing required field: channel");
    expect(failed.details).toMatchObject({ messages: ["missing required field: channel"] });
  });

  it("msg_too_long on a post is invalid_input and not retried", async () => {
    let calls = 0;
    server.use(
      method("chat.postMessage", () => {
        calls += 1;
        return slackError("msg_too_long");
      }),
    );
    const failed = await failure(
      connector({ allowWrites: true }).call("slack_post_message", { channel: "C0ALLOWED1", text: "x" }),
    );
    expect(failed.code).toBe("invalid_input");
    expect(calls).toBe(1);
  });

  it("invalid_auth on a static token: unauthenticated after one re-get, without sending the same token twice", async () => {
    const counter = failingUsersInfo("invalid_auth");
    const failed = await failure(connector().call("slack_get_user", getUser));
    expect(failed.code).toBe("unauthenticated");
    expect(failed.hint).toContain("SLACK_BOT_TOKEN");
    expect(counter.calls).toBe(1);
  });
});

describe("transport failures", () => {
  it("an HTTP 500 with an HTML body is upstream_unavailable after core's retries", async () => {
    let calls = 0;
    server.use(
      method("users.info", () => {
        calls += 1;
        return new HttpResponse("<html>oops</html>", { status: 500, headers: slackHeaders() });
      }),
    );
    const failed = await failure(connector().call("slack_get_user", getUser));
    expect(failed.code).toBe("upstream_unavailable");
    expect(failed.upstream?.status).toBe(500);
    expect(calls).toBe(4);
  });

  it("a 5xx then success recovers within the call", async () => {
    let calls = 0;
    server.use(
      method("users.info", () => {
        calls += 1;
        return calls === 1 ? new HttpResponse(null, { status: 502 }) : ok(fixture("users-info"));
      }),
    );
    const { metadata } = await connector().call("slack_get_user", getUser);
    expect(metadata.attempts).toBe(2);
  });

  it("a connection failure is network, retried", async () => {
    let calls = 0;
    server.use(
      method("users.info", () => {
        calls += 1;
        return HttpResponse.error();
      }),
    );
    const failed = await failure(connector().call("slack_get_user", getUser));
    expect(failed.code).toBe("network");
    expect(calls).toBe(4);
  });

  it("an answer of the wrong shape is invalid_response", async () => {
    server.use(method("users.info", () => ok({ user: { id: 42 } })));
    const failed = await failure(connector().call("slack_get_user", getUser));
    expect(failed.code).toBe("invalid_response");
  });

  it("a body that is not JSON is invalid_response, not a Slack error code", async () => {
    server.use(
      method("users.info", () => new HttpResponse("not json", { headers: { "content-type": "text/plain" } })),
    );
    const failed = await failure(connector().call("slack_get_user", getUser));
    // The SDK turns an unreadable 200 into ok:false with the text as the error code; it is not a Slack error.
    expect(failed.code).toBe("invalid_response");
    expect(failed.message).not.toContain("not json");
  });

  it("the deadline aborts the request in flight and ends the call with timeout", async () => {
    // "Slack" holds the answer until the request is aborted or the test lets it go: only the deadline can end
    // the call.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let requests = 0;
    let aborted = false;
    let answered = false;
    server.use(
      method("users.info", async ({ request }) => {
        requests += 1;
        await new Promise<void>((resolve) => {
          void held.then(resolve);
          request.signal.addEventListener("abort", () => {
            aborted = true;
            resolve();
          });
        });
        answered = !aborted;
        return ok(fixture("users-info"));
      }),
    );
    try {
      const failed = await failure(connector().call("slack_get_user", getUser, { deadlineMs: 100 }));
      // The deadline ended the call (Slack never answered), after one request, and the request was aborted.
      expect(failed.code).toBe("timeout");
      expect(requests).toBe(1);
      await expect.poll(() => aborted, { timeout: 10_000 }).toBe(true);
      expect(answered).toBe(false);
    } finally {
      release();
    }
  });
});

describe("request ids and secrets", () => {
  it("x-slack-req-id lands in metadata.requestIds and in error.upstream.requestId", async () => {
    server.use(method("users.info", () => ok(fixture("users-info"), { "x-slack-req-id": "req-fixed-0001" })));
    const { metadata } = await connector().call("slack_get_user", getUser);
    expect(metadata.requestIds).toEqual(["req-fixed-0001"]);

    server.use(
      method("users.info", () =>
        HttpResponse.json(
          { ok: false, error: "user_not_found" },
          { headers: { "x-slack-req-id": "req-fixed-0002" } },
        ),
      ),
    );
    const events: CallEvent[] = [];
    const failed = await failure(
      connector({ onEvent: (event) => events.push(event) }).call("slack_get_user", getUser),
    );
    expect(failed.upstream?.requestId).toBe("req-fixed-0002");
    const end = events.find((event) => event.type === "call.end") as any;
    expect(end.metadata.requestIds).toEqual(["req-fixed-0002"]);
  });

  it("the tokens never appear in any error, whatever Slack echoes back", async () => {
    server.use(
      method("users.info", ({ token }) =>
        HttpResponse.json(
          {
            ok: false,
            error: "invalid_arguments",
            response_metadata: {
              messages: [`[ERROR] bad token ${token}`, `[ERROR] Authorization: Bearer ${token}`],
            },
          },
          { headers: slackHeaders() },
        ),
      ),
      method("search.messages", ({ token }) => slackError("invalid_auth", { echoed: token })),
      method(
        "conversations.history",
        () => new HttpResponse(`upstream saw ${CANARY_BOT_TOKEN}`, { status: 500 }),
      ),
    );
    const events: CallEvent[] = [];
    const slack = connector({ userToken: CANARY_USER_TOKEN, onEvent: (event) => events.push(event) });
    const failures = [
      await failure(slack.call("slack_get_user", getUser)),
      await failure(slack.call("slack_search_messages", { query: "x" })),
      await failure(slack.call("slack_get_channel_history", { channel: "C0OPS00001" })),
    ];
    expect(failures[0]?.message).toContain("bad token");
    const serialized = JSON.stringify([
      ...failures.map((error) => [
        error,
        error.message,
        error.hint,
        error.stack,
        error.causes(),
        error.details,
      ]),
      events,
    ]);
    expect(serialized).not.toContain(CANARY_BOT_TOKEN);
    expect(serialized).not.toContain(CANARY_USER_TOKEN);
    expect(seen.length).toBeGreaterThan(0);
  });
});
