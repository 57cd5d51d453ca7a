-- guard_invitation_status(): accepted_at and revoked_at are set exactly for their status.
BEGIN;
SELECT plan(6);

SELECT tests.create_organization() AS org_id \gset
SELECT tests.create_invitation(:'org_id') AS pending \gset

SELECT tests.throws_constraint_ok(
    format($$UPDATE invitations SET accepted_at = now() WHERE id = %L$$, :'pending'),
    '23514', 'invitations_timestamps_match_status',
    'a pending invitation cannot have accepted_at'
);
SELECT tests.throws_constraint_ok(
    format($$UPDATE invitations SET revoked_at = now() WHERE id = %L$$, :'pending'),
    '23514', 'invitations_timestamps_match_status',
    'a pending invitation cannot have revoked_at'
);
SELECT tests.throws_constraint_ok(
    format($$UPDATE invitations SET status = 'accepted', revoked_at = now() WHERE id = %L$$,
           :'pending'),
    '23514', 'invitations_timestamps_match_status',
    'an accepted invitation cannot have revoked_at'
);
SELECT tests.throws_constraint_ok(
    format($$UPDATE invitations SET status = 'revoked', accepted_at = now() WHERE id = %L$$,
           :'pending'),
    '23514', 'invitations_timestamps_match_status',
    'a revoked invitation cannot have accepted_at'
);
SELECT tests.throws_constraint_ok(
    format($$UPDATE invitations SET status = 'expired', revoked_at = now() WHERE id = %L$$,
           :'pending'),
    '23514', 'invitations_timestamps_match_status',
    'an expired invitation cannot have revoked_at'
);
SELECT row_eq(
    format($$SELECT status, accepted_at, revoked_at FROM invitations WHERE id = %L$$, :'pending'),
    ROW('pending'::invitation_status, NULL::timestamptz, NULL::timestamptz),
    'after the rejected updates the invitation is still pending without timestamps'
);

SELECT * FROM finish();
ROLLBACK;
