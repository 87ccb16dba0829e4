/** Where the audit table lives. Both names are plain lower-case identifiers (`[a-z_][a-z0-9_]*`). */
export interface PostgresAuditTableOptions {
  /** Default `public`. Created by the migration when missing. */
  readonly schema?: string | undefined;
  /** Default `switchyard_audit_log`. At most 40 characters, so the index and trigger names derived from it fit. */
  readonly table?: string | undefined;
}

export const DEFAULT_SCHEMA = "public";
export const DEFAULT_TABLE = "switchyard_audit_log";
export const MIGRATIONS_TABLE = "switchyard_audit_migrations";

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export interface ResolvedTable {
  readonly schema: string;
  readonly table: string;
  /** `"schema"."table"`, safe to put into SQL text. */
  readonly qualified: string;
}

function checkIdentifier(kind: string, value: string, maxLength: number): string {
  if (!IDENTIFIER.test(value) || value.length > maxLength) {
    throw new TypeError(
      `Invalid audit ${kind} name "${value.slice(0, 80)}": use lower-case letters, digits and underscores ` +
        `(starting with a letter or underscore), at most ${maxLength} characters.`,
    );
  }
  return value;
}

/** Validates the names (they end up in SQL text, so only plain identifiers are accepted) and quotes them. */
export function resolveTable(options: PostgresAuditTableOptions = {}): ResolvedTable {
  const schema = checkIdentifier("schema", options.schema ?? DEFAULT_SCHEMA, 63);
  const table = checkIdentifier("table", options.table ?? DEFAULT_TABLE, 40);
  return { schema, table, qualified: `"${schema}"."${table}"` };
}
