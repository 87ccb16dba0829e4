import { afterAll, afterEach, beforeAll } from "vitest";
import { seen, server } from "./msw-server.js";

// Any request without a handler fails the test: nothing may reach the real network.
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());
