import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["test/**/*.test.ts"],
    // Starts MSW and the network guard before any test module (and so any SDK client) is loaded.
    setupFiles: ["test/setup.ts"],
    env: { AWS_EC2_METADATA_DISABLED: "true" },
    testTimeout: 20_000,
  },
});
