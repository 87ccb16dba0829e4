import { http, type RequestHandler } from "msw";
import { BASE_PARAM, routeRegExp } from "../routing/route-pattern.js";
import type { TokenEndpointResult } from "./jira-oauth.js";
import type { JiraSandboxState } from "./jira-state.js";

/**
 * The two Atlassian hosts around the API: `auth.atlassian.com` (`POST /oauth/token`, refresh-token grant with
 * rotation) and `api.atlassian.com` (`GET /oauth/token/accessible-resources`; the API itself under
 * `/ex/jira/{cloudId}` is served by the route handlers).
 */

const JSON_TYPE = "application/json; charset=utf-8";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE, ...headers } });

async function readForm(request: Request): Promise<Record<string, string> | undefined> {
  const text = await request.text();
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    return Object.fromEntries(
      Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  } catch {
    return undefined;
  }
}

export interface OAuthHandlerDeps {
  readonly authBases: readonly string[];
  readonly gatewayBases: readonly string[];
  readonly state: JiraSandboxState;
  readonly siteUrl: (origin: string) => string;
}

function tokenEndpoint(
  state: JiraSandboxState,
  form: Record<string, string> | undefined,
): TokenEndpointResult {
  if (!form) {
    return {
      status: 400,
      body: { error: "invalid_request", error_description: "The request body is not valid." },
    };
  }
  const grantType = form.grant_type;
  if (grantType !== "refresh_token" && grantType !== "authorization_code") {
    return {
      status: 400,
      body: {
        error: "unsupported_grant_type",
        error_description: `Unsupported grant type: ${grantType ?? "none"}`,
      },
    };
  }
  if (form.client_id !== state.oauth.clientId || form.client_secret !== state.oauth.clientSecret) {
    return { status: 401, body: { error: "access_denied", error_description: "Unauthorized" } };
  }
  if (grantType === "authorization_code") {
    return {
      status: 403,
      body: {
        error: "invalid_grant",
        error_description: "The sandbox issues no authorization codes; start from the seeded refresh token.",
      },
    };
  }
  if (!form.refresh_token) {
    return { status: 400, body: { error: "invalid_request", error_description: "Missing refresh_token." } };
  }
  return state.oauth.refresh(form.refresh_token);
}

export function oauthHandlers(deps: OAuthHandlerDeps): RequestHandler[] {
  const { state } = deps;
  return [
    http.post(routeRegExp(deps.authBases, "/oauth/token"), async ({ request }) => {
      const result = tokenEndpoint(state, await readForm(request));
      return json(result.status, result.body, { "cache-control": "no-store", pragma: "no-cache" });
    }),
    http.get(routeRegExp(deps.gatewayBases, "/oauth/token/accessible-resources"), ({ request, params }) => {
      const match = /^bearer\s+(\S+)$/i.exec(request.headers.get("authorization")?.trim() ?? "");
      const check = match ? state.oauth.checkAccessToken(match[1] as string) : undefined;
      if (!check?.ok) return json(401, { code: 401, message: "Unauthorized" });
      const base = typeof params[BASE_PARAM] === "string" ? params[BASE_PARAM] : request.url;
      const siteUrl = deps.siteUrl(new URL(base).origin);
      return json(200, [
        {
          id: state.cloudId,
          url: siteUrl,
          name: "sandbox",
          scopes: check.grant.scopes.filter((scope) => scope !== "offline_access"),
          avatarUrl: `${siteUrl}/images/atlassian-avatar.png`,
        },
      ]);
    }),
  ];
}
