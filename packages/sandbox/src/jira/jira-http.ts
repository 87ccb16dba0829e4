import { http, type RequestHandler } from "msw";
import { BASE_PARAM, routeRegExp } from "../routing/route-pattern.js";
import { canBrowse, canWrite, type IssueRecord, type Principal, type ProjectRecord } from "./jira-model.js";
import { type RateLimitRejection, rejectionHeaders } from "./jira-rate-limit.js";
import { type JiraLinks, JiraWire } from "./jira-serialize.js";
import type { JiraSandboxState } from "./jira-state.js";

const JSON_TYPE = "application/json;charset=UTF-8";

export const ISSUE_NOT_FOUND = "Issue does not exist or you do not have permission to see it.";

/**
 * An error answer. By default Jira's ErrorCollection `{ errorMessages, errors }`; `body` replaces it for the
 * API gateway's own answers (`{ code, message }`) and the OAuth host's (`{ error, error_description }`).
 */
export class JiraError extends Error {
  readonly status: number;
  readonly errorMessages: readonly string[];
  readonly errors: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;

  constructor(
    status: number,
    errorMessages: readonly string[],
    errors: Readonly<Record<string, string>> = {},
    options: { headers?: Record<string, string>; body?: unknown } = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
    this.status = status;
    this.errorMessages = errorMessages;
    this.errors = errors;
    this.headers = options.headers ?? {};
    this.body = options.body;
  }
}

export const issueNotFound = () => new JiraError(404, [ISSUE_NOT_FOUND]);

/** 400 with field errors, as create and edit report them. */
export const fieldErrors = (errors: Record<string, string>) => new JiraError(400, [], errors);

export const gatewayError = (status: number, message: string) =>
  new JiraError(status, [message], {}, { body: { code: status, message } });

export function rateLimited(rejection: RateLimitRejection): JiraError {
  return new JiraError(429, ["Rate limit exceeded."], {}, { headers: rejectionHeaders(rejection) });
}

export interface RouteResult {
  /** Default 200, or 204 when there is no body. */
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Points this answer costs against the OAuth quota (default 1; reads add 1 per issue or project returned). */
  readonly points?: number;
}

export type OAuthScope = "read:jira-work" | "write:jira-work" | "read:jira-user";

export interface JiraRoute {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** From the site root, e.g. `/rest/api/3/issue/:issueIdOrKey`. */
  readonly path: string;
  /** Scope an OAuth token needs; default read:jira-work for GET, write:jira-work otherwise. */
  readonly scope?: OAuthScope;
  /** `none`: answered before authentication (a removed API's 410). */
  readonly auth?: "none";
  handle(ctx: JiraContext): RouteResult | Promise<RouteResult>;
}

/** Everything a route needs about one request. */
export class JiraContext {
  readonly request: Request;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly state: JiraSandboxState;
  readonly wire: JiraWire;
  readonly #principal: Principal | undefined;

  constructor(
    request: Request,
    params: Readonly<Record<string, string>>,
    state: JiraSandboxState,
    links: JiraLinks,
    principal: Principal | undefined,
  ) {
    this.request = request;
    this.url = new URL(request.url);
    this.params = params;
    this.state = state;
    this.wire = new JiraWire(state, links);
    this.#principal = principal;
  }

  get principal(): Principal {
    if (!this.#principal)
      throw new JiraError(401, [
        "You are not authenticated. Authentication required to perform this operation.",
      ]);
    return this.#principal;
  }

  query(name: string): string | undefined {
    return this.url.searchParams.get(name) ?? undefined;
  }

  queryAll(name: string): string[] {
    return this.url.searchParams.getAll(name);
  }

  /** A whole-number query parameter; 400 as Jira answers when it is not one. */
  intQuery(name: string, fallback: number): number {
    const raw = this.query(name);
    if (raw === undefined || raw === "") return fallback;
    if (!/^-?\d+$/.test(raw))
      throw new JiraError(400, [`The '${name}' parameter must be a number, but was '${raw}'.`]);
    return Number(raw);
  }

  param(name: string): string {
    const value = this.params[name];
    if (value === undefined) throw new JiraError(404, ["Not Found"]);
    return decodeURIComponent(value);
  }

  /** The JSON object body of a write. */
  async body(): Promise<Record<string, unknown>> {
    const text = await this.request.text();
    if (text.trim() === "") return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new JiraError(400, [
        `Unexpected character ('${text.trim()[0] ?? ""}'): the request body is not valid JSON.`,
      ]);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new JiraError(400, ["The request body must be a JSON object."]);
    }
    return parsed as Record<string, unknown>;
  }

  /** The route's issue (`:issueIdOrKey`); 404 when it does not exist or cannot be browsed. */
  issue(): IssueRecord {
    const issue = this.state.issue(this.param("issueIdOrKey"));
    if (!issue || !canBrowse(this.principal.user, this.state.projectOf(issue))) throw issueNotFound();
    return issue;
  }

  /** 403 unless the caller may change issues in `project`. */
  requireWrite(project: ProjectRecord, action: string): void {
    if (!canWrite(this.principal.user)) {
      throw new JiraError(403, [`You do not have permission to ${action} in project ${project.key}.`]);
    }
  }

