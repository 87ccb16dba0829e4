import type { ToolAnnotations, ToolDefinition, ToolSpec } from "@switchyard/core";
import { defineTool } from "@switchyard/core";
import type { z } from "zod";
import type { SlackClient } from "./slack-client.js";

/** core's defineTool with the client type fixed, so every tool's `ctx.client` is a SlackClient. */
export function defineSlackTool<InputSchema extends z.ZodType, OutputSchema extends z.ZodObject>(
  spec: ToolSpec<InputSchema, OutputSchema, SlackClient>,
): ToolDefinition<InputSchema, OutputSchema, SlackClient> {
  return defineTool(spec);
}

/** Posting reaches people: core counts it as destructive ("may reach people"). Posting twice posts twice. */
export const WRITE_ANNOTATIONS: ToolAnnotations = {
  readOnly: false,
  destructive: true,
  idempotent: false,
  openWorld: true,
};

/** A reaction notifies too, but adding the same one twice changes nothing (`already_reacted` is success). */
export const REACTION_ANNOTATIONS: ToolAnnotations = { ...WRITE_ANNOTATIONS, idempotent: true };
