-- normalize_email(): changing an email stores it lower-cased and trimmed.
BEGIN;
SELECT plan(4);

SELECT tests.create_organization() AS org_id \gset
SELECT tests.create_user(:'org_id') AS user_id \gset
SELECT tests.create_user(:'org_id') AS other_user_id \gset
SELECT tests.create_invitation(:'org_id') AS invitation_id \gset

UPDATE users SET email = ' Dana@Example.ORG  ' WHERE id = :'user_id';
SELECT is(
    (SELECT email FROM users WHERE id = :'user_id'), 'dana@example.org',
    'a user''s new email is lower-cased and trimmed on update'
);

UPDATE users SET email = 'dana.2@example.org' WHERE id = :'user_id';
SELECT is(
    (SELECT email FROM users WHERE id = :'user_id'), 'dana.2@example.org',
    'an already normalized new email is stored unchanged'
);

UPDATE invitations SET email = '  ERIN@example.org ' WHERE id = :'invitation_id';
SELECT is(
    (SELECT email FROM invitations WHERE id = :'invitation_id'), 'erin@example.org',
    'an invitation''s new email is lower-cased and trimmed on update'
);

SELECT throws_ok(
    format($$UPDATE users SET email = ' DANA.2@EXAMPLE.ORG' WHERE id = %L$$, :'other_user_id'),
    '23505', NULL,
    'moving another user to the same email in another case collides on the unique email'
);

SELECT * FROM finish();
ROLLBACK;
