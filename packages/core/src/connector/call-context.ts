import type { Credential } from "../credentials/credential.js";
import type { ContinueAt } from "../output/output-budget.js";
import { collectPage } from "../pagination/collect-page.js";
import type { CursorCodec, CursorState } from "../pagination/cursor-codec.js";
import type { BucketBudget } from "../rate-limit/bucket-spec.js";
import type { ListOptions, ListResult, ProgressUpdate, ToolContext } from "../tool/tool-context.js";

/** Mutable facts one call gathers across its attempts. */
export interface CallRecorder {
  pages: number;
  readonly requestIds: string[];
  /** Set by the last `list` of the last attempt: resumes the list at any returned item. */
  continueAt: ContinueAt | undefined;
  listedCount: number | undefined;
}

export interface AttemptContextInput<Client> {
  readonly client: Client;
  readonly credential: Credential | undefined;
  readonly signal: AbortSignal;
  readonly deadlineAt: number;
  readonly tenant: string;
  readonly connector: string;
  readonly tool: string;
  readonly attempt: number;
  readonly approvedTargets: readonly string[];
  readonly queryHash: string;
  readonly cursors: CursorCodec;
  readonly recorder: CallRecorder;
  readonly observe: (budget: BucketBudget, bucket: string | undefined) => void;
  readonly onProgress: ((update: ProgressUpdate) => void) | undefined;
}

const MAX_REQUEST_IDS = 20;

export function createToolContext<Client>(input: AttemptContextInput<Client>): ToolContext<Client> {
  const { recorder, cursors } = input;
  const binding = { tool: input.tool, queryHash: input.queryHash };
  const context: ToolContext<Client> = {
    client: input.client,
    credential: input.credential,
    signal: input.signal,
    deadlineAt: input.deadlineAt,
    tenant: input.tenant,
    connector: input.connector,
    tool: input.tool,
    attempt: input.attempt,
    approvedTargets: input.approvedTargets,
    observeRateLimit: (budget, bucket) => input.observe(budget, bucket),
    recordRequestId(requestId) {
      if (
        requestId &&
        recorder.requestIds.length < MAX_REQUEST_IDS &&
        !recorder.requestIds.includes(requestId)
      ) {
        recorder.requestIds.push(requestId);
      }
    },
    reportProgress(update) {
      try {
        input.onProgress?.(update);
      } catch {
        // A broken progress listener must not fail the call.
      }
    },
    async list<Item, Position>(options: ListOptions<Item, Position>): Promise<ListResult<Item>> {
      const from: CursorState = options.cursor
        ? cursors.decode(options.cursor, binding)
        : { position: options.start, skip: 0, pageSize: Math.min(options.limit, options.maxPageSize) };
      const collected = await collectPage({
        from,
        limit: options.limit,
        fetchPage: options.fetchPage,
        signal: input.signal,
        maxPages: options.maxPages ?? 5,
        onPage: (pagesRead) => {
          recorder.pages += 1;
          context.reportProgress({ done: pagesRead, message: `read page ${pagesRead}` });
        },
      });
      const encode = (state: CursorState | null) => (state ? cursors.encode(binding, state) : null);
      const nextCursor = encode(collected.next);
      recorder.listedCount = collected.items.length;
      recorder.continueAt = (index) =>
        index >= collected.items.length ? nextCursor : encode(collected.origins[index] ?? null);
      return { items: collected.items, nextCursor };
    },
  };
  return context;
}
