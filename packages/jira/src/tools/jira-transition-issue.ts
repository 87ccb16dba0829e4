import { ConnectorError, sanitizeUntrustedText } from "@switchyard/core";
import { z } from "zod";
import { noContentSchema, transitionsSchema, type WireTransition } from "../jira-api.js";
import { jiraRequest } from "../jira-client.js";
import { assertIssueWritable, issuePath, issueTarget } from "../jira-issues.js";
import { markdownToAdf } from "../jira-markdown-to-adf.js";
import { toTransition, transitionOutput } from "../jira-output.js";
import { defineJiraTool, WRITE_ANNOTATIONS } from "../jira-tool.js";
import { issueKey, markdownText, shortName } from "../jira-validation.js";
import { byIdOrName } from "./jira-create-issue.js";

const describe = (transition: WireTransition) =>
  `"${sanitizeUntrustedText(transition.name)}" (id ${transition.id}${transition.to ? `, to ${sanitizeUntrustedText(transition.to.name)}` : ""})`;

/**
 * The transition to make: an available transition's id, else its name (case-insensitive), else the name of
 * the status it leads to. None, or more than one, is `invalid_input` listing what is available.
 */
export function resolveTransition(
  wanted: string,
  available: readonly WireTransition[],
  key: string,
): WireTransition {
  const byId = /^\d+$/.test(wanted) ? available.find((transition) => transition.id === wanted) : undefined;
  if (byId) return byId;
  const folded = wanted.trim().toLowerCase();
  const byName = available.filter((transition) => transition.name.trim().toLowerCase() === folded);
  const candidates =
    byName.length > 0
      ? byName
      : available.filter((transition) => transition.to?.name.trim().toLowerCase() === folded);
  if (candidates.length === 1) return candidates[0] as WireTransition;
  const listed = available.map(describe).join(", ") || "none";
  const details = {
    field: "transition",
    available: available.map(toTransition),
  };
  if (candidates.length > 1) {
    throw new ConnectorError({
      code: "invalid_input",
      message: `"${wanted}" matches ${candidates.length} transitions of ${key}: ${candidates.map(describe).join(", ")}.`,
      hint: "Pass the transition id instead of its name.",
      details,
      notApplied: true,
    });
  }
  throw new ConnectorError({
    code: "invalid_input",
    message: `No transition "${wanted}" is available for ${key} now. Available: ${listed}.`,
    hint: "Use one of the available transitions (by name or id); the workflow decides which exist from the current status.",
    details,
    notApplied: true,
  });
}

export const jiraTransitionIssue = defineJiraTool({
  name: "jira_transition_issue",
  title: "Move an issue through its workflow",
  description:
    "Change an issue's status by making a workflow transition, by name (e.g. 'Start Progress', or the target status 'Done') or id, optionally with a comment and a resolution. jira_get_issue lists the available transitions.",
  input: z.object({
    issueKey: issueKey.describe("Issue key, e.g. OPS-123."),
    transition: shortName.describe("Transition name or id, or the name of the status it leads to."),
    comment: markdownText.min(1).optional().describe("A comment added with the transition; markdown."),
    resolution: shortName
      .optional()
      .describe("Resolution name or id (Done, Won't Do, ...), when the screen asks for one."),
  }),
  output: z.object({
    issueKey: z.string(),
    transition: transitionOutput,
    status: z.string().nullable().describe("The status the issue moved to."),
  }),
  annotations: WRITE_ANNOTATIONS,
  rateLimit: { bucket: "write", key: (input) => input.issueKey },
  describeCall: (input) => ({
    summary: `Transition ${input.issueKey}: ${input.transition}`,
    targets: [issueTarget(input.issueKey)],
  }),
  async execute(input, ctx) {
    await assertIssueWritable(ctx, input.issueKey);
    const available = await jiraRequest(
      ctx,
      { method: "GET", path: issuePath(input.issueKey, "/transitions") },
      transitionsSchema,
    );
    const transition = resolveTransition(
      input.transition,
      available.data.transitions.filter((entry) => entry.isAvailable !== false),
      input.issueKey,
    );
    await jiraRequest(
      ctx,
      {
        method: "POST",
        path: issuePath(input.issueKey, "/transitions"),
        body: {
          transition: { id: transition.id },
          ...(input.resolution ? { fields: { resolution: byIdOrName(input.resolution) } } : {}),
          ...(input.comment
            ? { update: { comment: [{ add: { body: markdownToAdf(input.comment) } }] } }
            : {}),
        },
      },
      noContentSchema,
    );
    return {
      issueKey: input.issueKey,
      transition: toTransition(transition),
      status: transition.to ? sanitizeUntrustedText(transition.to.name) : null,
    };
  },
});
