import { setupServer } from "msw/node";

/** One MSW server per test file; handlers are added per test and reset after each. */
export const server = setupServer();

/** Every request MSW saw, so tests can assert what reached "Jira" (or that nothing did). */
export const seen: Request[] = [];
server.events.on("request:start", ({ request }) => {
  seen.push(request.clone());
});
