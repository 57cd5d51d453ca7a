-- guard_invitation_status(): a pending invitation may become accepted, revoked or expired,
-- and the trigger stamps the matching timestamp.
BEGIN;
SELECT plan(9);

SELECT tests.create_organization() AS org_id \gset
SELECT tests.create_invitation(:'org_id') AS to_accept \gset
SELECT tests.create_invitation(:'org_id') AS to_revoke \gset
SELECT tests.create_invitation(:'org_id') AS to_expire \gset
SELECT tests.create_invitation(:'org_id') AS to_keep \gset

SELECT lives_ok(
    format($$UPDATE invitations SET status = 'accepted' WHERE id = %L$$, :'to_accept'),
    'pending -> accepted is allowed'
);
SELECT is(
    (SELECT accepted_at FROM invitations WHERE id = :'to_accept'), now(),
    'accepting stamps accepted_at with now()'
);

SELECT lives_ok(
    format($$UPDATE invitations SET status = 'revoked' WHERE id = %L$$, :'to_revoke'),
    'pending -> revoked is allowed'
);
SELECT is(
    (SELECT revoked_at FROM invitations WHERE id = :'to_revoke'), now(),
    'revoking stamps revoked_at with now()'
);

SELECT lives_ok(
    format($$UPDATE invitations SET status = 'expired' WHERE id = %L$$, :'to_expire'),
    'pending -> expired is allowed'
);
SELECT ok(
    (SELECT accepted_at IS NULL AND revoked_at IS NULL FROM invitations WHERE id = :'to_expire'),
    'expiring stamps neither accepted_at nor revoked_at'
);

SELECT lives_ok(
    format(
        $$UPDATE invitations SET status = 'accepted', accepted_at = '2020-02-02 00:00+00'
          WHERE id = %L$$,
        :'to_keep'
    ),
    'pending -> accepted with an explicit accepted_at is allowed'
);
SELECT is(
    (SELECT accepted_at FROM invitations WHERE id = :'to_keep'), '2020-02-02 00:00+00',
    'an explicit accepted_at is kept, not overwritten'
);

SELECT lives_ok(
    format(
        $$UPDATE invitations SET role = 'admin', expires_at = expires_at + interval '1 day'
          WHERE id = %L$$,
        (SELECT tests.create_invitation(:'org_id'))
    ),
    'a pending invitation may change other columns and stay pending'
);

SELECT * FROM finish();
ROLLBACK;
