-- Least-privilege roles for @switchyard/postgres (read-only layer 6: the database's own privileges).
--
-- Every other layer lives in the connector; this one holds even if all of them failed. Run it with psql as a
-- role that may create roles (a superuser, or CREATEROLE) and that owns the schema's tables, once per schema
-- (the CREATE ROLE statements only the first time):
--
--   psql "$ADMIN_URL" -v ON_ERROR_STOP=1 \
--     -v reader_group=switchyard_readers -v agent_login=switchyard_agent -v agent_password='change me' \
--     -v database=shop -v schema=public -v owner=app_owner \
--     -f sql/least-privilege.sql
--
-- Then point the connector at the login role: DATABASE_URL=postgres://switchyard_agent@host/shop, with the
-- password in POSTGRES_PASSWORD (or an aws-sm:// reference). `switchyard doctor` reports the role's read-only
-- default, superuser status and schemas it could create objects in.
--
-- Never grant the login or group role: superuser, BYPASSRLS, CREATEROLE, pg_read_server_files,
-- pg_write_server_files, pg_execute_server_program, pg_signal_backend, or EXECUTE on dblink / lo_import.
-- For postgres_execute, grant INSERT/UPDATE/DELETE on the write schemas to a separate role, not to this one.

BEGIN;

-- 1. A group role holds the read privileges. It cannot log in and owns nothing.
CREATE ROLE :"reader_group" NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

-- 2. It may connect to the database. Nothing else at database level: no CREATE (new schemas).
GRANT CONNECT ON DATABASE :"database" TO :"reader_group";

-- 3. Per schema: find objects (USAGE) and read them (SELECT); never create (CREATE) in the schema.
GRANT USAGE ON SCHEMA :"schema" TO :"reader_group";
REVOKE CREATE ON SCHEMA :"schema" FROM :"reader_group";
GRANT SELECT ON ALL TABLES IN SCHEMA :"schema" TO :"reader_group";
-- Tables the owner creates later become readable too (default privileges apply to the owner's future objects).
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"schema" GRANT SELECT ON TABLES TO :"reader_group";

-- 4. The role the connector logs in as: a member of the group (INHERIT, so the group's privileges apply),
--    with no privileges of its own and a bounded number of connections.
CREATE ROLE :"agent_login" LOGIN PASSWORD :'agent_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 20
  IN ROLE :"reader_group";

-- 5. Session defaults, applied at login. Role settings are not inherited from groups, so they are set on the
--    login role itself. default_transaction_read_only makes every transaction read-only unless it asks for
--    READ WRITE; the timeouts bound what one session can hold.
ALTER ROLE :"agent_login" SET default_transaction_read_only = on;
ALTER ROLE :"agent_login" SET statement_timeout = '15s';
ALTER ROLE :"agent_login" SET lock_timeout = '2s';
ALTER ROLE :"agent_login" SET idle_in_transaction_session_timeout = '30s';

COMMIT;

-- Optional, database-wide (affects every role, so review first):
--   REVOKE CREATE ON SCHEMA public FROM PUBLIC;      -- the default since PostgreSQL 15
--   REVOKE TEMPORARY ON DATABASE :"database" FROM PUBLIC;
--
-- To remove the roles again (in each database where they hold privileges):
--   DROP OWNED BY :"agent_login", :"reader_group";
--   DROP ROLE :"agent_login";
--   DROP ROLE :"reader_group";
