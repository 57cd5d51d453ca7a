-- processed_events: columns, the (consumer, event_id) key, indexes, no triggers, no foreign
-- key to domain_events, and the runtime role's privileges (no UPDATE: a record is final).
BEGIN;
SELECT plan(16);

SELECT * FROM tests.table_is(
    'processed_events', ARRAY['consumer', 'event_id'],
    ARRAY['consumer', 'event_id', 'id', 'processed_at'],
    ARRAY['pk_processed_events', 'uq_processed_events_id', 'ix_processed_events_processed_at']
);
SELECT col_type_is('public', 'processed_events', 'event_id', 'uuid',
                   'processed_events.event_id is a uuid');
SELECT col_default_is('public', 'processed_events', 'processed_at', 'now()',
                      'processed_events.processed_at defaults to now()');
SELECT has_index(
    'public', 'processed_events', 'ix_processed_events_processed_at', 'processed_at',
    'ix_processed_events_processed_at indexes processed_at (retention prunes by age)'
);
SELECT hasnt_fk('public', 'processed_events',
                'processed_events refers to no table (events are pruned independently)');
SELECT triggers_are(
    'public', 'processed_events', ARRAY[]::name[], 'processed_events has no triggers'
);

SELECT lives_ok(
    $$INSERT INTO processed_events (consumer, event_id)
      VALUES ('organization-onboarding', '00000000-0000-4000-8000-000000000001')$$,
    'a record of an event that is not stored is accepted'
);
SELECT lives_ok(
    $$INSERT INTO processed_events (consumer, event_id)
      VALUES ('another-consumer', '00000000-0000-4000-8000-000000000001')$$,
    'another consumer records the same event'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO processed_events (consumer, event_id)
      VALUES ('organization-onboarding', '00000000-0000-4000-8000-000000000001')$$,
    '23505', 'pk_processed_events',
    'a consumer records an event at most once'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO processed_events (consumer, event_id)
      VALUES ('  ', '00000000-0000-4000-8000-000000000002')$$,
    '23514', 'ck_processed_events_consumer_not_blank',
    'a blank consumer is refused'
);
SELECT table_privs_are(
    'public', 'processed_events', 'strata_runtime', ARRAY['SELECT', 'INSERT', 'DELETE'],
    'strata_runtime may SELECT, INSERT and DELETE processed events, never UPDATE them'
);
SELECT ok(
    has_column_privilege('strata_runtime', 'processed_events', 'id', 'UPDATE'),
    'strata_runtime may update id only, which is what lets the prune lock rows (FOR UPDATE)'
);
SELECT is_empty(
    $$SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = 'processed_events' AND column_name <> 'id'
        AND has_column_privilege('strata_runtime', 'processed_events', column_name, 'UPDATE')$$,
    'strata_runtime may update no other column: a record is final'
);

SELECT * FROM finish();
ROLLBACK;
