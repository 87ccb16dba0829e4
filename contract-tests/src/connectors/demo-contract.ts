import assert from "node:assert/strict";
import { fromValue } from "@switchyard/core";
import { createDemoConnector } from "../core/demo-connector.js";
import type { ContractConnector } from "./contract-connector.js";
import { demoUpstream } from "./demo-fake.js";

/** Core's demo connector against its stateful fake: no live upstream exists, so mock and sandbox only. */
export const demoContract: ContractConnector = {
  id: "demo",
  packageName: "@switchyard/core",
  fake: {
    name: "demo",
    liveBaseUrl: "https://api.demo.test",
    upstream: demoUpstream,
    registered: false,
    mountPath: "/",
  },
  targets: ["mock", "sandbox"],
  live: undefined,
  create: (env, options) =>
    createDemoConnector({
      ...(env.DEMO_API_URL ? { baseUrl: env.DEMO_API_URL } : {}),
      ...(env.DEMO_TOKEN ? { credentials: fromValue(env.DEMO_TOKEN, { description: "DEMO_TOKEN" }) } : {}),
      options,
    }),
  tools: [
    {
      tool: "demo_get_item",
      class: "read",
      title: "reads an item",
      idempotent: true,
      input: async () => ({ id: "item-001" }),
      check(result) {
        assert.deepEqual(result.output, { item: { id: "item-001", name: "Item item-001", status: "open" } });
      },
    },
    {
      tool: "demo_list_items",
      class: "list",
      title: "lists items across pages",
      idempotent: true,
      input: async () => ({ limit: 70, status: "open" }),
      check(result) {
        const output = result.output as { items: { status: string }[]; nextCursor: string | null };
        assert.equal(output.items.length, 70);
        assert.ok(output.items.every((item) => item.status === "open"));
        assert.equal(result.metadata.pages, 2);
      },
    },
    {
      tool: "demo_create_item",
      class: "write",
      title: "creates an item",
      idempotent: false,
      applies: { method: "POST", path: /^\/items$/ },
      input: async (context) => ({ name: `created by ${context.runId}` }),
    },
    {
      tool: "demo_put_item",
      class: "write",
      title: "replaces an item (idempotent)",
      idempotent: true,
      input: async () => ({ id: "item-002", name: "Replaced" }),
    },
  ],
};
