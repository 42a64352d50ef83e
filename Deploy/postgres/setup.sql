-- The roles and database the product uses in production. Run as a superuser:
--   sudo -u postgres psql -v owner_password="'a long random secret'" -v app_password="'another one'" \
--        -f Deploy/postgres/setup.sql
--
-- Two roles, so that the server cannot switch the second wall off:
-- * crm_owner owns the schema. `crm migrate` runs as it (CRM_DATABASE_URL with crm_owner), before
--   each release. A table's owner can ALTER it to disable row-level security, so the server never
--   connects as this role.
-- * crm_app is what `crm serve` and `crm worker` connect as: it reads and writes rows and nothing
--   else. Neither role is SUPERUSER or BYPASSRLS, so row-level security keeps tenants apart even if
--   a query forgot its tenant condition. At start-up the server refuses to run when a table with a
--   tenant_id column lacks forced row-level security (a plugin that forgot it).
CREATE ROLE crm_owner LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD :owner_password;
CREATE ROLE crm_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD :app_password;
CREATE DATABASE crm OWNER crm_owner ENCODING 'UTF8' TEMPLATE template0;
\connect crm
-- The customer search index uses trigrams; pg_trgm is a trusted extension, but creating it here
-- spares the first `crm migrate` from needing CREATE on the database.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- Before PostgreSQL 15 the schema belongs to the superuser; crm_owner must own it to create tables.
ALTER SCHEMA public OWNER TO crm_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO crm_app;
-- Whatever crm_owner creates from now on, crm_app may use its rows, not its definition.
ALTER DEFAULT PRIVILEGES FOR ROLE crm_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO crm_app;
ALTER DEFAULT PRIVILEGES FOR ROLE crm_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO crm_app;
ALTER DEFAULT PRIVILEGES FOR ROLE crm_owner IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO crm_app;
