-- As strata_runtime, a stream can only be created and moved on: it cannot be deleted (its version
-- must outlive its events), re-keyed or re-dated (SQLSTATE 42501).
BEGIN;
SELECT plan(5);

INSERT INTO domain_event_streams (aggregate_type, aggregate_id, version)
VALUES ('organization', gen_random_uuid(), 3);

SET LOCAL ROLE strata_runtime;
SELECT is(current_user, 'strata_runtime', 'the assertions below run as strata_runtime');

SELECT throws_ok(
    $$DELETE FROM domain_event_streams$$, '42501', NULL,
    'strata_runtime cannot delete a stream'
);
SELECT throws_ok(
    $$UPDATE domain_event_streams SET aggregate_id = gen_random_uuid()$$, '42501', NULL,
    'strata_runtime cannot move a stream to another aggregate'
);
SELECT throws_ok(
    $$UPDATE domain_event_streams SET created_at = now()$$, '42501', NULL,
    'strata_runtime cannot re-date a stream'
);
SELECT throws_ok(
    $$INSERT INTO domain_event_streams (aggregate_type, aggregate_id, version)
      VALUES ('organization', gen_random_uuid(), 1)
      ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET aggregate_type = 'user'$$,
    '42501', NULL,
    'strata_runtime cannot re-key a stream through an upsert either'
);

SELECT * FROM finish();
ROLLBACK;
