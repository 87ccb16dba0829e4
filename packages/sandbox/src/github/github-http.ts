import { http, type RequestHandler } from "msw";
import { BASE_PARAM, routeRegExp } from "../routing/route-pattern.js";
import { verifyAppJwt } from "./github-app-jwt.js";
import type { IssueRecord, Principal, RepoRecord } from "./github-model.js";
import { type RateBudget, type RateResource, rateLimitHeaders } from "./github-rate-limit.js";
import { type GithubLinks, GithubWire, linksFor } from "./github-serialize.js";
import type { GithubSandboxState } from "./github-state.js";

export const DOCS = "https://docs.github.com/rest";
export const SUPPORTED_API_VERSIONS = ["2022-11-28", "2026-03-10"] as const;
const DEFAULT_API_VERSION = "2022-11-28";
const JSON_TYPE = "application/json; charset=utf-8";

/** An error answer in GitHub's shape: `{ message, documentation_url, status }` plus `errors[]` on 422. */
export class GithubError extends Error {
  readonly status: number;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    message: string,
    extra: Readonly<Record<string, unknown>> = {},
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.status = status;
    this.extra = extra;
    this.headers = headers;
  }
}

export interface ValidationErrorItem {
  readonly resource: string;
  readonly field?: string;
  readonly code: "missing" | "missing_field" | "invalid" | "already_exists" | "unprocessable" | "custom";
  readonly message?: string;
  readonly value?: unknown;
}

export const notFound = (message = "Not Found") => new GithubError(404, message);

export function validationFailed(
  errors: readonly ValidationErrorItem[],
  message = "Validation Failed",
): GithubError {
  return new GithubError(422, message, { errors });
}

export interface RouteResult {
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RouteAuth = "token" | "app";

export interface GithubRoute {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Below the API root; `:name` is a segment, `*name` the rest of the path. */
  readonly path: string;
  /** The rate-limit budget the request counts against; null: it counts against none (GET /rate_limit). */
  readonly resource: RateResource | null;
  /** `token`: a PAT or installation token (default); `app`: an App JWT. */
  readonly auth?: RouteAuth;
  /** `documentation_url` of this route's errors. */
  readonly docs?: string;
  handle(ctx: GithubContext): RouteResult | Promise<RouteResult>;
}

const PER_PAGE_DEFAULT = 30;
const PER_PAGE_MAX = 100;

export interface PaginateOptions {
  /** GitHub search: at most this many results reachable (1000). */
  readonly ceiling?: number;
  /** Path (below the API root) the Link URLs use; default the request's path. */
  readonly linkPath?: string;
}

/** Everything a route needs about one request. */
export class GithubContext {
  readonly request: Request;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly state: GithubSandboxState;
  readonly links: GithubLinks;
  readonly wire: GithubWire;
  readonly #principal: Principal | undefined;

  constructor(
    request: Request,
    params: Readonly<Record<string, string>>,
    state: GithubSandboxState,
    links: GithubLinks,
    principal: Principal | undefined,
  ) {
    this.request = request;
    this.url = new URL(request.url);
    this.params = params;
    this.state = state;
    this.links = links;
    this.wire = new GithubWire(state, links);
    this.#principal = principal;
  }

  get principal(): Principal {
    if (!this.#principal) throw new GithubError(401, "Requires authentication");
    return this.#principal;
  }

  query(name: string): string | undefined {
    const value = this.url.searchParams.get(name);
    return value === null ? undefined : value;
  }

  param(name: string): string {
    const value = this.params[name];
    if (value === undefined) throw notFound();
    return value;
  }

  /** The JSON object body of a write; 400 "Problems parsing JSON" as GitHub answers, when it is not one. */
  async body(): Promise<Record<string, unknown>> {
    const text = await this.request.text();
    if (text.trim() === "") return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new GithubError(400, "Problems parsing JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new GithubError(400, "Body should be a JSON object");
    }
    return parsed as Record<string, unknown>;
  }

  /** The route's repository, by owner/name or id; 404 when unknown or invisible to the caller. */
  repo(): RepoRecord {
    const id = this.params.repository_id;
    const repo =
      id !== undefined
        ? /^\d+$/.test(id)
          ? this.state.repoById(Number(id))
          : undefined
        : this.state.repo(this.param("owner"), this.param("repo"));
    if (!repo || !this.state.canRead(this.principal, repo)) throw notFound();
    return repo;
  }

  /** The route's issue (or pull request, as an issue); 404 when there is none. */
  issue(repo: RepoRecord, param = "issue_number"): IssueRecord {
    const raw = this.param(param);
    const issue = /^\d+$/.test(raw) ? repo.issues.get(Number(raw)) : undefined;
    if (!issue) throw notFound();
    return issue;
  }

  /** One page of `items` by `per_page` (default 30, max 100) and `page`, with GitHub's Link header. */
  paginate<T>(
    items: readonly T[],
    options: PaginateOptions = {},
  ): { items: T[]; headers: Record<string, string> } {
    const rawPerPage = Number.parseInt(this.query("per_page") ?? "", 10);
    const perPage =
      Number.isFinite(rawPerPage) && rawPerPage > 0 ? Math.min(rawPerPage, PER_PAGE_MAX) : PER_PAGE_DEFAULT;
    const rawPage = Number.parseInt(this.query("page") ?? "", 10);
    const page = Number.isFinite(rawPage) && rawPage > 0 ? rawPage : 1;
    const reachable = options.ceiling === undefined ? items.length : Math.min(items.length, options.ceiling);
    if (options.ceiling !== undefined && (page - 1) * perPage >= options.ceiling) {
      throw new GithubError(422, `Only the first ${options.ceiling} search results are available`);
    }
    const last = Math.max(1, Math.ceil(reachable / perPage));
    const start = (page - 1) * perPage;
    const pageItems = items.slice(start, Math.min(start + perPage, reachable));
    const link = this.#link(page, last, options.linkPath);
    return { items: pageItems, headers: link ? { link } : {} };
  }

  #link(page: number, last: number, linkPath: string | undefined): string | undefined {
    if (last <= 1 && page <= 1) return undefined;
    const path =
      linkPath ?? this.url.pathname.slice(new URL(this.links.api).pathname.replace(/\/$/, "").length);
    const urlFor = (target: number) => {
      const params = new URLSearchParams(this.url.searchParams);
      params.set("page", String(target));
      return `<${this.links.api}${path}?${params.toString()}>`;
    };
    const parts: string[] = [];
    if (page > 1) parts.push(`${urlFor(Math.min(page - 1, last))}; rel="prev"`);
    if (page < last) parts.push(`${urlFor(page + 1)}; rel="next"`, `${urlFor(last)}; rel="last"`);
    if (page > 1) parts.push(`${urlFor(1)}; rel="first"`);
    return parts.length > 0 ? parts.join(", ") : undefined;
  }
}

export interface GithubHandlerDeps {
  readonly bases: readonly string[];
  readonly state: GithubSandboxState;
  readonly nextRequestId: () => string;
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE, ...headers } });
}

