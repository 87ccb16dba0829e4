import { describe, expect, it } from "vitest";
import type { AdfNode } from "../src/jira-adf.js";
import { adfToMarkdown } from "../src/jira-adf-to-markdown.js";
import { markdownToAdf } from "../src/jira-markdown-to-adf.js";
import { fixture } from "./helpers.js";

/** Every node of a tree, depth first. */
function walk(node: AdfNode, visit: (node: AdfNode, parent: AdfNode | undefined) => void, parent?: AdfNode) {
  visit(node, parent);
  for (const child of node.content ?? []) walk(child, visit, node);
}

/** Drops what differs between two conversions of the same content (random local ids, table layout). */
function normalize(node: AdfNode): unknown {
  const { attrs, content, version: _version, ...rest } = node as AdfNode & { version?: number };
  const kept = attrs
    ? Object.fromEntries(
        Object.entries(attrs).filter(
          ([key, value]) =>
            !["localId", "layout", "isNumberColumnEnabled", "accessLevel"].includes(key) &&
            !(key === "order" && value === 1),
        ),
      )
    : undefined;
  return {
    ...rest,
    ...(kept && Object.keys(kept).length > 0 ? { attrs: kept } : {}),
    ...(content ? { content: content.map(normalize) } : {}),
  };
}

/** What Jira's ADF validation enforces and the converter promises. */
function expectValidAdf(document: AdfNode) {
  walk(document, (node, parent) => {
    if (node.type === "text") {
      expect(node.text, "empty text node").not.toBe("");
      const marks = (node.marks ?? []).map((mark) => mark.type);
      if (marks.includes("code"))
        expect(marks.filter((mark) => mark !== "code" && mark !== "link")).toEqual([]);
    }
    if (node.type === "listItem") expect(["paragraph", "codeBlock"]).toContain(node.content?.[0]?.type);
    if (node.type === "codeBlock")
      for (const child of node.content ?? []) expect(child.marks).toBeUndefined();
    if (parent?.type === "blockquote") expect(["blockquote", "heading", "table"]).not.toContain(node.type);
    if (parent?.type === "listItem") expect(["blockquote", "heading", "table"]).not.toContain(node.type);
    if (node.type === "tableCell" || node.type === "tableHeader")
      expect(node.content?.length).toBeGreaterThan(0);
    if (node.type === "mention") expect(node.attrs?.id).toMatch(/^[A-Za-z0-9:_-]+$/);
  });
}

