import {
  type GithubContext,
  GithubError,
  type GithubRoute,
  notFound,
  validationFailed,
} from "../github-http.js";
import type { RepoRecord } from "../github-model.js";
import { fullName } from "../github-model.js";
import { APP_BOT_LOGIN } from "../github-seed.js";

/** Users, repositories, rate limits and the GitHub App token exchange. */

const REPO_DOCS = "https://docs.github.com/rest/repos/repos";

type SortKey = "created" | "updated" | "pushed" | "full_name";

function sortRepos(ctx: GithubContext, repos: RepoRecord[], defaultSort: SortKey): RepoRecord[] {
  const rawSort = ctx.query("sort");
  const sort: SortKey =
    rawSort === "created" || rawSort === "updated" || rawSort === "pushed" || rawSort === "full_name"
      ? rawSort
      : defaultSort;
  const direction = ctx.query("direction") ?? (sort === "full_name" ? "asc" : "desc");
  const key = (repo: RepoRecord): string =>
    sort === "full_name"
      ? fullName(repo).toLowerCase()
      : sort === "created"
        ? repo.createdAt
        : sort === "updated"
          ? repo.updatedAt
          : (repo.pushedAt ?? "");
  const sorted = [...repos].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id));
  return direction === "asc" ? sorted : sorted.reverse();
}

/** The logged-in user; installation tokens have none (GitHub answers 403). */
function currentUser(ctx: GithubContext) {
  const principal = ctx.principal;
  if (principal.kind === "installation") throw new GithubError(403, "Resource not accessible by integration");
  const user = ctx.state.user(principal.login);
  if (!user) throw new GithubError(401, "Bad credentials");
  return user;
}

