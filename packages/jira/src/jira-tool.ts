import type { ToolAnnotations, ToolDefinition, ToolSpec } from "@switchyard/core";
import { defineTool } from "@switchyard/core";
import type { z } from "zod";
import type { JiraClient } from "./jira-client.js";

/** core's defineTool with the client type fixed, so every tool's `ctx.client` is a JiraClient. */
export function defineJiraTool<InputSchema extends z.ZodType, OutputSchema extends z.ZodObject>(
  spec: ToolSpec<InputSchema, OutputSchema, JiraClient>,
): ToolDefinition<InputSchema, OutputSchema, JiraClient> {
  return defineTool(spec);
}

/**
 * Creating issues and comments notifies watchers, and updates, transitions and assignments overwrite what
 * people see: core counts all of them as destructive ("may overwrite data or reach people").
 */
export const WRITE_ANNOTATIONS: ToolAnnotations = {
  readOnly: false,
  destructive: true,
  idempotent: false,
  openWorld: true,
};
