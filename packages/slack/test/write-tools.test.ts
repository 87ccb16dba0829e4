import { describe, expect, it } from "vitest";
import { connector, failure, fixture, method, ok, seenMethods, slackError } from "./helpers.js";
import { seen, server } from "./msw-server.js";

/** chat.postMessage that records what was posted. */
function postMessage(posted: Record<string, string>[] = []) {
  return method("chat.postMessage", ({ form }) => {
    posted.push(Object.fromEntries(form));
    return ok({ ...fixture("chat-post-message"), channel: form.get("channel") });
  });
}

/** Posts without the one-second spacing, for tests about something else. */
const UNSPACED = { methods: { "chat.postMessage": { maxConcurrent: 1 } } };

const listChannels = () => method("conversations.list", () => ok(fixture("conversations-list")));

describe("write tools", () => {
  it("are refused without allowWrites, and nothing reaches Slack", async () => {
    const slack = connector();
    for (const [tool, input] of [
      ["slack_post_message", { channel: "ops", text: "hi" }],
      ["slack_reply_in_thread", { channel: "ops", threadTs: "1700000100.000100", text: "hi" }],
      ["slack_add_reaction", { channel: "ops", timestamp: "1700000100.000100", name: "eyes" }],
    ] as const) {
      const failed = await failure(slack.call(tool, input));
      expect(failed.code, tool).toBe("permission_denied");
      expect(failed.notApplied).toBe(true);
    }
    expect(seen).toHaveLength(0);
  });

  it("slack_post_message posts to an allowlisted channel by name, with unfurling off", async () => {
    const posted: Record<string, string>[] = [];
    server.use(listChannels(), postMessage(posted));
    const { output, metadata } = await connector({ allowWrites: true }).call("slack_post_message", {
      channel: "#ops",
      text: "Deploy *done* :tada:",
    });
    expect(posted).toEqual([
      {
        channel: "C0OPS00001",
        text: "Deploy *done* :tada:",
        unfurl_links: "false",
        unfurl_media: "false",
      },
    ]);
    expect(output).toEqual({
      channel: "C0OPS00001",
      ts: "1700000400.000400",
      time: "2023-11-14T22:20:00.000Z",
      threadTs: null,
    });
    expect(metadata.requestIds).toHaveLength(2);
  });

  it("posts to an allowlisted id without any lookup", async () => {
    const posted: Record<string, string>[] = [];
    server.use(postMessage(posted));
    await connector({ allowWrites: true }).call("slack_post_message", { channel: "C0ALLOWED1", text: "hi" });
    expect(seenMethods(seen)).toEqual(["chat.postMessage"]);
    expect(posted[0]?.channel).toBe("C0ALLOWED1");
  });

  it("checks an id against allowlisted names by looking its name up", async () => {
    server.use(
      method("conversations.info", ({ form }) =>
        ok({ channel: { id: form.get("channel"), name: "ops", is_channel: true } }),
      ),
      postMessage(),
    );
    await connector({ allowWrites: true }).call("slack_post_message", { channel: "C0OPS00001", text: "hi" });
    expect(seenMethods(seen)).toEqual(["conversations.info", "chat.postMessage"]);
  });

  it("refuses a channel outside SLACK_CHANNELS before posting", async () => {
    server.use(
      method("conversations.info", () => ok({ channel: { id: "C0RANDOM01", name: "random" } })),
      postMessage(),
    );
    const failed = await failure(
      connector({ allowWrites: true }).call("slack_post_message", { channel: "C0RANDOM01", text: "hi" }),
    );
    expect(failed.code).toBe("permission_denied");
    expect(failed.notApplied).toBe(true);
    expect(failed.message).toContain("SLACK_CHANNELS");
    expect(failed.message).toContain("#ops");
    expect(seenMethods(seen)).not.toContain("chat.postMessage");
  });

  it("an empty SLACK_CHANNELS opens no channel to writes", async () => {
    const failed = await failure(
      connector({ allowWrites: true, channels: [] }).call("slack_post_message", {
        channel: "C0ALLOWED1",
        text: "hi",
      }),
    );
    expect(failed.code).toBe("permission_denied");
    expect(failed.message).toMatch(/empty/);
    expect(seen).toHaveLength(0);
  });

  it("globs in SLACK_CHANNELS match names", async () => {
    server.use(
      method("conversations.list", () =>
        ok({ channels: [{ id: "C0ENGWEB01", name: "eng-web" }], response_metadata: { next_cursor: "" } }),
      ),
      postMessage(),
    );
    const slack = connector({ allowWrites: true, channels: ["#eng-*"] });
    await slack.call("slack_post_message", { channel: "eng-web", text: "hi" });
    const failed = await failure(slack.call("slack_post_message", { channel: "ops", text: "hi" }));
    expect(failed.code).toBe("permission_denied");
  });

  it.each([
    "<!channel> deploy in 5",
    "<!here|here> deploy",
    "heads up @everyone",
    "@HERE please look",
    "<!everyone>",
  ])("refuses the broadcast mention in %j before any request", async (text) => {
    const failed = await failure(
      connector({ allowWrites: true }).call("slack_post_message", { channel: "C0ALLOWED1", text }),
    );
    expect(failed.code).toBe("permission_denied");
    expect(failed.hint).toContain("allowBroadcastMentions");
    expect(failed.notApplied).toBe(true);
    expect(seen).toHaveLength(0);
  });

  it("lets ordinary mentions and email-like text through, and broadcasts when allowed", async () => {
    const posted: Record<string, string>[] = [];
    server.use(postMessage(posted));
    const slack = connector({ allowWrites: true });
    await slack.call("slack_post_message", {
      channel: "C0ALLOWED1",
      text: "ping <@U0ANA00001>, mail ops@here.com",
    });
    const allowed = connector({ allowWrites: true, allowBroadcastMentions: true });
    await allowed.call("slack_post_message", { channel: "C0ALLOWED1", text: "<!here> deploy" });
    expect(posted.map((entry) => entry.text)).toEqual([
      "ping <@U0ANA00001>, mail ops@here.com",
      "<!here> deploy",
    ]);
  });

  it("sends unfurl flags as configured", async () => {
    const posted: Record<string, string>[] = [];
    server.use(postMessage(posted));
    await connector({ allowWrites: true, unfurlLinks: true, unfurlMedia: false }).call("slack_post_message", {
      channel: "C0ALLOWED1",
      text: "https://example.com",
    });
    expect(posted[0]).toMatchObject({ unfurl_links: "true", unfurl_media: "false" });
  });

  it("slack_reply_in_thread posts with thread_ts (and reply_broadcast when asked)", async () => {
    const posted: Record<string, string>[] = [];
    server.use(postMessage(posted));
    const slack = connector({ allowWrites: true, rateLimits: UNSPACED });
    const { output } = await slack.call("slack_reply_in_thread", {
      channel: "C0ALLOWED1",
      threadTs: "1700000100.000100",
      text: "On it",
    });
    await slack.call("slack_reply_in_thread", {
      channel: "C0ALLOWED1",
      threadTs: "1700000100.000100",
      text: "Fixed",
      alsoSendToChannel: true,
    });
    expect(posted).toEqual([
      {
        channel: "C0ALLOWED1",
        text: "On it",
        thread_ts: "1700000100.000100",
        unfurl_links: "false",
        unfurl_media: "false",
      },
      {
        channel: "C0ALLOWED1",
        text: "Fixed",
        thread_ts: "1700000100.000100",
        reply_broadcast: "true",
        unfurl_links: "false",
        unfurl_media: "false",
      },
    ]);
    expect(output.threadTs).toBe("1700000100.000100");
  });

  it("slack_add_reaction normalises the name; already_reacted is success", async () => {
    const reactions: Record<string, string>[] = [];
    server.use(
      method("reactions.add", ({ form }) => {
        reactions.push(Object.fromEntries(form));
        return reactions.length === 1 ? ok() : slackError("already_reacted");
      }),
    );
    const slack = connector({ allowWrites: true });
    const input = { channel: "C0ALLOWED1", timestamp: "1700000100.000100", name: ":white_check_mark:" };
    const first = await slack.call("slack_add_reaction", input);
    const second = await slack.call("slack_add_reaction", input);
    expect(reactions[0]).toEqual({
      channel: "C0ALLOWED1",
      timestamp: "1700000100.000100",
      name: "white_check_mark",
    });
    expect(first.output).toMatchObject({ alreadyReacted: false, name: "white_check_mark" });
    expect(second.output).toMatchObject({ alreadyReacted: true });
  });

  it("slack_add_reaction is refused outside the allowlist", async () => {
    server.use(method("conversations.info", () => ok({ channel: { id: "C0RANDOM01", name: "random" } })));
    const failed = await failure(
      connector({ allowWrites: true }).call("slack_add_reaction", {
        channel: "C0RANDOM01",
        timestamp: "1700000100.000100",
        name: "eyes",
      }),
    );
    expect(failed.code).toBe("permission_denied");
    expect(seenMethods(seen)).not.toContain("reactions.add");
  });

  it("a post is not repeated after a failure that may have applied it, but is after a refusal", async () => {
    let calls = 0;
    server.use(
      method("chat.postMessage", () => {
        calls += 1;
        return slackError("internal_error");
      }),
    );
    const failed = await failure(
      connector({ allowWrites: true }).call("slack_post_message", { channel: "C0ALLOWED1", text: "hi" }),
    );
    expect(failed.code).toBe("upstream_unavailable");
    expect(calls).toBe(1);

    calls = 0;
    server.use(
      method("chat.postMessage", () => {
        calls += 1;
        return calls === 1 ? slackError("ratelimited") : ok(fixture("chat-post-message"));
      }),
    );
    const { metadata } = await connector({ allowWrites: true, rateLimits: UNSPACED }).call(
      "slack_post_message",
      {
        channel: "C0ALLOWED1",
        text: "hi",
      },
    );
    expect(calls).toBe(2);
    expect(metadata.attempts).toBe(2);
  });

  it("spaces posts to one channel about a second apart, other channels are not held", async () => {
    const times: Record<string, number[]> = {};
    server.use(
      method("chat.postMessage", ({ form }) => {
        const channel = form.get("channel") ?? "";
        times[channel] = [...(times[channel] ?? []), Date.now()];
        return ok({ ...fixture("chat-post-message"), channel });
      }),
    );
    const slack = connector({ allowWrites: true, channels: ["C0ALLOWED1", "C0ALLOWED2"] });
    const [, two, three] = await Promise.all([
      slack.call("slack_post_message", { channel: "C0ALLOWED1", text: "one" }),
      slack.call("slack_post_message", { channel: "C0ALLOWED1", text: "two" }),
      slack.call("slack_post_message", { channel: "C0ALLOWED2", text: "three" }),
    ]);
    const [first = 0, second = 0] = times.C0ALLOWED1 ?? [];
    // The limiter starts the second post 1 s after the first; these are arrival times at the fake Slack, and on
    // a loaded machine one request can spend a few hundred ms more in transit than the other (876 ms seen in
    // CI). Unspaced posts would arrive a few ms apart, so half a second still proves the spacing.
    expect(second - first).toBeGreaterThanOrEqual(500);
    expect(two.metadata.rateLimitWaitMs).toBeGreaterThan(500);
    // The other channel was not held behind the first one's spacing: its post reached Slack before the first
    // channel's second post, and it waited less than that post did.
    expect(times.C0ALLOWED2).toHaveLength(1);
    expect(times.C0ALLOWED2?.[0] ?? Number.POSITIVE_INFINITY).toBeLessThan(second);
    expect(three.metadata.rateLimitWaitMs).toBeLessThan(two.metadata.rateLimitWaitMs);
  });
});

