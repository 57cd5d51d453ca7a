-- set_updated_at(): a real change moves updated_at to now() on every table it guards.
-- Rows are created in the past: inside one transaction now() never moves.
BEGIN;
SELECT plan(6);

SELECT tests.create_organization(created_at => '2020-01-01 00:00+00') AS org_id \gset
SELECT tests.create_user(:'org_id', created_at => '2020-01-01 00:00+00') AS user_id \gset
SELECT tests.create_invitation(:'org_id', created_at => '2020-01-01 00:00+00') AS invitation_id \gset
INSERT INTO system_settings (key, value, updated_at)
VALUES ('tests.updated_at', '{"enabled": true}', '2020-01-01 00:00+00');
INSERT INTO domain_event_streams (aggregate_type, aggregate_id, version, created_at, updated_at)
VALUES ('organization', :'org_id', 1, '2020-01-01 00:00+00', '2020-01-01 00:00+00');

UPDATE organizations SET name = 'Renamed' WHERE id = :'org_id';
SELECT is(
    (SELECT updated_at FROM organizations WHERE id = :'org_id'), now(),
    'renaming an organization moves its updated_at to now()'
);

UPDATE users SET display_name = 'Renamed' WHERE id = :'user_id';
SELECT is(
    (SELECT updated_at FROM users WHERE id = :'user_id'), now(),
    'renaming a user moves its updated_at to now()'
);

UPDATE invitations SET role = 'admin' WHERE id = :'invitation_id';
SELECT is(
    (SELECT updated_at FROM invitations WHERE id = :'invitation_id'), now(),
    'changing an invitation''s role moves its updated_at to now()'
);

UPDATE system_settings SET value = '{"enabled": false}' WHERE key = 'tests.updated_at';
SELECT is(
    (SELECT updated_at FROM system_settings WHERE key = 'tests.updated_at'), now(),
    'changing a setting''s value moves its updated_at to now()'
);

UPDATE domain_event_streams SET version = version + 1 WHERE aggregate_id = :'org_id';
SELECT is(
    (SELECT updated_at FROM domain_event_streams WHERE aggregate_id = :'org_id'), now(),
    'moving a stream''s version moves its updated_at to now()'
);

SELECT is(
    (SELECT created_at FROM organizations WHERE id = :'org_id'), '2020-01-01 00:00+00',
    'a real change leaves created_at alone'
);

SELECT * FROM finish();
ROLLBACK;
