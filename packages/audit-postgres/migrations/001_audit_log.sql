-- @switchyard/audit-postgres migration 001: the append-only audit table.
--
-- This file is a template: the double-brace placeholders "schema" and "table" stand for the schema (default
-- public) and the table name (default switchyard_audit_log). migrateAuditLog() fills them in and applies the
-- file in a transaction under an advisory lock, recording it in <schema>.switchyard_audit_migrations. To apply
-- it with your own migration tool, take the rendered SQL from renderAuditMigrations() instead.

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{table}}" (
  id            uuid        PRIMARY KEY,
  at            timestamptz NOT NULL,
  tenant        text        NOT NULL,
  connector     text        NOT NULL,
  tool          text        NOT NULL,
  input         jsonb,
  outcome       text        NOT NULL,
  error_message text,
  attempts      integer     NOT NULL,
  request_ids   text[]      NOT NULL DEFAULT '{}',
  duration_ms   integer     NOT NULL,
  approval      jsonb,
  inserted_at   timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE "{{schema}}"."{{table}}" IS
  'Switchyard audit trail: one row per tool call, redacted. Append-only: a trigger refuses UPDATE, TRUNCATE and any DELETE outside applyAuditRetention(); the writing role should hold INSERT and SELECT only.';

CREATE INDEX IF NOT EXISTS "{{table}}_tool_at_idx" ON "{{schema}}"."{{table}}" (tool, at);
CREATE INDEX IF NOT EXISTS "{{table}}_tenant_at_idx" ON "{{schema}}"."{{table}}" (tenant, at);
CREATE INDEX IF NOT EXISTS "{{table}}_at_idx" ON "{{schema}}"."{{table}}" (at);
-- tailPostgresAudit() reads new rows by (inserted_at, id).
CREATE INDEX IF NOT EXISTS "{{table}}_inserted_at_id_idx" ON "{{schema}}"."{{table}}" (inserted_at, id);

-- Refuses every UPDATE and TRUNCATE, and every DELETE unless the transaction set
-- switchyard.audit_retention = 'on' (SET LOCAL / set_config(..., true)), which only the retention helper does.
-- Anyone who can run SQL can set that flag: real append-only protection is a writing role without UPDATE,
-- DELETE and TRUNCATE grants (sql/least-privilege.sql). The trigger guards against mistakes and tools that
-- run as the owner.
CREATE OR REPLACE FUNCTION "{{schema}}"."{{table}}_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE'
     AND coalesce(pg_catalog.current_setting('switchyard.audit_retention', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '%.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit rows are only removed by applyAuditRetention() from @switchyard/audit-postgres.';
END
$fn$;

DROP TRIGGER IF EXISTS "{{table}}_append_only_rows" ON "{{schema}}"."{{table}}";
CREATE TRIGGER "{{table}}_append_only_rows"
  BEFORE UPDATE OR DELETE ON "{{schema}}"."{{table}}"
  FOR EACH ROW EXECUTE FUNCTION "{{schema}}"."{{table}}_append_only"();

DROP TRIGGER IF EXISTS "{{table}}_append_only_truncate" ON "{{schema}}"."{{table}}";
CREATE TRIGGER "{{table}}_append_only_truncate"
  BEFORE TRUNCATE ON "{{schema}}"."{{table}}"
  FOR EACH STATEMENT EXECUTE FUNCTION "{{schema}}"."{{table}}_append_only"();