describe("approval for Slack writes", () => {
  it("asks before posting outside the allowlist (when-unlisted) and lets an approved call through once", async () => {
    const posted: Record<string, string>[] = [];
    server.use(postMessage(posted));
    const asked: { summary: string; unlisted: readonly string[] }[] = [];
    let answer = true;
    const slack = connector({
      allowWrites: true,
      approval: {
        policies: { "slack_*": "when-unlisted" },
        approve: async (request) => {
          asked.push({ summary: request.summary, unlisted: request.unlistedTargets });
          return answer;
        },
      },
    });
    await slack.call("slack_post_message", { channel: "C0ALLOWED1", text: "listed" });
    expect(asked).toEqual([]);
    await slack.call("slack_post_message", { channel: "C0OTHER001", text: "unlisted" });
    expect(asked).toEqual([{ summary: 'Post to C0OTHER001: "unlisted"', unlisted: ["C0OTHER001"] }]);
    answer = false;
    const denied = await failure(slack.call("slack_post_message", { channel: "C0OTHER001", text: "denied" }));
    expect(denied.code).toBe("permission_denied");
    expect(posted.map((entry) => [entry.channel, entry.text])).toEqual([
      ["C0ALLOWED1", "listed"],
      ["C0OTHER001", "unlisted"],
    ]);
    // The approval does not widen the allowlist for the next call.
    answer = true;
    const previewed = slack.previewApproval("slack_post_message", { channel: "#random", text: "x" });
    expect(previewed).toMatchObject({ required: true, targets: ["#random"], unlistedTargets: ["#random"] });
  });

  it("an approval does not override the broadcast rule", async () => {
    const slack = connector({
      allowWrites: true,
      approval: { policies: { "slack_*": "always" }, approve: async () => true },
    });
    const failed = await failure(
      slack.call("slack_post_message", { channel: "C0ALLOWED1", text: "<!channel>" }),
    );
    expect(failed.code).toBe("permission_denied");
    expect(seen).toHaveLength(0);
  });
});
