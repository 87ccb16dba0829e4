import { randomUUID } from "node:crypto";
import { Marked, type Token, type TokenizerAndRendererExtension, type Tokens } from "marked";
import type { AdfDocument, AdfMark, AdfNode } from "./jira-adf.js";

/**
 * Markdown -> ADF, for writing descriptions and comments. GitHub-flavoured markdown as agents write it:
 * headings, paragraphs (a single line break is a hard break, as Jira shows it), bullet/ordered/task lists
 * (nested), fenced code blocks with a language, blockquotes, rules, tables, **strong**, *em*, ~~strike~~,
 * `code`, [links](https://...), <autolinks> and mentions written `@[Display Name](accountId)`.
 *
 * The result respects what Jira's ADF validation enforces: no empty text nodes, code marks combined only with
 * links, list items starting with a paragraph, no headings or nested quotes inside quotes and list items,
 * table cells never empty. Raw HTML is kept as literal text, and links other than http(s) and mailto become
 * plain text.
 */
export function markdownToAdf(markdown: string): AdfDocument {
  const tokens = lexer.lexer(markdown.replace(/\r\n?/g, "\n"));
  return { version: 1, type: "doc", content: blocksFrom(tokens, "doc") };
}

/** `@[Display Name](accountId)`: the syntax `adfToMarkdown` writes mentions in. */
const MENTION = /^@\[((?:\\.|[^\]\\\n]){1,200})\]\(([A-Za-z0-9:_-]{1,128})\)/;

interface MentionToken extends Tokens.Generic {
  readonly type: "mention";
  readonly name: string;
  readonly accountId: string;
}

const mentionExtension: TokenizerAndRendererExtension = {
  name: "mention",
  level: "inline",
  start: (source: string) => {
    const index = source.indexOf("@[");
    return index === -1 ? undefined : index;
  },
  tokenizer(source: string) {
    const match = MENTION.exec(source);
    if (!match) return undefined;
    const token: MentionToken = {
      type: "mention",
      raw: match[0],
      name: (match[1] as string).replace(/\\(.)/g, "$1"),
      accountId: match[2] as string,
    };
    return token;
  },
  renderer: () => "",
};

const lexer = new Marked({ gfm: true, breaks: true, async: false, extensions: [mentionExtension] });

type Container = "doc" | "listItem" | "blockquote" | "tableCell";

function blocksFrom(tokens: readonly Token[], container: Container): AdfNode[] {
  const blocks: AdfNode[] = [];
  for (const token of tokens) blocks.push(...blockFrom(token, container));
  return blocks;
}

function blockFrom(token: Token, container: Container): AdfNode[] {
  switch (token.type) {
    case "space":
    case "def":
      return [];
    case "heading": {
      const heading = token as Tokens.Heading;
      const content = inlineFrom(heading.tokens, []);
      // Quotes, list items and table cells cannot hold headings: a bold paragraph says the same.
      if (container !== "doc") return [paragraph(content.map(withMark({ type: "strong" })))];
      return [{ type: "heading", attrs: { level: Math.min(6, Math.max(1, heading.depth)) }, content }];
    }
    case "paragraph":
      return [paragraph(inlineFrom((token as Tokens.Paragraph).tokens, []))];
    case "text": {
      // Block-level text: the content of a tight list item.
      const text = token as Tokens.Text;
      return [
        paragraph(text.tokens ? inlineFrom(text.tokens, []) : textNodes(decodeEntities(text.text), [])),
      ];
    }
    case "code": {
      const code = token as Tokens.Code;
      const language = (code.lang ?? "").trim().split(/\s+/)[0];
      return [
        {
          type: "codeBlock",
          ...(language ? { attrs: { language } } : {}),
          content: code.text === "" ? [] : [{ type: "text", text: code.text }],
        },
      ];
    }
    case "blockquote": {
      const inner = blocksFrom((token as Tokens.Blockquote).tokens, "blockquote");
      // Jira refuses a quote inside a quote or inside a list item: keep the content, drop the nesting.
      if (container === "blockquote" || container === "listItem" || container === "tableCell") return inner;
      return inner.length > 0 ? [{ type: "blockquote", content: inner }] : [];
    }
    case "hr":
      return [{ type: "rule" }];
    case "list":
      return [listFrom(token as Tokens.List)];
    case "table":
      return container === "doc" ? [tableFrom(token as Tokens.Table)] : flattenTable(token as Tokens.Table);
    case "html": {
      const raw = (token as Tokens.HTML).text.trim();
      return raw ? [paragraph(textNodes(raw, []))] : [];
    }
    default: {
      const raw = "raw" in token && typeof token.raw === "string" ? token.raw.trim() : "";
      return raw ? [paragraph(textNodes(raw, []))] : [];
    }
  }
}

