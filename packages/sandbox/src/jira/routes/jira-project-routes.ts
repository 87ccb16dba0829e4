import { ISSUE_TYPES, PRIORITIES, STATUSES } from "../jira-catalog.js";
import { type JiraContext, JiraError, type JiraRoute } from "../jira-http.js";
import { canBrowse, type ProjectRecord } from "../jira-model.js";

/** Projects (offset-paginated search, one project, statuses per issue type) and site metadata. */

const list = (values: readonly string[]) =>
  values
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);

function projectParam(ctx: JiraContext): ProjectRecord {
  const ref = ctx.param("projectIdOrKey");
  const project = ctx.state.project(ref);
  if (!project || !canBrowse(ctx.principal.user, project)) {
    throw new JiraError(404, [
      /^\d+$/.test(ref)
        ? `No project could be found with id '${ref}'.`
        : `No project could be found with key '${ref}'.`,
    ]);
  }
  return project;
}

const SORTS: Readonly<Record<string, (a: ProjectRecord, b: ProjectRecord) => number>> = {
  key: (a, b) => a.key.localeCompare(b.key),
  name: (a, b) => a.name.localeCompare(b.name),
  category: (a, b) => (a.category ?? "").localeCompare(b.category ?? "") || a.key.localeCompare(b.key),
};

const searchProjects: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/project/search",
  handle(ctx) {
    const startAt = Math.max(0, ctx.intQuery("startAt", 0));
    const maxResults = Math.min(100, Math.max(1, ctx.intQuery("maxResults", 50)));
    const orderBy = ctx.query("orderBy") ?? "key";
    const field = orderBy.replace(/^[-+]/, "");
    const sort = SORTS[field];
    if (!sort) {
      throw new JiraError(400, [
        `Invalid orderBy value '${orderBy}'. Use one of: category, -category, +category, key, -key, +key, name, -name, +name.`,
      ]);
    }
    const query = ctx.query("query")?.toLowerCase();
    const keys = new Set(list(ctx.queryAll("keys")).map((key) => key.toUpperCase()));
    const ids = new Set(list(ctx.queryAll("id")));
    const types = new Set(list(ctx.queryAll("typeKey")));
    const expand = new Set(list(ctx.queryAll("expand")).map((value) => value.toLowerCase()));
    const matches = ctx.state
      .visibleProjects(ctx.principal.user)
      .filter(
        (project) =>
          (!query ||
            project.key.toLowerCase().includes(query) ||
            project.name.toLowerCase().includes(query)) &&
          (keys.size === 0 || keys.has(project.key)) &&
          (ids.size === 0 || ids.has(project.id)) &&
          (types.size === 0 || types.has(project.projectTypeKey)),
      )
      .sort((a, b) => (orderBy.startsWith("-") ? -sort(a, b) : sort(a, b)));
    const page = matches.slice(startAt, startAt + maxResults);
    const isLast = startAt + page.length >= matches.length;
    const pageUrl = (start: number) => {
      const url = new URL(`${ctx.wire.links.api}/rest/api/3/project/search`);
      for (const [name, value] of ctx.url.searchParams)
        if (name !== "startAt") url.searchParams.append(name, value);
      url.searchParams.set("startAt", String(start));
      url.searchParams.set("maxResults", String(maxResults));
      return url.toString();
    };
    return {
      body: {
        self: pageUrl(startAt),
        ...(isLast ? {} : { nextPage: pageUrl(startAt + page.length) }),
        maxResults,
        startAt,
        total: matches.length,
        isLast,
        values: page.map((project) => ctx.wire.project(project, expand)),
      },
      points: 1 + page.length,
    };
  },
};

const allProjects: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/project",
  handle(ctx) {
    const expand = new Set(list(ctx.queryAll("expand")).map((value) => value.toLowerCase()));
    const projects = ctx.state.visibleProjects(ctx.principal.user);
    return {
      body: projects.map((project) => ctx.wire.project(project, expand)),
      points: 1 + projects.length,
    };
  },
};

const getProject: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/project/:projectIdOrKey",
  handle(ctx) {
    return { body: ctx.wire.projectDetail(projectParam(ctx)), points: 2 };
  },
};

const projectStatuses: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/project/:projectIdOrKey/statuses",
  handle(ctx) {
    const project = projectParam(ctx);
    return {
      body: project.issueTypeIds.map((id) => {
        const type = ISSUE_TYPES.find((candidate) => candidate.id === id);
        return {
          self: `${ctx.wire.links.api}/rest/api/3/issuetype/${id}`,
          id,
          name: type?.name ?? id,
          subtask: type?.subtask ?? false,
          statuses: project.workflow.statuses.map((status) => ctx.wire.status(status)),
        };
      }),
      points: 2,
    };
  },
};

const statuses: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/status",
  handle: (ctx) => ({ body: STATUSES.map((status) => ctx.wire.status(status.id)) }),
};

const issueTypes: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/issuetype",
  handle: (ctx) => ({ body: ISSUE_TYPES.map((type) => ctx.wire.issueType(type.id)) }),
};

const priorities: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/priority",
  handle: (ctx) => ({ body: PRIORITIES.map((priority) => ctx.wire.priority(priority.id)) }),
};

const serverInfo: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/serverInfo",
  handle(ctx) {
    return {
      body: {
        baseUrl: ctx.wire.links.site,
        displayUrl: ctx.wire.links.site,
        version: "1001.0.0-SNAPSHOT",
        versionNumbers: [1001, 0, 0],
        deploymentType: "Cloud",
        buildNumber: 100_288,
        buildDate: "2026-08-01T00:00:00.000+0000",
        serverTime: new Date(ctx.state.now()).toISOString().replace("Z", "+0000"),
        scmInfo: "sandbox",
        serverTitle: "Jira (Switchyard sandbox)",
        defaultLocale: { locale: "en_US" },
        serverTimeZone: "Etc/UTC",
      },
    };
  },
};

export const projectRoutes: readonly JiraRoute[] = [
  searchProjects,
  allProjects,
  projectStatuses,
  getProject,
  statuses,
  issueTypes,
  priorities,
  serverInfo,
];
