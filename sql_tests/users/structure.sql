-- users: columns, key types, triggers, indexes and the role enum.
BEGIN;
SELECT plan(13);

SELECT * FROM tests.table_is(
    'users', 'id',
    ARRAY['id', 'organization_id', 'email', 'display_name', 'role', 'created_at', 'updated_at'],
    ARRAY['pk_users', 'uq_users_email', 'ix_users_organization_id']
);
SELECT col_type_is('public', 'users', 'id', 'uuid', 'users.id is a uuid');
SELECT col_type_is('public', 'users', 'email', 'text', 'users.email is text');
SELECT col_type_is('public', 'users', 'role', 'user_role', 'users.role is the user_role enum');
SELECT fk_ok(
    'public', 'users', 'organization_id', 'public', 'organizations', 'id',
    'users.organization_id references organizations.id'
);
SELECT col_is_unique('public', 'users', 'email', 'users.email is unique');
SELECT triggers_are(
    'public', 'users', ARRAY['users_set_updated_at', 'users_normalize_email'],
    'users has exactly the updated_at and email normalization triggers'
);
SELECT trigger_is(
    'public', 'users', 'users_normalize_email', 'public', 'normalize_email',
    'users_normalize_email runs normalize_email()'
);
SELECT has_index(
    'public', 'users', 'ix_users_organization_id', 'organization_id',
    'ix_users_organization_id indexes organization_id'
);
SELECT enum_has_labels(
    'public', 'user_role', ARRAY['owner', 'admin', 'member'],
    'user_role has exactly owner, admin, member in order'
);

SELECT * FROM finish();
ROLLBACK;
