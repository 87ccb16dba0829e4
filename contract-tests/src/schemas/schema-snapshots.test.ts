import { expect, it } from "vitest";
import { describeForTargets } from "../harness/target.js";
import { classifyToolChanges } from "./classify-schema-change.js";
import { currentSnapshot, readSnapshot, SNAPSHOTTED_CONNECTORS } from "./tool-schema-snapshots.js";

describeForTargets(
  "published tool schemas match their snapshots",
  { targets: ["mock", "sandbox", "live"] },
  () => {
    for (const { packageName, create } of SNAPSHOTTED_CONNECTORS) {
      it(`${packageName}: no unreviewed schema change`, async () => {
        const connector = create();
        const current = currentSnapshot(packageName, connector);
        await connector.close();
        const snapshot = readSnapshot(current.connector);
        expect(
          snapshot,
          `no snapshot for ${current.connector}: run pnpm --filter @switchyard/contract-tests snapshots:update`,
        ).toBeDefined();
        const changes = classifyToolChanges(snapshot?.tools ?? [], current.tools);
        const report = changes
          .map((change) => `${change.kind} ${change.tool} ${change.path}: ${change.what}`)
          .join("\n");
        expect(
          changes,
          `Published schemas of ${packageName} changed:\n${report}\nReview, then run pnpm --filter @switchyard/contract-tests snapshots:update (a breaking change needs a changeset with a major bump, or a minor one while the package is 0.x).`,
        ).toEqual([]);
      });
    }
  },
);
