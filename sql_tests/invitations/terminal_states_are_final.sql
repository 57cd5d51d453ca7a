-- guard_invitation_status(): accepted, revoked and expired are final.
BEGIN;
SELECT plan(12);

SELECT tests.create_organization() AS org_id \gset
SELECT tests.create_invitation(:'org_id', status => 'accepted') AS accepted \gset
SELECT tests.create_invitation(:'org_id', status => 'revoked') AS revoked \gset
SELECT tests.create_invitation(:'org_id', status => 'expired') AS expired \gset

SELECT tests.throws_constraint_ok(
    format($$UPDATE invitations SET status = %L WHERE id = %L$$, target, :'accepted'),
    '23514', 'invitations_terminal_state_is_final',
    format('accepted -> %s is rejected', target)
)
FROM unnest(ARRAY['pending', 'revoked', 'expired']) AS target;

SELECT tests.throws_constraint_ok(
    format($$UPDATE invitations SET status = %L WHERE id = %L$$, target, :'revoked'),
    '23514', 'invitations_terminal_state_is_final',
    format('revoked -> %s is rejected', target)
)
FROM unnest(ARRAY['pending', 'accepted', 'expired']) AS target;

SELECT tests.throws_constraint_ok(
    format($$UPDATE invitations SET status = %L WHERE id = %L$$, target, :'expired'),
    '23514', 'invitations_terminal_state_is_final',
    format('expired -> %s is rejected', target)
)
FROM unnest(ARRAY['pending', 'accepted', 'revoked']) AS target;

SELECT tests.throws_constraint_ok(
    format($$UPDATE invitations SET accepted_at = accepted_at - interval '1 day' WHERE id = %L$$,
           :'accepted'),
    '23514', 'invitations_terminal_state_is_final',
    'the accepted_at of an accepted invitation cannot be rewritten'
);
SELECT tests.throws_constraint_ok(
    format($$UPDATE invitations SET revoked_at = NULL WHERE id = %L$$, :'revoked'),
    '23514', 'invitations_terminal_state_is_final',
    'the revoked_at of a revoked invitation cannot be cleared'
);
SELECT lives_ok(
    format($$UPDATE invitations SET role = 'admin' WHERE id = %L$$, :'accepted'),
    'a final invitation may still change a column outside its status'
);

SELECT * FROM finish();
ROLLBACK;
