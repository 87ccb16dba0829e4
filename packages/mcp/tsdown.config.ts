import { defineConfig } from "tsdown";

export default defineConfig({
  entry: { index: "src/index.ts", "cli/main": "src/cli/main.ts" },
  format: ["esm"],
  dts: true,
  outDir: "dist",
  platform: "node",
  target: "node20",
});
