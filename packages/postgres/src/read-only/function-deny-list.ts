/**
 * Layer 4: functions a read may not call, found by walking the parse tree (never by searching the text, so
 * quoting, comments, `U&"\0070g_read_file"` escapes and schema qualification change nothing).
 *
 * Why a list when the read-only transaction exists: a READ ONLY transaction stops table writes, but not
 * everything with a side effect. Verified on PostgreSQL 15 inside BEGIN READ ONLY: pg_stat_reset(),
 * pg_logical_emit_message(), pg_advisory_lock() (outlives the transaction), pg_notify(), set_config() and
 * LOCK all succeed; pg_import_system_collations() writes catalog rows (reported against another MCP server);
 * dblink opens a second connection whose transaction is not ours; pg_read_file() reads server files.
 *
 * Names are matched case-insensitively on the last part of the name (`pg_catalog.pg_read_file` and
 * `"PG_READ_FILE"` alike), as a function call and as a field selection (`(x).pg_read_file` calls the
 * function too: attribute notation). A column that happens to share a listed name is refused as well; that
 * false positive is the price of catching the attribute-notation call.
 */

/** Exact names, grouped by why they are refused. */
const DENIED_FUNCTIONS: Readonly<Record<string, string>> = {
  // Server file system: read files and directories as the server's OS user.
  pg_read_file: "reads server files",
  pg_read_binary_file: "reads server files",
  pg_ls_dir: "lists server directories",
  pg_stat_file: "inspects server files",
  pg_ls_logdir: "lists server directories",
  pg_ls_waldir: "lists server directories",
  pg_ls_tmpdir: "lists server directories",
  pg_ls_archive_statusdir: "lists server directories",
  pg_ls_logicalsnapdir: "lists server directories",
  pg_ls_logicalmapdir: "lists server directories",
  pg_ls_replslotdir: "lists server directories",
  pg_ls_summariesdir: "lists server directories",
  pg_current_logfile: "reveals server log paths",
  pg_hba_file_rules: "reads server configuration files",
  pg_ident_file_mappings: "reads server configuration files",
  pg_show_all_file_settings: "reads server configuration files",
  // adminpack: writes and deletes server files.
  pg_file_write: "writes server files",
  pg_file_rename: "renames server files",
  pg_file_unlink: "deletes server files",
  pg_file_sync: "touches server files",
  pg_logdir_ls: "lists server directories",
  // Settings: set_config can lift statement_timeout or the read-only defaults for the session.
  set_config: "changes session settings (statement_timeout, read-only defaults)",
  // Sessions and the server: signal other backends, reload configuration, rotate logs, promote, import.
  pg_terminate_backend: "terminates other sessions",
  pg_cancel_backend: "cancels other sessions' queries",
  pg_reload_conf: "reloads the server configuration",
  pg_rotate_logfile: "rotates the server log",
  pg_promote: "promotes a standby",
  pg_import_system_collations: "writes catalog rows even inside a read-only transaction",
  pg_log_backend_memory_contexts: "writes to the server log",
  pg_switch_wal: "forces a WAL switch",
  pg_create_restore_point: "writes WAL",
  pg_backup_start: "starts a backup",
  pg_backup_stop: "stops a backup",
  pg_start_backup: "starts a backup",
  pg_stop_backup: "stops a backup",
  pg_wal_replay_pause: "pauses WAL replay",
  pg_wal_replay_resume: "resumes WAL replay",
  pg_drop_replication_slot: "drops a replication slot",
  pg_replication_slot_advance: "consumes a replication slot",
  pg_export_snapshot: "exports a snapshot for other sessions",
  pg_prewarm: "loads relations into shared buffers",
  gin_clean_pending_list: "rewrites an index",
  brin_summarize_new_values: "writes index summaries",
  brin_summarize_range: "writes index summaries",
  brin_desummarize_range: "writes index summaries",
  // Notifications reach other sessions even from a read-only transaction.
  pg_notify: "sends a notification to other sessions",
  // Sequences: nextval/setval change state outside the transaction (blocked in READ ONLY, refused earlier here).
  nextval: "advances a sequence",
  setval: "sets a sequence",
  // Transaction ids: assign an xid to a read, which the read-only check treats as a write.
  txid_current: "assigns a transaction id",
  pg_current_xact_id: "assigns a transaction id",
  // Functions that run SQL given as text: the text is not parsed by this guard.
  query_to_xml: "runs SQL given as text",
  query_to_xmlschema: "runs SQL given as text",
  query_to_xml_and_xmlschema: "runs SQL given as text",
  cursor_to_xml: "reads a cursor by name",
  cursor_to_xmlschema: "reads a cursor by name",
  ts_stat: "runs SQL given as text",
  // Statistics resets: destroy the cluster's cumulative statistics.
  pg_stat_reset: "resets statistics",
  pg_stat_reset_shared: "resets statistics",
  pg_stat_reset_single_table_counters: "resets statistics",
  pg_stat_reset_single_function_counters: "resets statistics",
  pg_stat_reset_slru: "resets statistics",
  pg_stat_reset_replication_slot: "resets statistics",
  pg_stat_reset_subscription_stats: "resets statistics",
  pg_stat_statements_reset: "resets statistics",
  // Sleeping: allowed only as a constant within the cap (see SLEEP_FUNCTIONS); these forms are refused.
  pg_sleep_for: "sleeps (use pg_sleep with a constant within the cap)",
  pg_sleep_until: "sleeps (use pg_sleep with a constant within the cap)",
};

