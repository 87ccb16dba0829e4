-- @switchyard/audit-postgres: a role that can append audit records and read them, and nothing else.
--
-- The append-only trigger stops UPDATE, TRUNCATE and unsanctioned DELETE, but any session may set the flag
-- the retention helper sets. Real protection is a writing role without UPDATE, DELETE or TRUNCATE grants.
-- Run this as the table owner (or a superuser), after migrateAuditLog():
--
--   psql "$ADMIN_DATABASE_URL" -v schema=public -v table=switchyard_audit_log \
--        -v role=switchyard_audit_writer -f sql/least-privilege.sql
--
-- Every variable is optional (the defaults are shown above). Then give the application a login role that is
-- a member of it, and run retention as a different role (the owner) that does have DELETE:
--
--   CREATE ROLE switchyard_app LOGIN PASSWORD '...' IN ROLE switchyard_audit_writer;

\if :{?schema}
\else
  \set schema public
\endif
\if :{?table}
\else
  \set table switchyard_audit_log
\endif
\if :{?role}
\else
  \set role switchyard_audit_writer
\endif

\set ON_ERROR_STOP on

BEGIN;

SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :'role') AS role_missing \gset
\if :role_missing
  CREATE ROLE :"role" NOLOGIN;
\endif

GRANT USAGE ON SCHEMA :"schema" TO :"role";
REVOKE ALL ON TABLE :"schema".:"table" FROM :"role";
GRANT SELECT, INSERT ON TABLE :"schema".:"table" TO :"role";

COMMIT;
