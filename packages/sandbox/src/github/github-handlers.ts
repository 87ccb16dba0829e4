import { http, type RequestHandler } from "msw";
import { createFaultHandler } from "../faults/fault-handler.js";
import { UpstreamFaults } from "../faults/upstream-faults.js";
import { normalizeBases, underBasesRegExp } from "../routing/route-pattern.js";
import { githubFaultFlavor } from "./github-fault-flavor.js";
import { DOCS, errorResponse, GithubError, githubRouteHandlers } from "./github-http.js";
import { GithubSandboxState, type GithubStateOptions } from "./github-state.js";
import { accountRoutes } from "./routes/github-account-routes.js";
import { codeRoutes } from "./routes/github-code-routes.js";
import { issueRoutes } from "./routes/github-issue-routes.js";
import { pullRoutes } from "./routes/github-pull-routes.js";
import { searchRoutes } from "./routes/github-search-routes.js";

export const GITHUB_ROUTES = [
  ...accountRoutes,
  ...issueRoutes,
  ...pullRoutes,
  ...codeRoutes,
  ...searchRoutes,
];

export interface GithubSandboxOptions extends GithubStateOptions {
  /**
   * Where the fake answers: absolute API roots (`https://api.github.com`, `https://ghe.example.com/api/v3`)
   * and/or paths that match on any origin (`/github`). Default `https://api.github.com`.
   */
  readonly baseUrl?: string | readonly string[];
  /** Use this state instead of a new one (to share data between several handler sets). */
  readonly state?: GithubSandboxState;
  /** Use this fault controller instead of a new one. */
  readonly faults?: UpstreamFaults;
}

export interface GithubSandbox {
  /** For `setupServer(...handlers)` or the loopback server: faults first, then the API, then a JSON 404. */
  readonly handlers: RequestHandler[];
  readonly state: GithubSandboxState;
  readonly faults: UpstreamFaults;
  /** The normalised bases the handlers answer on. */
  readonly bases: readonly string[];
  /** Re-seeds the data and clears faults and rate-limit counts. */
  reset(): void;
}

/** A request id in GitHub's `XXXX:XXXX:XXXXXX:XXXXXXX:XXXXXXXX` shape, unique per handler set. */
function requestIds(): () => string {
  let counter = 0;
  return () => {
    counter += 1;
    const hex = (value: number, width: number) =>
      value.toString(16).toUpperCase().padStart(width, "0").slice(-width);
    return `5A4D:B0C5:${hex(counter, 6)}:${hex(counter * 2_654_435_761, 7)}:${hex(counter * 40_503, 8)}`;
  };
}

/**
 * The fake GitHub REST API as MSW handlers. The same array works in-process (`setupServer(...handlers)`,
 * with `baseUrl` the URL the client is configured with) and over HTTP (`serveMswHandlers`, `startSandbox`).
 */
export function createGithubSandboxHandlers(options: GithubSandboxOptions = {}): GithubSandbox {
  const bases = normalizeBases(options.baseUrl ?? "https://api.github.com");
  const state = options.state ?? new GithubSandboxState(options);
  const faults =
    options.faults ??
    new UpstreamFaults("github", {
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      now: state.now,
    });
  const nextRequestId = requestIds();
  const routeHandlers = GITHUB_ROUTES.flatMap((route) =>
    githubRouteHandlers(route, { bases, state, nextRequestId }),
  );
  const notFound = http.all(underBasesRegExp(bases), () =>
    errorResponse(new GithubError(404, "Not Found"), DOCS, { "x-github-request-id": nextRequestId() }),
  );
  const handlers = [
    createFaultHandler({
      bases,
      faults,
      flavor: githubFaultFlavor(nextRequestId),
      handlers: () => [...routeHandlers, notFound],
    }),
    ...routeHandlers,
    notFound,
  ];
  return {
    handlers,
    state,
    faults,
    bases,
    reset() {
      faults.clear();
      state.reset();
    },
  };
}
