/**
 * Layer 5: a connection goes back to the pool as it came out. Some session state survives ROLLBACK:
 * prepared statements (PREPARE), session advisory locks, WITH HOLD cursors of committed transactions,
 * LISTEN registrations, temporary tables, and anything a statement managed to commit. One call must not
 * leave any of that for the next call (another tenant, perhaps) to find.
 *
 * ROLLBACK first (guarantees no transaction stays open; a warning when none is), then DISCARD ALL, which is
 * CLOSE ALL + SET SESSION AUTHORIZATION DEFAULT + RESET ALL + DEALLOCATE ALL + UNLISTEN * +
 * pg_advisory_unlock_all() + DISCARD PLANS/TEMP/SEQUENCES. RESET ALL returns settings to the session's
 * startup values, so the connector's own startup options (default_transaction_read_only, timeouts,
 * application_name) stay. If any of it fails, the connection is closed instead of pooled.
 */
import type { PoolClient } from "pg";

/** Resets the session; resolves false when the connection should be closed rather than reused. */
export async function resetSession(client: PoolClient): Promise<boolean> {
  try {
    await client.query("ROLLBACK");
    await client.query("DISCARD ALL");
    return true;
  } catch {
    return false;
  }
}
