import { type CallEvent, networkError } from "@switchyard/core";
import { HttpResponse, http } from "msw";
import { expect, it } from "vitest";
import { expectConnectorError } from "../harness/expect-error.js";
import {
  brokenStream,
  connectionReset,
  htmlErrorPage,
  malformedJson,
  neverAnswers,
  recorded,
  SECONDARY_RATE_LIMIT_MESSAGE,
  secondaryRateLimit,
  sequence,
  serverError,
  tooManyRequests,
  truncatedBody,
} from "../harness/faults.js";
import { server } from "../harness/msw-server.js";
import { describeForTargets } from "../harness/target.js";
import { DEMO_API } from "./demo-connector.js";
import { demoConnector, demoItem, jsonAnswer } from "./demo-fixtures.js";

const ITEM_URL = `${DEMO_API}/items/:id`;

function itemAnswer(id = "a1", headers: Record<string, string> = {}) {
  return jsonAnswer(demoItem(id), { headers });
}

describeForTargets("core retry and error mapping over HTTP", { targets: ["mock"] }, () => {
  it("503 twice then 200: succeeds on the third attempt and keeps every request id", async () => {
    const upstream = sequence(
      jsonAnswer({ message: "down" }, { status: 503, headers: { "x-request-id": "req-1" } }),
      jsonAnswer({ message: "down" }, { status: 503, headers: { "x-request-id": "req-2" } }),
      itemAnswer("a1", { "x-request-id": "req-3" }),
    );
    server.use(http.get(ITEM_URL, upstream));

    const result = await demoConnector().call("demo_get_item", { id: "a1" });

    expect(result.output).toEqual({ item: demoItem("a1") });
    expect(result.metadata.attempts).toBe(3);
    expect(upstream.calls).toBe(3);
    expect(result.metadata.requestIds).toEqual(["req-1", "req-2", "req-3"]);
  });

  it("429 with Retry-After: 1 is waited before the next attempt", async () => {
    const upstream = recorded(sequence(tooManyRequests({ retryAfter: 1 }), itemAnswer()));
    server.use(http.get(ITEM_URL, upstream));

    const result = await demoConnector().call("demo_get_item", { id: "a1" });

    expect(result.metadata.attempts).toBe(2);
    expect(upstream.arrivals).toHaveLength(2);
    const [first, second] = upstream.arrivals as [number, number];
    // Behaviour, not performance: the second request must not arrive before the upstream allowed it.
    expect(second - first).toBeGreaterThanOrEqual(990);
  });

  // Regression: waiting out an upstream Retry-After counts as rate-limit wait in the metadata.
  it("the Retry-After wait of a 429 is reported in metadata.rateLimitWaitMs", async () => {
    server.use(http.get(ITEM_URL, sequence(tooManyRequests({ retryAfter: 1 }), itemAnswer())));

    const result = await demoConnector().call("demo_get_item", { id: "a1" });

    expect(result.metadata.rateLimitWaitMs).toBeGreaterThanOrEqual(990);
  });

  it("429 asking for longer than maxRetryAfterMs ends the call at once with rate_limited + retryAfterMs", async () => {
    const upstream = sequence(tooManyRequests({ retryAfter: 120 }), itemAnswer());
    server.use(http.get(ITEM_URL, upstream));
    const events: CallEvent[] = [];

    const error = await expectConnectorError(
      demoConnector({ retry: { maxRetryAfterMs: 5_000 }, onEvent: (event) => events.push(event) }).call(
        "demo_get_item",
        { id: "a1" },
      ),
      "rate_limited",
    );

    expect(error.retryAfterMs).toBe(120_000);
    expect(error.retryable).toBe(true);
    expect(error.upstream?.status).toBe(429);
    expect(upstream.calls).toBe(1);
    expect(events.filter((event) => event.type === "call.retry")).toEqual([]);
  });

  it("403 secondary rate limit (GitHub style) with Retry-After is waited, then succeeds", async () => {
    const upstream = recorded(sequence(secondaryRateLimit({ retryAfter: 1 }), itemAnswer()));
    server.use(http.get(ITEM_URL, upstream));

    const result = await demoConnector().call("demo_get_item", { id: "a1" });

    expect(result.metadata.attempts).toBe(2);
    const [first, second] = upstream.arrivals as [number, number];
    expect(second - first).toBeGreaterThanOrEqual(990);
  });

  it("403 secondary rate limit without Retry-After is rate_limited (a minute), not permission_denied", async () => {
    const upstream = sequence(secondaryRateLimit());
    server.use(http.get(ITEM_URL, upstream));

    const error = await expectConnectorError(
      demoConnector({ retry: { maxRetryAfterMs: 5_000 } }).call("demo_get_item", { id: "a1" }),
      "rate_limited",
    );

    expect(error.retryAfterMs).toBe(60_000);
    expect(error.message).toContain(SECONDARY_RATE_LIMIT_MESSAGE.slice(0, 40));
    expect(upstream.calls).toBe(1);
  });

  it.each([
    [400, "invalid_input"],
    [404, "not_found"],
    [422, "invalid_input"],
  ] as const)("HTTP %i is not retried and maps to %s", async (status, code) => {
    const upstream = sequence(
      jsonAnswer(
        { message: `refused with ${status}`, code: "E_DEMO" },
        { status, headers: { "x-request-id": "r-4xx" } },
      ),
    );
    server.use(http.get(ITEM_URL, upstream));

    const error = await expectConnectorError(demoConnector().call("demo_get_item", { id: "a1" }), code);

    expect(upstream.calls).toBe(1);
    expect(error.message).toContain(`refused with ${status}`);
    expect(error.upstream).toEqual({ status, code: "E_DEMO", requestId: "r-4xx" });
    expect(error.connector).toBe("demo");
    expect(error.tool).toBe("demo_get_item");
  });

  it("POST (not idempotent) is not repeated after a 500", async () => {
    const upstream = sequence(serverError(500), jsonAnswer(demoItem("new"), { status: 201 }));
    server.use(http.post(`${DEMO_API}/items`, upstream));

    await expectConnectorError(
      demoConnector().call("demo_create_item", { name: "new" }),
      "upstream_unavailable",
    );
    expect(upstream.calls).toBe(1);
  });

  it("POST is not repeated after a connection reset", async () => {
    const upstream = sequence(connectionReset(), jsonAnswer(demoItem("new"), { status: 201 }));
    server.use(http.post(`${DEMO_API}/items`, upstream));

    const error = await expectConnectorError(
      demoConnector().call("demo_create_item", { name: "new" }),
      "network",
    );
    expect(error.notApplied).toBe(false);
    expect(upstream.calls).toBe(1);
  });

  it("POST is repeated after a 429, which proves the request was not applied", async () => {
    const upstream = sequence(
      tooManyRequests({ retryAfter: 0 }),
      jsonAnswer(demoItem("new"), { status: 201 }),
    );
    server.use(http.post(`${DEMO_API}/items`, upstream));

    const result = await demoConnector().call("demo_create_item", { name: "new" });

    expect(result.output).toEqual({ item: demoItem("new") });
    expect(result.metadata.attempts).toBe(2);
    expect(upstream.calls).toBe(2);
  });

  it("PUT (idempotent) is repeated after a 500", async () => {
    const upstream = sequence(serverError(500), jsonAnswer(demoItem("p1")));
    server.use(http.put(ITEM_URL, upstream));

    const result = await demoConnector().call("demo_put_item", { id: "p1", name: "Item p1" });

    expect(result.metadata.attempts).toBe(2);
    expect(upstream.calls).toBe(2);
  });

  it("a connection reset maps to network and a read is retried up to maxRetries", async () => {
    const upstream = sequence(connectionReset());
    server.use(http.get(ITEM_URL, upstream));

    const error = await expectConnectorError(demoConnector().call("demo_get_item", { id: "a1" }), "network");

    expect(error.retryable).toBe(true);
    expect(upstream.calls).toBe(4);
  });

  // Regression: MSW's HttpResponse.error() ("Failed to fetch") is a network failure, not internal.
  it("core's networkError() recognises a mocked connection reset", async () => {
    server.use(http.get(ITEM_URL, connectionReset()));

    const thrown = await fetch(`${DEMO_API}/items/a1`).catch((error: unknown) => error);

    expect(thrown).toBeInstanceOf(TypeError);
    expect(networkError(thrown)?.code).toBe("network");
  });

  it("an upstream that never answers ends with timeout at the call's deadline, and is not retried", async () => {
    const upstream = recorded(neverAnswers());
    server.use(http.get(ITEM_URL, upstream));

    const error = await expectConnectorError(
      demoConnector().call("demo_get_item", { id: "a1" }, { deadlineMs: 300 }),
      "timeout",
    );

    expect(error.retryable).toBe(true);
    expect(upstream.calls).toBe(1);
  });

  it("a caller abort while the request hangs gives cancelled, and nothing is sent afterwards", async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const hang = neverAnswers();
    let calls = 0;
    server.use(
      http.get(ITEM_URL, (info) => {
        calls += 1;
        arrived();
        return hang(info);
      }),
    );
    const controller = new AbortController();

    const pending = demoConnector().call("demo_get_item", { id: "a1" }, { signal: controller.signal });
    await requestArrived;
    controller.abort();
    const error = await expectConnectorError(pending, "cancelled");

    expect(error.retryable).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(1);
  });

  it("a caller abort during a retry backoff gives cancelled, and the retry is never sent", async () => {
    const upstream = sequence(serverError(503), itemAnswer());
    server.use(http.get(ITEM_URL, upstream));
    const controller = new AbortController();
    const connector = demoConnector({
      // A long backoff: the abort lands while the call waits for its second attempt.
      retry: { baseDelayMs: 5_000, minDelayMs: 5_000, maxDelayMs: 5_000 },
      onEvent: (event) => {
        if (event.type === "call.retry") controller.abort();
      },
    });

    await expectConnectorError(
      connector.call("demo_get_item", { id: "a1" }, { signal: controller.signal }),
      "cancelled",
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(upstream.calls).toBe(1);
  });

  it.each([
    ['malformed JSON (200, `{"items": [`)', malformedJson(), "invalid_response", 1],
    [
      "a truncated body (content-length larger than the body)",
      truncatedBody(demoItem("a1")),
      "invalid_response",
      1,
    ],
    ["a body stream that breaks mid-way", brokenStream(), "network", 4],
    ["a 502 HTML error page", htmlErrorPage(502), "upstream_unavailable", 4],
    ["a 200 HTML page", htmlErrorPage(200), "invalid_response", 1],
    [
      "a 200 whose JSON has the wrong shape",
      () => HttpResponse.json({ identifier: 1 }),
      "invalid_response",
      1,
    ],
  ] as const)("%s gives a typed %s error within the deadline", async (_name, fault, code, calls) => {
    const upstream = sequence(fault);
    server.use(http.get(ITEM_URL, upstream));

    const error = await expectConnectorError(
      demoConnector().call("demo_get_item", { id: "a1" }, { deadlineMs: 2_000 }),
      code,
    );

    expect(upstream.calls).toBe(calls);
    expect(error.message).not.toMatch(/<html|<!DOCTYPE/i);
    expect(error.tool).toBe("demo_get_item");
  });
});
