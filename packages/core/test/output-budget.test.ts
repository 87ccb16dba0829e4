import { describe, expect, it } from "vitest";
import { applyOutputBudget, measureOutput } from "../src/index.js";
import { fakeConnector, fakeUpstream } from "./support/fake-connector.js";

describe("applyOutputBudget", () => {
  it("leaves a result within budget untouched", () => {
    const output = { items: [1, 2, 3], nextCursor: null };
    expect(applyOutputBudget(output, { maxTokens: 1000, maxBytes: 1000 })).toMatchObject({
      output,
      truncated: false,
    });
  });

  it("cuts a list to the longest prefix that fits and continues at the first dropped item", () => {
    const items = Array.from({ length: 50 }, (_, index) => ({ id: index, text: "x".repeat(40) }));
    const { output, truncated, size } = applyOutputBudget(
      { items, nextCursor: "end" },
      { maxTokens: 10_000, maxBytes: 600 },
      (index) => `at-${index}`,
    );
    expect(truncated).toBe(true);
    expect(size.bytes).toBeLessThanOrEqual(600);
    const kept = (output.items as unknown[]).length;
    expect(kept).toBeGreaterThan(0);
    expect(output.nextCursor).toBe(`at-${kept}`);
    expect((output as { truncated?: boolean }).truncated).toBe(true);
    // One more item would not have fitted.
    expect(
      measureOutput({ items: items.slice(0, kept + 1), nextCursor: `at-${kept + 1}`, truncated: true }).bytes,
    ).toBeGreaterThan(600);
  });

  it("shortens long strings of a single result and says so", () => {
    const { output, truncated } = applyOutputBudget(
      { body: "y".repeat(10_000), title: "t" },
      { maxTokens: 500, maxBytes: 100_000 },
    );
    expect(truncated).toBe(true);
    expect((output as { truncated?: boolean }).truncated).toBe(true);
    expect(output.title).toBe("t");
    expect(output.body as string).toMatch(/… \[truncated \d+ characters\]$/);
    expect(measureOutput(output).tokens).toBeLessThanOrEqual(500);
  });

  it("still moves forward when a single list item is larger than the budget", () => {
    const { output } = applyOutputBudget(
      { items: [{ text: "z".repeat(5000) }, { text: "small" }], nextCursor: null },
      { maxTokens: 300, maxBytes: 100_000 },
      (index) => `at-${index}`,
    );
    expect(output.items).toHaveLength(1);
    expect(output.nextCursor).toBe("at-1");
  });
});

describe("truncation through the pipeline", () => {
  it("returns every item exactly once when lists are cut by the budget and resumed by cursor", async () => {
    const upstream = fakeUpstream(97);
    for (const item of upstream.items) item.title = `item ${item.id} ${"·".repeat((item.id % 13) * 7)}`;
    const connector = fakeConnector(upstream, { outputBudget: { maxTokens: 200, maxBytes: 2000 } });
    const seen: number[] = [];
    let cursor: string | undefined;
    let truncatedCalls = 0;
    for (let call = 0; call < 200; call += 1) {
      const { output, metadata } = await connector.call("fake_list_items", {
        limit: 25,
        ...(cursor ? { cursor } : {}),
      });
      const result = output as { items: { id: number }[]; nextCursor: string | null; truncated?: boolean };
      if (result.truncated) truncatedCalls += 1;
      expect(metadata.outputTokens).toBeLessThanOrEqual(200);
      seen.push(...result.items.map((item) => item.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(truncatedCalls).toBeGreaterThan(0);
    expect(seen).toEqual(upstream.items.map((item) => item.id));
    await connector.close();
  });

  it("honours a tighter per-call budget", async () => {
    const connector = fakeConnector(fakeUpstream(0));
    const { output, metadata } = await connector.call(
      "fake_echo_text",
      { text: "abc", times: 20_000 },
      { maxOutputTokens: 1000 },
    );
    expect(metadata.truncated).toBe(true);
    expect(output.truncated).toBe(true);
    expect(metadata.outputTokens).toBeLessThanOrEqual(1000);
    await connector.close();
  });
});
