import { installNetworkGuard, removeNetworkGuard, takeNetworkAttempts } from "@switchyard/core/testing";
import { afterAll, afterEach, beforeAll } from "vitest";
import { seen, server } from "./msw-server.js";

// No test may reach the internet: anything but loopback is blocked, and a test that tried fails.
installNetworkGuard();

// Any request without a handler fails the test: nothing may reach the real network.
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
  const attempts = takeNetworkAttempts();
  if (attempts.length > 0) {
    throw new Error(
      `Test tried to reach the network: ${attempts.map((attempt) => attempt.target).join(", ")}`,
    );
  }
});
afterAll(() => {
  server.close();
  removeNetworkGuard();
});
