import { takeNetworkAttempts } from "@switchyard/core/testing";
import { takeLiveNetworkAttempts } from "./live-network-guard.js";
import { takeUnhandledRequests } from "./msw-server.js";
import { type ContractTarget, contractTarget } from "./target.js";

/**
 * Throws if, since the last check, anything tried to leave the test sandbox: a real connection or DNS lookup
 * to a host the target does not allow (mock/sandbox: anything but loopback; live: anything but loopback and
 * the configured upstreams), or a request no MSW handler answered (mock). Clears the records either way.
 * setup.ts runs it after every test, which fails that test.
 */
export function assertSandboxIntact(target: ContractTarget = contractTarget()): void {
  const attempts = target === "live" ? takeLiveNetworkAttempts() : takeNetworkAttempts();
  const unhandled = takeUnhandledRequests();
  const problems = [
    ...attempts.map((attempt) => `real network ${attempt.kind} ${attempt.target}`),
    ...unhandled.map((request) => `unhandled request ${request.method} ${request.url}`),
  ];
  if (problems.length > 0) {
    throw new Error(`The test left the sandbox:\n  ${problems.join("\n  ")}`);
  }
}
