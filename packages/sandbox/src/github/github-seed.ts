import { createHash } from "node:crypto";
import { pick, pickSome, type Random, randomInt, seededRandom } from "../shared/seeded-random.js";
import type {
  CheckRunRecord,
  CommitRecord,
  FileRecord,
  InstallationRecord,
  IssueRecord,
  LabelRecord,
  PullFileRecord,
  PullRecord,
  RepoRecord,
  ReviewRecord,
  StatusRecord,
  UserRecord,
} from "./github-model.js";
import { repoKey } from "./github-model.js";

/**
 * The deterministic starting data. Same seed, same data: ids, numbers, SHAs, timestamps and text.
 *
 * - org `acme` (members: sandbox-user, alice, bob) with `api` (275 issues and pull requests, 45 commits, a
 *   source tree with a binary, a symlink, a submodule and a file over 1 MB), `web`, and the private
 *   `secret-plans`;
 * - user `octo` with `hello-world` and the empty repository `empty`;
 * - users sandbox-user (what a plain sandbox token authenticates as), alice, bob, carol, outsider;
 * - GitHub App 1001 installed on `acme` as installation 42.
 */

export const SEED_EPOCH = Date.parse("2025-01-06T09:00:00Z");
export const SANDBOX_APP_ID = 1001;
export const SANDBOX_INSTALLATION_ID = 42;
export const DEFAULT_LOGIN = "sandbox-user";
export const OUTSIDER_LOGIN = "outsider";
/** Who issues and comments created with an installation token are by. */
export const APP_BOT_LOGIN = "sandbox-app[bot]";
export const API_ISSUE_COUNT = 275;

const HOUR = 3600_000;

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
export const sha1 = (text: string | Buffer) => createHash("sha1").update(text).digest("hex");
/** Git's blob id for file content. */
export const blobSha = (content: Buffer) =>
  sha1(Buffer.concat([Buffer.from(`blob ${content.length}\u0000`), content]));

/** Monotonic id sources, one per kind, so ids never collide inside a kind. */
export class IdSource {
  #next: Record<string, number> = {};
  next(kind: string, start: number): number {
    const value = this.#next[kind] ?? start;
    this.#next[kind] = value + 1;
    return value;
  }
}

export interface SeededGithub {
  readonly users: Map<string, UserRecord>;
  readonly repos: Map<string, RepoRecord>;
  readonly installations: Map<number, InstallationRecord>;
  /** Continues numbering records created later (issues, comments, ...). */
  readonly ids: IdSource;
}

const LABELS: readonly [string, string, string][] = [
  ["bug", "d73a4a", "Something isn't working"],
  ["enhancement", "a2eeef", "New feature or request"],
  ["documentation", "0075ca", "Improvements or additions to documentation"],
  ["good first issue", "7057ff", "Good for newcomers"],
  ["priority: high", "b60205", "Needs attention soon"],
  ["question", "d876e3", "Further information is requested"],
];

const SUBJECTS = [
  "login flow",
  "webhook delivery",
  "pagination",
  "rate limiter",
  "config parser",
  "search endpoint",
  "CLI output",
  "token refresh",
  "cache layer",
  "error messages",
  "metrics export",
  "docs site",
];
const TEMPLATES = [
  "Fix crash in {s}",
  "Add retries to {s}",
  "{S} is slow on large repositories",
  "Flaky test in {s}",
  "Improve {s} documentation",
  "Support GitHub Enterprise Server in {s}",
  "Timeout when calling {s}",
  "Refactor {s}",
  "{S} returns a 500 for empty input",
  "Deprecate the old {s}",
];
const COMMIT_MESSAGES = [
  "Fix off-by-one in {s}",
  "Add tests for {s}",
  "Bump dependencies",
  "Refactor {s}",
  "Document {s}",
  "Handle timeouts in {s}",
  "Tidy up {s}",
];
const COMMENT_TEXTS = [
  "I can reproduce this on the latest main.",
  "Could you share the full error message?",
  "This looks related to the rate limiter changes.",
  "Fixed in the next release, thanks for the report!",
  "+1, we see this in production too.",
  "Would a retry with backoff help here?",
];

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const fill = (template: string, subject: string) =>
  template.replace("{s}", subject).replace("{S}", capitalize(subject));
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 30);

