import { Readable } from "node:stream";
import { ConnectorError } from "@switchyard/core";
import type Cursor from "pg-cursor";
import { loadPg } from "./client-libraries.js";
import { unlessConnectionLost } from "./connection-loss.js";
import type { PostgresClient } from "./postgres-client.js";
import { mapPostgresError } from "./postgres-error.js";
import type { Lease } from "./postgres-pool.js";
import {
  BUILTIN_TYPE_NAMES,
  type ColumnInfo,
  columnKeys,
  convertRow,
  RAW_TEXT_TYPES,
} from "./postgres-values.js";
import { findDeniedCalls } from "./read-only/function-deny-list.js";
import {
  beginReadOnly,
  endReadOnly,
  type ReadEnd,
  type TransactionMarker,
} from "./read-only/read-only-transaction.js";
import type { TextRow } from "./read-only/single-statement.js";
import { guardRead, parseStatements } from "./read-only/sql-guard.js";

export interface StreamQueryOptions {
  /** Rows per round trip (and the most rows held in memory at once). Default: the `stream.batchSize` setting. */
  readonly batchSize?: number;
  /** Stops the export and closes its connection. */
  readonly signal?: AbortSignal;
  /** statement_timeout of this export; 0 turns it off. Default: the `stream.statementTimeoutMs` setting. */
  readonly statementTimeoutMs?: number;
  /** How long the export may wait for its consumer between batches. Default: `stream.idleInTransactionTimeoutMs`. */
  readonly idleInTransactionTimeoutMs?: number;
}

/** Live counters of one export: they show that rows were read in batches, not all at once. */
export interface StreamStats {
  /** Round trips that fetched rows. */
  batches: number;
  rows: number;
  /** The most rows held in memory at once (at most the batch size). */
  peakBufferedRows: number;
  /** Backend pid of the export's connection, for pg_stat_activity. */
  backendPid: number | undefined;
}

export type PostgresRow = Record<string, unknown>;

/** A streaming export: an async iterable of rows, also available as a Node object-mode Readable. */
export interface PostgresRowStream extends AsyncIterable<PostgresRow> {
  readonly stats: StreamStats;
  /** The result's columns, once the first batch has arrived. */
  columns(): ColumnInfo[] | undefined;
  /** The rows as an object-mode Readable (backpressure: batches are fetched as the consumer reads). */
  toReadable(): Readable;
  /** Ends the export early and returns its connection. */
  close(): Promise<void>;
}

function readBatch(cursor: Cursor<TextRow>, count: number) {
  return new Promise<{ rows: TextRow[]; fields: { name: string; dataTypeID: number }[] }>(
    (resolve, reject) => {
      cursor.read(count, (error, rows, result) => {
        if (error) reject(error);
        else
          resolve({
            rows,
            fields: (result as unknown as { fields?: { name: string; dataTypeID: number }[] }).fields ?? [],
          });
      });
    },
  );
}

/**
 * Streams the rows of one read through the same read-only layers as postgres_query (guard, deny list,
 * verified read-only transaction, session reset), with a server-side cursor: a named portal read
 * `batchSize` rows at a time, so millions of rows pass in constant memory. Nothing runs until iteration
 * starts; breaking out of the loop (or `close()`) ends the export and releases the connection.
 */
