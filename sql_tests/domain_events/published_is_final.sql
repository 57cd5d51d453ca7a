-- guard_domain_event_update(): a published event never changes again.
BEGIN;
SELECT plan(5);

SELECT tests.create_domain_event('published', attempts => 1) AS published \gset

SELECT tests.throws_constraint_ok(
    format($$UPDATE domain_events SET attempts = attempts + 1 WHERE id = %L$$, :'published'),
    '23514', 'domain_events_status_transition',
    'a published event cannot count another attempt'
);
SELECT tests.throws_constraint_ok(
    format($$UPDATE domain_events SET published_at = published_at + interval '1 second'
             WHERE id = %L$$, :'published'),
    '23514', 'domain_events_status_transition',
    'a published event cannot move its published_at'
);
SELECT tests.throws_constraint_ok(
    format($$UPDATE domain_events SET failure_reason = 'late' WHERE id = %L$$, :'published'),
    '23514', 'domain_events_status_transition',
    'a published event cannot gain a failure_reason'
);
SELECT lives_ok(
    format($$UPDATE domain_events SET status = status WHERE id = %L$$, :'published'),
    'an update of a published event that changes nothing is allowed'
);
SELECT lives_ok(
    format($$UPDATE domain_events SET attempts = attempts + 1 WHERE id = %L$$,
           tests.create_domain_event('processing', attempts => 1)),
    'an event that is not yet published may still count attempts'
);

SELECT * FROM finish();
ROLLBACK;