const text = (value: string) => Buffer.from(value, "utf8");

function user(
  ids: IdSource,
  login: string,
  type: UserRecord["type"],
  name: string,
  members: string[] = [],
): UserRecord {
  return {
    id: ids.next("user", 1001),
    login,
    type,
    name,
    email: type === "User" ? `${login}@users.sandbox.example` : null,
    members,
    createdAt: iso(SEED_EPOCH - 400 * 24 * HOUR),
  };
}

interface RepoInit {
  readonly owner: string;
  readonly name: string;
  readonly private: boolean;
  readonly description: string;
  readonly language: string | null;
  readonly topics?: readonly string[];
  readonly stargazers?: number;
  readonly forks?: number;
  readonly collaborators?: readonly string[];
  readonly createdAt: number;
}

function emptyRepo(ids: IdSource, init: RepoInit): RepoRecord {
  const labels = new Map<string, LabelRecord>();
  for (const [name, color, description] of LABELS) {
    labels.set(name.toLowerCase(), { id: ids.next("label", 700_001), name, color, description });
  }
  return {
    id: ids.next("repo", 500_001),
    owner: init.owner,
    name: init.name,
    private: init.private,
    description: init.description,
    language: init.language,
    topics: init.topics ?? [],
    defaultBranch: "main",
    createdAt: iso(init.createdAt),
    updatedAt: iso(init.createdAt),
    pushedAt: null,
    stargazers: init.stargazers ?? 0,
    forks: init.forks ?? 0,
    archived: false,
    fork: false,
    hasIssues: true,
    license: { key: "mit", name: "MIT License", spdxId: "MIT" },
    collaborators: init.collaborators ?? [],
    labels,
    milestones: new Map([
      [1, { id: ids.next("milestone", 800_001), number: 1, title: "v1.0", state: "open" as const }],
      [2, { id: ids.next("milestone", 800_001), number: 2, title: "v0.9", state: "closed" as const }],
    ]),
    issues: new Map(),
    nextNumber: 1,
    files: new Map(),
    commits: new Map(),
    branches: new Map(),
    statuses: new Map(),
    checkRuns: new Map(),
  };
}

function addFile(
  repo: RepoRecord,
  path: string,
  content: Buffer | string,
  extra: Partial<FileRecord> = {},
): void {
  repo.files.set(path, {
    type: "file",
    path,
    content: typeof content === "string" ? text(content) : content,
    ...extra,
  });
}

interface HistoryOptions {
  readonly count: number;
  readonly authors: readonly string[];
  readonly start: number;
  readonly stepHours: number;
}

/** A linear history on `main`, oldest first; returns the tip. */
function addHistory(
  random: Random,
  repo: RepoRecord,
  users: Map<string, UserRecord>,
  options: HistoryOptions,
): string {
  const paths = [...repo.files.keys()];
  let parent: string | undefined;
  for (let i = 0; i < options.count; i++) {
    const login = pick(random, options.authors);
    const author = users.get(login);
    const message = i === 0 ? "Initial commit" : fill(pick(random, COMMIT_MESSAGES), pick(random, SUBJECTS));
    const touched = i === 0 ? paths : pickSome(random, paths, 2);
    const commit: CommitRecord = {
      sha: sha1(`${repo.owner}/${repo.name}:commit:${i}`),
      message:
        i % 5 === 4 ? `${message}\n\nCloses a long-standing report; see the issue for details.` : message,
      authorLogin: login,
      authorName: author?.name ?? login,
      authorEmail: author?.email ?? `${login}@users.sandbox.example`,
      date: iso(options.start + i * options.stepHours * HOUR),
      parents: parent ? [parent] : [],
      files: touched.length > 0 ? touched : paths.slice(0, 1),
    };
    repo.commits.set(commit.sha, commit);
    parent = commit.sha;
  }
  if (!parent) throw new Error("addHistory needs count >= 1");
  repo.branches.set(repo.defaultBranch, parent);
  repo.pushedAt = repo.commits.get(parent)?.date ?? null;
  return parent;
}