export function streamQuery(
  client: PostgresClient,
  sql: string,
  params: readonly unknown[] = [],
  options: StreamQueryOptions = {},
): PostgresRowStream {
  const settings = client.settings.stream;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? settings.batchSize));
  const stats: StreamStats = { batches: 0, rows: 0, peakBufferedRows: 0, backendPid: undefined };
  let columns: ColumnInfo[] | undefined;
  let iterator: AsyncGenerator<PostgresRow, void, undefined> | undefined;

  async function* generate(): AsyncGenerator<PostgresRow, void, undefined> {
    const { layers } = client;
    const plan = layers.sqlGuard
      ? await guardRead(sql, { ...client.guardOptions, allowExplain: false })
      : undefined;
    if (!layers.sqlGuard && layers.functionDenyList) {
      const denied = (await parseStatements(sql)).flatMap((statement) =>
        findDeniedCalls(statement.node, client.settings.maxSleepSeconds),
      );
      if (denied.length > 0) {
        throw new ConnectorError({
          code: "permission_denied",
          message: `Refused by the function deny list: ${denied.map((call) => call.name).join(", ")}.`,
          notApplied: true,
          details: { layer: "function-deny-list" },
        });
      }
    }
    const text = plan?.statement.text ?? sql;
    options.signal?.throwIfAborted();
    const lease: Lease = await client.pool.acquire({ signal: options.signal });
    const onAbort = () => lease.release(true);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    stats.backendPid = (lease.client as unknown as { processID?: number }).processID;
    let inTransaction = false;
    let marker: TransactionMarker | undefined;
    let cursor: Cursor<TextRow> | undefined;
    // Every row was read and the portal closed: what is left is the check, which rides with the ROLLBACK.
    let complete = false;
    let checkFailure: unknown;
    try {
      if (layers.readOnlyTransaction) {
        inTransaction = true;
        marker = await beginReadOnly(lease.client, {
          statementTimeoutMs: options.statementTimeoutMs ?? settings.statementTimeoutMs,
          lockTimeoutMs: client.settings.lockTimeoutMs,
          idleInTransactionTimeoutMs:
            options.idleInTransactionTimeoutMs ?? settings.idleInTransactionTimeoutMs,
        });
      }
      const { Cursor: PortalCursor } = await loadPg();
      cursor = lease.client.query(
        new PortalCursor<TextRow>(text, [...params], { rowMode: "array", types: RAW_TEXT_TYPES }),
      ) as unknown as Cursor<TextRow>;
      for (;;) {
        let batch: Awaited<ReturnType<typeof readBatch>>;
        try {
          batch = await readBatch(cursor, batchSize);
        } catch (error) {
          throw mapPostgresError(error) ?? error;
        }
        if (!columns) {
          const keys = columnKeys(batch.fields.map((field) => field.name));
          columns = batch.fields.map((field, index) => ({
            name: field.name,
            key: keys[index] as string,
            type: BUILTIN_TYPE_NAMES.get(field.dataTypeID) ?? `oid ${field.dataTypeID}`,
            typeOid: field.dataTypeID,
          }));
        }
        if (batch.rows.length > 0) stats.batches += 1;
        stats.peakBufferedRows = Math.max(stats.peakBufferedRows, batch.rows.length);
        const described = columns;
        for (const row of batch.rows) {
          stats.rows += 1;
          yield convertRow(row, described, { maxByteaBytes: client.settings.maxByteaBytes });
        }
        if (batch.rows.length < batchSize) break;
      }
      const finished = cursor;
      cursor = undefined;
      await unlessConnectionLost(lease.client, () => finished.close());
      complete = true;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      // A dead connection never answers the portal's Close: do not wait for it (see connection-loss.ts).
      const open = cursor;
      if (open && !lease.released) await unlessConnectionLost(lease.client, () => open.close());
      // One round trip: the check (once every row was read), ROLLBACK, and the session reset (layer 5). An export
      // that stopped early or failed is only rolled back and reset. Once the signal closed the connection, only
      // a pending check is attempted, and its failure fails the export.
      const end: ReadEnd =
        lease.released && !complete
          ? { clean: false }
          : await endReadOnly(lease.client, {
              marker,
              verify: complete,
              rollback: inTransaction,
              reset: client.layers.sessionReset,
            });
      // Without a transaction to roll back, only an export read to its end leaves the session as it found it.
      if (!lease.released) lease.release(!(end.clean && (complete || inTransaction)));
      if (complete) checkFailure = end.failure;
    }
    // Reached only when the export ran to its end: a failed check fails it after all.
    if (checkFailure !== undefined) throw checkFailure;
  }

  const start = () => {
    iterator ??= generate();
    return iterator;
  };

  return {
    stats,
    columns: () => columns,
    [Symbol.asyncIterator]: start,
    toReadable: () => Readable.from(start(), { objectMode: true }),
    async close() {
      if (iterator) await iterator.return(undefined);
    },
  };
}
