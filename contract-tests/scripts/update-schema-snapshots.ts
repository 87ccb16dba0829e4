// Rewrites contract-tests/snapshots/tool-schemas/*.json from the connectors' current published schemas.
// A breaking change is only written when a pending changeset gives that package a breaking bump: major,
// or minor while the package is 0.x (see breakingBump).

import { breakingBump, bumpCovers, pendingBumps } from "../src/schemas/changeset-bumps.js";
import { classifyToolChanges } from "../src/schemas/classify-schema-change.js";
import {
  CHANGESET_DIR,
  currentSnapshot,
  packageVersion,
  readSnapshot,
  SNAPSHOTTED_CONNECTORS,
  writeSnapshot,
} from "../src/schemas/tool-schema-snapshots.js";

const bumps = pendingBumps(CHANGESET_DIR);
let refused = 0;
for (const { packageName, create } of SNAPSHOTTED_CONNECTORS) {
  const connector = create();
  const current = currentSnapshot(packageName, connector);
  await connector.close();
  const previous = readSnapshot(current.connector);
  const changes = previous ? classifyToolChanges(previous.tools, current.tools) : [];
  const breaking = changes.filter((change) => change.kind === "breaking");
  for (const change of changes)
    console.log(`${change.kind.padEnd(8)} ${change.tool} ${change.path}: ${change.what}`);
  const version = packageVersion(packageName);
  const required = breakingBump(version);
  if (breaking.length > 0 && !bumpCovers(bumps.get(packageName), required)) {
    console.error(
      `${packageName} ${version}: ${breaking.length} breaking schema change(s); add a changeset with "${packageName}": ${required} (pnpm changeset) that says what breaks, first.`,
    );
    refused += 1;
    continue;
  }
  writeSnapshot(current);
  console.log(
    `${current.connector}: snapshot ${previous ? "updated" : "created"} (${changes.length} change(s)).`,
  );
}
process.exitCode = refused > 0 ? 1 : 0;