function addChecks(ids: IdSource, random: Random, repo: RepoRecord, sha: string, at: number): void {
  const roll = random();
  const state: StatusRecord["state"] = roll < 0.6 ? "success" : roll < 0.8 ? "failure" : "pending";
  repo.statuses.set(sha, [
    {
      id: ids.next("status", 3_000_001),
      context: "ci/build",
      state,
      description:
        state === "success" ? "Build passed" : state === "failure" ? "Build failed" : "Build running",
      targetUrl: `https://ci.sandbox.example/${repo.owner}/${repo.name}/${sha.slice(0, 7)}`,
      createdAt: iso(at),
    },
  ]);
  const runs: CheckRunRecord[] = ["test (node 20)", "lint"].map((name) => {
    const done = random() < 0.85;
    const conclusion: CheckRunRecord["conclusion"] = done ? (random() < 0.8 ? "success" : "failure") : null;
    return {
      id: ids.next("check", 4_000_001),
      name,
      status: done ? "completed" : "in_progress",
      conclusion,
      startedAt: iso(at),
      completedAt: done ? iso(at + 5 * 60_000) : null,
    };
  });
  repo.checkRuns.set(sha, runs);
}

interface IssuesOptions {
  readonly count: number;
  readonly pullEvery: number;
  readonly authors: readonly string[];
  readonly assignees: readonly string[];
  readonly start: number;
  readonly stepHours: number;
}

function addIssues(
  ids: IdSource,
  random: Random,
  repo: RepoRecord,
  users: Map<string, UserRecord>,
  options: IssuesOptions,
): void {
  const labelNames = [...repo.labels.values()].map((label) => label.name);
  const textPaths = [...repo.files.values()].filter((file) => file.type === "file").map((file) => file.path);
  const mainTip = repo.branches.get(repo.defaultBranch) ?? "";
  for (let number = 1; number <= options.count; number++) {
    const createdAt = options.start + number * options.stepHours * HOUR;
    const subject = pick(random, SUBJECTS);
    let title = fill(pick(random, TEMPLATES), subject);
    let body: string | null =
      `While working on the ${subject} we noticed a problem.\n\nSteps to reproduce:\n1. Configure the ${subject}\n2. Run the job\n3. Observe the failure`;
    let labels = pickSome(random, labelNames, 2);
    let closed = random() < 0.35;
    const isPull = number % options.pullEvery === 0;
    if (repo.name === "api" && number === 1) {
      title = "Login fails when the token has expired";
      body = "After the access token expires the CLI prints a stack trace instead of asking to log in again.";
      labels = ["bug", "priority: high"];
      closed = false;
    }
    if (random() < 0.1) body = null;
    const updatedAt = createdAt + randomInt(random, 1, 72) * HOUR;
    const closedAt = closed ? updatedAt : null;
    const author = pick(random, options.authors);
    const issue: IssueRecord = {
      id: ids.next("issue", 2_000_001),
      number,
      title,
      body,
      state: closed ? "closed" : "open",
      stateReason: closed ? (random() < 0.8 ? "completed" : "not_planned") : null,
      userLogin: author,
      labels,
      assignees: pickSome(random, options.assignees, 1),
      milestone: random() < 0.15 ? 1 : null,
      locked: false,
      comments: [],
      createdAt: iso(createdAt),
      updatedAt: iso(updatedAt),
      closedAt: closedAt === null ? null : iso(closedAt),
      closedBy: closed ? author : null,
      ...(isPull
        ? { pull: seedPull(ids, random, repo, users, number, title, createdAt, textPaths, mainTip, closed) }
        : {}),
    };
    const commentCount =
      repo.name === "api" && number === 1 ? 3 : random() < 0.3 ? randomInt(random, 1, 3) : 0;
    for (let c = 0; c < commentCount; c++) {
      const at = iso(createdAt + (c + 1) * HOUR);
      issue.comments.push({
        id: ids.next("comment", 9_000_001),
        userLogin: pick(random, options.authors),
        body: pick(random, COMMENT_TEXTS),
        createdAt: at,
        updatedAt: at,
      });
    }
    repo.issues.set(number, issue);
  }
  repo.nextNumber = options.count + 1;
  repo.updatedAt = iso(options.start + (options.count + 1) * options.stepHours * HOUR);
}

