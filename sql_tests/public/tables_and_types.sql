-- The public schema holds exactly the application's tables and enum types.
BEGIN;
SELECT plan(2);

SELECT tables_are(
    'public',
    ARRAY[
        'alembic_version', 'organizations', 'users', 'invitations', 'auth_login_sessions',
        'auth_audit_events', 'domain_events', 'system_settings', 'idempotency_keys'
    ],
    'public has exactly the application tables and alembic_version'
);

SELECT enums_are(
    'public',
    ARRAY[
        'subscription_status', 'user_role', 'invitation_status', 'auth_event_type',
        'domain_event_status'
    ],
    'public has exactly the five enum types'
);

SELECT * FROM finish();
ROLLBACK;
