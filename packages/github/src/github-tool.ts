import type { ToolAnnotations, ToolDefinition, ToolSpec } from "@switchyard/core";
import { defineTool } from "@switchyard/core";
import type { z } from "zod";
import type { GithubClient } from "./github-client.js";

/** core's defineTool with the client type fixed, so every tool's `ctx.client` is a GithubClient. */
export function defineGithubTool<InputSchema extends z.ZodType, OutputSchema extends z.ZodObject>(
  spec: ToolSpec<InputSchema, OutputSchema, GithubClient>,
): ToolDefinition<InputSchema, OutputSchema, GithubClient> {
  return defineTool(spec);
}

/**
 * Creating issues, comments and pull requests notifies people, and updating an issue overwrites it: core
 * counts both as destructive ("may overwrite data or reach people").
 */
export const WRITE_ANNOTATIONS: ToolAnnotations = {
  readOnly: false,
  destructive: true,
  idempotent: false,
  openWorld: true,
};
