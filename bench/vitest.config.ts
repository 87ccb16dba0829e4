import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["test/**/*.test.ts"],
    // Each benchmark runs in its own process with tiny counts; some start servers and databases.
    testTimeout: 240_000,
    hookTimeout: 60_000,
    // One benchmark at a time: they measure, and share PostgreSQL, Redis and the 2 cores.
    fileParallelism: false,
  },
});