describe("ADF -> markdown", () => {
  const examples = fixture("adf/atlassian-doc-examples") as {
    name: string;
    adf: AdfNode;
    markdown: string;
  }[];
  it.each(examples.map((example) => [example.name, example] as const))(
    "renders Atlassian's documented %s example",
    (_name, example) => {
      expect(adfToMarkdown(example.adf)).toBe(example.markdown);
    },
  );

  it("renders a real-shaped bug report: every supported node, and the rest degraded to text", () => {
    expect(adfToMarkdown(fixture("adf/bug-report"))).toBe(
      [
        "## Summary",
        "",
        "Exporting invoices as CSV fails for accounts with **more than 10,000** line items. Reported by @[Jane Doe](5b10ac8d82e05b22cc7d4ef5) ⚠️",
        "",
        "### Steps to reproduce",
        "",
        "1. Open *Billing → Invoices*",
        "2. Click **Export** and choose:",
        "   - format `csv`",
        "   - range: last 12 months",
        "3. Wait for the download",
        "",
        "**Expected:** a file.",
        "**Actual:** HTTP 502 after 30 s, see [the runbook](https://wiki.acme.example/runbooks/export) and <https://acme.atlassian.net/browse/OPS-12>.",
        "",
        "```python",
        "Traceback (most recent call last):",
        '  File "export.py", line 88, in write_rows',
        "    writer.writerows(rows)",
        "MemoryError",
        "```",
        "",
        "> **Warning:**",
        ">",
        "> Customers on the ***Enterprise*** plan are affected.",
        "",
        "| **Account** | **Line items** |",
        "| --- | --- |",
        "| acme-eu | 12 408 |",
        "| total \\| all regions |   |",
        "",
        "- [x] Reproduce on staging",
        "- [ ] Stream rows instead of buffering",
        "",
        "**Server logs**",
        "",
        "worker-7 OOM-killed at 14:02 UTC [INVESTIGATING] since 2026-03-06",
        "",
        "---",
        "",
        "> *It worked last week.*",
        "",
        "[attachment: export-error.png]",
        "",
        "Unknown node text survives",
      ].join("\n"),
    );
  });

  it("escapes text that would otherwise read as markdown", () => {
    const paragraph = (text: string): AdfNode => ({
      type: "doc",
      content: [{ type: "paragraph", content: [{ type: "text", text }] }],
    });
    expect(adfToMarkdown(paragraph("# not a heading"))).toBe("\\# not a heading");
    expect(adfToMarkdown(paragraph("- not a list"))).toBe("\\- not a list");
    expect(adfToMarkdown(paragraph("1. not a list"))).toBe("1\\. not a list");
    expect(adfToMarkdown(paragraph("> not a quote"))).toBe("\\> not a quote");
    expect(adfToMarkdown(paragraph("*a* _b_ `c` ~d~ [e](f) a|b <div> &amp;"))).toBe(
      "\\*a\\* \\_b\\_ \\`c\\` \\~d\\~ \\[e\\](f) a\\|b \\<div> \\&amp;",
    );
    expect(adfToMarkdown(paragraph("snake_case stays readable"))).toBe("snake_case stays readable");
    expect(adfToMarkdown(paragraph("@[not](a-mention)"))).toBe("@\\[not\\](a-mention)");
  });

  it("nests marks by their reach and keeps whitespace outside delimiters", () => {
    const doc: AdfNode = {
      type: "doc",
      content: [
        {
          type: "paragraph",
          content: [
            { type: "text", text: "all ", marks: [{ type: "em" }] },
            { type: "text", text: "bold", marks: [{ type: "em" }, { type: "strong" }] },
            { type: "text", text: " end", marks: [{ type: "em" }] },
            { type: "text", text: " plain " },
            {
              type: "text",
              text: "x()",
              marks: [{ type: "code" }, { type: "link", attrs: { href: "https://x.example/a b" } }],
            },
          ],
        },
      ],
    };
    const markdown = adfToMarkdown(doc);
    expect(markdown).toBe("*all **bold** end* plain [`x()`](<https://x.example/a b>)");
    expect(normalize(markdownToAdf(markdown) as AdfNode)).toEqual(normalize(doc));
    const spaced: AdfNode = {
      type: "doc",
      content: [
        {
          type: "paragraph",
          content: [
            { type: "text", text: " padded ", marks: [{ type: "strong" }] },
            { type: "text", text: "x" },
          ],
        },
      ],
    };
    expect(adfToMarkdown(spaced)).toBe("**padded** x");
  });

  it("keeps two lists of the same kind apart by switching the marker", () => {
    const list = (type: string, text: string): AdfNode => ({
      type,
      content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text }] }] }],
    });
    const doc: AdfNode = {
      type: "doc",
      content: [
        list("bulletList", "a"),
        list("bulletList", "b"),
        list("orderedList", "c"),
        list("orderedList", "d"),
      ],
    };
    const markdown = adfToMarkdown(doc);
    expect(markdown).toBe("- a\n\n* b\n\n1. c\n\n1) d");
    expect(normalize(markdownToAdf(markdown) as AdfNode)).toEqual(normalize(doc));
  });

  it("survives malformed and hostile documents", () => {
    expect(adfToMarkdown(null)).toBe("");
    expect(adfToMarkdown(42)).toBe("");
    expect(adfToMarkdown("plain v2 text")).toBe("plain v2 text");
    expect(adfToMarkdown({ type: "doc", content: [null, 3, { type: "paragraph", content: "nope" }] })).toBe(
      "",
    );
    let deep: AdfNode = { type: "paragraph", content: [{ type: "text", text: "bottom" }] };
    for (let index = 0; index < 5000; index += 1) deep = { type: "blockquote", content: [deep] };
    expect(() => adfToMarkdown({ type: "doc", content: [deep] })).not.toThrow();
    expect(adfToMarkdown({ type: "doc", content: [deep] })).toContain("[content nested too deeply]");
  });

  it("chooses a longer fence when the code contains one", () => {
    const doc: AdfNode = {
      type: "doc",
      content: [
        {
          type: "codeBlock",
          attrs: { language: "markdown" },
          content: [{ type: "text", text: "```js\nx\n```" }],
        },
      ],
    };
    const markdown = adfToMarkdown(doc);
    expect(markdown).toBe("````markdown\n```js\nx\n```\n````");
    expect(normalize(markdownToAdf(markdown) as AdfNode)).toEqual(normalize(doc));
  });
});

