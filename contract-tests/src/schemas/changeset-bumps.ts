import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type Bump = "major" | "minor" | "patch";

/** The bump each package gets from the pending changesets in `.changeset/` (the highest one wins). */
export function pendingBumps(changesetDir: string): Map<string, Bump> {
  const rank: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };
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
      if (!current || rank[bump] > rank[current]) bumps.set(name, bump);
    }
  }
  return bumps;
}
