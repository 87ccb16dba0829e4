import { installNetworkGuard, removeNetworkGuard, takeNetworkAttempts } from "@switchyard/core/testing";
import { afterAll, afterEach } from "vitest";
import { seen, server } from "./msw-server.js";

// No test may reach the internet: anything but loopback is blocked, and a test that tried fails.
installNetworkGuard();

// Started at module load, before any test module is imported: Slack's WebClient captures `fetch` when it is
// constructed, so any client built at a test module's top level must already see MSW's fetch. (The connector
// gives its clients a fetch that looks up globalThis.fetch at call time, so it does not rely on this; the
// SDK-level tests do.) Any request without a handler fails the test.
server.listen({ onUnhandledRequest: "error" });

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