describe("markdown -> ADF", () => {
  it("builds the documented node shapes", () => {
    const doc = markdownToAdf(
      [
        "# Title",
        "",
        "Hello **bold** *em* ~~gone~~ `code` [link](https://example.com) @[Jane Doe](557058:f58131cb-b67d-43c7-b30d-6b58d40bd077)",
        "next line",
        "",
        "3. three",
        "4. four",
        "",
        "```ts",
        "const a = 1;",
        "```",
        "",
        "| a | b |",
        "| --- | --- |",
        "| 1 | 2 |",
      ].join("\n"),
    );
    expect(doc.version).toBe(1);
    expect(doc.type).toBe("doc");
    const [heading, paragraph, list, code, table] = doc.content;
    expect(heading).toEqual({
      type: "heading",
      attrs: { level: 1 },
      content: [{ type: "text", text: "Title" }],
    });
    expect(paragraph?.content).toEqual([
      { type: "text", text: "Hello " },
      { type: "text", text: "bold", marks: [{ type: "strong" }] },
      { type: "text", text: " " },
      { type: "text", text: "em", marks: [{ type: "em" }] },
      { type: "text", text: " " },
      { type: "text", text: "gone", marks: [{ type: "strike" }] },
      { type: "text", text: " " },
      { type: "text", text: "code", marks: [{ type: "code" }] },
      { type: "text", text: " " },
      { type: "text", text: "link", marks: [{ type: "link", attrs: { href: "https://example.com" } }] },
      { type: "text", text: " " },
      {
        type: "mention",
        attrs: { id: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", text: "@Jane Doe", accessLevel: "" },
      },
      { type: "hardBreak" },
      { type: "text", text: "next line" },
    ]);
    expect(list).toMatchObject({ type: "orderedList", attrs: { order: 3 } });
    expect(code).toEqual({
      type: "codeBlock",
      attrs: { language: "ts" },
      content: [{ type: "text", text: "const a = 1;" }],
    });
    expect(table?.content?.[0]?.content?.[0]?.type).toBe("tableHeader");
    expect(table?.content?.[1]?.content?.[0]?.type).toBe("tableCell");
  });

  it("stays within what Jira's ADF validation accepts", () => {
    const doc = markdownToAdf(
      [
        "> # heading in a quote",
        "> > nested quote",
        "",
        "- - list in a list",
        "- item with a quote:",
        "",
        "  > quoted",
        "  # heading in an item",
        "",
        "**bold `code` inside**",
        "",
        "[js](javascript:alert(1)) [data](data:text/html,x) <b>raw html</b>",
        "",
        "|  | empty |",
        "| --- | --- |",
        "",
        "![diagram](https://example.com/d.png)",
        "",
        "Entities: &copy; &amp; &#x41; &#66;",
      ].join("\n"),
    );
    expectValidAdf(doc as AdfNode);
    const text = JSON.stringify(doc);
    expect(text).not.toContain("javascript:");
    expect(text).not.toContain('"href":"data:');
    expect(text).toContain("<b>raw html</b>");
    expect(text).toContain('"text":"Entities: &copy; & A B"');
    expect(text).toContain('"href":"https://example.com/d.png"');
  });

  it("turns an empty string into an empty document", () => {
    expect(markdownToAdf("")).toEqual({ version: 1, type: "doc", content: [] });
    expect(markdownToAdf("\n\n  \n")).toEqual({ version: 1, type: "doc", content: [] });
  });

  it("makes task lists with local ids, and keeps a stray checkbox visible in a normal list", () => {
    const doc = markdownToAdf("- [ ] open\n- [x] done\n  - [ ] nested");
    const list = doc.content[0] as AdfNode;
    expect(list.type).toBe("taskList");
    expect(list.content?.map((item) => [item.type, item.attrs?.state])).toEqual([
      ["taskItem", "TODO"],
      ["taskItem", "DONE"],
      ["taskList", undefined],
    ]);
    expect(list.attrs?.localId).toMatch(/^[0-9a-f-]{36}$/);
    const mixed = markdownToAdf("- [x] done\n- plain");
    expect(mixed.content[0]?.type).toBe("bulletList");
    expect(JSON.stringify(mixed)).toContain('"text":"[x] done"');
  });
});

describe("round trips", () => {
  // Markdown as adfToMarkdown writes it: converting to ADF and back must give the same text.
  const canonical: Record<string, string> = {
    "headings and paragraphs": "# One\n\n## Two\n\n###### Six\n\nA paragraph.\nWith a hard break.",
    marks:
      "Plain **bold** *em* ~~strike~~ `code` ***both*** **bold with *em* inside** and [a link](https://example.com/x?y=1)",
    "code spans with backticks": "Use ``a ` b`` and `` `edge` `` here",
    "autolinks and odd hrefs": "<https://example.com> and [docs](<https://example.com/a (b)>)",
    mentions:
      "@[Jane Doe](5b10ac8d82e05b22cc7d4ef5) and @[Team \\] lead](557058:f58131cb-b67d-43c7-b30d-6b58d40bd077)",
    escapes:
      "\\*not em\\* \\`not code\\` \\[not a link\\](x) a\\|b # and snake_case and \\_under\\_ and 5 < 6",
    "line starts": "\\# hash\n\\- dash\n1\\. one\n\\> gt\n\\+ plus",
    "nested lists":
      "1. first\n2. second\n   - bullet\n     1. deep\n     2. deeper\n   - bullet two\n3. third\n\n5) starts at five\n6) six",
    "list item with a code block": "- item\n\n  ```sh\n  make test\n  ```\n- next",
    "task lists": "- [ ] open\n- [x] done\n  - [ ] nested",
    "code block": "```typescript\nconst x: number = 1;\n```\n\n```\nno language\n```",
    quote: "> quoted **text**\n>\n> - a list\n> - in a quote",
    rule: "above\n\n---\n\nbelow",
    table: "| Name | Value |\n| --- | --- |\n| a | b<br>c |\n| **d** | `e` |",
  };
  it.each(Object.entries(canonical))("md -> ADF -> md is stable: %s", (_name, markdown) => {
    const adf = markdownToAdf(markdown);
    expectValidAdf(adf as AdfNode);
    expect(adfToMarkdown(adf)).toBe(markdown);
  });

  it("ADF -> md -> ADF keeps the structure of the supported subset", () => {
    const doc = fixture("adf/bug-report") as AdfNode;
    // The supported subset of the report: everything but the panel, expand, status, date, media and unknown node.
    const supported = (doc.content ?? []).filter((node) =>
      ["heading", "paragraph", "orderedList", "codeBlock", "taskList", "rule", "blockquote"].includes(
        node.type,
      ),
    );
    const subset: AdfNode = { type: "doc", content: supported };
    const back = markdownToAdf(adfToMarkdown(subset)) as AdfNode;
    // inlineCard and emoji come back as their text and a link: compare the rest exactly.
    const simplify = (node: AdfNode): AdfNode =>
      ({
        ...node,
        content: node.content
          ?.map((child) =>
            child.type === "inlineCard"
              ? {
                  type: "text",
                  text: child.attrs?.url as string,
                  marks: [{ type: "link", attrs: { href: child.attrs?.url } }],
                }
              : child.type === "emoji"
                ? { type: "text", text: child.attrs?.text as string }
                : simplify(child),
          )
          .reduce<AdfNode[]>((merged, child) => {
            const previous = merged.at(-1);
            if (previous?.type === "text" && child.type === "text" && !previous.marks && !child.marks) {
              merged[merged.length - 1] = { ...previous, text: `${previous.text}${child.text}` };
            } else merged.push(child);
            return merged;
          }, []),
      }) as AdfNode;
    expect(normalize(back)).toEqual(normalize(simplify(subset)));
  });

  it("reaches a fixed point after one pass for markdown in other styles", () => {
    const messy = [
      "Setext heading",
      "==============",
      "",
      "* star bullets",
      "+ plus bullets",
      "",
      "__underscore bold__ and _underscore em_ and ~single~ strike",
      "",
      "1) paren list",
      "",
      "    indented code",
      "",
      "https://bare.example/link and trailing spaces  ",
      "hard",
      "",
      "***",
      "",
      "Term with a [ref link][r]",
      "",
      "[r]: https://example.com/ref",
    ].join("\n");
    const once = adfToMarkdown(markdownToAdf(messy));
    expect(adfToMarkdown(markdownToAdf(once))).toBe(once);
    expect(once).toContain("# Setext heading");
    expect(once).toContain("**underscore bold** and *underscore em* and ~~single~~ strike");
    expect(once).toContain("[ref link](https://example.com/ref)");
  });
});
