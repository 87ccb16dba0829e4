/**
 * Atlassian Document Format (ADF): the JSON tree Jira's v3 API uses for descriptions and comment bodies.
 * Small builders for the seed, a validity check for writes, and plain-text extraction for `text ~` searches.
 */

export interface AdfMark {
  readonly type: string;
  readonly attrs?: Readonly<Record<string, unknown>>;
}

export interface AdfNode {
  readonly type: string;
  readonly attrs?: Readonly<Record<string, unknown>>;
  readonly content?: readonly AdfNode[];
  readonly marks?: readonly AdfMark[];
  readonly text?: string;
}

export interface AdfDoc extends AdfNode {
  readonly type: "doc";
  readonly version: 1;
  readonly content: readonly AdfNode[];
}

export const doc = (...content: AdfNode[]): AdfDoc => ({ type: "doc", version: 1, content });

export const text = (value: string, ...marks: AdfMark[]): AdfNode =>
  marks.length > 0 ? { type: "text", text: value, marks } : { type: "text", text: value };

export const strong: AdfMark = { type: "strong" };
export const em: AdfMark = { type: "em" };
export const code: AdfMark = { type: "code" };
export const link = (href: string): AdfMark => ({ type: "link", attrs: { href } });

export const paragraph = (...content: AdfNode[]): AdfNode => ({ type: "paragraph", content });

export const heading = (level: number, value: string): AdfNode => ({
  type: "heading",
  attrs: { level },
  content: [text(value)],
});

const listItem = (content: AdfNode[]): AdfNode => ({ type: "listItem", content: [paragraph(...content)] });

export const bulletList = (...items: AdfNode[][]): AdfNode => ({
  type: "bulletList",
  content: items.map(listItem),
});

export const orderedList = (...items: AdfNode[][]): AdfNode => ({
  type: "orderedList",
  attrs: { order: 1 },
  content: items.map(listItem),
});

export const codeBlock = (language: string, value: string): AdfNode => ({
  type: "codeBlock",
  attrs: { language },
  content: [text(value)],
});

export const mention = (accountId: string, displayName: string): AdfNode => ({
  type: "mention",
  attrs: { id: accountId, text: `@${displayName}`, accessLevel: "" },
});

export const panel = (
  panelType: "info" | "note" | "warning" | "success" | "error",
  ...content: AdfNode[]
) => ({
  type: "panel",
  attrs: { panelType },
  content,
});

export const inlineCard = (url: string): AdfNode => ({ type: "inlineCard", attrs: { url } });

export const rule: AdfNode = { type: "rule" };

/** A table whose first row is a header row. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): AdfNode {
  const cell = (type: "tableHeader" | "tableCell", value: string): AdfNode => ({
    type,
    attrs: {},
    content: [paragraph(text(value))],
  });
  return {
    type: "table",
    attrs: { isNumberColumnEnabled: false, layout: "default" },
    content: [
      { type: "tableRow", content: header.map((value) => cell("tableHeader", value)) },
      ...rows.map((row) => ({ type: "tableRow", content: row.map((value) => cell("tableCell", value)) })),
    ],
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function isNode(value: unknown, depth: number): boolean {
  if (!isRecord(value) || typeof value.type !== "string" || depth > 64) return false;
  if (value.text !== undefined && typeof value.text !== "string") return false;
  if (value.content === undefined) return true;
  return Array.isArray(value.content) && value.content.every((child) => isNode(child, depth + 1));
}

/** Whether `value` is an ADF document (`{ type: "doc", version: 1, content: [...] }` of nodes with a type). */
export function isAdfDoc(value: unknown): value is AdfDoc {
  return (
    isRecord(value) &&
    value.type === "doc" &&
    value.version === 1 &&
    Array.isArray(value.content) &&
    value.content.every((child) => isNode(child, 1))
  );
}

/** Whether a document has any visible content (text, a mention, a card, ...). */
export function adfIsEmpty(document: AdfDoc): boolean {
  return adfToText(document).trim() === "";
}

/** The words of a document: text nodes, mention names, card and link URLs, separated by spaces. */
export function adfToText(node: AdfNode | undefined | null): string {
  if (!node) return "";
  const parts: string[] = [];
  const visit = (current: AdfNode) => {
    if (typeof current.text === "string") parts.push(current.text);
    if (current.type === "mention" && typeof current.attrs?.text === "string") parts.push(current.attrs.text);
    if (current.type === "inlineCard" && typeof current.attrs?.url === "string")
      parts.push(current.attrs.url);
    for (const child of current.content ?? []) visit(child);
  };
  visit(node);
  return parts.join(" ");
}

/** A plain string as a one-paragraph document (what Jira's own clients do with plain text). */
export function plainDoc(value: string): AdfDoc {
  return doc(paragraph(text(value)));
}
