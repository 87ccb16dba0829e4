/**
 * Layer 3: the real PostgreSQL parser (libpg_query compiled to WASM, the parser of PostgreSQL 15 itself)
 * decides what a statement is, so comments, quoting, dollar quotes and unicode escapes cannot disguise it.
 * Reads may be SELECT / VALUES / TABLE / WITH (no data-modifying CTE, no SELECT INTO, no FOR UPDATE/SHARE)
 * and EXPLAIN of those; everything else is refused before it reaches the server.
 */
import { ConnectorError } from "@switchyard/core";
import { importLibpgQuery, libraryLoadError } from "../client-libraries.js";
import { findDeniedCalls, WRITE_EXEMPTIONS } from "./function-deny-list.js";

type Json = Record<string, unknown>;

/** One statement of the caller's SQL, as the parser saw it. */
export interface ParsedStatement {
  /** Node type: SelectStmt, InsertStmt, TransactionStmt, ... */
  readonly kind: string;
  readonly body: Json;
  /** `{ [kind]: body }`, the form the walkers take. */
  readonly node: Json;
  /** The statement's own text, cut from the caller's SQL (no trailing semicolon). */
  readonly text: string;
}

export interface GuardOptions {
  /** Layer 4 on: refuse calls on the deny list. */
  readonly functionDenyList: boolean;
  readonly maxSleepSeconds: number;
}

/** A column the ORDER BY / GROUP BY names, or an ordinal / expression. */
export type SortKey =
  | { readonly kind: "column"; readonly name: string }
  | { readonly kind: "ordinal"; readonly index: number }
  | { readonly kind: "expression" };

/** What the parse tree says about the order of a read's rows. */
export interface OrderFacts {
  readonly sortKeys: readonly SortKey[];
  readonly setOperation: boolean;
  readonly distinct: boolean;
  /** GROUP BY keys when they are all plain columns (undefined: none, or not plain). */
  readonly groupBy: readonly string[] | undefined;
  readonly groupByComplex: boolean;
  /** The one table of FROM, when FROM is a single plain table reference. */
  readonly relation: { readonly schema?: string | undefined; readonly name: string } | undefined;
  /** Output aliases (`AS x`) and the table column each stands for (undefined: an expression). */
  readonly outputAliases: ReadonlyMap<string, string | undefined>;
  /** The table column behind each output position, while the list has no `*` (undefined: an expression). */
  readonly outputColumnsByPosition: readonly (string | undefined)[];
}

export interface ReadPlan {
  readonly statement: ParsedStatement;
  /** SELECT/VALUES/TABLE/WITH at the top: can be wrapped as a subquery for LIMIT/OFFSET paging. */
  readonly wrappable: boolean;
  readonly order: OrderFacts | undefined;
}

export interface RelationTarget {
  readonly schema: string | undefined;
  readonly name: string;
}

export interface WritePlan {
  readonly statement: ParsedStatement;
  readonly command: "INSERT" | "UPDATE" | "DELETE" | "MERGE";
  /** Every table the statement writes (its target, and those of data-modifying CTEs). */
  readonly targets: readonly RelationTarget[];
}

type ParseSync = (sql: string) => unknown;

let loading: Promise<void> | undefined;
/** libpg-query's parseSync, once its WASM module is loaded. */
let parseSync: ParseSync | undefined;

/**
 * Imports libpg-query and loads its WASM parser, once (offline: the module is inside the package). Nothing
 * does this when the connector is built: the first statement to guard does (or the connector, at once, when
 * writes are allowed, for approval summaries). A failure rejects with a ConnectorError (`internal`) and is
 * not kept, so a later call tries again.
 */
