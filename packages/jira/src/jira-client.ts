import type { Credential, ToolContext } from "@switchyard/core";
import { ConnectorError, credentialsMissing, registerSecret } from "@switchyard/core";
import type { Config, Version3Client } from "jira.js";
import type { z } from "zod";
import type { JiraProjectAllowlist } from "./jira-allowlist.js";
import { JiraHttpError, JiraTransportError } from "./jira-error.js";
import { type HeaderMap, rateObservations, readRateLimit } from "./jira-rate-limits.js";
import { JIRA_ENV } from "./jira-settings.js";
import { VERSION } from "./version.js";

/** Caps on user text in outputs, so one long description cannot take a whole output budget. */
export interface JiraTextLimits {
  readonly descriptionChars: number;
  readonly commentChars: number;
}

/** What every Jira tool gets as `ctx.client`: a jira.js client for the current credential plus settings. */
export interface JiraClient {
  /**
   * The jira.js client for this credential, created on first use: jira.js (and axios under it) is imported
   * then, not when the connector is built, so building the connector and listing its tools stay cheap.
   * Rejects with a ConnectorError (`internal`) when jira.js cannot be loaded.
   */
  readonly jira: () => Promise<Version3Client>;
  /** REST root requests go to: the site, or `<gateway>/ex/jira/{cloudId}`. */
  readonly apiBaseUrl: string;
  /** The site people browse (`https://acme.atlassian.net`), for issue links; unknown only for bare tokens. */
  readonly siteUrl: string | undefined;
  readonly allowlist: JiraProjectAllowlist;
  readonly text: JiraTextLimits;
  readonly auth: "basic" | "bearer";
}

export type JiraContext = ToolContext<JiraClient>;

export interface JiraClientOptions {
  readonly credential: Credential | undefined;
  readonly siteUrl: string | undefined;
  readonly gatewayUrl: string;
  readonly cloudId: string | undefined;
  readonly allowlist: JiraProjectAllowlist;
  readonly text: JiraTextLimits;
}

let jiraJs: Promise<typeof import("jira.js")> | undefined;

/**
 * jira.js, imported once, on the first request (about 60 ms of jira.js and axios at start-up that listing
 * tools never needs). A failed import is not kept, so a later call tries again.
 */
function loadJiraJs(): Promise<typeof import("jira.js")> {
  jiraJs ??= import("jira.js").catch((error: unknown) => {
    jiraJs = undefined;
    throw new ConnectorError({
      code: "internal",
      message: `The Jira client library (jira.js) could not be loaded: ${(error as Error)?.message ?? String(error)}`,
      hint: "The connector's installation is incomplete (its dependency jira.js is missing or broken). Retrying will not help; ask the operator to reinstall @switchyard/jira.",
      cause: error,
    });
  });
  return jiraJs;
}

/**
 * One jira.js `Version3Client` per credential, created on the first request (see `JiraClient.jira`). jira.js
 * 5 sends through axios: redirects are not followed (a redirect could carry the Authorization header
 * elsewhere), proxies from the environment are not used, and nothing retries (axios has no retries of its own
 * and jira.js's OAuth manager, which retries a 401, is not used: core refreshes and retries). Per-request
 * abort signals and timeouts are added by `jiraRequest`.
 */
export function createJiraClient(options: JiraClientOptions): JiraClient {
  const { credential } = options;
  if (!credential) throw credentialsMissing("apiToken", JIRA_ENV.apiToken);
  const attributes = credential.attributes ?? {};
  const gatewayBase = options.cloudId ? `${options.gatewayUrl}/ex/jira/${options.cloudId}` : undefined;
  const email = attributes.email;
  const apiBaseUrl = email
    ? (gatewayBase ?? options.siteUrl)
    : (attributes.apiBaseUrl ?? gatewayBase ?? options.siteUrl);
  if (!apiBaseUrl) throw credentialsMissing("baseUrl", JIRA_ENV.baseUrl);
  const baseRequestConfig = {
    maxRedirects: 0,
    proxy: false as const,
    headers: { "User-Agent": `switchyard-jira/${VERSION}`, Accept: "application/json" },
  };
  let config: Config;
  if (email) {
    // The Authorization header carries base64("email:token"): register that form for redaction too.
    registerSecret(`${email}:${credential.value}`);
    config = {
      host: apiBaseUrl,
      authentication: { basic: { email, apiToken: credential.value } },
      baseRequestConfig,
    };
  } else {
    config = {
      host: apiBaseUrl,
      authentication: { oauth2: { accessToken: credential.value } },
      baseRequestConfig,
    };
  }
  let created: Promise<Version3Client> | undefined;
  const jira = () => {
    created ??= loadJiraJs().then(
      (module) => new module.Version3Client(config),
      (error: unknown) => {
        created = undefined;
        throw error;
      },
    );
    return created;
  };
  return {
    jira,
    apiBaseUrl,
    siteUrl: attributes.siteUrl ?? options.siteUrl,
    allowlist: options.allowlist,
    text: options.text,
    auth: email ? "basic" : "bearer",
  };
}

