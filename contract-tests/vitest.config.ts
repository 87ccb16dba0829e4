import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["src/**/*.test.ts"],
    setupFiles: ["./src/harness/setup.ts"],
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
