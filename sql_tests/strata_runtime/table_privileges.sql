-- strata_runtime holds exactly SELECT, INSERT, UPDATE and DELETE on every application table:
-- no TRUNCATE, REFERENCES or TRIGGER, and it owns nothing.
BEGIN;
SELECT plan(9);

SELECT table_privs_are(
    'public', t, 'strata_runtime', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
    format('strata_runtime may only SELECT, INSERT, UPDATE, DELETE on %s', t)
)
FROM unnest(ARRAY[
    'organizations', 'users', 'invitations', 'auth_login_sessions', 'auth_audit_events',
    'domain_events', 'system_settings'
]) AS t;

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
