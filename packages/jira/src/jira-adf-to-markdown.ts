import {
  type AdfMark,
  type AdfNode,
  childrenOf,
  isAdfNode,
  MAX_ADF_DEPTH,
  marksOf,
  numberAttr,
  stringAttr,
} from "./jira-adf.js";

/**
 * ADF -> markdown, for reading descriptions and comments. The output is the markdown this package also
 * reads back (`markdownToAdf`), so the supported subset round-trips: headings, paragraphs, hard breaks,
 * bullet/ordered/task lists (nested), code blocks with their language, blockquotes, rules, tables, and
 * strong/em/strike/code/link marks and mentions (`@[Name](accountId)`). Everything else degrades to
 * readable text: panels become quotes with a label, media a `[attachment: name]` note, expands their
 * title and content, status lozenges `[TEXT]`, dates ISO dates, cards their URL, unknown nodes their text.
 */
export function adfToMarkdown(document: unknown): string {
  if (typeof document === "string") return document;
  if (!isAdfNode(document)) return "";
  const root = document.type === "doc" ? childrenOf(document) : [document];
  return renderBlocks(root, 0).join("\n\n").trim();
}

const PANEL_LABELS: Readonly<Record<string, string>> = {
  info: "Info",
  note: "Note",
  tip: "Tip",
  warning: "Warning",
  error: "Error",
  success: "Success",
};

const INLINE_TYPES = new Set([
  "text",
  "hardBreak",
  "mention",
  "emoji",
  "date",
  "status",
  "inlineCard",
  "placeholder",
  "mediaInline",
  "inlineExtension",
]);

function renderBlocks(nodes: readonly AdfNode[], depth: number): string[] {
  const blocks: string[] = [];
  let inlineRun: AdfNode[] = [];
  const flushInline = () => {
    if (inlineRun.length > 0) blocks.push(renderParagraphText(inlineRun));
    inlineRun = [];
  };
  let previous: string | undefined;
  for (const node of nodes) {
    // Inline nodes where a block belongs (malformed, or an unknown container) read as a paragraph.
    if (INLINE_TYPES.has(node.type)) {
      inlineRun.push(node);
      previous = "paragraph";
      continue;
    }
    flushInline();
    const block = renderBlock(node, depth + 1, alternateAfter(previous, node.type));
    if (block !== undefined && block.trim() !== "") {
      blocks.push(block);
      previous = node.type;
    }
  }
  flushInline();
  return blocks;
}

const BULLET_LISTS = new Set(["bulletList", "taskList", "decisionList"]);

/**
 * Two lists of the same kind in a row would read back as one list; CommonMark starts a new list when the
 * bullet character (`-`, `*`) or the ordered delimiter (`.`, `)`) changes, so the second one switches.
 */
function alternateAfter(previous: string | undefined, type: string): boolean {
  if (!previous) return false;
  if (BULLET_LISTS.has(previous) && BULLET_LISTS.has(type)) return true;
  return previous === "orderedList" && type === "orderedList";
}

