-- strata_runtime holds exactly SELECT, INSERT, UPDATE and DELETE on every application table:
-- no TRUNCATE, REFERENCES or TRIGGER, and it owns nothing. The tables come from the catalog,
-- so a new table is covered without editing this file (public/tables_and_types.sql pins the
-- set itself, and tests/migrations checks that list against schema.py). Tables the runtime
-- role may not even UPDATE are left out of the catalog query and listed below it.
BEGIN;
SELECT plan(
    (SELECT count(*)::int FROM pg_tables
     WHERE schemaname = 'public' AND tablename NOT IN ('alembic_version', 'idempotency_keys')) + 3
);

SELECT table_privs_are(
    'public', tablename::text, 'strata_runtime', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
    format('strata_runtime may only SELECT, INSERT, UPDATE, DELETE on %s', tablename)
)
FROM pg_tables
WHERE schemaname = 'public' AND tablename NOT IN ('alembic_version', 'idempotency_keys')
ORDER BY tablename;

SELECT table_privs_are(
    'public', 'idempotency_keys', 'strata_runtime', ARRAY['SELECT', 'INSERT', 'DELETE'],
    'strata_runtime may only SELECT, INSERT, DELETE on idempotency_keys (a key is never updated)'
);

SELECT schema_privs_are(
    'public', 'strata_runtime', ARRAY['USAGE'],
    'strata_runtime may use the public schema but not create in it'
);

SELECT is_empty(
    $$SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relowner = 'strata_runtime'::regrole$$,
    'strata_runtime owns no relation in public'
);

SELECT * FROM finish();
ROLLBACK;
