import type { Allowlist, ToolContext } from "@switchyard/core";
import { ConnectorError, createAllowlist } from "@switchyard/core";
import type { FieldDef, PoolClient } from "pg";
import { connectionLost } from "./connection-loss.js";
import { mapPostgresError, type PostgresErrorContext } from "./postgres-error.js";
import { judgeOrder } from "./postgres-order.js";
import { type PoolStats, PostgresPool } from "./postgres-pool.js";
import type { ConnectionTarget, PostgresStreamSettings } from "./postgres-settings.js";
import {
  BUILTIN_TYPE_NAMES,
  type ColumnInfo,
  columnKeys,
  convertRow,
  type ValueOptions,
} from "./postgres-values.js";
import { findDeniedCalls } from "./read-only/function-deny-list.js";
import {
  beginReadOnly,
  beginWrite,
  endReadOnly,
  rollback,
  type TransactionMarker,
  type TransactionTimeouts,
  verifyReadOnly,
  verifyWrite,
} from "./read-only/read-only-transaction.js";
import { resetSession } from "./read-only/session-reset.js";
import { runStatement, type StatementResult } from "./read-only/single-statement.js";
import {
  type GuardOptions,
  guardExplain,
  guardRead,
  guardWrite,
  type ParsedStatement,
  parseStatements,
  type RelationTarget,
  wrapForExplain,
  wrapForPage,
} from "./read-only/sql-guard.js";

/**
 * The independent read-only layers. All on in production; tests switch all but one off to show that each
 * holds on its own (least privilege, the sixth layer, lives in the database: sql/least-privilege.sql).
 */
export interface ReadOnlyLayers {
  /** 1: one statement, extended protocol. Off: the simple query protocol (several statements run). */
  readonly singleStatement: boolean;
  /** 2: BEGIN READ ONLY (+ session default), verified after the statement, always rolled back. */
  readonly readOnlyTransaction: boolean;
  /** 3: the PostgreSQL parser allows only reads. */
  readonly sqlGuard: boolean;
  /** 4: calls on the function deny list are refused (walked in the parse tree). */
  readonly functionDenyList: boolean;
  /** 5: ROLLBACK + DISCARD ALL (spelled out, one round trip) before a connection returns to the pool. */
  readonly sessionReset: boolean;
}

export const ALL_LAYERS: ReadOnlyLayers = {
  singleStatement: true,
  readOnlyTransaction: true,
  sqlGuard: true,
  functionDenyList: true,
  sessionReset: true,
};

/** Settings with every default filled in. */
export interface ResolvedPostgresSettings {
  readonly target: ConnectionTarget;
  readonly max: number;
  readonly connectionTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxLifetimeSeconds: number;
  readonly maxUses: number | undefined;
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly idleInTransactionTimeoutMs: number;
  readonly applicationName: string;
  readonly writeSchemas: readonly string[];
  readonly defaultSchema: string;
  readonly maxRows: number;
  readonly maxByteaBytes: number;
  readonly maxSleepSeconds: number;
  readonly stream: Required<{ [K in keyof PostgresStreamSettings]-?: number }>;
}

/** A call's time budget and cancellation. */
export interface CallScope {
  readonly signal?: AbortSignal | undefined;
  readonly deadlineAt?: number | undefined;
}

export interface ReadRequest extends CallScope {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly offset: number;
  readonly pageSize: number;
}

export interface ReadPage {
  readonly columns: ColumnInfo[];
  readonly rows: Record<string, unknown>[];
  readonly hasMore: boolean;
  readonly orderIsTotal: boolean;
  readonly notes: string[];
  readonly command: string | null;
}

export interface WriteRequest extends CallScope {
  readonly sql: string;
  readonly params: readonly unknown[];
  /** Schemas an approval cleared for this call. */
  readonly approvedSchemas: readonly string[];
  /** RETURNING rows kept in the output. */
  readonly returningLimit: number;
}

