import { describe, expect, it } from "vitest";
import { runDemo } from "../src/demo/run-demo.js";

describe("quick start demo", () => {
  it("walks through listing, pagination, a rate-limit wait, a credential rotation and a refused write", async () => {
    const lines: string[] = [];
    await runDemo((line) => lines.push(line));
    const transcript = lines.join("\n");
    expect(transcript).toMatch(/over stdio, driven by an MCP client: 10 tools/);
    expect(transcript).toMatch(/page 1: #275 #274 #273 #272 #271/);
    expect(transcript).toMatch(/page 2: #270 #269 #268 #267 #266/);
    expect(transcript).toMatch(/github_get_issue #1 succeeded after [1-9]\.\d s/);
    expect(transcript).toMatch(/github_get_repository succeeded: .*tokens issued: 1 -> 2/);
    expect(transcript).toMatch(/github_create_issue listed: no/);
    expect(transcript).toMatch(/refused by the server: .*github_create_issue/);
  });
});
