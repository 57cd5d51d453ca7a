-- system_settings: columns, key types, the updated_at trigger and the primary key.
BEGIN;
SELECT plan(7);

SELECT has_table('public', 'system_settings', 'system_settings exists');
SELECT columns_are(
    'public', 'system_settings', ARRAY['key', 'value', 'description', 'updated_at'],
    'system_settings has exactly its columns'
);
SELECT col_is_pk('public', 'system_settings', 'key', 'system_settings.key is the primary key');
SELECT col_type_is('public', 'system_settings', 'value', 'jsonb', 'system_settings.value is jsonb');
SELECT triggers_are(
    'public', 'system_settings', ARRAY['system_settings_set_updated_at'],
    'system_settings has exactly the updated_at trigger'
);
SELECT trigger_is(
    'public', 'system_settings', 'system_settings_set_updated_at', 'public', 'set_updated_at',
    'system_settings_set_updated_at runs set_updated_at()'
);
SELECT indexes_are(
    'public', 'system_settings', ARRAY['pk_system_settings'],
    'system_settings has only its primary key index'
);

SELECT * FROM finish();
ROLLBACK;
