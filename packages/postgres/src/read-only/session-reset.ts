/**
 * Layer 5: a connection goes back to the pool as it came out. Some session state survives ROLLBACK:
 * prepared statements (PREPARE), session advisory locks, WITH HOLD cursors of committed transactions,
 * LISTEN registrations, temporary tables, and anything a statement managed to commit. One call must not
 * leave any of that for the next call (another tenant, perhaps) to find. A read-only, rolled-back call is no
 * exception: a function or view the statement calls can take a session advisory lock (pg_advisory_lock is
 * not a write, and the lock outlives ROLLBACK) without the parse tree showing it, so the reset never depends
 * on what the statement looked like.
 *
 * ROLLBACK first (guarantees no transaction stays open; a warning when none is), then what DISCARD ALL does:
 * CLOSE ALL + SET SESSION AUTHORIZATION DEFAULT + RESET ALL + DEALLOCATE ALL + UNLISTEN * +
 * pg_advisory_unlock_all() + DISCARD PLANS/TEMP/SEQUENCES. That list is DISCARD ALL's documented equivalent
 * and what discard.c runs (checked in PostgreSQL 15 and 18). It is spelled out because DISCARD ALL itself
 * refuses to run inside a transaction block, and every statement after the first in a multi-statement
 * message runs in one (`ROLLBACK; DISCARD ALL` fails): spelled out, the reset shares one round trip with
 * the ROLLBACK (and, for reads, with the transaction's final check; see endReadOnly). RESET ALL returns
 * settings to the session's startup values, so the connector's own startup options
 * (default_transaction_read_only, timeouts, application_name) stay. If any of it fails, the connection is
 * closed instead of pooled.
 */
import type { PoolClient } from "pg";

/** DISCARD ALL as the statements it is equivalent to, which (unlike DISCARD ALL) may share a message. */
export const DISCARD_ALL_STATEMENTS =
  "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DEALLOCATE ALL; UNLISTEN *; " +
  "SELECT pg_catalog.pg_advisory_unlock_all(); DISCARD PLANS; DISCARD TEMP; DISCARD SEQUENCES";

/** The whole reset, one simple-protocol message (the connector's own fixed text). */
export const SESSION_RESET_SQL = `ROLLBACK; ${DISCARD_ALL_STATEMENTS}`;

/** Resets the session in one round trip; resolves false when the connection should be closed rather than reused. */
export async function resetSession(client: PoolClient): Promise<boolean> {
  try {
    await client.query(SESSION_RESET_SQL);
    return true;
  } catch {
    return false;
  }
}
