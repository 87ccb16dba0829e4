// Runs the documentation examples exactly as docs/native-tools.md tells readers to, so they cannot rot.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** `node --import tsx docs/examples/<file>` from the repository root; resolves with stdout. */
async function runExample(file: string): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", `docs/examples/${file}`], {
    cwd: root,
    timeout: 60_000,
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
  });
  expect(stderr).toBe("");
  return stdout;
}

describe("docs/examples", () => {
  beforeAll(() => {
    // The examples import @switchyard/adapters like any user does: through its package exports (dist). A
    // missing or stale build would test old code, so refuse to run against one.
    const src = path.join(root, "packages/adapters/src");
    const newestSource = Math.max(...readdirSync(src).map((file) => statSync(path.join(src, file)).mtimeMs));
    for (const built of ["packages/adapters/dist/index.mjs", "packages/adapters/dist/vercel-ai.mjs"]) {
      const file = path.join(root, built);
      if (!existsSync(file) || statSync(file).mtimeMs < newestSource) {
        throw new Error(
          `${built} is missing or older than src/: run pnpm --filter @switchyard/adapters build.`,
        );
      }
    }
  });

  it("openai-function-calling.ts runs the tool-call loop and answers from the tool results", async () => {
    const stdout = await runExample("openai-function-calling.ts");
    expect(stdout).toContain("offered tools: tracker_get_issue, tracker_search_issues\n");
    expect(stdout).toContain(
      'call tracker_search_issues({"query":"login"}) -> {"items":[{"number":42,"title":"Login fails on Safari","state":"open"}]}\n',
    );
    expect(stdout).toMatch(/call tracker_get_issue\(\{"number":404\}\) -> \{"error":\{"code":"not_found"/);
    expect(stdout).toMatch(/call tracker_close_issue\(.*\) -> \{"error":\{"code":"permission_denied"/);
    expect(stdout).toMatch(/call tracker_get_issue\(\{"number": 42\) -> \{"error":\{"code":"invalid_input"/);
    expect(stdout).toMatch(/^assistant: found #42 "Login fails on Safari"; not_found: No issue #404\./m);
    expect(stdout).toContain('responses output: {"type":"function_call_output","call_id":"call_9","output":');
  });

  it("vercel-ai-sdk.ts drives generateText through the connector and feeds the results back", async () => {
    const stdout = await runExample("vercel-ai-sdk.ts");
    expect(stdout).toContain("connector: tracker_get_issue #42 for tenant acme\n");
    expect(stdout).toContain(
      'tool result: tracker_get_issue -> {"number":42,"title":"Login fails on Safari","state":"open"}\n',
    );
    expect(stdout).toMatch(/tool result: tracker_get_issue -> \{"error":\{"code":"not_found"/);
    expect(stdout).toContain("steps: 2\n");
    expect(stdout).toContain("text: Summary: #42 is open; not_found: No issue #404.\n");
  });
});
