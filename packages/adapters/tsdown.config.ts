import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts", "src/vercel-ai.ts", "src/langchain.ts"],
  format: ["esm"],
  dts: true,
  outDir: "dist",
  platform: "node",
  target: "node20",
});
