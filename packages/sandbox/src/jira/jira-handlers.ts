import { http, type RequestHandler } from "msw";
import { createFaultHandler } from "../faults/fault-handler.js";
import { UpstreamFaults } from "../faults/upstream-faults.js";
import { normalizeBases, underBasesRegExp } from "../routing/route-pattern.js";
import { jiraFaultFlavor } from "./jira-fault-flavor.js";
import { errorResponse, JiraError, type JiraRoute, jiraRouteHandlers } from "./jira-http.js";
import { oauthHandlers } from "./jira-oauth-handlers.js";
import { JiraSandboxState, type JiraStateOptions } from "./jira-state.js";
import { issueRoutes } from "./routes/jira-issue-routes.js";
import { projectRoutes } from "./routes/jira-project-routes.js";
import { searchRoutes } from "./routes/jira-search-routes.js";
import { userRoutes } from "./routes/jira-user-routes.js";

export const JIRA_ROUTES: readonly JiraRoute[] = [
  ...searchRoutes,
  ...issueRoutes,
  ...projectRoutes,
  ...userRoutes,
];

export const JIRA_SITE_URL = "https://sandbox.atlassian.net";
export const ATLASSIAN_AUTH_URL = "https://auth.atlassian.com";
export const ATLASSIAN_API_URL = "https://api.atlassian.com";

export interface JiraSandboxOptions extends JiraStateOptions {
  /** The Jira site (Basic auth): absolute roots or paths on any origin. Default `https://sandbox.atlassian.net`. */
  readonly siteUrl?: string | readonly string[];
  /** Stand-in for `https://auth.atlassian.com` (`POST /oauth/token`). Default that URL. */
  readonly authUrl?: string | readonly string[];
  /**
   * Stand-in for `https://api.atlassian.com` (`/oauth/token/accessible-resources`, `/ex/jira/{cloudId}/…`).
   * Default that URL.
   */
  readonly gatewayUrl?: string | readonly string[];
  /** Use this state instead of a new one. */
  readonly state?: JiraSandboxState;
  /** Use this fault controller instead of a new one. */
  readonly faults?: UpstreamFaults;
}

export interface JiraSandbox {
  /** For `setupServer(...handlers)` or the loopback server: faults first, then the hosts, then JSON 404s. */
  readonly handlers: RequestHandler[];
  readonly state: JiraSandboxState;
  readonly faults: UpstreamFaults;
  readonly bases: {
    readonly site: readonly string[];
    readonly auth: readonly string[];
    readonly gateway: readonly string[];
  };
  /** Re-seeds the data, OAuth grants and rate-limit counters, and clears faults. */
  reset(): void;
}

/** Jira's `X-AREQUESTID`, unique per handler set. */
function requestIds(): () => string {
  let counter = 0;
  return () => {
    counter += 1;
    return `${(counter * 2_654_435_761).toString(16).padStart(8, "0").slice(-8)}-sandbox-${counter}`;
  };
}

/**
 * The fake Jira Cloud as MSW handlers: the site REST API (Basic auth), the OAuth host and the API gateway
 * (3LO access tokens, `/ex/jira/{cloudId}`). The same array works in-process and over loopback HTTP.
 */
export function createJiraSandboxHandlers(options: JiraSandboxOptions = {}): JiraSandbox {
  const site = normalizeBases(options.siteUrl ?? JIRA_SITE_URL);
  const auth = normalizeBases(options.authUrl ?? ATLASSIAN_AUTH_URL);
  const gateway = normalizeBases(options.gatewayUrl ?? ATLASSIAN_API_URL);
  const state = options.state ?? new JiraSandboxState(options);
  const faults =
    options.faults ??
    new UpstreamFaults("jira", {
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      now: state.now,
    });
  const primarySite =
    options.siteUrl === undefined ? JIRA_SITE_URL : ([options.siteUrl].flat()[0] ?? JIRA_SITE_URL);
  const siteUrl = (origin: string) =>
    primarySite.startsWith("/")
      ? `${origin}${primarySite.replace(/\/$/, "")}`
      : primarySite.replace(/\/$/, "");
  const nextRequestId = requestIds();
  const deps = { siteBases: site, gatewayBases: gateway, state, nextRequestId, siteUrl };
  const routes = [
    ...oauthHandlers({ authBases: auth, gatewayBases: gateway, state, siteUrl }),
    ...JIRA_ROUTES.flatMap((route) => jiraRouteHandlers(route, deps)),
  ];
  const notFound = [
    http.all(underBasesRegExp(auth), () =>
      Response.json({ error: "not_found", error_description: "Not Found" }, { status: 404 }),
    ),
    http.all(underBasesRegExp(gateway), ({ request, params }) => {
      const rest = typeof params.sandboxRest === "string" ? params.sandboxRest : "";
      const headers = { "x-arequestid": nextRequestId() };
      return rest.startsWith("/ex/jira/")
        ? errorResponse(new JiraError(404, [`null for uri: ${request.url}`]), headers)
        : Response.json({ code: 404, message: "Not Found" }, { status: 404, headers });
    }),
    http.all(underBasesRegExp(site), ({ request }) =>
      errorResponse(new JiraError(404, [`null for uri: ${request.url}`]), {
        "x-arequestid": nextRequestId(),
      }),
    ),
  ];
  const handlers = [
    createFaultHandler({
      bases: normalizeBases([...site, ...auth, ...gateway]),
      faults,
      flavor: jiraFaultFlavor(nextRequestId, state.now),
      handlers: () => [...routes, ...notFound],
    }),
    ...routes,
    ...notFound,
  ];
  return {
    handlers,
    state,
    faults,
    bases: { site, auth, gateway },
    reset() {
      faults.clear();
      state.reset();
    },
  };
}
