import { adfIsEmpty, isAdfDoc } from "../jira-adf.js";
import { statusById } from "../jira-catalog.js";
import { ADF_REQUIRED, FieldParser, isRecord, resolutionByRef } from "../jira-fields.js";
import { fieldErrors, type JiraContext, JiraError, type JiraRoute } from "../jira-http.js";
import type { IssueRecord } from "../jira-model.js";
import { parseFieldSelection } from "../jira-serialize.js";

/** Issues: get, create, edit, assign, transitions and comments. */

const expandOf = (ctx: JiraContext) =>
  new Set(
    ctx
      .queryAll("expand")
      .flatMap((value) => value.split(","))
      .map((value) => value.trim()),
  );

function applyChanges(ctx: JiraContext, issue: IssueRecord, parser: FieldParser): void {
  const { changes } = parser;
  if (changes.summary !== undefined) issue.summary = changes.summary;
  if (changes.description !== undefined) issue.description = changes.description;
  if (changes.labels !== undefined) issue.labels = changes.labels;
  if (changes.assigneeId !== undefined) issue.assigneeId = changes.assigneeId;
  if (changes.priorityId !== undefined) issue.priorityId = changes.priorityId;
  if (changes.dueDate !== undefined) issue.dueDate = changes.dueDate;
  if (changes.issueTypeId !== undefined) issue.issueTypeId = changes.issueTypeId;
  for (const body of changes.comments) ctx.state.addComment(issue, body, ctx.principal.user.accountId);
  ctx.state.touch(issue);
}

const getIssue: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/issue/:issueIdOrKey",
  handle(ctx) {
    const issue = ctx.issue();
    const selection = parseFieldSelection(ctx.queryAll("fields"), "all");
    return { body: ctx.wire.issue(issue, selection, expandOf(ctx)), points: 2 };
  },
};

const createIssue: JiraRoute = {
  method: "POST",
  path: "/rest/api/3/issue",
  async handle(ctx) {
    const body = await ctx.body();
    if (body.fields !== undefined && !isRecord(body.fields)) {
      throw new JiraError(400, ["The 'fields' of an issue must be a JSON object."]);
    }
    const parser = new FieldParser(ctx.state, "create");
    parser.parse(body.fields, body.update, ctx.principal.user);
    const project = parser.changes.project;
    if (project) ctx.requireWrite(project, "create issues");
    if (Object.keys(parser.errors).length > 0 || !project) throw fieldErrors(parser.errors);
    const { changes } = parser;
    const issue = ctx.state.createIssue(
      {
        project,
        issueTypeId: changes.issueTypeId ?? (project.issueTypeIds[0] as string),
        summary: changes.summary ?? "",
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.labels ? { labels: changes.labels } : {}),
        ...(changes.assigneeId !== undefined ? { assigneeId: changes.assigneeId } : {}),
        ...(changes.reporterId ? { reporterId: changes.reporterId } : {}),
        ...(changes.priorityId ? { priorityId: changes.priorityId } : {}),
        ...(changes.dueDate !== undefined ? { dueDate: changes.dueDate } : {}),
      },
      ctx.principal.user.accountId,
    );
    for (const comment of changes.comments)
      ctx.state.addComment(issue, comment, ctx.principal.user.accountId);
    return {
      status: 201,
      body: { id: issue.id, key: issue.key, self: `${ctx.wire.links.api}/rest/api/3/issue/${issue.id}` },
    };
  },
};

const editIssue: JiraRoute = {
  method: "PUT",
  path: "/rest/api/3/issue/:issueIdOrKey",
  async handle(ctx) {
    const issue = ctx.writableIssue();
    const body = await ctx.body();
    const parser = new FieldParser(ctx.state, "edit", issue).startFrom(issue);
    parser.parse(body.fields, body.update, ctx.principal.user);
    if (Object.keys(parser.errors).length > 0) throw fieldErrors(parser.errors);
    applyChanges(ctx, issue, parser);
    if (ctx.query("returnIssue") === "true") {
      return { body: ctx.wire.issue(issue, parseFieldSelection([], "all"), expandOf(ctx)) };
    }
    return { status: 204 };
  },
};

const assignIssue: JiraRoute = {
  method: "PUT",
  path: "/rest/api/3/issue/:issueIdOrKey/assignee",
  async handle(ctx) {
    const issue = ctx.writableIssue("assign issues");
    const body = await ctx.body();
    if (!("accountId" in body)) {
      throw fieldErrors({ assignee: "Specify an accountId, or null to unassign the issue." });
    }
    const parser = new FieldParser(ctx.state, "edit", issue);
    parser.parse(
      { assignee: body.accountId === null ? null : { accountId: body.accountId } },
      undefined,
      ctx.principal.user,
    );
    if (Object.keys(parser.errors).length > 0) throw fieldErrors(parser.errors);
    applyChanges(ctx, issue, parser);
    return { status: 204 };
  },
};