function seedPull(
  ids: IdSource,
  random: Random,
  repo: RepoRecord,
  users: Map<string, UserRecord>,
  number: number,
  title: string,
  createdAt: number,
  textPaths: readonly string[],
  mainTip: string,
  closed: boolean,
): PullRecord {
  const headRef = `feature/${number}-${slug(title)}`;
  const chosen = pickSome(random, textPaths, 3);
  const paths = chosen.length > 0 ? chosen : textPaths.slice(0, 1);
  const files: PullFileRecord[] = paths.map((filename) => ({
    filename,
    status: "modified",
    additions: randomInt(random, 1, 80),
    deletions: randomInt(random, 0, 40),
  }));
  if (random() < 0.3) {
    files.push({
      filename: `src/new-${number}.ts`,
      status: "added",
      additions: randomInt(random, 5, 60),
      deletions: 0,
    });
  }
  const author = users.get("alice");
  const headSha = sha1(`${repo.owner}/${repo.name}:pull:${number}`);
  repo.commits.set(headSha, {
    sha: headSha,
    message: title,
    authorLogin: author?.login ?? "alice",
    authorName: author?.name ?? "alice",
    authorEmail: author?.email ?? "alice@users.sandbox.example",
    date: iso(createdAt),
    parents: mainTip ? [mainTip] : [],
    files: files.map((file) => file.filename),
  });
  repo.branches.set(headRef, headSha);
  addChecks(ids, random, repo, headSha, createdAt + HOUR);
  const reviewers = ["bob", "carol", "sandbox-user"];
  const reviews: ReviewRecord[] = pickSome(random, reviewers, 2).map((login, index) => ({
    id: ids.next("review", 6_000_001),
    userLogin: login,
    state: pick(random, ["APPROVED", "CHANGES_REQUESTED", "COMMENTED"] as const),
    body: index === 0 ? "Looks good overall." : "",
    submittedAt: iso(createdAt + (index + 2) * HOUR),
    commitId: headSha,
  }));
  const merged = closed && random() < 0.6;
  const open = !closed;
  const mergeableRoll = random();
  return {
    id: ids.next("pull", 1_500_001),
    headOwner: repo.owner,
    headRef,
    headSha,
    baseRef: repo.defaultBranch,
    baseSha: mainTip,
    draft: open && random() < 0.2,
    mergedAt: merged ? iso(createdAt + 30 * HOUR) : null,
    mergedBy: merged ? "bob" : null,
    mergeable: !open ? null : mergeableRoll < 0.7 ? true : mergeableRoll < 0.85 ? false : null,
    mergeableState: !open
      ? "unknown"
      : mergeableRoll < 0.7
        ? "clean"
        : mergeableRoll < 0.85
          ? "dirty"
          : "unknown",
    files,
    reviews,
    requestedReviewers: open && random() < 0.5 ? ["carol"] : [],
    commits: randomInt(random, 1, 6),
    reviewComments: randomInt(random, 0, 5),
    maintainerCanModify: false,
  };
}

function largeJson(): Buffer {
  const rows: string[] = [];
  let length = 0;
  for (let i = 0; length < 1_100_000; i++) {
    const row = `  {"id": ${i}, "name": "row-${i}", "tags": ["sandbox", "fixture", "large"], "ok": true}`;
    rows.push(row);
    length += row.length + 2;
  }
  return text(`[\n${rows.join(",\n")}\n]\n`);
}

