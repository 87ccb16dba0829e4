// Spawned by lazy-loading.test.ts (under record-imports.mjs): imports @switchyard/core, builds a connector,
// makes one call through its pipeline and closes it. With SWITCHYARD_REDIS_URL set, the connector shares its
// bucket through that Redis (keys under SWITCHYARD_REDIS_PREFIX). Prints the call's output.
import { createConnector, defineTool, READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";

const probe = defineTool({
  name: "probe_get",
  title: "Probe",
  description: "Answers without an upstream.",
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  annotations: READ_ANNOTATIONS,
  execute: async () => ({ ok: true }),
});

const url = process.env.SWITCHYARD_REDIS_URL;
const connector = createConnector({
  id: "probe",
  title: "Probe",
  tools: [probe],
  buckets: { read: { maxConcurrent: 2 } },
  client: () => ({}),
  options: url ? { redis: { url, prefix: process.env.SWITCHYARD_REDIS_PREFIX } } : {},
});
const { output } = await connector.call("probe_get", {});
await connector.close();
process.stdout.write(JSON.stringify(output));
