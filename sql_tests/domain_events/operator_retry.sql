-- guard_domain_event_update(): a dead letter (failed) returns to pending only when the
-- statement sets the transaction-local strata.operator_retry, as the repository's
-- operator retry does; an ordinary UPDATE cannot.
BEGIN;
SELECT plan(6);

SELECT tests.create_domain_event('failed', attempts => 5) AS dead_letter \gset

SELECT tests.throws_constraint_ok(
    format($$UPDATE domain_events SET status = 'pending' WHERE id = %L$$, :'dead_letter'),
    '23514', 'domain_events_status_transition',
    'an ordinary UPDATE cannot move failed -> pending'
);
SELECT tests.throws_constraint_ok(
    format($$UPDATE domain_events SET status = 'pending'
             WHERE id = %L AND set_config('strata.operator_retry', 'off', true) = 'off'$$, :'dead_letter'),
    '23514', 'domain_events_status_transition',
    'a retry setting other than on does not authorise failed -> pending'
);
SELECT is(
    (SELECT status FROM domain_events WHERE id = :'dead_letter'), 'failed'::domain_event_status,
    'the refused moves left the dead letter failed'
);

SELECT lives_ok(
    format($$UPDATE domain_events SET status = 'pending'
             WHERE id = %L AND set_config('strata.operator_retry', 'on', true) = 'on'$$, :'dead_letter'),
    'the same UPDATE setting strata.operator_retry to on moves failed -> pending'
);
SELECT row_eq(
    format($$SELECT status, attempts FROM domain_events WHERE id = %L$$, :'dead_letter'),
    ROW('pending'::domain_event_status, 5),
    'the retried event is pending with its attempts kept'
);

-- The setting is still on in this transaction: it opens failed -> pending and nothing else.
SELECT tests.throws_constraint_ok(
    format($$UPDATE domain_events SET status = 'pending' WHERE id = %L$$,
           tests.create_domain_event('published', attempts => 1)),
    '23514', 'domain_events_status_transition',
    'an operator retry setting does not reopen a published event'
);

SELECT * FROM finish();
ROLLBACK;
