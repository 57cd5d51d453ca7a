-- The desired-state script never overwrites what an operator changed.
-- The key the script writes: core.retention.policy.RETENTION_SETTING_KEY.
\set setting_key retention_settings
BEGIN;
SELECT plan(5);

DELETE FROM system_settings WHERE key = :'setting_key';
INSERT INTO system_settings (key, value) VALUES (
    :'setting_key',
    '{"audit_events": {"enabled": false, "retention_days": 7},
      "invitations": {"enabled": true, "retention_days": 365},
      "login_sessions": {"enabled": true, "retention_days": 14}}'
);
\ir ../../packages/infra/db/schemas/system_settings/reconcile_retention_settings.sql

SELECT is(
    (SELECT value -> 'audit_events' FROM system_settings WHERE key = :'setting_key'),
    '{"enabled": false, "retention_days": 7}'::jsonb,
    'an operator''s disabled 7-day audit_events rule is kept'
);
SELECT is(
    (SELECT value -> 'invitations' FROM system_settings WHERE key = :'setting_key'),
    '{"enabled": true, "retention_days": 365}'::jsonb,
    'an operator''s 365-day invitations rule is kept'
);
SELECT is(
    (SELECT value -> 'login_sessions' FROM system_settings WHERE key = :'setting_key'),
    '{"enabled": true, "retention_days": 14}'::jsonb,
    'an entry the operator added is kept'
);
SELECT is(
    (SELECT value -> 'domain_events' FROM system_settings WHERE key = :'setting_key'),
    '{"enabled": true, "retention_days": 30}'::jsonb,
    'the one missing entry, domain_events, is still added'
);

UPDATE system_settings SET value = '"disabled by hand"' WHERE key = :'setting_key';
\ir ../../packages/infra/db/schemas/system_settings/reconcile_retention_settings.sql

SELECT is(
    (SELECT value FROM system_settings WHERE key = :'setting_key'),
    '"disabled by hand"'::jsonb,
    'a value that is not an object is left as the operator wrote it'
);

SELECT * FROM finish();
ROLLBACK;
