import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import {
  type FakeTarget,
  type FakeUpstream,
  type FakeUpstreamDefinition,
  type StartedFake,
  startFakeUpstream,
} from "./fake-upstreams.js";
import { server } from "./msw-server.js";

/**
 * Registers the hooks of one fake upstream for the scenario file and returns an accessor. Under `mock` the
 * fake's handlers are installed before every test (setup.ts resets MSW's handlers after each); a test's own
 * `server.use(...)` still takes precedence. Faults and the request log are cleared after every test; the data
 * is re-seeded only when asked (`fake().reset()`), so a file's scenarios may build on each other's writes.
 */
export function useFakeUpstream<State>(
  definition: FakeUpstreamDefinition<State>,
  target: FakeTarget,
): () => FakeUpstream<State> {
  let fake: StartedFake<State> | undefined;
  beforeAll(async () => {
    fake = await startFakeUpstream(definition, target);
  });
  if (target === "mock") {
    beforeEach(() => {
      if (fake) server.use(...(fake.handlers as Parameters<typeof server.use>));
    });
  }
  afterEach(() => {
    fake?.faults.clear();
    fake?.requests.clear();
  });
  afterAll(async () => {
    await fake?.close();
    fake = undefined;
  });
  return () => {
    if (!fake) throw new Error(`The ${definition.name} fake is not running (used outside a test?).`);
    return fake;
  };
}
