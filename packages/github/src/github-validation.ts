import { z } from "zod";

/**
 * Input refinements. Every identifier that ends up in a URL path is checked against GitHub's own naming
 * rules first, so a model cannot smuggle `../`, query strings or other repositories into a request.
 */

/** Users and organisations: 1-39 alphanumerics or single hyphens, not at either end. */
export const ownerName = z
  .string()
  .min(1)
  .max(39)
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*$/, "not a GitHub user or organisation name");

/** A user login (assignees); the same rules as owners, plus the `[bot]` suffix of App users. */
export const loginName = z
  .string()
  .min(1)
  .max(45)
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*(?:\[bot\])?$/, "not a GitHub login");

/** Repository names: 1-100 characters of letters, digits, `.`, `_`, `-`; never `.` or `..`. */
export const repoName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, "not a GitHub repository name")
  .refine((name) => name !== "." && name !== "..", "not a GitHub repository name");

/** Issue and pull request numbers. */
export const issueNumber = z.number().int().positive().max(2_147_483_647);

/**
 * A path inside a repository, relative to its root. Refuses anything that could step outside it or change
 * the URL (`..`, a leading `/`, backslashes, NUL and other control characters, encoded dots); removes `.`
 * segments, doubled and trailing slashes.
 */
export const repoPath = z
  .string()
  .max(1024)
  .superRefine((path, context) => {
    const problem = pathProblem(path);
    if (problem) context.addIssue({ code: "custom", message: problem });
  })
  .transform((path) =>
    path
      .split("/")
      .filter((segment) => segment !== "" && segment !== ".")
      .join("/"),
  );

function pathProblem(path: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(path))
    return "control characters (NUL, newlines) are not allowed in a path";
  if (path.includes("\\")) return "use / as the path separator; backslashes are not allowed";
  if (path.startsWith("/")) return "give the path relative to the repository root, without a leading /";
  for (const segment of path.split("/")) {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // Not percent-encoded: take it literally.
    }
    if (segment === ".." || decoded === ".." || decoded.includes("/") || decoded.includes("\\")) {
      return "the path must not leave the repository (no .. segments)";
    }
  }
  return undefined;
}

/** A branch, tag or commit SHA, by git's ref-name rules (no spaces, `..`, `~^:?*[\`, or a leading `-`). */
export const gitRef = z
  .string()
  .min(1)
  .max(255)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  .regex(/^[^\s~^:?*[\\\u0000-\u001f\u007f]+$/, "not a valid branch, tag or commit SHA")
  .refine(
    (ref) => !ref.includes("..") && !ref.startsWith("-") && !ref.startsWith("/") && !ref.endsWith("/"),
    {
      message: "not a valid branch, tag or commit SHA",
    },
  );

/** A label name (GitHub caps them at 50 characters). */
export const labelName = z.string().min(1).max(50);

/** ISO 8601 timestamp, as GitHub's `since`/`until` parameters take. */
export const isoTimestamp = z.iso.datetime({ offset: true });

/** The `owner` and `repo` pair most tools start with (self-explanatory: no descriptions to pay for). */
export const repoShape = {
  owner: ownerName,
  repo: repoName,
};

/** A pull request head: `branch`, or `owner:branch` for a branch in a fork. */
export const headRef = z
  .string()
  .min(1)
  .max(300)
  .refine((value) => {
    const colon = value.indexOf(":");
    if (colon === -1) return gitRef.safeParse(value).success;
    return (
      ownerName.safeParse(value.slice(0, colon)).success && gitRef.safeParse(value.slice(colon + 1)).success
    );
  }, "not a branch or owner:branch");
