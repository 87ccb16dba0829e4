import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    // The embedded PostgreSQL (PGlite) takes seconds to start on a busy 2-core machine.
    hookTimeout: 60_000,
  },
});