export interface WriteOutcome {
  readonly command: string;
  readonly rowsAffected: number;
  readonly schemas: string[];
  readonly columns: ColumnInfo[];
  readonly returning: Record<string, unknown>[];
  readonly returningTruncated: boolean;
}

/** One trusted catalog query inside `PostgresClient.catalog`. */
export type CatalogQuery = <Row extends Record<string, unknown>>(
  sql: string,
  params?: readonly unknown[],
) => Promise<Row[]>;

/** Margin kept between a statement's own timeout and the call's deadline, for the rollback and the reply. */
const DEADLINE_MARGIN_MS = 100;

/** What every PostgreSQL tool gets as `ctx.client`: the pool and the guarded executors. */
export class PostgresClient {
  readonly pool: PostgresPool;
  private readonly typeNames = new Map<string, string>();
  private readonly valueOptions: ValueOptions;
  private readonly writeAllowlist: Allowlist;

  constructor(
    readonly settings: ResolvedPostgresSettings,
    readonly layers: ReadOnlyLayers = ALL_LAYERS,
  ) {
    this.pool = new PostgresPool({
      target: settings.target,
      max: settings.max,
      connectionTimeoutMs: settings.connectionTimeoutMs,
      idleTimeoutMs: settings.idleTimeoutMs,
      maxLifetimeSeconds: settings.maxLifetimeSeconds,
      maxUses: settings.maxUses,
      statementTimeoutMs: settings.statementTimeoutMs,
      lockTimeoutMs: settings.lockTimeoutMs,
      idleInTransactionTimeoutMs: settings.idleInTransactionTimeoutMs,
      applicationName: settings.applicationName,
      sessionReadOnly: layers.readOnlyTransaction,
    });
    this.valueOptions = { maxByteaBytes: settings.maxByteaBytes };
    this.writeAllowlist = createAllowlist(settings.writeSchemas, "write schemas (POSTGRES_WRITE_SCHEMAS)");
  }

  get guardOptions(): GuardOptions {
    return { functionDenyList: this.layers.functionDenyList, maxSleepSeconds: this.settings.maxSleepSeconds };
  }

  /** Per-call timeouts: the configured ones, never past the call's deadline. */
  timeouts(deadlineAt: number | undefined): TransactionTimeouts {
    const remaining =
      deadlineAt === undefined ? Number.POSITIVE_INFINITY : deadlineAt - Date.now() - DEADLINE_MARGIN_MS;
    const statementTimeoutMs = Math.max(1, Math.floor(Math.min(this.settings.statementTimeoutMs, remaining)));
    return {
      statementTimeoutMs,
      lockTimeoutMs: Math.max(1, Math.min(this.settings.lockTimeoutMs, statementTimeoutMs)),
      idleInTransactionTimeoutMs: this.settings.idleInTransactionTimeoutMs,
    };
  }

