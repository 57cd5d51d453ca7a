-- guard_domain_event_update(): the delivery transitions an outbox relay uses are allowed:
-- pending -> processing -> published | failed | pending, and failed -> pending.
BEGIN;
SELECT plan(10);

SELECT tests.create_domain_event() AS pending \gset
SELECT tests.create_domain_event('processing', attempts => 1) AS to_publish \gset
SELECT tests.create_domain_event('processing', attempts => 1) AS to_fail \gset
SELECT tests.create_domain_event('processing', attempts => 1) AS to_release \gset
SELECT tests.create_domain_event('failed', attempts => 1) AS to_requeue \gset

SELECT lives_ok(
    format($$UPDATE domain_events SET status = 'processing', attempts = 1 WHERE id = %L$$,
           :'pending'),
    'pending -> processing is allowed'
);

SELECT lives_ok(
    format($$UPDATE domain_events SET status = 'published' WHERE id = %L$$, :'to_publish'),
    'processing -> published is allowed'
);
SELECT is(
    (SELECT published_at FROM domain_events WHERE id = :'to_publish'), now(),
    'publishing stamps published_at with now()'
);

SELECT lives_ok(
    format($$UPDATE domain_events SET status = 'failed', failure_reason = 'timeout'
             WHERE id = %L$$, :'to_fail'),
    'processing -> failed is allowed'
);
SELECT is(
    (SELECT failed_at FROM domain_events WHERE id = :'to_fail'), now(),
    'failing stamps failed_at with now()'
);

SELECT lives_ok(
    format($$UPDATE domain_events SET status = 'pending' WHERE id = %L$$, :'to_release'),
    'processing -> pending (a released lease) is allowed'
);

SELECT lives_ok(
    format($$UPDATE domain_events SET status = 'pending' WHERE id = %L$$, :'to_requeue'),
    'failed -> pending (a requeue) is allowed'
);
SELECT row_eq(
    format($$SELECT failed_at, failure_reason FROM domain_events WHERE id = %L$$, :'to_requeue'),
    ROW(NULL::timestamptz, NULL::text),
    'a requeued event forgets failed_at and failure_reason'
);

SELECT lives_ok(
    format($$UPDATE domain_events SET attempts = attempts + 1 WHERE id = %L$$, :'pending'),
    'staying in the same status while attempts grow is allowed'
);
SELECT is(
    (SELECT attempts FROM domain_events WHERE id = :'pending'), 2,
    'attempts grew to 2'
);

SELECT * FROM finish();
ROLLBACK;
