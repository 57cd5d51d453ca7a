-- The desired-state script adds the retention defaults that are missing:
-- all of them when the setting is absent, the missing entries when it is partial.
-- The key the script writes: core.retention.policy.RETENTION_SETTING_KEY.
\set setting_key retention_settings
BEGIN;
SELECT plan(4);

DELETE FROM system_settings WHERE key = :'setting_key';
\ir ../../packages/infra/db/schemas/system_settings/reconcile_retention_settings.sql

-- Containment, not equality: a target declared later adds its own entry without
-- editing this file (tests/integration checks the full set against the declaration).
SELECT ok(
    (SELECT value FROM system_settings WHERE key = :'setting_key')
    @> '{"audit_events": {"enabled": true, "retention_days": 90},
         "invitations": {"enabled": true, "retention_days": 180},
         "domain_events": {"enabled": true, "retention_days": 30}}'::jsonb,
    'an absent retention setting is created with every default'
);

UPDATE system_settings SET value = value - 'invitations' - 'domain_events'
WHERE key = :'setting_key';
\ir ../../packages/infra/db/schemas/system_settings/reconcile_retention_settings.sql

SELECT is(
    (SELECT value -> 'invitations' FROM system_settings WHERE key = :'setting_key'),
    '{"enabled": true, "retention_days": 180}'::jsonb,
    'a missing invitations entry is added with its default'
);
SELECT is(
    (SELECT value -> 'domain_events' FROM system_settings WHERE key = :'setting_key'),
    '{"enabled": true, "retention_days": 30}'::jsonb,
    'a missing domain_events entry is added with its default'
);
SELECT is(
    (SELECT count(*)::int FROM system_settings WHERE key = :'setting_key'), 1,
    'there is still exactly one retention setting'
);

SELECT * FROM finish();
ROLLBACK;