export function ensureParser(): Promise<void> {
  loading ??= (async () => {
    const libpgQuery = await importLibpgQuery();
    try {
      await libpgQuery.loadModule();
    } catch (error) {
      throw libraryLoadError("libpg-query (its WASM parser)", error);
    }
    parseSync = libpgQuery.parseSync;
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

const STATEMENT_NAMES: Readonly<Record<string, string>> = {
  SelectStmt: "SELECT",
  InsertStmt: "INSERT",
  UpdateStmt: "UPDATE",
  DeleteStmt: "DELETE",
  MergeStmt: "MERGE",
  ExplainStmt: "EXPLAIN",
  TransactionStmt: "transaction control (BEGIN/COMMIT/ROLLBACK/SAVEPOINT/PREPARE TRANSACTION)",
  VariableSetStmt: "SET/RESET",
  VariableShowStmt: "SHOW",
  CopyStmt: "COPY",
  DoStmt: "DO",
  CallStmt: "CALL",
  ListenStmt: "LISTEN",
  UnlistenStmt: "UNLISTEN",
  NotifyStmt: "NOTIFY",
  LockStmt: "LOCK",
  PrepareStmt: "PREPARE",
  ExecuteStmt: "EXECUTE",
  DeallocateStmt: "DEALLOCATE",
  DeclareCursorStmt: "DECLARE CURSOR",
  FetchStmt: "FETCH/MOVE",
  ClosePortalStmt: "CLOSE",
  TruncateStmt: "TRUNCATE",
  GrantStmt: "GRANT/REVOKE",
  GrantRoleStmt: "GRANT/REVOKE role",
  DropStmt: "DROP",
  CreateStmt: "CREATE TABLE",
  CreateTableAsStmt: "CREATE TABLE AS / SELECT INTO",
  AlterTableStmt: "ALTER TABLE",
  CreateFunctionStmt: "CREATE FUNCTION",
  CreateRoleStmt: "CREATE ROLE",
  AlterRoleStmt: "ALTER ROLE",
  AlterRoleSetStmt: "ALTER ROLE ... SET",
  AlterSystemStmt: "ALTER SYSTEM",
  VacuumStmt: "VACUUM/ANALYZE",
  DiscardStmt: "DISCARD",
  CheckPointStmt: "CHECKPOINT",
  LoadStmt: "LOAD",
  RefreshMatViewStmt: "REFRESH MATERIALIZED VIEW",
  ReindexStmt: "REINDEX",
  ClusterStmt: "CLUSTER",
  IndexStmt: "CREATE INDEX",
  ViewStmt: "CREATE VIEW",
  RuleStmt: "CREATE RULE",
  CreateTrigStmt: "CREATE TRIGGER",
  CreateExtensionStmt: "CREATE EXTENSION",
  SecLabelStmt: "SECURITY LABEL",
  CommentStmt: "COMMENT",
};

export function statementName(kind: string): string {
  return (
    STATEMENT_NAMES[kind] ??
    kind
      .replace(/Stmt$/, "")
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toUpperCase()
  );
}

function refused(reason: string, details: Record<string, unknown>, hint?: string): ConnectorError {
  return new ConnectorError({
    code: "permission_denied",
    message: `Refused by the SQL guard: ${reason}`,
    hint:
      hint ??
      "This tool runs one read-only statement: SELECT, VALUES, TABLE, WITH ... SELECT, or EXPLAIN of those. Rewrite the query; do not retry it unchanged.",
    notApplied: true,
    details: { layer: "sql-guard", ...details },
  });
}

/** Parses `sql` into statements; a syntax error becomes `invalid_input` with the position. */
export async function parseStatements(sql: string): Promise<ParsedStatement[]> {
  await ensureParser();
  const parse = parseSync as ParseSync;
  let tree: { stmts?: Json[] };
  try {
    tree = parse(sql) as { stmts?: Json[] };
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number; message?: string } }).sqlDetails;
    const cursor = details?.cursorPosition;
    // libpg_query reports a 0-based character offset; PostgreSQL's convention is 1-based.
    const position = typeof cursor === "number" && cursor >= 0 ? cursor + 1 : undefined;
    throw new ConnectorError({
      code: "invalid_input",
      message: `SQL syntax error: ${(error as Error).message}${position ? ` at character ${position}` : ""}.`,
      hint: "Fix the SQL at the position in details.position, then call again.",
      notApplied: true,
      details: { layer: "sql-guard", ...(position ? { position } : {}) },
    });
  }
  const bytes = Buffer.from(sql, "utf8");
  return (tree.stmts ?? []).map((raw) => {
    const node = raw.stmt as Json;
    const [kind = "Unknown", body] = Object.entries(node)[0] ?? [];
    const start = typeof raw.stmt_location === "number" ? raw.stmt_location : 0;
    const length = typeof raw.stmt_len === "number" && raw.stmt_len > 0 ? raw.stmt_len : bytes.length - start;
    const text = bytes.subarray(start, start + length).toString("utf8");
    return { kind, body: (body ?? {}) as Json, node, text };
  });
}

/** Every node type in a tree, with its body, depth first. */
function forEachNode(tree: unknown, visit: (kind: string, body: Json) => void, depth = 0): void {
  if (depth > 500 || tree === null || typeof tree !== "object") return;
  if (Array.isArray(tree)) {
    for (const entry of tree) forEachNode(entry, visit, depth + 1);
    return;
  }
  for (const [key, child] of Object.entries(tree as Json)) {
    if (/^[A-Z]/.test(key) && child && typeof child === "object" && !Array.isArray(child)) {
      visit(key, child as Json);
    }
    forEachNode(child, visit, depth + 1);
  }
}

