-- As strata_runtime, triggers cannot be disabled, dropped, replaced or skipped.
BEGIN;
SELECT plan(8);

SET LOCAL ROLE strata_runtime;
SELECT is(current_user, 'strata_runtime', 'the assertions below run as strata_runtime');
SELECT tests.create_audit_event() AS event_id \gset

SELECT throws_ok(
    $$ALTER TABLE auth_audit_events DISABLE TRIGGER auth_audit_events_reject_update$$,
    '42501', NULL,
    'strata_runtime cannot disable the append-only trigger'
);
SELECT throws_ok(
    $$ALTER TABLE invitations DISABLE TRIGGER ALL$$, '42501', NULL,
    'strata_runtime cannot disable all triggers of a table'
);
SELECT throws_ok(
    $$DROP TRIGGER domain_events_guard_update ON domain_events$$, '42501', NULL,
    'strata_runtime cannot drop a trigger'
);
SELECT throws_ok(
    $$CREATE TRIGGER runtime_scratch BEFORE UPDATE ON users
      FOR EACH ROW EXECUTE FUNCTION set_updated_at()$$,
    '42501', NULL,
    'strata_runtime cannot create a trigger'
);
SELECT throws_ok(
    $$CREATE OR REPLACE FUNCTION guard_invitation_status() RETURNS trigger
      LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'$$,
    '42501', NULL,
    'strata_runtime cannot replace a trigger function'
);
SELECT throws_ok(
    $$SET session_replication_role = replica$$, '42501', NULL,
    'strata_runtime cannot switch to replica mode, which skips ordinary triggers'
);
SELECT tests.throws_constraint_ok(
    format($$UPDATE auth_audit_events SET metadata = '{}' WHERE id = %L$$, :'event_id'),
    '23514', 'auth_audit_events_append_only',
    'after all of that the append-only trigger still fires for strata_runtime'
);

SELECT * FROM finish();
ROLLBACK;