function seedApi(ids: IdSource, random: Random, users: Map<string, UserRecord>): RepoRecord {
  const repo = emptyRepo(ids, {
    owner: "acme",
    name: "api",
    private: false,
    description: "The Acme API server",
    language: "TypeScript",
    topics: ["api", "typescript", "sandbox"],
    stargazers: 128,
    forks: 12,
    createdAt: SEED_EPOCH - 300 * 24 * HOUR,
  });
  addFile(
    repo,
    "README.md",
    "# acme/api\n\nThe Acme API server.\n\n## Configuration\n\nCall `parseConfig` with the contents of `acme.yaml`; see docs/guide.md.\n",
  );
  addFile(
    repo,
    "package.json",
    `${JSON.stringify({ name: "@acme/api", version: "1.4.2", type: "module", scripts: { start: "node dist/index.js" } }, null, 2)}\n`,
  );
  addFile(
    repo,
    "src/index.ts",
    'export { startServer } from "./server.js";\nexport { parseConfig } from "./lib/parse-config.js";\n',
  );
  addFile(
    repo,
    "src/server.ts",
    'import { createServer } from "node:http";\nimport { routeIssues } from "./routes/issues.js";\n\nexport function startServer(port = 3000) {\n  return createServer(routeIssues).listen(port);\n}\n',
  );
  addFile(
    repo,
    "src/lib/parse-config.ts",
    'export interface Config {\n  readonly port: number;\n  readonly retries: number;\n}\n\nexport function parseConfig(text: string): Config {\n  const values = Object.fromEntries(text.split("\\n").map((line) => line.split(":").map((part) => part.trim())));\n  return { port: Number(values.port ?? 3000), retries: Number(values.retries ?? 3) };\n}\n',
  );
  addFile(
    repo,
    "src/routes/issues.ts",
    'import type { IncomingMessage, ServerResponse } from "node:http";\n\nexport function routeIssues(req: IncomingMessage, res: ServerResponse) {\n  res.setHeader("content-type", "application/json");\n  res.end(JSON.stringify({ issues: [] }));\n}\n',
  );
  addFile(
    repo,
    "src/routes/users.ts",
    "export const users = new Map<string, { login: string }>();\n// TODO: paginate users with a rate limiter\n",
  );
  addFile(
    repo,
    "docs/guide.md",
    "# Guide\n\nStart the server with `startServer()`. Configuration is read by parseConfig.\n",
  );
  repo.files.set("docs/latest", {
    type: "symlink",
    path: "docs/latest",
    content: text("guide.md"),
    target: "guide.md",
  });
  addFile(
    repo,
    ".github/workflows/ci.yml",
    "name: ci\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n",
  );
  addFile(
    repo,
    "assets/logo.png",
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      Buffer.alloc(64, 0),
    ]),
  );
  addFile(repo, "data/large.json", largeJson());
  repo.files.set("vendor/hello-world", {
    type: "submodule",
    path: "vendor/hello-world",
    content: Buffer.alloc(0),
    submoduleUrl: "https://github.com/octo/hello-world.git",
  });
  const tip = addHistory(random, repo, users, {
    count: 45,
    authors: ["alice", "bob", "sandbox-user"],
    start: SEED_EPOCH - 60 * 24 * HOUR,
    stepHours: 30,
  });
  addChecks(ids, random, repo, tip, SEED_EPOCH);
  addIssues(ids, random, repo, users, {
    count: API_ISSUE_COUNT,
    pullEvery: 13,
    authors: ["alice", "bob", "carol", "octo", "sandbox-user"],
    assignees: ["alice", "bob", "carol", "sandbox-user"],
    start: SEED_EPOCH - 120 * 24 * HOUR,
    stepHours: 10,
  });
  // Branches with commits but no pull request yet, so POST /pulls has something to open.
  for (const [index, [branch, path]] of (
    [
      ["feature/sandbox-ready", "src/lib/parse-config.ts"],
      ["docs/typo-fix", "docs/guide.md"],
    ] as const
  ).entries()) {
    const sha = sha1(`acme/api:branch:${branch}`);
    repo.commits.set(sha, {
      sha,
      message: index === 0 ? "Make the config parser sandbox-ready" : "Fix a typo in the guide",
      authorLogin: DEFAULT_LOGIN,
      authorName: "Sandbox User",
      authorEmail: `${DEFAULT_LOGIN}@users.sandbox.example`,
      date: iso(SEED_EPOCH + (index + 1) * HOUR),
      parents: [tip],
      files: [path],
    });
    repo.branches.set(branch, sha);
  }
  return repo;
}

function seedSmallRepo(
  ids: IdSource,
  random: Random,
  users: Map<string, UserRecord>,
  init: RepoInit,
  files: Record<string, string>,
  counts: { readonly commits: number; readonly issues: number; readonly pullEvery: number },
  authors: readonly string[],
): RepoRecord {
  const repo = emptyRepo(ids, init);
  for (const [path, content] of Object.entries(files)) addFile(repo, path, content);
  const tip = addHistory(random, repo, users, {
    count: counts.commits,
    authors,
    start: init.createdAt,
    stepHours: 48,
  });
  addChecks(ids, random, repo, tip, init.createdAt);
  addIssues(ids, random, repo, users, {
    count: counts.issues,
    pullEvery: counts.pullEvery,
    authors,
    assignees: authors,
    start: init.createdAt,
    stepHours: 36,
  });
  return repo;
}

