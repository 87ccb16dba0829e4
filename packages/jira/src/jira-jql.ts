import { ConnectorError } from "@switchyard/core";
import { z } from "zod";
import type { JiraProjectAllowlist } from "./jira-allowlist.js";
import { JIRA_ENV } from "./jira-settings.js";

/**
 * JQL handling. The project allowlist is enforced by wrapping the caller's clause, never by inspecting it:
 * `project in ("A", "B") AND (<clause>) ORDER BY <order>`. For that to hold, this code and Jira must agree on
 * where the clause ends, so the JQL is scanned the way Jira's lexer reads it (string literals in "..." or
 * '...' with backslash escapes) and anything that could make the two disagree is refused before sending:
 * unbalanced parentheses or quotes, backslashes outside strings, comment-like sequences, more than one
 * ORDER BY, an ORDER BY inside parentheses, and an ORDER BY tail that is not a plain list of fields.
 */

export interface SplitJql {
  /** The filter, without ORDER BY; may be empty. */
  readonly clause: string;
  /** The sort fields after ORDER BY (without the keywords), or undefined. */
  readonly orderBy: string | undefined;
}

function refuse(reason: string, hint?: string): ConnectorError {
  return new ConnectorError({
    code: "invalid_input",
    message: `The JQL was not sent: ${reason}.`,
    hint: hint ?? "Fix the JQL (balanced parentheses and quotes, one ORDER BY at the end) and call again.",
    details: { field: "jql" },
    notApplied: true,
  });
}

const WORD = /[A-Za-z0-9_]/;
const ORDER_BY = /^order\s+by(?![A-Za-z0-9_])/i;

/** Splits JQL into its clause and a top-level trailing ORDER BY, refusing anything ambiguous. */
export function splitJql(jql: string): SplitJql {
  let depth = 0;
  let quote: string | undefined;
  let orderAt: number | undefined;
  let orderEnd = 0;
  for (let index = 0; index < jql.length; index += 1) {
    const character = jql[index] as string;
    if (quote) {
      if (character === "\\") {
        if (index + 1 >= jql.length) throw refuse("it ends inside a quoted string");
        index += 1;
      } else if (character === quote) {
        quote = undefined;
      }
      continue;
    }
    const pair = jql.slice(index, index + 2);
    if (pair === "/*" || pair === "*/" || pair === "--" || pair === "//") {
      throw refuse(`"${pair}" outside a quoted string (JQL has no comments)`);
    }
    switch (character) {
      case '"':
      case "'":
        quote = character;
        break;
      case "\\":
        throw refuse(
          "a backslash outside a quoted string",
          'Put values with special characters in quotes: summary ~ "a\\\\b".',
        );
      case "(":
        depth += 1;
        break;
      case ")":
        depth -= 1;
        if (depth < 0) throw refuse("a ) closes a parenthesis that was never opened");
        break;
      default: {
        const previous = jql[index - 1];
        if ((character === "o" || character === "O") && !(previous && WORD.test(previous))) {
          const match = ORDER_BY.exec(jql.slice(index));
          if (match) {
            if (depth > 0) throw refuse("ORDER BY inside parentheses");
            if (orderAt !== undefined) throw refuse("more than one ORDER BY");
            orderAt = index;
            orderEnd = index + match[0].length;
            index = orderEnd - 1;
          }
        }
      }
    }
  }
  if (quote) throw refuse(`a ${quote === '"' ? "double" : "single"} quote is never closed`);
  if (depth !== 0) throw refuse(`${depth} parenthesis${depth === 1 ? " is" : "es are"} never closed`);
  if (orderAt === undefined) return { clause: jql.trim(), orderBy: undefined };
  const orderBy = jql.slice(orderEnd).trim();
  checkOrderBy(orderBy);
  return { clause: jql.slice(0, orderAt).trim(), orderBy };
}

/** `field [ASC|DESC] (, field [ASC|DESC])*`, where a field is a name, `cf[10001]` or a quoted name. */
const ORDER_FIELD = String.raw`(?:"(?:[^"\\]|\\.)+"|'(?:[^'\\]|\\.)+'|[A-Za-z_][A-Za-z0-9_.]*(?:\[\d+\])?)`;
const ORDER_TERM = String.raw`${ORDER_FIELD}(?:\s+(?:ASC|DESC))?`;
const ORDER_LIST = new RegExp(String.raw`^${ORDER_TERM}(?:\s*,\s*${ORDER_TERM})*$`, "i");
const OPERATOR_WORD = /^(?:and|or|not|in|is|was|changed|empty|null)$/i;

function checkOrderBy(orderBy: string): void {
  if (orderBy === "") throw refuse("ORDER BY without a field");
  const unquotedWords = orderBy.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, " ").split(/[\s,]+/);
  if (!ORDER_LIST.test(orderBy) || unquotedWords.some((word) => OPERATOR_WORD.test(word))) {
    throw refuse(
      "ORDER BY must be followed by field names only (each optionally ASC or DESC, separated by commas)",
      "Put every condition before ORDER BY: <conditions> ORDER BY created DESC, key ASC.",
    );
  }
}

/**
 * The JQL actually sent: unchanged without an allowlist (but still checked), else confined to the allowlisted
 * projects whatever the clause says.
 */
export function scopeJql(jql: string, allowlist: JiraProjectAllowlist): string {
  const { clause, orderBy } = splitJql(jql);
  const order = orderBy ? ` ORDER BY ${orderBy}` : "";
  if (!allowlist.restricts) return `${clause}${order}`.trim();
  const scope = `project in (${allowlist.projects.map((key) => `"${key}"`).join(", ")})`;
  return clause === "" ? `${scope}${order}` : `${scope} AND (${clause})${order}`;
}

/** The `jql` argument: one line or several, no control characters other than tabs and line breaks. */
export const jqlInput = z
  .string()
  .trim()
  .min(1)
  .max(4000)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters have no place in JQL.
  .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, "control characters are not allowed")
  .describe("Must be bounded: Jira refuses a bare `ORDER BY key` unless a project allowlist confines it.");

export const ALLOWLIST_NOTE = `Results are confined to the ${JIRA_ENV.projects} allowlist.`;