export interface JiraRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under the REST root, e.g. `/rest/api/3/issue/ABC-1`; identifiers in it are validated first. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
  readonly body?: unknown;
}

export interface JiraResponse<Data> {
  readonly data: Data;
  readonly headers: HeaderMap;
  readonly status: number;
}

/** What axios's error looks like; checked structurally, since jira.js brings its own copy of axios. */
interface AxiosErrorLike {
  readonly isAxiosError: true;
  readonly code?: string;
  readonly message?: string;
  readonly response?: { readonly status: number; readonly headers?: unknown; readonly data?: unknown };
}

function isAxiosError(error: unknown): error is AxiosErrorLike {
  return (
    typeof error === "object" && error !== null && (error as { isAxiosError?: unknown }).isAxiosError === true
  );
}

/** axios hands headers as AxiosHeaders; tools get a plain lower-case map of strings. */
export function plainHeaders(headers: unknown): HeaderMap {
  const out: Record<string, string> = {};
  if (!headers || typeof headers !== "object") return out;
  const source =
    typeof (headers as { toJSON?: unknown }).toJSON === "function"
      ? (headers as { toJSON: () => Record<string, unknown> }).toJSON()
      : (headers as Record<string, unknown>);
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

/**
 * Sends one request through the call's jira.js client with the call's abort signal and a timeout at its
 * deadline, records the `x-arequestid`, feeds rate-limit headers to the limiter (on errors too: a 429 carries
 * the headers that matter most), then validates the body against `schema`.
 */
export async function jiraRequest<Schema extends z.ZodType>(
  ctx: JiraContext,
  request: JiraRequest,
  schema: Schema,
): Promise<JiraResponse<z.output<Schema>>> {
  const response = await sendJira(ctx.client, request, {
    signal: ctx.signal,
    deadlineAt: ctx.deadlineAt,
    onAnswer: (status, headers) => observeResponse(ctx, status, headers),
  });
  return { data: schema.parse(response.data), headers: response.headers, status: response.status };
}

export interface SendOptions {
  readonly signal: AbortSignal;
  /** Epoch ms: the request's axios timeout ends there. */
  readonly deadlineAt: number;
  /** Sees every answer's status and headers, errors included. */
  readonly onAnswer?: (status: number, headers: HeaderMap) => void;
}

/**
 * The one place jira.js (axios) is called. axios errors carry the request config, Authorization header
 * included. They never leave this function: an answer becomes a `JiraHttpError` (status, a few headers, the
 * body), a failure to get one a `JiraTransportError` (the socket error code only), and an abort rethrows the
 * signal's own reason (core's deadline or cancellation error).
 */
export async function sendJira(
  client: JiraClient,
  request: JiraRequest,
  options: SendOptions,
): Promise<JiraResponse<unknown>> {
  // Outside the try below: a failed import is a ConnectorError of its own, not an answer from Jira.
  const jira = await client.jira();
  options.signal.throwIfAborted();
  let response: { data: unknown; headers: unknown; status: number };
  try {
    response = await jira.sendRequestFullResponse<unknown>({
      method: request.method,
      url: request.path,
      ...(request.query ? { params: withoutUndefined(request.query) } : {}),
      ...(request.body === undefined ? {} : { data: request.body }),
      signal: options.signal,
      timeout: Math.max(1, options.deadlineAt - Date.now()),
      validateStatus: (status: number) => status >= 200 && status < 300,
    });
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    if (isAxiosError(error)) {
      if (error.response) {
        const headers = plainHeaders(error.response.headers);
        options.onAnswer?.(error.response.status, headers);
        throw new JiraHttpError({
          status: error.response.status,
          method: request.method,
          path: request.path,
          headers,
          body: error.response.data,
        });
      }
      throw new JiraTransportError(error.code, request.method, request.path);
    }
    // Anything else (a jira.js configuration error) is ours; it carries no request.
    throw error;
  }
  const headers = plainHeaders(response.headers);
  options.onAnswer?.(response.status, headers);
  return { data: response.data, headers, status: response.status };
}

function withoutUndefined(query: NonNullable<JiraRequest["query"]>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
}

/** Records the request id and hands rate-limit headers to the limiter, scoped by `RateLimit-Reason`. */
export function observeResponse(ctx: JiraContext, status: number, headers: HeaderMap): void {
  ctx.recordRequestId(headers["x-arequestid"]);
  const now = Date.now();
  for (const observation of rateObservations(status, readRateLimit(headers, now), now)) {
    ctx.observeRateLimit(observation.budget, observation.bucket);
  }
}

/** `https://acme.atlassian.net/browse/ABC-1`, when the site is known. */
export function browseUrl(client: JiraClient, key: string): string | null {
  return client.siteUrl ? `${client.siteUrl}/browse/${key}` : null;
}