const DML = new Set(["InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"]);

function single(statements: ParsedStatement[]): ParsedStatement {
  if (statements.length === 0) {
    throw new ConnectorError({
      code: "invalid_input",
      message: "The SQL contains no statement.",
      hint: "Pass one SQL statement.",
      notApplied: true,
      details: { layer: "sql-guard" },
    });
  }
  if (statements.length > 1) {
    throw refused(
      `${statements.length} statements were given; one statement per call.`,
      { statements: statements.map((statement) => statementName(statement.kind)) },
      "Send one statement per call (no semicolon-separated lists).",
    );
  }
  return statements[0] as ParsedStatement;
}

/** Inside a read: no writes, no statements other than SELECT, no INTO, no row locks. */
function assertReadTree(root: Json, allowDml: boolean): void {
  forEachNode(root, (kind, body) => {
    if (kind.endsWith("Stmt") && kind !== "SelectStmt" && !(allowDml && DML.has(kind))) {
      throw refused(
        `${statementName(kind)} is not a read${DML.has(kind) ? " (a data-modifying statement)" : ""}.`,
        {
          statement: kind,
        },
      );
    }
    if (kind === "SelectStmt") {
      if (body.intoClause) {
        throw refused("SELECT ... INTO creates a table.", { statement: "SelectStmt", clause: "INTO" });
      }
      if (Array.isArray(body.lockingClause) && body.lockingClause.length > 0) {
        throw refused("FOR UPDATE / FOR SHARE takes row locks.", {
          statement: "SelectStmt",
          clause: "FOR UPDATE",
        });
      }
    }
  });
}

function assertAllowedCalls(root: Json, options: GuardOptions, exempt?: ReadonlySet<string>): void {
  if (!options.functionDenyList) return;
  const denied = findDeniedCalls(root, options.maxSleepSeconds, exempt);
  if (denied.length === 0) return;
  const names = [...new Set(denied.map((call) => call.name))];
  throw new ConnectorError({
    code: "permission_denied",
    message: `Refused by the function deny list: ${denied
      .map((call) => `${call.name}() ${call.reason}`)
      .slice(0, 5)
      .join("; ")}.`,
    hint: "These functions have side effects or reach the server's files; rewrite the query without them. Do not retry it unchanged.",
    notApplied: true,
    details: { layer: "function-deny-list", functions: names },
  });
}

function explainHasAnalyze(body: Json): boolean {
  const options = Array.isArray(body.options) ? body.options : [];
  return options.some((option) => {
    const element = (option as Json)?.DefElem as Json | undefined;
    if (element?.defname !== "analyze") return false;
    // `ANALYZE false` / `ANALYZE off` do not execute.
    const arg = element.arg as Json | undefined;
    const value = (arg?.String as Json | undefined)?.sval ?? (arg?.Boolean as Json | undefined)?.boolval;
    return !(value === false || value === "false" || value === "off" || value === "0");
  });
}

const columnName = (node: unknown): string | undefined => {
  const ref = (node as Json | undefined)?.ColumnRef as Json | undefined;
  if (!ref || !Array.isArray(ref.fields)) return undefined;
  const last = ref.fields.at(-1) as Json | undefined;
  const name = (last?.String as Json | undefined)?.sval;
  return typeof name === "string" ? name : undefined;
};

function orderFacts(select: Json): OrderFacts {
  const sortClause = Array.isArray(select.sortClause) ? select.sortClause : [];
  const sortKeys: SortKey[] = sortClause.map((entry) => {
    const node = ((entry as Json).SortBy as Json | undefined)?.node;
    const name = columnName(node);
    if (name !== undefined) return { kind: "column", name };
    const constant = (node as Json | undefined)?.A_Const as Json | undefined;
    const ordinal = (constant?.ival as Json | undefined)?.ival;
    if (typeof ordinal === "number") return { kind: "ordinal", index: ordinal };
    return { kind: "expression" };
  });
  const from = Array.isArray(select.fromClause) ? select.fromClause : [];
  const rangeVar = from.length === 1 ? ((from[0] as Json).RangeVar as Json | undefined) : undefined;
  const groupClause = Array.isArray(select.groupClause) ? select.groupClause : [];
  const groupNames = groupClause.map(columnName);
  const groupByComplex = groupNames.some((name) => name === undefined);
  const outputAliases = new Map<string, string | undefined>();
  const outputColumnsByPosition: (string | undefined)[] = [];
  let starSeen = false;
  for (const entry of Array.isArray(select.targetList) ? select.targetList : []) {
    const target = (entry as Json).ResTarget as Json | undefined;
    const fields = ((target?.val as Json | undefined)?.ColumnRef as Json | undefined)?.fields;
    if (Array.isArray(fields) && fields.some((field) => (field as Json).A_Star !== undefined))
      starSeen = true;
    const column = columnName(target?.val);
    if (typeof target?.name === "string") outputAliases.set(target.name, column);
    if (!starSeen) outputColumnsByPosition.push(column);
  }
  return {
    outputAliases,
    outputColumnsByPosition: starSeen ? [] : outputColumnsByPosition,
    sortKeys,
    setOperation: typeof select.op === "string" && select.op !== "SETOP_NONE",
    distinct: Array.isArray(select.distinctClause),
    groupBy: groupClause.length > 0 && !groupByComplex ? (groupNames as string[]) : undefined,
    groupByComplex,
    relation:
      rangeVar && typeof rangeVar.relname === "string"
        ? {
            ...(typeof rangeVar.schemaname === "string" ? { schema: rangeVar.schemaname } : {}),
            name: rangeVar.relname,
          }
        : undefined,
  };
}

