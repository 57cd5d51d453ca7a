-- set_updated_at(): an UPDATE that changes nothing keeps updated_at.
BEGIN;
SELECT plan(5);

SELECT tests.create_organization(created_at => '2020-01-01 00:00+00') AS org_id \gset
SELECT tests.create_user(:'org_id', created_at => '2020-01-01 00:00+00') AS user_id \gset
SELECT tests.create_invitation(:'org_id', created_at => '2020-01-01 00:00+00') AS invitation_id \gset
INSERT INTO system_settings (key, value, updated_at)
VALUES ('tests.updated_at', '{"enabled": true}', '2020-01-01 00:00+00');
INSERT INTO domain_event_streams (aggregate_type, aggregate_id, version, created_at, updated_at)
VALUES ('organization', :'org_id', 1, '2020-01-01 00:00+00', '2020-01-01 00:00+00');

UPDATE organizations SET name = name WHERE id = :'org_id';
SELECT is(
    (SELECT updated_at FROM organizations WHERE id = :'org_id'), '2020-01-01 00:00+00',
    'a no-op update keeps an organization''s updated_at'
);

UPDATE users SET display_name = display_name, email = email WHERE id = :'user_id';
SELECT is(
    (SELECT updated_at FROM users WHERE id = :'user_id'), '2020-01-01 00:00+00',
    'a no-op update keeps a user''s updated_at'
);

UPDATE invitations SET status = status WHERE id = :'invitation_id';
SELECT is(
    (SELECT updated_at FROM invitations WHERE id = :'invitation_id'), '2020-01-01 00:00+00',
    'a no-op update keeps an invitation''s updated_at'
);

UPDATE system_settings SET value = '{"enabled": true}' WHERE key = 'tests.updated_at';
SELECT is(
    (SELECT updated_at FROM system_settings WHERE key = 'tests.updated_at'),
    '2020-01-01 00:00+00',
    'writing a setting''s current value again keeps its updated_at'
);

UPDATE domain_event_streams SET version = version WHERE aggregate_id = :'org_id';
SELECT is(
    (SELECT updated_at FROM domain_event_streams WHERE aggregate_id = :'org_id'),
    '2020-01-01 00:00+00',
    'a no-op update keeps a stream''s updated_at'
);

SELECT * FROM finish();
ROLLBACK;
