import type { CallResult } from "@switchyard/core";
import { http } from "msw";
import { expect, it } from "vitest";
import { expectConnectorError } from "../harness/expect-error.js";
import { server } from "../harness/msw-server.js";
import { describeForTargets } from "../harness/target.js";
import { DEMO_API, type DemoItem } from "./demo-connector.js";
import { demoConnector, demoItem, paginatedUpstream } from "./demo-fixtures.js";

interface ListOutput {
  readonly items: DemoItem[];
  readonly nextCursor: string | null;
  readonly truncated?: boolean;
}

const ALL_IDS = Array.from({ length: 250 }, (_, index) => demoItem(index + 1).id);

function listOutput(result: CallResult): ListOutput {
  return result.output as unknown as ListOutput;
}

/** Changes one character of the cursor's signed payload. */
function tamper(cursor: string): string {
  const index = Math.floor(cursor.indexOf(".") / 2);
  const original = cursor[index] as string;
  return `${cursor.slice(0, index)}${original === "A" ? "B" : "A"}${cursor.slice(index + 1)}`;
}

describeForTargets("core pagination over link headers", { targets: ["mock"] }, () => {
  it("walks 250 items, 10 per page, in 25 calls: each item once, in order, nextCursor null at the end", async () => {
    const upstream = paginatedUpstream(250);
    server.use(http.get(`${DEMO_API}/items`, upstream.resolver));
    const connector = demoConnector();

    const seen: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    let last: ListOutput | undefined;
    do {
      const result = await connector.call("demo_list_items", { limit: 10, ...(cursor ? { cursor } : {}) });
      calls += 1;
      last = listOutput(result);
      expect(last.items).toHaveLength(10);
      expect(result.metadata.pages).toBe(1);
      expect(result.metadata.truncated).toBe(false);
      seen.push(...last.items.map((item) => item.id));
      cursor = last.nextCursor ?? undefined;
    } while (cursor && calls < 100);

    expect(calls).toBe(25);
    expect(last?.nextCursor).toBeNull();
    expect(seen).toEqual(ALL_IDS);
    expect(upstream.pages).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
  });

  it("refuses a tampered cursor with invalid_input, without calling the upstream", async () => {
    const upstream = paginatedUpstream(250);
    server.use(http.get(`${DEMO_API}/items`, upstream.resolver));
    const connector = demoConnector();
    const first = listOutput(await connector.call("demo_list_items", { limit: 10 }));
    const cursor = first.nextCursor as string;

    const tampered = tamper(cursor);
    expect(tampered).not.toBe(cursor);
    const error = await expectConnectorError(
      connector.call("demo_list_items", { limit: 10, cursor: tampered }),
      "invalid_input",
    );
    expect(error.details).toEqual({ field: "cursor" });
    // Flipping a character of the signature is refused too.
    const badTag = `${cursor.slice(0, -2)}${cursor.endsWith("AA") ? "BB" : "AA"}`;
    await expectConnectorError(
      connector.call("demo_list_items", { limit: 10, cursor: badTag }),
      "invalid_input",
    );
    expect(upstream.pages).toEqual([1]);
  });

  it("refuses a cursor replayed with different query arguments (limit alone may change)", async () => {
    const upstream = paginatedUpstream(250);
    server.use(http.get(`${DEMO_API}/items`, upstream.resolver));
    const connector = demoConnector();
    const cursor = listOutput(await connector.call("demo_list_items", { limit: 10 })).nextCursor as string;

    const error = await expectConnectorError(
      connector.call("demo_list_items", { limit: 10, status: "closed", cursor }),
      "invalid_input",
    );
    expect(error.message).toContain("different query");

    // The page size is pinned in the cursor, so a different limit continues exactly where the list stopped.
    const resumed = listOutput(await connector.call("demo_list_items", { limit: 15, cursor }));
    expect(resumed.items.map((item) => item.id)).toEqual(ALL_IDS.slice(10, 25));
  });

  it("refuses a cursor replayed on another tool", async () => {
    const items = paginatedUpstream(250);
    const archive = paginatedUpstream(250, "/archive/items");
    server.use(
      http.get(`${DEMO_API}/items`, items.resolver),
      http.get(`${DEMO_API}/archive/items`, archive.resolver),
    );
    const connector = demoConnector();
    const cursor = listOutput(await connector.call("demo_list_items", { limit: 10 })).nextCursor as string;

    const error = await expectConnectorError(
      connector.call("demo_list_archived_items", { limit: 10, cursor }),
      "invalid_input",
    );
    expect(error.message).toContain("demo_list_items");
    expect(archive.pages).toEqual([]);
  });

  it("a tiny output budget cuts pages (truncated: true) and nextCursor still yields every item once", async () => {
    const upstream = paginatedUpstream(250);
    server.use(http.get(`${DEMO_API}/items`, upstream.resolver));
    const connector = demoConnector({ outputBudget: { maxTokens: 100_000, maxBytes: 600 } });

    const seen: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    let truncatedCalls = 0;
    do {
      const result = await connector.call("demo_list_items", { limit: 10, ...(cursor ? { cursor } : {}) });
      calls += 1;
      const output = listOutput(result);
      expect(output.items.length).toBeGreaterThan(0);
      expect(result.metadata.outputBytes).toBeLessThanOrEqual(600);
      if (output.truncated) {
        truncatedCalls += 1;
        expect(result.metadata.truncated).toBe(true);
        expect(output.items.length).toBeLessThan(10);
        expect(output.nextCursor).not.toBeNull();
      }
      seen.push(...output.items.map((item) => item.id));
      cursor = output.nextCursor ?? undefined;
    } while (cursor && calls < 500);

    expect(truncatedCalls).toBeGreaterThan(0);
    expect(calls).toBeGreaterThan(25);
    expect(seen).toEqual(ALL_IDS);
  });
});
