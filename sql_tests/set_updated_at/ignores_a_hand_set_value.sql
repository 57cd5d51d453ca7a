-- set_updated_at(): updated_at cannot be set by hand, with or without a real change.
BEGIN;
SELECT plan(4);

SELECT tests.create_organization(created_at => '2020-01-01 00:00+00') AS org_id \gset
INSERT INTO system_settings (key, value, updated_at)
VALUES ('tests.updated_at', '{"enabled": true}', '2020-01-01 00:00+00');

UPDATE organizations SET updated_at = '2030-01-01 00:00+00' WHERE id = :'org_id';
SELECT is(
    (SELECT updated_at FROM organizations WHERE id = :'org_id'), '2020-01-01 00:00+00',
    'setting only updated_at by hand keeps the old value'
);

UPDATE organizations SET name = 'Renamed', updated_at = '2030-01-01 00:00+00'
WHERE id = :'org_id';
SELECT is(
    (SELECT updated_at FROM organizations WHERE id = :'org_id'), now(),
    'a hand-set updated_at next to a real change becomes now()'
);

UPDATE system_settings SET updated_at = '2030-01-01 00:00+00' WHERE key = 'tests.updated_at';
SELECT is(
    (SELECT updated_at FROM system_settings WHERE key = 'tests.updated_at'),
    '2020-01-01 00:00+00',
    'setting only a setting''s updated_at by hand keeps the old value'
);

UPDATE system_settings SET description = 'changed', updated_at = '2030-01-01 00:00+00'
WHERE key = 'tests.updated_at';
SELECT is(
    (SELECT updated_at FROM system_settings WHERE key = 'tests.updated_at'), now(),
    'a hand-set updated_at next to a real change of a setting becomes now()'
);

SELECT * FROM finish();
ROLLBACK;
