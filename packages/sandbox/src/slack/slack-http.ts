/**
 * The Slack Web API's request and response conventions: arguments from the query string and a form, JSON or
 * multipart body; the token from `Authorization: Bearer` or a `token` form field; answers are HTTP 200 JSON
 * with `ok`, errors included (`{ ok: false, error: "<code>" }`).
 */

const JSON_TYPE = "application/json; charset=utf-8";

/** A Slack error answer: HTTP 200 (unless `status` says otherwise) with `{ ok: false, error, ...extra }`. */
export class SlackApiError extends Error {
  readonly code: string;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: string,
    extra: Readonly<Record<string, unknown>> = {},
    options: { readonly status?: number; readonly headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(code);
    this.code = code;
    this.extra = extra;
    this.status = options.status ?? 200;
    this.headers = options.headers ?? {};
  }
}

/** `invalid_arguments` with Slack's `[ERROR] missing required field: x` message. */
export function missingArgument(name: string): SlackApiError {
  return new SlackApiError("invalid_arguments", {
    response_metadata: { messages: [`[ERROR] missing required field: ${name}`] },
  });
}

export function invalidArgument(name: string, detail: string): SlackApiError {
  return new SlackApiError("invalid_arguments", {
    response_metadata: { messages: [`[ERROR] ${detail} [json-pointer:/${name}]`] },
  });
}

export function slackJson(body: unknown, headers: Record<string, string> = {}, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE, ...headers } });
}

export function errorResponse(error: SlackApiError, headers: Record<string, string>): Response {
  return slackJson(
    { ok: false, error: error.code, ...error.extra },
    { ...headers, ...error.headers },
    error.status,
  );
}

/** A method's arguments, whatever way they came in. Values from JSON keep their type; forms give strings. */
export class SlackArgs {
  readonly #values: Map<string, unknown>;
  /** How the body was encoded: the token may not ride in a JSON body. */
  readonly bodyKind: "none" | "form" | "json" | "multipart";
  /** The `token` form field, if any (never from JSON or the query string). */
  readonly formToken: string | undefined;

  constructor(values: Map<string, unknown>, bodyKind: SlackArgs["bodyKind"], formToken: string | undefined) {
    this.#values = values;
    this.bodyKind = bodyKind;
    this.formToken = formToken;
  }

  has(name: string): boolean {
    const value = this.#values.get(name);
    return value !== undefined && value !== null && value !== "";
  }

  /** A scalar argument as a string (numbers and booleans from JSON too); objects come back as JSON text. */
  string(name: string): string | undefined {
    const value = this.#values.get(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value.trim() === "") throw missingArgument(name);
    return value;
  }

  /** Slack's booleans: `true`/`1` are true, anything else false. */
  bool(name: string, fallback = false): boolean {
    const value = this.#values.get(name);
    if (value === undefined || value === null || value === "") return fallback;
    if (typeof value === "boolean") return value;
    return ["true", "1"].includes(String(value).trim().toLowerCase());
  }

  /** A whole number, or `onInvalid` when the value is not one. */
  integer(name: string, onInvalid: () => SlackApiError): number | undefined {
    const raw = this.string(name);
    if (raw === undefined || raw.trim() === "") return undefined;
    if (!/^-?\d+$/.test(raw.trim())) throw onInvalid();
    return Number(raw.trim());
  }

  /** A JSON argument (`blocks`, `attachments`): parsed from a string, or as given in a JSON body. */
  json(name: string, onInvalid: () => SlackApiError): unknown {
    const value = this.#values.get(name);
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value);
    } catch {
      throw onInvalid();
    }
  }
}

/** Reads the query string and the body into one set of arguments (body values win). */
export async function readArgs(request: Request): Promise<SlackArgs> {
  const values = new Map<string, unknown>();
  for (const [name, value] of new URL(request.url).searchParams) values.set(name, value);
  const method = request.method.toUpperCase();
  if (method === "GET" || method === "HEAD") return new SlackArgs(values, "none", undefined);
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    const text = await request.text();
    if (text.trim() === "") return new SlackArgs(values, "json", undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SlackApiError("invalid_json");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new SlackApiError("invalid_json");
    }
    for (const [name, value] of Object.entries(parsed)) values.set(name, value);
    return new SlackArgs(values, "json", undefined);
  }
  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw new SlackApiError("invalid_form_data");
    }
    for (const [name, value] of form) if (typeof value === "string") values.set(name, value);
    const token = form.get("token");
    return new SlackArgs(values, "multipart", typeof token === "string" ? token : undefined);
  }
  const text = await request.text();
  if (text.trim() === "") return new SlackArgs(values, "none", undefined);
  const form = new URLSearchParams(text);
  for (const [name, value] of form) values.set(name, value);
  return new SlackArgs(values, "form", form.get("token") ?? undefined);
}

/**
 * The request's token: `Authorization: Bearer …`, else a `token` form field (POST form or multipart bodies
 * only; Slack takes no token from a JSON body or, for current apps, the query string). undefined: none given.
 */
export function requestToken(request: Request, args: SlackArgs): string | undefined {
  const header = request.headers.get("authorization")?.trim();
  if (header) {
    const match = /^bearer\s+(\S+)$/i.exec(header);
    return match ? (match[1] as string) : header;
  }
  const field = args.formToken?.trim();
  return field === undefined || field === "" ? undefined : field;
}

/** `Authorization: Basic base64(client_id:client_secret)`, as oauth.v2.access prefers client credentials. */
export function basicCredentials(request: Request): { id: string; secret: string } | undefined {
  const header = request.headers.get("authorization")?.trim();
  const match = header ? /^basic\s+(\S+)$/i.exec(header) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
