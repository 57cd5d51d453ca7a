-- As strata_runtime, TRUNCATE is refused on every table (it would bypass row triggers).
BEGIN;
SELECT plan(10);

SET LOCAL ROLE strata_runtime;
SELECT is(current_user, 'strata_runtime', 'the assertions below run as strata_runtime');

SELECT throws_ok(
    format('TRUNCATE %I', t), '42501', NULL,
    format('strata_runtime cannot truncate %s', t)
)
FROM unnest(ARRAY[
    'organizations', 'users', 'invitations', 'auth_login_sessions', 'auth_audit_events',
    'domain_events', 'domain_event_streams', 'system_settings', 'idempotency_keys'
]) AS t;

SELECT * FROM finish();
ROLLBACK;