export function errorResponse(error: GithubError, docs: string, headers: Record<string, string>): Response {
  return jsonResponse(
    error.status,
    { message: error.message, ...error.extra, documentation_url: docs, status: String(error.status) },
    { ...headers, ...error.headers },
  );
}

function bearerToken(request: Request): string | undefined | null {
  const header = request.headers.get("authorization");
  if (header === null || header.trim() === "") return undefined;
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header.trim());
  return match ? (match[1] as string) : null;
}

function authenticate(
  route: GithubRoute,
  request: Request,
  state: GithubSandboxState,
): Principal | undefined {
  const token = bearerToken(request);
  if (route.auth === "app") {
    if (token === undefined) {
      throw new GithubError(401, "A JSON web token could not be decoded");
    }
    const result = verifyAppJwt(token ?? "", state.now(), state.appPublicKey());
    if (!result.ok) throw new GithubError(401, result.message);
    return undefined;
  }
  if (token === undefined) throw new GithubError(401, "Requires authentication");
  if (token === null) throw new GithubError(401, "Bad credentials");
  const check = state.checkToken(token);
  if (!check.ok) throw new GithubError(401, check.message);
  return check.principal;
}

function rateLimited(budget: RateBudget, principal: Principal): GithubError {
  const who =
    principal.kind === "installation"
      ? `installation ID ${principal.installation.id}`
      : `user ID ${principal.login}`;
  return new GithubError(
    403,
    `API rate limit exceeded for ${who}. If you reach out to GitHub Support for help, please include the request ID.`,
    {},
    rateLimitHeaders(budget),
  );
}

function toParams(
  params: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === "string") result[name] = value;
  }
  return result;
}

/** Repository routes are also served under `/repositories/:id/...`, the form GitHub's Link headers use. */
function routePaths(path: string): string[] {
  return path.startsWith("/repos/:owner/:repo")
    ? [path, path.replace("/repos/:owner/:repo", "/repositories/:repository_id")]
    : [path];
}

/**
 * Turns a route into MSW handlers: request id, API version, authentication, per-token rate limits (counted
 * on success and error alike, headers on every authenticated answer), then the route, then GitHub's error
 * shape for anything it throws.
 */
export function githubRouteHandlers(route: GithubRoute, deps: GithubHandlerDeps): RequestHandler[] {
  const method = route.method.toLowerCase() as "get" | "post" | "patch" | "delete";
  const docs = route.docs ?? DOCS;
  return routePaths(route.path).map((path) =>
    http[method](routeRegExp(deps.bases, path), async ({ request, params }) => {
      const routeParams = toParams(params);
      const links = linksFor(routeParams[BASE_PARAM] ?? "https://api.github.com");
      const requested = request.headers.get("x-github-api-version");
      const headers: Record<string, string> = {
        "x-github-request-id": deps.nextRequestId(),
        "x-github-media-type": "github.v3; format=json",
        "x-github-api-version-selected": requested ?? DEFAULT_API_VERSION,
      };
      try {
        if (requested !== null && !(SUPPORTED_API_VERSIONS as readonly string[]).includes(requested)) {
          headers["x-github-api-version-selected"] = DEFAULT_API_VERSION;
          throw new GithubError(
            400,
            `API version ${requested} is not supported. Supported versions: ${SUPPORTED_API_VERSIONS.join(", ")}.`,
          );
        }
        const principal = authenticate(route, request, deps.state);
        // Classic PATs report their scopes on every response; fine-grained and installation tokens do not.
        if (principal?.kind === "user" && principal.token.startsWith("ghp_"))
          headers["x-oauth-scopes"] = "repo, read:org";
        if (principal && route.resource) {
          const budget = deps.state.rateLimits.take(principal.token, route.resource);
          Object.assign(headers, rateLimitHeaders(budget));
          if (budget.exceeded) throw rateLimited(budget, principal);
        } else if (principal) {
          Object.assign(headers, rateLimitHeaders(deps.state.rateLimits.peek(principal.token, "core")));
        }
        const ctx = new GithubContext(request, routeParams, deps.state, links, principal);
        const result = await route.handle(ctx);
        return jsonResponse(result.status ?? 200, result.body, { ...headers, ...result.headers });
      } catch (error) {
        if (error instanceof GithubError) return errorResponse(error, docs, headers);
        throw error;
      }
    }),
  );
}
