import type { CallEvent } from "@switchyard/core";
import { HttpResponse, http } from "msw";
import { expect, it } from "vitest";
import { expectConnectorError } from "../harness/expect-error.js";
import { recorded } from "../harness/faults.js";
import { server } from "../harness/msw-server.js";
import { describeForTargets } from "../harness/target.js";
import { DEMO_API } from "./demo-connector.js";
import { demoConnector, demoItem } from "./demo-fixtures.js";

const ITEM_URL = `${DEMO_API}/items/:id`;

/** An epoch-seconds reset (as GitHub sends it) more than `aheadSeconds` and at most `aheadSeconds + 1` s from now. */
function resetSecondsAhead(aheadSeconds: number): number {
  return Math.floor(Date.now() / 1000) + aheadSeconds + 1;
}

function budgetHeaders(limit: number, remaining: number, resetEpochSeconds: number): Record<string, string> {
  return {
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(remaining),
    "x-ratelimit-reset": String(resetEpochSeconds),
  };
}

describeForTargets("core rate limiting over HTTP", { targets: ["mock"] }, () => {
  it("metadata.rateLimit reports the remaining budget the upstream announced", async () => {
    const reset = resetSecondsAhead(30);
    server.use(
      http.get(ITEM_URL, ({ params }) =>
        HttpResponse.json(demoItem(String(params.id)), { headers: budgetHeaders(60, 41, reset) }),
      ),
    );

    const result = await demoConnector().call("demo_get_item", { id: "a1" });

    expect(result.metadata.rateLimit).toEqual({
      bucket: "read",
      limit: 60,
      remaining: 41,
      resetAt: reset * 1000,
    });
  });

  it("an exhausted budget (remaining 0) holds the next call until the reset, before it reaches the upstream", async () => {
    const reset = resetSecondsAhead(1); // 1-2 s ahead
    let served = 0;
    const upstream = recorded(({ params }) => {
      served += 1;
      const headers = served === 1 ? budgetHeaders(60, 0, reset) : budgetHeaders(60, 59, reset + 60);
      return HttpResponse.json(demoItem(String(params.id)), { headers });
    });
    server.use(http.get(ITEM_URL, upstream));
    const connector = demoConnector();

    const first = await connector.call("demo_get_item", { id: "a1" });
    expect(first.metadata.rateLimit).toMatchObject({
      remaining: 0,
      resetAt: reset * 1000,
      pausedUntil: reset * 1000,
    });

    const secondStartedAt = Date.now();
    const second = await connector.call("demo_get_item", { id: "a2" });

    expect(upstream.arrivals).toHaveLength(2);
    // The request reached the upstream only once the announced reset had passed.
    expect(upstream.arrivals[1]).toBeGreaterThanOrEqual(reset * 1000 - 10);
    // It waited for the reset (the tolerance covers the few ms between this timestamp and the limiter's).
    expect(second.metadata.rateLimitWaitMs).toBeGreaterThanOrEqual(reset * 1000 - secondStartedAt - 100);
    expect(second.metadata.rateLimit).toMatchObject({ remaining: 59 });
    expect(second.metadata.attempts).toBe(1);
  });

  it("an exhausted budget whose reset lies beyond the call's deadline gives rate_limited without sending", async () => {
    const reset = resetSecondsAhead(5);
    const upstream = recorded(({ params }) =>
      HttpResponse.json(demoItem(String(params.id)), { headers: budgetHeaders(60, 0, reset) }),
    );
    server.use(http.get(ITEM_URL, upstream));
    const connector = demoConnector();
    await connector.call("demo_get_item", { id: "a1" });

    const before = Date.now();
    const error = await expectConnectorError(
      connector.call("demo_get_item", { id: "a2" }, { deadlineMs: 500 }),
      "rate_limited",
    );

    expect(upstream.calls).toBe(1);
    expect(error.notApplied).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThan(500);
    // The time left until the announced reset, measured no earlier than the call started.
    expect(error.retryAfterMs).toBeLessThanOrEqual(reset * 1000 - before + 1);
  });

  it("a 429's Retry-After pauses the other calls of the bucket: they wait instead of collecting 429s", async () => {
    const pauseMs = 1_000;
    let pausedUntil = 0;
    let served429 = 0;
    const upstream = recorded(({ params }) => {
      const now = Date.now();
      if (pausedUntil === 0 || now < pausedUntil) {
        // The first request opens a one-second window in which the upstream refuses everything.
        if (pausedUntil === 0) pausedUntil = now + pauseMs;
        served429 += 1;
        return HttpResponse.json(
          { message: "slow down" },
          { status: 429, headers: { "retry-after": String(Math.ceil((pausedUntil - now) / 1000)) } },
        );
      }
      return HttpResponse.json(demoItem(String(params.id)));
    });
    server.use(http.get(ITEM_URL, upstream));
    let retried!: () => void;
    const firstRetryScheduled = new Promise<void>((resolve) => {
      retried = resolve;
    });
    const connector = demoConnector({
      onEvent: (event: CallEvent) => {
        if (event.type === "call.retry") retried();
      },
    });

    const first = connector.call("demo_get_item", { id: "first" });
    await firstRetryScheduled;
    // The first call saw its 429 and is waiting; nine more calls of the same bucket arrive meanwhile.
    const others = Array.from({ length: 9 }, (_, index) =>
      connector.call("demo_get_item", { id: `other-${index}` }),
    );
    const results = await Promise.all([first, ...others]);

    expect(served429).toBe(1);
    expect(upstream.calls).toBe(11);
    for (const result of results.slice(1)) {
      expect(result.metadata.attempts).toBe(1);
      expect(result.metadata.rateLimitWaitMs).toBeGreaterThan(0);
    }
    // Nobody reached the upstream inside the pause.
    for (const arrival of upstream.arrivals.slice(1))
      expect(arrival).toBeGreaterThanOrEqual(pausedUntil - 10);
  });

  // Regression: calls queued behind maxConcurrent re-check the 429 pause right before they are sent.
  it("a 429 seen by the first wave pauses the calls still queued behind maxConcurrent", async () => {
    let pausedUntil = 0;
    let served429 = 0;
    server.use(
      http.get(ITEM_URL, async ({ params }) => {
        const now = Date.now();
        // Keep the first wave in flight together.
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (pausedUntil === 0 || now < pausedUntil) {
          if (pausedUntil === 0) pausedUntil = now + 1_000;
          served429 += 1;
          return HttpResponse.json(
            { message: "slow down" },
            { status: 429, headers: { "retry-after": "1" } },
          );
        }
        return HttpResponse.json(demoItem(String(params.id)));
      }),
    );
    const connector = demoConnector();

    await Promise.all(
      Array.from({ length: 12 }, (_, index) => connector.call("demo_get_item", { id: `s${index}` })),
    );

    // Only the first wave (maxConcurrent = 4) was in flight when the 429 arrived.
    expect(served429).toBeLessThanOrEqual(4);
  });

  it("a low remaining budget spaces calls out so it lasts until the reset", async () => {
    const reset = resetSecondsAhead(2); // 2-3 s ahead: 5 calls left -> at least ~400 ms apart
    const upstream = recorded(({ params }) =>
      HttpResponse.json(demoItem(String(params.id)), { headers: budgetHeaders(100, 5, reset) }),
    );
    server.use(http.get(ITEM_URL, upstream));
    const connector = demoConnector();
    await connector.call("demo_get_item", { id: "a1" });

    await Promise.all([
      connector.call("demo_get_item", { id: "a2" }),
      connector.call("demo_get_item", { id: "a3" }),
    ]);

    const [, second, third] = upstream.arrivals as [number, number, number];
    // Paced at least 400 ms apart at the client; arrivals jitter by transit time on a loaded machine, and
    // unpaced calls would arrive a few ms apart.
    expect(third - second).toBeGreaterThanOrEqual(200);
  });

  it("the write bucket's minTimeMs spaces mutations apart", async () => {
    const upstream = recorded(() => HttpResponse.json(demoItem("new"), { status: 201 }));
    server.use(http.post(`${DEMO_API}/items`, upstream));
    const connector = demoConnector();

    await Promise.all(
      Array.from({ length: 4 }, (_, index) => connector.call("demo_create_item", { name: `n${index}` })),
    );

    // Four starts at least 20 ms apart span at least 60 ms (a little less in arrival times, which jitter).
    const arrivals = [...upstream.arrivals].sort((a, b) => a - b);
    expect(arrivals).toHaveLength(4);
    expect((arrivals[3] as number) - (arrivals[0] as number)).toBeGreaterThanOrEqual(45);
  });

  it("the read bucket runs at most maxConcurrent (4) requests at once", async () => {
    let inFlight = 0;
    let peak = 0;
    server.use(
      http.get(ITEM_URL, async ({ params }) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 50));
        inFlight -= 1;
        return HttpResponse.json(demoItem(String(params.id)));
      }),
    );
    const connector = demoConnector();

    await Promise.all(
      Array.from({ length: 12 }, (_, index) => connector.call("demo_get_item", { id: `c${index}` })),
    );

    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });
});