export const accountRoutes: readonly GithubRoute[] = [
  {
    method: "GET",
    path: "/user",
    resource: "core",
    docs: "https://docs.github.com/rest/users/users#get-the-authenticated-user",
    handle: (ctx) => ({ body: ctx.wire.authenticatedUser(currentUser(ctx)) }),
  },
  {
    method: "GET",
    path: "/users/:username",
    resource: "core",
    handle: (ctx) => {
      const user = ctx.state.user(ctx.param("username"));
      if (!user) throw notFound();
      return { body: ctx.wire.user(user) };
    },
  },
  {
    method: "GET",
    path: "/rate_limit",
    resource: null,
    docs: "https://docs.github.com/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user",
    handle: (ctx) => {
      const token = ctx.principal.token;
      const budget = (resource: "core" | "search" | "code_search") => {
        const { limit, used, remaining, reset } = ctx.state.rateLimits.peek(token, resource);
        return { limit, used, remaining, reset };
      };
      const core = budget("core");
      return {
        body: {
          resources: { core, search: budget("search"), code_search: budget("code_search") },
          rate: core,
        },
      };
    },
  },
  {
    method: "GET",
    path: "/user/repos",
    resource: "core",
    docs: "https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user",
    handle: (ctx) => {
      const user = currentUser(ctx);
      const type = ctx.query("type");
      if (
        type !== undefined &&
        (ctx.query("visibility") !== undefined || ctx.query("affiliation") !== undefined)
      ) {
        throw validationFailed([{ resource: "Repository", field: "type", code: "invalid" }]);
      }
      const visibility = ctx.query("visibility") ?? (type === "public" || type === "private" ? type : "all");
      const affiliation = (ctx.query("affiliation") ?? "owner,collaborator,organization_member")
        .split(",")
        .map((part) => part.trim());
      const login = user.login.toLowerCase();
      const repos = ctx.state.visibleRepos(ctx.principal).filter((repo) => {
        if (visibility === "public" && repo.private) return false;
        if (visibility === "private" && !repo.private) return false;
        const owner = repo.owner.toLowerCase() === login;
        const collaborator = repo.collaborators.some((name) => name.toLowerCase() === login);
        const member = (ctx.state.user(repo.owner)?.members ?? []).some(
          (name) => name.toLowerCase() === login,
        );
        if (type === "owner") return owner;
        if (type === "member") return collaborator || member;
        return (
          (affiliation.includes("owner") && owner) ||
          (affiliation.includes("collaborator") && collaborator) ||
          (affiliation.includes("organization_member") && member)
        );
      });
      const page = ctx.paginate(sortRepos(ctx, repos, "full_name"));
      return { body: page.items.map((repo) => ctx.wire.repo(repo, ctx.principal)), headers: page.headers };
    },
  },
  ...["/orgs/:org/repos", "/organizations/:org_id/repos"].map(
    (path): GithubRoute => ({
      method: "GET",
      path,
      resource: "core",
      docs: `${REPO_DOCS}#list-organization-repositories`,
      handle: (ctx) => {
        const orgId = ctx.params.org_id;
        const org =
          orgId !== undefined
            ? ctx.state.users().find((user) => String(user.id) === orgId)
            : ctx.state.user(ctx.param("org"));
        if (org?.type !== "Organization") throw notFound();
        const type = ctx.query("type") ?? "all";
        const repos = ctx.state
          .visibleRepos(ctx.principal)
          .filter((repo) => repo.owner.toLowerCase() === org.login.toLowerCase())
          .filter((repo) => {
            if (type === "public") return !repo.private;
            if (type === "private") return repo.private;
            if (type === "forks") return repo.fork;
            if (type === "sources") return !repo.fork;
            return true;
          });
        const page = ctx.paginate(sortRepos(ctx, repos, "created"), {
          linkPath: `/organizations/${org.id}/repos`,
        });
        return { body: page.items.map((repo) => ctx.wire.repo(repo, ctx.principal)), headers: page.headers };
      },
    }),
  ),
  ...["/users/:username/repos", "/user/:user_id/repos"].map(
    (path): GithubRoute => ({
      method: "GET",
      path,
      resource: "core",
      docs: `${REPO_DOCS}#list-repositories-for-a-user`,
      handle: (ctx) => {
        const userId = ctx.params.user_id;
        const user =
          userId !== undefined
            ? /^\d+$/.test(userId)
              ? ctx.state.users().find((record) => String(record.id) === userId)
              : undefined
            : ctx.state.user(ctx.param("username"));
        if (!user) throw notFound();
        // Public repositories only, as GitHub lists them for any user (the authenticated one included).
        const repos = ctx.state
          .repos()
          .filter((repo) => repo.owner.toLowerCase() === user.login.toLowerCase() && !repo.private);
        const page = ctx.paginate(sortRepos(ctx, repos, "full_name"), { linkPath: `/user/${user.id}/repos` });
        return { body: page.items.map((repo) => ctx.wire.repo(repo)), headers: page.headers };
      },
    }),
  ),
  {
    method: "GET",
    path: "/repos/:owner/:repo",
    resource: "core",
    docs: `${REPO_DOCS}#get-a-repository`,
    handle: (ctx) => ({ body: ctx.wire.repo(ctx.repo(), ctx.principal) }),
  },
  {
    method: "GET",
    path: "/installation/repositories",
    resource: "core",
    docs: "https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation",
    handle: (ctx) => {
      const principal = ctx.principal;
      if (principal.kind !== "installation") {
        throw new GithubError(
          403,
          "You must authenticate with an installation access token in order to list repositories for an installation.",
        );
      }
      const repos = sortRepos(ctx, ctx.state.visibleRepos(principal), "full_name");
      const page = ctx.paginate(repos);
      return {
        body: {
          total_count: repos.length,
          repository_selection:
            principal.installation.repositories === null && principal.repositories === null
              ? "all"
              : "selected",
          repositories: page.items.map((repo) => ctx.wire.repo(repo, principal)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: "POST",
    path: "/app/installations/:installation_id/access_tokens",
    resource: null,
    auth: "app",
    docs: "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app",
    handle: async (ctx) => {
      const id = ctx.param("installation_id");
      const installation = /^\d+$/.test(id) ? ctx.state.installation(Number(id)) : undefined;
      if (!installation) throw notFound();
      const body = await ctx.body();
      const account = installation.account.toLowerCase();
      const granted = ctx.state
        .repos()
        .filter((repo) => repo.owner.toLowerCase() === account)
        .filter(
          (repo) =>
            installation.repositories === null ||
            installation.repositories.some((name) => name.toLowerCase() === fullName(repo).toLowerCase()),
        );
      let narrowed: RepoRecord[] | null = null;
      if (body.repositories !== undefined || body.repository_ids !== undefined) {
        const names = Array.isArray(body.repositories) ? body.repositories : [];
        const ids = Array.isArray(body.repository_ids) ? body.repository_ids : [];
        if (
          (body.repositories !== undefined && !Array.isArray(body.repositories)) ||
          (body.repository_ids !== undefined && !Array.isArray(body.repository_ids))
        ) {
          throw validationFailed([
            { resource: "InstallationAccessToken", field: "repositories", code: "invalid" },
          ]);
        }
        narrowed = [];
        for (const name of names) {
          const repo = granted.find(
            (candidate) => typeof name === "string" && candidate.name.toLowerCase() === name.toLowerCase(),
          );
          if (!repo) {
            throw new GithubError(
              422,
              "There is at least one repository that does not exist or is not accessible to the parent installation.",
            );
          }
          narrowed.push(repo);
        }
        for (const repoId of ids) {
          const repo = granted.find((candidate) => candidate.id === repoId);
          if (!repo) {
            throw new GithubError(
              422,
              "There is at least one repository that does not exist or is not accessible to the parent installation.",
            );
          }
          narrowed.push(repo);
        }
      }
      const issued = ctx.state.issueInstallationToken(
        installation,
        narrowed === null ? null : narrowed.map((repo) => fullName(repo).toLowerCase()),
      );
      return {
        status: 201,
        body: {
          token: issued.token,
          expires_at: new Date(issued.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
          permissions: { ...installation.permissions },
          repository_selection: narrowed === null && installation.repositories === null ? "all" : "selected",
          ...(narrowed === null ? {} : { repositories: narrowed.map((repo) => ctx.wire.repo(repo)) }),
        },
      };
    },
  },
];

/** Who a write by the current principal is attributed to. */
export function actingLogin(ctx: GithubContext): string {
  const principal = ctx.principal;
  return principal.kind === "installation" ? APP_BOT_LOGIN : principal.login;
}
