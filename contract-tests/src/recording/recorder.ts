import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setupServer } from "msw/node";
import { createScrubber, type Scrubber } from "./scrub.js";

/**
 * Record mode (`CONTRACT_TARGET=live CONTRACT_RECORD=1`): the responses the live scenarios saw are written to
 * `contract-tests/recordings/<upstream>/<tool>/<NN>.json`, scrubbed (secrets and personal data), one file per
 * request of the scenario's call, in order. Those recordings are the fixtures drift detection validates
 * against the connectors' wire schemas.
 *
 * Capture is a second MSW server that handles nothing (`onUnhandledRequest: "bypass"`): every request goes
 * to the real upstream, and its `response:bypass` event hands over a copy of the answer, for `fetch` (octokit,
 * Slack's WebClient) and `node:http` (axios under jira.js) alike. setup.ts starts it in live record mode only;
 * the worker's main MSW server never listens under live. Only requests made while a scenario has opened a
 * recording scope, to that scenario's upstream, are kept.
 */

/** `contract-tests/recordings/`, or CONTRACT_RECORDINGS_DIR (a scratch directory for a trial run). */
export const RECORDINGS_DIR =
  process.env.CONTRACT_RECORDINGS_DIR?.trim() || fileURLToPath(new URL("../../recordings/", import.meta.url));

/** Response headers worth keeping: shape and paging, never cookies or anything identifying. */
const KEPT_HEADERS = [
  "content-type",
  "link",
  "retry-after",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "x-ratelimit-resource",
  "x-ratelimit-used",
  "x-github-api-version-selected",
  "x-accepted-github-permissions",
  "x-oauth-scopes",
  "x-accepted-oauth-scopes",
];

export interface RecordingScope {
  readonly upstream: string;
  readonly tool: string;
  readonly scenario: string;
  /** The API root requests must be under to be recorded (`https://api.github.com`). */
  readonly baseUrl: string;
}

export interface Recording {
  readonly upstream: string;
  readonly tool: string;
  readonly scenario: string;
  readonly recordedAt: string;
  readonly request: {
    readonly method: string;
    /** Below the API root, query included, scrubbed. */
    readonly path: string;
    readonly body?: unknown;
  };
  readonly response: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    /** Parsed JSON when the body is JSON, else the text (scrubbed). */
    readonly body: unknown;
  };
}

interface RawExchange {
  readonly scope: RecordingScope;
  readonly index: number;
  readonly method: string;
  readonly path: string;
  readonly requestBody: string | undefined;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

let scope: RecordingScope | undefined;
let scopeRequests = 0;
const exchanges: RawExchange[] = [];
const pending = new Set<Promise<void>>();
let recorder: ReturnType<typeof setupServer> | undefined;

export function recordModeRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env.CONTRACT_RECORD?.trim() ?? "");
}

/** Opens the recording scope of one scenario call; requests outside a scope are not recorded. */
export function beginRecording(next: RecordingScope): void {
  scope = next;
  scopeRequests = 0;
}

export function endRecording(): void {
  scope = undefined;
}

/** Whether the recorder is listening (record mode is on in this worker). */
export function isRecording(): boolean {
  return recorder !== undefined;
}

function underBase(url: string, baseUrl: string): boolean {
  const base = baseUrl.replace(/\/$/, "");
  return base !== "" && (url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`));
}

/**
 * Hands one request/response pair to the recorder, if a scope is open and the request goes to its upstream.
 * The response must be a copy the caller does not read (MSW's bypass event gives one).
 */
export function captureExchange(request: Request, response: Response): void {
  const active = scope;
  if (!active || !underBase(request.url, active.baseUrl)) return;
  scopeRequests += 1;
  const index = scopeRequests;
  const task = (async () => {
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const body = await response.text().catch(() => "");
    const requestBody =
      request.method === "GET" || request.method === "HEAD"
        ? undefined
        : await request
            .clone()
            .text()
            .catch(() => undefined);
    exchanges.push({
      scope: active,
      index,
      method: request.method.toUpperCase(),
      path: request.url.slice(active.baseUrl.replace(/\/$/, "").length) || "/",
      requestBody: requestBody === "" ? undefined : requestBody,
      status: response.status,
      headers,
      body,
    });
  })().finally(() => pending.delete(task));
  pending.add(task);
}

/** Starts the pass-through recorder (fetch and node:http); requests still go to the real upstream. */
export function startRecorder(): void {
  if (recorder) return;
  recorder = setupServer();
  recorder.events.on("response:bypass", ({ request, response }) => captureExchange(request, response));
  recorder.listen({ onUnhandledRequest: "bypass" });
}

export function stopRecorder(): void {
  recorder?.close();
  recorder = undefined;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text !== "" && /\bjson\b/i.test(contentType ?? "")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** Turns captured exchanges into scrubbed recordings (pure: also used on synthetic exchanges in tests). */
export function toRecordings(
  raw: readonly RawExchange[],
  scrubber: Scrubber,
  recordedAt: string,
): Recording[] {
  return raw.map((exchange) => {
    const requestBody =
      exchange.requestBody === undefined ? undefined : parseBody(exchange.requestBody, "application/json");
    const body = parseBody(exchange.body, exchange.headers["content-type"]);
    // The bodies first: the scrubber learns logins and names there, then applies them to the path and links.
    const scrubbedBody = scrubber.scrub(body);
    const scrubbedRequestBody = requestBody === undefined ? undefined : scrubber.scrub(requestBody);
    const scrubbedHeaders = Object.fromEntries(
      Object.entries(exchange.headers).map(([name, value]) => [name, scrubber.scrubText(value)]),
    );
    return {
      upstream: exchange.scope.upstream,
      tool: exchange.scope.tool,
      scenario: exchange.scope.scenario,
      recordedAt,
      request: {
        method: exchange.method,
        path: scrubber.scrubText(exchange.path),
        ...(scrubbedRequestBody === undefined ? {} : { body: scrubbedRequestBody }),
      },
      response: { status: exchange.status, headers: scrubbedHeaders, body: scrubbedBody },
    };
  });
}

export type { RawExchange };

/** The captured exchanges so far (after in-flight captures finish), and forgets them. */
export async function takeExchanges(): Promise<RawExchange[]> {
  await Promise.all([...pending]);
  return exchanges.splice(0, exchanges.length);
}

/**
 * Writes the recordings of this worker: each tool's folder is replaced by what this run saw, so a scenario
 * that now makes fewer requests leaves no stale file behind.
 */
export function writeRecordings(recordings: readonly Recording[], dir = RECORDINGS_DIR): string[] {
  const written: string[] = [];
  const byTool = new Map<string, Recording[]>();
  for (const recording of recordings) {
    const key = `${recording.upstream}/${recording.tool}`;
    byTool.set(key, [...(byTool.get(key) ?? []), recording]);
  }
  for (const [key, list] of byTool) {
    const folder = join(dir, key);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    list.forEach((recording, index) => {
      const file = join(folder, `${String(index + 1).padStart(2, "0")}.json`);
      writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`);
      written.push(file);
    });
  }
  return written;
}

/** Every recording under `dir` (`<upstream>/<tool>/<NN>.json`), for drift validation. */
export function readRecordings(dir = RECORDINGS_DIR): { file: string; recording: Recording }[] {
  const found: { file: string; recording: Recording }[] = [];
  const walk = (folder: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".json")) {
        found.push({ file: path, recording: JSON.parse(readFileSync(path, "utf8")) as Recording });
      }
    }
  };
  walk(dir);
  return found;
}

/** One scrubber per worker run: placeholders stay consistent across the files it writes. */
export const runScrubber = createScrubber();
