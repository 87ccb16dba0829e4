import { markUntrusted, READ_ANNOTATIONS, sanitizeUntrustedText } from "@switchyard/core";
import { z } from "zod";
import { contentSchema, type WireContentFile } from "../github-api.js";
import { githubRequest } from "../github-client.js";
import { defineGithubTool } from "../github-tool.js";
import { gitRef, repoPath, repoShape } from "../github-validation.js";

/** Bytes of a file returned; the output budget may shorten it further (and says so with `truncated`). */
export const MAX_FILE_BYTES = 100 * 1024;
const MAX_DIRECTORY_ENTRIES = 300;
/** git's own heuristic: a NUL byte early in the file means binary. */
const BINARY_SNIFF_BYTES = 8000;

const entry = z.object({
  name: z.string(),
  path: z.string(),
  type: z.string().describe("file, dir, symlink or submodule"),
  size: z.number().int(),
});

const output = z.object({
  type: z.enum(["file", "dir", "symlink", "submodule"]),
  path: z.string(),
  sha: z.string().nullable(),
  size: z.number().int().nullable().describe("File size in bytes."),
  url: z.string().nullable(),
  content: z
    .string()
    .nullable()
    .describe("File text (untrusted; HTML comments and invisible characters removed); null for binary."),
  contentTruncated: z
    .boolean()
    .optional()
    .describe("The file was longer than 100 KB; only its start is shown."),
  binary: z.boolean().optional(),
  target: z.string().optional().describe("Symlink target or submodule URL."),
  entries: z.array(entry).optional().describe("Directory listing."),
  entriesNotShown: z.number().int().optional(),
  note: z.string().optional(),
});
type Output = z.infer<typeof output>;

export const githubGetFileContents = defineGithubTool({
  name: "github_get_file_contents",
  title: "Get file contents",
  description:
    "Read a text file (first 100 KB) or list a directory, at a branch, tag or SHA (default branch if omitted). Binary files are reported, not returned.",
  input: z.object({
    ...repoShape,
    path: repoPath.default("").describe("From the repository root; empty for the root."),
    ref: gitRef.optional().describe("Branch, tag or commit SHA."),
  }),
  output,
  annotations: READ_ANNOTATIONS,
  async execute(input, ctx) {
    ctx.client.allowlist.assertRepo(input.owner, input.repo);
    // Each segment is encoded on its own: `/` separates, anything else (`?`, `#`, `%`) is part of a name.
    const encodedPath = input.path
      .split("/")
      .filter((segment) => segment.length > 0)
      .map(encodeURIComponent)
      .join("/");
    const response = await githubRequest(
      ctx,
      `GET /repos/{owner}/{repo}/contents${encodedPath ? `/${encodedPath}` : ""}`,
      { owner: input.owner, repo: input.repo, ref: input.ref },
      contentSchema,
    );
    const data = response.data;
    if (Array.isArray(data)) {
      return {
        type: "dir",
        path: input.path,
        sha: null,
        size: null,
        url: null,
        content: null,
        entries: data.slice(0, MAX_DIRECTORY_ENTRIES).map((item) => ({
          name: sanitizeUntrustedText(item.name),
          path: sanitizeUntrustedText(item.path),
          type: item.type,
          size: item.size,
        })),
        ...(data.length > MAX_DIRECTORY_ENTRIES
          ? { entriesNotShown: data.length - MAX_DIRECTORY_ENTRIES }
          : {}),
      } satisfies Output;
    }
    return fileOutput(data);
  },
});

function fileOutput(file: WireContentFile): Output {
  const common = {
    path: file.path,
    sha: file.sha,
    size: file.size,
    url: file.html_url ?? null,
  };
  if (file.type === "symlink")
    return { type: "symlink", ...common, content: null, target: file.target ?? "" };
  if (file.type === "submodule") {
    return { type: "submodule", ...common, content: null, target: file.submodule_git_url ?? "" };
  }
  if (file.encoding !== "base64" || file.content === undefined) {
    // Files over 1 MB come back with encoding "none" and no content.
    return {
      type: "file",
      ...common,
      content: null,
      note: `The file is ${file.size} bytes, too large for GitHub's contents API; it is not shown.`,
    };
  }
  const bytes = Buffer.from(file.content, "base64");
  if (isBinary(bytes)) {
    return {
      type: "file",
      ...common,
      content: null,
      binary: true,
      note: `This is a binary file (${bytes.length} bytes); its content is not shown.`,
    };
  }
  const truncated = bytes.length > MAX_FILE_BYTES;
  // Decoding a cut buffer can end in half a character; drop the replacement character that leaves.
  const text = new TextDecoder("utf-8").decode(bytes.subarray(0, MAX_FILE_BYTES)).replace(/\uFFFD$/, "");
  return {
    type: "file",
    ...common,
    content: markUntrusted(text),
    ...(truncated
      ? {
          contentTruncated: true,
          note: `Only the first ${MAX_FILE_BYTES} of ${bytes.length} bytes are shown.`,
        }
      : {}),
  };
}

function isBinary(bytes: Buffer): boolean {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}
