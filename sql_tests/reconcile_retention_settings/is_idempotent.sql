-- Applying the desired-state script again changes nothing.
-- The key the script writes: core.retention.policy.RETENTION_SETTING_KEY.
\set setting_key retention_settings
BEGIN;
SELECT plan(3);

DELETE FROM system_settings WHERE key = :'setting_key';
\ir ../../packages/infra/db/schemas/system_settings/reconcile_retention_settings.sql
CREATE TEMP TABLE first_run ON COMMIT DROP AS
SELECT value, description FROM system_settings WHERE key = :'setting_key';
\ir ../../packages/infra/db/schemas/system_settings/reconcile_retention_settings.sql

SELECT is(
    (SELECT value FROM system_settings WHERE key = :'setting_key'),
    (SELECT value FROM first_run),
    'a second run leaves the value exactly as the first run wrote it'
);

-- A reconciled row stamped in the past: a run that changes nothing keeps the stamp.
DELETE FROM system_settings WHERE key = :'setting_key';
INSERT INTO system_settings (key, value, description, updated_at)
SELECT :'setting_key', value, description, '2020-01-01 00:00+00' FROM first_run;
\ir ../../packages/infra/db/schemas/system_settings/reconcile_retention_settings.sql

SELECT is(
    (SELECT value FROM system_settings WHERE key = :'setting_key'),
    (SELECT value FROM first_run),
    'a run over an already reconciled value keeps it'
);
SELECT is(
    (SELECT updated_at FROM system_settings WHERE key = :'setting_key'),
    '2020-01-01 00:00+00',
    'a run that changes nothing does not move updated_at'
);

SELECT * FROM finish();
ROLLBACK;