  /**
   * The route's issue for a write: 404 when invisible, 403 without permission, 409 while another operation
   * holds it, 429 when the issue's write budget is spent.
   */
  writableIssue(action = "edit issues"): IssueRecord {
    const issue = this.issue();
    this.requireWrite(this.state.projectOf(issue), action);
    if (this.state.isLocked(issue)) {
      throw new JiraError(409, [
        `The issue ${issue.key} could not be updated due to a conflicting update. Refresh the issue and try again.`,
      ]);
    }
    const rejection = this.state.rateLimits.takeIssueWrite(issue.id);
    if (rejection) throw rateLimited(rejection);
    return issue;
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string>): Response {
  if (body === undefined) return new Response(null, { status: status === 200 ? 204 : status, headers });
  return new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE, ...headers } });
}

export function errorResponse(error: JiraError, headers: Record<string, string>): Response {
  const body = error.body ?? { errorMessages: error.errorMessages, errors: error.errors };
  return jsonResponse(error.status, body, { ...headers, ...error.headers });
}

export interface JiraHandlerDeps {
  readonly siteBases: readonly string[];
  readonly gatewayBases: readonly string[];
  readonly state: JiraSandboxState;
  readonly nextRequestId: () => string;
  /** The site URL for a request that came in on `origin` (accessible-resources, avatars). */
  readonly siteUrl: (origin: string) => string;
}

type Mount = "site" | "gateway";

function authenticate(request: Request, mount: Mount, state: JiraSandboxState): Principal {
  const header = request.headers.get("authorization")?.trim() ?? "";
  if (header === "") {
    if (mount === "gateway") throw gatewayError(401, "Unauthorized");
    throw new JiraError(
      401,
      ["You are not authenticated. Authentication required to perform this operation."],
      {},
      {
        headers: { "www-authenticate": 'Basic realm="protected-area"' },
      },
    );
  }
  const basic = /^basic\s+(\S+)$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const check = colon < 0 ? undefined : state.checkBasic(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (check?.ok) {
      return { user: check.user, kind: "basic", credential: check.user.emailAddress, scopes: undefined };
    }
    if (mount === "gateway") throw gatewayError(401, "Unauthorized");
    throw new JiraError(
      401,
      ["Client must be authenticated to access this resource."],
      {},
      {
        headers: { "www-authenticate": 'Basic realm="protected-area"' },
      },
    );
  }
  const bearer = /^bearer\s+(\S+)$/i.exec(header);
  if (bearer && mount === "gateway") {
    const check = state.oauth.checkAccessToken(bearer[1] as string);
    const user = check.ok ? state.user(check.grant.accountId) : undefined;
    if (!check.ok || !user) throw gatewayError(401, "Unauthorized");
    return { user, kind: "oauth", credential: check.grant.id, scopes: new Set(check.grant.scopes) };
  }
  // OAuth access tokens only work through the API gateway, never on the site URL.
  throw new JiraError(401, ["Client must be authenticated to access this resource."]);
}

function toParams(
  params: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (typeof value === "string") result[name] = value;
  return result;
}

/**
 * Turns a route into two MSW handlers, on the site and under the gateway's `/ex/jira/{cloudId}`: request id,
 * authentication, OAuth scope, the points quota and burst limits, then the route, then Jira's error shapes.
 */
export function jiraRouteHandlers(route: JiraRoute, deps: JiraHandlerDeps): RequestHandler[] {
  const method = route.method.toLowerCase() as "get" | "post" | "put" | "delete";
  const scope = route.scope ?? (route.method === "GET" ? "read:jira-work" : "write:jira-work");
  const mounts: [Mount, RegExp][] = [
    ["site", routeRegExp(deps.siteBases, route.path)],
    ["gateway", routeRegExp(deps.gatewayBases, `/ex/jira/:cloudId${route.path}`)],
  ];
  return mounts.map(([mount, pattern]) =>
    http[method](pattern, async ({ request, params }) => {
      const routeParams = toParams(params);
      const base = routeParams[BASE_PARAM] ?? "";
      const origin = new URL(request.url).origin;
      const links: JiraLinks =
        mount === "site"
          ? { api: base, site: base }
          : { api: `${base}/ex/jira/${routeParams.cloudId ?? ""}`, site: deps.siteUrl(origin) };
      const headers: Record<string, string> = { "x-arequestid": deps.nextRequestId() };
      const state = deps.state;
      let principal: Principal | undefined;
      try {
        if (mount === "gateway" && routeParams.cloudId !== state.cloudId)
          throw gatewayError(404, "Not Found");
        if (route.auth !== "none") {
          principal = authenticate(request, mount, state);
          if (principal.scopes && !principal.scopes.has(scope)) {
            throw gatewayError(401, "Unauthorized; scope does not match");
          }
          if (state.rateLimits.quotaApplies(principal.kind)) {
            const rejection = state.rateLimits.checkQuota(principal.credential);
            if (rejection) throw rateLimited(rejection);
          }
          const burst = state.rateLimits.takeBurst(principal.credential, route.method, route.path);
          if (burst) throw rateLimited(burst);
        }
        const ctx = new JiraContext(request, routeParams, state, links, principal);
        const result = await route.handle(ctx);
        const quota = charge(state, principal, result.points ?? 1);
        return jsonResponse(result.status ?? 200, result.body, { ...headers, ...quota, ...result.headers });
      } catch (error) {
        if (!(error instanceof JiraError)) throw error;
        const quota = error.status === 429 || error.status === 401 ? {} : charge(state, principal, 1);
        return errorResponse(error, { ...headers, ...quota });
      }
    }),
  );
}

function charge(
  state: JiraSandboxState,
  principal: Principal | undefined,
  points: number,
): Record<string, string> {
  if (!principal || !state.rateLimits.quotaApplies(principal.kind)) return {};
  state.rateLimits.chargeQuota(principal.credential, points);
  return state.rateLimits.quotaHeaders(principal.credential);
}
