import { z } from "zod";

/**
 * Input refinements. Every identifier that ends up in a URL path is checked against Jira's own shapes first,
 * so a model cannot smuggle `../`, query strings or another resource into a request.
 */

/** `ABC-123`. Lower case is accepted and upper-cased, as Jira itself does. */
export const issueKey = z
  .string()
  .trim()
  .max(255)
  .transform((value) => value.toUpperCase())
  .pipe(z.string().regex(/^[A-Z][A-Z0-9_]+-[0-9]+$/, "not a Jira issue key (like ABC-123)"));

/** `ABC`: a letter, then letters, digits or underscores. */
export const projectKey = z
  .string()
  .trim()
  .max(100)
  .transform((value) => value.toUpperCase())
  .pipe(z.string().regex(/^[A-Z][A-Z0-9_]+$/, "not a Jira project key (like ABC)"));

/** Atlassian account ids: `5b10ac8d82e05b22cc7d4ef5` or `557058:f58131cb-b67d-43c7-b30d-6b58d40bd077`. */
export const accountId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9:_-]{1,128}$/, "not an Atlassian account id");

/** Jira labels cannot contain spaces. */
export const labelName = z.string().trim().min(1).max(255).regex(/^\S+$/, "labels cannot contain spaces");

/** A short name (issue type, priority, transition, resolution, component). */
export const shortName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters have no place in a name.
  .regex(/^[^\u0000-\u001f\u007f]+$/, "control characters are not allowed");

/** Jira caps text fields at 32,767 characters; the ADF of the markdown is larger, so leave room. */
export const MAX_MARKDOWN_CHARS = 30_000;

export const markdownText = z
  .string()
  .max(MAX_MARKDOWN_CHARS)
  .describe(
    "Markdown: headings, lists, ``` code blocks, tables, **bold**, *italic*, ~~strike~~, `code`, [links](https://...), mentions as @[Display Name](accountId).",
  );

/** Issue summaries are one line of at most 255 characters. */
export const summaryText = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[^\r\n]+$/, "a summary is a single line");
