/**
 * Layer 1: one statement per call, sent through the extended query protocol (Parse / Bind / Execute on a
 * named portal, via pg-cursor). PostgreSQL itself refuses a Parse message holding several statements
 * ("cannot insert multiple commands into a prepared statement", 42601), so `SELECT 1; COMMIT; DROP TABLE t`
 * never runs, whatever the other layers think of it. The simple query protocol, which executes every
 * `;`-separated statement of a string (the channel of the published `COMMIT; DROP TABLE` bypasses), is only
 * used when this layer is switched off in tests.
 *
 * The portal also bounds memory: rows are read in batches of `batchSize`, rows before `skip` are discarded as
 * they arrive, and at most `maxRows` are kept.
 */
import type { FieldDef, PoolClient } from "pg";
import type Cursor from "pg-cursor";
import { loadPg } from "../client-libraries.js";
import { unlessConnectionLost } from "../connection-loss.js";
import { RAW_TEXT_TYPES } from "../postgres-values.js";

export type TextRow = (string | null)[];

export interface StatementOptions {
  /** Layer 1 on: extended protocol through a named portal. Off (tests only): the simple query protocol. */
  readonly extended: boolean;
  /** Rows to discard first (offset paging of statements that cannot be wrapped). */
  readonly skip: number;
  /** Rows to keep. */
  readonly maxRows: number;
  /** Rows per round trip. */
  readonly batchSize: number;
  /** Read to the end even past `maxRows` (counting, not keeping), for a write's exact row count. */
  readonly drain: boolean;
}

export interface StatementResult {
  readonly fields: readonly FieldDef[];
  readonly rows: TextRow[];
  /** The command tag's row count (INSERT/UPDATE/DELETE/SELECT n), when the statement ran to completion. */
  readonly rowCount: number | null;
  readonly command: string | null;
  /** The statement ran to completion (false: more rows were left unread). */
  readonly complete: boolean;
  /** Rows read past `maxRows` (drain) or the one extra row read to see whether more exist. */
  readonly rowsSeen: number;
}

interface CursorResult {
  fields?: FieldDef[];
  rowCount?: number | null;
  command?: string | null;
}

function readBatch(
  cursor: Cursor<TextRow>,
  count: number,
): Promise<{ rows: TextRow[]; result: CursorResult }> {
  return new Promise((resolve, reject) => {
    cursor.read(count, (error, rows, result) => {
      if (error) reject(error);
      else resolve({ rows, result: result as unknown as CursorResult });
    });
  });
}

/** Runs one statement on `client` and reads at most `skip + maxRows` rows (all of them when draining). */
export async function runStatement(
  client: PoolClient,
  text: string,
  params: readonly unknown[],
  options: StatementOptions,
): Promise<StatementResult> {
  if (!options.extended) return runSimple(client, text, params, options);
  // Loaded with pg by the pool's first connection, so this only picks it up.
  const { Cursor: PortalCursor } = await loadPg();
  const cursor = client.query(
    new PortalCursor<TextRow>(text, [...params], { rowMode: "array", types: RAW_TEXT_TYPES }),
  ) as unknown as Cursor<TextRow>;
  let fields: readonly FieldDef[] = [];
  let lastResult: CursorResult = {};
  const rows: TextRow[] = [];
  let seen = 0;
  let complete = false;
  try {
    let toSkip = options.skip;
    while (toSkip > 0) {
      const batch = await readBatch(cursor, Math.min(options.batchSize, toSkip));
      lastResult = batch.result;
      seen += batch.rows.length;
      toSkip -= batch.rows.length;
      if (batch.rows.length === 0) {
        complete = true;
        break;
      }
    }
    // One row past maxRows tells whether more exist, without reading them all.
    while (!complete) {
      const wanted = options.drain
        ? options.batchSize
        : Math.min(options.batchSize, options.maxRows + 1 - rows.length);
      if (!options.drain && wanted <= 0) break;
      const batch = await readBatch(cursor, wanted);
      lastResult = batch.result;
      seen += batch.rows.length;
      for (const row of batch.rows)
        if (rows.length < options.maxRows + (options.drain ? 0 : 1)) rows.push(row);
      if (batch.rows.length < wanted) complete = true;
    }
    fields = lastResult.fields ?? [];
  } finally {
    // Closing the portal (and Sync) hands the connection back in a clean protocol state, error or not. On a
    // connection that died mid-statement, close() would wait forever for ReadyForQuery: skip it (the
    // statement's own error is what the caller sees; the dead connection is closed, not pooled).
    await unlessConnectionLost(client, () => cursor.close());
  }
  const hasMore = !complete || rows.length > options.maxRows;
  return {
    fields,
    rows: rows.slice(0, options.maxRows),
    rowCount: complete ? (lastResult.rowCount ?? null) : null,
    command: lastResult.command ?? null,
    complete: !hasMore,
    rowsSeen: seen,
  };
}

/** The simple query protocol: every `;`-separated statement of `text` runs. Only for layer-off tests. */
async function runSimple(
  client: PoolClient,
  text: string,
  params: readonly unknown[],
  options: StatementOptions,
): Promise<StatementResult> {
  const outcome = (await client.query({
    text,
    ...(params.length > 0 ? { values: [...params] } : {}),
    rowMode: "array",
    types: RAW_TEXT_TYPES,
  })) as unknown;
  const results = (Array.isArray(outcome) ? outcome : [outcome]) as {
    fields: FieldDef[];
    rows: TextRow[];
    rowCount: number | null;
    command: string;
  }[];
  const last = results.at(-1) ?? { fields: [], rows: [], rowCount: null, command: null };
  const rows = last.rows.slice(options.skip);
  return {
    fields: last.fields ?? [],
    rows: rows.slice(0, options.maxRows),
    rowCount: last.rowCount,
    command: last.command,
    complete: rows.length <= options.maxRows,
    rowsSeen: last.rows.length,
  };
}
