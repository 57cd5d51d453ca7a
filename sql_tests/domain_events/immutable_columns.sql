-- guard_domain_event_update(): identity, payload and sequence of an event never change;
-- only the delivery columns move.
BEGIN;
SELECT plan(11);

SELECT tests.create_domain_event() AS event_id \gset

SELECT tests.throws_constraint_ok(
    format($$UPDATE domain_events SET %I = %s WHERE id = %L$$, col, new_value, :'event_id'),
    '23514', 'domain_events_immutable',
    format('changing %s is rejected', col)
)
FROM (VALUES
    ('id', 'gen_random_uuid()'),
    ('event_type', $$'organization.renamed'$$),
    ('aggregate_type', $$'user'$$),
    ('aggregate_id', 'gen_random_uuid()'),
    ('sequence_number', 'sequence_number + 1'),
    ('payload', $$'{"name": "Changed"}'$$),
    ('correlation_id', 'NULL'),
    ('occurred_at', $$occurred_at - interval '1 hour'$$),
    ('created_at', $$created_at - interval '1 hour'$$)
) AS immutable(col, new_value);

SELECT lives_ok(
    format($$UPDATE domain_events
             SET status = 'processing', attempts = attempts + 1,
                 locked_until = now() + interval '1 minute'
             WHERE id = %L$$, :'event_id'),
    'the delivery columns status, attempts and locked_until may change'
);
SELECT row_eq(
    format($$SELECT status, attempts FROM domain_events WHERE id = %L$$, :'event_id'),
    ROW('processing'::domain_event_status, 1),
    'the event moved to processing with one attempt'
);

SELECT * FROM finish();
ROLLBACK;
