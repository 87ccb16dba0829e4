import { setupServer } from "msw/node";

/**
 * The one MSW server of a test worker. `setup.ts` starts it before any test module is imported (clients that
 * capture `fetch` at construction, like Slack's WebClient, must see the patched one). Scenario files add
 * their handlers with `server.use(...)`; they are reset after every test.
 */
export const server = setupServer();

export interface UnhandledRequest {
  readonly method: string;
  readonly url: string;
}

const unhandled: UnhandledRequest[] = [];

// `onUnhandledRequest: "error"` already fails such a request; recording it as well means a client that swallows
// the failure (or retries into a fallback) still fails the test. Note: a *function* strategy calling
// `print.error()` only prints in msw 2.15 and lets the request through to the real network; keep "error".
server.events.on("request:unhandled", ({ request }) => {
  unhandled.push({ method: request.method, url: request.url });
});

/** Returns the unhandled requests seen since the last call, and forgets them. */
export function takeUnhandledRequests(): UnhandledRequest[] {
  return unhandled.splice(0, unhandled.length);
}