function paragraph(content: AdfNode[]): AdfNode {
  return { type: "paragraph", content: mergeText(trimEdges(content)) };
}

function listFrom(list: Tokens.List): AdfNode {
  if (list.items.length > 0 && list.items.every(isTaskItem)) return taskListFrom(list);
  const items = list.items.map((item): AdfNode => {
    const content = blocksFrom(itemTokens(item), "listItem");
    if (item.task) {
      // A checkbox in a list that is not all tasks stays visible as text.
      const first = content[0];
      const box: AdfNode = { type: "text", text: item.checked ? "[x] " : "[ ] " };
      if (first?.type === "paragraph")
        content[0] = { ...first, content: mergeText([box, ...(first.content ?? [])]) };
      else content.unshift(paragraph([box]));
    }
    // A list item starts with a paragraph (or a code block), never with a nested list.
    if (content.length === 0 || (content[0]?.type !== "paragraph" && content[0]?.type !== "codeBlock")) {
      content.unshift({ type: "paragraph", content: [] });
    }
    return { type: "listItem", content };
  });
  if (list.ordered) {
    const start = typeof list.start === "number" ? list.start : 1;
    return { type: "orderedList", ...(start !== 1 ? { attrs: { order: start } } : {}), content: items };
  }
  return { type: "bulletList", content: items };
}

function itemTokens(item: Tokens.ListItem): Token[] {
  return item.tokens.filter((token) => token.type !== "checkbox");
}

/** A task item holds inline content, optionally followed by nested task lists. */
function isTaskItem(item: Tokens.ListItem): boolean {
  if (!item.task) return false;
  const [first, ...rest] = itemTokens(item);
  const inlineFirst = first === undefined || first.type === "text" || first.type === "paragraph";
  return (
    inlineFirst &&
    rest.every(
      (token) =>
        token.type === "space" ||
        (token.type === "list" &&
          (token as Tokens.List).items.length > 0 &&
          (token as Tokens.List).items.every(isTaskItem)),
    )
  );
}

function taskListFrom(list: Tokens.List): AdfNode {
  const content: AdfNode[] = [];
  for (const item of list.items) {
    const [first, ...rest] = itemTokens(item);
    const inline =
      first && (first.type === "text" || first.type === "paragraph")
        ? first.tokens
          ? inlineFrom(first.tokens, [])
          : textNodes(decodeEntities((first as Tokens.Text).text), [])
        : [];
    content.push({
      type: "taskItem",
      attrs: { localId: randomUUID(), state: item.checked ? "DONE" : "TODO" },
      content: mergeText(trimEdges(inline)),
    });
    for (const token of rest) {
      if (token.type === "list") content.push(taskListFrom(token as Tokens.List));
    }
  }
  return { type: "taskList", attrs: { localId: randomUUID() }, content };
}

function tableFrom(table: Tokens.Table): AdfNode {
  const cell = (type: "tableHeader" | "tableCell", tableCell: Tokens.TableCell): AdfNode => ({
    type,
    attrs: {},
    content: [paragraph(inlineFrom(tableCell.tokens, []))],
  });
  const rows: AdfNode[] = [
    { type: "tableRow", content: table.header.map((entry) => cell("tableHeader", entry)) },
    ...table.rows.map((row) => ({
      type: "tableRow",
      content: row.map((entry) => cell("tableCell", entry)),
    })),
  ];
  return { type: "table", attrs: { isNumberColumnEnabled: false, layout: "default" }, content: rows };
}

/** A table where Jira allows none (inside a quote or list item): one paragraph per row. */
function flattenTable(table: Tokens.Table): AdfNode[] {
  return [table.header, ...table.rows].map((row) =>
    paragraph(
      row.flatMap((entry, index) => [
        ...(index > 0 ? [{ type: "text", text: " | " }] : []),
        ...inlineFrom(entry.tokens, []),
      ]),
    ),
  );
}

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

function withMark(mark: AdfMark): (node: AdfNode) => AdfNode {
  return (node) => (node.type === "text" ? { ...node, marks: addMark(node.marks ?? [], mark) } : node);
}

