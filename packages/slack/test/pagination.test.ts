import { describe, expect, it } from "vitest";
import { connector, failure, method, ok } from "./helpers.js";
import { server } from "./msw-server.js";

/** Slack-style opaque cursors: base64 of the offset, as Slack's look (`dGVhbTpDMDYx...`). */
const cursorFor = (offset: number) => Buffer.from(`offset:${offset}`).toString("base64");
const offsetOf = (cursor: string | null) =>
  cursor ? Number(Buffer.from(cursor, "base64").toString("utf8").split(":")[1]) : 0;

/** conversations.list over `total` channels, `limit` per page. */
function pagedChannels(total: number, seenCursors: (string | null)[]) {
  return method("conversations.list", ({ form }) => {
    const cursor = form.get("cursor");
    seenCursors.push(cursor);
    const offset = offsetOf(cursor);
    const limit = Number(form.get("limit"));
    const count = Math.min(limit, total - offset);
    const channels = Array.from({ length: count }, (_, index) => ({
      id: `C0CHAN${String(offset + index).padStart(4, "0")}`,
      name: `channel-${offset + index}`,
      is_channel: true,
    }));
    const next = offset + count < total ? cursorFor(offset + count) : "";
    return ok({ channels, response_metadata: { next_cursor: next } });
  });
}

describe("cursor pagination", () => {
  it("walks three pages with core cursors, returning every channel once and null at the end", async () => {
    const cursors: (string | null)[] = [];
    server.use(pagedChannels(25, cursors));
    const slack = connector();
    const names: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const { output, metadata } = await slack.call("slack_list_channels", {
        limit: 10,
        ...(cursor ? { cursor } : {}),
      });
      calls += 1;
      expect(metadata.pages).toBe(1);
      names.push(...(output.items as Array<{ name: string }>).map((item) => item.name));
      cursor = (output.nextCursor as string | null) ?? undefined;
      // Core's cursor is signed and opaque: never Slack's own.
      if (cursor) expect(cursor).not.toBe(cursorFor(calls * 10));
    } while (cursor);
    expect(calls).toBe(3);
    expect(names).toEqual(Array.from({ length: 25 }, (_, index) => `channel-${index}`));
    expect(cursors).toEqual([null, cursorFor(10), cursorFor(20)]);
  });

  it("keeps going through pages Slack returns short (fewer than limit, even none) without losing items", async () => {
    // Slack filters after paging: archived channels take a slot in the page but are left out of it.
    const hidden = new Set([3, 5, 6, 7, 8, 9]);
    const cursors: (string | null)[] = [];
    server.use(
      method("conversations.list", ({ form }) => {
        const cursor = form.get("cursor");
        cursors.push(cursor);
        const offset = offsetOf(cursor);
        const limit = Number(form.get("limit"));
        const channels = [];
        for (let index = offset; index < Math.min(15, offset + limit); index += 1) {
          if (!hidden.has(index))
            channels.push({ id: `C0CHAN${String(index).padStart(4, "0")}`, name: `channel-${index}` });
        }
        const next = offset + limit < 15 ? cursorFor(offset + limit) : "";
        return ok({ channels, response_metadata: { next_cursor: next } });
      }),
    );
    const slack = connector();
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const { output } = await slack.call("slack_list_channels", { limit: 5, ...(cursor ? { cursor } : {}) });
      pages.push((output.items as Array<{ name: string }>).map((item) => item.name));
      cursor = (output.nextCursor as string | null) ?? undefined;
    } while (cursor && pages.length < 10);
    // A short page, then an empty one, each with a cursor to continue: nothing lost, nothing repeated.
    expect(pages).toEqual([
      ["channel-0", "channel-1", "channel-2", "channel-4"],
      [],
      ["channel-10", "channel-11", "channel-12", "channel-13", "channel-14"],
    ]);
    expect(cursors).toEqual([null, cursorFor(5), cursorFor(10)]);
  });

  it("resumes exactly at the first message the output budget cut", async () => {
    const pageRequests: (string | null)[] = [];
    server.use(
      method("conversations.history", ({ form }) => {
        const cursor = form.get("cursor");
        pageRequests.push(cursor);
        const offset = offsetOf(cursor);
        const messages = Array.from({ length: 10 }, (_, index) => ({
          type: "message",
          text: `message ${offset + index} ${"lorem ipsum ".repeat(40)}`,
          ts: `17000${String(offset + index).padStart(5, "0")}.000001`,
        }));
        return ok({
          messages,
          has_more: offset < 10,
          response_metadata: { next_cursor: offset < 10 ? cursorFor(10) : "" },
        });
      }),
    );
    const slack = connector();
    const seenTexts: string[] = [];
    let cursor: string | undefined;
    let truncatedOnce = false;
    for (let call = 0; call < 20; call += 1) {
      const { output } = await slack.call(
        "slack_get_channel_history",
        { channel: "C0OPS00001", limit: 10, ...(cursor ? { cursor } : {}) },
        { maxOutputTokens: 800 },
      );
      truncatedOnce ||= output.truncated === true;
      seenTexts.push(
        ...(output.items as Array<{ text: string }>).map((item) => item.text.split(" ")[1] ?? ""),
      );
      cursor = (output.nextCursor as string | null) ?? undefined;
      if (!cursor) break;
    }
    expect(truncatedOnce).toBe(true);
    expect(seenTexts).toEqual(Array.from({ length: 20 }, (_, index) => String(index)));
  });

  it("search.messages starts at cursor * and follows next_cursor", async () => {
    const cursors: (string | null)[] = [];
    server.use(
      method("search.messages", ({ form }) => {
        const cursor = form.get("cursor");
        cursors.push(cursor);
        const offset = cursor === "*" ? 0 : offsetOf(cursor);
        const matches = Array.from({ length: Math.min(3, 7 - offset) }, (_, index) => ({
          type: "message",
          text: `hit ${offset + index}`,
          ts: `1700000000.00000${offset + index}`,
          channel: { id: "C0OPS00001", name: "ops" },
        }));
        const next = offset + matches.length < 7 ? cursorFor(offset + matches.length) : "";
        return ok({ messages: { total: 7, matches }, response_metadata: { next_cursor: next } });
      }),
    );
    const slack = connector({ botToken: undefined, userToken: "xoxp-1-2-3" });
    const hits: string[] = [];
    let cursor: string | undefined;
    do {
      const { output } = await slack.call("slack_search_messages", {
        query: "hit",
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      expect(output.total).toBe(7);
      hits.push(...(output.items as Array<{ text: string }>).map((item) => item.text));
      cursor = (output.nextCursor as string | null) ?? undefined;
    } while (cursor);
    expect(hits).toHaveLength(7);
    expect(cursors).toEqual(["*", cursorFor(3), cursorFor(6)]);
  });

  it("refuses a cursor from another query or a tampered one, before any request", async () => {
    const cursors: (string | null)[] = [];
    server.use(pagedChannels(25, cursors));
    const slack = connector();
    const first = await slack.call("slack_list_channels", { limit: 10 });
    const otherQuery = await failure(
      slack.call("slack_list_channels", { includePrivate: true, cursor: first.output.nextCursor }),
    );
    expect(otherQuery.code).toBe("invalid_input");
    const tampered = await failure(
      slack.call("slack_list_channels", { cursor: `${first.output.nextCursor}x`.replace(/^./, "A") }),
    );
    expect(tampered.code).toBe("invalid_input");
    expect(cursors).toEqual([null]);
  });
});
