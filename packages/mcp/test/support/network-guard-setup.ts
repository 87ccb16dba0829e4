import { installNetworkGuard, takeNetworkAttempts } from "@switchyard/core/testing";
import { afterEach } from "vitest";

// No test may reach the internet: anything but loopback is blocked, and a test that tried fails.
installNetworkGuard();

afterEach(() => {
  const attempts = takeNetworkAttempts();
  if (attempts.length > 0) {
    throw new Error(
      `Test tried to reach the network: ${attempts.map((attempt) => attempt.target).join(", ")}`,
    );
  }
});
