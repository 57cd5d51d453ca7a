-- As strata_runtime, the retention ledger is recorded, read and pruned, never rewritten.
BEGIN;
SELECT plan(5);

SET LOCAL ROLE strata_runtime;
SELECT is(current_user, 'strata_runtime', 'the assertions below run as strata_runtime');

SELECT lives_ok(
    $$INSERT INTO retention_prune_batches (run_key, target, cutoff, rows_deleted)
      VALUES ('run-1', 'audit_events', now() - interval '90 days', 1000)$$,
    'strata_runtime records a prune batch'
);
SELECT is(
    (SELECT sum(rows_deleted)::int FROM retention_prune_batches WHERE run_key = 'run-1'), 1000,
    'strata_runtime reads a run''s total'
);
SELECT throws_ok(
    $$UPDATE retention_prune_batches SET rows_deleted = 0 WHERE run_key = 'run-1'$$,
    '42501', NULL, 'strata_runtime cannot rewrite what a run deleted'
);
SELECT lives_ok(
    $$DELETE FROM retention_prune_batches WHERE run_key = 'run-1'$$,
    'strata_runtime can prune ledger entries (retention of the ledger itself)'
);

SELECT * FROM finish();
ROLLBACK;
