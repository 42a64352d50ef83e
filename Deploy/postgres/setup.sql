-- The role and database the server uses in production. Run as a superuser:
--   sudo -u postgres psql -v password="'a long random secret'" -f Deploy/postgres/setup.sql
-- The role is deliberately neither SUPERUSER nor BYPASSRLS, so that row-level security keeps
-- tenants apart even if a query forgot its tenant condition.
CREATE ROLE crm_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD :password;
CREATE DATABASE crm OWNER crm_app ENCODING 'UTF8' TEMPLATE template0;
\connect crm
-- The customer search index uses trigrams; pg_trgm is a trusted extension, but creating it here
-- spares the first `crm migrate` from needing CREATE on the database.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
