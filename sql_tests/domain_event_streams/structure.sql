-- domain_event_streams: columns, key types, the version check and the updated_at trigger.
BEGIN;
SELECT plan(10);

SELECT * FROM tests.table_is(
    'domain_event_streams', ARRAY['aggregate_type', 'aggregate_id'],
    ARRAY['aggregate_type', 'aggregate_id', 'version', 'created_at', 'updated_at'],
    ARRAY['pk_domain_event_streams']
);
SELECT col_type_is(
    'public', 'domain_event_streams', 'version', 'bigint',
    'domain_event_streams.version is a bigint, as domain_events.sequence_number'
);
SELECT col_type_is(
    'public', 'domain_event_streams', 'aggregate_id', 'uuid',
    'domain_event_streams.aggregate_id is a uuid, as domain_events.aggregate_id'
);
SELECT triggers_are(
    'public', 'domain_event_streams', ARRAY['domain_event_streams_set_updated_at'],
    'domain_event_streams has exactly the updated_at trigger'
);
SELECT trigger_is(
    'public', 'domain_event_streams', 'domain_event_streams_set_updated_at',
    'public', 'set_updated_at',
    'domain_event_streams_set_updated_at runs set_updated_at()'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO domain_event_streams (aggregate_type, aggregate_id, version)
      VALUES ('organization', gen_random_uuid(), 0)$$,
    '23514', 'ck_domain_event_streams_version_positive',
    'a stream''s version is never 0: a stream exists once it has had an event'
);
SELECT lives_ok(
    $$INSERT INTO domain_event_streams (aggregate_type, aggregate_id, version)
      VALUES ('organization', gen_random_uuid(), 1)$$,
    'a stream at version 1 is accepted'
);

SELECT * FROM finish();
ROLLBACK;