/**
 * Checks a read for `postgres_query` (SELECT/VALUES/TABLE/WITH, or EXPLAIN of those) or a streaming export
 * (no EXPLAIN). Throws a typed refusal; returns what the executor needs to page the result.
 */
export async function guardRead(
  sql: string,
  options: GuardOptions & { readonly allowExplain: boolean },
): Promise<ReadPlan> {
  const statement = single(await parseStatements(sql));
  if (statement.kind === "SelectStmt") {
    assertReadTree(statement.node, false);
    assertAllowedCalls(statement.node, options);
    return { statement, wrappable: true, order: orderFacts(statement.body) };
  }
  if (statement.kind === "ExplainStmt" && options.allowExplain) {
    const query = statement.body.query as Json | undefined;
    const [innerKind] = Object.keys(query ?? {});
    if (innerKind !== "SelectStmt") {
      throw refused(
        `EXPLAIN of ${statementName(innerKind ?? "?")} is not allowed here${explainHasAnalyze(statement.body) ? " (EXPLAIN ANALYZE executes it)" : ""}.`,
        { statement: "ExplainStmt", explained: innerKind },
        "EXPLAIN only reads here; use postgres_explain for the plan of a write (it never executes it).",
      );
    }
    assertReadTree(query as Json, false);
    assertAllowedCalls(statement.node, options);
    return { statement, wrappable: false, order: undefined };
  }
  throw refused(`${statementName(statement.kind)} is not a read.`, { statement: statement.kind });
}

/**
 * Checks a statement for `postgres_explain`: a read, or INSERT/UPDATE/DELETE/MERGE (planned, never executed:
 * the connector adds `EXPLAIN (FORMAT JSON)` itself and never ANALYZE).
 */
export async function guardExplain(sql: string, options: GuardOptions): Promise<ParsedStatement> {
  const statement = single(await parseStatements(sql));
  if (statement.kind !== "SelectStmt" && !DML.has(statement.kind)) {
    throw refused(
      `${statementName(statement.kind)} cannot be explained here.`,
      { statement: statement.kind },
      "Pass the bare SELECT / INSERT / UPDATE / DELETE / MERGE (without EXPLAIN; the tool adds it).",
    );
  }
  assertReadTree(statement.node, true);
  assertAllowedCalls(statement.node, options);
  return statement;
}

function relationOf(value: unknown): RelationTarget | undefined {
  const relation = value as Json | undefined;
  if (!relation || typeof relation.relname !== "string") return undefined;
  return {
    schema: typeof relation.schemaname === "string" ? relation.schemaname : undefined,
    name: relation.relname,
  };
}

/** Checks a statement for `postgres_execute`: one INSERT/UPDATE/DELETE/MERGE, and names every table it writes. */
export async function guardWrite(sql: string, options: GuardOptions): Promise<WritePlan> {
  const statement = single(await parseStatements(sql));
  if (!DML.has(statement.kind)) {
    throw refused(
      `${statementName(statement.kind)} is not allowed; postgres_execute runs INSERT, UPDATE, DELETE and MERGE.`,
      { statement: statement.kind },
      "Schema changes, transaction control, COPY, DO, CALL and session commands are not available through this tool.",
    );
  }
  const targets: RelationTarget[] = [];
  forEachNode(statement.node, (kind, body) => {
    if (kind.endsWith("Stmt") && kind !== "SelectStmt" && !DML.has(kind)) {
      throw refused(`${statementName(kind)} is not allowed inside a write.`, { statement: kind });
    }
    if (kind === "SelectStmt" && body.intoClause) {
      throw refused("SELECT ... INTO creates a table.", { statement: "SelectStmt", clause: "INTO" });
    }
    if (DML.has(kind)) {
      const target = relationOf(body.relation);
      if (target) targets.push(target);
    }
  });
  assertAllowedCalls(statement.node, options, WRITE_EXEMPTIONS);
  const command = statementName(statement.kind) as WritePlan["command"];
  return { statement, command, targets };
}

