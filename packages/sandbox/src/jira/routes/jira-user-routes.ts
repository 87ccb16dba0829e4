import { type JiraContext, JiraError, type JiraRoute } from "../jira-http.js";
import { canBrowse, type UserRecord } from "../jira-model.js";

/** The caller (`/myself`) and user lookups: search, one user, assignable users. */

function matchesQuery(user: UserRecord, query: string | undefined): boolean {
  if (!query) return true;
  const wanted = query.toLowerCase();
  return (
    user.displayName
      .toLowerCase()
      .split(/\s+/)
      .some((word) => word.startsWith(wanted)) ||
    user.displayName.toLowerCase().startsWith(wanted) ||
    user.emailAddress.toLowerCase().startsWith(wanted)
  );
}

function page<T>(ctx: JiraContext, items: readonly T[]): T[] {
  const startAt = Math.max(0, ctx.intQuery("startAt", 0));
  const maxResults = Math.min(1000, Math.max(1, ctx.intQuery("maxResults", 50)));
  return items.slice(startAt, startAt + maxResults);
}

const myself: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/myself",
  scope: "read:jira-user",
  handle(ctx) {
    const { user } = ctx.principal;
    const groups = user.role === "admin" ? ["jira-admins", "jira-software-users"] : ["jira-software-users"];
    return {
      body: {
        ...ctx.wire.user(user, { email: true }),
        groups: { size: groups.length, items: groups.map((name) => ({ name, groupId: name })) },
        applicationRoles: { size: 1, items: [{ key: "jira-software", name: "Jira" }] },
        expand: "groups,applicationRoles",
      },
      points: 3,
    };
  },
};

const searchUsers: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/user/search",
  scope: "read:jira-user",
  handle(ctx) {
    const query = ctx.query("query");
    const accountId = ctx.query("accountId");
    if (!query && !accountId) {
      throw new JiraError(400, ["One of 'query' or 'accountId' parameters must be provided."]);
    }
    const users = ctx.state
      .users()
      .filter(
        (user) => (accountId ? user.accountId === accountId : true) && matchesQuery(user, query ?? undefined),
      );
    const result = page(ctx, users);
    return { body: result.map((user) => ctx.wire.user(user)), points: 1 + 2 * result.length };
  },
};

const getUser: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/user",
  scope: "read:jira-user",
  handle(ctx) {
    const accountId = ctx.query("accountId");
    if (!accountId) throw new JiraError(400, ["The accountId query parameter needs to be provided."]);
    const user = ctx.state.user(accountId);
    if (!user)
      throw new JiraError(404, ["Specified user does not exist or you do not have required permissions"]);
    return { body: ctx.wire.user(user), points: 3 };
  },
};

const assignableUsers: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/user/assignable/search",
  scope: "read:jira-user",
  handle(ctx) {
    const issueKey = ctx.query("issueKey") ?? ctx.query("issueId");
    const projectRef = ctx.query("project");
    const issue = issueKey ? ctx.state.issue(issueKey) : undefined;
    const project = issue
      ? ctx.state.projectOf(issue)
      : projectRef
        ? ctx.state.project(projectRef)
        : undefined;
    if (!project || !canBrowse(ctx.principal.user, project)) {
      throw new JiraError(
        404,
        issueKey
          ? ["Issue does not exist or you do not have permission to see it."]
          : [`No project could be found with key '${projectRef ?? ""}'.`],
      );
    }
    const query = ctx.query("query");
    const users = ctx.state
      .users()
      .filter(
        (user) =>
          user.active &&
          user.accountType === "atlassian" &&
          user.role !== "viewer" &&
          canBrowse(user, project) &&
          matchesQuery(user, query),
      );
    const result = page(ctx, users);
    return { body: result.map((user) => ctx.wire.user(user)), points: 1 + 2 * result.length };
  },
};

export const userRoutes: readonly JiraRoute[] = [myself, assignableUsers, searchUsers, getUser];
