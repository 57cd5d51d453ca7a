-- normalize_email(): emails are stored lower-cased and trimmed when a row is inserted.
BEGIN;
SELECT plan(5);

SELECT tests.create_organization() AS org_id \gset
SELECT tests.create_user(:'org_id', email => '  Alice.Smith@Example.COM ') AS user_id \gset
SELECT tests.create_user(:'org_id', email => 'bob@example.com') AS plain_user_id \gset
SELECT tests.create_invitation(:'org_id', email => '  Carol@EXAMPLE.com  ') AS invitation_id \gset

SELECT is(
    (SELECT email FROM users WHERE id = :'user_id'), 'alice.smith@example.com',
    'a user''s email is lower-cased and trimmed on insert'
);
SELECT is(
    (SELECT email FROM users WHERE id = :'plain_user_id'), 'bob@example.com',
    'an already normalized user email is stored unchanged'
);
SELECT is(
    (SELECT email FROM invitations WHERE id = :'invitation_id'), 'carol@example.com',
    'an invitation''s email is lower-cased and trimmed on insert'
);
SELECT throws_ok(
    format(
        $$SELECT tests.create_user(%L, email => ' ALICE.smith@example.com')$$, :'org_id'
    ),
    '23505', NULL,
    'an email differing only in case and spaces collides with the existing user'
);
SELECT lives_ok(
    format($$SELECT tests.create_user(%L, email => 'alice.smith2@example.com')$$, :'org_id'),
    'a different email does not collide'
);

SELECT * FROM finish();
ROLLBACK;
