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
 *
 * Round trips: the connector's own statements around the caller's are fixed text (the timeouts are integers
 * it computed, the search_path an escaped identifier from its settings), never caller input, so they are
 * batched into one simple-protocol message each: PostgreSQL runs a message's statements in order and stops at
 * the first error. Beginning is one round trip (BEGIN, SET TRANSACTION, SET LOCAL, identity); ending a read is
 * one (the check, ROLLBACK, and the session reset of layer 5 when it is on). The caller's statement never
 * joins them: it always goes alone through the extended protocol (layer 1).
 */
import { ConnectorError } from "@switchyard/core";
import type { PoolClient, QueryResult } from "pg";
import { loadPg } from "../client-libraries.js";
import { connectionLost } from "../connection-loss.js";
import { SESSION_RESET_SQL } from "./session-reset.js";

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

/** The identity row of a message whose last statement is IDENTIFY. */
function identityOf(outcome: QueryResult | QueryResult[]): Identity {
  // A multi-statement simple query resolves to one result per statement.
  const last = Array.isArray(outcome) ? outcome.at(-1) : outcome;
  const row = last?.rows[0] as Identity | undefined;
  if (!row) throw new Error("transaction identity query returned no row");
  return row;
}

async function identify(client: PoolClient): Promise<Identity> {
  return identityOf(await client.query<Identity>(IDENTIFY));
}

/** SET takes no parameters; these are integers the connector computed, never caller input. */
function setLocalTimeouts(timeouts: TransactionTimeouts): string {
  return (
    `SET LOCAL statement_timeout = ${milliseconds(timeouts.statementTimeoutMs)}; ` +
    `SET LOCAL lock_timeout = ${milliseconds(timeouts.lockTimeoutMs)}; ` +
    `SET LOCAL idle_in_transaction_session_timeout = ${milliseconds(timeouts.idleInTransactionTimeoutMs)}`
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

/**
 * BEGIN READ ONLY, the timeouts, and the transaction's identity (which pins the snapshot and the mode), in
 * one round trip. On any failure a transaction may have been begun: the caller ends it (endReadOnly with
 * `rollback`).
 */
export async function beginReadOnly(
  client: PoolClient,
  timeouts: TransactionTimeouts,
): Promise<TransactionMarker> {
  const identity = identityOf(
    await client.query<Identity>(
      `BEGIN READ ONLY; SET TRANSACTION READ ONLY; ${setLocalTimeouts(timeouts)}; ${IDENTIFY}`,
    ),
  );
  if (identity.read_only !== "on" || !identity.vxid) {
    throw broken("could not start in a read-only transaction", { readOnly: identity.read_only });
  }
  return { virtualTransaction: identity.vxid, readOnly: true };
}

/** The check after the statement: the same transaction, still read-only, and nothing written. */
function checkReadOnly(identity: Identity, marker: TransactionMarker): void {
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

/**
 * After the statement, in a round trip of its own: for work that runs more (trusted) queries before the
 * transaction ends. Otherwise the check rides with the ROLLBACK (endReadOnly with `verify`).
 */
export async function verifyReadOnly(client: PoolClient, marker: TransactionMarker): Promise<void> {
  checkReadOnly(await identify(client), marker);
}

/** How a read's session ended. */
export interface ReadEnd {
  /** The transaction is over (and the session reset, when asked): the connection may be pooled. */
  readonly clean: boolean;
  /** The check failed or could not run: the call fails with this, whatever its work returned. */
  readonly failure?: unknown;
}

export interface ReadEndOptions {
  /** The transaction's identity from beginReadOnly (undefined: none was begun, or beginning failed). */
  readonly marker: TransactionMarker | undefined;
  /** Check the transaction first (the work succeeded and has not been verified since the statement). */
  readonly verify: boolean;
  /** A transaction may be open (layer 2 began one, or tried to). */
  readonly rollback: boolean;
  /** Layer 5: reset the session (SESSION_RESET_SQL, which starts with its own ROLLBACK). */
  readonly reset: boolean;
}

/**
 * Ends a read in one round trip: `[identity;] ROLLBACK[; reset]` as one message, the same statements in the
 * same order as separate round trips would send them. The identity query comes first, so it sees the
 * caller's transaction as the statement left it; its row is taken as it arrives, so a failure later in the
 * message (the reset) cannot hide the verdict. If the identity query itself fails (a statement timeout, say),
 * nothing after it ran: the transaction is then ended (and the session reset) in a second message, and the
 * call fails with that error, as when the check was a round trip of its own. A connection that is already
 * lost is not written to.
 */
export async function endReadOnly(client: PoolClient, options: ReadEndOptions): Promise<ReadEnd> {
  const verifying = options.verify && options.marker !== undefined;
  const end = options.reset ? SESSION_RESET_SQL : options.rollback ? "ROLLBACK" : undefined;
  if (!verifying && end === undefined) return { clean: true };
  const lost = connectionLost(client);
  if (lost) return verifying ? { clean: false, failure: lost } : { clean: false };
  if (!verifying) {
    try {
      await client.query(end as string);
      return { clean: true };
    } catch {
      return { clean: false };
    }
  }
  const marker = options.marker as TransactionMarker;
  const text = end === undefined ? IDENTIFY : `${IDENTIFY}; ${end}`;
  const { identity, error } = await firstRowOf<Identity>(client, text);
  if (identity === undefined) {
    const failure = error ?? new Error("transaction identity query returned no row");
    if (end === undefined || connectionLost(client)) return { clean: false, failure };
    try {
      await client.query(end);
      return { clean: true, failure };
    } catch {
      return { clean: false, failure };
    }
  }
  try {
    checkReadOnly(identity, marker);
  } catch (failure) {
    return { clean: error === undefined, failure };
  }
  return { clean: error === undefined };
}

/** Runs a simple query and keeps the first row it returns, even when a later statement of the message fails. */
async function firstRowOf<Row>(
  client: PoolClient,
  text: string,
): Promise<{ identity: Row | undefined; error: unknown }> {
  const { pg } = await loadPg();
  return new Promise((resolve) => {
    let first: Row | undefined;
    const query = new pg.Query(text);
    query.on("row", (row: Row) => {
      first ??= row;
    });
    query.on("end", () => resolve({ identity: first, error: undefined }));
    query.on("error", (error: unknown) =>
      resolve({ identity: first, error: error ?? new Error("query failed") }),
    );
    client.query(query);
  });
}

/**
 * BEGIN READ WRITE for postgres_execute, with the timeouts, a fixed search_path for unqualified names and the
 * transaction's identity, in one round trip.
 */
export async function beginWrite(
  client: PoolClient,
  timeouts: TransactionTimeouts,
  searchPath: string,
): Promise<TransactionMarker> {
  const identity = identityOf(
    await client.query<Identity>(
      `BEGIN READ WRITE; ${setLocalTimeouts(timeouts)}; ` +
        `SET LOCAL search_path TO ${client.escapeIdentifier(searchPath)}; ${IDENTIFY}`,
    ),
  );
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
