import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ERROR_CODE_INFO, ERROR_CODES } from "../src/index.js";

/** Table rows as trimmed cells, whatever padding the formatter chose. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split("\n")
    .filter((line) => line.trim().startsWith("|"))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    );
}

describe("README error table", () => {
  it("documents every code exactly as the code defines it", () => {
    const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");
    const rows = tableRows(readme);
    for (const code of ERROR_CODES) {
      const info = ERROR_CODE_INFO[code];
      expect(rows).toContainEqual([`\`${code}\``, info.fault, info.retryable ? "yes" : "no", info.meaning]);
    }
  });
});