  /**
   * Checks out a connection for `work`, and returns it reset (layer 5) or closes it. A cancelled or expired
   * call closes its connection at once: the server stops at the statement's timeout at the latest, which is
   * never later than the call's deadline. Writes use it; reads use withReadSession.
   */
  async withSession<Result>(
    scope: CallScope,
    work: (client: PoolClient, timeouts: TransactionTimeouts) => Promise<Result>,
  ): Promise<Result> {
    const lease = await this.pool.acquire(scope);
    const onAbort = () => lease.release(true);
    scope.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      // Timeouts are computed once the connection is ours: waiting for the pool used part of the deadline.
      return await work(lease.client, this.timeouts(scope.deadlineAt));
    } finally {
      scope.signal?.removeEventListener("abort", onAbort);
      if (!lease.released) {
        // A connection that died during the call is closed (the lease never pools it); nothing to reset.
        const clean =
          connectionLost(lease.client) === undefined &&
          (this.layers.sessionReset ? await resetSession(lease.client) : true);
        lease.release(!clean);
      }
    }
  }

  /**
   * A read's session: a connection (as withSession), `work` in a read-only transaction (layer 2) verified after
   * it and always rolled back, and the session reset (layer 5). The connector's own statements go in two
   * round trips: one begins (BEGIN READ ONLY, SET TRANSACTION READ ONLY, SET LOCAL timeouts, identity), one
   * ends (identity check, ROLLBACK, reset). `verify` checks the transaction at once, for work that sends more
   * queries of its own after the caller's statement (type names, unique keys); work that does not call it is
   * checked by the ending round trip, before its result is returned. Each layer still runs when the other is
   * off. A connection whose ending failed, or that died, is closed instead of pooled.
   */
  private async withReadSession<Result>(
    scope: CallScope,
    work: (client: PoolClient, timeouts: TransactionTimeouts, verify: () => Promise<void>) => Promise<Result>,
  ): Promise<Result> {
    const lease = await this.pool.acquire(scope);
    const { client } = lease;
    const onAbort = () => lease.release(true);
    scope.signal?.addEventListener("abort", onAbort, { once: true });
    const transaction = this.layers.readOnlyTransaction;
    let marker: TransactionMarker | undefined;
    let verified = false;
    let outcome:
      | { readonly ok: true; readonly value: Result }
      | { readonly ok: false; readonly error: unknown };
    try {
      // Timeouts are computed once the connection is ours: waiting for the pool used part of the deadline.
      const timeouts = this.timeouts(scope.deadlineAt);
      if (transaction) marker = await beginReadOnly(client, timeouts);
      const begun = marker;
      const verify = async () => {
        if (verified) return;
        if (begun) await verifyReadOnly(client, begun);
        verified = true;
      };
      outcome = { ok: true, value: await work(client, timeouts, verify) };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      scope.signal?.removeEventListener("abort", onAbort);
    }
    // After a failure the transaction may be aborted, so no check is sent: ROLLBACK (and the reset) only.
    const end = await endReadOnly(client, {
      marker,
      verify: outcome.ok && !verified,
      rollback: transaction,
      reset: this.layers.sessionReset,
    });
    // A connection that died during the call is closed by the lease whatever `clean` says.
    if (!lease.released) lease.release(!end.clean);
    if (!outcome.ok) throw outcome.error;
    if (end.failure !== undefined) throw end.failure;
    return outcome.value;
  }

  /** Layer 4 without layer 3: the deny list still needs the parse tree. */
  private async denyListOnly(sql: string): Promise<void> {
    if (!this.layers.functionDenyList || this.layers.sqlGuard) return;
    const statements = await parseStatements(sql);
    const denied = statements.flatMap((statement) =>
      findDeniedCalls(statement.node, this.settings.maxSleepSeconds),
    );
    if (denied.length > 0) {
      throw new ConnectorError({
        code: "permission_denied",
        message: `Refused by the function deny list: ${denied.map((call) => `${call.name}() ${call.reason}`).join("; ")}.`,
        notApplied: true,
        details: { layer: "function-deny-list", functions: [...new Set(denied.map((call) => call.name))] },
      });
    }
  }

  private async execute(
    client: PoolClient,
    text: string,
    params: readonly unknown[],
    options: { skip: number; maxRows: number; drain: boolean },
    errorContext: PostgresErrorContext,
  ): Promise<StatementResult> {
    try {
      return await runStatement(client, text, params, {
        extended: this.layers.singleStatement,
        skip: options.skip,
        maxRows: options.maxRows,
        batchSize: Math.max(1, Math.min(500, options.maxRows + 1)),
        drain: options.drain,
      });
    } catch (error) {
      throw mapPostgresError(error, errorContext) ?? error;
    }
  }

  /**
   * Names the result's columns, asking the server (format_type) for types it has not named yet; `beforeQuery`
   * runs first when it has to ask (a read verifies its transaction before sending queries of its own).
   */
  private async describeColumns(
    client: PoolClient,
    fields: readonly FieldDef[],
    beforeQuery?: () => Promise<void>,
  ): Promise<ColumnInfo[]> {
    const key = (field: FieldDef) => `${field.dataTypeID}:${field.dataTypeModifier}`;
    const missing = fields.filter((field) => !this.typeNames.has(key(field)));
    if (missing.length > 0) {
      await beforeQuery?.();
      const result = await client.query<{ oid: number; typmod: number; name: string }>(
        `SELECT t.oid::int AS oid, t.typmod AS typmod,
           pg_catalog.format_type(t.oid, NULLIF(t.typmod, -1)) AS name
         FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.oid[]), pg_catalog.unnest($2::int[])) AS t(oid, typmod)`,
        [missing.map((field) => field.dataTypeID), missing.map((field) => field.dataTypeModifier)],
      );
      for (const row of result.rows) this.typeNames.set(`${row.oid}:${row.typmod}`, row.name);
    }
    const keys = columnKeys(fields.map((field) => field.name));
    return fields.map((field, index) => ({
      name: field.name,
      key: keys[index] as string,
      type:
        this.typeNames.get(key(field)) ??
        BUILTIN_TYPE_NAMES.get(field.dataTypeID) ??
        `oid ${field.dataTypeID}`,
      typeOid: field.dataTypeID,
    }));
  }

  private async uniqueKeys(
    client: PoolClient,
    relation: { readonly schema?: string | undefined; readonly name: string },
  ): Promise<string[][]> {
    const result = await client.query<{ columns: string[] }>(
      `SELECT array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_catalog.pg_index i
       CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = pg_catalog.to_regclass(CASE WHEN $1::text IS NULL THEN pg_catalog.quote_ident($2::text)
               ELSE pg_catalog.quote_ident($1::text) || '.' || pg_catalog.quote_ident($2::text) END)
         AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
         AND k.ord <= i.indnkeyatts
       GROUP BY i.indexrelid, i.indisprimary
       HAVING i.indisprimary OR bool_and(a.attnotnull)`,
      [relation.schema ?? null, relation.name],
    );
    return result.rows.map((row) => row.columns);
  }

  /**
   * One page of a read: guarded, wrapped as `SELECT * FROM (...) LIMIT pageSize+1 OFFSET offset` when it is a
   * plain query (otherwise the portal skips `offset` rows), run in a verified read-only transaction.
   */
  async read(request: ReadRequest): Promise<ReadPage> {
    const plan = this.layers.sqlGuard
      ? await guardRead(request.sql, { ...this.guardOptions, allowExplain: true })
      : undefined;
    await this.denyListOnly(request.sql);
    const statement: ParsedStatement | undefined = plan?.statement;
    const wrapped = plan?.wrappable
      ? await wrapForPage(plan.statement, request.pageSize + 1, request.offset)
      : undefined;
    const text = wrapped?.text ?? statement?.text ?? request.sql;
    return this.withReadSession(request, async (client, timeouts, verify) => {
      const errorContext: PostgresErrorContext = {
        positionOffset: wrapped?.positionOffset ?? 0,
        statementLength: (statement?.text ?? request.sql).length,
        statementTimeoutMs: timeouts.statementTimeoutMs,
      };
      const result = await this.execute(
        client,
        text,
        request.params,
        { skip: wrapped ? 0 : request.offset, maxRows: request.pageSize, drain: false },
        errorContext,
      );
      // Queries of the connector's own (type names, unique keys) run only once the transaction is verified;
      // when none is needed, the check rides with the ROLLBACK that ends the transaction.
      const columns = await this.describeColumns(client, result.fields, verify);
      const notes: string[] = [];
      let orderIsTotal = true;
      if (plan?.order) {
        const verdict = await judgeOrder(
          plan.order,
          columns.map((column) => column.name),
          async (relation) => {
            await verify();
            return this.uniqueKeys(client, relation);
          },
        );
        orderIsTotal = verdict.total;
        if (verdict.reason) notes.push(verdict.reason);
      } else if (!plan) {
        orderIsTotal = false;
        notes.push("The SQL guard is off: the order of rows could not be checked.");
      }
      return {
        columns,
        rows: result.rows.map((row) => convertRow(row, columns, this.valueOptions)),
        hasMore: !result.complete,
        orderIsTotal,
        notes,
        command: result.command,
      };
    });
  }

  /**
   * Trusted catalog SQL written by the connector (never the caller's), one or more queries in one verified
   * read-only transaction.
   */
  async catalog<Result>(scope: CallScope, work: (query: CatalogQuery) => Promise<Result>): Promise<Result> {
    // Every query is the connector's own: the check after them rides with the ROLLBACK.
    return this.withReadSession(scope, async (client, timeouts) => {
      const query: CatalogQuery = async <Row extends Record<string, unknown>>(
        sql: string,
        params: readonly unknown[] = [],
      ) => {
        try {
          return (await client.query<Row>({ text: sql, values: [...params] })).rows;
        } catch (error) {
          throw mapPostgresError(error, { statementTimeoutMs: timeouts.statementTimeoutMs }) ?? error;
        }
      };
      return work(query);
    });
  }

  /** `EXPLAIN (FORMAT JSON)` of a read or a write, never ANALYZE, in a verified read-only transaction. */
  async explain(
    request: CallScope & { readonly sql: string; readonly params: readonly unknown[] },
  ): Promise<unknown> {
    const statement = this.layers.sqlGuard ? await guardExplain(request.sql, this.guardOptions) : undefined;
    await this.denyListOnly(request.sql);
    const wrapped = statement
      ? await wrapForExplain(statement)
      : { text: `EXPLAIN (FORMAT JSON)\n${request.sql}\n`, positionOffset: "EXPLAIN (FORMAT JSON)\n".length };
    // The plan is parsed only once the ending round trip has verified the transaction.
    const text = await this.withReadSession(request, async (client, timeouts) => {
      const result = await this.execute(
        client,
        wrapped.text,
        request.params,
        { skip: 0, maxRows: 1, drain: false },
        {
          positionOffset: wrapped.positionOffset,
          statementLength: (statement?.text ?? request.sql).length,
          statementTimeoutMs: timeouts.statementTimeoutMs,
        },
      );
      return result.rows[0]?.[0];
    });
    if (typeof text !== "string") {
      throw new ConnectorError({ code: "invalid_response", message: "EXPLAIN returned no plan." });
    }
    return JSON.parse(text) as unknown;
  }

  /** Schemas writes may reach without an approval; an empty list lists none (core's allowlist would allow all). */
  isWriteSchemaListed(schema: string): boolean {
    return this.writeAllowlist.restricts && this.writeAllowlist.allows(schema);
  }

  /** Schema of each target as written, or the default schema unqualified names resolve in. */
  targetSchemas(targets: readonly RelationTarget[]): string[] {
    return [...new Set(targets.map((target) => target.schema ?? this.settings.defaultSchema))];
  }

  private assertSchemasAllowed(schemas: readonly string[], approved: readonly string[]): void {
    const refused = schemas.filter(
      (schema) => !this.isWriteSchemaListed(schema) && !approved.includes(schema),
    );
    if (refused.length === 0) return;
    const listed = this.settings.writeSchemas;
    throw new ConnectorError({
      code: "permission_denied",
      message: `Writes to schema ${refused.map((schema) => `"${schema}"`).join(", ")} are not allowed: ${
        listed.length > 0 ? `the write schemas are ${listed.join(", ")}` : "no write schema is configured"
      }.`,
      hint: "Write only to the allowed schemas, or ask the operator to add the schema (POSTGRES_WRITE_SCHEMAS) or to approve this call. Do not retry unchanged.",
      notApplied: true,
      details: { schemas: refused, allowed: [...listed] },
    });
  }

  /**
   * One INSERT/UPDATE/DELETE/MERGE in one transaction: guarded (layer 3 and 4 always apply to writes), each
   * written table resolved on the server and checked against the write schemas, the statement run through the
   * extended protocol, the transaction verified, then COMMIT. Every failure before COMMIT is sent (including
   * the connection dying mid-statement: the server then rolls back) says `notApplied`, so core may retry it; a
   * failure during COMMIT that does not prove a rollback leaves the outcome unknown: `network` (or the
   * server's code) with `retryable: false`, `details.outcome: "unknown"`, never retried.
   */
  async write(request: WriteRequest): Promise<WriteOutcome> {
    const plan = await guardWrite(request.sql, {
      functionDenyList: true,
      maxSleepSeconds: this.settings.maxSleepSeconds,
    });
    const declared = this.targetSchemas(plan.targets);
    this.assertSchemasAllowed(declared, request.approvedSchemas);
    return this.withSession(request, async (client, timeouts) => {
      let commitSent = false;
      try {
        const marker = await beginWrite(client, timeouts, this.settings.defaultSchema);
        const resolved = await this.resolveTargets(client, plan.targets);
        this.assertSchemasAllowed(resolved, request.approvedSchemas);
        const result = await runStatement(client, plan.statement.text, request.params, {
          extended: true,
          skip: 0,
          maxRows: request.returningLimit,
          batchSize: 500,
          drain: true,
        });
        await verifyWrite(client, marker);
        const columns = await this.describeColumns(client, result.fields);
        commitSent = true;
        await client.query("COMMIT");
        return {
          command: result.command ?? plan.command,
          rowsAffected: result.rowCount ?? 0,
          schemas: resolved,
          columns,
          returning: result.rows.map((row) => convertRow(row, columns, this.valueOptions)),
          returningTruncated: result.rowsSeen > result.rows.length,
        };
      } catch (error) {
        // On a dead connection this ROLLBACK fails at once (pg rejects queries on it); the server rolls back.
        if (!commitSent) await rollback(client).catch(() => {});
        // Before COMMIT was sent nothing can have been committed, whatever failed (a statement error, a timeout,
        // the connection dying mid-statement): rolled back. At COMMIT only an ERROR on a connection that lives
        // on proves the server refused it (40001, a deferred constraint); a lost connection or a FATAL (which
        // ends the session, possibly after the commit, e.g. while waiting for a synchronous standby) leaves the
        // outcome unknown. A localized severity only makes this more cautious.
        const refusedAtCommit =
          commitSent &&
          (error as { severity?: unknown })?.severity === "ERROR" &&
          connectionLost(client) === undefined;
        const rolledBack = !commitSent || refusedAtCommit;
        throw (
          mapPostgresError(error, {
            rolledBack,
            outcomeUnknown: !rolledBack,
            statementLength: plan.statement.text.length,
            statementTimeoutMs: timeouts.statementTimeoutMs,
          }) ?? error
        );
      }
    });
  }

  /** Resolves each written table on the server (search_path = the default schema) to its schema. */
  private async resolveTargets(client: PoolClient, targets: readonly RelationTarget[]): Promise<string[]> {
    const schemas = new Set<string>();
    for (const target of targets) {
      const result = await client.query<{ schema: string | null }>(
        `SELECT n.nspname::text AS schema FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.oid = pg_catalog.to_regclass(CASE WHEN $1::text IS NULL THEN pg_catalog.quote_ident($2::text)
               ELSE pg_catalog.quote_ident($1::text) || '.' || pg_catalog.quote_ident($2::text) END)`,
        [target.schema ?? null, target.name],
      );
      const schema = result.rows[0]?.schema;
      if (!schema) {
        throw new ConnectorError({
          code: "not_found",
          message: `Table ${target.schema ? `${target.schema}.` : ""}${target.name} does not exist${
            target.schema ? "" : ` in schema ${this.settings.defaultSchema}`
          }.`,
          hint: "Use postgres_list_tables to find the table; schema-qualify it (schema.table).",
          notApplied: true,
        });
      }
      schemas.add(schema);
    }
    return [...schemas];
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export type PostgresContext = ToolContext<PostgresClient>;
