import { installNetworkGuard, takeNetworkAttempts } from "@switchyard/core/testing";
import { afterAll, afterEach, beforeAll } from "vitest";
import { server, takeUnhandledRequests, unhandledRequests } from "./support/msw-server.js";

// Hermetic AWS settings before any SDK client exists: static credentials (so the default provider chain
// never probes the EC2 metadata service), IMDS off, no shared config files, a fixed region.
process.env.AWS_EC2_METADATA_DISABLED = "true";
process.env.AWS_ACCESS_KEY_ID = "AKIDSWITCHYARDTEST";
process.env.AWS_SECRET_ACCESS_KEY = "switchyard-test-secret-access-key";
process.env.AWS_REGION = "us-east-1";
process.env.AWS_CONFIG_FILE = "/nonexistent/switchyard-aws-config";
process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/switchyard-aws-credentials";
for (const name of [
  "AWS_PROFILE",
  "AWS_SESSION_TOKEN",
  "AWS_DEFAULT_REGION",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  "AWS_MAX_ATTEMPTS",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
]) {
  delete process.env[name];
}

// Core's guard: a socket or DNS lookup for anything but loopback is blocked and recorded.
installNetworkGuard();

// MSW sees requests before any socket exists, so one without a handler (the EC2 metadata probe at
// 169.254.169.254, a wrong endpoint) is recorded and fails in MSW. The throw matters: a custom strategy that
// returns lets MSW pass the request through to the real network.
beforeAll(() =>
  server.listen({
    onUnhandledRequest(request, print) {
      unhandledRequests.push(`${request.method} ${request.url}`);
      print.error();
      throw new Error(`No MSW handler for ${request.method} ${request.url}`);
    },
  }),
);
afterEach(() => {
  server.resetHandlers();
  const attempts = [
    ...takeNetworkAttempts().map((attempt) => `${attempt.kind} ${attempt.target}`),
    ...takeUnhandledRequests().map((request) => `unhandled request ${request}`),
  ];
  if (attempts.length > 0) throw new Error(`The test tried to reach the network: ${attempts.join(", ")}`);
});
afterAll(() => server.close());
