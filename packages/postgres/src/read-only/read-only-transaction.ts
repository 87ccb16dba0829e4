/**
 * Layer 2: every read runs in a `BEGIN READ ONLY` transaction (plus `SET TRANSACTION READ ONLY`, with the
 * timeouts as `SET LOCAL`), so PostgreSQL refuses writes (25006) whatever the statement turned out to be:
 * a VOLATILE function that writes, a data-modifying CTE, FOR UPDATE, nextval(). Sessions also start with
 * `default_transaction_read_only = on`, so a statement that somehow ran outside our transaction is still
 * read-only.
 *
 * A transaction is only a boundary if the statement cannot end it. So the transaction is identified before
 * the statement (its virtual transaction id, which also takes the snapshot: from then on
 * `SET transaction_read_only = off` fails with 25001) and checked again after it, before the result is used:
 * same virtual transaction, still read-only, no transaction id assigned (a write would have needed one).
 * Reads always end with ROLLBACK.
 */
import { ConnectorError } from "@switchyard/core";
import type { PoolClient } from "pg";

export interface TransactionTimeouts {
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly idleInTransactionTimeoutMs: number;
}

/** Who the transaction is, as seen before the statement ran. */
export interface TransactionMarker {
  readonly virtualTransaction: string;
  readonly readOnly: boolean;
}

const IDENTIFY = `SELECT pg_catalog.current_setting('transaction_read_only') AS read_only,
  (SELECT l.virtualtransaction FROM pg_catalog.pg_locks l
    WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'virtualxid' LIMIT 1) AS vxid,
  pg_catalog.pg_current_xact_id_if_assigned() IS NOT NULL AS has_xid`;

interface Identity {
  read_only: string;
  vxid: string | null;
  has_xid: boolean;
}

const milliseconds = (value: number) => {
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`invalid timeout ${value}`);
  return `${value}`;
};

async function identify(client: PoolClient): Promise<Identity> {
  const result = await client.query<Identity>(IDENTIFY);
  const row = result.rows[0];
  if (!row) throw new Error("transaction identity query returned no row");
  return row;
}

async function setTimeouts(client: PoolClient, timeouts: TransactionTimeouts): Promise<void> {
  // SET takes no parameters; these are integers the connector computed, never caller input.
  await client.query(
    `SET LOCAL statement_timeout = ${milliseconds(timeouts.statementTimeoutMs)}; ` +
      `SET LOCAL lock_timeout = ${milliseconds(timeouts.lockTimeoutMs)}; ` +
      `SET LOCAL idle_in_transaction_session_timeout = ${milliseconds(timeouts.idleInTransactionTimeoutMs)}`,
  );
}

function broken(reason: string, details: Record<string, unknown>): ConnectorError {
  return new ConnectorError({
    code: "permission_denied",
    message: `The statement ${reason}; its result was discarded and the session rolled back.`,
    hint: "Statements may not end, replace or change the read-only transaction they run in. Do not retry it.",
    details: { layer: "read-only-transaction", ...details },
  });
}

/** BEGIN READ ONLY, the timeouts, and the transaction's identity (which pins the snapshot and the mode). */
export async function beginReadOnly(
  client: PoolClient,
  timeouts: TransactionTimeouts,
): Promise<TransactionMarker> {
  await client.query("BEGIN READ ONLY");
  await client.query("SET TRANSACTION READ ONLY");
  await setTimeouts(client, timeouts);
  const identity = await identify(client);
  if (identity.read_only !== "on" || !identity.vxid) {
    throw broken("could not start in a read-only transaction", { readOnly: identity.read_only });
  }
  return { virtualTransaction: identity.vxid, readOnly: true };
}

/** After the statement: the same transaction, still read-only, and nothing written. */
export async function verifyReadOnly(client: PoolClient, marker: TransactionMarker): Promise<void> {
  const identity = await identify(client);
  if (identity.vxid !== marker.virtualTransaction) {
    throw broken("ended the read-only transaction (COMMIT, ROLLBACK or similar)", {
      reason: "transaction_changed",
    });
  }
  if (identity.read_only !== "on") {
    throw broken("switched the transaction to read-write", { reason: "read_write" });
  }
  if (identity.has_xid) {
    throw broken("acquired a transaction id (something wrote or asked for one)", { reason: "xid_assigned" });
  }
}

/** BEGIN READ WRITE for postgres_execute, with the timeouts and a fixed search_path for unqualified names. */
export async function beginWrite(
  client: PoolClient,
  timeouts: TransactionTimeouts,
  searchPath: string,
): Promise<TransactionMarker> {
  await client.query("BEGIN READ WRITE");
  await setTimeouts(client, timeouts);
  await client.query(`SET LOCAL search_path TO ${client.escapeIdentifier(searchPath)}`);
  const identity = await identify(client);
  if (!identity.vxid) throw broken("could not start a transaction", {});
  return { virtualTransaction: identity.vxid, readOnly: false };
}

/** Before COMMIT: the write must still be inside the transaction it was given. */
export async function verifyWrite(client: PoolClient, marker: TransactionMarker): Promise<void> {
  const identity = await identify(client);
  if (identity.vxid !== marker.virtualTransaction) {
    throw broken("ended its transaction", { reason: "transaction_changed" });
  }
}

/** Ends a transaction, ignoring "no transaction in progress". */
export async function rollback(client: PoolClient): Promise<void> {
  await client.query("ROLLBACK");
}
