/**
 * Atlassian Document Format: the JSON tree Jira Cloud's REST API v3 uses for descriptions and comments.
 * Only the shape this package reads and writes is declared; unknown nodes and attributes are tolerated.
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */

export interface AdfMark {
  readonly type: string;
  readonly attrs?: Readonly<Record<string, unknown>>;
}

export interface AdfNode {
  readonly type: string;
  readonly attrs?: Readonly<Record<string, unknown>>;
  readonly content?: readonly AdfNode[];
  readonly text?: string;
  readonly marks?: readonly AdfMark[];
}

export interface AdfDocument {
  readonly version: 1;
  readonly type: "doc";
  readonly content: readonly AdfNode[];
}

/** Deeper trees are cut off: a hostile document must not overflow the stack. */
export const MAX_ADF_DEPTH = 40;

export function isAdfNode(value: unknown): value is AdfNode {
  return (
    typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string"
  );
}

/** The node's children that are nodes; anything malformed is skipped. */
export function childrenOf(node: AdfNode): AdfNode[] {
  return Array.isArray(node.content) ? node.content.filter(isAdfNode) : [];
}

export function marksOf(node: AdfNode): AdfMark[] {
  return Array.isArray(node.marks) ? node.marks.filter(isAdfNode) : [];
}

export function stringAttr(node: AdfNode | AdfMark, name: string): string | undefined {
  const value = node.attrs?.[name];
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
}

export function numberAttr(node: AdfNode | AdfMark, name: string): number | undefined {
  const value = node.attrs?.[name];
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

export const emptyDocument = (): AdfDocument => ({ version: 1, type: "doc", content: [] });
