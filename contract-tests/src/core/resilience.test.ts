import { HttpResponse, http } from "msw";
import { expect, it } from "vitest";
import { expectConnectorError } from "../harness/expect-error.js";
import { server } from "../harness/msw-server.js";
import { describeForTargets } from "../harness/target.js";
import { DEMO_API } from "./demo-connector.js";
import { demoConnector, demoItem } from "./demo-fixtures.js";

const ITEM_URL = `${DEMO_API}/items/:id`;

/** An upstream that flaps: healthy, down for a while, healthy again. Counts the requests that reach it. */
function flappingUpstream() {
  const state = { down: false, requests: 0 };
  const resolver = () => {
    state.requests += 1;
    if (state.down) return HttpResponse.json({ message: "Service Unavailable" }, { status: 503 });
    return HttpResponse.json(demoItem("a1"));
  };
  return { state, resolver };
}

describeForTargets("circuit breaker and bulkhead over HTTP", { targets: ["mock"] }, () => {
  it("opens on a flapping upstream, fails fast while open, and closes after a good half-open probe", async () => {
    const upstream = flappingUpstream();
    server.use(http.get(ITEM_URL, upstream.resolver));
    const connector = demoConnector({
      retry: { maxRetries: 1 },
      resilience: { circuitBreaker: { consecutiveFailures: 4, halfOpenAfterMs: 300 } },
    });
    await connector.call("demo_get_item", { id: "a1" });

    upstream.state.down = true;
    // Two calls, two attempts each: four upstream failures open the circuit.
    for (let index = 0; index < 2; index += 1) {
      await expectConnectorError(connector.call("demo_get_item", { id: "a1" }), "upstream_unavailable");
    }
    const reached = upstream.state.requests;
    const open = await expectConnectorError(
      connector.call("demo_get_item", { id: "a1" }),
      "upstream_unavailable",
    );
    expect(open.message).toContain("circuit open");
    expect(open.retryAfterMs).toBeGreaterThan(0);
    expect(open.retryAfterMs).toBeLessThanOrEqual(300);
    expect(upstream.state.requests).toBe(reached);

    // The upstream recovers; once the half-open delay passes, one probe closes the circuit.
    upstream.state.down = false;
    await new Promise((resolve) => setTimeout(resolve, 350));
    const probe = await connector.call("demo_get_item", { id: "a1" });
    expect(probe.metadata.circuit).toMatchObject({ state: "closed" });
    expect(upstream.state.requests).toBe(reached + 1);
  });

  it("a slow upstream route does not starve another connector under the bulkhead", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.use(
      http.get(ITEM_URL, async ({ params }) => {
        if (params.id === "slow") await gate;
        return HttpResponse.json(demoItem(String(params.id)));
      }),
    );
    const slow = demoConnector({
      resilience: { bulkhead: { maxConcurrent: 2, maxQueued: 1 } },
      deadlineMs: 5000,
    });
    const fast = demoConnector({ resilience: { bulkhead: { maxConcurrent: 2, maxQueued: 1 } } });
    const stuck = [1, 2, 3].map(() => slow.call("demo_get_item", { id: "slow" }));
    const overflow = await expectConnectorError(
      slow.call("demo_get_item", { id: "slow" }),
      "upstream_unavailable",
    );
    expect(overflow.details).toMatchObject({ bulkhead: "full" });
    for (let index = 0; index < 5; index += 1) {
      const result = await fast.call("demo_get_item", { id: `f${index}` });
      expect(result.output).toMatchObject({ item: { id: `f${index}` } });
    }
    release();
    const done = await Promise.all(stuck);
    expect(done).toHaveLength(3);
  });
});
