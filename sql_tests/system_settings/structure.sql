-- system_settings: columns, key types, the updated_at trigger and the primary key.
BEGIN;
SELECT plan(7);

SELECT * FROM tests.table_is(
    'system_settings', 'key',
    ARRAY['key', 'value', 'description', 'updated_at'],
    ARRAY['pk_system_settings']
);
SELECT col_type_is('public', 'system_settings', 'value', 'jsonb', 'system_settings.value is jsonb');
SELECT triggers_are(
    'public', 'system_settings', ARRAY['system_settings_set_updated_at'],
    'system_settings has exactly the updated_at trigger'
);
SELECT trigger_is(
    'public', 'system_settings', 'system_settings_set_updated_at', 'public', 'set_updated_at',
    'system_settings_set_updated_at runs set_updated_at()'
);
SELECT * FROM finish();
ROLLBACK;
