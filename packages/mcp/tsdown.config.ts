import { readFileSync } from "node:fs";
import { defineConfig } from "tsdown";

const manifest = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>;
};

/**
 * What the CLI bundle leaves to Node's resolver: libpg-query (it loads its .wasm from next to itself), pg
 * (an optional native binding; pg-cursor reaches into pg/lib), and what `serve` never loads: the sandbox and
 * MSW (`sandbox`, `demo`), the MCP client (`demo`), the tokenizer (`list`). Each must be a dependency of this
 * package, or dist/ could not resolve it.
 */
const CLI_EXTERNAL = [
  "pg",
  "libpg-query",
  "@switchyard/sandbox",
  "@modelcontextprotocol/client",
  "gpt-tokenizer",
];
for (const name of CLI_EXTERNAL) {
  if (!manifest.dependencies[name])
    throw new Error(`${name} is external to the CLI bundle: add it to dependencies.`);
}
const isCliExternal = (id: string) => CLI_EXTERNAL.some((name) => id === name || id.startsWith(`${name}/`));

/**
 * @switchyard/audit-postgres reads its SQL migrations from `../migrations/` next to its own module. Bundled,
 * that module lives in dist/cli/, so point it at the installed package instead (a dependency of this one).
 * Fails the build if the expression it rewrites ever changes.
 */
function auditMigrationsFromPackage() {
  const from = 'new URL("../migrations/", import.meta.url)';
  const to = 'new URL("migrations/", import.meta.resolve("@switchyard/audit-postgres/package.json"))';
  let rewritten = false;
  return {
    name: "switchyard:audit-postgres-migrations",
    transform(code: string, id: string) {
      if (!/[\\/]audit-postgres[\\/]dist[\\/]/.test(id) || !code.includes(from)) return null;
      rewritten = true;
      return { code: code.replace(from, to), map: null };
    },
    buildEnd(this: { error(message: string): never }) {
      if (!rewritten)
        this.error(`audit-postgres no longer contains ${from}: update auditMigrationsFromPackage.`);
    },
  };
}

export default defineConfig([
  // The library (`@switchyard/mcp`): dependencies stay external, so a program that imports it and its own
  // connectors shares one @switchyard/core and one zod with them.
  {
    entry: { index: "src/index.ts" },
    format: ["esm"],
    dts: true,
    outDir: "dist",
    platform: "node",
    target: "node20",
  },
  // The `switchyard` CLI (bin/switchyard.mjs): everything else bundled, because on Node 20 (no module compile
  // cache) cold start is dominated by resolving and loading hundreds of small files (zod alone is 97 ES
  // modules). The CLI is one program with one copy of core and zod. Commands and connectors are imported with
  // `import()` and stay in their own chunks, loaded only when used.
  {
    entry: { main: "src/cli/main.ts" },
    format: ["esm"],
    dts: false,
    outDir: "dist/cli",
    clean: false,
    platform: "node",
    target: "node20",
    // __dirname and __filename for the CommonJS packages bundled into ES modules (ioredis reads its version).
    shims: true,
    plugins: [auditMigrationsFromPackage()],
    deps: {
      neverBundle: (id) => isCliExternal(id),
      alwaysBundle: (id) => !isCliExternal(id),
      onlyBundle: false,
    },
    inputOptions: (options) => ({
      ...options,
      onLog(level, log, handler) {
        // A workspace package whose dist/ is missing (not built yet, or being rebuilt) would otherwise be left
        // as a bare import, loading a second copy of core next to the bundled one: fail the build instead.
        if (log.code === "UNRESOLVED_IMPORT") return handler("error", log);
        // bottleneck's `eval("require")("ioredis")` never runs: core passes ioredis to it explicitly.
        if (log.code === "EVAL" && log.id?.includes("/bottleneck/")) return;
        if (options.onLog) return options.onLog(level, log, handler);
        handler(level, log);
      },
    }),
  },
]);
