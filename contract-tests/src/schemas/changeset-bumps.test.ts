import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { breakingBump, bumpCovers, pendingBumps } from "./changeset-bumps.js";

describe("changeset bumps", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("reads the highest pending bump of each package", () => {
    dir = mkdtempSync(join(tmpdir(), "changesets-"));
    writeFileSync(join(dir, "README.md"), '---\n"@x/a": major\n---\n');
    writeFileSync(join(dir, "one.md"), '---\n"@x/a": patch\n"@x/b": minor\n---\n\nOne.\n');
    writeFileSync(join(dir, "two.md"), "---\n'@x/a': minor\n---\n\nTwo.\n");
    expect(pendingBumps(dir)).toEqual(
      new Map([
        ["@x/a", "minor"],
        ["@x/b", "minor"],
      ]),
    );
  });

  it("asks for a major bump from 1.0.0 on and a minor one before it", () => {
    expect(breakingBump("1.0.0")).toBe("major");
    expect(breakingBump("2.3.1")).toBe("major");
    expect(breakingBump("0.1.0")).toBe("minor");
    expect(breakingBump("0.0.3")).toBe("minor");
    expect(bumpCovers("minor", breakingBump("0.1.0"))).toBe(true);
    expect(bumpCovers("major", breakingBump("0.1.0"))).toBe(true);
    expect(bumpCovers("patch", breakingBump("0.1.0"))).toBe(false);
    expect(bumpCovers("minor", breakingBump("1.2.0"))).toBe(false);
    expect(bumpCovers(undefined, "minor")).toBe(false);
  });
});