function addMark(marks: readonly AdfMark[], mark: AdfMark): AdfMark[] {
  if (marks.some((existing) => existing.type === mark.type)) return [...marks];
  // ADF allows the code mark only together with a link.
  if (marks.some((existing) => existing.type === "code") && mark.type !== "link") return [...marks];
  return [...marks, mark];
}

function inlineFrom(tokens: readonly Token[] | undefined, marks: readonly AdfMark[]): AdfNode[] {
  const nodes: AdfNode[] = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case "text": {
        const text = token as Tokens.Text;
        if (text.tokens && text.tokens.length > 0) nodes.push(...inlineFrom(text.tokens, marks));
        else nodes.push(...textNodes(decodeEntities(text.text), marks));
        break;
      }
      case "escape":
        nodes.push(...textNodes((token as Tokens.Escape).text, marks));
        break;
      case "strong":
        nodes.push(...inlineFrom((token as Tokens.Strong).tokens, addMark(marks, { type: "strong" })));
        break;
      case "em":
        nodes.push(...inlineFrom((token as Tokens.Em).tokens, addMark(marks, { type: "em" })));
        break;
      case "del":
        nodes.push(...inlineFrom((token as Tokens.Del).tokens, addMark(marks, { type: "strike" })));
        break;
      case "codespan": {
        const code = decodeEntities((token as Tokens.Codespan).text);
        const link = marks.find((mark) => mark.type === "link");
        nodes.push(...textNodes(code, [{ type: "code" }, ...(link ? [link] : [])]));
        break;
      }
      case "link": {
        const link = token as Tokens.Link;
        const href = link.href.trim();
        const inner = SAFE_LINK.test(href)
          ? addMark(
              marks.filter((mark) => mark.type !== "link"),
              { type: "link", attrs: { href } },
            )
          : marks;
        nodes.push(...inlineFrom(link.tokens, inner));
        break;
      }
      case "image": {
        // Images need an upload; the link to them says where they are.
        const image = token as Tokens.Image;
        const href = image.href.trim();
        const label = image.text || href;
        nodes.push(
          ...textNodes(
            label,
            SAFE_LINK.test(href) ? addMark(marks, { type: "link", attrs: { href } }) : marks,
          ),
        );
        break;
      }
      case "br":
        nodes.push({ type: "hardBreak" });
        break;
      case "html": {
        const html = (token as Tokens.HTML).text;
        if (/^<br\s*\/?>$/i.test(html.trim())) nodes.push({ type: "hardBreak" });
        else nodes.push(...textNodes(html, marks));
        break;
      }
      case "mention": {
        const mention = token as MentionToken;
        nodes.push({
          type: "mention",
          attrs: { id: mention.accountId, text: `@${mention.name}`, accessLevel: "" },
        });
        break;
      }
      case "checkbox":
        break;
      default: {
        const raw = "raw" in token && typeof token.raw === "string" ? token.raw : "";
        nodes.push(...textNodes(raw, marks));
      }
    }
  }
  return nodes;
}

function textNodes(text: string, marks: readonly AdfMark[]): AdfNode[] {
  if (text === "") return [];
  return [{ type: "text", text, ...(marks.length > 0 ? { marks: [...marks] } : {}) }];
}

/** Adjacent text nodes with the same marks become one. */
function mergeText(nodes: readonly AdfNode[]): AdfNode[] {
  const merged: AdfNode[] = [];
  for (const node of nodes) {
    const previous = merged.at(-1);
    if (
      previous?.type === "text" &&
      node.type === "text" &&
      JSON.stringify(previous.marks ?? []) === JSON.stringify(node.marks ?? [])
    ) {
      merged[merged.length - 1] = { ...previous, text: `${previous.text ?? ""}${node.text ?? ""}` };
    } else {
      merged.push(node);
    }
  }
  return merged;
}

/** Hard breaks at the very start or end of a paragraph carry nothing. */
function trimEdges(nodes: readonly AdfNode[]): AdfNode[] {
  let start = 0;
  let end = nodes.length;
  while (start < end && nodes[start]?.type === "hardBreak") start += 1;
  while (end > start && nodes[end - 1]?.type === "hardBreak") end -= 1;
  return nodes.slice(start, end);
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

/** marked leaves character references in text as written; markdown means the character. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (match, entity: string) => {
    if (entity.startsWith("#")) {
      const code =
        entity[1]?.toLowerCase() === "x" ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? match;
  });
}
