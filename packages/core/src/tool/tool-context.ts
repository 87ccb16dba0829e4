import type { Credential } from "../credentials/credential.js";
import type { FetchPage } from "../pagination/paginate.js";
import type { BucketBudget } from "../rate-limit/bucket-spec.js";

export interface ListOptions<Item, Position> {
  /** Items wanted (the tool's `limit` input). */
  readonly limit: number;
  /** The tool's `cursor` input. */
  readonly cursor: string | undefined;
  /** Position of the first page for a new query. */
  readonly start: Position;
  /** The upstream's largest page size; the first call uses min(limit, this) and pins it in the cursor. */
  readonly maxPageSize: number;
  /** Fetches one page and maps its items to the tool's output shape, in upstream order. */
  readonly fetchPage: FetchPage<Item, Position>;
  /** Upstream pages this call may read. Default 5. */
  readonly maxPages?: number;
}

export interface ListResult<Item> {
  /** Return these unchanged (same order and count) as the tool's `items`: the output budget relies on it. */
  readonly items: Item[];
  readonly nextCursor: string | null;
}

export interface ProgressUpdate {
  readonly done: number;
  readonly total?: number;
  readonly message?: string;
}

/** What a tool's `execute` gets besides its validated input. */
export interface ToolContext<Client> {
  readonly client: Client;
  /** The credential this attempt uses, when the connector has one. */
  readonly credential: Credential | undefined;
  /** Fires on the deadline and on cancellation; pass it to every upstream call. */
  readonly signal: AbortSignal;
  /** Epoch ms by which the call must be over. */
  readonly deadlineAt: number;
  readonly tenant: string;
  readonly connector: string;
  readonly tool: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Targets outside the allowlists that an approval cleared for this call; allowlist checks let them through. */
  readonly approvedTargets: readonly string[];
  /** Feeds the upstream's rate-limit headers to the limiter; `bucket` defaults to the tool's own. */
  observeRateLimit(budget: BucketBudget, bucket?: string): void;
  /** Records an upstream request id for errors, metadata and the audit trail. */
  recordRequestId(requestId: string | null | undefined): void;
  /** Reports progress of multi-page work (MCP progress notifications). */
  reportProgress(update: ProgressUpdate): void;
  /** Reads a list from a cursor, bounded, with a signed nextCursor and exact resume after budget cuts. */
  list<Item, Position>(options: ListOptions<Item, Position>): Promise<ListResult<Item>>;
}
