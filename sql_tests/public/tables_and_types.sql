-- The public schema holds exactly the application's tables and enum types.
BEGIN;
SELECT plan(2);

SELECT tables_are(
    'public',
    ARRAY[
        'alembic_version', 'organizations', 'users', 'invitations', 'auth_login_sessions',
        'auth_audit_events', 'domain_events', 'domain_event_streams', 'system_settings',
        'retention_prune_batches', 'idempotency_keys', 'processed_events', 'organization_trials'
    ],
    'public has exactly the application tables and alembic_version'
);

SELECT enums_are(
    'public',
    ARRAY[
        'subscription_status', 'user_role', 'invitation_status', 'auth_event_type',
        'domain_event_status'
    ],
    'public has exactly the application''s enum types'
);

SELECT * FROM finish();
ROLLBACK;