/** Prefixes of whole families, each with its reason. */
const DENIED_PREFIXES: readonly (readonly [string, string])[] = [
  // Large objects: lo_import/lo_export read and write server files; the rest create, change or read blobs.
  ["lo_", "large-object functions (lo_import/lo_export touch server files)"],
  ["loread", "large-object functions"],
  ["lowrite", "large-object functions"],
  // dblink runs SQL on another connection, outside this transaction and its read-only mode.
  ["dblink", "opens another database connection outside the read-only transaction"],
  // Advisory locks outlive the statement (session locks outlive the transaction).
  ["pg_advisory_", "takes advisory locks"],
  ["pg_try_advisory_", "takes advisory locks"],
  // Logical decoding: emits WAL messages or consumes changes from slots.
  ["pg_logical_", "writes WAL or consumes logical decoding slots"],
  // Replication slots and origins.
  ["pg_create_", "creates replication slots"],
  ["pg_copy_", "copies replication slots"],
  ["pg_replication_origin_", "changes replication origins"],
  // Remaining statistics resets and any extension's reset function.
  ["pg_stat_reset", "resets statistics"],
];

const NO_EXEMPTIONS: ReadonlySet<string> = new Set();

/** In postgres_execute (a write anyway), sequences are ordinary: `INSERT ... VALUES (nextval('s'), ...)`. */
export const WRITE_EXEMPTIONS: ReadonlySet<string> = new Set(["nextval", "setval"]);

/** Allowed with a constant argument of at most the cap; statement_timeout bounds them anyway. */
export const SLEEP_FUNCTIONS = new Set(["pg_sleep"]);

/** Why `name` may not be called, or undefined when it may. */
export function deniedFunctionReason(name: string): string | undefined {
  const lower = name.toLowerCase();
  const exact = DENIED_FUNCTIONS[lower];
  if (exact) return exact;
  for (const [prefix, reason] of DENIED_PREFIXES) {
    if (lower.startsWith(prefix)) return reason;
  }
  return undefined;
}

/** Every exact name on the list (for docs and tests). */
export function deniedFunctionNames(): string[] {
  return Object.keys(DENIED_FUNCTIONS).sort();
}

/** Every denied prefix (for docs and tests). */
export function deniedFunctionPrefixes(): string[] {
  return DENIED_PREFIXES.map(([prefix]) => prefix);
}

/** A finding of the walk: what was called, where, and why it is refused. */
export interface DeniedCall {
  readonly name: string;
  readonly reason: string;
  /** Byte offset in the statement, when the parser gave one. */
  readonly location?: number | undefined;
}

type Json = Record<string, unknown>;

const stringValues = (list: unknown): string[] =>
  Array.isArray(list)
    ? list
        .map((entry) => ((entry as Json)?.String as { sval?: unknown } | undefined)?.sval)
        .filter((value): value is string => typeof value === "string")
    : [];

function constantSeconds(args: unknown): number | undefined {
  if (!Array.isArray(args) || args.length !== 1) return undefined;
  const constant = (args[0] as Json)?.A_Const as Json | undefined;
  if (!constant) return undefined;
  const ival = (constant.ival as { ival?: unknown } | undefined)?.ival;
  if (constant.ival !== undefined) return typeof ival === "number" ? ival : 0;
  const fval = (constant.fval as { fval?: unknown } | undefined)?.fval;
  if (typeof fval === "string") return Number(fval);
  return undefined;
}

/**
 * Walks a parse tree (libpg_query JSON) and returns every refused call: FuncCall nodes, and names selected
 * from a value (ColumnRef fields, A_Indirection) that match the list. `pg_sleep` passes only with one constant
 * argument of at most `maxSleepSeconds`.
 */
export function findDeniedCalls(
  tree: unknown,
  maxSleepSeconds: number,
  exempt: ReadonlySet<string> = NO_EXEMPTIONS,
): DeniedCall[] {
  const found: DeniedCall[] = [];
  const reasonFor = (name: string) =>
    exempt.has(name.toLowerCase()) ? undefined : deniedFunctionReason(name);
  const visit = (value: unknown, depth: number): void => {
    if (depth > 500 || value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const entry of value) visit(entry, depth + 1);
      return;
    }
    for (const [key, child] of Object.entries(value as Json)) {
      if (key === "FuncCall" && child && typeof child === "object") {
        const call = child as Json;
        const name = stringValues(call.funcname).at(-1);
        const location = typeof call.location === "number" ? call.location : undefined;
        if (name !== undefined) {
          const lower = name.toLowerCase();
          if (SLEEP_FUNCTIONS.has(lower)) {
            const seconds = constantSeconds(call.args);
            if (seconds === undefined || !(seconds <= maxSleepSeconds)) {
              found.push({
                name: lower,
                reason: `sleeps; only pg_sleep(<constant of at most ${maxSleepSeconds} seconds>) is allowed`,
                location,
              });
            }
          } else {
            const reason = reasonFor(lower);
            if (reason) found.push({ name: lower, reason, location });
          }
        }
      } else if (key === "ColumnRef" && child && typeof child === "object") {
        const fields = stringValues((child as Json).fields);
        // Only a qualified reference (x.name) can be a function call in attribute notation.
        for (const field of fields.slice(1)) {
          const reason =
            deniedFunctionReason(field) ?? (SLEEP_FUNCTIONS.has(field.toLowerCase()) ? "sleeps" : undefined);
          if (reason) found.push({ name: field.toLowerCase(), reason: `${reason} (attribute notation)` });
        }
      } else if (key === "A_Indirection" && child && typeof child === "object") {
        for (const field of stringValues((child as Json).indirection)) {
          const reason =
            deniedFunctionReason(field) ?? (SLEEP_FUNCTIONS.has(field.toLowerCase()) ? "sleeps" : undefined);
          if (reason) found.push({ name: field.toLowerCase(), reason: `${reason} (attribute notation)` });
        }
      }
      visit(child, depth + 1);
    }
  };
  visit(tree, 0);
  return found;
}
