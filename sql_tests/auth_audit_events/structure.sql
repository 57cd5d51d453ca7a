-- auth_audit_events: columns, key types, the append-only trigger, indexes, event type enum.
BEGIN;
SELECT plan(10);

SELECT * FROM tests.table_is(
    'auth_audit_events', 'id',
    ARRAY['id', 'user_id', 'session_id', 'event_type', 'ip', 'metadata', 'created_at'],
    ARRAY['pk_auth_audit_events', 'ix_auth_audit_events_user_id', 'ix_auth_audit_events_created_at']
);
SELECT col_type_is(
    'public', 'auth_audit_events', 'event_type', 'auth_event_type',
    'auth_audit_events.event_type is the auth_event_type enum'
);
SELECT col_type_is(
    'public', 'auth_audit_events', 'metadata', 'jsonb', 'auth_audit_events.metadata is jsonb'
);
SELECT triggers_are(
    'public', 'auth_audit_events', ARRAY['auth_audit_events_reject_update'],
    'auth_audit_events has exactly the append-only trigger'
);
SELECT trigger_is(
    'public', 'auth_audit_events', 'auth_audit_events_reject_update',
    'public', 'reject_audit_event_update',
    'auth_audit_events_reject_update runs reject_audit_event_update()'
);
SELECT has_index(
    'public', 'auth_audit_events', 'ix_auth_audit_events_created_at', 'created_at',
    'retention prunes audit events by an index on created_at'
);
SELECT enum_has_labels(
    'public', 'auth_event_type',
    ARRAY['login_succeeded', 'login_failed', 'logout', 'session_revoked'],
    'auth_event_type has exactly login_succeeded, login_failed, logout, session_revoked'
);

SELECT * FROM finish();
ROLLBACK;
