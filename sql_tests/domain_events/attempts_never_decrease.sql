-- guard_domain_event_update(): attempts may stay or grow, never decrease.
BEGIN;
SELECT plan(4);

SELECT tests.create_domain_event('processing', attempts => 3) AS event_id \gset

SELECT tests.throws_constraint_ok(
    format($$UPDATE domain_events SET attempts = 2 WHERE id = %L$$, :'event_id'),
    '23514', 'domain_events_attempts_monotonic',
    'attempts cannot go from 3 down to 2'
);
SELECT tests.throws_constraint_ok(
    format($$UPDATE domain_events SET status = 'pending', attempts = 0 WHERE id = %L$$,
           :'event_id'),
    '23514', 'domain_events_attempts_monotonic',
    'releasing a lease cannot reset attempts to 0'
);
SELECT lives_ok(
    format($$UPDATE domain_events SET attempts = 3 WHERE id = %L$$, :'event_id'),
    'attempts may stay at 3'
);
SELECT lives_ok(
    format($$UPDATE domain_events SET attempts = 4 WHERE id = %L$$, :'event_id'),
    'attempts may grow from 3 to 4'
);

SELECT * FROM finish();
ROLLBACK;
