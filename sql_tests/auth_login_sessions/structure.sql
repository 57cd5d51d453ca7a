-- auth_login_sessions: columns, key types, no triggers, indexes.
BEGIN;
SELECT plan(8);

SELECT * FROM tests.table_is(
    'auth_login_sessions', 'id',
    ARRAY['id', 'user_id', 'created_at', 'expires_at', 'revoked_at', 'ip', 'user_agent'],
    ARRAY['pk_auth_login_sessions', 'ix_auth_login_sessions_user_id']
);
SELECT col_type_is('public', 'auth_login_sessions', 'ip', 'inet', 'auth_login_sessions.ip is inet');
SELECT fk_ok(
    'public', 'auth_login_sessions', 'user_id', 'public', 'users', 'id',
    'auth_login_sessions.user_id references users.id'
);
SELECT triggers_are(
    'public', 'auth_login_sessions', ARRAY[]::name[],
    'auth_login_sessions has no triggers'
);
SELECT has_index(
    'public', 'auth_login_sessions', 'ix_auth_login_sessions_user_id', 'user_id',
    'ix_auth_login_sessions_user_id indexes user_id'
);

SELECT * FROM finish();
ROLLBACK;
