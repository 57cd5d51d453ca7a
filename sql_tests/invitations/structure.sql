-- invitations: columns, key types, triggers, indexes and the status enum.
BEGIN;
SELECT plan(14);

SELECT * FROM tests.table_is(
    'invitations', 'id',
    ARRAY[
        'id', 'organization_id', 'email', 'role', 'status', 'token_hash', 'invited_by',
        'expires_at', 'accepted_at', 'revoked_at', 'created_at', 'updated_at'
    ],
    ARRAY[
        'pk_invitations', 'uq_invitations_token_hash', 'ix_invitations_organization_id',
        'uq_invitations_pending_organization_id_email', 'ix_invitations_terminal_created_at'
    ]
);
SELECT col_type_is('public', 'invitations', 'id', 'uuid', 'invitations.id is a uuid');
SELECT col_type_is(
    'public', 'invitations', 'status', 'invitation_status',
    'invitations.status is the invitation_status enum'
);
SELECT col_type_is(
    'public', 'invitations', 'expires_at', 'timestamp with time zone',
    'invitations.expires_at is a timestamptz'
);
SELECT col_is_null('public', 'invitations', 'accepted_at', 'invitations.accepted_at is nullable');
SELECT fk_ok(
    'public', 'invitations', 'invited_by', 'public', 'users', 'id',
    'invitations.invited_by references users.id'
);
SELECT triggers_are(
    'public', 'invitations',
    ARRAY['invitations_set_updated_at', 'invitations_normalize_email', 'invitations_guard_status'],
    'invitations has exactly the updated_at, email and status guard triggers'
);
SELECT trigger_is(
    'public', 'invitations', 'invitations_guard_status', 'public', 'guard_invitation_status',
    'invitations_guard_status runs guard_invitation_status()'
);
SELECT index_is_unique(
    'public', 'invitations', 'uq_invitations_pending_organization_id_email',
    'one pending invitation per organization and email'
);
SELECT index_is_unique(
    'public', 'invitations', 'uq_invitations_token_hash', 'token hashes are unique'
);
SELECT enum_has_labels(
    'public', 'invitation_status', ARRAY['pending', 'accepted', 'revoked', 'expired'],
    'invitation_status has exactly pending, accepted, revoked, expired in order'
);

SELECT * FROM finish();
ROLLBACK;
