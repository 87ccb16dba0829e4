import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type Bump = "major" | "minor" | "patch";

const RANK: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };

/** The bump each package gets from the pending changesets in `.changeset/` (the highest one wins). */
export function pendingBumps(changesetDir: string): Map<string, Bump> {
  const bumps = new Map<string, Bump>();
  for (const file of readdirSync(changesetDir).filter(
    (name) => name.endsWith(".md") && name !== "README.md",
  )) {
    const text = readFileSync(join(changesetDir, file), "utf8");
    const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
    for (const line of front.split("\n")) {
      const match = /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/.exec(line);
      if (!match) continue;
      const [, name, bump] = match as unknown as [string, string, Bump];
      const current = bumps.get(name);
      if (!current || RANK[bump] > RANK[current]) bumps.set(name, bump);
    }
  }
  return bumps;
}

/**
 * The smallest bump that tells semver users a release breaks them. From 1.0.0 on that is `major`. Before
 * 1.0.0 it is `minor`: npm's caret range `^0.y.z` never crosses a minor version, and changesets turns a
 * `major` on a 0.x package into 1.0.0, a stability promise a breaking change is not a reason to make.
 */
export function breakingBump(version: string): Bump {
  const major = Number.parseInt(version.split(".")[0] ?? "", 10);
  return Number.isInteger(major) && major >= 1 ? "major" : "minor";
}

/** Whether a pending bump is at least the required one. */
export function bumpCovers(pending: Bump | undefined, required: Bump): boolean {
  return pending !== undefined && RANK[pending] >= RANK[required];
}