function renderBlock(node: AdfNode, depth: number, alternate = false): string | undefined {
  if (depth > MAX_ADF_DEPTH) return "[content nested too deeply]";
  const children = childrenOf(node);
  switch (node.type) {
    case "paragraph":
      return renderParagraphText(children);
    case "heading": {
      const level = Math.min(6, Math.max(1, numberAttr(node, "level") ?? 1));
      const text = renderInline(children, { singleLine: true })
        .trim()
        // A trailing # would be read as the heading's closing sequence.
        .replace(/#$/, "\\#");
      return `${"#".repeat(level)} ${text}`;
    }
    case "bulletList":
    case "orderedList":
      return renderList(node, depth, alternate);
    case "taskList":
    case "decisionList":
      return renderTaskList(node, depth, alternate);
    case "codeBlock":
      return renderCodeBlock(stringAttr(node, "language"), plainText(children));
    case "blockquote":
      return quote(renderBlocks(children, depth).join("\n\n"));
    case "rule":
      return "---";
    case "panel": {
      const label = PANEL_LABELS[stringAttr(node, "panelType") ?? ""] ?? "Note";
      const body = renderBlocks(children, depth).join("\n\n");
      return quote(body ? `**${label}:**\n\n${body}` : `**${label}:**`);
    }
    case "table":
      return renderTable(node, depth);
    case "mediaSingle":
    case "mediaGroup":
      return children.map(mediaNote).join("\n");
    case "media":
      return mediaNote(node);
    case "expand":
    case "nestedExpand": {
      const title = stringAttr(node, "title");
      const body = renderBlocks(children, depth).join("\n\n");
      return [title ? `**${escapeText(title)}**` : undefined, body].filter(Boolean).join("\n\n");
    }
    case "blockCard":
    case "embedCard": {
      const url = stringAttr(node, "url");
      return url ? `<${url}>` : undefined;
    }
    case "extension":
    case "bodiedExtension": {
      const key = stringAttr(node, "extensionKey") ?? "extension";
      const body = renderBlocks(children, depth).join("\n\n");
      return [`[extension: ${key}]`, body].filter(Boolean).join("\n\n");
    }
    default: {
      // layoutSection, layoutColumn, doc fragments and anything new: their content, or their text.
      if (children.length > 0) return renderBlocks(children, depth).join("\n\n");
      const text = node.text ?? stringAttr(node, "text");
      return text ? escapeText(text) : undefined;
    }
  }
}

function renderParagraphText(children: readonly AdfNode[]): string {
  return renderInline(children, { singleLine: false })
    .split("\n")
    .map((line) => escapeLineStart(line.replace(/^[ \t]+/, "")))
    .join("\n")
    .trimEnd();
}

function renderList(node: AdfNode, depth: number, alternate: boolean): string {
  const ordered = node.type === "orderedList";
  const bullet = alternate ? "* " : "- ";
  const delimiter = alternate ? ")" : ".";
  const start = ordered ? Math.max(0, Math.floor(numberAttr(node, "order") ?? 1)) : 0;
  const items = childrenOf(node).filter((child) => child.type === "listItem");
  return items
    .map((item, index) => {
      const marker = ordered ? `${start + index}${delimiter} ` : bullet;
      return hang(marker, renderListItemBody(childrenOf(item), depth));
    })
    .join("\n");
}

/** A list item's blocks: a nested list follows its paragraph directly, other blocks after a blank line. */
function renderListItemBody(children: readonly AdfNode[], depth: number): string {
  let body = "";
  let previous: string | undefined;
  for (const child of children) {
    const text = INLINE_TYPES.has(child.type)
      ? renderParagraphText([child])
      : (renderBlock(child, depth + 1, alternateAfter(previous, child.type)) ?? "");
    if (text.trim() === "") continue;
    const after = previous;
    previous = child.type;
    if (body === "" && after === undefined) {
      body = text;
      continue;
    }
    // An ordered list may only interrupt a paragraph when it starts at 1 (CommonMark).
    const tight =
      after === "paragraph" &&
      (child.type === "bulletList" ||
        child.type === "taskList" ||
        (child.type === "orderedList" && (numberAttr(child, "order") ?? 1) === 1));
    body += tight ? `\n${text}` : `\n\n${text}`;
  }
  return body;
}

/** taskList (and decisionList): items are inline content; a nested list follows its item. */
function renderTaskList(node: AdfNode, depth: number, alternate = false): string {
  const lines: string[] = [];
  const bullet = alternate ? "* " : "- ";
  for (const child of childrenOf(node)) {
    if (child.type === "taskItem" || child.type === "decisionItem") {
      const done = stringAttr(child, "state") === "DONE" || stringAttr(child, "state") === "DECIDED";
      const marker = child.type === "decisionItem" ? bullet : done ? `${bullet}[x] ` : `${bullet}[ ] `;
      lines.push(hang(marker, renderParagraphText(childrenOf(child)) || " "));
    } else if (child.type === "taskList" || child.type === "decisionList") {
      const nested = indent(renderTaskList(child, depth + 1), "  ");
      if (lines.length === 0) lines.push(hang(`${bullet}[ ] `, nested.trimStart()));
      else lines.push(nested);
    }
  }
  return lines.join("\n");
}

function renderCodeBlock(language: string | undefined, code: string): string {
  const longest = Math.max(2, ...Array.from(code.matchAll(/`{3,}/g), (match) => match[0].length));
  const fence = "`".repeat(longest + 1);
  const info = (language ?? "").replace(/[\s`]/g, "");
  return `${fence}${info}\n${code}\n${fence}`;
}

function renderTable(node: AdfNode, depth: number): string | undefined {
  const rows = childrenOf(node)
    .filter((row) => row.type === "tableRow")
    .map((row) =>
      childrenOf(row).flatMap((cell) => {
        const text = renderBlocks(childrenOf(cell), depth).join("\n\n").replace(/\n+/g, "<br>").trim();
        // Cells spanning columns leave empty cells after them, so the columns still line up.
        const span = Math.max(1, Math.floor(numberAttr(cell, "colspan") ?? 1));
        return [text === "" ? " " : text, ...Array.from({ length: span - 1 }, () => " ")];
      }),
    );
  const width = Math.max(0, ...rows.map((row) => row.length));
  if (rows.length === 0 || width === 0) return undefined;
  const padded = rows.map((row) => [...row, ...Array.from({ length: width - row.length }, () => " ")]);
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const [header = [], ...body] = padded;
  return [line(header), line(Array.from({ length: width }, () => "---")), ...body.map(line)].join("\n");
}

function mediaNote(node: AdfNode): string {
  const name = stringAttr(node, "alt") ?? stringAttr(node, "name") ?? stringAttr(node, "id") ?? "file";
  return `[attachment: ${escapeText(name)}]`;
}

interface InlineOptions {
  /** Headings and table cells cannot hold line breaks. */
  readonly singleLine: boolean;
}

/** One inline node with the marks markdown can express (code is a flag: it must be innermost). */
interface Segment {
  readonly node: AdfNode;
  readonly marks: readonly AdfMark[];
  readonly code: boolean;
}

const MARK_ORDER = ["link", "strike", "strong", "em"];

function markKey(mark: AdfMark): string {
  return mark.type === "link" ? `link:${stringAttr(mark, "href") ?? ""}` : mark.type;
}

function renderInline(nodes: readonly AdfNode[], options: InlineOptions): string {
  const segments: Segment[] = nodes.map((node) => {
    if (node.type !== "text") return { node, marks: [], code: false };
    const marks = marksOf(node);
    const seen = new Set<string>();
    const expressible = marks
      .filter((mark) => MARK_ORDER.includes(mark.type))
      .filter((mark) => (mark.type === "link" ? Boolean(stringAttr(mark, "href")) : true))
      .filter((mark) => {
        const key = markKey(mark);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    return { node, marks: expressible, code: marks.some((mark) => mark.type === "code") };
  });
  return renderRun(segments, options);
}

/**
 * Nests marks by how far they reach: at each position the mark covering the longest run of following
 * segments is opened first (outermost), so a mark spanning differently formatted text is written once
 * (`*a **b** c*`), never closed and reopened around its neighbours.
 */
function renderRun(segments: readonly Segment[], options: InlineOptions): string {
  let out = "";
  let index = 0;
  while (index < segments.length) {
    const segment = segments[index] as Segment;
    if (segment.marks.length === 0) {
      out += renderSegment(segment, options);
      index += 1;
      continue;
    }
    let best: { mark: AdfMark; end: number } | undefined;
    for (const mark of [...segment.marks].sort(
      (a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type),
    )) {
      const key = markKey(mark);
      let end = index + 1;
      while (end < segments.length && segments[end]?.marks.some((other) => markKey(other) === key)) end += 1;
      if (!best || end > best.end) best = { mark, end };
    }
    const { mark, end } = best as { mark: AdfMark; end: number };
    const key = markKey(mark);
    const inner = segments
      .slice(index, end)
      .map((entry) => ({ ...entry, marks: entry.marks.filter((other) => markKey(other) !== key) }));
    out += wrapMark(mark, inner, options);
    index = end;
  }
  return out;
}

function wrapMark(mark: AdfMark, inner: readonly Segment[], options: InlineOptions): string {
  if (mark.type === "link") {
    const href = stringAttr(mark, "href") ?? "";
    const only = inner.length === 1 ? inner[0] : undefined;
    if (only && only.marks.length === 0 && !only.code && only.node.text === href && /^\S+$/.test(href)) {
      return `<${href.replace(/[<>]/g, encodeURIComponent)}>`;
    }
  }
  const text = renderRun(inner, options);
  // Delimiters next to whitespace do not count as emphasis: keep the whitespace outside them.
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) as RegExpExecArray;
  const [, lead = "", body = "", trail = ""] = match;
  if (body === "") return text;
  switch (mark.type) {
    case "strong":
      return `${lead}**${body}**${trail}`;
    case "em":
      return `${lead}*${body}*${trail}`;
    case "strike":
      return `${lead}~~${body}~~${trail}`;
    case "link":
      return `${lead}[${body}](${formatHref(stringAttr(mark, "href") ?? "")})${trail}`;
    default:
      return text;
  }
}

function formatHref(href: string): string {
  if (!/[\s()<>]/.test(href)) return href;
  if (!/[<>\n]/.test(href)) return `<${href}>`;
  return href.replace(/[\s()<>]/g, (character) => encodeURIComponent(character));
}

function renderSegment(segment: Segment, options: InlineOptions): string {
  const { node } = segment;
  switch (node.type) {
    case "text": {
      const text = node.text ?? "";
      if (text === "") return "";
      if (segment.code) return codeSpan(text);
      const escaped = escapeText(text);
      return options.singleLine ? escaped.replace(/\n/g, " ") : escaped;
    }
    case "hardBreak":
      return options.singleLine ? " " : "\n";
    case "mention": {
      const id = stringAttr(node, "id") ?? "";
      const name = (stringAttr(node, "text") ?? "").replace(/^@/, "") || id || "someone";
      return id ? `@[${name.replace(/[\\\]]/g, "\\$&")}](${id})` : `@${escapeText(name)}`;
    }
    case "emoji":
      return stringAttr(node, "text") ?? stringAttr(node, "shortName") ?? "";
    case "date": {
      const timestamp = numberAttr(node, "timestamp");
      if (timestamp === undefined) return "";
      const date = new Date(timestamp);
      return Number.isNaN(date.getTime()) ? "" : date.toISOString().slice(0, 10);
    }
    case "status": {
      const text = stringAttr(node, "text");
      return text ? `[${escapeText(text)}]` : "";
    }
    case "inlineCard": {
      const url = stringAttr(node, "url");
      return url ? `<${url}>` : "";
    }
    case "mediaInline":
      return mediaNote(node);
    case "placeholder":
      return escapeText(stringAttr(node, "text") ?? "");
    default: {
      const children = childrenOf(node);
      if (children.length > 0) return renderInline(children, options);
      return escapeText(node.text ?? stringAttr(node, "text") ?? "");
    }
  }
}

function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, " ");
  const longest = Math.max(0, ...Array.from(flat.matchAll(/`+/g), (match) => match[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || /^ .*[^ ].* $/.test(flat) ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

const ALNUM = /[\p{L}\p{N}]/u;

/**
 * Escapes text so markdown reads it back as the same text: emphasis, code, link, strike and table
 * characters always, `_` unless inside a word, `<` and `&` where they would start HTML or an entity.
 */
export function escapeText(text: string): string {
  let out = "";
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] as string;
    const next = text[index + 1] ?? "";
    switch (character) {
      case "\\":
      case "`":
      case "*":
      case "~":
      case "[":
      case "]":
      case "|":
        out += `\\${character}`;
        break;
      case "_": {
        const previous = text[index - 1] ?? "";
        out += ALNUM.test(previous) && ALNUM.test(next) ? "_" : "\\_";
        break;
      }
      case "<":
        out += /[A-Za-z/!?]/.test(next) ? "\\<" : "<";
        break;
      case "&":
        out += /^&#?[A-Za-z0-9]+;/.test(text.slice(index)) ? "\\&" : "&";
        break;
      default:
        out += character;
    }
  }
  return out;
}

/** A line of paragraph text must not start a heading, quote, list, rule or setext underline. */
function escapeLineStart(line: string): string {
  if (/^#{1,6}(\s|$)/.test(line)) return `\\${line}`;
  if (/^>/.test(line)) return `\\${line}`;
  if (/^[-+*](\s|$)/.test(line)) return `\\${line}`;
  if (/^(=+|-+)\s*$/.test(line)) return `\\${line}`;
  const ordered = /^(\d{1,9})([.)])(\s|$)/.exec(line);
  if (ordered) return `${ordered[1]}\\${line.slice((ordered[1] as string).length)}`;
  return line;
}

function plainText(nodes: readonly AdfNode[]): string {
  return nodes
    .map((node) => (node.type === "hardBreak" ? "\n" : (node.text ?? plainText(childrenOf(node)))))
    .join("");
}

/** The first line after `marker`, the following lines indented to line up under the content. */
function hang(marker: string, body: string): string {
  const pad = " ".repeat(marker.length);
  return body
    .split("\n")
    .map((line, index) => (index === 0 ? `${marker}${line}` : line === "" ? "" : `${pad}${line}`))
    .join("\n")
    .trimEnd();
}

function indent(text: string, pad: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? "" : `${pad}${line}`))
    .join("\n");
}

function quote(text: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
}