/** The tree without positions, to compare two parses of the same statement. */
function withoutLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocations);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Json)
      .filter(([key]) => key !== "location" && key !== "stmt_location" && key !== "stmt_len")
      .map(([key, child]) => [key, withoutLocations(child)]),
  );
}

const sameTree = (a: unknown, b: unknown) =>
  JSON.stringify(withoutLocations(a)) === JSON.stringify(withoutLocations(b));

const PAGE_ALIAS = "switchyard_page";

/**
 * Wraps a read for one page: `SELECT * FROM (<statement>) AS switchyard_page LIMIT n OFFSET m`. The wrapped
 * text is parsed again and must contain exactly the caller's statement, unchanged, as the only subquery:
 * nothing in the caller's text can close the parenthesis and add SQL of its own.
 */
export async function wrapForPage(
  statement: ParsedStatement,
  limit: number,
  offset: number,
): Promise<{ readonly text: string; readonly positionOffset: number }> {
  if (!Number.isSafeInteger(limit) || limit < 0 || !Number.isSafeInteger(offset) || offset < 0) {
    throw new TypeError("limit and offset must be non-negative integers");
  }
  const prefix = "SELECT * FROM (\n";
  const text = `${prefix}${statement.text}\n) AS ${PAGE_ALIAS} LIMIT ${limit} OFFSET ${offset}`;
  const reparsed = await parseStatements(text);
  const outer = reparsed.length === 1 ? reparsed[0] : undefined;
  const from =
    outer?.kind === "SelectStmt" && Array.isArray(outer.body.fromClause) ? outer.body.fromClause : [];
  const subselect = from.length === 1 ? ((from[0] as Json).RangeSubselect as Json | undefined) : undefined;
  const alias = (subselect?.alias as Json | undefined)?.aliasname;
  if (!subselect || alias !== PAGE_ALIAS || !sameTree(subselect.subquery, statement.node)) {
    throw refused("the statement cannot be paged safely.", { statement: statement.kind });
  }
  return { text, positionOffset: prefix.length };
}

/** `EXPLAIN (FORMAT JSON) <statement>`, checked the same way: the explained statement is exactly the caller's. */
export async function wrapForExplain(
  statement: ParsedStatement,
): Promise<{ readonly text: string; readonly positionOffset: number }> {
  const prefix = "EXPLAIN (FORMAT JSON)\n";
  const text = `${prefix}${statement.text}\n`;
  const reparsed = await parseStatements(text);
  const outer = reparsed.length === 1 ? reparsed[0] : undefined;
  if (
    outer?.kind !== "ExplainStmt" ||
    explainHasAnalyze(outer.body) ||
    !sameTree(outer.body.query, statement.node)
  ) {
    throw refused("the statement cannot be explained safely.", { statement: statement.kind });
  }
  return { text, positionOffset: prefix.length };
}

/**
 * For approvals (describeCall is synchronous): the command and the schemas a write targets, unqualified
 * names counted in `defaultSchema`. Undefined when the parser is not loaded yet or the SQL does not parse;
 * the caller then treats the call as touching an unlisted target (fail closed).
 */
export function describeWriteSync(
  sql: string,
  defaultSchema: string,
): { readonly command: string; readonly tables: string[]; readonly schemas: string[] } | undefined {
  if (!parseSync) return undefined;
  let tree: { stmts?: Json[] };
  try {
    tree = parseSync(sql) as { stmts?: Json[] };
  } catch {
    return undefined;
  }
  const statements = tree.stmts ?? [];
  if (statements.length !== 1) return undefined;
  const node = (statements[0] as Json).stmt as Json;
  const [kind] = Object.keys(node);
  if (!kind || !DML.has(kind)) return undefined;
  const tables: string[] = [];
  const schemas = new Set<string>();
  forEachNode(node, (nodeKind, body) => {
    if (!DML.has(nodeKind)) return;
    const target = relationOf(body.relation);
    if (!target) return;
    const schema = target.schema ?? defaultSchema;
    schemas.add(schema);
    tables.push(`${schema}.${target.name}`);
  });
  return { command: statementName(kind), tables, schemas: [...schemas] };
}