const getTransitions: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/issue/:issueIdOrKey/transitions",
  handle(ctx) {
    const issue = ctx.issue();
    const only = ctx.query("transitionId");
    const transitions = ctx.state
      .transitionsOf(issue)
      .filter((transition) => only === undefined || transition.id === only)
      .map((transition) => ctx.wire.transition(transition));
    return { body: { expand: "transitions", transitions } };
  },
};

const doTransition: JiraRoute = {
  method: "POST",
  path: "/rest/api/3/issue/:issueIdOrKey/transitions",
  async handle(ctx) {
    const issue = ctx.writableIssue("transition issues");
    const body = await ctx.body();
    const ref = isRecord(body.transition) ? body.transition.id : undefined;
    if (ref === undefined || ref === null || ref === "") {
      throw new JiraError(400, ["Missing 'transition' identifier"]);
    }
    const transition = ctx.state.transitionsOf(issue).find((candidate) => candidate.id === String(ref));
    if (!transition)
      throw new JiraError(400, [`Transition id '${String(ref)}' is not valid for this issue.`]);
    const errors: Record<string, string> = {};
    const fields = isRecord(body.fields) ? body.fields : {};
    let resolutionId: string | undefined;
    for (const [field, value] of Object.entries(fields)) {
      if (field === "resolution" && statusById(transition.to)?.category === "done") {
        const resolution = resolutionByRef(value);
        if (resolution) resolutionId = resolution.id;
        else errors.resolution = "The resolution selected is invalid.";
      } else {
        errors[field] = `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;
      }
    }
    const comments = isRecord(body.update) && Array.isArray(body.update.comment) ? body.update.comment : [];
    const bodies = comments.map((operation) =>
      isRecord(operation) && isRecord(operation.add) ? operation.add.body : undefined,
    );
    if (bodies.some((value) => !isAdfDoc(value))) errors.comment = ADF_REQUIRED;
    if (Object.keys(errors).length > 0) throw fieldErrors(errors);
    ctx.state.applyTransition(issue, transition, resolutionId);
    for (const value of bodies) {
      if (isAdfDoc(value)) ctx.state.addComment(issue, value, ctx.principal.user.accountId);
    }
    return { status: 204 };
  },
};

const listComments: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/issue/:issueIdOrKey/comment",
  handle(ctx) {
    const issue = ctx.issue();
    const startAt = Math.max(0, ctx.intQuery("startAt", 0));
    const maxResults = Math.min(5000, Math.max(0, ctx.intQuery("maxResults", 5000)));
    const order = ctx.query("orderBy") ?? "created";
    const sorted = [...issue.comments].sort((a, b) => a.created - b.created || Number(a.id) - Number(b.id));
    if (order.startsWith("-")) sorted.reverse();
    const page = sorted.slice(startAt, startAt + maxResults);
    return {
      body: {
        startAt,
        maxResults,
        total: sorted.length,
        comments: page.map((comment) => ctx.wire.comment(issue, comment)),
      },
      points: 1 + page.length,
    };
  },
};

const getComment: JiraRoute = {
  method: "GET",
  path: "/rest/api/3/issue/:issueIdOrKey/comment/:commentId",
  handle(ctx) {
    const issue = ctx.issue();
    const comment = issue.comments.find((candidate) => candidate.id === ctx.param("commentId"));
    if (!comment) throw new JiraError(404, [`Can not find a comment for the id: ${ctx.param("commentId")}.`]);
    return { body: ctx.wire.comment(issue, comment) };
  },
};

const addComment: JiraRoute = {
  method: "POST",
  path: "/rest/api/3/issue/:issueIdOrKey/comment",
  async handle(ctx) {
    const issue = ctx.writableIssue("add comments");
    const body = await ctx.body();
    if (body.body === undefined || body.body === null || body.body === "") {
      throw fieldErrors({ comment: "Comment body can not be empty!" });
    }
    if (!isAdfDoc(body.body)) throw fieldErrors({ comment: ADF_REQUIRED });
    if (adfIsEmpty(body.body)) throw fieldErrors({ comment: "Comment body can not be empty!" });
    const comment = ctx.state.addComment(issue, body.body, ctx.principal.user.accountId);
    return { status: 201, body: ctx.wire.comment(issue, comment) };
  },
};

export const issueRoutes: readonly JiraRoute[] = [
  createIssue,
  getTransitions,
  doTransition,
  listComments,
  addComment,
  getComment,
  assignIssue,
  getIssue,
  editIssue,
];