export function seedGithub(seed: number): SeededGithub {
  const random = seededRandom(seed);
  const ids = new IdSource();
  const users = new Map<string, UserRecord>();
  for (const record of [
    user(ids, "acme", "Organization", "Acme Corp", [DEFAULT_LOGIN, "alice", "bob"]),
    user(ids, "octo", "User", "Octo Cat"),
    user(ids, DEFAULT_LOGIN, "User", "Sandbox User"),
    user(ids, "alice", "User", "Alice Example"),
    user(ids, "bob", "User", "Bob Example"),
    user(ids, "carol", "User", "Carol Example"),
    user(ids, OUTSIDER_LOGIN, "User", "Outside Collaborator"),
    user(ids, APP_BOT_LOGIN, "Bot", "Sandbox App"),
  ]) {
    users.set(record.login.toLowerCase(), record);
  }

  const repos = new Map<string, RepoRecord>();
  const add = (repo: RepoRecord) => repos.set(repoKey(repo.owner, repo.name), repo);
  add(seedApi(ids, random, users));
  add(
    seedSmallRepo(
      ids,
      random,
      users,
      {
        owner: "acme",
        name: "web",
        private: false,
        description: "The Acme web app",
        language: "TypeScript",
        topics: ["react", "frontend"],
        stargazers: 34,
        forks: 3,
        createdAt: SEED_EPOCH - 200 * 24 * HOUR,
      },
      {
        "README.md": "# acme/web\n\nThe web front end. Talks to acme/api.\n",
        "index.html":
          '<!doctype html>\n<html><body><div id="root"></div><script src="/src/app.tsx"></script></body></html>\n',
        "src/app.tsx":
          'import { Button } from "./components/button.js";\n\nexport function App() {\n  return <Button label="Sign in" />;\n}\n',
        "src/components/button.tsx":
          'export function Button(props: { label: string }) {\n  return <button type="button">{props.label}</button>;\n}\n',
        "package.json": `${JSON.stringify({ name: "@acme/web", version: "0.3.0", private: true }, null, 2)}\n`,
      },
      { commits: 8, issues: 14, pullEvery: 6 },
      ["alice", "carol"],
    ),
  );
  add(
    seedSmallRepo(
      ids,
      random,
      users,
      {
        owner: "acme",
        name: "secret-plans",
        private: true,
        description: "Internal roadmap (private)",
        language: "Markdown",
        createdAt: SEED_EPOCH - 90 * 24 * HOUR,
      },
      {
        "README.md": "# Secret plans\n\nOnly acme members can read this.\n",
        "plans.md": "# Project Falcon\n\nLaunch the falcon API in Q3. Keep the falcon codename internal.\n",
      },
      { commits: 3, issues: 6, pullEvery: 100 },
      ["alice", "bob", DEFAULT_LOGIN],
    ),
  );
  add(
    seedSmallRepo(
      ids,
      random,
      users,
      {
        owner: "octo",
        name: "hello-world",
        private: false,
        description: "My first repository on GitHub!",
        language: null,
        stargazers: 2500,
        forks: 2200,
        createdAt: SEED_EPOCH - 700 * 24 * HOUR,
      },
      { README: "Hello World!\n" },
      { commits: 2, issues: 3, pullEvery: 100 },
      ["octo"],
    ),
  );
  add(
    emptyRepo(ids, {
      owner: "octo",
      name: "empty",
      private: false,
      description: "Nothing here yet",
      language: null,
      createdAt: SEED_EPOCH - 10 * 24 * HOUR,
    }),
  );

  const installations = new Map<number, InstallationRecord>([
    [
      SANDBOX_INSTALLATION_ID,
      {
        id: SANDBOX_INSTALLATION_ID,
        appId: SANDBOX_APP_ID,
        account: "acme",
        repositories: null,
        permissions: {
          metadata: "read",
          contents: "read",
          issues: "write",
          pull_requests: "write",
          checks: "read",
          statuses: "read",
        },
      },
    ],
  ]);
  return { users, repos, installations, ids };
}
