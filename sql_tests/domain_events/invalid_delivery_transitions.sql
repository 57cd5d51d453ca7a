-- guard_domain_event_update(): every status move outside the delivery graph is rejected,
-- failed -> pending included unless it is an operator's retry (operator_retry.sql).
BEGIN;
SELECT plan(8);

SELECT tests.throws_constraint_ok(
    format($$UPDATE domain_events
             SET status = %L, failure_reason = 'x', locked_until = now() + interval '1 minute'
             WHERE id = %L$$,
           target, tests.create_domain_event(source::domain_event_status, attempts => 1)),
    '23514', 'domain_events_status_transition',
    format('%s -> %s is rejected', source, target)
)
FROM (VALUES
    ('pending', 'published'),
    ('pending', 'failed'),
    ('failed', 'processing'),
    ('failed', 'published'),
    ('failed', 'pending'),
    ('published', 'pending'),
    ('published', 'processing'),
    ('published', 'failed')
) AS move(source, target);

SELECT * FROM finish();
ROLLBACK;
