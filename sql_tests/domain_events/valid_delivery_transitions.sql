-- guard_domain_event_update(): the delivery transitions an outbox relay uses are allowed:
-- pending -> processing -> published | failed | pending, an expired lease taken over, and
-- failed -> pending through an operator's retry.
BEGIN;
SELECT plan(15);

SELECT tests.create_domain_event() AS pending \gset
SELECT tests.create_domain_event('processing', attempts => 1) AS to_publish \gset
SELECT tests.create_domain_event('processing', attempts => 1) AS to_fail \gset
SELECT tests.create_domain_event('processing', attempts => 1) AS to_retry \gset
SELECT tests.create_domain_event('processing', attempts => 1) AS to_reclaim \gset
SELECT tests.create_domain_event('failed', attempts => 1) AS to_requeue \gset

SELECT lives_ok(
    format($$UPDATE domain_events
             SET status = 'processing', attempts = 1, locked_until = now() + interval '1 minute'
             WHERE id = %L$$, :'pending'),
    'pending -> processing with a lease is allowed'
);

SELECT lives_ok(
    format($$UPDATE domain_events SET status = 'published' WHERE id = %L$$, :'to_publish'),
    'processing -> published is allowed'
);
SELECT row_eq(
    format($$SELECT published_at, locked_until FROM domain_events WHERE id = %L$$,
           :'to_publish'),
    ROW(now(), NULL::timestamptz),
    'publishing stamps published_at with now() and ends the lease'
);

SELECT lives_ok(
    format($$UPDATE domain_events SET status = 'failed', failure_reason = 'timeout'
             WHERE id = %L$$, :'to_fail'),
    'processing -> failed (a dead letter) is allowed'
);
SELECT row_eq(
    format($$SELECT failed_at, locked_until FROM domain_events WHERE id = %L$$, :'to_fail'),
    ROW(now(), NULL::timestamptz),
    'failing stamps failed_at with now() and ends the lease'
);

SELECT lives_ok(
    format($$UPDATE domain_events
             SET status = 'pending', available_at = now() + interval '30 seconds',
                 last_error = 'timeout'
             WHERE id = %L$$, :'to_retry'),
    'processing -> pending (a retry after backoff) is allowed'
);
SELECT row_eq(
    format($$SELECT available_at, locked_until, last_error FROM domain_events WHERE id = %L$$,
           :'to_retry'),
    ROW(now() + interval '30 seconds', NULL::timestamptz, 'timeout'::text),
    'a retried event waits for its backoff, holds no lease and keeps the error'
);

SELECT lives_ok(
    format($$UPDATE domain_events
             SET locked_until = now() + interval '1 minute', attempts = attempts + 1
             WHERE id = %L$$, :'to_reclaim'),
    'processing -> processing (an expired lease taken over) is allowed'
);
SELECT row_eq(
    format($$SELECT status, attempts FROM domain_events WHERE id = %L$$, :'to_reclaim'),
    ROW('processing'::domain_event_status, 2),
    'the taken-over event is processing its second attempt'
);

SELECT lives_ok(
    format($$UPDATE domain_events SET status = 'pending'
             WHERE id = %L AND set_config('strata.operator_retry', 'on', true) = 'on'$$, :'to_requeue'),
    'failed -> pending through an operator retry is allowed'
);
SELECT row_eq(
    format($$SELECT status, failed_at, failure_reason FROM domain_events WHERE id = %L$$,
           :'to_requeue'),
    ROW('pending'::domain_event_status, NULL::timestamptz, NULL::text),
    'a retried dead letter is pending again and forgets failed_at and failure_reason'
);
SELECT is(
    (SELECT attempts FROM domain_events WHERE id = :'to_requeue'), 1,
    'an operator retry keeps the attempts counted so far'
);

SELECT lives_ok(
    format($$UPDATE domain_events SET attempts = attempts + 1 WHERE id = %L$$, :'pending'),
    'staying in the same status while attempts grow is allowed'
);
SELECT is(
    (SELECT attempts FROM domain_events WHERE id = :'pending'), 2,
    'attempts grew to 2'
);

SELECT lives_ok(
    format($$UPDATE domain_events SET last_error = 'noted' WHERE id = %L$$,
           tests.create_domain_event('failed', attempts => 3)),
    'a dead letter may change its delivery notes without leaving failed'
);

SELECT * FROM finish();
ROLLBACK;
