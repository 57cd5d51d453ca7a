-- auth_audit_events is append-only: rows are inserted and pruned, never updated.
BEGIN;
SELECT plan(6);

SELECT lives_ok(
    $$SELECT tests.create_audit_event('login_failed')$$,
    'an audit event can be inserted'
);

SELECT tests.create_audit_event() AS event_id \gset

SELECT tests.throws_constraint_ok(
    format($$UPDATE auth_audit_events SET event_type = 'logout' WHERE id = %L$$, :'event_id'),
    '23514', 'auth_audit_events_append_only',
    'changing the event type of an audit event is rejected'
);

SELECT tests.throws_constraint_ok(
    format($$UPDATE auth_audit_events SET metadata = '{}' WHERE id = %L$$, :'event_id'),
    '23514', 'auth_audit_events_append_only',
    'changing the metadata of an audit event is rejected'
);

SELECT tests.throws_constraint_ok(
    format($$UPDATE auth_audit_events SET metadata = metadata WHERE id = %L$$, :'event_id'),
    '23514', 'auth_audit_events_append_only',
    'even an update that changes nothing is rejected'
);

SELECT lives_ok(
    format($$DELETE FROM auth_audit_events WHERE id = %L$$, :'event_id'),
    'an audit event can be deleted (retention prunes them)'
);

SELECT is_empty(
    format($$SELECT FROM auth_audit_events WHERE id = %L$$, :'event_id'),
    'the deleted audit event is gone'
);

SELECT * FROM finish();
ROLLBACK;
