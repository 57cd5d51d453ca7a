-- strata_runtime holds exactly SELECT, INSERT, UPDATE and DELETE on every application table but
-- five. On domain_event_streams it holds what an append needs: SELECT, INSERT, and UPDATE of
-- version alone (a stream outlives its events, so it is never deleted, and its key and
-- created_at never change). The retention ledger, the idempotency keys and the processed
-- events are written once: SELECT, INSERT, DELETE (their own prune), and no table-wide UPDATE.
-- Organization trials are written once and leave only with their organization: SELECT,
-- INSERT. No TRUNCATE, REFERENCES or TRIGGER, and it owns nothing. The tables and columns
-- come from the catalog, so a new table is covered without editing this file
-- (public/tables_and_types.sql pins the set itself, and tests/migrations checks that list
-- against schema.py).
BEGIN;
SELECT plan(
    (SELECT count(*)::int FROM pg_tables
     WHERE schemaname = 'public' AND tablename <> 'alembic_version')
    + (SELECT count(*)::int FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = 'domain_event_streams')
    + 2
);

SELECT table_privs_are(
    'public', tablename::text, 'strata_runtime', privileges,
    format('strata_runtime may only %s on %s', array_to_string(privileges, ', '), tablename)
)
FROM pg_tables,
     LATERAL (SELECT CASE tablename
                  WHEN 'domain_event_streams' THEN ARRAY['SELECT', 'INSERT']
                  WHEN 'retention_prune_batches' THEN ARRAY['SELECT', 'INSERT', 'DELETE']
                  WHEN 'idempotency_keys' THEN ARRAY['SELECT', 'INSERT', 'DELETE']
                  WHEN 'processed_events' THEN ARRAY['SELECT', 'INSERT', 'DELETE']
                  WHEN 'organization_trials' THEN ARRAY['SELECT', 'INSERT']
                  ELSE ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']
              END AS privileges) AS granted
WHERE schemaname = 'public' AND tablename <> 'alembic_version'
ORDER BY tablename;

SELECT column_privs_are(
    'public', 'domain_event_streams', column_name::text, 'strata_runtime', privileges,
    format('strata_runtime may only %s domain_event_streams.%s',
           array_to_string(privileges, ', '), column_name)
)
FROM information_schema.columns,
     LATERAL (SELECT CASE column_name
                  WHEN 'version' THEN ARRAY['SELECT', 'INSERT', 'UPDATE']
                  ELSE ARRAY['SELECT', 'INSERT']
              END AS privileges) AS granted
WHERE table_schema = 'public' AND table_name = 'domain_event_streams'
ORDER BY ordinal_position;

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
